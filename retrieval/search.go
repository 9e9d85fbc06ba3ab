package retrieval

import (
	"container/heap"
	"context"
	"fmt"
	"math"
	"slices"
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
	// framed says the text had no content words: own holds what framed
	// it ("what does the declaration say?").
	framed bool
	// overview says the question asks for the whole text ("tl;dr?",
	// "what does the declaration say?"): framed, by at least one word that
	// asks for the whole (lang.Language.Overview), the rest of its words
	// question words or everyday grammar.
	overview bool
	// summary says the overview was asked for in words that ask for the
	// whole even after context ("tl;dr", not "what does it say?").
	summary bool
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
	lt := ix.langs
	words := ix.dropStraddles(lt.Tokens(fold(text)))
	for i, w := range words {
		words[i] = ix.unelide(w, lang)
	}
	var content []string
	for _, w := range words {
		if !lt.IsStop(w, lang) && !lt.IsFramingIn(w, lang) && !lt.IsChat(w) && (len(w) > 1 || isDigits(w)) {
			content = append(content, w)
		}
	}
	if len(content) == 0 { // "What does the declaration say?": keep what there is
		q.framed = true
		for _, w := range words {
			if !lt.IsStop(w, lang) && !lt.IsChat(w) {
				content = append(content, w)
			}
		}
	}
	q.overview, q.summary = ix.asksOverview(words, lang)
	seen := map[string]int{}
	verbs := map[string]bool{} // verb forms the corpus lacks
	// A word the user capitalised inside a sentence is a name ("China",
	// "Toyota"), as topical as a word can be however common it is.
	named, acronym := map[string]bool{}, map[string]bool{}
	for _, w := range casedWords(text) {
		if w.capital && !w.initial {
			named[w.word] = true
		}
		acronym[w.word] = acronym[w.word] || w.acronym
	}
	typed := map[string]string{} // a stem's word as the user wrote it
	for _, w := range content {
		s := lt.Stem(w, lang)
		if _, ok := typed[s]; !ok {
			typed[s] = w
		}
		topic := lt.Topicality(w)
		// Katakana writes foreign names and loanwords as capitals mark
		// names in Latin and Cyrillic script ("ワールドカップ"), unless
		// the loanword is an everyday one ("ニュース", "テレビ").
		if (named[w] || isKatakana(w) && topic >= 1) && len(ix.lex.postings[s]) == 0 {
			topic = namedTopic
		} else if len(ix.lex.postings[s]) == 0 && lt.IsVerbForm(w, lang) {
			verbs[s] = true
		}
		// An acronym names a subject ("AI", "SCO") even where its letters
		// spell an everyday word of some language (French "ai").
		if acronym[w] {
			topic = max(topic, 1)
		}
		if i, ok := seen[s]; ok {
			q.own[i].topic = max(q.own[i].topic, topic)
			continue
		}
		seen[s] = len(q.own)
		q.own = append(q.own, weighted{term: s, weight: 1, topic: topic})
	}
	have := map[string]bool{}
	for s := range seen {
		have[s] = true
	}
	// A stemmer may cut one form of a word further than its others:
	// Snowball Russian takes "саммит" to "самм" as if "-ит" ended a
	// verb, but "саммита" to "саммит". The word as typed, where the
	// language's passages hold it as a stem, is the same word.
	whole := map[string]bool{}
	for _, t := range q.own {
		if w := typed[t.term]; w != t.term && ix.vocab[lang][w] && !have[w] {
			have[w], whole[t.term] = true, true
			q.extra = append(q.extra, weighted{term: w, weight: 1, of: t.term})
		}
	}
	for _, t := range q.own {
		if len(ix.lex.postings[t.term]) > 0 || whole[t.term] {
			continue
		}
		if c, ok := ix.correct(t.term, lang, lt.Listed(typed[t.term])); ok && !have[c] {
			have[c] = true
			q.extra = append(q.extra, weighted{term: c, weight: correctionWeight, of: t.term})
		}
	}
	q.extra = append(q.extra, ix.lexicon.expand(lt, content, have, lang)...)
	// A verb the corpus lacks ("приезжал"), and that no correction or
	// lexicon term stands for, is how the question is put, seldom what it
	// is about.
	for i, t := range q.own {
		if verbs[t.term] && !slices.ContainsFunc(q.extra, func(e weighted) bool { return e.standsFor(t.term) }) {
			q.own[i].topic = min(t.topic, verbTopic)
		}
	}
	return q
}

