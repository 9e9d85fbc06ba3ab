package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // the tests' own connection, to make a database

	"github.com/declbot/declbot/bot/discord/discordtest"
	"github.com/declbot/declbot/bot/insights"
)

// rateID finds the answer id of the rating buttons in a message body.
var rateID = regexp.MustCompile(`"rate\|up\|([a-z2-7]{12})"`)

// ratedAnswers collects, from the fake's calls, the answer id each
// interaction's final edit carries, and counts the answers to votes.
type ratedAnswers struct {
	*answered
	mu    sync.Mutex
	ids   map[string]string // interaction token -> answer id
	votes int               // callbacks answering a vote or a form
}

func newRatedAnswers(concurrency int) *ratedAnswers {
	return &ratedAnswers{answered: newAnswered(concurrency), ids: map[string]string{}}
}

func (r *ratedAnswers) onCall(c discordtest.Call) {
	r.answered.onCall(c)
	if c.Status >= 300 {
		return
	}
	if discordtest.OriginalEdits(c) {
		if m := rateID.FindSubmatch(c.Body); m != nil {
			r.mu.Lock()
			r.ids[strings.Split(c.Path, "/")[2]] = string(m[1])
			r.mu.Unlock()
		}
		return
	}
	if discordtest.Callbacks(c) {
		var cb struct {
			Type int `json:"type"`
		}
		json.Unmarshal(c.Body, &cb)
		if cb.Type == 4 || cb.Type == 9 { // an ephemeral thanks, or the form
			r.mu.Lock()
			r.votes++
			r.mu.Unlock()
		}
	}
}

func (r *ratedAnswers) answerIDs() map[string]string {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make(map[string]string, len(r.ids))
	for k, v := range r.ids {
		out[k] = v
	}
	return out
}

func (r *ratedAnswers) voteCount() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.votes
}

