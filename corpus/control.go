package corpus

import (
	"bytes"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// dropControls returns s without the characters that steer a terminal or
// the direction of text rather than print: C0 and C1 control characters
// other than newline and tab become spaces (so that the words on either
// side stay apart), and the bidirectional embeddings, overrides and
// isolates (U+202A–U+202E, U+2066–U+2069) are removed. A passage holding
// ESC or BEL would otherwise reach a user's terminal through cite and ask,
// and one holding an override would reverse the text shown after it.
func dropControls(s string) string {
	if !strings.ContainsFunc(s, steering) {
		return s
	}
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\n' || r == '\t':
			return r
		case unicode.IsControl(r):
			return ' '
		case steering(r):
			return -1
		}
		return r
	}, s)
}

// steering reports whether r is a control character other than newline
// and tab, or a bidirectional embedding, override or isolate.
func steering(r rune) bool {
	return unicode.IsControl(r) && r != '\n' && r != '\t' || r >= 0x202A && r <= 0x202E || r >= 0x2066 && r <= 0x2069
}

// maxControlShare is the share of control characters above which a
// source is taken for binary data: text with a few stray escapes is
// cleaned by dropControls, but random bytes, read as Latin-1, hold about
// one control character in four.
const maxControlShare = 0.1

// notText returns why data, a source in a text format (plain text,
// Markdown, HTML), cannot be text, or "" when it can: it holds NUL
// bytes, or more than maxControlShare of its characters, read as UTF-8
// or, failing that, as Latin-1 as prepare reads them, are control
// characters other than white space.
func notText(data []byte) string {
	if bytes.IndexByte(data, 0) >= 0 {
		return "it holds NUL bytes (binary data, or text saved as UTF-16: save it as UTF-8)"
	}
	total, controls := 0, 0
	count := func(r rune) {
		total++
		if unicode.IsControl(r) && !unicode.IsSpace(r) {
			controls++
		}
	}
	if utf8.Valid(data) {
		for _, r := range string(data) {
			count(r)
		}
	} else {
		for _, b := range data {
			count(rune(b))
		}
	}
	if total > 0 && float64(controls) > maxControlShare*float64(total) {
		return fmt.Sprintf("%d of its %d characters are control characters (binary data?)", controls, total)
	}
	return ""
}
