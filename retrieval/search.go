package retrieval

import (
	"container/heap"
	"context"
	"fmt"
	"math"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/declbot/declbot/corpus"
)

// query is a question analysed for search.
type query struct {
	lang string
	// own are the user's content words, stemmed, each once.
	own []weighted
	// extra are lexicon expansions and spelling corrections.
	extra []weighted
}

// terms returns every term of the query once, with its highest weight,
// for scoring.
func (q query) terms() []weighted {
	at := map[string]int{}
	var out []weighted
	for _, t := range append(append([]weighted(nil), q.own...), q.extra...) {
		if i, ok := at[t.term]; ok {
			out[i].weight = max(out[i].weight, t.weight)
			continue
		}
		at[t.term] = len(out)
		out = append(out, t)
	}
	return out
}

// analyse turns a question into weighted terms: the user's content words,
// question-framing words dropped ("what does the declaration say about");
// words the corpus does not hold corrected to a close one it does; and the
// lexicon's expansions.
func (ix *Index) analyse(text, lang string) query {
	q := query{lang: lang}
	words := tokens(fold(text))
	var content []string
	for _, w := range words {
		if !isStopword(w, lang) && !questionWords[w] {
			content = append(content, w)
		}
	}
	if len(content) == 0 { // "What does the declaration say?": keep what there is
		for _, w := range words {
			if !isStopword(w, lang) {
				content = append(content, w)
			}
		}
	}
	seen := map[string]bool{}
	for _, w := range content {
		s := stem(w, lang)
		if seen[s] {
			continue
		}
		seen[s] = true
		q.own = append(q.own, weighted{term: s, weight: 1})
	}
	for _, t := range q.own {
		if len(ix.lex.postings[t.term]) > 0 {
			continue
		}
		if c, ok := ix.correct(t.term); ok && !seen[c] {
			seen[c] = true
			q.extra = append(q.extra, weighted{term: c, weight: correctionWeight, of: t.term})
		}
	}
	q.extra = append(q.extra, ix.lexicon.expand(content, seen, lang)...)
	return q
}

// correctionWeight is what a spelling correction counts for: nearly the
// word itself, as a one-letter slip rarely changes the meaning.
const correctionWeight = 0.8

// correct returns the corpus term closest to an unknown term: within one
// edit for terms of six to seven letters, two from eight letters. Shorter
// terms are left alone: one edit turns them into other words ("price",
// "prime").
func (ix *Index) correct(term string) (string, bool) {
	n := utf8.RuneCountInString(term)
	if n < 6 || isDigits(term) {
		return "", false
	}
	maxDist := 1
	if n >= 8 {
		maxDist = 2
	}
	best, bestDist, bestDF := "", maxDist+1, 0
	for cand, ps := range ix.lex.postings {
		m := utf8.RuneCountInString(cand)
		if m < n-maxDist || m > n+maxDist || cand[0] != term[0] {
			continue
		}
		d := editDistance(term, cand, maxDist)
		if d > maxDist {
			continue
		}
		if d < bestDist || d == bestDist && (len(ps) > bestDF || len(ps) == bestDF && cand < best) {
			best, bestDist, bestDF = cand, d, len(ps)
		}
	}
	return best, best != ""
}

