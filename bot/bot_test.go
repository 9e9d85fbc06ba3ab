package bot_test

import (
	"context"
	"strings"
	"sync"
	"testing"

	"github.com/declbot/declbot/bot"
	"github.com/declbot/declbot/corpus"
	"github.com/declbot/declbot/retrieval"
)

func extractiveBot(t *testing.T) *bot.Bot {
	t.Helper()
	return bot.New(bundledIndex(t), bot.Options{Version: "test"})
}

func TestAnswerInputErrors(t *testing.T) {
	b := extractiveBot(t)
	tests := []struct {
		name string
		q    bot.Question
		want string
	}{
		{"empty", bot.Question{Text: " \n "}, "The question is empty"},
		{"too long", bot.Question{Text: strings.Repeat("w", 1001)}, "1001 characters long; the limit is 1000"},
		{"too long in French", bot.Question{Text: strings.Repeat("é", 1001)}, "La question fait 1001 caractères"},
		{"too long, Russian asked for", bot.Question{Text: strings.Repeat("w", 1001), Lang: "ru"}, "Знаков в вопросе: 1001"},
		{"empty, Japanese asked for", bot.Question{Text: "", Lang: "ja"}, "質問が空です"},
		{"invalid utf-8", bot.Question{Text: "min\xe9raux"}, "not valid UTF-8"},
		{"bad language", bot.Question{Text: "minerals", Lang: "de"}, `Unknown language "de": use one of auto, en, fr, ru, ja.`},
		{"mentions only", bot.Question{Text: "<@123456789> <#42>"}, "holds no words"},
		{"emoji only", bot.Question{Text: "🤖🤖🤖"}, "holds no words"},
		{"punctuation only", bot.Question{Text: "?!..."}, "holds no words"},
		{"emoji only, French asked for", bot.Question{Text: "👍", Lang: "fr"}, "ne contient aucun mot"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := b.Answer(context.Background(), tt.q)
			msg, ok := bot.IsInputError(err)
			if !ok || !strings.Contains(msg, tt.want) {
				t.Errorf("err = %v, want an input error containing %q", err, tt.want)
			}
		})
	}
	// Exactly 1,000 characters is accepted.
	if _, err := b.Answer(context.Background(), bot.Question{Text: strings.Repeat("é", 1000)}); err != nil {
		t.Errorf("1,000 characters: %v", err)
	}
}

func TestAnswerExtractive(t *testing.T) {
	b := extractiveBot(t)
	tests := []struct {
		name, q, lang string
		wantChapter   int
		wantLang      string
	}{
		{"english", "What does the declaration say about critical minerals?", "", 4, "en"},
		{"french", "Que dit la déclaration sur l'Afghanistan ?", "", 7, "fr"},
		{"forced french", "nuclear non-proliferation", "fr", 8, "fr"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := b.Answer(context.Background(), bot.Question{Text: tt.q, Lang: tt.lang})
			if err != nil {
				t.Fatal(err)
			}
			if r.Abstained || len(r.Passages) == 0 {
				t.Fatal("abstained")
			}
			p := r.Passages[0]
			if p.Chapter != tt.wantChapter || p.Lang != tt.wantLang || r.Lang != tt.wantLang {
				t.Errorf("first passage %s (%s), reply in %s; want chapter %d in %s", p.ID, p.Lang, r.Lang, tt.wantChapter, tt.wantLang)
			}
			if want := map[string]string{"en": "Ch. ", "fr": "Chap. "}[p.Lang]; !strings.HasPrefix(p.Citation, want) || !strings.Contains(p.Citation, "¶"+p.ID) {
				t.Errorf("citation %q", p.Citation)
			}
			if !strings.Contains(r.Answer, p.Text) || !strings.Contains(r.Answer, p.Citation) {
				t.Error("the answer does not quote the passage with its citation")
			}
			if r.Mode != bot.ModeExtractive || r.Source != "unofficial digest" || len(r.Notes) == 0 {
				t.Errorf("mode %q, source %q, notes %q", r.Mode, r.Source, r.Notes)
			}
		})
	}
}

