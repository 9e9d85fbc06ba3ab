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
	// Terminal escape sequences, as a question pasted from a coloured
	// terminal holds them: a control sequence (ESC [ or CSI, parameters,
	// a final byte), an operating-system command (ESC ] up to BEL, ST or
	// the end of the line), and a lone ESC. Dropped whole, so that "[31m"
	// is not left glued to the word it coloured.
	ansiEscapes = regexp.MustCompile(`(?:\x1b\[|\x{9b})[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b\n]*(?:\x07|\x1b\\)?|\x1b`)
)

// CleanMessage returns a message as the search should read it: terminal
// escape sequences and chat markup (mentions of anyone, custom emoji,
// links, code blocks) removed and
// spaces tidied. Search reads every question through it, and front ends
// echo the question as it returns it. Greetings and thanks stay: the
// analysis reads them as filler of chat, and they are the user's words.
func CleanMessage(text string) string {
	text = DropEscapes(text)
	text = codeBlocks.ReplaceAllString(text, " ")
	text = chatMarkup.ReplaceAllString(text, " ")
	text = links.ReplaceAllString(text, " ")
	lines := strings.Split(text, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimSpace(spaces.ReplaceAllString(l, " "))
	}
	return strings.TrimSpace(strings.Join(lines, "\n"))
}

// DropEscapes returns text with its terminal escape sequences (colours,
// cursor moves, window titles) each replaced by one space. CleanMessage
// reads every question through it; a front end that turns control
// characters into spaces calls it first, or "[31m" would stay glued to
// the word it coloured.
func DropEscapes(text string) string {
	if !strings.ContainsAny(text, "\x1b\u009b") {
		return text
	}
	return ansiEscapes.ReplaceAllString(text, " ")
}
