package bot_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"unicode"

	"github.com/declbot/declbot/bot"
	"github.com/declbot/declbot/bot/messages"
	"github.com/declbot/declbot/corpus"
	"github.com/declbot/declbot/corpus/lang"
	"github.com/declbot/declbot/retrieval"
)

// chapterDoc builds a one-chapter document in code from paragraphs 1.1,
// 1.2 and so on.
func chapterDoc(name, code, title string, kind corpus.Kind, paras ...string) *corpus.Document {
	d := &corpus.Document{Name: name, Title: title, Lang: code, Kind: kind, Path: name + "." + code}
	d.Chapters = []corpus.Chapter{{Number: 1, Title: title}}
	for i, p := range paras {
		d.Chapters[0].Passages = append(d.Chapters[0].Passages, corpus.Passage{
			Doc: name, ID: "1." + string(rune('1'+i)), Chapter: 1, ChapterTitle: title, Lang: code, Text: p,
		})
	}
	return d
}

// greekMessages is a toy catalogue: a few sentences, the rest said in
// English.
const greekMessages = `
answer_intro: "Να τι λέει το κείμενο:"
not_addressed: Η διακήρυξη δεν φαίνεται να αναφέρεται σε αυτό το ερώτημα.
note_source: "Πηγή: {sources}."
kind_other: καταχωρισμένο έγγραφο
`

// TestToyLanguage registers a fifth language, as a maintainer would: one
// entry of the language table and one catalogue, and nothing else. A
// question in it is answered in it, with its own words around the quotes;
// what its catalogue lacks is said in English.
func TestToyLanguage(t *testing.T) {
	tab := lang.Default()
	if err := tab.Add(lang.Language{
		Code: "el", Name: "Ελληνικά", EnglishName: "Greek",
		Script:    []*unicode.RangeTable{unicode.Greek},
		Stopwords: "και το η τα στο στη για την της",
		Framing:   "τι λέει",
	}); err != nil {
		t.Fatal(err)
	}
	msgs := messages.Default()
	if err := msgs.Add("el", []byte(greekMessages)); err != nil {
		t.Fatal(err)
	}
	doc := chapterDoc("synergasia", "el", "Συνεργασία", corpus.Other,
		"Οι ηγέτες συζήτησαν την κατάσταση στο Αφγανιστάν.",
		"Η Ιαπωνία θα στηρίξει τα κρίσιμα ορυκτά της περιοχής.")
	idx, err := retrieval.Build(context.Background(), []*corpus.Document{doc}, retrieval.NewHashEmbedder(0), retrieval.WithLanguages(tab))
	if err != nil {
		t.Fatal(err)
	}
	b := bot.New(idx, bot.Options{Messages: msgs})

	r, err := b.Answer(context.Background(), bot.Question{Text: "Τι λέει για το Αφγανιστάν;"})
	if err != nil {
		t.Fatal(err)
	}
	if r.Lang != "el" || len(r.Passages) == 0 || r.Passages[0].ID != "1.1" {
		t.Fatalf("reply in %q quoting %v, want Greek quoting 1.1", r.Lang, r.Passages)
	}
	if !strings.HasPrefix(r.Answer, "Να τι λέει το κείμενο:") {
		t.Errorf("answer %q, want it introduced in Greek", r.Answer)
	}
	if want := []string{"Πηγή: καταχωρισμένο έγγραφο."}; !slices.Equal(r.Notes, want) {
		t.Errorf("notes %q, want %q", r.Notes, want)
	}
	if !slices.Equal(r.Versions, []string{"el"}) {
		t.Errorf("versions %v, want [el]", r.Versions)
	}

	none, err := b.Answer(context.Background(), bot.Question{Text: "Τι λέει για τη μουσική;", Lang: "el"})
	if err != nil {
		t.Fatal(err)
	}
	if none.Answer != "Η διακήρυξη δεν φαίνεται να αναφέρεται σε αυτό το ερώτημα." {
		t.Errorf("not addressed: %q, want the Greek sentence", none.Answer)
	}

	// A sentence the toy catalogue lacks falls back to English.
	_, err = b.Answer(context.Background(), bot.Question{Text: "", Lang: "el"})
	if msg, _ := bot.IsInputError(err); !strings.Contains(msg, "The question is empty") {
		t.Errorf("empty question: %v, want the English sentence", err)
	}
	if got := b.Languages().All(); len(got) != 5 || got[4].Name != "Ελληνικά" {
		t.Errorf("languages %v, want the table's five", got)
	}
}

// TestSourceNoteInReadersLanguage asks the same aligned digest in Russian
// and Japanese: the reply is framed, and its source noted, in the
// question's language, and it lists the languages its passage exists in.
func TestSourceNoteInReadersLanguage(t *testing.T) {
	docs := []*corpus.Document{
		chapterDoc("digest", "en", "Cooperation", corpus.Digest,
			"The leaders discussed the situation in Afghanistan.", "Japan will support critical minerals."),
		chapterDoc("digest", "ru", "Сотрудничество", corpus.Digest,
			"Лидеры обсудили положение в Афганистане.", "Япония поддержит критически важные минералы."),
		chapterDoc("digest", "ja", "協力", corpus.Digest,
			"首脳はアフガニスタン情勢について議論した。", "日本は重要鉱物を支援する。"),
	}
	idx, err := retrieval.Build(context.Background(), docs, retrieval.NewHashEmbedder(0))
	if err != nil {
		t.Fatal(err)
	}
	b := bot.New(idx, bot.Options{})
	for _, tc := range []struct {
		name, q, lang, intro, note string
	}{
		{"russian", "Что говорится об Афганистане?", "ru", "Вот что говорится в тексте:", "Источник: неофициальное изложение"},
		{"japanese", "アフガニスタンについて何と言っていますか", "ja", "本文には次のように書かれています。", "出典：公開されている要約"},
		{"english", "What about Afghanistan?", "en", "Here is what the text says:", "Source: an unofficial digest"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, err := b.Answer(context.Background(), bot.Question{Text: tc.q})
			if err != nil {
				t.Fatal(err)
			}
			if r.Lang != tc.lang || !strings.HasPrefix(r.Answer, tc.intro) {
				t.Errorf("reply in %q: %q, want %s introduced by %q", r.Lang, r.Answer, tc.lang, tc.intro)
			}
			if len(r.Notes) != 1 || !strings.HasPrefix(r.Notes[0], tc.note) {
				t.Errorf("notes %q, want one starting %q", r.Notes, tc.note)
			}
			if !slices.Equal(r.Versions, []string{"en", "ru", "ja"}) {
				t.Errorf("versions %v, want [en ru ja] (no French version is indexed)", r.Versions)
			}
		})
	}
	tr, err := b.Translate([]string{"digest/1.1"}, "ja")
	if err != nil || tr.Lang != "ja" || !strings.HasPrefix(tr.Notes[0], "出典：") {
		t.Errorf("Translate to ja: %+v, %v; want the Japanese passage and note", tr, err)
	}
	if _, err := b.Translate([]string{"digest/1.1"}, "fr"); err == nil {
		t.Error("Translate to fr, which the index lacks: no error")
	}
	if _, err := b.Translate([]string{"digest/1.1"}, "xx"); err == nil {
		t.Error("Translate to xx: no error")
	}
}
