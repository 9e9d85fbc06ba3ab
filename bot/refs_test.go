package bot_test

import (
	"context"
	"strings"
	"testing"

	"github.com/declbot/declbot/bot"
)

// TestAnswerShowsAskedCitation checks that a question asking for a
// paragraph or a chapter gets it verbatim, as cite shows it, in the
// question's language, while a question that merely holds a number is
// searched as any other.
// TestAnswerMissingCitation: a citation the index lacks is said to be
// missing, as cite says it; asked alone, that is the whole reply (an
// input error); asked with a subject, the subject is searched and the
// reply's first note says the citation is not there.
func TestAnswerMissingCitation(t *testing.T) {
	b := extractiveBot(t)
	for _, tt := range []struct {
		q, lang, says string
		alone         bool
	}{
		{"show chapter 12", "en", "There is no chapter 12", true},
		{"what does ¶99.9 say?", "en", "There is no paragraph 99.9", true},
		{"4.9?", "en", "There is no paragraph 4.9", true},
		{"montre le chapitre 10", "fr", "Il n'y a pas de chapitre 10", true},
		{"покажи главу 12", "ru", "Главы 12 нет", true},
		{"第12章を見せて", "ja", "第 12 章はありません", true},
		{"what does ¶12.9 say about Afghanistan?", "en", "There is no paragraph 12.9", false},
	} {
		t.Run(tt.q, func(t *testing.T) {
			r, err := b.Answer(context.Background(), bot.Question{Text: tt.q})
			if tt.alone {
				msg, ok := bot.IsInputError(err)
				if !ok || !strings.Contains(msg, tt.says) {
					t.Fatalf("err %v (reply %q): want an input error saying %q", err, r.Answer, tt.says)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if r.Lang != tt.lang || r.Mode != bot.ModeExtractive || len(r.Passages) == 0 || len(r.Notes) == 0 || !strings.Contains(r.Notes[0], tt.says) {
				t.Errorf("lang %s, mode %s, %d passages, notes %q: want %s, extractive, passages, first note saying %q",
					r.Lang, r.Mode, len(r.Passages), r.Notes, tt.lang, tt.says)
			}
		})
	}
}

func TestAnswerShowsAskedCitation(t *testing.T) {
	b := extractiveBot(t)
	tests := []struct {
		q        string
		wantMode string
		wantIDs  string // for a citation
		wantLang string
	}{
		{"what does ¶4.2 say?", bot.ModeCite, "4.2", "en"},
		{"what is paragraph 4.2", bot.ModeCite, "4.2", "en"},
		{"show chapter 7", bot.ModeCite, "7.1 7.2 7.3", "en"},
		{"ch. IV", bot.ModeCite, "4.1 4.2 4.3 4.4", "en"},
		{"4.2?", bot.ModeCite, "4.2", "en"},
		{"what does 4.2 say", bot.ModeCite, "4.2", "en"},
		{"que dit le §4.2 ?", bot.ModeCite, "4.2", "fr"},
		{"montre-moi le chapitre 5", bot.ModeCite, "5.1 5.2 5.3", "fr"},
		{"покажи главу 7", bot.ModeCite, "7.1 7.2 7.3", "ru"},
		{"что в пункте 4.2?", bot.ModeCite, "4.2", "ru"},
		{"第7章を見せて", bot.ModeCite, "7.1 7.2 7.3", "ja"},
		{"４．２は？", bot.ModeCite, "4.2", "ja"},
		// A number that is not asked for as a citation.
		{"is it 2.3 trillion yen?", bot.ModeExtractive, "", "en"},
		{"what does each 4 say about the climate?", bot.ModeExtractive, "", "en"},
		{"19.2 billion dollars for what?", bot.ModeExtractive, "", "en"},
		// A citation the index lacks is searched instead.
		{"what does ¶12.9 say about Afghanistan?", bot.ModeExtractive, "", "en"},
	}
	for _, tt := range tests {
		t.Run(tt.q, func(t *testing.T) {
			r, err := b.Answer(context.Background(), bot.Question{Text: tt.q})
			if err != nil {
				t.Fatal(err)
			}
			var ids []string
			for _, p := range r.Passages {
				ids = append(ids, p.ID)
			}
			if r.Mode != tt.wantMode || r.Lang != tt.wantLang || tt.wantIDs != "" && strings.Join(ids, " ") != tt.wantIDs {
				t.Errorf("mode %s, lang %s, passages %v; want %s, %s, %s", r.Mode, r.Lang, ids, tt.wantMode, tt.wantLang, tt.wantIDs)
			}
			if r.Mode == bot.ModeCite && (r.Outcome != "answered" || r.Question != tt.q) {
				t.Errorf("outcome %q, question %q: want answered, the question", r.Outcome, r.Question)
			}
		})
	}
}
