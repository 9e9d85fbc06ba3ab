package openaitest

import (
	"fmt"
	"regexp"
	"strings"
	"unicode"
)

// Scripted models: chat handlers for OnChat that answer from the passages
// a declbot prompt gives (<passage id="…">, an optional "(citation)" line,
// the text, </passage>), as a model would.

var promptPassageRE = regexp.MustCompile(`<passage id="([^"]+)">\n(?:\(.*\)\n)?([^<]*)\n</passage>`)

// Passage is one passage of a prompt.
type Passage struct{ ID, Text string }

// PromptPassages returns the passages the last message of req gives.
func PromptPassages(req ChatRequest) []Passage {
	if len(req.Messages) == 0 {
		return nil
	}
	var out []Passage
	for _, m := range promptPassageRE.FindAllStringSubmatch(req.Messages[len(req.Messages)-1].Content, -1) {
		out = append(out, Passage{m[1], m[2]})
	}
	return out
}

// QuoteVerbatim answers by quoting, between open and close, the first n
// words in a row of the first passage that hold no quotation mark, and
// citing it: a correct answer whatever the quotation style, for positive
// controls ("…" and 「…」 must pass as well as the prompt's own form).
func QuoteVerbatim(open, close string, n int) func(ChatRequest) Reply {
	return func(req ChatRequest) Reply {
		ps := PromptPassages(req)
		if len(ps) == 0 {
			return Reply{Status: 400, Content: "openaitest: no passage in the prompt"}
		}
		var run []string
		for _, w := range strings.Fields(ps[0].Text) {
			if strings.IndexFunc(w, isQuoteLike) >= 0 {
				run = run[:0]
				continue
			}
			if run = append(run, w); len(run) == n {
				break
			}
		}
		return Reply{Content: fmt.Sprintf("%s%s%s [%s].", open, strings.Join(run, " "), close, ps[0].ID)}
	}
}

func isQuoteLike(r rune) bool {
	return r == '"' || r == '\'' || unicode.In(r, unicode.Pi, unicode.Pf) || strings.ContainsRune("„‚「」『』", r)
}

// Invent answers with format, in which %s is the id of the first passage
// given: an invented quote or claim under a real citation.
func Invent(format string) func(ChatRequest) Reply {
	return func(req ChatRequest) Reply {
		ps := PromptPassages(req)
		if len(ps) == 0 {
			return Reply{Status: 400, Content: "openaitest: no passage in the prompt"}
		}
		return Reply{Content: fmt.Sprintf(format, ps[0].ID)}
	}
}

// Inventions returns formats for Invent that the bot must never show as a
// verified answer: an invented quote in the quotation styles models use
// (of the first ten tried, eight were once shown unchecked), as a block
// quote and in the prompt's own [[id: words]], and an invented claim with
// a real citation and a ✓ typed by the model.
func Inventions() []string {
	return []string{
		`The declaration says ❝Japan will deploy troops to secure the mines❞ [%s].`,
		`The declaration says 「Japan will deploy troops to secure the mines」 [%s].`,
		`The declaration says 『Japan will deploy troops to secure the mines』 [%s].`,
		`The declaration says ‹Japan will deploy troops to secure the mines› [%s].`,
		`The declaration says ＂Japan will deploy troops to secure the mines＂ [%s].`,
		`The declaration says 〝Japan will deploy troops to secure the mines〞 [%s].`,
		`The declaration says 'Japan will deploy troops to secure the mines' [%s].`,
		`The declaration says ‟Japan will deploy troops to secure the mines” [%s].`,
		`The declaration says "Japan will deploy troops to secure the mines" [%s].`,
		`The declaration says “Japan will deploy troops to secure the mines” [%s].`,
		`The declaration says «Japan will deploy troops to secure the mines» [%s].`,
		`The declaration says „Japan will deploy troops to secure the mines“ [%s].`,
		`The declaration says ‘Japan will deploy troops to secure the mines’ [%s].`,
		"The declaration says:\n> Japan will deploy troops to secure the mines [%s]",
		`The declaration says [[%s: Japan will deploy troops to secure the mines]].`,
		`Japan will deploy troops to secure the mines [%s]. ✓`,
	}
}

// Huge answers with about size bytes, streamed in 1 KiB pieces: a model
// ignoring max_tokens. Each sentence cites the first passage given.
func Huge(size int) func(ChatRequest) Reply {
	return func(req ChatRequest) Reply {
		id := "1.1"
		if ps := PromptPassages(req); len(ps) > 0 {
			id = ps[0].ID
		}
		sentence := fmt.Sprintf("The declaration says so again [%s]. ", id)
		content := strings.Repeat(sentence, size/len(sentence)+1)
		var chunks []string
		for c := content; len(c) > 0; {
			k := min(len(c), 1<<10)
			chunks = append(chunks, c[:k])
			c = c[k:]
		}
		return Reply{Content: content, Chunks: chunks}
	}
}
