package bot_test

import (
	"context"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/declbot/declbot/bot"
	"github.com/declbot/declbot/corpus"
	"github.com/declbot/declbot/retrieval"
)

// fuzzBot answers from the bundled corpus. Fuzz targets take testing.F,
// so they build their own rather than share bundledIndex.
func fuzzBot(f *testing.F) (*bot.Bot, map[string]bool) {
	f.Helper()
	docs, err := corpus.Bundled()
	if err != nil {
		f.Fatal(err)
	}
	idx, err := retrieval.Build(context.Background(), docs, retrieval.NewHashEmbedder(0))
	if err != nil {
		f.Fatal(err)
	}
	texts := map[string]bool{}
	for _, p := range idx.Passages() {
		texts[p.Text] = true
	}
	return bot.New(idx, bot.Options{Version: "fuzz"}), texts
}

// seedQuestions adds the calibration questions, the ones retrieval is
// tuned on, and a few awkward ones.
func seedQuestions(f *testing.F, add func(q string)) {
	f.Helper()
	for _, q := range calibrationQuestions(f) {
		add(q)
	}
	for _, q := range []string{"", " ", "\x00", "\xff\xfe", "4.2", "§4.2", "ch4", "l'eau ?", "é\u0301", strings.Repeat("water ", 200), "\u202e\u200b"} {
		add(q)
	}
}

func FuzzCheckQuestion(f *testing.F) {
	seedQuestions(f, func(q string) { f.Add(q) })
	f.Fuzz(func(t *testing.T, text string) {
		got, err := bot.CheckQuestion(text)
		if err != nil {
			if _, ok := bot.IsInputError(err); !ok {
				t.Fatalf("CheckQuestion(%q): %v is not an input error", text, err)
			}
			return
		}
		if !utf8.ValidString(got) || got == "" || got != strings.TrimSpace(got) || utf8.RuneCountInString(got) > bot.MaxQuestion {
			t.Fatalf("CheckQuestion(%q) = %q: not a valid, trimmed, bounded question", text, got)
		}
		if again, err := bot.CheckQuestion(got); err != nil || again != got {
			t.Fatalf("CheckQuestion is not idempotent on %q: %q, %v", got, again, err)
		}
	})
}

// FuzzAnswer asks anything and checks what is quoted is the text, word
// for word.
func FuzzAnswer(f *testing.F) {
	b, texts := fuzzBot(f)
	seedQuestions(f, func(q string) { f.Add(q, "", 0) })
	f.Add("minerals", "fr", 10)
	f.Add("water", "xx", -1)
	f.Fuzz(func(t *testing.T, text, lang string, k int) {
		r, err := b.Answer(context.Background(), bot.Question{Text: text, Lang: lang, K: k})
		if err != nil {
			if _, ok := bot.IsInputError(err); !ok {
				t.Fatalf("Answer(%q, %q, %d): %v is not an input error", text, lang, k, err)
			}
			return
		}
		if r.Answer == "" || (r.Abstained && len(r.Passages) > 0) {
			t.Fatalf("Answer(%q): empty answer or quotes despite abstaining: %+v", text, r)
		}
		if !b.Languages().Has(r.Lang) {
			t.Fatalf("Answer(%q): language %q is not one of the index's %v", text, r.Lang, b.Languages().Codes())
		}
		for _, p := range r.Passages {
			if !texts[p.Text] {
				t.Fatalf("Answer(%q) quotes text not in the corpus: %q", text, p.Text)
			}
			if !strings.Contains(r.Answer, p.Text) {
				t.Fatalf("Answer(%q): the answer does not show the passage %s verbatim", text, p.ID)
			}
		}
	})
}

func FuzzCite(f *testing.F) {
	b, texts := fuzzBot(f)
	for _, ref := range []string{"4", "4.2", "§4.2", "ch4", "chapitre 7", "99", "4.99", "0", "-1", "4.2.1", "", "¶", "ch", "1e9",
		"Гл. 4", "第4章", "４．２", `Ch. 4 "Green", ¶4.2`, "第4章「」¶4.2", "глава", "第章", "¶¶4.2", "п.4.2"} {
		for _, lang := range []string{"en", "fr", "all", ""} {
			f.Add(ref, lang)
		}
	}
	f.Fuzz(func(t *testing.T, ref, lang string) {
		r, err := b.Cite(ref, lang)
		if err != nil {
			if _, ok := bot.IsInputError(err); !ok {
				t.Fatalf("Cite(%q, %q): %v is not an input error", ref, lang, err)
			}
			return
		}
		if len(r.Passages) == 0 {
			t.Fatalf("Cite(%q, %q) succeeded with no passage", ref, lang)
		}
		for _, p := range r.Passages {
			if !texts[p.Text] {
				t.Fatalf("Cite(%q) shows text not in the corpus: %q", ref, p.Text)
			}
		}
	})
}

func FuzzComplete(f *testing.F) {
	b, _ := fuzzBot(f)
	for _, p := range []string{"", "4", "4.", "4.2", "§4", "green", "verte", "é", "\xff", "ch4"} {
		f.Add(p, "en", 25)
		f.Add(p, "fr", 1)
	}
	f.Fuzz(func(t *testing.T, prefix, lang string, max int) {
		cs := b.Complete(prefix, lang, max)
		limit := max
		if limit <= 0 {
			limit = 25
		}
		if len(cs) > limit {
			t.Fatalf("Complete(%q, %d) gave %d choices", prefix, max, len(cs))
		}
		for _, c := range cs {
			if c.Value == "" || utf8.RuneCountInString(c.Name) > 100 || !utf8.ValidString(c.Name) {
				t.Fatalf("Complete(%q): bad choice %+v", prefix, c)
			}
		}
	})
}

// FuzzTranslate takes the keys a button's custom id carries, which a
// client can forge.
func FuzzTranslate(f *testing.F) {
	b, texts := fuzzBot(f)
	f.Add("digest/4.2 digest/4.1", "fr")
	f.Add("digest/4.2", "en")
	f.Add("digest/../4.2", "fr")
	f.Add("", "de")
	f.Fuzz(func(t *testing.T, keys, lang string) {
		r, err := b.Translate(strings.Fields(keys), lang)
		if err != nil {
			if _, ok := bot.IsInputError(err); !ok {
				t.Fatalf("Translate(%q, %q): %v is not an input error", keys, lang, err)
			}
			return
		}
		for _, p := range r.Passages {
			if !texts[p.Text] || p.Lang != lang {
				t.Fatalf("Translate(%q, %q) shows %+v", keys, lang, p)
			}
		}
	})
}
