package bot

import (
	"regexp"
	"unicode"
	"unicode/utf8"

	"github.com/declbot/declbot/corpus/lang"
)

// Citations written inside other text, as people type them and as the bot
// prints them, in folded text (lang.Fold: lower case, half-width digits).
// A paragraph is a number with a dot after a marker ("¶4.2", "§ 4.2",
// "paragraph 4.2", "пункт 4.2"), or a number alone after one ("¶15",
// "paragraph 15", "п. 15": an id as a text numbered straight through
// prints it); a chapter is a number or a Roman numeral after a chapter
// word ("chapter 7", "ch. IV", "глава 4", "гл. 4") or a number inside
// 第…章 ("第4章"). A word before a marker must end there: "each 4" holds
// no "ch 4". The lone Russian "п" marks a paragraph without its dot only
// before an id with a dot ("п 4.2"), as it is also a letter.
var (
	paraRef     = regexp.MustCompile(`(?:[¶§]\s*|(?:^|[^\p{L}\p{N}])(?:paragraphe|paragraph|para|пункт\p{L}*|абзац\p{L}*|п)\.?\s*)(\d{1,4}\.\d{1,4})(?:$|[^\p{N}.]|\.(?:$|\D))`)
	paraNumRef  = regexp.MustCompile(`(?:[¶§]\s*|(?:^|[^\p{L}\p{N}])(?:(?:paragraphe|paragraph|para|пункт\p{L}*|абзац\p{L}*)\.?\s*|п\.\s*))(\d{1,4})(?:$|[^\p{N}.]|\.(?:$|\D))`)
	chapterRef  = regexp.MustCompile(`(?:^|[^\p{L}\p{N}])(?:chapitre|chapter|chap|ch|глав\p{L}*|гл)\.?\s*(\d{1,3}|[ivxlc]{1,7})(?:$|[^\p{L}\p{N}])|第\s*(\d{1,3})\s*章`)
	bareParaRef = regexp.MustCompile(`(?:^|[^\p{N}.])(\d{1,3}\.\d{1,3})(?:$|[^\p{N}]|\.(?:$|\D))`)
)

// A request to cite, named as the cite command is, in the four
// languages: "cite" or "quote", "citer", "citez", "процитируй", "引用して",
// a colon allowed after it ("cite: 7"). Before
// (in Japanese, after) a bare number it makes the number a reference, as
// cite reads one ("cite 7" is chapter 7, "cite 4.2" ¶4.2); elsewhere it
// frames a citation as "show" does ("процитируй главу 12").
var (
	citeVerb   = regexp.MustCompile(citeWords + `(?:$|[^\p{L}\p{N}])|引用`)
	citeNumRef = regexp.MustCompile(citeWords + `\s*:?\s+(\d{1,3}(?:\.\d{1,4})?)(?:$|[^\p{L}\p{N}.]|\.(?:$|\D))|(?:^|[^\p{N}.])(\d{1,3}(?:\.\d{1,4})?)\s*を?\s*引用`)
)

// citeWords matches a request to cite written in a Latin or Cyrillic
// script, as a word of its own; both patterns above start with it.
const citeWords = `(?:^|[^\p{L}\p{N}])(?:cite|quote|citer|citez|процитируй\p{L}*)`

// foldRef is a reference folded as citations are matched: lower case,
// half-width digits ("４．２" is "4.2").
func foldRef(s string) string { return lang.Fold(StripInvisible(s)) }

// findRef returns the citation text holds, as Cite reads it ("¶4.2",
// "ch 7"): a paragraph before a chapter, so that a pasted citation
// ("Ch. 4 "Green Transition", ¶4.2") names its paragraph.
func findRef(text string) (string, bool) {
	return findFolded(foldRef(text))
}

// findFolded is findRef on text already folded.
func findFolded(t string) (string, bool) {
	ref, _, ok := findSpan(t)
	return ref, ok
}

