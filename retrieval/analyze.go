// Package retrieval finds the passages of the corpus that answer a
// question. It analyses text (case and accent folding, French elision,
// stopwords, Snowball stemming), embeds it (a built-in offline embedder,
// or any Embedder), keeps the vectors in a chromem-go collection beside a
// BM25 lexical index, fuses the two rankings, aligns English and French
// versions of the same paragraph, and abstains when nothing is relevant.
//
// It is the only package that imports chromem-go.
package retrieval

import (
	"maps"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/declbot/declbot/corpus/lang"
)

// Languages the bundled corpus is written in, as the language table names
// them.
const (
	English = lang.English
	French  = lang.French
)

// defaultLangs is the language table of the package functions (Terms,
// DetectLang) and of an index built without one of its own. A table is
// read-only once built, so one is shared.
var defaultLangs = sync.OnceValue(lang.Default)

// fold and isDigits name the table's text functions for this package, whose
// parameters are often called lang.
func fold(s string) string   { return lang.Fold(s) }
func isDigits(s string) bool { return lang.IsNumber(s) }

// Terms analyses text in lang into the stems the indexes work on: folded,
// elisions split, stopwords dropped, stemmed. Order is kept and repeats are
// kept, so callers can count term frequencies.
func Terms(text, lang string) []string { return stemCache(nil).terms(defaultLangs(), text, lang) }

// stemCache memoises stem over one pass through a corpus: words repeat
// and Snowball is most of the time spent assembling (or loading) an index.
// A nil cache stems every word afresh.
type stemCache map[[2]string]string

func (c stemCache) terms(t *lang.Table, text, code string) []string {
	var out []string
	for _, w := range t.Tokens(fold(text)) {
		if t.IsStop(w, code) {
			continue
		}
		out = append(out, c.stem(t, w, code))
	}
	return out
}

// stem is t.Stem(w, code), from the cache when it holds it.
func (c stemCache) stem(t *lang.Table, w, code string) string {
	if c == nil {
		return t.Stem(w, code)
	}
	k := [2]string{w, code}
	s, ok := c[k]
	if !ok {
		s = t.Stem(w, code)
		c[k] = s
	}
	return s
}

// DetectLang guesses the language of text by the default language table
// (see lang.Table.Detect): English when it cannot tell, as most of the
// bot's users ask in English.
func DetectLang(text string) string { return defaultLangs().Detect(text) }

// casedWord is a word of unfolded text with what its case tells: whether it
// is capitalised, and whether it opens a sentence (where a capital says
// nothing).
type casedWord struct {
	word    string // folded
	capital bool
	initial bool
	// acronym: two letters or more, all capitals ("AI", "SCO").
	acronym bool
}

// casedWords splits unfolded text into words of letters and digits, for
// telling names from words: "Tokyo" is capitalised wherever it stands,
// "summit" only at the start of a sentence.
func casedWords(text string) []casedWord {
	var out []casedWord
	initial := true
	start := -1
	flush := func(end int) {
		if start < 0 {
			return
		}
		w := text[start:end]
		r, _ := utf8.DecodeRuneInString(w)
		out = append(out, casedWord{word: fold(w), capital: unicode.IsUpper(r), initial: initial, acronym: isAcronym(w)})
		initial = false
		start = -1
	}
	for i, r := range text {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if start < 0 {
				start = i
			}
		case r == '\'' || r == '’':
			flush(i) // l'Asie: "Asie" is not sentence-initial
		default:
			flush(i)
			if r == '.' || r == '?' || r == '!' || r == '\n' || r == ':' || r == '#' || r == '[' {
				initial = true
			}
		}
	}
	flush(len(text))
	return out
}

