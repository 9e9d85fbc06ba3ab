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
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/kljensen/snowball/english"
	"github.com/kljensen/snowball/french"
	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// Languages the analyser knows.
const (
	English = "en"
	French  = "fr"
)

// fold lower-cases s and strips its diacritics, so that "Développement",
// "developpement" and "DÉVELOPPEMENT" read the same. Typographic
// apostrophes become straight ones.
func fold(s string) string {
	if isASCII(s) { // nothing to strip or replace: most English text
		return strings.ToLower(s)
	}
	t := foldChains.Get().(transform.Transformer)
	defer foldChains.Put(t)
	out, _, err := transform.String(t, s) // resets t first
	if err != nil {
		out = s
	}
	return strings.ToLower(foldReplacer.Replace(out))
}

// foldChains holds the accent-stripping transformers: building one per
// call was most of the cost of analysing French text.
var foldChains = sync.Pool{New: func() any {
	return transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
}}

// foldReplacer is built once: a Replacer is costly to build and safe for
// concurrent use.
var foldReplacer = strings.NewReplacer("’", "'", "‘", "'", "ʼ", "'", "œ", "oe", "Œ", "oe", "æ", "ae", "Æ", "ae")

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// elisions are the French clitics written before an apostrophe: l'accord,
// d'Asie, qu'il, jusqu'à.
var elisions = map[string]bool{
	"l": true, "d": true, "j": true, "m": true, "n": true, "s": true, "t": true, "c": true,
	"qu": true, "jusqu": true, "lorsqu": true, "puisqu": true, "quoiqu": true,
}

// tokens splits folded text into words: runs of letters and digits. A French
// elision ("l'", "qu'") is dropped from the word it is attached to, an
// English possessive "'s" is dropped, and a hyphen splits words
// ("Asie-Japon" gives two). Decimal numbers stay whole ("4.2").
func tokens(folded string) []string {
	var out []string
	var b strings.Builder
	emit := func() {
		if b.Len() > 0 {
			out = append(out, b.String())
			b.Reset()
		}
	}
	rs := []rune(folded)
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(r)
		case r == '\'' && b.Len() > 0:
			w := b.String()
			if elisions[w] && i+1 < len(rs) && unicode.IsLetter(rs[i+1]) {
				b.Reset() // l'accord -> accord
				continue
			}
			if i+1 < len(rs) && rs[i+1] == 's' && (i+2 >= len(rs) || !unicode.IsLetter(rs[i+2])) {
				i++ // Japan's -> Japan
			}
			emit()
		case (r == '.' || r == ',') && b.Len() > 0 && isDigits(b.String()) && i+1 < len(rs) && unicode.IsDigit(rs[i+1]):
			b.WriteRune('.')
		default:
			emit()
		}
	}
	emit()
	return out
}

func isDigits(s string) bool {
	for _, r := range s {
		if !unicode.IsDigit(r) && r != '.' {
			return false
		}
	}
	return s != ""
}

// stem returns the Snowball stem of a folded word in lang. Both corpus and
// queries are folded before stemming, so a question typed without accents
// stems exactly like the accented corpus.
func stem(word, lang string) string {
	if len([]rune(word)) <= 2 || isDigits(word) {
		return word
	}
	if lang == French {
		return french.Stem(word, false)
	}
	return english.Stem(word, false)
}

// Terms analyses text in lang into the stems the indexes work on: folded,
// elisions split, stopwords dropped, stemmed. Order is kept and repeats are
// kept, so callers can count term frequencies.
func Terms(text, lang string) []string { return stemCache(nil).terms(text, lang) }

// stemCache memoises stem over one pass through a corpus: words repeat
// and Snowball is most of the time spent assembling (or loading) an index.
// A nil cache stems every word afresh.
type stemCache map[[2]string]string

func (c stemCache) terms(text, lang string) []string {
	var out []string
	for _, w := range tokens(fold(text)) {
		if isStopword(w, lang) {
			continue
		}
		if c == nil {
			out = append(out, stem(w, lang))
			continue
		}
		k := [2]string{w, lang}
		s, ok := c[k]
		if !ok {
			s = stem(w, lang)
			c[k] = s
		}
		out = append(out, s)
	}
	return out
}

// DetectLang guesses whether text is English or French from its function
// words, elisions and accents. It returns English when it cannot tell, as
// most of the world's users of the bot ask in English.
//
// A terse question of content words only ("climat", "argent") holds no
// function word: it is read by which language's everyday words it holds.
func DetectLang(text string) string {
	en, fr := langScores(text)
	if en == fr {
		if l := everyday().lang(tokens(fold(text))); l != "" {
			return l
		}
	}
	return pickLang(en, fr)
}

func pickLang(en, fr float64) string {
	if fr > en {
		return French
	}
	return English
}

// langScores weighs the evidence for English and for French in text.
func langScores(text string) (en, fr float64) {
	lower := strings.ToLower(text)
	for _, w := range tokens(fold(lower)) {
		if enMarkers[w] {
			en++
		}
		if frMarkers[w] {
			fr++
		}
	}
	for _, r := range lower {
		switch r {
		case 'é', 'è', 'ê', 'à', 'ù', 'ç', 'î', 'ô', 'û', 'ë', 'ï', 'œ', '«', '»':
			fr += 0.5
		}
	}
	for _, e := range []string{"l'", "d'", "qu'", "l’", "d’", "qu’", "est-ce", "-t-"} {
		fr += float64(strings.Count(lower, e))
	}
	return en, fr
}

// casedWord is a word of unfolded text with what its case tells: whether it
// is capitalised, and whether it opens a sentence (where a capital says
// nothing).
type casedWord struct {
	word    string // folded
	capital bool
	initial bool
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
		out = append(out, casedWord{word: fold(w), capital: unicode.IsUpper(r), initial: initial})
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