// findSpan is findFolded with the byte span of t the citation was read
// from, from its marker to its number.
//
// A paragraph with a dot comes first, then a chapter, then a paragraph
// without a dot: in "paragraph 3 of chapter 4" the chapter is the surer
// reading (¶3 would be read as chapter 3 in a text numbered N.M).
func findSpan(t string) (string, [2]int, bool) {
	if m := paraRef.FindStringSubmatchIndex(t); m != nil {
		return "¶" + t[m[2]:m[3]], [2]int{markerStart(t, m[0]), m[3]}, true
	}
	if m := chapterRef.FindStringSubmatchIndex(t); m != nil {
		if m[2] >= 0 {
			return "ch " + t[m[2]:m[3]], [2]int{markerStart(t, m[0]), m[3]}, true
		}
		return "ch " + t[m[4]:m[5]], [2]int{m[0], m[1]}, true
	}
	if m := paraNumRef.FindStringSubmatchIndex(t); m != nil {
		return "¶" + t[m[2]:m[3]], [2]int{markerStart(t, m[0]), m[3]}, true
	}
	return "", [2]int{}, false
}

// markerStart skips the character a pattern matched before a citation's
// marker to tell that a word ends there.
func markerStart(t string, at int) int {
	r, n := utf8.DecodeRuneInString(t[at:])
	if r == '¶' || r == '§' || unicode.IsLetter(r) || unicode.IsNumber(r) {
		return at
	}
	return at + n
}

// asked is a citation a question asks to be shown.
type asked struct {
	// ref is the citation as Cite reads it: "¶4.2", "ch 7", "7".
	ref string
	// typed is the citation as the question wrote it ("Chapter 0"), for
	// an error to echo.
	typed string
	// alone says that the question asks for nothing but the citation.
	alone bool
}

// askedRef returns the citation a question asks to be shown: one written
// with its marker ("what does ¶4.2 say?", "show chapter 7"), a bare
// number after a request to cite ("cite 7", "7を引用して") in a question
// that says nothing else, or a bare paragraph id in a question that says
// nothing else ("4.2?", "what does 4.2 say"): "is it 2.3 trillion yen?"
// asks about money, not ¶2.3, and "does it cite 5 countries?" about
// countries. The citation is alone when no word of the question but the
// citation frames it ("show chapter 7", not "what does ¶12.9 say about
// Afghanistan?").
func askedRef(tab *lang.Table, text, code string) (asked, bool) {
	s := StripInvisible(text)
	t := lang.Fold(s)
	framing := func(rest string) bool {
		for _, w := range tab.Tokens(citeVerb.ReplaceAllString(rest, " ")) {
			if !tab.IsStop(w, code) && !tab.IsFramingIn(w, code) && !tab.IsChat(w) {
				return false
			}
		}
		return true
	}
	if ref, at, ok := findSpan(t); ok {
		return asked{ref, typedSpan(s, t, at), framing(t[:at[0]] + " " + t[at[1]:])}, true
	}
	if m := citeNumRef.FindStringSubmatchIndex(t); m != nil {
		at := [2]int{m[2], m[3]}
		if m[2] < 0 {
			at = [2]int{m[4], m[5]}
		}
		if framing(t[:at[0]] + " " + t[at[1]:]) {
			return asked{t[at[0]:at[1]], typedSpan(s, t, at), true}, true
		}
	}
	m := bareParaRef.FindStringSubmatchIndex(t)
	if m == nil || !framing(t[:m[2]]+" "+t[m[3]:]) {
		return asked{}, false
	}
	at := [2]int{m[2], m[3]}
	return asked{"¶" + t[at[0]:at[1]], typedSpan(s, t, at), true}, true
}

// typedSpan returns the part of s that folds to t[at[0]:at[1]] (t is
// lang.Fold(s)): what the user typed, in its own case and digits. Where
// folding leaves no boundary of s at the span's ends, it returns the
// folded span.
func typedSpan(s, t string, at [2]int) string {
	if typed, ok := lang.Unfolded(s, at[0], at[1]); ok {
		return typed
	}
	return t[at[0]:at[1]]
}
