package lang

import (
	_ "embed"
	"iter"
	"math"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// The everyday-word lists (source and licence in each file's header). For
// English and French they are the commonest words of film and television
// subtitles, commonest first: subtitles are the nearest public record of
// how people talk, which is how they type in a chat ("gonna", "guys" and
// "thanks" are among their first few hundred words, "pipeline" and "visa"
// far down, "Aral" not in them at all). The Russian and Japanese lists
// are of the same kind, from an older count of the same subtitles.
var (
	//go:embed everyday/en.txt
	everydayEN string
	//go:embed everyday/fr.txt
	everydayFR string
	//go:embed everyday/ru.txt
	everydayRU string
	//go:embed everyday/ja.txt
	everydayJA string
)

// wordRanks knows the rank of a folded word among the everyday words of
// the table's languages (1 is the commonest; the best rank of the lists of
// the word's script when it is in several, since chat mixes languages:
// "thanks", "genre"). Each list is read at its first use, so that a
// process that meets only Latin script never reads the others.
type wordRanks struct {
	of map[string]*langRanks
}

// langRanks is one language's everyday list.
type langRanks struct {
	once sync.Once
	list string
	stem func(string) string
	// own holds the rank of each word; alone, it tells the language of a
	// terse question ("climat", "argent").
	own map[string]int
	// stems maps the stem of each word up to familyRank to the best rank
	// among the words that share it. A word no list holds takes its
	// family's rank: the lists are of inflected forms, and a rare form of
	// an everyday word ("говорившими", "rappelés") is as everyday as its
	// family.
	stems     map[string]int
	stemsOnce sync.Once
	// near maps each one-letter deletion of the commonest words
	// (slipRank and better) to the best rank it comes from, so that a
	// letter left out of an everyday word ("wich", "becuse") reads as
	// everyday too.
	near map[string]int
}

// slipRank bounds the words whose misspellings are recognised: only the
// commonest, as the rarer a word, the likelier a word one letter away is a
// different word rather than a slip ("aral" is not "oral").
const slipRank = 1500

// Topicality bounds: a word among the everydayRank commonest says nothing
// of what a question is about ("put", "stuff", "guys"); one beyond
// topicalRank, or in no list, is as topical as a word can be ("pipeline",
// "Aral"). Between the two, topicality grows with the logarithm of the
// rank, as word frequencies fall off by Zipf's law.
const (
	everydayRank = 300
	topicalRank  = 8000
)

// familyRank bounds the words whose stems are ranked (see stems): a
// family whose commonest form is rarer than this is topical whatever form
// a question uses, and stemming the lists further would slow every start.
const familyRank = 3000

func newRanks(langs []Language) *wordRanks {
	r := &wordRanks{of: map[string]*langRanks{}}
	for _, l := range langs {
		if l.Everyday != "" {
			r.of[l.Code] = &langRanks{list: l.Everyday, stem: l.Stem}
		}
	}
	return r
}

// lang returns code's list, read, or nil when the language has none.
func (r *wordRanks) lang(code string) *langRanks {
	l := r.of[code]
	if l != nil {
		l.once.Do(l.read)
	}
	return l
}

func (l *langRanks) read() {
	l.own = make(map[string]int, strings.Count(l.list, "\n"))
	l.near = map[string]int{}
	at := 0
	for w := range l.words() {
		at++ // the lists are written folded (TestEverydayListsFolded)
		if _, ok := l.own[w]; !ok {
			l.own[w] = at
		}
		if at <= slipRank && utf8.RuneCountInString(w) >= 3 {
			for _, d := range deletions(w) {
				if cur, ok := l.near[d]; !ok || at < cur {
					l.near[d] = at
				}
			}
		}
	}
}

// words yields the words of the list, in order.
func (l *langRanks) words() iter.Seq[string] {
	return func(yield func(string) bool) {
		for line := range strings.Lines(l.list) {
			w := strings.TrimSpace(line)
			if w != "" && !strings.HasPrefix(w, "#") && !yield(w) {
				return
			}
		}
	}
}

// family returns the rank of the family of word (see stems), stemming the
// list's commonest words at the first call: only a word that no list
// holds needs them.
func (l *langRanks) family(word string) (int, bool) {
	if l.stem == nil {
		return 0, false
	}
	l.stemsOnce.Do(func() {
		l.stems = map[string]int{}
		at := 0
		for w := range l.words() {
			if at++; at > familyRank {
				break
			}
			if utf8.RuneCountInString(w) > 2 {
				st := l.stem(w)
				if cur, ok := l.stems[st]; !ok || at < cur {
					l.stems[st] = at
				}
			}
		}
	})
	rank, ok := l.stems[l.stem(word)]
	return rank, ok
}

// deletions returns w with each one of its letters left out.
func deletions(w string) []string {
	rs := []rune(w)
	out := make([]string, 0, len(rs))
	for i := range rs {
		out = append(out, string(rs[:i])+string(rs[i+1:]))
	}
	return out
}

// rankOf returns the best rank of a folded word in the lists of codes, or
// of the everyday word it is a slip of (a letter left out), or else of its
// family, or 0 when none of them holds it.
func (r *wordRanks) rankOf(word string, codes []string) int {
	best := func(get func(*langRanks) (int, bool)) int {
		b := 0
		for _, c := range codes {
			if l := r.lang(c); l != nil {
				if rank, ok := get(l); ok && (b == 0 || rank < b) {
					b = rank
				}
			}
		}
		return b
	}
	if rank := best(func(l *langRanks) (int, bool) { rank, ok := l.own[word]; return rank, ok }); rank > 0 {
		return rank
	}
	n := utf8.RuneCountInString(word)
	if n >= 4 {
		if rank := best(func(l *langRanks) (int, bool) { rank, ok := l.near[word]; return rank, ok }); rank > 0 {
			return rank
		}
	}
	if n <= 2 {
		return 0
	}
	return best(func(l *langRanks) (int, bool) { return l.family(word) })
}

// Listed reports whether the folded word is, as written, one of the
// everyday words of the languages written in its script: a word of the
// language, not a slip of one.
func (t *Table) Listed(word string) bool {
	r := t.parsed().ranks
	for _, c := range t.Writing(word) {
		if l := r.lang(c); l != nil {
			if _, ok := l.own[word]; ok {
				return true
			}
		}
	}
	return false
}

// numberTopic is the topicality of a number: as telling as a topical word
// (counting numbers for less made more mistakes on the tuning data).
const numberTopic = 1

// Topicality returns how much a folded word says about a question's
// subject, from 0 (filler of everyday talk) to 1, by its rank, or else by
// its family's (see langRanks.stems), among the everyday words of the
// languages written in its script.
func (t *Table) Topicality(word string) float64 {
	if r, _ := utf8.DecodeRuneInString(word); unicode.IsDigit(r) {
		return numberTopic
	}
	if r, n := utf8.DecodeRuneInString(word); n == len(word) && unicode.Is(unicode.Han, r) {
		// A lone kanji is what Tokens leaves of a verb or an adjective
		// before its kana ending (始まった, 使う) or of a counter after a
		// number (2004年): the stem of everyday grammar. Kanji compounds
		// carry the subjects.
		return 0
	}
	rank := t.parsed().ranks.rankOf(word, t.Writing(word))
	if rank == 0 {
		return 1
	}
	v := (math.Log(float64(rank)) - math.Log(everydayRank)) / (math.Log(topicalRank) - math.Log(everydayRank))
	return math.Min(1, math.Max(0, v))
}

// everydayLang returns the language among codes whose everyday words the
// folded words are likeliest to be, by a unigram model of each list (a
// word's probability falls with its rank, by Zipf's law; a word not listed
// counts as one just past the end), or "" when the lists cannot tell. A
// word in none of the lists is evidence of nothing ("Connectivity").
func (r *wordRanks) everydayLang(words []string, codes []string) string {
	var known []string
	for _, w := range words {
		if utf8.RuneCountInString(w) < 3 {
			continue // "ch", "de", "la": abbreviations and particles of every language
		}
		for _, c := range codes {
			if l := r.lang(c); l == nil {
				continue
			} else if _, ok := l.own[w]; ok {
				known = append(known, w)
				break
			}
		}
	}
	if len(known) == 0 {
		return ""
	}
	best, bestScore, tie := "", math.Inf(-1), false
	for _, c := range codes {
		if r.lang(c) == nil {
			continue
		}
		var s float64
		for _, w := range known {
			s -= math.Log(r.listed(c, w))
		}
		switch {
		case s > bestScore:
			best, bestScore, tie = c, s, false
		case s == bestScore:
			tie = true
		}
	}
	if tie {
		return ""
	}
	return best
}

func (r *wordRanks) listed(code, w string) float64 {
	l := r.lang(code)
	if rank, ok := l.own[w]; ok {
		return float64(rank)
	}
	return float64(len(l.own) + 1)
}