// TestAnswerOverview: a request for the whole text is answered, in its
// language, by the passages that sum it up, said to sum it up; a question
// on one subject is not an overview.
func TestAnswerOverview(t *testing.T) {
	b := extractiveBot(t)
	for _, tc := range []struct {
		q, lang  string
		overview bool
	}{
		{"tl;dr?", "en", true},
		{"de quoi parle la déclaration ?", "fr", true},
		{"о чём декларация?", "ru", true},
		{"宣言の要点は？", "ja", true},
		{"what does the declaration say about energy?", "en", false},
	} {
		r, err := b.Answer(context.Background(), bot.Question{Text: tc.q})
		if err != nil {
			t.Fatal(err)
		}
		intro := b.Messages().Say(tc.lang, "overview_intro")
		if r.Overview != tc.overview || r.Lang != tc.lang || r.Abstained || len(r.Passages) == 0 {
			t.Errorf("%q: overview %v, lang %s, abstained %v, %d passages; want overview %v in %s", tc.q, r.Overview, r.Lang, r.Abstained, len(r.Passages), tc.overview, tc.lang)
			continue
		}
		if got := strings.HasPrefix(r.Answer, intro); got != tc.overview {
			t.Errorf("%q: answer %q, want the overview's intro: %v", tc.q, r.Answer, tc.overview)
		}
		for _, p := range r.Passages {
			if !strings.Contains(r.Answer, p.Text) || !strings.Contains(r.Answer, p.Citation) {
				t.Errorf("%q: the answer does not quote ¶%s with its citation", tc.q, p.ID)
			}
		}
	}
}

// TestAnswerAbstains: a question the text does not answer quotes nothing
// as its answer. Near the text's subjects the nearest passages are offered
// under the hedge; far from them, nothing is shown.
func TestAnswerAbstains(t *testing.T) {
	b := extractiveBot(t)
	for _, tc := range []struct {
		q       string
		outcome string
	}{
		{"What is the capital of Australia?", bot.OutcomeRelated},
		{"Quelle est la recette de la ratatouille ?", bot.OutcomeNotAddressed},
		{"best ramen near shibuya station?", bot.OutcomeNotAddressed},
		{"What does the declaration say about water?", bot.OutcomeNotAddressed},
		// "world" is in the text, but an everyday word alone relates nothing
		{"who won the football world cup?", bot.OutcomeNotAddressed},
	} {
		r, err := b.Answer(context.Background(), bot.Question{Text: tc.q})
		if err != nil {
			t.Fatal(err)
		}
		if !r.Abstained || len(r.Passages) != 0 || r.Outcome != tc.outcome {
			t.Errorf("%q: outcome %q abstained=%v passages=%d, want %q with no passages", tc.q, r.Outcome, r.Abstained, len(r.Passages), tc.outcome)
		}
		switch r.Outcome {
		case bot.OutcomeRelated:
			if len(r.Related) == 0 || !strings.HasPrefix(r.Answer, b.Messages().Say(r.Lang, "related_hedge")) {
				t.Errorf("%q: related %d, answer %q: want the hedge first, then passages", tc.q, len(r.Related), r.Answer)
			}
		default:
			if len(r.Related) != 0 || strings.Contains(r.Answer, "¶") {
				t.Errorf("%q: related %d, answer %q: want nothing quoted", tc.q, len(r.Related), r.Answer)
			}
		}
	}
}

// TestAnswerCleansChat: the search reads past chat markup and filler, so
// the same question with mentions, emoji, a link, a greeting or thanks
// finds the same passage as without them.
func TestAnswerCleansChat(t *testing.T) {
	b := extractiveBot(t)
	plain, err := b.Answer(context.Background(), bot.Question{Text: "What about Afghanistan?"})
	if err != nil || len(plain.Passages) == 0 {
		t.Fatalf("plain question: %v, %+v", err, plain)
	}
	for _, q := range []string{
		"<@123456789> what about Afghanistan?",
		"<@&987654321> <#55555> what about Afghanistan? <:pepe:123456789012345678>",
		"@everyone hey, what about Afghanistan?",
		"What about Afghanistan, guys?",
		"Afghanistan thanks",
		"what about Afghanistan? https://example.com/a?b=c",
		"```go\nfmt.Println()\n```\nwhat about Afghanistan?",
	} {
		r, err := b.Answer(context.Background(), bot.Question{Text: q})
		if err != nil {
			t.Fatalf("%q: %v", q, err)
		}
		if r.Outcome != bot.OutcomeAnswered || r.Passages[0].ID != plain.Passages[0].ID {
			t.Errorf("%q: outcome %q, passages %v; want ¶%s answered", q, r.Outcome, ids(r.Passages), plain.Passages[0].ID)
		}
		if strings.Contains(r.Question, "<@") || strings.Contains(r.Question, "http") {
			t.Errorf("%q: question echoed as %q, markup kept", q, r.Question)
		}
	}
	if _, err := b.Answer(context.Background(), bot.Question{Text: "<@123> <:x:1>"}); err == nil {
		t.Error("a message of mentions and emoji only: want an input error")
	}
}