// asksOverview reports whether a question's words ask for the whole text:
// one asks for it ("summary", "declaration", "about", "要約"), none asks
// for one fact ("when", "quand": lang.Language.Pointed), and every other
// is a stopword, chat, a question word, or an everyday word the corpus
// does not hold ("fais", "peux"). "who are the parties?" asks about
// someone; "what does it say about people?" about people.
func (ix *Index) asksOverview(words []string, code string) (overview, summary bool) {
	lt := ix.langs
	for _, w := range words {
		topic := lt.Topicality(w)
		switch {
		case lt.IsPointed(w, code):
			return false, false
		case lt.IsOverview(w, code):
			overview = true
			summary = summary || lt.IsSummary(w, code)
		case lt.IsStop(w, code) || lt.IsChat(w) || lt.OpensQuestion([]string{w}, code):
		case lt.IsFramingIn(w, code) && topic == 0: // "何", "kind"
		case topic > 0 || len(ix.lex.postings[lt.Stem(w, code)]) > 0:
			return false, false
		}
	}
	return overview, summary
}

// unelide returns w as it would read with the apostrophe chat leaves
// out ("linitiative", "cest", "jai"): without its leading clitic, when w
// is neither in the corpus nor an everyday word of the language, and what
// is left is a stopword or a word the corpus holds. Anything else is left
// as typed ("test", "lune" are everyday French; "dune" stays a word unless
// "une" reads as one).
func (ix *Index) unelide(w, lang string) string {
	lt := ix.langs
	rest, ok := lt.Unelided(w, lang)
	if !ok || len(ix.lex.postings[lt.Stem(w, lang)]) > 0 || lt.IsStop(w, lang) || lt.Topicality(w) < 1 {
		return w
	}
	if lt.IsStop(rest, lang) || len(ix.lex.postings[lt.Stem(rest, lang)]) > 0 {
		return rest
	}
	return w
}

// dropStraddles drops from a question's words the kanji pairs that the
// corpus lacks and that sit between two words of a longer run the corpus
// has: "職業訓練" gives 職業, 業訓, 訓練, and 業訓 straddles the boundary
// of two words rather than naming a subject the text leaves out. A pair
// is part of a run when it overlaps its neighbour by a kanji.
func (ix *Index) dropStraddles(words []string) []string {
	pair := func(i int) []rune {
		if i < 0 || i >= len(words) {
			return nil
		}
		rs := []rune(words[i])
		if len(rs) != 2 || !unicode.Is(unicode.Han, rs[0]) || !unicode.Is(unicode.Han, rs[1]) {
			return nil
		}
		return rs
	}
	known := func(i int) bool { return len(ix.lex.postings[words[i]]) > 0 }
	var out []string
	for i, w := range words {
		cur := pair(i)
		if cur != nil && !known(i) {
			prev, next := pair(i-1), pair(i+1)
			if prev != nil && prev[1] == cur[0] && known(i-1) || next != nil && next[0] == cur[1] && known(i+1) {
				continue
			}
		}
		out = append(out, w)
	}
	return out
}

// verbTopic is the most topicality a verb form the corpus lacks keeps.
const verbTopic = 0.1

// namedTopic is the topicality of a word capitalised inside a sentence:
// above any common word, as "Australia" in "the capital of Australia" says
// more of what is asked than "capital" does.
const namedTopic = 2