// TestServeInsightsLoad asks 1,000 questions, 100 in flight, through the
// real serve, and rates every answer (one in four 👎 with a comment):
// every answer is recorded once and every vote stored, none lost or
// doubled, and `declbot insights --json` says so.
func TestServeInsightsLoad(t *testing.T) {
	if testing.Short() {
		t.Skip("1,000 questions")
	}
	const (
		total       = 1000
		concurrency = 100
	)
	qs := loadQuestions(t)
	ans := newRatedAnswers(concurrency)
	srv := discordtest.New(t, discordtest.Options{Token: serveToken, OnCall: ans.onCall})
	dir := t.TempDir()
	db := filepath.Join(dir, "declbot.insights")
	cfg := serveConfig(srv, "log:\n  level: warn\ninsights:\n  path: "+db+"\n  questions: all\n")
	s := startServe(t, srv, cfg, nil)

	var tokens []string
	for i := range total {
		ans.slots <- struct{}{}
		tokens = append(tokens, srv.SendCommand(asker(i), "ask", discordtest.String("question", qs[i%len(qs)])).Token)
	}
	waitFor(t, 120*time.Second, func() string { return fmt.Sprintf("%d of %d answers", ans.count(), total) },
		func() bool { return ans.count() == total })
	checkOnce(t, srv, tokens)
	ids := ans.answerIDs()
	if len(ids) != total {
		t.Fatalf("%d answers carry rating buttons, want %d", len(ids), total)
	}

	// Votes: every asker rates their answer; one in four thumbs down
	// and then says why. Some change their mind: up, then down. A second
	// click comes once the first is acknowledged, as a person's would.
	up, down, comments := 0, 0, 0
	expected := 0
	vote := func(second bool) {
		for i, tok := range tokens {
			id, inv := ids[tok], asker(i)
			switch {
			case i%4 == 0 && !second:
				srv.SendComponent(inv, discordtest.Message{}, "rate|down|"+id)
			case i%4 == 0:
				srv.SendModalSubmit(inv, "rate|why|"+id, map[string]string{"comment": fmt.Sprintf("answer %d missed the point", i)})
			case i%10 == 1 && second:
				srv.SendComponent(inv, discordtest.Message{}, "rate|down|"+id)
			case !second:
				srv.SendComponent(inv, discordtest.Message{}, "rate|up|"+id)
			default:
				continue
			}
			expected++
		}
		waitFor(t, 60*time.Second, func() string { return fmt.Sprintf("%d of %d votes acknowledged", ans.voteCount(), expected) },
			func() bool { return ans.voteCount() == expected })
	}
	vote(false)
	vote(true)
	changed := 0
	for i := range tokens {
		switch {
		case i%4 == 0:
			down++
			comments++
		case i%10 == 1:
			down++
			changed++
		default:
			up++
		}
	}
	if got := s.metric(t, "declbot_insights_dropped_total"); got != "0" {
		t.Errorf("%s records dropped", got)
	}
	wantUp := fmt.Sprint(up + changed) // those who changed their mind voted up first
	if got := s.metric(t, `declbot_feedback_total{vote="up"}`); got != wantUp {
		t.Errorf("feedback up = %s, want %s", got, wantUp)
	}
	s.stop(t) // writes what is queued

	st, err := insights.Open(context.Background(), insights.Options{Path: db})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	nq, nv, err := st.Counts(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if nq != total || nv != total {
		t.Errorf("%d questions and %d votes stored, want %d and %d", nq, nv, total, total)
	}
	code, out, errs := runAt(t, "--config", writeConfig(t, "insights:\n  path: "+db+"\n"), "insights", "--since", "1d", "--json", "--limit", "1000")
	if code != 0 {
		t.Fatalf("insights: exit %d: %s", code, errs)
	}
	var r insights.Report
	json.Unmarshal([]byte(out), &r)
	if r.Questions != total || r.Ratings.Up != up || r.Ratings.Down != down || len(r.Comments) != comments || r.People != total {
		t.Errorf("insights: %d questions from %d people, ratings %+v, %d comments; want %d from %d, up %d down %d, %d comments",
			r.Questions, r.People, r.Ratings, len(r.Comments), total, total, up, down, comments)
	}
}

// writeConfig writes a configuration file and returns its path.
func writeConfig(t testing.TB, text string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "config.yaml")
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestServeInsightsUnavailable starts serve with a store that cannot be
// opened: it answers all the same, says so once in the log, and /readyz
// says so in its body while ready.
func TestServeInsightsUnavailable(t *testing.T) {
	srv := discordtest.New(t, discordtest.Options{Token: serveToken})
	bad := filepath.Join(t.TempDir(), "no", "such", "folder", "declbot.insights")
	s := startServe(t, srv, serveConfig(srv, "log:\n  format: json\ninsights:\n  path: "+bad+"\n"), nil)
	tok := srv.SendCommand(asker(1), "ask", discordtest.String("question", "What does the declaration say about critical minerals?")).Token
	edit := srv.MustWait(t, 30*time.Second, 1, discordtest.And(discordtest.ForInteraction(tok), discordtest.OriginalEdits))[0]
	if strings.Contains(string(edit.Body), "rate|") {
		t.Error("rating buttons without a store")
	}
	if n := len(s.logLines("insights store not available: answering without recording questions or ratings")); n != 1 {
		t.Errorf("%d log lines about the store, want 1:\n%s", n, s.stderr)
	}
	waitFor(t, 10*time.Second, func() string { _, b := s.get(t, "/readyz"); return b }, func() bool {
		code, body := s.get(t, "/readyz")
		return code == 200 && strings.Contains(body, "ready\ninsights: not recording (")
	})
	if code, body := s.get(t, "/insights"); code != 503 || !strings.Contains(body, "not recorded") {
		t.Errorf("/insights: %d %s", code, body)
	}
}

// TestServeKilled runs serve as a process under load with ratings and
// kills it (SIGKILL) ten times: the store opens every time, and what was
// lost is at most what the recorder's queue held; the test says how much.
func TestServeKilled(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	dir := t.TempDir()
	bin := buildDeclbot(t, dir)
	qs := loadQuestions(t)
	db := filepath.Join(dir, "declbot.insights")
	const (
		rounds = 10
		queue  = 4096 // insights.RecorderOptions' default
	)
	recorded := 0
	totalLost := 0
	for round := 1; round <= rounds; round++ {
		ans := newRatedAnswers(50)
		srv := discordtest.New(t, discordtest.Options{Token: serveToken, OnCall: ans.onCall})
		cfg := writeConfig(t, serveConfig(srv, "log:\n  level: warn\ninsights:\n  path: "+db+"\n"))
		cmd := exec.Command(bin, "serve", "--config", cfg)
		cmd.Dir = dir
		cmd.Env = []string{tokenEnv + "=" + serveToken}
		var stderr lockedBuffer
		cmd.Stderr = &stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		srv.MustWait(t, 60*time.Second, 1, discordtest.CommandOverwrites)
		// Questions and votes keep coming; the kill lands among them.
		stop := make(chan struct{})
		done := make(chan struct{})
		go func() {
			defer close(done)
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				case ans.slots <- struct{}{}:
				}
				srv.SendCommand(asker(i), "ask", discordtest.String("question", qs[i%len(qs)]))
				for _, id := range ans.answerIDs() { // any answer: a vote among the questions
					srv.SendComponent(asker(i), discordtest.Message{}, "rate|up|"+id)
					break
				}
			}
		}()
		waitFor(t, 60*time.Second, func() string { return fmt.Sprintf("round %d: %d answers", round, ans.count()) },
			func() bool { return ans.count() >= 100+round*10 })
		cmd.Process.Signal(syscall.SIGKILL)
		cmd.Wait()
		close(stop)
		<-done
		delivered := len(ans.answerIDs())

		st, err := insights.Open(context.Background(), insights.Options{Path: db})
		if err != nil {
			t.Fatalf("round %d: the store does not open after SIGKILL: %v\nstderr:\n%s", round, err, stderr.String())
		}
		nq, _, err := st.Counts(context.Background())
		st.Close()
		if err != nil {
			t.Fatalf("round %d: %v", round, err)
		}
		got := nq - recorded
		lost := delivered - got
		if lost < 0 || lost > queue {
			t.Errorf("round %d: %d answers delivered, %d recorded: lost %d, want 0 to %d", round, delivered, got, lost, queue)
		}
		t.Logf("round %d: %d answers delivered before SIGKILL, %d recorded, %d lost", round, delivered, got, lost)
		recorded = nq
		totalLost += lost
	}
	t.Logf("%d rounds: %d answers recorded in all, %d lost to the kills (at most the queue, %d each)", rounds, recorded, totalLost, queue)
}