func ids(qs []bot.Quote) []string {
	var out []string
	for _, q := range qs {
		out = append(out, q.ID)
	}
	return out
}

func TestFollowUpWithoutModel(t *testing.T) {
	b := extractiveBot(t)
	r, err := b.Answer(context.Background(), bot.Question{Text: "and the supply chains?", History: []string{"What about critical minerals?"}})
	if err != nil {
		t.Fatal(err)
	}
	if r.Abstained || r.Passages[0].Chapter != 4 {
		t.Errorf("follow-up: abstained=%v passages=%v", r.Abstained, r.Passages)
	}
	if r.Question != "and the supply chains?" {
		t.Errorf("question shown = %q, want the user's own", r.Question)
	}
}

func TestCite(t *testing.T) {
	b := extractiveBot(t)
	tests := []struct {
		ref, lang string
		wantIDs   []string
		wantLangs string
	}{
		{"4.2", "en", []string{"4.2"}, "en"},
		{"§4.2", "fr", []string{"4.2"}, "fr"},
		{"ch3", "", []string{"3.1", "3.2", "3.3"}, "en"},
		{"chapitre 3", "all", []string{"3.1", "3.2", "3.3", "3.1", "3.2", "3.3", "3.1", "3.2", "3.3", "3.1", "3.2", "3.3"}, "en en en fr fr fr ru ru ru ja ja ja"},
		// The forms the bot prints and people paste back.
		{"Гл. 3", "ru", []string{"3.1", "3.2", "3.3"}, "ru"},
		{"глава 3", "ru", []string{"3.1", "3.2", "3.3"}, "ru"},
		{"第3章", "ja", []string{"3.1", "3.2", "3.3"}, "ja"},
		{"４．２", "ja", []string{"4.2"}, "ja"},
		{"４", "en", []string{"4.1", "4.2", "4.3", "4.4"}, "en"},
		{"4\u200b.2", "en", []string{"4.2"}, "en"},
		{`Ch. 4 "Green Transition and Resilience", ¶4.2`, "en", []string{"4.2"}, "en"},
		{"Гл. 4 «Зелёный переход и устойчивость», ¶4.2", "ru", []string{"4.2"}, "ru"},
		{"第4章「グリーン移行と強靱性」¶4.2", "ja", []string{"4.2"}, "ja"},
	}
	for _, tt := range tests {
		t.Run(tt.ref+"/"+tt.lang, func(t *testing.T) {
			r, err := b.Cite(tt.ref, tt.lang)
			if err != nil {
				t.Fatal(err)
			}
			var ids, langs []string
			for _, p := range r.Passages {
				ids = append(ids, p.ID)
				langs = append(langs, p.Lang)
			}
			if strings.Join(ids, " ") != strings.Join(tt.wantIDs, " ") || !strings.HasPrefix(strings.Join(langs, " "), tt.wantLangs) {
				t.Errorf("got %v in %v, want %v in %s", ids, langs, tt.wantIDs, tt.wantLangs)
			}
		})
	}
	for _, bad := range []struct{ ref, want string }{
		{"10", "There is no chapter 10: chapters run from 1 to 9"},
		{"4.9", "There is no paragraph 4.9"},
		{"abc", `"abc" is not a reference`},
		{"", "is not a reference"},
		{"глава 12", "There is no chapter 12"},
		{strings.Repeat("4", 100000), "is not a reference"},
	} {
		_, err := b.Cite(bad.ref, "en")
		if msg, ok := bot.IsInputError(err); !ok || !strings.Contains(msg, bad.want) || len(msg) > 300 {
			t.Errorf("Cite(%.40q) = %.300v, want %q in a short sentence", bad.ref, err, bad.want)
		}
	}
}

func TestComplete(t *testing.T) {
	b := extractiveBot(t)
	all := b.Complete("", "en", 25)
	if len(all) != 9 || all[3].Name != "4 Green Transition and Resilience" || all[3].Value != "4" {
		t.Errorf("empty prefix: %v", all)
	}
	four := b.Complete("4", "en", 25)
	if len(four) < 2 || four[0].Value != "4" || four[1].Value != "4.1" {
		t.Errorf(`"4": %v`, four)
	}
	for _, c := range four {
		if len([]rune(c.Name)) > 100 {
			t.Errorf("choice name over Discord's 100 characters: %q", c.Name)
		}
	}
	if got := b.Complete("connect", "en", 25); len(got) != 1 || got[0].Value != "5" {
		t.Errorf(`"connect": %v`, got)
	}
	if got := b.Complete("§4.2", "fr", 25); len(got) != 1 || got[0].Value != "4.2" || !strings.Contains(got[0].Name, "minerais") {
		t.Errorf(`"§4.2" fr: %v`, got)
	}
	if got := b.Complete("", "en", 3); len(got) != 3 {
		t.Errorf("max 3: %d choices", len(got))
	}
}

