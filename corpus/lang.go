package corpus

import (
	"strings"
	"unicode"
)

// Stopwords that are frequent in one language and rare in the other. Words
// shared by both ("a", "on", "des" in English names) are left out so that a
// short text still leans the right way.
var (
	enStop = setOf("the of and to in is are for on with that this by as be it from at an which have has will their its was were not or we our these those shall")
	frStop = setOf("le la les de des du et en un une est sont pour dans sur avec que qui ce cette par au aux ses leur leurs nous ont été être pas ou il elle ainsi entre")
)

func setOf(words string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(words) {
		m[w] = true
	}
	return m
}

// DetectLang guesses whether text is English or French from the frequency
// of each language's stopwords, and returns "en" or "fr". Ties, including
// text with no stopword at all, go to "en" unless the text carries French
// accents: a short French title such as "Connectivité" has no stopword.
//
// The retrieval package has its own detector for queries; this one exists
// so that corpus, which knows nothing of search, can label documents.
func DetectLang(text string) string {
	var en, fr, accents int
	for _, w := range strings.FieldsFunc(strings.ToLower(text), func(r rune) bool {
		return !unicode.IsLetter(r) && r != '\''
	}) {
		if i := strings.IndexByte(w, '\''); i >= 0 { // l'Asie, d'Asie
			w = w[i+1:]
		}
		if enStop[w] {
			en++
		}
		if frStop[w] {
			fr++
		}
		if strings.ContainsAny(w, "éèêàâçîôûù") {
			accents++
		}
	}
	switch {
	case fr > en:
		return "fr"
	case en > fr:
		return "en"
	case accents > 0:
		return "fr"
	}
	return "en"
}