// analyseMessage analyses a message of one or more sentences (and, in
// Japanese, clauses that set the scene: lang.Table.Clauses). The
// sentences that ask (they end with a question mark, or open as a
// question does: "which firm builds it") are the question, or the last
// sentence when none does; the words of the others are context and count
// for the scoring's Context share, in the ranking and in relevance alike.
// A sentence of framing alone ("c dans la déclaration ?") adds nothing. A
// question with no subject of its own ("so?", "who is right?") asks about
// the sentence before it, which is then the question, counting in full,
// the earlier ones staying context; with none before it, the whole
// message is the question. One that asks for the gist ("tl;dr?") asks for
// an overview whatever comes before it.
func (ix *Index) analyseMessage(text, lang string) query {
	var ss []string
	for _, s := range sentences(text) {
		ss = append(ss, ix.langs.Clauses(s, lang)...)
	}
	if len(ss) <= 1 {
		return ix.analyse(text, lang)
	}
	asks := make([]bool, len(ss))
	for i, s := range ss {
		asks[i] = ix.langs.Asks(s, lang)
	}
	if !slices.Contains(asks, true) {
		asks[len(ss)-1] = true
	}
	parts := make([]query, len(ss))
	subject := false // a sentence that asks has a topical word of its own
	for i, s := range ss {
		parts[i] = ix.analyse(s, lang)
		subject = subject || asks[i] && !parts[i].framed && slices.ContainsFunc(parts[i].own, func(t weighted) bool { return t.topic > subjectTopic })
	}
	if !subject {
		// A question without a subject of its own ("qui a raison ?", "is
		// that true?") asks about the sentence before it, which is the
		// question, the others its context; with none before it, the
		// whole message is the question.
		last := 0
		for i, a := range asks {
			if a {
				last = i
			}
		}
		// "my prof told me to read it. tl;dr?" asks for the whole text,
		// whatever the sentence before it says.
		if parts[last].summary {
			return parts[last]
		}
		before := -1
		for i := last - 1; i >= 0 && before < 0; i-- {
			if !parts[i].framed && len(parts[i].own) > 0 {
				before = i
			}
		}
		if before < 0 {
			return ix.analyse(text, lang)
		}
		for i := range asks {
			asks[i] = i == before
		}
	}
	q := query{lang: lang}
	own := map[string]int{}
	extra := map[[2]string]int{}
	for i, sq := range parts {
		if sq.framed {
			continue
		}
		f := 1.0
		if !asks[i] {
			f = ix.scoring.Context
		}
		for _, t := range sq.own {
			t.weight, t.context = f, !asks[i]
			if j, ok := own[t.term]; ok {
				q.own[j].weight = max(q.own[j].weight, f)
				q.own[j].topic = max(q.own[j].topic, t.topic)
				q.own[j].context = q.own[j].context && t.context
				continue
			}
			own[t.term] = len(q.own)
			q.own = append(q.own, t)
		}
		for _, e := range sq.extra {
			e.weight *= f
			k := [2]string{e.term, e.of}
			if j, ok := extra[k]; ok {
				q.extra[j].weight = max(q.extra[j].weight, e.weight)
				continue
			}
			extra[k] = len(q.extra)
			q.extra = append(q.extra, e)
		}
	}
	return q
}

// subjectTopic is the topicality a word of a sentence that asks must pass
// for the sentence to have a subject of its own: "qui a raison ?" and "is
// that right?" ask about the message's other sentences, whose words are
// then the question.
const subjectTopic = 0.1

// correctionWeight is what a spelling correction counts for: nearly the
// word itself, as a one-letter slip rarely changes the meaning.
const correctionWeight = 0.8

