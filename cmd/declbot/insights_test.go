package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/declbot/declbot/bot/insights"
)

// insightsNow is the clock of the insights tests.
var insightsNow = time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)

// insightsFixture writes a store with a few days of questions and votes
// before insightsNow into dir and returns a configuration file that
// names it.
func insightsFixture(t *testing.T, dir string) string {
	return insightsFixtureAt(t, dir, insightsNow)
}

// insightsFixtureAt is insightsFixture with the questions asked before
// now.
func insightsFixtureAt(t *testing.T, dir string, insightsNow time.Time) string {
	t.Helper()
	db := filepath.Join(dir, "declbot.insights")
	st, err := insights.Open(context.Background(), insights.Options{Path: db, Now: func() time.Time { return insightsNow }})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	at := func(h int) time.Time { return insightsNow.Add(-time.Duration(h) * time.Hour) }
	qs := []insights.Question{
		{ID: "a1", At: at(1), Source: "slash", Lang: "en", Outcome: insights.Answered, Paragraphs: []string{"digest/4.2"}, Asker: "1", Text: "What about water?"},
		{ID: "a2", At: at(30), Source: "mention", Lang: "fr", Outcome: insights.Answered, Paragraphs: []string{"digest/4.2", "digest/3.1"}, Asker: "2", ModelWritten: true},
		{ID: "n1", At: at(2), Source: "dm", Lang: "en", Outcome: insights.NotAddressed, Asker: "3", Text: "Who won the football?"},
		{ID: "n2", At: at(50), Source: "slash", Lang: "en", Outcome: insights.NotAddressed, Asker: "1", Text: "who won the FOOTBALL"},
		{ID: "r1", At: at(3), Source: "cli", Lang: "en", Outcome: insights.Related, Paragraphs: nil, Asker: "", Text: "Roads\x1b[31m and rail?"},
		{ID: "old", At: at(24 * 20), Source: "slash", Lang: "en", Outcome: insights.NotAddressed, Asker: "4", Text: "Too old to show"},
	}
	vs := []insights.Vote{
		{QuestionID: "a1", Voter: "1", Up: true, At: at(1)},
		{QuestionID: "a2", Voter: "5", Comment: "Cited <b>3.1</b>, @everyone; 4.2 was enough.", At: at(29)},
	}
	if err := st.Write(context.Background(), qs, vs); err != nil {
		t.Fatal(err)
	}
	cfg := filepath.Join(dir, "config.yaml")
	if err := os.WriteFile(cfg, []byte("insights:\n  path: "+db+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return cfg
}

// runAt runs declbot in-process with the insights clock at insightsNow.
func runAt(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	app := NewApp(strings.NewReader(""), &out, &errb, func(string) string { return "" })
	app.now = func() time.Time { return insightsNow }
	code := app.Run(context.Background(), args)
	return code, out.String(), errb.String()
}

func TestInsightsText(t *testing.T) {
	cfg := insightsFixture(t, t.TempDir())
	code, out, errs := runAt(t, "--config", cfg, "insights", "--since", "7d")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	golden(t, "insights", out)
}

func TestInsightsJSON(t *testing.T) {
	cfg := insightsFixture(t, t.TempDir())
	tests := []struct {
		since     string
		questions int
		unanswer  string
		days      int
	}{
		{"7d", 5, "who won the football", 7},
		{"1d", 3, "roads [31m and rail", 1}, // one each: in order
		{"2h", 2, "who won the football", 1},
		{"30d", 6, "who won the football", 30},
	}
	for _, tt := range tests {
		t.Run(tt.since, func(t *testing.T) {
			code, out, errs := runAt(t, "--config", cfg, "insights", "--since", tt.since, "--json")
			if code != 0 {
				t.Fatalf("exit %d: %s", code, errs)
			}
			var raw map[string]json.RawMessage
			if err := json.Unmarshal([]byte(out), &raw); err != nil {
				t.Fatal(err)
			}
			for _, key := range []string{"questions", "by_outcome", "by_language", "by_source", "unanswered", "ratings", "comments", "top_paragraphs"} {
				if _, ok := raw[key]; !ok {
					t.Errorf("no key %q", key)
				}
			}
			var r insights.Report
			json.Unmarshal([]byte(out), &r)
			if r.Questions != tt.questions || len(r.Days) != tt.days {
				t.Errorf("questions %d, days %d; want %d, %d", r.Questions, len(r.Days), tt.questions, tt.days)
			}
			first := ""
			if len(r.Unanswered) > 0 {
				first = r.Unanswered[0].Text
			}
			if first != tt.unanswer {
				t.Errorf("first unanswered %q, want %q", first, tt.unanswer)
			}
		})
	}
}

func TestInsightsUsage(t *testing.T) {
	dir := t.TempDir()
	cfg := insightsFixture(t, dir)
	empty := filepath.Join(dir, "empty.yaml")
	os.WriteFile(empty, []byte("insights:\n  path: "+filepath.Join(dir, "none.db")+"\n"), 0o600)
	tests := []struct {
		name string
		args []string
		code int
		err  string
	}{
		{"bad since", []string{"--config", cfg, "insights", "--since", "forever"}, 2, "not an age"},
		{"zero since", []string{"--config", cfg, "insights", "--since", "0d"}, 2, "not an age"},
		{"bad limit", []string{"--config", cfg, "insights", "--limit", "0"}, 2, "out of range"},
		{"no store", []string{"--config", empty, "insights"}, 2, "no insights store"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, errs := runAt(t, tt.args...)
			if code != tt.code || !strings.Contains(errs, tt.err) {
				t.Errorf("exit %d, stderr %q; want %d and %q", code, errs, tt.code, tt.err)
			}
		})
	}
	if _, err := os.Stat(filepath.Join(dir, "none.db")); err == nil {
		t.Error("insights made a store where there was none")
	}
}

// TestAskRecorded checks that `ask` adds to a store that exists, as the
// CLI's source, and makes none where there is none.
func TestAskRecorded(t *testing.T) {
	dir := t.TempDir()
	cfg := insightsFixture(t, dir)
	if code, _, errs := runAt(t, "--config", cfg, "ask", "Who won the football?"); code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	code, out, _ := runAt(t, "--config", cfg, "insights", "--since", "1d", "--json")
	var r insights.Report
	json.Unmarshal([]byte(out), &r)
	if code != 0 || r.Questions != 4 || r.BySource["cli"] != 2 {
		t.Errorf("after ask: %d questions, by source %v; want 4, cli 2", r.Questions, r.BySource)
	}
	if code, _, _ := run(t, "ask", "water?"); code != 0 {
		t.Fatal(code)
	}
	if _, err := os.Stat(insightsFile); err == nil {
		t.Error("ask made an insights store")
	}
}

func TestInsightsPath(t *testing.T) {
	tests := []struct {
		index, path, want string
	}{
		{"", "", "declbot.insights"},
		{"/var/lib/declbot/declbot.index", "", "/var/lib/declbot/declbot.insights"},
		{"data/x.index", "", "data/declbot.insights"},
		{"/var/lib/declbot/declbot.index", "/srv/i.db", "/srv/i.db"},
	}
	for _, tt := range tests {
		cfg := DefaultConfig()
		cfg.Index.Path, cfg.Insights.Path = tt.index, tt.path
		if got := insightsPath(cfg); got != tt.want {
			t.Errorf("index %q, path %q: %q, want %q", tt.index, tt.path, got, tt.want)
		}
	}
}
