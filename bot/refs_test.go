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
		{"процитируй главу 12", "ru", "Главы 12 нет", true},
		{"12を引用して", "ja", "第 12 章はありません", true},
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

// TestCiteMissingSays checks what cite says of a reference the index
// lacks: a paragraph marker before a number without a dot ("¶99", "¶7")
// asks for a paragraph, never a chapter, and is said to be a missing
// paragraph, in every language; a bare number is a chapter; 0 is no
// reference at all, with what the user typed quoted back.
func TestCiteMissingSays(t *testing.T) {
	b := extractiveBot(t)
	for _, tt := range []struct{ ref, lang, want string }{
		{"¶99", "en", "There is no paragraph 99: chapters run from 1 to 9, paragraphs like 1.1."},
		{"§ 99", "en", "There is no paragraph 99:"},
		{"paragraph 99", "en", "There is no paragraph 99:"},
		{"para 99", "en", "There is no paragraph 99:"},
		{"¶99", "fr", "Il n'y a pas de paragraphe 99 :"},
		{"paragraphe 99", "fr", "Il n'y a pas de paragraphe 99 :"},
		{"п. 99", "ru", "Пункта 99 нет:"},
		{"пункт 99", "ru", "Пункта 99 нет:"},
		{"¶99", "ja", "段落 99 はありません。"},
		{"¶7", "en", "There is no paragraph 7:"},
		{"§4", "fr", "Il n'y a pas de paragraphe 4 :"},
		{"12-2", "en", "There is no paragraph 12-2:"},
		{"99", "en", "There is no chapter 99: chapters run from 1 to 9, paragraphs like 1.1."},
		{"１５", "en", "There is no chapter 15:"},
		{"99", "ru", "Главы 99 нет:"},
		{"0", "en", `"0" is not a reference: use a chapter like 4 or a paragraph like 4.2 (chapters run from 1 to 9, paragraphs like 1.1).`},
		{"¶0", "en", `"¶0" is not a reference`},
		{"5 pls", "en", `"5 pls" is not a reference`},
		{"0", "ja", `"0" は参照ではありません。`},
	} {
		t.Run(tt.ref+"/"+tt.lang, func(t *testing.T) {
			r, err := b.Cite(tt.ref, tt.lang)
			msg, ok := bot.IsInputError(err)
			if !ok || !strings.Contains(msg, tt.want) {
				t.Errorf("Cite(%q, %s) = %v (passages %d), want an input error saying %q", tt.ref, tt.lang, err, len(r.Passages), tt.want)
			}
		})
	}
}

