package corpus

import (
	"strings"
	"sync"

	"github.com/declbot/declbot/corpus/lang"
)

// languages is the language table documents are labelled by: the same
// detector as questions, so that a document and a question in one language
// are always told alike.
var languages = sync.OnceValue(lang.Default)

// DetectLang guesses the language of a document's text (see
// lang.Table.Detect) and returns its code.
func DetectLang(text string) string { return languages().Detect(text) }

// languageList names the table's codes for messages: "en, fr, ru, ja".
func languageList() string { return strings.Join(languages().Codes(), ", ") }

func setOf(words string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(words) {
		m[w] = true
	}
	return m
}
