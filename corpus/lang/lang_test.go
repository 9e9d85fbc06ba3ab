package lang

import (
	"slices"
	"testing"
)

func TestDefaultTable(t *testing.T) {
	tab := Default()
	want := []string{English, French, Russian, Japanese}
	got := tab.Codes()
	if len(got) != len(want) {
		t.Fatalf("codes %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("codes %v, want %v", got, want)
		}
	}
	if tab.Fallback().Code != English {
		t.Errorf("fallback %q, want en", tab.Fallback().Code)
	}
}

func TestAdd(t *testing.T) {
	for _, tc := range []struct {
		name string
		l    Language
		ok   bool
	}{
		{"toy language", Language{Code: "tx", Name: "Toy"}, true},
		{"duplicate", Language{Code: "en", Name: "Again"}, false},
		{"upper-case code", Language{Code: "EN", Name: "x"}, false},
		{"long code", Language{Code: "eng", Name: "x"}, false},
		{"no name", Language{Code: "zz"}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tab := Default()
			err := tab.Add(tc.l)
			if (err == nil) != tc.ok {
				t.Fatalf("Add(%+v) = %v, want ok %v", tc.l, err, tc.ok)
			}
			if _, found := tab.Get(tc.l.Code); tc.ok && !found {
				t.Errorf("%q not found after Add", tc.l.Code)
			}
		})
	}
}

func TestIsVerbForm(t *testing.T) {
	tab := Default()
	for _, tc := range []struct {
		w, code string
		want    bool
	}{
		{"приезжал", Russian, true},
		{"отправили", Russian, true},
		{"собираются", Russian, true},
		{"успели", Russian, true}, // past of an -еть verb
		{"хотела", Russian, true},
		{"погода", Russian, false},
		{"стипендии", Russian, false},
		{"был", Russian, false},       // too short a stem to tell
		{"travelled", English, false}, // English declares no endings
		{"приезжал", Japanese, false},
	} {
		if got := tab.IsVerbForm(tc.w, tc.code); got != tc.want {
			t.Errorf("IsVerbForm(%q, %s) = %v, want %v", tc.w, tc.code, got, tc.want)
		}
	}
}

func TestIsFramingIn(t *testing.T) {
	tab := Default()
	for _, tc := range []struct {
		w, code string
		want    bool
	}{
		{"упоминаются", Russian, true}, // the list has "упоминается"
		{"документах", Russian, true},
		{"переговоров", Russian, false},
		{"what", English, true},
		{"telling", English, false},     // English spells its forms out ("tell" is listed)
		{"упоминаются", English, false}, // another language's forms need its stemmer
	} {
		if got := tab.IsFramingIn(tc.w, tc.code); got != tc.want {
			t.Errorf("IsFramingIn(%q, %s) = %v, want %v", tc.w, tc.code, got, tc.want)
		}
	}
}

func TestIsOverview(t *testing.T) {
	tab := Default()
	for _, tc := range []struct {
		w, code string
		want    bool
	}{
		{"tldr", English, true},
		{"tldr", French, true}, // chat mixes languages ("tldr stp")
		{"resume", French, true},
		{"декларации", Russian, true}, // the list has "декларация"
		{"вкратце", Russian, true},
		{"要約", Japanese, true},
		{"parties", English, false},
		{"what", English, false},
		{"energy", English, false},
		{"декларации", English, false}, // another language's forms need its stemmer
	} {
		if got := tab.IsOverview(tc.w, tc.code); got != tc.want {
			t.Errorf("IsOverview(%q, %s) = %v, want %v", tc.w, tc.code, got, tc.want)
		}
		if tc.want && !tab.IsFramingIn(tc.w, tc.code) {
			t.Errorf("%q asks for an overview but does not frame in %s", tc.w, tc.code)
		}
	}
	// Words that name the text ask for it alone, not after context.
	for w, want := range map[string]bool{"tldr": true, "summary": true, "declaration": false, "say": false} {
		if got := tab.IsSummary(w, English); got != want {
			t.Errorf("IsSummary(%q) = %v, want %v", w, got, want)
		}
	}
	for _, tc := range []struct {
		w, code string
		want    bool
	}{{"when", English, true}, {"quand", French, true}, {"когда", Russian, true}, {"いつ", Japanese, true}, {"what", English, false}} {
		if got := tab.IsPointed(tc.w, tc.code); got != tc.want {
			t.Errorf("IsPointed(%q, %s) = %v, want %v", tc.w, tc.code, got, tc.want)
		}
	}
}

