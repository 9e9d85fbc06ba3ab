package discord

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/declbot/declbot/bot"
	"github.com/declbot/declbot/retrieval"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/golden")

// TestRenderGolden keeps the JSON of rendered replies under
// testdata/golden, so a change of layout shows in review; go test -update
// rewrites them.
func TestRenderGolden(t *testing.T) {
	notes := []string{"Source: an unofficial digest of the declaration compiled from public summaries, not the official text."}
	tests := []struct {
		name string
		msgs []message
	}{
		{"answer", renderReply(words, bot.Reply{
			Question: "What about **water** @everyone?", Lang: "en", Mode: "extractive",
			Passages: []bot.Quote{quote42, quote41}, Source: "unofficial digest", Notes: notes,
			Versions: []string{"en", "fr", "ru", "ja"},
		}, true)},
		{"answer-fr", renderReply(words, bot.Reply{
			Question: "Et l'eau ?", Lang: "fr", Mode: "extractive",
			Passages: []bot.Quote{quote42fr}, Source: "unofficial digest", Versions: []string{"en", "fr"},
		}, true)},
		{"answer-ru", renderReply(words, bot.Reply{
			Question: "А что про воду?", Lang: "ru", Mode: "extractive",
			Passages: []bot.Quote{quote42ru}, Source: "unofficial digest", Versions: []string{"en", "ru"},
			Notes: []string{"Источник: неофициальное изложение декларации, составленное по открытым обзорам; это не официальный текст."},
		}, true)},
		{"overview-fr", renderReply(words, bot.Reply{
			Question: "tl;dr stp", Lang: "fr", Mode: "extractive", Outcome: bot.OutcomeAnswered, Overview: true,
			Passages: []bot.Quote{quote42fr}, Source: "unofficial digest", Versions: []string{"en", "fr"},
		}, true)},
		{"abstained-ja", renderReply(words, bot.Reply{Question: "サッカーは？", Lang: "ja", Abstained: true}, true)},
		{"about-ja", renderAbout(words, "ja", bot.About{
			Title: "東京宣言（非公式ダイジェスト）", Kind: "unofficial digest", Date: "2025-12-20", Documents: 1, Passages: 68,
			Embedder: retrieval.EmbedderSpec{Name: "hash", Dims: 256}, BuiltAt: time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC), Version: "test",
		})},
		{"abstained", renderReply(words, bot.Reply{
			Question: "Who won the football?", Lang: "en", Abstained: true,
			Answer: "The declaration does not seem to address this question.",
		}, true)},
		{"related", renderReply(words, bot.Reply{
			Question: "anything about saving the aral sea?", Lang: "en", Outcome: bot.OutcomeRelated, Abstained: true,
			Answer: "ignored: the hedge is the adapter's own", Passages: []bot.Quote{}, Related: []bot.Quote{quote42},
			Source: "unofficial digest", Notes: notes,
		}, true)},
		{"chapters", renderChapters(words, "en", []bot.ChapterSummary{
			{Doc: "digest", Number: 4, Title: "Green Transition and Resilience", IDs: []string{"4.1", "4.2", "4.3", "4.4"}},
			{Doc: "digest", Number: 5, Title: "Connectivity", IDs: []string{"5.1", "5.2", "5.3"}},
		})},
		{"chapters-official", renderChapters(words, "en", []bot.ChapterSummary{
			{Doc: "official", Number: 4, Label: "IV", Title: "Green Transition and Resilience", IDs: []string{"14", "15", "16", "17"}},
			{Doc: "official", Number: 5, Label: "V", Title: "Connectivity", IDs: []string{"18", "19", "20"}},
		})},
		{"too-long", textMessages(words.say("en", "discord_too_long", "limit", MaxQuestion, "n", 1204))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			enc := json.NewEncoder(&buf)
			enc.SetEscapeHTML(false)
			enc.SetIndent("", "  ")
			if err := enc.Encode(tt.msgs); err != nil {
				t.Fatal(err)
			}
			got := buf.Bytes()
			path := filepath.Join("testdata", "golden", tt.name+".json")
			if *update {
				if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if string(got) != string(want) {
				t.Errorf("%s differs (run go test -update after checking):\n--- got\n%s\n--- want\n%s", path, got, want)
			}
			if strings.Contains(string(got), "@everyone") {
				t.Errorf("a mass mention survives rendering")
			}
		})
	}
}