// TestServeInsightsPostgres runs serve with insights.database on the
// PostgreSQL server of DECLBOT_TEST_POSTGRES (.ci/run starts one; in CI a
// missing one fails): an answer and its vote reach the database, and
// `declbot insights` reads them back from it.
func TestServeInsightsPostgres(t *testing.T) {
	dsn := os.Getenv("DECLBOT_TEST_POSTGRES")
	if dsn == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("DECLBOT_TEST_POSTGRES is not set: CI must run the PostgreSQL tests (.ci/run starts a server)")
		}
		t.Skip("DECLBOT_TEST_POSTGRES not set")
	}
	db := freshDatabase(t, dsn)
	srv := discordtest.New(t, discordtest.Options{Token: serveToken})
	section := "insights:\n  database: \"" + db + "\"\n"
	s := startServe(t, srv, serveConfig(srv, section), nil)
	tok := srv.SendCommand(asker(1), "ask", discordtest.String("question", "Who won the football?")).Token
	edit := srv.MustWait(t, 30*time.Second, 1, discordtest.And(discordtest.ForInteraction(tok), discordtest.OriginalEdits))[0]
	m := rateID.FindSubmatch(edit.Body)
	if m == nil {
		t.Fatalf("no rating buttons: %s", edit.Body)
	}
	click := srv.SendComponent(asker(1), discordtest.Message{}, "rate|down|"+string(m[1]))
	srv.MustWait(t, 30*time.Second, 1, discordtest.And(discordtest.ForInteraction(click.Token), discordtest.Callbacks))
	s.stop(t)

	var r insights.Report
	code, out, errs := NewAppRun(t, "--config", writeConfig(t, section), "insights", "--since", "1d", "--json")
	if code != 0 {
		t.Fatalf("insights: exit %d: %s", code, errs)
	}
	json.Unmarshal([]byte(out), &r)
	if r.Questions != 1 || r.Ratings.Down != 1 || len(r.Unanswered) != 1 {
		t.Errorf("from PostgreSQL: %d questions, ratings %+v, unanswered %v; want 1, 1 down, 1", r.Questions, r.Ratings, r.Unanswered)
	}
}

// freshDatabase creates a database of its own on the server of dsn,
// dropped when the test ends, and returns its URL.
func freshDatabase(t *testing.T, dsn string) string {
	t.Helper()
	admin, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	name := fmt.Sprintf("declbot_serve_%d", time.Now().UnixNano())
	if _, err := admin.Exec("CREATE DATABASE " + name); err != nil {
		t.Fatalf("create database: %v", err)
	}
	t.Cleanup(func() {
		admin, err := sql.Open("pgx", dsn)
		if err == nil {
			admin.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)")
			admin.Close()
		}
	})
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	u.Path = "/" + name
	return u.String()
}
