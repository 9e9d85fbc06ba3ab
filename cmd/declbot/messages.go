package main

import (
	"strings"

	"golang.org/x/text/width"

	"github.com/declbot/declbot/bot/messages"
)

// labels lays out about's "Label: value" lines in one language: each label
// with its language's colon, padded to the widest so that the values line
// up, the space after them included. Wide (CJK) characters count twice,
// as a terminal shows them.
type labels struct {
	msgs *messages.Catalogue
	lang string
	keys []string
	w    int
}

func newLabels(msgs *messages.Catalogue, lang string, keys ...string) labels {
	l := labels{msgs: msgs, lang: lang, keys: keys}
	for _, k := range keys {
		l.w = max(l.w, displayWidth(l.plain(k)))
	}
	return l
}

func (l labels) plain(key string) string {
	return l.msgs.Say(l.lang, "label", "label", l.msgs.Say(l.lang, key))
}

// get returns the label of key, padded.
func (l labels) get(key string) string {
	s := l.plain(key)
	return s + strings.Repeat(" ", l.w-displayWidth(s)+1)
}

// displayWidth is how many terminal columns s takes.
func displayWidth(s string) int {
	n := 0
	for _, r := range s {
		switch width.LookupRune(r).Kind() {
		case width.EastAsianWide, width.EastAsianFullwidth:
			n += 2
		default:
			n++
		}
	}
	return n
}
