package retrieval

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/goccy/go-yaml"
)

// TestLexiconLint keeps lexicon.yaml a description of the subject rather
// than a list of answers: an entry may say that people who write "money"
// mean investment, not that a question about the host gets the host's name.
// An `add` word must not be a number or a date, a name the corpus writes
// only with a capital (a person, a place, an initiative; unless the phrase
// spells out an abbreviation the entry is triggered by, "UN" for "United
// Nations"), or an answer word (one the corpus only ever writes inside
// quotation marks, the text's own phrasing of a point, as "catalyst");
// a trigger must not repeat another or be unable to fire; an `add` term
// must exist in the corpus.
func TestLexiconLint(t *testing.T) {
	var raw []struct {
		When []string `yaml:"when"`
		Add  []string `yaml:"add"`
	}
	if err := yaml.Unmarshal(lexiconYAML, &raw); err != nil {
		t.Fatal(err)
	}
	ix := bundledIndex(t)
	names := corpusNames(ix)
	quoted, unquoted := map[string]bool{}, map[string]bool{}
	quote := regexp.MustCompile(`"[^"]*"|“[^”]*”|«[^»]*»`)
	for _, p := range ix.passages {
		for _, q := range quote.FindAllString(p.Text, -1) {
			for _, st := range Terms(q, p.Lang) {
				quoted[st] = true
			}
		}
		for _, st := range Terms(quote.ReplaceAllString(p.Text, " "), p.Lang) {
			unquoted[st] = true
		}
	}
	digits := regexp.MustCompile(`[0-9]`)
	months := regexp.MustCompile(`(?i)\b(january|february|march|april|may|june|july|august|september|october|november|december|janvier|fevrier|février|mars|avril|mai|juin|juillet|aout|août|septembre|octobre|novembre|decembre|décembre)\b|январ|феврал|март|апрел|(^|[^а-яё])ма[йя]([^а-яё]|$)|июн|июл|август|сентябр|октябр|ноябр|декабр|[0-9０-９一二三四五六七八九十]+[年月日]`)
	triggers := map[string]int{}
	var problems []string
	fail := func(i int, format string, args ...any) {
		problems = append(problems, fmt.Sprintf("entry %d (%s): %s", i+1, strings.Join(raw[i].When, ", "), fmt.Sprintf(format, args...)))
	}
	for i, e := range raw {
		for _, a := range e.Add {
			switch {
			case digits.MatchString(a):
				fail(i, "add %q holds a number", a)
			case months.MatchString(a):
				fail(i, "add %q holds a date", a)
			}
			// An added term is read in every language written in its
			// script, as the lexicon reads it.
			addLangs := defaultLangs().Writing(a)
			for _, lang := range addLangs {
				for _, st := range Terms(a, lang) {
					if names[st] && !spellsOut(a, e.When) {
						fail(i, "add %q holds %q, a name the corpus writes only with a capital", a, st)
					}
					if quoted[st] && !unquoted[st] {
						fail(i, "add %q holds %q, which the corpus only quotes: an answer, not a subject", a, st)
					}
				}
			}
			var found bool
			for _, lang := range addLangs {
				stems := Terms(a, lang)
				ok := len(stems) > 0
				for _, st := range stems {
					if len(ix.lex.postings[st]) == 0 {
						ok = false
					}
				}
				found = found || ok
			}
			if !found {
				fail(i, "add %q is in the corpus in none of the languages of its script", a)
			}
		}
		for _, w := range e.When {
			tab := defaultLangs()
			langs := tab.Writing(w)
			word := w
			if l, rest, ok := strings.Cut(w, ":"); ok && tab.Has(l) {
				langs, word = []string{l}, rest
			}
			// A trigger repeats another when, in every language it is read
			// in, an earlier trigger already gives the same stems ("mines"
			// after "mine"); "armes" after "arms" is not a repeat, as it is
			// also the French word.
			repeats, fires := true, false
			var first int
			for _, lang := range langs {
				st := rawStems(tab, word, lang)
				if len(st) == 0 {
					continue
				}
				fires = true
				key := lang + ":" + strings.Join(st, " ")
				j, dup := triggers[key]
				if !dup {
					repeats = false
					triggers[key] = i
				} else {
					first = j
				}
			}
			switch {
			case !fires:
				fail(i, "trigger %q is only stopwords and never fires", w)
			case repeats:
				fail(i, "trigger %q repeats one of entry %d", w, first+1)
			}
		}
	}
	for _, p := range problems {
		t.Error(p)
	}
}