// isAcronym reports whether w is two letters or more, all capitals.
func isAcronym(w string) bool {
	n := 0
	for _, r := range w {
		if !unicode.IsUpper(r) {
			return false
		}
		n++
	}
	return n >= 2
}

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
	// "what does the declaration say?"; see asksOverview).
	overview bool
	// summary says the overview was asked for in words that ask for the
	// whole even after context ("tl;dr", not "what does it say?").
	summary bool
	// amount says the question asks for a number ("how many",
	// "combien"), date for a date ("when", "когда"; see
	// lang.Table.AsksNumber): a paragraph that states one comes first,
	// and for an amount, one that states none does not answer.
	amount, date bool
	// pairs are the stems of the question's content words that stand
	// next to each other ("energy security"), for the ranking's phrase
	// tie-break (see phraseShare).
	pairs [][2]string
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
	q.amount, q.date = lt.AsksNumber(text, lang)
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
	// The word a question says it is about ("about water"), where the
	// corpus lacks it, is evidence that the question asks of something
	// the corpus does not cover, however everyday the word.
	subjects := lt.Subjects(words, lang)
	typed := map[string]string{} // a stem's word as the user wrote it
	prev := ""                   // the stem of the content word before
	for _, w := range content {
		s := lt.Stem(w, lang)
		if !q.framed && prev != "" && prev != s {
			q.pairs = append(q.pairs, [2]string{prev, s})
		}
		prev = s
		if _, ok := typed[s]; !ok {
			typed[s] = w
		}
		topic := lt.Topicality(w)
		if subjects[w] && len(ix.lex.postings[s]) == 0 {
			topic = 1
		}
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
		if c, ok := ix.correct(t.term, lang, lt.Listed(typed[t.term]) || lt.Listed(t.term)); ok && !have[c] {
			have[c] = true
			q.extra = append(q.extra, weighted{term: c, weight: correctionWeight, of: t.term})
		}
	}
	// A word of the corpus also finds the words of its family that
	// Snowball keeps apart ("énergétique", "énergie"), for part of its
	// weight.
	for _, t := range q.own {
		if len(ix.lex.postings[t.term]) == 0 {
			continue
		}
		for _, c := range ix.family(t.term, lang) {
			if !have[c] {
				have[c] = true
				q.extra = append(q.extra, weighted{term: c, weight: familyWeight, of: t.term})
			}
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
		switch {
		case lt.IsPointed(w, code):
			return false, false
		case lt.IsOverview(w, code):
			overview = true
			summary = summary || lt.IsSummary(w, code)
		case lt.IsStop(w, code) || lt.IsChat(w) || lt.OpensQuestion([]string{w}, code):
		case lt.Topicality(w) > 0:
			return false, false
		case lt.IsFramingIn(w, code): // "何", "kind"
		case len(ix.lex.postings[lt.Stem(w, code)]) > 0:
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
	subject := false      // a sentence that asks has a topical word of its own
	var amount, date bool // one asks for a number or a date ("the summit was in tokyo. when?")
	for i, s := range ss {
		parts[i] = ix.analyse(s, lang)
		subject = subject || asks[i] && !parts[i].framed && slices.ContainsFunc(parts[i].own, func(t weighted) bool { return t.topic > subjectTopic })
		amount = amount || asks[i] && parts[i].amount
		date = date || asks[i] && parts[i].date
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
	q := query{lang: lang, amount: amount, date: date}
	own := map[string]int{}
	extra := map[[2]string]int{}
	for i, sq := range parts {
		if sq.framed {
			continue
		}
		f := 1.0
		if !asks[i] {
			f = ix.scoring.Context
		} else {
			q.pairs = append(q.pairs, sq.pairs...)
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
// or that a corpus term of five letters or more begins with at most four
// letters after it ("mitigaton", the stem "mitig"), stands for it: a
// people's name and its country's ("kyrgyz", "kyrgyzstan"; "afghan",
// "afghanistan"), an adjective and its noun ("japanese", "japan").
//
// A word of the language spelt right (spelt: an everyday list holds it,
// or its stem as a word, "exports" of "export") is not a slip: only the
// prefix rules apply to it ("прошел", took place, is not "прошл", past;
// "exports" is not "expert").
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
		if (strings.HasPrefix(cand, term) || m >= prefixLen && strings.HasPrefix(term, cand) && n-m <= 4) &&
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

// familyWeight is what a word of a term's family (see family) counts for
// in the ranking; relevance credits it as it does a lexicon term.
const familyWeight = 0.5

// family returns the stems of lang's passages that begin with term, or
// that term begins with, the shorter of the two five letters or more and
// the longer at most three more: the words Snowball leaves in one family
// of derivations but not one stem ("energet" and "energ", of énergétique
// and énergie). Each stem is a word of lang, so that a French question
// finds the French family.
func (ix *Index) family(term, lang string) []string {
	rs := []rune(term)
	if len(rs) < prefixLen {
		return nil
	}
	own := ix.vocab[lang]
	var out []string
	for k := max(prefixLen, len(rs)-familySpan); k < len(rs); k++ {
		if p := string(rs[:k]); own[p] {
			out = append(out, p)
		}
	}
	sorted := ix.sortedVocab(lang)
	for i, _ := slices.BinarySearch(sorted, term); i < len(sorted) && strings.HasPrefix(sorted[i], term); i++ {
		if c := sorted[i]; c != term && utf8.RuneCountInString(c) <= len(rs)+familySpan {
			out = append(out, c)
		}
	}
	return out
}

// familySpan is the most letters family lets one word of a family have
// beyond the other.
const familySpan = 3

// sortedVocab returns the stems of lang's passages in order, sorted once
// for family's prefix search.
func (ix *Index) sortedVocab(lang string) []string {
	ix.sortedOnce.Do(func() {
		ix.sorted = make(map[string][]string, len(ix.vocab))
		for code, stems := range ix.vocab {
			ix.sorted[code] = slices.Sorted(maps.Keys(stems))
		}
	})
	return ix.sorted[lang]
}