// correct returns the corpus term closest to an unknown term: within one
// edit for terms of five to seven letters, two from eight letters. Shorter
// terms are left alone: one edit turns them into other words ("cost",
// "coat"). Five letters are enough because a word of the language spelt
// right is never corrected (see spelt): "helth" and "sumit" are slips,
// "price" is not "prime".
//
// Failing that, a term of five letters or more that begins a corpus term,
// or that a corpus term of five letters or more begins, stands for it: a
// people's name and its country's ("kyrgyz", "kyrgyzstan"; "afghan",
// "afghanistan"), an adjective and its noun ("japanese", "japan").
//
// A word of the language spelt right (spelt) is not a slip: only the
// prefix rules apply to it ("прошел", took place, is not "прошл", past).
//
// A term one edit away stands for the word only if the question's
// language holds it, where the index holds that language: a slip is of a
// word of the language typed.
func (ix *Index) correct(term, lang string, spelt bool) (string, bool) {
	own := ix.vocab[lang]
	n := utf8.RuneCountInString(term)
	if n < prefixLen && !(n >= 3 && isKatakana(term)) || isDigits(term) {
		return "", false
	}
	maxDist := 1
	if n >= 8 {
		maxDist = 2
	}
	best, bestDist, bestDF := "", maxDist+1, 0
	prefix, prefixDF := "", 0
	// Katakana compounds are written as one word ("デジタルインフラ"), so
	// a katakana word of three letters or more also stands for a corpus
	// word it begins or ends ("インフラ").
	kana := n >= 3 && isKatakana(term)
	for cand, ps := range ix.lex.postings {
		if kana && cand != term && (strings.HasPrefix(cand, term) || strings.HasSuffix(cand, term)) &&
			(len(ps) > prefixDF || len(ps) == prefixDF && cand < prefix) {
			prefix, prefixDF = cand, len(ps)
		}
		if cand[0] != term[0] {
			continue
		}
		m := utf8.RuneCountInString(cand)
		if (strings.HasPrefix(cand, term) || m >= prefixLen && strings.HasPrefix(term, cand) && n-m <= 3) &&
			(len(ps) > prefixDF || len(ps) == prefixDF && cand < prefix) {
			prefix, prefixDF = cand, len(ps)
		}
		if spelt || own != nil && !own[cand] || n < 5 || m < n-maxDist || m > n+maxDist {
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
	if best == "" {
		best = prefix
	}
	return best, best != ""
}

// isKatakana reports whether w is written in katakana alone.
func isKatakana(w string) bool {
	for _, r := range w {
		if !unicode.Is(unicode.Katakana, r) && r != 'ー' {
			return false
		}
	}
	return w != ""
}

// prefixLen is the shortest term correct reads as the start of another.
const prefixLen = 5

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
	switch {
	case res.Confidence >= AbstainBelow:
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

// ranked is an aligned group of passages in fused order, with its
// relevance.
type ranked struct {
	group     string
	relevance float64
	// topical says a word of the question's own that the group holds is
	// topical (see subjectTopic): "world" alone relates nothing.
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
	}
	sort.SliceStable(out, func(a, b int) bool { return order[out[a].group] > order[out[b].group] })
	return out, nil
}

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
			topical = topical || credit > 0 && t.topic > subjectTopic
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
	vs := ix.aligned[group]
	if i, ok := vs.get(lang); ok {
		return ix.passages[i]
	}
	if i, ok := vs.get(English); ok {
		return ix.passages[i]
	}
	first := vs[0] // the first language in alphabetical order
	for _, v := range vs[1:] {
		if v.lang < first.lang {
			first = v
		}
	}
	return ix.passages[first.i]
}

func isZero(v []float32) bool {
	for _, x := range v {
		if x != 0 {
			return false
		}
	}
	return true
}

// sentences splits text at sentence ends (. ? ! and their run, and
// Japanese 。？！), keeping decimal numbers such as 4.2 whole.
func sentences(text string) []string {
	var out []string
	start := 0
	rs := []rune(text)
	for i, r := range rs {
		wide := r == '。' || r == '？' || r == '！'
		if r != '.' && r != '?' && r != '!' && !wide {
			continue
		}
		if r == '.' && i > 0 && i+1 < len(rs) && unicode.IsDigit(rs[i-1]) && unicode.IsDigit(rs[i+1]) {
			continue
		}
		// Japanese ends a sentence with no space after it.
		if !wide && i+1 < len(rs) && rs[i+1] != ' ' && rs[i+1] != '\n' {
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

// DetectLang guesses the language of text by the index's language table,
// and when the text gives no clue (names only: "Afghanistan"), by which
// language's vocabulary in the index holds more of its words.
func (ix *Index) DetectLang(text string) string {
	code, sure := ix.langs.Guess(text)
	if sure {
		return code
	}
	words := ix.langs.Tokens(fold(text))
	most := 0
	for _, c := range ix.langs.Codes() {
		n := 0
		for _, w := range words {
			if !isDigits(w) && ix.vocab[c][ix.langs.Stem(w, c)] { // a number tells no language
				n++
			}
		}
		if n > most {
			code, most = c, n
		}
	}
	return code
}
