package discord

import (
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

var splitTests = []struct {
	name  string
	text  string
	limit int
	want  []string
}{
	{"empty", "", 10, nil},
	{"blank", " \n\t ", 10, nil},
	{"fits", "Short text.", 20, []string{"Short text."}},
	{"fits exactly", "abcde", 5, []string{"abcde"}},
	{"paragraph first", "First paragraph here.\n\nSecond one.", 30,
		[]string{"First paragraph here.", "Second one."}},
	{"paragraph over sentence", "One. Two three four.\n\nFive.", 24,
		[]string{"One. Two three four.", "Five."}},
	{"sentence", "The leaders met in Tokyo. They agreed on a plan.", 30,
		[]string{"The leaders met in Tokyo.", "They agreed on a plan."}},
	{"sentence not inside quotes", `He said "Stop. Go now please" and left.`, 32,
		[]string{`He said "Stop. Go now please"`, "and left."}},
	{"french quotes", "Ils ont dit « Oui. Non. Peut-être » puis sont partis.", 38,
		[]string{"Ils ont dit « Oui. Non. Peut-être »", "puis sont partis."}},
	{"words", "alpha beta gamma delta epsilon", 12,
		[]string{"alpha beta", "gamma delta", "epsilon"}},
	{"cut at window end before a space", "aaaa bbbb cccc", 9, []string{"aaaa bbbb", "cccc"}},
	{"long word hard cut", "abcdefghij", 4, []string{"abcd", "efgh", "ij"}},
	{"escape kept whole", `ab\*cd`, 3, []string{"ab", `\*c`, "d"}},
	{"multibyte counted as characters", "ééééé ééééé", 5, []string{"ééééé", "ééééé"}},
	{"newline before words", "line one\nline two words", 12, []string{"line one", "line two", "words"}},
}

func TestSplit(t *testing.T) {
	for _, tt := range splitTests {
		t.Run(tt.name, func(t *testing.T) {
			got := Split(tt.text, tt.limit)
			if !slices.Equal(got, tt.want) {
				t.Errorf("Split(%q, %d)\n got %q\nwant %q", tt.text, tt.limit, got, tt.want)
			}
			checkSplit(t, tt.text, tt.limit, got)
		})
	}
}

// checkSplit verifies what Split promises for any input.
func checkSplit(t *testing.T, text string, limit int, got []string) {
	t.Helper()
	if limit < 2 {
		limit = 2
	}
	for i, c := range got {
		if c == "" || c != strings.TrimSpace(c) {
			t.Fatalf("chunk %d %q is empty or untrimmed", i, c)
		}
		if n := utf8.RuneCountInString(c); n > limit {
			t.Fatalf("chunk %d has %d characters, limit %d", i, n, limit)
		}
	}
	strip := func(s string) string {
		return strings.Map(func(r rune) rune {
			if unicode.IsSpace(r) {
				return -1
			}
			return r
		}, s)
	}
	if a, b := strip(strings.Join(got, "")), strip(text); a != b {
		t.Fatalf("chunks lose or add text:\n got %q\nwant %q", a, b)
	}
	// No word is cut unless it alone exceeds the limit.
	longest := 0
	for _, w := range strings.Fields(text) {
		longest = max(longest, utf8.RuneCountInString(w))
	}
	if longest <= limit {
		if a, b := strings.Fields(strings.Join(got, " ")), strings.Fields(text); !slices.Equal(a, b) {
			t.Fatalf("a word was cut:\n got %q\nwant %q", a, b)
		}
	}
}

func FuzzSplit(f *testing.F) {
	for _, tt := range splitTests {
		f.Add(tt.text, tt.limit)
	}
	f.Add(strings.Repeat("The summit agreed. ", 400), 4096)
	f.Fuzz(func(t *testing.T, text string, limit int) {
		// Discord text is valid UTF-8.
		if limit > 10000 || limit < -10 || len(text) > 1<<16 || !utf8.ValidString(text) {
			t.Skip()
		}
		checkSplit(t, text, limit, Split(text, limit))
	})
}

var escapeTests = []struct {
	name, in, want string
}{
	{"plain", "What about water?", "What about water?"},
	{"bold", "**bold**", `\*\*bold\*\*`},
	{"everyone", "@everyone look", "@\u200beveryone look"},
	{"here", "hi @here", "hi @\u200bhere"},
	{"user mention", "<@123>", `\<@123\>`},
	{"quote line", "> not a quote", `\> not a quote`},
	{"code", "`x`", "\\`x\\`"},
	{"backslash", `a\b`, `a\\b`},
	{"link", "[x](http://e)", `\[x\]\(http\://e\)`},
}

func TestEscape(t *testing.T) {
	for _, tt := range escapeTests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Escape(tt.in); got != tt.want {
				t.Errorf("Escape(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

// unescape undoes Escape.
func unescape(s string) string {
	s = strings.ReplaceAll(s, "@\u200b", "@")
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) {
			i++
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

func FuzzEscape(f *testing.F) {
	for _, tt := range escapeTests {
		f.Add(tt.in)
	}
	f.Fuzz(func(t *testing.T, in string) {
		if strings.Contains(in, "\u200b") {
			t.Skip() // a zero-width space of the input's own is ambiguous
		}
		got := Escape(in)
		if back := unescape(got); back != in {
			t.Fatalf("Escape(%q) = %q does not round-trip: %q", in, got, back)
		}
		// Every markdown character is escaped.
		for i := 0; i < len(got); i++ {
			if got[i] == '\\' {
				i++
				continue
			}
			if strings.IndexByte(markdownSpecial, got[i]) >= 0 {
				t.Fatalf("Escape(%q) = %q leaves %q unescaped at %d", in, got, got[i], i)
			}
		}
		if strings.Contains(got, "@everyone") || strings.Contains(got, "@here") {
			t.Fatalf("Escape(%q) = %q still holds a mass mention", in, got)
		}
		// Escaped text stays whole when split.
		for _, c := range Split(got, 7) {
			if n := len(c) - len(strings.TrimRight(c, `\`)); n%2 == 1 && !strings.HasSuffix(got, c) {
				t.Fatalf("chunk %q ends inside an escape", c)
			}
		}
	})
}
