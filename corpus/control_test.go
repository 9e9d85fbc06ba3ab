package corpus

import (
	"math/rand"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// hasSteering reports a character that must not reach a terminal from a
// passage: a control other than newline and tab, or a bidirectional
// embedding, override or isolate. It is written apart from steering so
// that the tests do not check the code against itself.
func hasSteering(s string) bool {
	return strings.ContainsFunc(s, func(r rune) bool {
		return r < 0x20 && r != '\n' && r != '\t' || r >= 0x7F && r <= 0x9F ||
			r >= 0x202A && r <= 0x202E || r >= 0x2066 && r <= 0x2069
	})
}

func TestDropControls(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"plain", "Climate, and the green transition.", "Climate, and the green transition."},
		{"newline and tab kept", "a\tb\nc", "a\tb\nc"},
		{"escape and bell", "\x1b]0;PWNED\a\x1b[2Jred", " ]0;PWNED  [2Jred"},
		{"nul", "cli\x00mate", "cli mate"},
		{"delete and C1", "a\x7fb\u0085c\u009bd", "a b c d"},
		{"bidi override", "abc\u202edcba\u202c", "abcdcba"},
		{"bidi isolates", "\u2066x\u2067y\u2068z\u2069", "xyz"},
		{"other letters kept", "Déclaration — 東京 «paix»", "Déclaration — 東京 «paix»"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := dropControls(tt.in); got != tt.want {
				t.Errorf("dropControls(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestNotText(t *testing.T) {
	random := make([]byte, 20000)
	rand.New(rand.NewSource(1)).Read(random)
	noNUL := []byte(strings.ReplaceAll(string(random), "\x00", "x"))
	tests := []struct {
		name string
		data string
		want string // in the reason; "" for text
	}{
		{"text", body, ""},
		{"latin-1", "D\xe9claration de Tokyo, adopt\xe9e.", ""},
		{"a few escapes", "\x1b[31m" + body + " " + body + "\x1b[0m", ""},
		{"form feeds", body + "\f" + body + "\v", ""},
		{"nul", body + "\x00", "NUL bytes"},
		{"utf-16", "\xff\xfeT\x00o\x00k\x00y\x00o\x00", "NUL bytes"},
		{"random", string(random), "NUL bytes"},
		{"random without nul", string(noNUL), "control characters"},
		{"escapes everywhere", strings.Repeat("\x1b[1mw\x1b[0m ", 50), "control characters"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := notText([]byte(tt.data))
			if tt.want == "" && got != "" || !strings.Contains(got, tt.want) {
				t.Errorf("notText = %q, want %q", got, tt.want)
			}
		})
	}
}

// TestLoadRefusesBinary: a source that is not text fails the load with
// an error naming the file, whatever its extension says.
func TestLoadRefusesBinary(t *testing.T) {
	random := make([]byte, 200000)
	rand.New(rand.NewSource(2)).Read(random)
	for _, name := range []string{"random.en.txt", "random.md", "random.html"} {
		t.Run(name, func(t *testing.T) {
			dir := writeFiles(t, map[string]string{name: string(random)})
			_, err := Load(filepath.Join(dir, name))
			if err == nil || !strings.Contains(err.Error(), name+": not a text file") {
				t.Fatalf("Load(%s) = %v, want a not-a-text-file error naming it", name, err)
			}
			if len(err.Error()) > 300 {
				t.Errorf("error of %d bytes, want a short one", len(err.Error()))
			}
		})
	}
	dir := writeFiles(t, map[string]string{"annex.en.txt": "Annex\n\n" + body + "\x00\n"})
	if _, err := Load(dir); err == nil || !strings.Contains(err.Error(), "annex.en.txt: not a text file: it holds NUL bytes") {
		t.Errorf("a NUL in a text: got %v", err)
	}
}

// TestParseDropsControls: in every format, no control character from the
// source reaches a passage, a heading or the document's metadata.
func TestParseDropsControls(t *testing.T) {
	const evil = "\x1b]0;PWNED\a\x1b[2J\x1b[31m\u202e"
	const body = body + " " + body + " " + body
	tests := []struct{ name, data string }{
		{"annex.en.txt", "Annex " + evil + "critical\n\n1. Minerals" + evil + "\n\n" + body + evil + " red text.\n\n2. More\n\n" + body + "\n"},
		{"notes.md", "---\ntitle: \"Notes \\e[31m\\a\"\nsource: \"\\x9b2J\"\n---\n# Heading " + evil + "\n\n" + body + evil + "\n\n- item " + evil + "\n- two\n"},
		{"digest.en.md", "---\ndocument: digest\ntitle: \"D\\e]0;x\\a\"\nlanguage: en\nnotice: \"\\u202eno\"\n---\n## 1. One" + evil + "\n\n[1.1] Text" + evil + " runs\non" + evil + ".\n"},
		{"page.html", "<html lang=en><head><title>T&#27;[31m</title><link rel=canonical href='x&#7;'></head><body><main><h1>H&#x1b;]0;x&#7;</h1><p>" +
			body + "&#27;[2J&#x9b;&#x202e;" + evil + "</p><p>" + body + "</p></main></body></html>"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := ParseFile(tt.name, []byte(tt.data))
			if err != nil {
				t.Fatal(err)
			}
			for _, s := range []string{d.Title, d.Source, d.Notice, d.Date} {
				if hasSteering(s) {
					t.Errorf("metadata %q holds a control character", s)
				}
			}
			if len(d.Passages()) == 0 {
				t.Fatal("no passages")
			}
			for _, c := range d.Chapters {
				if hasSteering(c.Title) {
					t.Errorf("chapter title %q holds a control character", c.Title)
				}
			}
			for _, p := range d.Passages() {
				if hasSteering(p.Text) || hasSteering(p.ChapterTitle) {
					t.Errorf("passage %s %q (chapter %q) holds a control character", p.ID, p.Text, p.ChapterTitle)
				}
			}
		})
	}
}

func TestSidecarDropsControls(t *testing.T) {
	pdf, err := os.ReadFile("testdata/sample.pdf")
	if err != nil {
		t.Fatal(err)
	}
	dir := writeFiles(t, map[string]string{"decl.pdf": string(pdf), "decl.pdf.yaml": "title: \"Official\\e[31m\"\nnotice: \"\\a\\u2066x\"\n"})
	docs, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if d := docs[0]; d.Title != "Official [31m" || d.Notice != "x" {
		t.Errorf("title %q, notice %q; want \"Official [31m\", \"x\"", d.Title, d.Notice)
	}
}
