// Package retrieval finds the passages of the corpus that answer a
// question. It analyses text (case and accent folding, French elision,
// stopwords, Snowball stemming), embeds it (a built-in offline embedder,
// or any Embedder), keeps the vectors in a chromem-go collection beside a
// BM25 lexical index, fuses the two rankings, aligns English and French
// versions of the same paragraph, and abstains when nothing is relevant.
//
// It is the only package that imports chromem-go.
package retrieval

import (
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/declbot/declbot/corpus/lang"
)

// Languages the bundled corpus is written in, as the language table names
// them.
const (
	English = lang.English
	French  = lang.French
)

// defaultLangs is the language table of the package functions (Terms,
// DetectLang) and of an index built without one of its own. A table is
// read-only once built, so one is shared.
var defaultLangs = sync.OnceValue(lang.Default)

// fold and isDigits name the table's text functions for this package, whose
// parameters are often called lang.
func fold(s string) string   { return lang.Fold(s) }
func isDigits(s string) bool { return lang.IsNumber(s) }

// Terms analyses text in lang into the stems the indexes work on: folded,
// elisions split, stopwords dropped, stemmed. Order is kept and repeats are
// kept, so callers can count term frequencies.
func Terms(text, lang string) []string { return stemCache(nil).terms(defaultLangs(), text, lang) }

// stemCache memoises stem over one pass through a corpus: words repeat
// and Snowball is most of the time spent assembling (or loading) an index.
// A nil cache stems every word afresh.
type stemCache map[[2]string]string

func (c stemCache) terms(t *lang.Table, text, code string) []string {
	var out []string
	for _, w := range t.Tokens(fold(text)) {
		if t.IsStop(w, code) {
			continue
		}
		out = append(out, c.stem(t, w, code))
	}
	return out
}

// stem is t.Stem(w, code), from the cache when it holds it.
func (c stemCache) stem(t *lang.Table, w, code string) string {
	if c == nil {
		return t.Stem(w, code)
	}
	k := [2]string{w, code}
	s, ok := c[k]
	if !ok {
		s = t.Stem(w, code)
		c[k] = s
	}
	return s
}

// DetectLang guesses the language of text by the default language table
// (see lang.Table.Detect): English when it cannot tell, as most of the
// bot's users ask in English.
func DetectLang(text string) string { return defaultLangs().Detect(text) }

// casedWord is a word of unfolded text with what its case tells: whether it
// is capitalised, and whether it opens a sentence (where a capital says
// nothing).
type casedWord struct {
	word    string // folded
	capital bool
	initial bool
	// acronym: two letters or more, all capitals ("AI", "SCO").
	acronym bool
}

// casedWords splits unfolded text into words of letters and digits, for
// telling names from words: "Tokyo" is capitalised wherever it stands,
// "summit" only at the start of a sentence.
func casedWords(text string) []casedWord {
	var out []casedWord
	initial := true
	start := -1
	flush := func(end int) {
		if start < 0 {
			return
		}
		w := text[start:end]
		r, _ := utf8.DecodeRuneInString(w)
		out = append(out, casedWord{word: fold(w), capital: unicode.IsUpper(r), initial: initial, acronym: isAcronym(w)})
		initial = false
		start = -1
	}
	for i, r := range text {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if start < 0 {
				start = i
			}
		case r == '\'' || r == '’':
			flush(i) // l'Asie: "Asie" is not sentence-initial
		default:
			flush(i)
			if r == '.' || r == '?' || r == '!' || r == '\n' || r == ':' || r == '#' || r == '[' {
				initial = true
			}
		}
	}
	flush(len(text))
	return out
}

// isAcronym reports whether w is two letters or more, all capitals.
func isAcronym(w string) bool {
	n := 0
	for _, r := range w {
		if !unicode.IsUpper(r) {
			return false
		}
		n++
	}
	return n >= 2
}
