package retrieval

import (
	"container/heap"
	"context"
	"fmt"
	"math"
	"sort"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/declbot/declbot/corpus"
)

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

// Search returns the passages that best answer text, read through
// CleanMessage. It fails on an empty or invalid query (ErrEmptyQuery for one
// of chat markup only); a question the corpus does not address is not an
// error but a Result with Abstained set.
func (ix *Index) Search(ctx context.Context, text string, opts SearchOptions) (Result, error) {
	if !utf8.ValidString(text) {
		return Result{}, fmt.Errorf("search: query is not valid UTF-8")
	}
	if text = CleanMessage(text); text == "" {
		return Result{}, ErrEmptyQuery
	}
	// lang is the reply's language; read, the one the question is read
	// in: the language asked for names the reply's, and the question's
	// own only where its words cannot tell ("main points?"), so that
	// "次のサミットはどこ？" asked for in English is still read as Japanese.
	lang := opts.Lang
	var read string
	switch lang {
	case "", "auto":
		lang = ix.DetectLang(text)
		read = lang
	default:
		if !ix.langs.Has(lang) {
			return Result{}, fmt.Errorf("search: unknown language %q (want auto or one of %s)", opts.Lang, strings.Join(ix.langs.Codes(), ", "))
		}
		read = lang
		if code, sure := ix.langs.Guess(text); sure {
			read = code
		}
	}
	k := opts.K
	if k <= 0 {
		k = DefaultK
	}
	k = min(k, len(ix.aligned))

	q := ix.analyseMessage(text, read)
	if q.overview {
		res := Result{Lang: lang, Outcome: Answered, Confidence: 1, Overview: true}
		groups := ix.overviewGroups()
		for _, g := range groups[:min(k, len(groups))] {
			res.Hits = append(res.Hits, Hit{Passage: ix.pick(g, lang), Score: 1})
		}
		return res, nil
	}
	res := Result{Lang: lang, Outcome: NotAddressed, Abstained: true}
	found, err := ix.rank(ctx, q, text, k)
	if err != nil {
		return Result{}, err
	}
	for _, r := range found {
		res.Confidence = max(res.Confidence, r.relevance)
	}
	hit := func(r ranked) Hit {
		return Hit{Passage: ix.pick(r.group, lang), Score: math.Round(r.relevance*1000) / 1000}
	}
	// A question that asks for a number or a date is answered first by a
	// paragraph that states one: the first of the numberReach best that
	// does, and that answers. With none, "how many scholarships?" gets
	// the paragraph on scholarships as related, under the hedge, while a
	// date may be told without one ("the next summit is planned in
	// Kazakhstan", no date given).
	answers := res.Confidence >= AbstainBelow
	if answers && (q.amount || q.date) {
		if stated := ix.numberFirst(found, lang); !stated && q.amount {
			answers = false
		}
	}
	switch {
	case answers:
		// The best passage answers; a further one is shown only if it
		// would answer on its own, and holds a fair share of what the best
		// one does: a second passage that shares one word with the
		// question is noise under an answer.
		for _, r := range found {
			if len(res.Hits) == k {
				break
			}
			if len(res.Hits) > 0 && r.relevance < max(AbstainBelow, showShare*res.Confidence) {
				continue
			}
			res.Hits = append(res.Hits, hit(r))
		}
		res.Outcome, res.Abstained = Answered, false
	case res.Confidence >= RelatedBelow:
		// Not an answer, but near one: the closest passages, for the
		// reader to judge under a hedge.
		for _, r := range found {
			if len(res.Related) == min(k, MaxRelated) {
				break
			}
			if r.relevance >= RelatedBelow && r.topical {
				res.Related = append(res.Related, hit(r))
			}
		}
		if len(res.Related) > 0 {
			res.Outcome = Related
		}
	}
	return res, nil
}

// numberReach is how far down the order numberFirst looks for a
// paragraph that states a number.
const numberReach = 2