// spellsOut reports whether phrase spells out an abbreviation among
// triggers: the initials of its words begin or end one ("united nations"
// for "un" and "unsc", "nations unies" for "onu").
func spellsOut(phrase string, triggers []string) bool {
	var initials strings.Builder
	tab := defaultLangs()
	for _, w := range tab.Tokens(fold(phrase)) {
		if !isStopAnywhere(tab, w) {
			r, _ := utf8.DecodeRuneInString(w) // "центральная азия" for "ца"
			initials.WriteRune(r)
		}
	}
	in := initials.String()
	for _, t := range triggers {
		if _, rest, ok := strings.Cut(t, ":"); ok {
			t = rest
		}
		if !strings.Contains(t, " ") && len(in) >= 2 && (strings.HasPrefix(t, in) || strings.HasSuffix(t, in)) {
			return true
		}
	}
	return false
}

// corpusNames returns the stems that the corpus writes only with a
// capital, away from the start of a sentence: names of people, places and
// institutions ("Tokyo", "Takaichi", "Security Council"), not words.
func corpusNames(ix *Index) map[string]bool {
	capital, lower := map[string]bool{}, map[string]bool{}
	for _, p := range ix.passages {
		for _, w := range casedWords(p.Text) {
			switch {
			case w.initial:
			case w.capital:
				capital[defaultLangs().Stem(w.word, p.Lang)] = true
			default:
				lower[defaultLangs().Stem(w.word, p.Lang)] = true
			}
		}
	}
	names := map[string]bool{}
	for t := range capital {
		if !lower[t] && !isDigits(t) {
			names[t] = true
		}
	}
	return names
}

// TestLexiconLanguages: a trigger written with its language code expands
// a question of that language and leaves the others alone. An English
// trigger that spells an everyday French word of another meaning ("met",
// puts; "attend", waits; "venue", coming; "chair", flesh) is one; so is an
// abbreviation of Central Asia, as French "ca" is "ça".
func TestLexiconLanguages(t *testing.T) {
	ix := bundledIndex(t)
	for _, tc := range []struct {
		text, lang, word string
		expands          bool
	}{
		{"where they met", English, "met", true},
		{"who will attend", English, "attend", true},
		{"on met quoi dedans", French, "met", false},
		{"on attend quoi du texte", French, "attend", false},
		{"sa venue au japon", French, "venu", false},
		{"la chair et les os", French, "chair", false},
		{"what do the CA countries want from japan", English, "ca", true},
		{"les pays d'AC et le japon", French, "ac", true},
		{"страны ЦА и япония", "ru", "ца", true},
		{"ca veut dire quoi", French, "ca", false},
	} {
		q := ix.analyse(tc.text, tc.lang)
		got := slices.ContainsFunc(q.extra, func(e weighted) bool { return e.of == tc.word && e.weight < correctionWeight })
		if got != tc.expands {
			t.Errorf("%q (%s): %q expands %v, want %v (extra %+v)", tc.text, tc.lang, tc.word, got, tc.expands, q.extra)
		}
	}
}

// TestLexiconLayWords: a question in everyday words finds the paragraph
// that says it in the text's: whether the text binds ("is it a treaty?")
// finds the one that calls it a political document, investing in Russian
// ("вложит") the investment target.
func TestLexiconLayWords(t *testing.T) {
	ix := bundledIndex(t)
	for _, tc := range []struct{ q, id string }{
		{"is it a treaty or what", "9.1"},
		{"c'est contraignant juridiquement ?", "9.1"},
		{"это договор?", "9.1"},
		{"条約なの？", "9.1"},
		{"сколько денег вложит япония", "2.3"},
	} {
		res, err := ix.Search(context.Background(), tc.q, SearchOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Contains(hitIDs(res.Hits), tc.id) {
			t.Errorf("%q: %s, hits %v; want ¶%s among them", tc.q, res.Outcome, hitIDs(res.Hits), tc.id)
		}
	}
}
