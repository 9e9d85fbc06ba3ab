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
// last.
func (ix *Index) overviewGroups() []string {
	ix.summarise()
	return ix.overview
}

// centrality returns how well a group sums up its document, from 0 to 1
// (the best: see overviewGroups), for the ranking's hub share.
func (ix *Index) centrality(group string) float64 {
	ix.summarise()
	return ix.central[group]
}

// summarise scores every group for overviewGroups and centrality, once,
// on the first search, so that building an index costs nothing more.
func (ix *Index) summarise() {
	ix.overviewOnce.Do(func() { ix.overview, ix.central = ix.summaries() })
}

// summaries returns the overviewShown groups that best sum up their
// documents and how well each group does, the best 1.
func (ix *Index) summaries() ([]string, map[string]float64) {
	// Each passage's source (its document in its language) by number,
	// so that the loop over every posting looks up slices, not maps.
	type source struct {
		doc, lang string
	}
	number := map[source]int{}
	sourceOf := make([]int, len(ix.passages))
	var size []float64
	for i, p := range ix.passages {
		n, ok := number[source{p.Doc, p.Lang}]
		if !ok {
			n = len(size)
			number[source{p.Doc, p.Lang}] = n
			size = append(size, 0)
		}
		sourceOf[i] = n
		size[n]++
	}
	shared := make([]float64, len(ix.passages))
	count := make([]float64, len(size))
	// In a set order, so that the sums, and the order of near ties,
	// are the same in every process.
	terms := slices.Sorted(maps.Keys(ix.lex.postings))
	held := make([]float64, len(ix.passages))
	for _, term := range terms {
		ps := ix.lex.postings[term]
		for _, p := range ps {
			count[sourceOf[p.doc]]++
		}
		idf := ix.lex.idf(term)
		for _, p := range ps {
			s := sourceOf[p.doc]
			if n := size[s]; n > 1 && 2*count[s] <= n {
				shared[p.doc] += (count[s] - 1) / (n - 1) * idf
			}
			held[p.doc]++
		}
		for _, p := range ps {
			count[sourceOf[p.doc]] = 0
		}
	}
	score := make([]float64, len(ix.groupKey))
	for g, key := range ix.groupKey {
		vs := ix.aligned[key]
		for _, v := range vs {
			if held[v.i] > 0 {
				score[g] += shared[v.i] / math.Sqrt(held[v.i])
			}
		}
		score[g] /= float64(len(vs))
	}
	top := slices.Max(append(score, 0))
	central := make(map[string]float64, len(ix.groupKey))
	for g, key := range ix.groupKey {
		if top > 0 {
			central[key] = score[g] / top
		}
	}
	order := make([]int, len(ix.groupKey))
	for g := range order {
		order[g] = g
	}
	sort.SliceStable(order, func(a, b int) bool { return score[order[a]] > score[order[b]] })
	var best []string
	for _, g := range order[:min(len(order), overviewShown)] {
		best = append(best, ix.groupKey[g])
	}
	return best, central
}