// numberFirst moves the first of the numberReach best groups whose
// passage shown in lang states a number, and whose relevance answers, to
// the front, and reports whether there was one.
func (ix *Index) numberFirst(found []ranked, lang string) bool {
	for j, r := range found[:min(len(found), numberReach)] {
		if r.relevance >= AbstainBelow && ix.holdsNumber(r.group, lang) {
			copy(found[1:j+1], found[:j])
			found[0] = r
			return true
		}
	}
	return false
}

// holdsNumber reports whether the group's passage shown in lang states a
// number (see lang.Table.HoldsNumber).
func (ix *Index) holdsNumber(group, lang string) bool {
	i := ix.pickIndex(group, lang)
	return ix.numbered.get(i, func() bool {
		p := ix.passages[i]
		return ix.langs.HoldsNumber(p.Text, p.Lang)
	})
}

// ranked is an aligned group of passages in fused order, with its
// relevance.
type ranked struct {
	group     string
	relevance float64
	// topical says a word of the question's own that the group holds is
	// topical (see subjectTopic) and not a number: "world" alone relates
	// nothing, nor the "2" of "x^2".
	topical bool
}

// rank fuses the lexical and vector rankings of aligned groups for text,
// analysed as q, and returns up to pool of them, best first, each with its
// relevance. It returns nothing for a question with no content words.
func (ix *Index) rank(ctx context.Context, q query, text string, pool int) ([]ranked, error) {
	if len(q.own) == 0 {
		return nil, nil
	}
	// A model embedder can fail (server down, timeout): the lexical side
	// still ranks, so the search goes on without vectors rather than fail.
	vecs, err := ix.emb.Embed(ctx, []string{text})
	if err != nil && ctx.Err() != nil {
		return nil, fmt.Errorf("search: embed query: %w", err)
	}
	var qv []float32
	if err == nil && len(vecs) == 1 {
		qv = ix.queryVector(vecs[0])
	}
	return ix.rankVector(ctx, q, qv, pool, ix.calibration)
}

// queryVector returns v normalised, or nil when it cannot be compared with
// the passages' vectors (wrong size, or zero: a text with no content).
func (ix *Index) queryVector(v []float32) []float32 {
	if len(v) != ix.emb.Spec().Dims || isZero(v) {
		return nil
	}
	qv := append([]float32(nil), v...)
	normalize(qv)
	return qv
}

