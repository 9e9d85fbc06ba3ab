package retrieval

import (
	"math"
	"sort"
)

// bm25 is an Okapi BM25 index over analysed passages. Each passage is its
// chapter title plus its text, so a question that names a chapter's subject
// finds that chapter's paragraphs even where the paragraph uses other words.
//
// The corpus holds the same paragraphs in several languages, so a term's
// rarity is measured among the passages of the script it is written in
// (its family, see lang.Table.Family: English and French share words and
// are one), and a passage's length against the passages of its family:
// adding a Russian or Japanese version changes neither how much an
// English word weighs nor how long an English paragraph counts (Japanese
// pairs of kanji outnumber the words of the same paragraph in English).
type bm25 struct {
	postings map[string][]posting // term -> passages holding it
	norms    []float64            // passage length over its language's mean
	idfs     map[string]float64
	unknown  float64 // idf of a term no passage holds
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

// newBM25 indexes docs, the analysed passages, whose language families
// are langs.
func newBM25(docs [][]string, langs []string) *bm25 {
	ix := &bm25{postings: map[string][]posting{}, norms: make([]float64, len(docs))}
	lengths := make([]float64, len(docs)) // passage length in terms
	count, total := map[string]float64{}, map[string]float64{}
	for i, terms := range docs {
		tf := map[string]float64{}
		for _, t := range terms {
			tf[t]++
		}
		for t, c := range tf {
			ix.postings[t] = append(ix.postings[t], posting{doc: int32(i), tf: float32(c)})
		}
		lengths[i] = float64(len(terms))
		count[langs[i]]++
		total[langs[i]] += float64(len(terms))
	}
	for i := range docs {
		if avg := total[langs[i]] / count[langs[i]]; avg > 0 {
			ix.norms[i] = lengths[i] / avg
		}
	}
	largest := 0.0
	for _, c := range count {
		largest = max(largest, c)
	}
	ix.unknown = math.Log(1 + (largest+0.5)/0.5)
	ix.idfs = make(map[string]float64, len(ix.postings))
	for t, ps := range ix.postings {
		df := map[string]float64{}
		for _, p := range ps {
			df[langs[p.doc]]++
		}
		// The mean of its families' weights: a number, or a Latin
		// abbreviation in Japanese text, weighs what it does in each.
		var sum float64
		for l, d := range df {
			sum += math.Log(1 + (count[l]-d+0.5)/(d+0.5))
		}
		ix.idfs[t] = math.Max(sum/float64(len(df)), 0.01)
	}
	return ix
}

// idf is the Robertson-Sparck Jones weight of term in the languages that
// hold it (see bm25), floored at a small positive value so that a term
// present everywhere still counts a little; a term the corpus lacks gets
// the weight of one held by no passage of the largest language.
func (ix *bm25) idf(term string) float64 {
	if v, ok := ix.idfs[term]; ok {
		return v
	}
	return ix.unknown
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
			norm := bm25K1 * (1 - bm25B + bm25B*ix.norms[p.doc])
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
	// context says the user's word is only in the context of a message,
	// not in the sentences that ask (see analyseMessage); own terms only.
	context bool
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
