package lang

import (
	_ "embed"
	"math"
	"strings"
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
// the table's languages (1 is the commonest; the best rank of all when a
// word is in several lists, since chat mixes languages: "thanks", "genre").
type wordRanks struct {
	// of holds each language's own ranks; a word's rank is its best in
	// any of them (see rankOf), and each alone tells the language of a
	// terse question ("climat", "argent").
	of    map[string]map[string]int
	order []string // the codes of of, in the table's order
	// stems maps, for each language with a stemmer, the stem of each of
	// its words up to familyRank to the best rank among the words that
	// share it. A word no list holds takes its family's rank: the lists
	// are of inflected forms, and a rare form of an everyday word
	// ("говорившими", "rappelés") is as everyday as its family.
	stems map[string]map[string]int
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

func parseRanks(langs []Language) *wordRanks {
	r := &wordRanks{near: map[string]int{}, of: map[string]map[string]int{}, stems: map[string]map[string]int{}}
	for _, l := range langs {
		if l.Everyday == "" {
			continue
		}
		own := make(map[string]int, strings.Count(l.Everyday, "\n"))
		r.of[l.Code] = own
		r.order = append(r.order, l.Code)
		at := 0
		for line := range strings.Lines(l.Everyday) {
			w := strings.TrimSpace(line)
			if w == "" || strings.HasPrefix(w, "#") {
				continue
			}
			at++
			w = Fold(w)
			if _, ok := own[w]; !ok {
				own[w] = at
			}
			if at <= familyRank && l.Stem != nil && utf8.RuneCountInString(w) > 2 {
				if r.stems[l.Code] == nil {
					r.stems[l.Code] = map[string]int{}
				}
				st := l.Stem(w)
				if cur, ok := r.stems[l.Code][st]; !ok || at < cur {
					r.stems[l.Code][st] = at
				}
			}
			if at <= slipRank && utf8.RuneCountInString(w) >= 3 {
				for _, d := range deletions(w) {
					if cur, ok := r.near[d]; !ok || at < cur {
						r.near[d] = at
					}
				}
			}
		}
	}
	return r
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

// rankOf returns the rank of a folded word, or of the everyday word it is
// a slip of (a letter left out), or 0 when it is in no list.
func (r *wordRanks) rankOf(word string) int {
	best := 0
	for _, own := range r.of {
		if rank, ok := own[word]; ok && (best == 0 || rank < best) {
			best = rank
		}
	}
	if best > 0 {
		return best
	}
	if utf8.RuneCountInString(word) < 4 {
		return 0
	}
	if rank, ok := r.near[word]; ok {
		return rank
	}
	return 0
}

// numberTopic is the topicality of a number: as telling as a topical word
// (counting numbers for less made more mistakes on the tuning data).
const numberTopic = 1

// Topicality returns how much a folded word says about a question's
// subject, from 0 (filler of everyday talk) to 1, by its rank, or else by
// its family's (see wordRanks.stems), among the everyday words.
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
	ranks := t.parsed().ranks
	rank := ranks.rankOf(word)
	if rank == 0 && utf8.RuneCountInString(word) > 2 {
		for _, c := range t.Writing(word) {
			if st, ok := ranks.stems[c][t.Stem(word, c)]; ok && (rank == 0 || st < rank) {
				rank = st
			}
		}
	}
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
		for _, c := range codes {
			if _, ok := r.of[c][w]; ok {
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
		if _, ok := r.of[c]; !ok {
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
	if rank, ok := r.of[code][w]; ok {
		return float64(rank)
	}
	return float64(len(r.of[code]) + 1)
}
