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
