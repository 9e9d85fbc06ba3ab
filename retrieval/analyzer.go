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
