package retrieval

import (
	"regexp"
	"strings"
)

// Chat markup that says nothing about what a message asks: mentions of a
// user, a role or a channel, @everyone and @here, custom emoji, links and
// code blocks. Discord writes mentions as <@123>, <@!123>, <@&123> and
// <#123>, custom emoji as <:name:123> or <a:name:123>, and slash commands
// as </name:123>.
var (
	chatMarkup = regexp.MustCompile(`<(?:@[!&]?|#|/[^:>]{1,64}:)[0-9]{1,20}>|<a?:[A-Za-z0-9_~]{1,64}:[0-9]{1,20}>|@(?:everyone|here)\b`)
	links      = regexp.MustCompile(`<?\b(?:https?|ftp)://[^\s<>]+>?|\bwww\.[^\s<>]+`)
	codeBlocks = regexp.MustCompile("(?s)```.*?```")
	spaces     = regexp.MustCompile(`[ \t]+`)
)

// CleanMessage returns a message as the search should read it: chat markup
// (mentions of anyone, custom emoji, links, code blocks) removed and
// spaces tidied. Search reads every question through it, and front ends
// echo the question as it returns it. Greetings and thanks stay: the
// analysis reads them as filler of chat, and they are the user's words.
func CleanMessage(text string) string {
	text = codeBlocks.ReplaceAllString(text, " ")
	text = chatMarkup.ReplaceAllString(text, " ")
	text = links.ReplaceAllString(text, " ")
	lines := strings.Split(text, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimSpace(spaces.ReplaceAllString(l, " "))
	}
	return strings.TrimSpace(strings.Join(lines, "\n"))
}