func TestTranslate(t *testing.T) {
	b := extractiveBot(t)
	r, err := b.Answer(context.Background(), bot.Question{Text: "critical minerals"})
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, p := range r.Passages {
		keys = append(keys, p.AlignKey())
	}
	fr, err := b.Translate(keys, "fr")
	if err != nil {
		t.Fatal(err)
	}
	if len(fr.Passages) != len(r.Passages) {
		t.Fatalf("%d passages in French for %d", len(fr.Passages), len(r.Passages))
	}
	for i, p := range fr.Passages {
		if p.Lang != "fr" || p.ID != r.Passages[i].ID {
			t.Errorf("passage %d: %s in %s, want %s in fr", i, p.ID, p.Lang, r.Passages[i].ID)
		}
	}
	if _, err := b.Translate([]string{"digest/99.1"}, "fr"); err == nil {
		t.Error("unknown key: no error")
	}
}

func TestChaptersAndAbout(t *testing.T) {
	b := extractiveBot(t)
	cs, err := b.Chapters("fr")
	if err != nil {
		t.Fatal(err)
	}
	if len(cs) != 9 || cs[4].Title != "Connectivité" || len(cs[0].IDs) < 3 {
		t.Errorf("chapters: %+v", cs)
	}
	a := b.About("en")
	if a.Kind != "unofficial digest" || a.Passages != 136 || a.Embedder.Name != "hash" || a.Version != "test" || !strings.Contains(a.Notice, "not the official text") {
		t.Errorf("about: %+v", a)
	}
}

// TestSwapUnderLoad swaps the index while questions are answered: every
// question is answered, from one index or the other, without error.
func TestSwapUnderLoad(t *testing.T) {
	b := extractiveBot(t)
	docs, err := corpus.Bundled()
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make(chan error, 400)
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 50 {
				r, err := b.Answer(context.Background(), bot.Question{Text: "critical minerals"})
				if err != nil {
					errs <- err
					return
				}
				if r.Abstained {
					errs <- errorString("abstained during a swap")
				}
			}
		}()
	}
	for range 5 {
		idx, err := retrieval.Build(context.Background(), docs, retrieval.NewHashEmbedder(0))
		if err != nil {
			t.Fatal(err)
		}
		b.SetIndex(idx)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

type errorString string

func (e errorString) Error() string { return string(e) }

func BenchmarkAnswer(b *testing.B) {
	idx := benchIndex(b)
	bt := bot.New(idx, bot.Options{})
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := bt.Answer(ctx, bot.Question{Text: "What does the declaration say about critical minerals?"}); err != nil {
			b.Fatal(err)
		}
	}
}

func benchIndex(b *testing.B) *retrieval.Index {
	docs, err := corpus.Bundled()
	if err != nil {
		b.Fatal(err)
	}
	idx, err := retrieval.Build(context.Background(), docs, retrieval.NewHashEmbedder(0))
	if err != nil {
		b.Fatal(err)
	}
	return idx
}

// TestCiteDocumentWithoutChapters cites a passage of a document that has
// no chapters by its number, and names the document in citations once
// several are indexed.
func TestCiteDocumentWithoutChapters(t *testing.T) {
	docs, err := corpus.Bundled()
	if err != nil {
		t.Fatal(err)
	}
	notes := &corpus.Document{Name: "notes", Title: "Press notes", Lang: "en", Kind: corpus.Other, Chapters: []corpus.Chapter{{
		Number: 0,
		Passages: []corpus.Passage{
			{Doc: "notes", ID: "1", Lang: "en", Text: "The first note says the leaders met in Tokyo."},
			{Doc: "notes", ID: "2", Lang: "en", Text: "The second note mentions the Middle Corridor."},
		},
	}}}
	idx, err := retrieval.Build(context.Background(), append(docs, notes), retrieval.NewHashEmbedder(0))
	if err != nil {
		t.Fatal(err)
	}
	b := bot.New(idx, bot.Options{})
	r, err := b.Cite("notes:2", "en")
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Passages) != 1 || r.Passages[0].ID != "2" || r.Passages[0].Citation != "Press notes, ¶2" {
		t.Errorf("passages %+v", r.Passages)
	}
	r, err = b.Cite("4.2", "en")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(r.Passages[0].Citation, "Tokyo Declaration") {
		t.Errorf("citation %q does not name its document", r.Passages[0].Citation)
	}
	if !strings.Contains(strings.Join(r.Notes, " "), "unofficial digest") {
		t.Errorf("notes %q", r.Notes)
	}
}