// TestIsChat: greetings, thanks and the typed shapes of grammar words
// ("yaura" for il y aura, "jsuis" for je suis) are chat in any language;
// words that carry a subject are not.
func TestIsChat(t *testing.T) {
	tab := Default()
	for w, want := range map[string]bool{
		"thx": true, "stp": true, "спс": true, "yaura": true, "jsuis": true,
		"sommet": false, "summit": false, "aura": false,
	} {
		if got := tab.IsChat(w); got != want {
			t.Errorf("IsChat(%q) = %v, want %v", w, got, want)
		}
	}
}

func TestClauses(t *testing.T) {
	tab := Default()
	for _, tc := range []struct {
		sentence, code string
		want           []string
	}{
		{"ニュースで見たんだけど、防災について書いてある？", Japanese, []string{"ニュースで見たんだけど、", "防災について書いてある？"}},
		{"授業で習いましたが、枠組みはいつから？", Japanese, []string{"授業で習いましたが、", "枠組みはいつから？"}},
		{"防災について書いてある？", Japanese, []string{"防災について書いてある？"}},
		{"書いてあるけど、", Japanese, []string{"書いてあるけど、"}}, // nothing after it
		{"I saw it on the news, but is there anything on floods?", English, []string{"I saw it on the news, but is there anything on floods?"}},
	} {
		if got := tab.Clauses(tc.sentence, tc.code); !slices.Equal(got, tc.want) {
			t.Errorf("Clauses(%q) = %q, want %q", tc.sentence, got, tc.want)
		}
	}
}

func TestIsNegation(t *testing.T) {
	tab := Default()
	for _, tc := range []struct {
		w, code string
		want    bool
	}{
		{"not", English, true},
		{"t", English, true}, // what is left of don't, can't
		{"without", English, true},
		{"ban", English, true},
		{"banned", English, false}, // a form the list does not spell out: by its stem
		{"want", English, false},
		{"pas", French, true},
		{"jamais", French, true},
		{"sans", French, true},
		{"rejettent", French, true},
		{"pas", English, false}, // another language's word
		{"не", Russian, true},
		{"без", Russian, true},
		{"никогда", Russian, true},
		{"хотят", Russian, false},
		{"ていない", Japanese, true}, // an ending inside a run
		{"ありません", Japanese, true},
		{"せずに", Japanese, true},
		{"まず", Japanese, false}, // "first", not a negation
		{"禁止", Japanese, true},
		{"拒否", Japanese, true},
		{"強化", Japanese, false},
	} {
		if got := tab.IsNegation(tc.w, tc.code); got != tc.want {
			t.Errorf("IsNegation(%q, %s) = %v, want %v", tc.w, tc.code, got, tc.want)
		}
	}
	for _, tc := range []struct {
		w, code string
		want    bool
	}{
		{"banned", English, true},
		{"rejected", English, true},
		{"opposes", English, true},
		{"denied", English, true},
		{"minerals", English, false},
		{"refuse", French, true},
		{"interdite", French, true},
		{"отвергают", Russian, true},
		{"запрещены", Russian, true},
		{"укреплять", Russian, false},
	} {
		if got := tab.IsNegationStem(tab.Stem(tc.w, tc.code), tc.code); got != tc.want {
			t.Errorf("IsNegationStem(Stem(%q), %s) = %v, want %v", tc.w, tc.code, got, tc.want)
		}
	}
}

func TestOpensQuestion(t *testing.T) {
	tab := Default()
	for _, tc := range []struct {
		sentence, code string
		want           bool
	}{
		{"which firm builds it", English, true},
		{"anything on nukes", English, true}, // chat asks with "any" and no mark
		{"any news on the railway", English, true},
		{"ok so whats the plan", English, true}, // chat and a connective skipped
		{"is japan pushing them", English, true},
		{"tell me about the priorities", English, true}, // a request
		{"my dad works in logistics", English, false},
		{"she is a violinist", English, false}, // an auxiliary counts first only
		{"there is a festival", English, false},
		{"i do freight for a living", English, false},
		{"in any case my sister plays", English, false},
		{"when i was in tokyo it rained", English, false}, // opens a clause too
		{"when did it actually start", English, true},     // but not with the verb next
		{"and when was the first meeting", English, true},
		{"can't find anything on it", English, false}, // a negation after it
		{"c koi linitiative", French, true},
		{"est-ce que le texte en parle", French, true},
		{"et combien pour le kazakhstan", French, true},
		{"c'est pour ma soeur", French, false},
		{"elle est violoniste", French, false},
		{"mon pere qui est routier", French, false}, // a relative, not first
		{"а сколько денег", Russian, true},
		{"будет ли саммит", Russian, true}, // ли wherever it stands
		{"расскажи про стипендии", Russian, true},
		{"моя сестра учится", Russian, false},
		{"так как сестра скрипачка", Russian, false},
		{"когда я училась в самарканде", Russian, false},
		{"what about it", Japanese, false}, // no openers declared
		{"", English, false},
	} {
		words := tab.Tokens(Fold(tc.sentence))
		if got := tab.OpensQuestion(words, tc.code); got != tc.want {
			t.Errorf("OpensQuestion(%q, %s) = %v, want %v", words, tc.code, got, tc.want)
		}
	}
}

