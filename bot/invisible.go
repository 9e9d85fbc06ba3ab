package bot

import (
	"strings"
	"unicode"

	"github.com/declbot/declbot/retrieval"
)

// StripInvisible removes the characters a reader cannot see but that
// change what they see: Unicode format characters (zero-width spaces and
// joiners, the byte-order mark, the bidirectional overrides and isolates
// that make text read backwards) and control characters other than
// newline and tab, which become spaces, terminal escape sequences (a
// colour, a window title) going whole. Whatever a user typed is passed
// through it before it is checked, echoed or used as a thread name, so a
// question made only of zero-width spaces is empty and an echoed question
// cannot reverse the text shown after it.
func StripInvisible(s string) string {
	clean := true
	for _, r := range s {
		if invisible(r) {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	// A terminal escape sequence goes whole, before its ESC becomes a
	// space: "\x1b[31mwater" reads "water", not "[31mwater".
	s = retrieval.DropEscapes(s)
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\n' || r == '\t':
			return r
		case unicode.IsControl(r):
			return ' '
		case unicode.Is(unicode.Cf, r):
			return -1
		}
		return r
	}, s)
}

func invisible(r rune) bool {
	return (unicode.IsControl(r) && r != '\n' && r != '\t') || unicode.Is(unicode.Cf, r)
}
