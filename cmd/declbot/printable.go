package main

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// printable is text that did not come from the program made safe for a
// terminal: control characters (escape sequences among them, newline and
// tab too) and the bidirectional embeddings, overrides and isolates
// (U+202A–U+202E, U+2066–U+2069) become U+FFFD, so that they show where
// they were without acting on the screen.
func printable(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r >= 0x202A && r <= 0x202E || r >= 0x2066 && r <= 0x2069 {
			return '\uFFFD'
		}
		return r
	}, s)
}

// Bounds of what a message shows: a message echoes what the user gave
// (a reference, a config key, a path) and a value of 100,000 characters
// would otherwise fill the screen.
const (
	maxShownWord = 80  // a run without spaces longer than this is cut in its middle
	maxShownLine = 400 // and a whole message after this
)

// safeMessage is a message as declbot prints it: printable, each run of
// more than maxShownWord characters without a space cut in its middle (so
// a quoted value keeps its closing quote and a path its file name), the
// whole cut after maxShownLine characters; "…" marks a cut.
func safeMessage(msg string) string {
	words := strings.Split(printable(msg), " ")
	for i, w := range words {
		if n := utf8.RuneCountInString(w); n > maxShownWord {
			r := []rune(w)
			head := (maxShownWord - 1) / 2
			words[i] = string(r[:head]) + "…" + string(r[n-(maxShownWord-1-head):])
		}
	}
	msg = strings.Join(words, " ")
	if r := []rune(msg); len(r) > maxShownLine {
		msg = string(r[:maxShownLine-1]) + "…"
	}
	return msg
}

// complain prints one line to stderr: "declbot: " and the message as
// safeMessage makes it. Every error and warning of the command is printed
// through it.
func (a *App) complain(format string, args ...any) {
	fmt.Fprintf(a.stderr, "declbot: %s\n", safeMessage(fmt.Sprintf(format, args...)))
}
