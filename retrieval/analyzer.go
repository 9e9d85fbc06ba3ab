package retrieval

// Analyzer analyses texts as Terms does, remembering the stem of each
// word it has seen, for a caller analysing many texts that share words
// (the bot checking a written answer against its passages). It is not
// safe for concurrent use.
type Analyzer struct{ stems stemCache }

// NewAnalyzer returns an Analyzer with nothing remembered.
func NewAnalyzer() *Analyzer { return &Analyzer{stems: stemCache{}} }

// Terms returns Terms(text, lang).
func (a *Analyzer) Terms(text, lang string) []string {
	return a.stems.terms(defaultLangs(), text, lang)
}

// Claim returns Terms(text, lang) and the words of text, folded, that deny,
// refuse or forbid in lang (see lang.Table.IsNegation): "not" and "never"
// are stopwords, which Terms drops, yet they turn a claim around.
func (a *Analyzer) Claim(text, lang string) (terms, negations []string) {
	t := defaultLangs()
	for _, w := range t.Tokens(fold(text)) {
		if t.IsStop(w, lang) {
			if t.IsNegation(w, lang) {
				negations = append(negations, w)
			}
			continue
		}
		s := a.stems.stem(t, w, lang)
		terms = append(terms, s)
		if t.IsNegation(w, lang) || t.IsNegationStem(s, lang) {
			negations = append(negations, w)
		}
	}
	return terms, negations
}

// Uncommon returns the terms of text (as Terms gives them) that stand for
// an uncommon word, of Topicality UncommonTopic or more: "deploy" and
// "troops", not "took" and "part".
func (a *Analyzer) Uncommon(text, lang string) map[string]bool {
	t := defaultLangs()
	out := map[string]bool{}
	for _, w := range t.Tokens(fold(text)) {
		if !t.IsStop(w, lang) && t.Topicality(w) >= UncommonTopic {
			out[a.stems.stem(t, w, lang)] = true
		}
	}
	return out
}

// UncommonTopic is the topicality from which a word counts as uncommon:
// past the few thousand commonest words of everyday talk.
const UncommonTopic = 0.5
