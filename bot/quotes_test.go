package bot_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/declbot/declbot/bot"
	"github.com/declbot/declbot/bot/llm"
	"github.com/declbot/declbot/bot/llm/openaitest"
	"github.com/declbot/declbot/retrieval"
)

// calibrationQuestions are the questions retrieval is tuned on.
func calibrationQuestions(t testing.TB) []string {
	t.Helper()
	var out []string
	for _, part := range []string{"calibration_tune.yaml", "calibration_test.yaml"} {
		data, err := os.ReadFile(filepath.Join("..", "retrieval", "testdata", part))
		if err != nil {
			t.Fatal(err)
		}
		qs, err := retrieval.ParseEvalQuestions(data)
		if err != nil {
			t.Fatal(err)
		}
		for _, q := range qs {
			out = append(out, q.Q)
		}
	}
	return out
}

// TestVerbatimQuoteAlwaysPasses is the positive control: a model quoting
// a given passage word for word, in "…", in 「…」 or in the prompt's
// [[id: …]], gets its answer shown (mode llm) on every question answered,
// the quote re-rendered in the bot's own marks.
func TestVerbatimQuoteAlwaysPasses(t *testing.T) {
	questions := calibrationQuestions(t)
	for _, style := range [][2]string{{`"`, `"`}, {"「", "」"}, {"[[", "]]"}} {
		t.Run(style[0]+"…"+style[1], func(t *testing.T) {
			b, srv := newModelBot(t, llm.Config{})
			srv.OnChat(openaitest.QuoteVerbatim(style[0], style[1], 6))
			if style[0] == "[[" {
				srv.OnChat(func(req openaitest.ChatRequest) openaitest.Reply {
					ps := openaitest.PromptPassages(req)
					return openaitest.QuoteVerbatim("[["+ps[0].ID+": ", "]]", 6)(req)
				})
			}
			answered := 0
			for _, q := range questions {
				r := ask(t, b, bot.Question{Text: q})
				if r.Abstained {
					continue
				}
				answered++
				if r.Mode != bot.ModeLLM || r.Verification == nil || r.Verification.Quotes != 1 || r.Verification.Failed != 0 {
					t.Errorf("%q: mode %q, verification %+v, notes %q", q, r.Mode, r.Verification, r.Notes)
					continue
				}
				open := "“"
				if r.Lang == "fr" {
					open = "«\u00a0"
				}
				// The written text, before the citations of its passages.
				text, _, _ := strings.Cut(r.Answer, "\n\n— ")
				if !strings.HasPrefix(text, open) || !strings.Contains(text, " ✓ [") || strings.Contains(text, style[0]) {
					t.Errorf("%q: quote not re-rendered in the bot's marks: %q", q, r.Answer)
				}
			}
			if answered < len(questions)/2 {
				t.Errorf("only %d of %d questions answered", answered, len(questions))
			}
			t.Logf("%d questions answered, all mode llm", answered)
		})
	}
}

// TestInventionsNeverShown asks with a model that invents, streamed and
// not: the reply is extractive, the invention is not in it, nor in any
// partial shown while it streamed, and the retry named the failure.
func TestInventionsNeverShown(t *testing.T) {
	for _, format := range openaitest.Inventions() {
		for _, streamed := range []bool{false, true} {
			name := strings.ReplaceAll(format, "%s", "id")
			if streamed {
				name += " streamed"
			}
			t.Run(name, func(t *testing.T) {
				b, srv := newModelBot(t, llm.Config{})
				srv.OnChat(openaitest.Invent(format))
				var partials []string
				q := bot.Question{Text: question}
				if streamed {
					q.OnPartial = func(p bot.Partial) { partials = append(partials, p.Render()) }
				}
				r := ask(t, b, q)
				if r.Mode != bot.ModeExtractive || r.Verification == nil || r.Verification.Failed == 0 {
					t.Fatalf("mode %q, verification %+v: the invention was not caught", r.Mode, r.Verification)
				}
				for _, shown := range append(partials, r.Answer, strings.Join(r.Notes, " ")) {
					if strings.Contains(shown, "deploy") || strings.Contains(shown, "troops") {
						t.Errorf("invention shown: %q", shown)
					}
				}
				if streamed && len(partials) == 0 {
					t.Error("no partial rendered")
				}
				if n := srv.Count(openaitest.ChatPath); n != 2 {
					t.Errorf("%d chat requests, want the answer and one retry", n)
				}
			})
		}
	}
}

// TestHugeAnswer is a model ignoring max_tokens with 5 MB: the reply is
// extractive with a note, read no further than needed when streamed,
// and not asked again.
func TestHugeAnswer(t *testing.T) {
	for _, streamed := range []bool{false, true} {
		t.Run(map[bool]string{false: "complete", true: "streamed"}[streamed], func(t *testing.T) {
			b, srv := newModelBot(t, llm.Config{Timeout: 30 * time.Second})
			srv.OnChat(openaitest.Huge(5 << 20))
			q := bot.Question{Text: question}
			longest := 0
			if streamed {
				q.OnPartial = func(p bot.Partial) { longest = max(longest, len(p.Render())) }
			}
			r := ask(t, b, q)
			if r.Mode != bot.ModeExtractive || len(r.Notes) == 0 || !strings.Contains(r.Notes[0], "too long") {
				t.Fatalf("mode %q, notes %q", r.Mode, r.Notes)
			}
			if len(r.Answer) > 10000 {
				t.Errorf("answer of %d bytes", len(r.Answer))
			}
			if longest > 8*bot.MaxWritten {
				t.Errorf("a partial of %d bytes was rendered", longest)
			}
			if n := srv.Count(openaitest.ChatPath); n != 1 {
				t.Errorf("%d chat requests, want 1: a long answer is not retried", n)
			}
		})
	}
}