// TestAnswerMissingParagraph checks that a question asking for a
// paragraph by its marker and a number without a dot ("¶99") is a
// citation request as "¶4.9" is: asked alone, cite's input error; asked
// with a subject, the subject searched and the first note saying the
// paragraph is not there.
func TestAnswerMissingParagraph(t *testing.T) {
	b := extractiveBot(t)
	for _, tt := range []struct {
		q, says string
		alone   bool
	}{
		{"¶99", "There is no paragraph 99:", true},
		{"show ¶99", "There is no paragraph 99:", true},
		{"what does ¶99 say?", "There is no paragraph 99:", true},
		{"what does paragraph 99 say?", "There is no paragraph 99:", true},
		{"montre le ¶99", "Il n'y a pas de paragraphe 99 :", true},
		{"покажи п. 99", "Пункта 99 нет:", true},
		{"¶0", `"¶0" is not a reference`, true},
		{"what does ¶7 say?", "There is no paragraph 7:", true},
		{"what does ¶99 say about Afghanistan?", "There is no paragraph 99:", false},
	} {
		t.Run(tt.q, func(t *testing.T) {
			r, err := b.Answer(context.Background(), bot.Question{Text: tt.q})
			if tt.alone {
				msg, ok := bot.IsInputError(err)
				if !ok || !strings.Contains(msg, tt.says) {
					t.Fatalf("err %v (outcome %s, reply %.60q): want an input error saying %q", err, r.Outcome, r.Answer, tt.says)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if r.Mode != bot.ModeExtractive || len(r.Passages) == 0 || len(r.Notes) == 0 || !strings.Contains(r.Notes[0], tt.says) {
				t.Errorf("mode %s, %d passages, notes %q: want extractive, passages, first note saying %q", r.Mode, len(r.Passages), r.Notes, tt.says)
			}
		})
	}
}

// TestAnswerCiteVerb checks that a request to cite, in any of the four
// languages, asks for what follows as the cite command reads it: "cite 7"
// is chapter 7, as "show chapter 7" is, and "cite 0" no reference (an
// input error); while a number in a question that asks something else is
// searched, even after "cite".
func TestAnswerCiteVerb(t *testing.T) {
	b := extractiveBot(t)
	for _, tt := range []struct {
		q, lang string
		wantIDs string // "" for a question searched
	}{
		{"cite 7", "en", "7.1 7.2 7.3"},
		{"cite 7", "", "7.1 7.2 7.3"},
		{"cite 4.2", "en", "4.2"},
		{"cite 4.2 pls", "en", "4.2"},
		{"please cite 7", "en", "7.1 7.2 7.3"},
		{"cite ¶4.2", "en", "4.2"},
		{"quote 4.2", "", "4.2"},
		{"cite: 7", "", "7.1 7.2 7.3"},
		{"citer 5", "fr", "5.1 5.2 5.3"},
		{"cite 5 stp", "fr", "5.1 5.2 5.3"},
		{"процитируй 7", "", "7.1 7.2 7.3"},
		{"процитируй главу 5", "", "5.1 5.2 5.3"},
		{"7を引用して", "", "7.1 7.2 7.3"},
		{"4.2を引用してください", "", "4.2"},
		// A number in a question is not a citation.
		{"does the declaration cite 5 countries?", "en", ""},
		{"is it 2.3 trillion yen?", "en", ""},
		{"what happened in 2004?", "en", ""},
		{"the 5 countries", "en", ""},
		{"what does it cite about the 5 countries?", "en", ""},
		{"does it quote 3 leaders?", "en", ""},
	} {
		t.Run(tt.q+"/"+tt.lang, func(t *testing.T) {
			r, err := b.Answer(context.Background(), bot.Question{Text: tt.q, Lang: tt.lang})
			if err != nil {
				t.Fatal(err)
			}
			var ids []string
			for _, p := range r.Passages {
				ids = append(ids, p.ID)
			}
			if tt.wantIDs == "" {
				if r.Mode == bot.ModeCite {
					t.Errorf("mode cite, passages %v: want it searched", ids)
				}
				return
			}
			if r.Mode != bot.ModeCite || strings.Join(ids, " ") != tt.wantIDs || r.Outcome != "answered" {
				t.Errorf("mode %s, outcome %s, passages %v; want cite, answered, %s", r.Mode, r.Outcome, ids, tt.wantIDs)
			}
		})
	}
}

// TestAnswerNotAReference checks that a citation asked for that is no
// reference at all is cite's input error, quoting the user's own words,
// escaped, not the form it was read as ("ch 0").
func TestAnswerNotAReference(t *testing.T) {
	b := extractiveBot(t)
	for _, tt := range []struct{ q, lang, want string }{
		{"chapter 0", "", `"chapter 0" is not a reference: use a chapter like 4 or a paragraph like 4.2 (chapters run from 1 to 9, paragraphs like 1.1).`},
		{"Show me CHAPTER 0", "", `"CHAPTER 0" is not a reference`},
		{"Ch. 0?", "", `"Ch. 0" is not a reference`},
		{"cite 0", "en", `"0" is not a reference`},
		{"citer 0", "fr", `"0" n'est pas une référence`},
		{"покажи главу 0", "", `"главу 0" — не ссылка`},
		{"第０章を見せて", "", `"第０章" は参照ではありません`},
		{"第\u3000０\u3000章を見せて", "", `"第\u3000０\u3000章" は参照ではありません`},
	} {
		t.Run(tt.q, func(t *testing.T) {
			r, err := b.Answer(context.Background(), bot.Question{Text: tt.q, Lang: tt.lang})
			msg, ok := bot.IsInputError(err)
			if !ok || !strings.Contains(msg, tt.want) {
				t.Errorf("err %v (outcome %s): want an input error saying %q", err, r.Outcome, tt.want)
			}
		})
	}
}