// editDistance is the Levenshtein distance between a and b, or max+1 once
// it is known to exceed max.
func editDistance(a, b string, max int) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		rowMin := cur[0]
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			rowMin = min(rowMin, cur[j])
		}
		if rowMin > max {
			return max + 1
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

// Ranking constants. rrfK damps the reciprocal-rank fusion: with a few
// dozen candidates a small K lets the first ranks of each list count.
const (
	rrfK          = 10
	candidatePool = 64  // groups each ranking proposes to the fusion
	lexicalWeight = 1.0 // weights of the two rankings in the fusion
	vectorWeight  = 0.7
	// rerankExtra is how many candidates beyond those asked for are
	// scored for relevance, and fusedShare how much the fused rank counts
	// against relevance when ordering them.
	rerankExtra = 5
	fusedShare  = 0.3
)

// Search returns the passages that best answer text. It fails on an empty
// or invalid query; a question the corpus does not address is not an
// error but a Result with Abstained set.
func (ix *Index) Search(ctx context.Context, text string, opts SearchOptions) (Result, error) {
	text = strings.TrimSpace(text)
	if text == "" {
		return Result{}, ErrEmptyQuery
	}
	if !utf8.ValidString(text) {
		return Result{}, fmt.Errorf("search: query is not valid UTF-8")
	}
	lang := opts.Lang
	switch lang {
	case "", "auto":
		lang = ix.DetectLang(text)
	case English, French:
	default:
		return Result{}, fmt.Errorf("search: unknown language %q (want en, fr or auto)", opts.Lang)
	}
	k := opts.K
	if k <= 0 {
		k = DefaultK
	}
	k = min(k, len(ix.aligned))

	res := Result{Lang: lang}
	ranked, err := ix.rank(ctx, text, lang, k)
	if err != nil {
		return Result{}, err
	}
	for _, r := range ranked {
		res.Confidence = max(res.Confidence, r.relevance)
	}
	if res.Confidence < AbstainBelow {
		res.Abstained = true
		return res, nil
	}
	for _, r := range ranked {
		if len(res.Hits) == k {
			break
		}
		if r.relevance < max(ShowBelow, showShare*res.Confidence) {
			continue
		}
		res.Hits = append(res.Hits, Hit{Passage: ix.pick(r.group, lang), Score: math.Round(r.relevance*1000) / 1000})
	}
	res.Abstained = len(res.Hits) == 0
	return res, nil
}

// ranked is an aligned group of passages in fused order, with its
// relevance.
type ranked struct {
	group     string
	relevance float64
}

// rank fuses the lexical and vector rankings of aligned groups for text and
// returns up to pool of them, best first, each with its relevance. It
// returns nothing for a question with no content words.
func (ix *Index) rank(ctx context.Context, text, lang string, pool int) ([]ranked, error) {
	q := ix.analyse(text, lang)
	if len(q.own) == 0 {
		return nil, nil
	}

	// A question of several sentences ("I read about the summit. What
	// about minerals?") is as relevant as its most relevant sentence:
	// words of a preamble, or of an instruction tacked on, do not dilute it.
	var parts []query
	if ss := sentences(text); len(ss) > 1 {
		for _, s := range ss {
			if sq := ix.analyse(s, lang); len(sq.own) > 0 {
				parts = append(parts, sq)
			}
		}
	}

	lexScores := ix.lex.score(q.terms())
	lexRank := ix.rankGroups(lexScores, candidatePool)

	vecScores := map[int]float64{}
	// A model embedder can fail (server down, timeout): the lexical side
	// still ranks, so the search goes on without vectors rather than fail.
	vecs, err := ix.emb.Embed(ctx, []string{text})
	if err != nil && ctx.Err() != nil {
		return nil, fmt.Errorf("search: embed query: %w", err)
	}
	if err == nil && len(vecs) == 1 && len(vecs[0]) == ix.emb.Spec().Dims && !isZero(vecs[0]) {
		qv := append([]float32(nil), vecs[0]...)
		normalize(qv)
		n := min(candidatePool, ix.coll.Count())
		found, err := ix.coll.QueryEmbedding(ctx, qv, n, nil, nil)
		if err != nil {
			return nil, fmt.Errorf("search: vector query: %w", err)
		}
		for _, f := range found {
			vecScores[ix.byKey[f.ID]] = float64(f.Similarity)
		}
	}
	vecRank := ix.rankGroups(vecScores, candidatePool)

	fused := map[string]float64{}
	for r, g := range lexRank {
		fused[g] += lexicalWeight / float64(rrfK+r+1)
	}
	for r, g := range vecRank {
		fused[g] += vectorWeight / float64(rrfK+r+1)
	}
	groups := make([]string, 0, len(fused))
	for g := range fused {
		groups = append(groups, g)
	}
	sort.Slice(groups, func(a, b int) bool {
		if fused[groups[a]] != fused[groups[b]] {
			return fused[groups[a]] > fused[groups[b]]
		}
		return groups[a] < groups[b]
	})
	// Relevance is computed for a few more groups than asked for, since
	// some may fall under ShowBelow.
	// The fused order picks the candidates; relevance orders them, the
	// fused score breaking near-ties, so that a paragraph that holds
	// more of the question comes before a summary that names it in passing.
	groups = groups[:min(len(groups), pool+rerankExtra)]
	out := make([]ranked, len(groups))
	top := 0.0
	if len(groups) > 0 {
		top = fused[groups[0]]
	}
	order := map[string]float64{}
	for i, g := range groups {
		out[i] = ranked{group: g, relevance: ix.relevance(q, g)}
		for _, sq := range parts {
			out[i].relevance = max(out[i].relevance, ix.relevance(sq, g))
		}
		order[g] = out[i].relevance + fusedShare*fused[g]/top
	}
	sort.SliceStable(out, func(a, b int) bool { return order[out[a].group] > order[out[b].group] })
	return out, nil
}

// Abstention thresholds on relevance, calibrated on
// testdata/calibration.yaml (see TestCalibration): AbstainBelow is the
// relevance under which the best passage is not shown at all; ShowBelow is
// the relevance under which a further passage is left out.
const (
	AbstainBelow = 0.49
	ShowBelow    = 0.3
)

// showShare drops a further passage whose relevance is under this share of
// the best one: a question about Afghanistan should not also quote a
// paragraph that merely shares the word "position".
const showShare = 0.6

// relevance scores a group of aligned passages for a query, from 0 to 1:
// the share of the query's own terms, weighted by IDF, found in the best
// language version; a term found only through a correction or a lexicon
// expansion counts for that term's weight.
func (ix *Index) relevance(q query, group string) float64 {
	best := 0.0
	for _, i := range ix.aligned[group] {
		var got, total float64
		for _, t := range q.own {
			idf := ix.lex.idf(t.term)
			total += idf
			credit := 0.0
			if ix.lex.has(t.term, i) {
				credit = 1
			}
			for _, e := range q.extra {
				if credit < e.weight && (e.of == t.term || strings.HasPrefix(e.of, t.term+" ") || strings.HasSuffix(e.of, " "+t.term)) && ix.lex.hasAll(e.phrase, e.term, i) {
					credit = expansionCredit(e.weight)
				}
			}
			got += idf * credit
		}
		if total > 0 {
			best = math.Max(best, got/total)
		}
	}
	return best
}

// expansionCredit turns a term's weight into the credit a match on it gives
// the user's word: a correction nearly counts as the word, an expansion
// counts for a good share, since the lexicon pairs words of one meaning.
func expansionCredit(w float64) float64 {
	if w >= correctionWeight {
		return w
	}
	return 0.8
}

// rankGroups returns the n aligned groups whose passages score best, best
// first, by their AlignKey. It selects with a small heap rather than
// sorting every scored passage, which matters on large corpora where a
// common word scores most of them.
func (ix *Index) rankGroups(scores map[int]float64, n int) []string {
	best := make(map[int]float64, min(len(scores), 4*n))
	for i, s := range scores {
		g := ix.groupOf[i]
		if cur, ok := best[g]; !ok || s > cur {
			best[g] = s
		}
	}
	h := &groupHeap{}
	for g, s := range best {
		if h.Len() < n {
			heap.Push(h, scored{g, s})
		} else if s > (*h)[0].score || s == (*h)[0].score && g < (*h)[0].group {
			(*h)[0] = scored{g, s}
			heap.Fix(h, 0)
		}
	}
	out := make([]string, h.Len())
	for i := len(out) - 1; i >= 0; i-- {
		out[i] = ix.groupKey[heap.Pop(h).(scored).group]
	}
	return out
}

type scored struct {
	group int
	score float64
}

// groupHeap is a min-heap on score (ties: the larger group number is
// smaller), so its root is the weakest of the groups kept.
type groupHeap []scored

func (h groupHeap) Len() int { return len(h) }
func (h groupHeap) Less(a, b int) bool {
	if h[a].score != h[b].score {
		return h[a].score < h[b].score
	}
	return h[a].group > h[b].group
}
func (h groupHeap) Swap(a, b int) { h[a], h[b] = h[b], h[a] }
func (h *groupHeap) Push(x any)   { *h = append(*h, x.(scored)) }
func (h *groupHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

// pick returns the group's passage in lang, or else in English, or else any.
func (ix *Index) pick(group, lang string) corpus.Passage {
	vs := ix.aligned[group]
	if i, ok := vs[lang]; ok {
		return ix.passages[i]
	}
	if i, ok := vs[English]; ok {
		return ix.passages[i]
	}
	keys := make([]string, 0, len(vs))
	for l := range vs {
		keys = append(keys, l)
	}
	sort.Strings(keys)
	return ix.passages[vs[keys[0]]]
}

func isZero(v []float32) bool {
	for _, x := range v {
		if x != 0 {
			return false
		}
	}
	return true
}

// sentences splits text at sentence ends (. ? ! and their run), keeping
// decimal numbers such as 4.2 whole.
func sentences(text string) []string {
	var out []string
	start := 0
	rs := []rune(text)
	for i, r := range rs {
		if r != '.' && r != '?' && r != '!' {
			continue
		}
		if r == '.' && i > 0 && i+1 < len(rs) && unicode.IsDigit(rs[i-1]) && unicode.IsDigit(rs[i+1]) {
			continue
		}
		if i+1 < len(rs) && rs[i+1] != ' ' && rs[i+1] != '\n' {
			continue
		}
		if s := strings.TrimSpace(string(rs[start : i+1])); s != "" {
			out = append(out, s)
		}
		start = i + 1
	}
	if s := strings.TrimSpace(string(rs[start:])); s != "" {
		out = append(out, s)
	}
	return out
}

// DetectLang guesses the language of text as the package function does,
// and when that has no clue (a terse query such as "changement
// climatique" holds no function word), by which language's vocabulary in
// the index holds more of its words.
func (ix *Index) DetectLang(text string) string {
	en, fr := langScores(text)
	if en != fr {
		return pickLang(en, fr)
	}
	var ven, vfr int
	for _, w := range tokens(fold(text)) {
		if ix.vocab[English][stem(w, English)] {
			ven++
		}
		if ix.vocab[French][stem(w, French)] {
			vfr++
		}
	}
	if vfr > ven {
		return French
	}
	return English
}
