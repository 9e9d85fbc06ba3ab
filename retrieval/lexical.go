package retrieval

import (
	"math"
	"sort"
)

// bm25 is an Okapi BM25 index over analysed passages. Each passage is its
// chapter title plus its text, so a question that names a chapter's subject
// finds that chapter's paragraphs even where the paragraph uses other words.
type bm25 struct {
	postings map[string][]posting // term -> passages holding it
	lengths  []float64            // passage length in terms
	avgLen   float64
	n        int
}

// posting is 8 bytes, not 16: a large corpus has millions of them.
type posting struct {
	doc int32   // index into Index.passages
	tf  float32 // occurrences in the passage, a small whole number
}

// BM25 parameters: the usual values, which suit paragraphs of 40 to 150
// words.
const (
	bm25K1 = 1.2
	bm25B  = 0.75
)

func newBM25(docs [][]string) *bm25 {
	ix := &bm25{postings: map[string][]posting{}, lengths: make([]float64, len(docs)), n: len(docs)}
	var total float64
	for i, terms := range docs {
		tf := map[string]float64{}
		for _, t := range terms {
			tf[t]++
		}
		for t, c := range tf {
			ix.postings[t] = append(ix.postings[t], posting{doc: int32(i), tf: float32(c)})
		}
		ix.lengths[i] = float64(len(terms))
		total += float64(len(terms))
	}
	if len(docs) > 0 {
		ix.avgLen = total / float64(len(docs))
	}
	return ix
}

// idf is the Robertson-Sparck Jones weight, floored at a small positive
// value so that a term present everywhere still counts a little.
func (ix *bm25) idf(term string) float64 {
	df := float64(len(ix.postings[term]))
	v := math.Log(1 + (float64(ix.n)-df+0.5)/(df+0.5))
	return math.Max(v, 0.01)
}

// score adds, for each weighted query term, its BM25 contribution to every
// passage that holds it, and returns the non-zero scores by passage.
func (ix *bm25) score(query []weighted) map[int]float64 {
	out := map[int]float64{}
	for _, q := range query {
		ps := ix.postings[q.term]
		if len(ps) == 0 {
			continue
		}
		idf := ix.idf(q.term)
		for _, p := range ps {
			tf := float64(p.tf)
			norm := bm25K1 * (1 - bm25B + bm25B*ix.lengths[p.doc]/ix.avgLen)
			out[int(p.doc)] += q.weight * idf * tf * (bm25K1 + 1) / (tf + norm)
		}
	}
	return out
}

// weighted is a query term with its weight: 1 for the user's own words,
// less for words the lexicon added.
type weighted struct {
	term   string
	weight float64
	// of is the user's term this one was added for ("" for the user's own).
	of string
	// topic is how much the user's word says about the question's
	// subject (see topicality); own terms only.
	topic float64
	// phrase holds every stem of the lexicon phrase this term comes from:
	// "feuille de route" counts as found only where all of it is.
	phrase []string
}

// has reports whether passage doc holds term. Postings are in passage
// order, so this is a binary search.
func (ix *bm25) has(term string, doc int) bool {
	ps := ix.postings[term]
	i := sort.Search(len(ps), func(i int) bool { return int(ps[i].doc) >= doc })
	return i < len(ps) && int(ps[i].doc) == doc
}

// hasAll reports whether passage doc holds every stem of phrase, or term
// alone when phrase is empty.
func (ix *bm25) hasAll(phrase []string, term string, doc int) bool {
	if len(phrase) == 0 {
		return ix.has(term, doc)
	}
	for _, s := range phrase {
		if !ix.has(s, doc) {
			return false
		}
	}
	return true
}