func TestAsks(t *testing.T) {
	tab := Default()
	for _, tc := range []struct {
		sentence, code string
		want           bool
	}{
		{"anything on minerals?", English, true},
		{"anything on minerals？", English, true}, // full width
		{"which firm builds it", English, true},
		{"anything on nukes", English, true}, // chat asks with "any" and no mark
		{"any news on the railway", English, true},
		{"my uncle runs a company.", English, false},
		{"最初の会合の場所も知りたい", Japanese, true}, // a request
		{"重点分野を教えて。", Japanese, true},     // a request, stop or not
		{"いつ始まったの", Japanese, true},
		{"そうなの。", Japanese, false}, // a particle before a stop explains
		{"ゼミで使うもの", Japanese, false},
		{"奨学金とか", Japanese, false},
		{"ゼミの発表で使うんだけど。", Japanese, false},
		{"いつ始まったの？", Japanese, true},
		{"", English, false},
	} {
		if got := tab.Asks(tc.sentence, tc.code); got != tc.want {
			t.Errorf("Asks(%q, %s) = %v, want %v", tc.sentence, tc.code, got, tc.want)
		}
	}
}

func TestSubjects(t *testing.T) {
	tab := Default()
	for _, tc := range []struct {
		text, code string
		want       []string
	}{
		{"what did they agree on about water", English, []string{"water"}},
		{"anything regarding the railways and about money", English, []string{"railways", "money"}},
		{"about 3 trillion yen", English, nil}, // an amount, not a subject
		{"what is it about", English, nil},
		{"ils disent quoi sur l'eau", French, []string{"eau"}},
		{"что там про воду", Russian, []string{"воду"}},
		{"水について何か合意した", Japanese, []string{"水"}}, // the marker follows its noun
	} {
		got := tab.Subjects(tab.Tokens(Fold(tc.text)), tc.code)
		if len(got) != len(tc.want) {
			t.Errorf("Subjects(%q) = %v, want %v", tc.text, got, tc.want)
			continue
		}
		for _, w := range tc.want {
			if !got[w] {
				t.Errorf("Subjects(%q) = %v, want %v", tc.text, got, tc.want)
			}
		}
	}
}

func TestNumbers(t *testing.T) {
	tab := Default()
	for _, tc := range []struct {
		text, code          string
		amount, date, holds bool
	}{
		{"how many scholarships?", English, true, false, false},
		{"How much will Japan invest", English, true, false, false},
		{"when is the next summit", English, false, true, false},
		{"what did they say about scholarships", English, false, false, false},
		{"many thanks, how are you", English, false, false, false}, // "how" and "many" apart
		{"about three trillion yen", English, false, false, true},
		{"in billions of dollars", English, false, false, true},
		{"the summit of 20 December", English, false, false, true},
		{"ça coûte combien ?", French, true, false, false},
		{"c'était quand ?", French, false, true, false},
		{"quelques milliards", French, false, false, true},
		{"сколько стипендий?", Russian, true, false, false},
		{"когда следующий саммит", Russian, false, true, false},
		{"около трёх триллионов иен", Russian, false, false, true},
		{"3 трлн иен", Russian, false, false, true},
		{"留学生は何人？", Japanese, true, false, false},
		{"投資はいくらですか", Japanese, true, false, false},
		{"次のサミットはいつ？", Japanese, false, true, false},
		{"三つの重点分野", Japanese, false, false, true},
		{"十分な協力", Japanese, false, false, false}, // 十分, enough, is not ten
	} {
		if amount, date := tab.AsksNumber(tc.text, tc.code); amount != tc.amount || date != tc.date {
			t.Errorf("AsksNumber(%q, %s) = %v, %v; want %v, %v", tc.text, tc.code, amount, date, tc.amount, tc.date)
		}
		if got := tab.HoldsNumber(tc.text, tc.code); got != tc.holds {
			t.Errorf("HoldsNumber(%q, %s) = %v, want %v", tc.text, tc.code, got, tc.holds)
		}
	}
}