// TestSuggestedQuestionsAnswered: the questions the bot suggests in its
// help and prompts are ones the bundled corpus answers.
func TestSuggestedQuestionsAnswered(t *testing.T) {
	b := extractiveBot(t)
	for _, q := range []string{
		"What does the declaration say about critical minerals?",
		"What about Afghanistan?",
		// the summaries the Discord mention hint offers
		"tl;dr", "résumé", "вкратце", "要約して",
	} {
		r, err := b.Answer(context.Background(), bot.Question{Text: q})
		if err != nil || r.Outcome != bot.OutcomeAnswered {
			t.Errorf("%q: outcome %q, err %v: a suggested question must be answered", q, r.Outcome, err)
		}
	}
}

// TestCiteEveryListedID cites every id that Chapters lists for an
// official-style text (an unnumbered preamble, Roman chapters, paragraphs
// numbered through the chapters), as listed, with a paragraph sign and
// with the document's name, and gets that paragraph back; the chapters
// are cited as printed.
func TestCiteEveryListedID(t *testing.T) {
	long := " The leaders reviewed the cooperation of the dialogue and its achievements since the first meeting of foreign ministers."
	text := "Tokyo, 20 December 2025" + long + "\n\nI. Overview\n\n1." + long + "\n\n2." + long +
		"\n\nII. Priority Areas\n\n3." + long + "\n\n4." + long
	d, err := corpus.ParseText("official.en.txt", []byte(text))
	if err != nil {
		t.Fatal(err)
	}
	idx, err := retrieval.Build(context.Background(), []*corpus.Document{d}, retrieval.NewHashEmbedder(0))
	if err != nil {
		t.Fatal(err)
	}
	b := bot.New(idx, bot.Options{})
	chapters, err := b.Chapters("en")
	if err != nil {
		t.Fatal(err)
	}
	var ids, names []string
	for _, c := range chapters {
		ids = append(ids, c.IDs...)
		names = append(names, c.Name())
	}
	if got, want := strings.Join(ids, " "), "0.1 1 2 3 4"; got != want {
		t.Fatalf("Chapters lists %q, want %q", got, want)
	}
	if got, want := strings.Join(names, " "), "0 I II"; got != want {
		t.Fatalf("Chapters names %q, want %q", got, want)
	}
	for _, id := range ids {
		for _, ref := range []string{id, "¶" + id, "official:" + id} {
			t.Run(ref, func(t *testing.T) {
				r, err := b.Cite(ref, "en")
				if err != nil || len(r.Passages) != 1 || r.Passages[0].ID != id {
					t.Fatalf("Cite(%q) = %+v, %v; want paragraph %s", ref, r.Passages, err, id)
				}
			})
		}
	}
	for _, ref := range []string{"II", "ii", "ch. II", "chapter 2", "chapitre II", "official:II"} {
		t.Run(ref, func(t *testing.T) {
			r, err := b.Cite(ref, "en")
			if err != nil || len(r.Passages) != 2 || r.Passages[0].ID != "3" {
				t.Fatalf("Cite(%q) = %+v, %v; want chapter II (paragraphs 3 and 4)", ref, r.Passages, err)
			}
			if got, want := r.Passages[0].Citation, `Ch. II "Priority Areas", ¶3`; got != want {
				t.Errorf("citation %q, want %q", got, want)
			}
			if !strings.HasPrefix(r.Answer, `Ch. II "Priority Areas" [en]`) {
				t.Errorf("answer starts %q, want the chapter as printed", r.Answer)
			}
		})
	}
	_, err = b.Cite("IX", "en")
	if err == nil || !strings.Contains(err.Error(), "chapters run from I to II, paragraphs like 1") {
		t.Errorf("Cite(IX) error %v; want the chapters as printed", err)
	}
	// Autocomplete offers the chapters as printed, and what it sends
	// back cites them.
	choices := b.Complete("", "en", 25)
	if len(choices) != 2 {
		t.Errorf("Complete offers %+v, want the two chapters", choices)
	}
	for _, c := range choices {
		r, err := b.Cite(c.Value, "en")
		if err != nil || len(r.Passages) != 2 || !strings.HasPrefix(c.Name, r.Passages[0].ChapterLabel+" ") {
			t.Errorf("choice %+v cites %+v, %v; want its chapter", c, r.Passages, err)
		}
	}
}
