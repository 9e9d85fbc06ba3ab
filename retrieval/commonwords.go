package retrieval

import (
	_ "embed"
	"math"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// The everyday-word lists: the commonest words of film and television
// subtitles in each language, commonest first (source and licence in each
// file's header). Subtitles are the nearest public record of how people talk,
// which is how they type in a chat: "gonna", "guys" and "thanks" are among
// their first few hundred words, "pipeline" and "visa" far down, "Aral" not
// in them at all.
var (
	//go:embed commonwords/en.txt
	commonWordsEN string
	//go:embed commonwords/fr.txt
	commonWordsFR string
)

// wordRanks knows the rank of a folded word among the everyday words of
// either language (1 is the commonest; the better rank of the two when a
// word is in both lists, since chat mixes languages: "thanks", "genre").
type wordRanks struct {
	rank map[string]int
	// of holds each language's own ranks, for telling the language of a
	// terse question ("climat", "argent").
	of map[string]map[string]int
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

// everyday is parsed once: the lists are immutable and every index shares
// them.
var everyday = sync.OnceValue(func() *wordRanks {
	r := &wordRanks{rank: map[string]int{}, near: map[string]int{}, of: map[string]map[string]int{}}
	for lang, data := range map[string]string{English: commonWordsEN, French: commonWordsFR} {
		own := map[string]int{}
		r.of[lang] = own
		rank := 0
		for line := range strings.Lines(data) {
			w := strings.TrimSpace(line)
			if w == "" || strings.HasPrefix(w, "#") {
				continue
			}
			rank++
			w = fold(w)
			if _, ok := own[w]; !ok {
				own[w] = rank
			}
			if cur, ok := r.rank[w]; !ok || rank < cur {
				r.rank[w] = rank
			}
			if rank <= slipRank && len(w) >= 3 {
				for _, d := range deletions(w) {
					if cur, ok := r.near[d]; !ok || rank < cur {
						r.near[d] = rank
					}
				}
			}
		}
	}
	return r
})

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
// a slip of (a letter left out), or 0 when it is in
// neither list.
func (r *wordRanks) rankOf(word string) int {
	if rank, ok := r.rank[word]; ok {
		return rank
	}
	if utf8.RuneCountInString(word) < 4 {
		return 0
	}
	// A letter left out ("wich", "becuse"): the word is a deletion of a
	// common word.
	if rank, ok := r.near[word]; ok {
		return rank
	}
	return 0
}

// Topicality bounds: a word among the everydayRank commonest says nothing
// of what a question is about ("put", "stuff", "guys"); one beyond
// topicalRank, or in neither list, is as topical as a word can be
// ("pipeline", "Aral"). Between the two, topicality grows with the
// logarithm of the rank, as word frequencies fall off by Zipf's law.
const (
	everydayRank = 300
	topicalRank  = 8000
)

// numberTopic is the topicality of a number.
const numberTopic = 1

// topicality returns how much a folded word says about a question's
// subject, from 0 (filler of everyday talk) to 1.
func (r *wordRanks) topicality(word string) float64 {
	if r, _ := utf8.DecodeRuneInString(word); unicode.IsDigit(r) {
		// A number ("2010", "3rd") is as telling as a topical word:
		// counting numbers for less made more mistakes on the tuning data.
		return numberTopic
	}
	rank := r.rankOf(word)
	if rank == 0 {
		return 1
	}
	t := (math.Log(float64(rank)) - math.Log(everydayRank)) / (math.Log(topicalRank) - math.Log(everydayRank))
	return math.Min(1, math.Max(0, t))
}

// lang returns the language whose everyday words the folded words are
// likelier to be, by a unigram model of each list (a word's probability
// falls with its rank, by Zipf's law; a word not listed counts as one just
// past the end), or "" when the lists cannot tell.
func (r *wordRanks) lang(words []string) string {
	var fr float64
	for _, w := range words {
		fr += math.Log(r.listed(English, w)) - math.Log(r.listed(French, w))
	}
	switch {
	case fr > 0:
		return French
	case fr < 0:
		return English
	}
	return ""
}

func (r *wordRanks) listed(lang, w string) float64 {
	if rank, ok := r.of[lang][w]; ok {
		return float64(rank)
	}
	return float64(len(r.of[lang]) + 1)
}