// rankVector ranks for an analysed query and its normalised vector (nil
// for none). With a calibration, each group's relevance takes in its
// vector similarity (see Calibration).
func (ix *Index) rankVector(ctx context.Context, q query, qv []float32, pool int, cal *Calibration) ([]ranked, error) {
	lexScores := ix.lex.score(q.terms())
	lexRank := ix.rankGroups(lexScores, candidatePool)

	vecScores := map[int]float64{}
	if qv != nil {
		// The collection holds one vector per passage, a paragraph in
		// each of its languages: asking for candidatePool per language
		// proposes candidatePool groups whatever the number of languages.
		n := min(candidatePool*max(len(ix.vocab), 1), ix.coll.Count())
		found, err := ix.coll.QueryEmbedding(ctx, qv, n, nil, nil)
		if err != nil {
			return nil, fmt.Errorf("search: vector query: %w", err)
		}
		fam := ix.langs.Family(q.lang)
		for _, f := range found {
			if i := ix.byKey[f.ID]; ix.vectorCounts(i, fam) {
				vecScores[i] = float64(f.Similarity)
			}
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
	// some may fall under the share a further passage needs.
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
	qw := ix.weights(q)
	for i, g := range groups {
		out[i].group = g
		out[i].relevance, out[i].topical = ix.relevance(q, qw, g)
		if cal != nil && qv != nil {
			out[i].relevance = cal.adjust(out[i].relevance, ix.similarity(qv, g))
		}
		order[g] = out[i].relevance + fusedShare*fused[g]/top
		if ix.holdsPhrase(g, q) {
			order[g] += phraseShare
		}
		order[g] -= hubShare * ix.centrality(g)
	}
	sort.SliceStable(out, func(a, b int) bool { return order[out[a].group] > order[out[b].group] })
	return out, nil
}

// phraseShare is what holding two of the question's words side by side,
// as the question does, adds to a paragraph's place in the order (not to
// its relevance): "energy security" comes before "economic security.
// Energy resources…".
const phraseShare = 0.1

// hubShare is what summing up the document takes from a paragraph's place
// in the order, at most (see centrality): a paragraph that names every
// area of cooperation (¶3.3, ¶9.3 in the digest) gives way to the one on
// the area asked about, where both hold the question's words. Chosen on
// the tuning parts, trying 0.05 to 0.3: Discord-style hit@1 0.902 to
// 0.918 from 0.12 to 0.15, the other tuning parts unchanged up to 0.2.
const hubShare = 0.13

// holdsPhrase reports whether the version of group in q's language (or
// the one pick gives) holds two words of q next to each other and in the
// question's order, stopwords aside.
func (ix *Index) holdsPhrase(group string, q query) bool {
	if len(q.pairs) == 0 {
		return false
	}
	ts := ix.passageTerms(ix.pickIndex(group, q.lang))
	for i := 0; i+1 < len(ts); i++ {
		for _, pr := range q.pairs {
			if ts[i] == pr[0] && ts[i+1] == pr[1] {
				return true
			}
		}
	}
	return false
}

// passageTerms returns the analysed terms of passage i in their order,
// kept once computed (see passageMemo): the index keeps only their
// counts, and a phrase is looked for in a handful of candidates a
// question.
func (ix *Index) passageTerms(i int) []string {
	return ix.terms.get(i, func() []string {
		p := ix.passages[i]
		return stemCache(nil).terms(ix.langs, EmbedText(p), p.Lang)
	})
}

// passageMemo keeps a value computed from one passage, by the passage's
// index into Index.passages, for the few candidates of each question
// that need it. It is emptied when it reaches maxKept passages, so
// that a large corpus does not keep something of every passage.
type passageMemo[V any] struct {
	mu sync.Mutex
	m  map[int]V
}

// get returns the value kept for passage i, computing and keeping it
// first if needed.
func (c *passageMemo[V]) get(i int, compute func() V) V {
	c.mu.Lock()
	v, ok := c.m[i]
	c.mu.Unlock()
	if ok {
		return v
	}
	v = compute()
	c.mu.Lock()
	if c.m == nil || len(c.m) >= maxKept {
		c.m = map[int]V{}
	}
	c.m[i] = v
	c.mu.Unlock()
	return v
}

// maxKept bounds the passages a passageMemo keeps.
const maxKept = 4096

// vectorCounts reports whether the similarity of passage i to a question
// in a language of family fam ranks its group: a paragraph is ranked by its versions in the
// question's script when it has one, so that the built-in embedder's
// chance likeness between a French question and Japanese text (digits,
// hashed letter runs) cannot reorder groups; a paragraph only in other
// scripts is ranked by them, as a model embedder can match across
// languages.
func (ix *Index) vectorCounts(i int, fam string) bool {
	p := ix.passages[i]
	if ix.families[p.Lang] == fam {
		return true
	}
	for _, v := range ix.aligned[p.AlignKey()] {
		if ix.families[v.lang] == fam {
			return false
		}
	}
	return true
}

// Outcome thresholds on relevance, fitted on the tuning parts of the
// project's own question sets (see TestCalibration): under AbstainBelow
// the best passage is not given as the answer; under RelatedBelow, or when
// it holds none of the question's topical words, it is not even shown as
// related. MaxRelated is the most related passages shown.
const (
	AbstainBelow = 0.47
	RelatedBelow = 0.3
	MaxRelated   = 3
)

// showShare drops a further passage whose relevance is under this share of
// the best one: a question about Afghanistan should not also quote a
// paragraph that merely shares the word "position".
const showShare = 0.6

// Scoring parameters of relevance, fitted by TestCalibration on the tuning
// half of the project's own question sets (see scoring).
var defaultScoring = scoring{KnownFloor: 0.4, UnknownShare: 0.5, Context: 0.6}

// scoring weighs a question's words for relevance. A word the corpus
// holds counts for its IDF, scaled between KnownFloor (an everyday word)
// and 1 (a topical one); a word the corpus does not hold at all, nor any
// correction or lexicon term of it, counts for UnknownShare of the highest
// IDF, scaled by its topicality alone: "gonna" or "thanks" is evidence of
// nothing, "pipeline" or "Aral" is evidence that the question is about
// something the corpus does not cover.
type scoring struct {
	KnownFloor   float64
	UnknownShare float64
	// Context is what the words of a message's context count for against
	// those of its question, where a passage holds them (see relevance):
	// in "my cousin works at a mine. anything on the metals for
	// batteries?" the cousin and the mine are context.
	Context float64
}

// weights returns the weight of each of q's own terms (see scoring): a
// term counts as known when the corpus holds it, directly or through one
// of its expansions.
func (ix *Index) weights(q query) []float64 {
	w := make([]float64, len(q.own))
	for i, t := range q.own {
		known := len(ix.lex.postings[t.term]) > 0
		for _, e := range q.extra {
			if known {
				break
			}
			if e.standsFor(t.term) && len(ix.lex.postings[e.term]) > 0 {
				known = true
			}
		}
		if known {
			w[i] = t.weight * ix.lex.idf(t.term) * (ix.scoring.KnownFloor + (1-ix.scoring.KnownFloor)*t.topic)
		} else {
			w[i] = t.weight * ix.lex.idf(t.term) * ix.scoring.UnknownShare * t.topic
		}
	}
	return w
}

// standsFor reports whether an added term was added for the user's term.
func (e weighted) standsFor(term string) bool {
	return e.of == term || strings.HasPrefix(e.of, term+" ") || strings.HasSuffix(e.of, " "+term)
}

// relevance scores a group of aligned passages for a query, from 0 to 1:
// the share of the query's weight (see weights) that the paragraph holds,
// each term found in any of its language versions, as they say the same:
// in "где прошел саммит?" the summit is in the Russian version and the
// verb's lexicon term "held" in the English one. A term found only
// through a correction or a lexicon expansion counts for part of its
// weight. A word of the message's context
// counts only where the passage holds it: who asks and why ("my sister in
// Samarkand") is evidence for a passage that speaks of it, never against
// one that answers the question without it.
func (ix *Index) relevance(q query, w []float64, group string) (float64, bool) {
	var got, total, context float64
	topical := false
	for j, t := range q.own {
		credit := 0.0
		for _, v := range ix.aligned[group] {
			i := v.i
			if ix.lex.has(t.term, i) {
				credit = 1
				break
			}
			for _, e := range q.extra {
				if credit < e.weight && e.standsFor(t.term) && ix.lex.hasAll(e.phrase, e.term, i) {
					credit = max(credit, expansionCredit(e.weight))
				}
			}
		}
		if t.context {
			context += w[j] * credit
		} else {
			total += w[j]
			got += w[j] * credit
			topical = topical || credit > 0 && t.topic > subjectTopic && !isDigits(t.term)
		}
	}
	// Context found supports what the passage holds of the question's
	// own words, up to the Context share of it: it cannot stand in for
	// a question about something else ("my dad works in logistics.
	// what about football?").
	context = min(context, ix.scoring.Context*got)
	if total+context == 0 {
		return 0, false
	}
	return (got + context) / (total + context), topical
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
	return ix.passages[ix.pickIndex(group, lang)]
}

// pickIndex is pick's passage as an index into ix.passages.
func (ix *Index) pickIndex(group, lang string) int {
	vs := ix.aligned[group]
	if i, ok := vs.get(lang); ok {
		return i
	}
	if i, ok := vs.get(English); ok {
		return i
	}
	first := vs[0] // the first language in alphabetical order
	for _, v := range vs[1:] {
		if v.lang < first.lang {
			first = v
		}
	}
	return first.i
}

func isZero(v []float32) bool {
	for _, x := range v {
		if x != 0 {
			return false
		}
	}
	return true
}
