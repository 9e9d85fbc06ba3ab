package retrieval

import (
	"maps"
	"math"
	"slices"
	"sort"
)

// overviewShown is how many passages answer a request for the whole text:
// the two that best sum it up.
const overviewShown = 2

// overviewGroups returns the aligned groups that best sum up their
// documents, best first: those whose subjects the rest of their document
// shares most, weighted by rarity (the passage nearest the document's
// centroid, as extractive summarisers pick). A subject is a term that at
// most half the document's passages hold: what every paragraph says ("the
// leaders agreed on cooperation") names none. A conclusion that names
// every chapter's subject comes first; a paragraph on one subject comes
// last. It is computed once, on the first request for an overview, so
// that building an index costs nothing more.
func (ix *Index) overviewGroups() []string {
	ix.overviewOnce.Do(func() {
		type source struct {
			doc, lang string
		}
		size := map[source]float64{}
		for _, p := range ix.passages {
			size[source{p.Doc, p.Lang}]++
		}
		central := make([]float64, len(ix.passages))
		count := map[source]float64{}
		// In a set order, so that the sums, and the order of near ties,
		// are the same in every process.
		terms := slices.Sorted(maps.Keys(ix.lex.postings))
		held := make([]float64, len(ix.passages))
		for _, term := range terms {
			ps := ix.lex.postings[term]
			clear(count)
			for _, p := range ps {
				q := ix.passages[p.doc]
				count[source{q.Doc, q.Lang}]++
			}
			idf := ix.lex.idf(term)
			for _, p := range ps {
				q := ix.passages[p.doc]
				s := source{q.Doc, q.Lang}
				if n := size[s]; n > 1 && 2*count[s] <= n {
					central[p.doc] += (count[s] - 1) / (n - 1) * idf
				}
				held[p.doc]++
			}
		}
		score := make([]float64, len(ix.groupKey))
		for g, key := range ix.groupKey {
			vs := ix.aligned[key]
			for _, v := range vs {
				if held[v.i] > 0 {
					score[g] += central[v.i] / math.Sqrt(held[v.i])
				}
			}
			score[g] /= float64(len(vs))
		}
		order := make([]int, len(ix.groupKey))
		for g := range order {
			order[g] = g
		}
		sort.SliceStable(order, func(a, b int) bool { return score[order[a]] > score[order[b]] })
		for _, g := range order[:min(len(order), overviewShown)] {
			ix.overview = append(ix.overview, ix.groupKey[g])
		}
	})
	return ix.overview
}
