package bot

import (
	"regexp"

	"github.com/declbot/declbot/corpus/lang"
)

// Citations written inside other text, as people type them and as the bot
// prints them, in folded text (lang.Fold: lower case, half-width digits).
// A paragraph is a number with a dot after a marker ("¶4.2", "§ 4.2",
// "paragraph 4.2", "пункт 4.2"); a chapter is a number or a Roman numeral
// after a chapter word ("chapter 7", "ch. IV", "глава 4", "гл. 4") or a
// number inside 第…章 ("第4章"). A word before a marker must end there:
// "each 4" holds no "ch 4".
var (
	paraRef     = regexp.MustCompile(`(?:[¶§]\s*|(?:^|[^\p{L}\p{N}])(?:paragraphe|paragraph|para|пункт\p{L}*|абзац\p{L}*|п)\.?\s*)(\d{1,4}\.\d{1,4})(?:$|[^\p{N}.]|\.(?:$|\D))`)
	chapterRef  = regexp.MustCompile(`(?:^|[^\p{L}\p{N}])(?:chapitre|chapter|chap|ch|глав\p{L}*|гл)\.?\s*(\d{1,3}|[ivxlc]{1,7})(?:$|[^\p{L}\p{N}])|第\s*(\d{1,3})\s*章`)
	bareParaRef = regexp.MustCompile(`(?:^|[^\p{N}.])(\d{1,3}\.\d{1,3})(?:$|[^\p{N}]|\.(?:$|\D))`)
)

// findRef returns the citation text holds, as Cite reads it ("¶4.2",
// "ch 7"): a paragraph before a chapter, so that a pasted citation
// ("Ch. 4 "Green Transition", ¶4.2") names its paragraph.
func findRef(text string) (string, bool) {
	return findFolded(lang.Fold(StripInvisible(text)))
}

// findFolded is findRef on text already folded.
func findFolded(t string) (string, bool) {
	if m := paraRef.FindStringSubmatch(t); m != nil {
		return "¶" + m[1], true
	}
	if m := chapterRef.FindStringSubmatch(t); m != nil {
		if m[1] != "" {
			return "ch " + m[1], true
		}
		return "ch " + m[2], true
	}
	return "", false
}

// askedRef returns the citation a question asks to be shown: one written
// with its marker ("what does ¶4.2 say?", "show chapter 7"), or a bare
// paragraph id in a question that says nothing else ("4.2?", "what does
// 4.2 say"): "is it 2.3 trillion yen?" asks about money, not ¶2.3.
func askedRef(tab *lang.Table, text, code string) (string, bool) {
	t := lang.Fold(StripInvisible(text))
	if ref, ok := findFolded(t); ok {
		return ref, true
	}
	m := bareParaRef.FindStringSubmatchIndex(t)
	if m == nil {
		return "", false
	}
	rest := t[:m[2]] + " " + t[m[3]:]
	for _, w := range tab.Tokens(rest) {
		if !tab.IsStop(w, code) && !tab.IsFramingIn(w, code) && !tab.IsChat(w) {
			return "", false
		}
	}
	return "¶" + t[m[2]:m[3]], true
}
