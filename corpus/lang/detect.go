package lang

import (
	"slices"
	"strings"
	"unicode"
)

// Detect guesses the language of text: the table's fallback when it
// cannot tell (most of the bot's users ask in English). It is the one
// detector of the project, for documents and questions alike.
func (t *Table) Detect(text string) string {
	code, _ := t.Guess(text)
	return code
}

// Guess is Detect, also reporting whether the text said anything: false
// means the fallback was returned for want of evidence, and a caller with
// more to go on (a corpus's vocabulary) may decide otherwise.
//
// A language with a script of its own is told by its letters: when they
// are at least half as many as the Latin ones (a kanji says as much as a
// few Latin letters; a Russian question may name "Afghanistan" in Latin).
// Among the Latin-script languages, each function word (Markers) and Hint
// counts one, each accented letter half; a tie, as in a terse question of
// content words only ("climat", "argent"), goes to the language whose
// everyday words the text's words are likeliest to be.
func (t *Table) Guess(text string) (string, bool) {
	script := map[string]int{}
	latin := 0
	for _, r := range text {
		if !unicode.IsLetter(r) {
			continue
		}
		if unicode.Is(unicode.Latin, r) {
			latin++
			continue
		}
		for _, l := range t.langs {
			if len(l.Script) > 0 && unicode.IsOneOf(l.Script, r) {
				script[l.Code]++
				break
			}
		}
	}
	best, most := "", 0
	for _, l := range t.langs { // table order breaks ties
		if n := script[l.Code]; n > most {
			best, most = l.Code, n
		}
	}
	if most > 0 && 2*most >= latin {
		return best, true
	}

	lower := strings.ToLower(text)
	words := withoutAcronyms(text, t.Tokens(Fold(lower)))
	s := t.parsed()
	scores := map[string]float64{}
	var latinLangs []string
	for _, l := range t.langs {
		if len(l.Script) > 0 {
			continue
		}
		latinLangs = append(latinLangs, l.Code)
		var v float64
		for _, w := range words {
			if s.markers[l.Code][w] {
				v++
			}
		}
		for _, r := range lower {
			if l.Accents != "" && strings.ContainsRune(l.Accents, r) {
				v += 0.5
			}
		}
		for _, h := range l.Hints {
			v += float64(strings.Count(lower, h))
			if a := strings.ReplaceAll(h, "'", "’"); a != h {
				v += float64(strings.Count(lower, a))
			}
		}
		scores[l.Code] = v
	}
	top := 0.0
	for _, c := range latinLangs {
		top = max(top, scores[c])
	}
	var tied []string
	for _, c := range latinLangs {
		if scores[c] == top {
			tied = append(tied, c)
		}
	}
	if len(tied) == 1 {
		return tied[0], true
	}
	// Chat is how a message is typed, not its language's words ("pls"
	// is in French subtitles too): it tells only where they cannot.
	content := slices.DeleteFunc(slices.Clone(words), func(w string) bool { return s.chat[w] })
	if c := s.ranks.everydayLang(content, tied); c != "" {
		return c, true
	}
	if c := chatLang(s, words, tied); c != "" {
		return c, true
	}
	return t.Fallback().Code, false
}

// chatLang returns the language among codes whose chat words (Chat) the
// words hold most of, or "" when none holds more than the others: "tldr
// pls" is English chat, "stp" French.
func chatLang(s *sets, words, codes []string) string {
	best, most, tie := "", 0, false
	for _, c := range codes {
		n := 0
		for _, w := range words {
			if s.chatOf[c][w] {
				n++
			}
		}
		switch {
		case n > most:
			best, most, tie = c, n, false
		case n == most:
			tie = true
		}
	}
	if most == 0 || tie {
		return ""
	}
	return best
}

// Writing returns the codes of the languages that could have written
// text, in the table's order: those whose own script its letters use, or,
// when it has none of those, every language of the Latin script. A lexicon
// word is read in these ("mines" in English and French, "ии" in Russian).
func (t *Table) Writing(text string) []string {
	var own, latin []string
	for _, l := range t.langs {
		if len(l.Script) == 0 {
			latin = append(latin, l.Code)
			continue
		}
		for _, r := range text {
			if unicode.IsOneOf(l.Script, r) {
				own = append(own, l.Code)
				break
			}
		}
	}
	if len(own) > 0 {
		return own
	}
	return latin
}

// Family returns the code of the table's first language written in the
// same script as code: the languages without a script of their own
// (Latin) are one family, English's, and a language with its own script
// is its own. Measures over a corpus that holds the same text in several
// languages (how rare a word is) are taken within a family, where words
// can be shared. An unknown code is its own family.
func (t *Table) Family(code string) string {
	l, ok := t.Get(code)
	if !ok {
		return code
	}
	for _, o := range t.langs {
		if slices.Equal(o.Script, l.Script) {
			return o.Code
		}
	}
	return code
}

// withoutAcronyms drops from words (folded) those text writes as an
// acronym, two capitals or more ("AI", "UN"): an acronym is a name, not a
// word of the language whose everyday word it spells ("ai" in French). A
// text in capitals throughout keeps its words, unless it is one word.
func withoutAcronyms(text string, words []string) []string {
	caps := map[string]bool{}
	lower, n := false, 0
	for _, f := range strings.FieldsFunc(text, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
		n++
		upper := 0
		for _, r := range f {
			if unicode.IsLower(r) {
				lower = true
			}
			if unicode.IsUpper(r) {
				upper++
			}
		}
		if upper >= 2 && upper == len([]rune(f)) {
			caps[Fold(f)] = true
		}
	}
	if len(caps) == 0 || !lower && n > 1 {
		return words
	}
	return slices.DeleteFunc(slices.Clone(words), func(w string) bool { return caps[w] })
}
