package discord

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzMessageQuestion takes a message as a user types it: the bot's
// mention comes out, and the question left is checked.
func FuzzMessageQuestion(f *testing.F) {
	const me = "1100000000000000002"
	for _, s := range []string{
		"<@" + me + "> what about water?",
		"<@!" + me + ">   ",
		"hey <@" + me + "><@" + me + "> minerals",
		"<@<@" + me + ">" + me + ">",
		"<@" + me,
		strings.Repeat("é", MaxQuestion+1),
		"\xff<@" + me + ">",
		"",
	} {
		f.Add(s, me)
	}
	f.Fuzz(func(t *testing.T, content, id string) {
		if id == "" {
			t.Skip() // READY always carries the bot's id
		}
		q := stripMention(content, id)
		if q != strings.TrimSpace(q) {
			t.Fatalf("stripMention(%q) = %q: not trimmed", content, q)
		}
		if !strings.Contains(content, "<@"+id+">") && !strings.Contains(content, "<@!"+id+">") && q != strings.TrimSpace(content) {
			t.Fatalf("stripMention(%q) changed a message without the mention: %q", content, q)
		}
		msg := words.checkQuestion(words.of(q), q)
		if msg == "" && (q == "" || utf8.RuneCountInString(q) > MaxQuestion) {
			t.Fatalf("checkQuestion accepted %q", q)
		}
		if msg != "" && utf8.RuneCountInString(msg) > 2000 {
			t.Fatalf("checkQuestion's sentence is over Discord's limit: %d", utf8.RuneCountInString(msg))
		}
	})
}
