package lang

import (
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

func TestFold(t *testing.T) {
	for _, tc := range []struct{ name, in, want string }{
		{"french accents", "Développement", "developpement"},
		{"capitals", "DÉCLARATION", "declaration"},
		{"typographic apostrophe", "l’Asie", "l'asie"},
		{"ligature", "cœur", "coeur"},
		{"decomposed accent", "e\u0301te\u0301", "ete"},
		{"yo is ye", "Ёлка всё", "елка все"},
		{"short i stays", "Кыргызстан и Казахстан, край", "кыргызстан и казахстан, край"},
		{"full-width latin and digits", "ＡＩと１２３", "aiと123"},
		{"half-width katakana", "ｱﾌｶﾞﾆｽﾀﾝ", "アフガニスタン"},
		{"dakuten kept", "ガス が", "ガス が"},
		{"decomposed dakuten composed", "か\u3099", "が"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := Fold(tc.in); got != tc.want {
				t.Errorf("Fold(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestTokens(t *testing.T) {
	tab := Default()
	for _, tc := range []struct {
		name, in string
		want     []string
	}{
		{"french elision", "l'accord d'asie qu'il", []string{"accord", "asie", "il"}},
		{"possessive", "japan's partners", []string{"japan", "partners"}},
		{"hyphen splits", "asie-japon", []string{"asie", "japon"}},
		{"decimal", "paragraph 4.2", []string{"paragraph", "4.2"}},
		{"russian", "что говорится об афганистане?", []string{"что", "говорится", "об", "афганистане"}},
		{"kanji pairs", "重要鉱物", []string{"重要", "要鉱", "鉱物"}},
		{"katakana word, kana grammar", "アフガニスタンについて", []string{"アフガニスタン", "について"}},
		{"single kanji", "何と言っていますか", []string{"何", "と", "言", "っていますか"}},
		{"digits and kanji", "3兆円の投資", []string{"3", "兆円", "の", "投資"}},
		{"long vowel mark", "エネルギー安全保障", []string{"エネルギー", "安全", "全保", "保障"}},
		{"latin inside japanese", "aiについて", []string{"ai", "について"}},
		{"katakana compound", "ミドル・コリドー", []string{"ミドル", "コリドー", "ミドルコリドー"}},
		{"katakana name", "カシム＝ジョマルト・トカエフ大統領", []string{"カシム", "ジョマルト", "カシムジョマルト", "トカエフ", "カシムジョマルトトカエフ", "大統", "統領"}},
		{"middle dot between kanji", "保健・医療", []string{"保健", "医療"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := tab.Tokens(Fold(tc.in)); !slices.Equal(got, tc.want) {
				t.Errorf("Tokens(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestStopAndStem(t *testing.T) {
	tab := Default()
	for _, tc := range []struct {
		name, word, code string
		stop             bool
		stem             string
	}{
		{"english stopword", "the", English, true, "the"},
		{"english stem", "minerals", English, false, "miner"},
		{"french stem", "developpement", French, false, "developp"},
		{"russian stopword", "что", Russian, true, "что"},
		{"russian stem", "афганистане", Russian, false, "афганистан"},
		{"russian folded stem", "минералов", Russian, false, "минерал"},
		{"hiragana is grammar", "について", Japanese, true, "について"},
		{"kanji pair kept whole", "鉱物", Japanese, false, "鉱物"},
		{"katakana has no stemmer", "エネルギー", Japanese, false, "エネルギー"},
		{"stray letter", "a", French, true, "a"},
		{"number", "2025", English, false, "2025"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := tab.IsStop(tc.word, tc.code); got != tc.stop {
				t.Errorf("IsStop(%q, %s) = %v, want %v", tc.word, tc.code, got, tc.stop)
			}
			if got := tab.Stem(tc.word, tc.code); got != tc.stem {
				t.Errorf("Stem(%q, %s) = %q, want %q", tc.word, tc.code, got, tc.stem)
			}
		})
	}
}

func TestDetect(t *testing.T) {
	tab := Default()
	for _, tc := range []struct {
		name, in, want string
		sure           bool
	}{
		{"english", "What does the declaration say about critical minerals?", English, true},
		{"french", "Que dit la déclaration sur les minéraux critiques ?", French, true},
		{"french inversion", "Quand le sommet a-t-il eu lieu ?", French, true},
		{"french without accents", "securite alimentaire et energie dans le texte", French, true},
		{"terse french", "climat", French, true},
		{"terse french 2", "argent", French, true},
		// chat tells the language only where the words cannot
		{"english chat", "tldr pls", English, true},
		{"french chat", "résumé stp", French, true},
		{"french word, english chat", "argent lol", French, true},
		{"a request to cite", "cite 7", English, true},
		{"a request to cite, in French", "cite le ¶4.2", French, true},
		{"russian", "Что говорится об Афганистане?", Russian, true},
		{"russian with a latin name", "а что там про Afghanistan?", Russian, true},
		{"japanese", "アフガニスタンについて何と言っていますか", Japanese, true},
		{"kanji only", "重要鉱物", Japanese, true},
		{"japanese with latin", "AIについて", Japanese, true},
		{"english naming tokyo in kanji", "What does the word 東京 mean in this declaration?", English, true},
		{"a name says nothing", "Kyrgyzstan", English, false},
		{"an acronym is not french", "AI", English, false},
		{"nor is an abbreviation", "ch. IV", English, false},
		{"nor is it in a sentence", "what about AI?", English, true},
		{"french around an acronym", "et l'IA dans la déclaration ?", French, true},
		{"french in capitals", "J'AI UNE QUESTION SUR LE CLIMAT", French, true},
		{"nothing", "", English, false},
		{"punctuation", "?!", English, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, sure := tab.Guess(tc.in)
			if got != tc.want || sure != tc.sure {
				t.Errorf("Guess(%q) = %s, %v; want %s, %v", tc.in, got, sure, tc.want, tc.sure)
			}
		})
	}
}

func TestWriting(t *testing.T) {
	tab := Default()
	for _, tc := range []struct {
		in   string
		want []string
	}{
		{"mines", []string{English, French}},
		{"ии", []string{Russian}},
		{"人工知能", []string{Japanese}},
		{"2025", []string{English, French}},
	} {
		if got := tab.Writing(tc.in); !slices.Equal(got, tc.want) {
			t.Errorf("Writing(%q) = %v, want %v", tc.in, got, tc.want)
		}
	}
}

// TestEverydayListsFolded checks that every word of the everyday lists is
// written as Fold writes it, since the lists are read without folding.
func TestEverydayListsFolded(t *testing.T) {
	for _, l := range Default().langs {
		r := &langRanks{list: l.Everyday}
		n := 0
		for w := range r.words() {
			if n++; Fold(w) != w {
				t.Errorf("%s: everyday word %q is not folded (%q)", l.Code, w, Fold(w))
			}
		}
		if n < 5000 {
			t.Errorf("%s: %d everyday words, want a ranked list of thousands", l.Code, n)
		}
	}
}

func TestTopicality(t *testing.T) {
	tab := Default()
	for _, tc := range []struct {
		word     string
		min, max float64
	}{
		{"gonna", 0, 0}, // everyday English
		{"merci", 0, 0}, // everyday French
		{"wich", 0, 0},  // a slip of "which"
		{"pipeline", 0.5, 1},
		{"aral", 1, 1},          // in no list
		{"2010", 1, 1},          // a number
		{"сейчас", 0, 0},        // everyday Russian
		{"погода", 0.5, 0.95},   // a word of everyday talk, not of its commonest
		{"афганистан", 1, 1},    // in no list
		{"говорившими", 0, 0},   // unlisted, but its family ("говорил") is everyday
		{"rappeles", 0.1, 0.5},  // unlisted; "rappelle" is common
		{"天気", 0.5, 0.95},       // ranked Japanese: two kanji
		{"協力", 0, 0.4},          // everyday in subtitles too
		{"declaration", 0.5, 1}, // Latin script: the ranked lists tell
	} {
		if got := tab.Topicality(tc.word); got < tc.min || got > tc.max {
			t.Errorf("Topicality(%q) = %.2f, want within [%.2f, %.2f]", tc.word, got, tc.min, tc.max)
		}
	}
}

// TestToyLanguage registers a fifth language in a table of its own, told
// by its script and stemmed by its own rule, to show that a language is
// one entry.
func TestListed(t *testing.T) {
	tab := Default()
	for _, tc := range []struct {
		w    string
		want bool
	}{{"прошел", true}, {"which", true}, {"wich", false}, {"afganistan", false}, {"天気", true}, {"climat", true}} {
		if got := tab.Listed(tc.w); got != tc.want {
			t.Errorf("Listed(%q) = %v, want %v", tc.w, got, tc.want)
		}
	}
}

func TestUnelided(t *testing.T) {
	tab := Default()
	for _, tc := range []struct {
		w, code, want string
		ok            bool
	}{
		{"linitiative", French, "initiative", true},
		{"quil", French, "il", true},      // the longest clitic first: "qu", not none
		{"jusqua", French, "usqua", true}, // "a" is too short to be left by "jusqu": the caller judges "usqua"
		{"lo", French, "", false},         // one letter would be left
		{"snow", English, "", false},
		{"linitiative", Russian, "", false},
	} {
		got, ok := tab.Unelided(tc.w, tc.code)
		if got != tc.want && tc.ok || ok != tc.ok {
			t.Errorf("Unelided(%q, %s) = %q, %v; want %q, %v", tc.w, tc.code, got, ok, tc.want, tc.ok)
		}
	}
}

func TestToyLanguage(t *testing.T) {
	tab := Default()
	toy := Language{
		Code: "el", Name: "Ελληνικά", EnglishName: "Greek",
		Script:    []*unicode.RangeTable{unicode.Greek},
		Stem:      func(w string) string { return strings.TrimSuffix(w, "ς") },
		Stopwords: "και το η",
		Framing:   "τι λέει",
	}
	if err := tab.Add(toy); err != nil {
		t.Fatal(err)
	}
	if got := tab.Detect("Τι λέει για το Αφγανιστάν;"); got != "el" {
		t.Errorf("Detect = %q, want el", got)
	}
	if !tab.IsStop("και", "el") || !tab.IsFraming(Fold("λέει")) {
		t.Error("the toy language's lists are not read")
	}
	if got := tab.Stem("ενεργειας", "el"); got != "ενεργεια" {
		t.Errorf("Stem = %q, want the toy stemmer's ενεργεια", got)
	}
	if got := Default().Detect("Τι λέει για το Αφγανιστάν;"); got == "el" {
		t.Error("a new table knows the toy language: tables are not independent")
	}
}

func TestUnfolded(t *testing.T) {
	for _, tc := range []struct {
		s, span string // span: what Fold(s) holds at the asked bytes
		want    string
		ok      bool
	}{
		{"Show CHAPTER 0 please", "chapter 0", "CHAPTER 0", true},
		{"Montre le Chapitre ０", "chapitre 0", "Chapitre ０", true},
		{"第０章を見せて", "第0章", "第０章", true},
		{"Développement", "developpement", "Développement", true},
	} {
		folded := Fold(tc.s)
		start := strings.Index(folded, tc.span)
		if start < 0 {
			t.Fatalf("Fold(%q) = %q holds no %q", tc.s, folded, tc.span)
		}
		got, ok := Unfolded(tc.s, start, start+len(tc.span))
		if got != tc.want || ok != tc.ok {
			t.Errorf("Unfolded(%q, %q) = %q, %v; want %q, %v", tc.s, tc.span, got, ok, tc.want, tc.ok)
		}
	}
	if _, ok := Unfolded("œuvre", 1, 3); ok { // inside the "oe" of œ
		t.Error("a span that cuts a folded letter in two was unfolded")
	}
}

func FuzzTokens(f *testing.F) {
	for _, s := range []string{"l'accord", "重要鉱物について", "ｱﾌｶﾞﾆｽﾀﾝ", "Ёлка", "4.2", "e\u0301", "ーー", "a'", "ミドル・コリドー", "カシム＝ジョマルト・トカエフ", "・ア"} {
		f.Add(s)
	}
	tab := Default()
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) {
			return
		}
		folded := Fold(s)
		if !utf8.ValidString(folded) {
			t.Fatalf("Fold(%q) is not valid UTF-8", s)
		}
		if again := Fold(folded); again != folded {
			t.Fatalf("Fold is not idempotent: %q -> %q -> %q", s, folded, again)
		}
		for _, w := range tab.Tokens(folded) {
			if w == "" || strings.ContainsFunc(w, unicode.IsSpace) {
				t.Fatalf("Tokens(%q) gave %q", folded, w)
			}
		}
		tab.Detect(s)
		for _, code := range tab.Codes() {
			tab.Asks(s, code)
			if !tab.Asks(s+"?", code) {
				t.Fatalf("Asks(%q) is false with a question mark", s+"?")
			}
			tab.AsksNumber(s, code)
			if !tab.HoldsNumber(s+" 7", code) {
				t.Fatalf("HoldsNumber(%q) is false with a digit", s+" 7")
			}
			words := tab.Tokens(folded)
			for w := range tab.Subjects(words, code) {
				if !slices.Contains(words, w) {
					t.Fatalf("Subjects(%q) gave %q, not one of its words", words, w)
				}
			}
		}
	})
}
