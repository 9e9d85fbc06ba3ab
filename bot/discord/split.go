package discord

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Split cuts text into chunks of at most limit characters (runes), so that
// each fits one Discord field. It cuts at the last paragraph break that
// fits, else at a line break, else at a sentence end outside quotation
// marks, else between words; a single word longer than limit is the only
// thing ever cut inside, and never between a backslash and the character
// it escapes. Chunks are trimmed of surrounding white space and never
// empty; Split returns nil for blank text. limit below 2 is treated as 2.
func Split(text string, limit int) []string {
	if limit < 2 {
		limit = 2
	}
	var out []string
	rest := strings.TrimSpace(text)
	for rest != "" {
		if utf8.RuneCountInString(rest) <= limit {
			out = append(out, rest)
			break
		}
		cut := cutPoint(rest, limit)
		chunk := strings.TrimSpace(rest[:cut])
		if chunk != "" {
			out = append(out, chunk)
		}
		rest = strings.TrimSpace(rest[cut:])
	}
	return out
}

// cutPoint returns the byte offset at which to cut s, whose first limit
// runes are the window that must be filled.
func cutPoint(s string, limit int) int {
	// end is the byte offset just past the window of limit runes.
	end, n := 0, 0
	for end < len(s) && n < limit {
		_, size := utf8.DecodeRuneInString(s[end:])
		end += size
		n++
	}
	window := s[:end]
	// A boundary counts only if the text up to it keeps a fair share of
	// the window; otherwise a better class further on may fill it more.
	floor := len(window) / 2

	var para, line, sentence, word, wordInQuote int = -1, -1, -1, -1, -1
	depth := 0 // quotation nesting at the current position
	straight := false
	for i, r := range window {
		switch r {
		case '“', '«':
			depth++
		case '”', '»':
			if depth > 0 {
				depth--
			}
		case '"':
			straight = !straight
		}
		inQuote := depth > 0 || straight
		if !unicode.IsSpace(r) {
			continue
		}
		// A cut at i keeps window[:i] and drops the white space.
		switch {
		case r == '\n' && i > 0 && window[i-1] == '\n':
			para = i
		case r == '\n':
			line = i
		}
		if i > 0 && !inQuote && endsSentence(window[:i]) {
			sentence = i
		}
		if inQuote {
			wordInQuote = i
		} else {
			word = i
		}
	}
	// The rune right after the window matters too: a cut exactly at the
	// window's end is between words when a space follows.
	if end < len(s) {
		r, _ := utf8.DecodeRuneInString(s[end:])
		if unicode.IsSpace(r) {
			if depth > 0 || straight {
				wordInQuote = end
			} else {
				word = end
				if endsSentence(window) {
					sentence = end
				}
			}
		}
	}
	for _, c := range []int{para, line, sentence, word} {
		if c > floor {
			return c
		}
	}
	for _, c := range []int{para, line, sentence, word, wordInQuote} {
		if c > 0 {
			return c
		}
	}
	return hardCut(window)
}

// endsSentence reports whether s ends with sentence punctuation, possibly
// followed by closing quotes or brackets.
func endsSentence(s string) bool {
	s = strings.TrimRight(s, `"'”’»)]`)
	if s == "" {
		return false
	}
	r, _ := utf8.DecodeLastRuneInString(s)
	switch r {
	case '.', '!', '?', '…', ';':
		return true
	}
	return false
}

// hardCut cuts a window holding no white space at all: at its end, but not
// right after an escaping backslash, so the escape stays whole.
func hardCut(window string) int {
	cut := len(window)
	backslashes := 0
	for i := cut - 1; i >= 0 && window[i] == '\\'; i-- {
		backslashes++
	}
	if backslashes%2 == 1 && cut > 1 {
		cut--
	}
	return cut
}

// markdownSpecial are the characters Discord markdown gives a meaning.
const markdownSpecial = "\\*_~`|>#-[]()<:"

// Escape makes text display literally in Discord markdown: each markdown
// character is escaped with a backslash, and @everyone/@here are broken
// with a zero-width space so they do not even look like pings. (Pings are
// prevented by allowed_mentions in any case.)
func Escape(text string) string {
	var b strings.Builder
	b.Grow(len(text) + len(text)/8)
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		if r == '@' && (strings.HasPrefix(text[i+1:], "everyone") || strings.HasPrefix(text[i+1:], "here")) {
			b.WriteString("@\u200b")
			i += size
			continue
		}
		if r < utf8.RuneSelf && strings.IndexByte(markdownSpecial, byte(r)) >= 0 {
			b.WriteByte('\\')
		}
		b.WriteString(text[i : i+size])
		i += size
	}
	return b.String()
}

// blockQuote renders text as a markdown block quote, every line prefixed.
func blockQuote(text string) string {
	return "> " + strings.ReplaceAll(text, "\n", "\n> ")
}

// truncate shortens s to at most n runes, ending with an ellipsis when cut.
// It cuts between words when it can.
func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	chunks := Split(s, n-1)
	if len(chunks) == 0 {
		return ""
	}
	return chunks[0] + "…"
}
