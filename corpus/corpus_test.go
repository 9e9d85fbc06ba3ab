package corpus

import (
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"
)

func readTestdata(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "markdown", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestParseMarkdownGood(t *testing.T) {
	d, err := ParseMarkdown("good.md", readTestdata(t, "good.md"))
	if err != nil {
		t.Fatal(err)
	}
	if d.Name != "sample" || d.Lang != "en" || d.Kind != Other || d.Title != "A small sample" || d.Notice != "Not a real document." {
		t.Errorf("front matter = %+v", d)
	}
	ps := d.Passages()
	want := []struct{ id, text string }{
		{"1.1", "The first paragraph, which runs over two lines."},
		{"1.2", "The second paragraph."},
		{"2.1", "Only one paragraph here."},
	}
	if len(ps) != len(want) {
		t.Fatalf("got %d passages, want %d", len(ps), len(want))
	}
	for i, w := range want {
		if ps[i].ID != w.id || ps[i].Text != w.text || ps[i].Doc != "sample" || ps[i].Lang != "en" {
			t.Errorf("passage %d = %+v, want id %s text %q", i, ps[i], w.id, w.text)
		}
	}
	if ps[2].Chapter != 2 || ps[2].ChapterTitle != "Second chapter" {
		t.Errorf("chapter of 2.1 = %d %q", ps[2].Chapter, ps[2].ChapterTitle)
	}
}

func TestParseMarkdownErrors(t *testing.T) {
	tests := []struct {
		file string
		line int
		msg  string
	}{
		{"dup-id.md", 10, "duplicate paragraph id 1.1 (first at line 8)"},
		{"outside-chapter.md", 6, "paragraph [1.1] outside a chapter"},
		{"wrong-chapter.md", 8, "paragraph [2.1] does not match its chapter 1"},
		{"no-language.md", 1, "front matter: missing language (en, fr, ru, ja)"},
		{"bad-language.md", 4, `front matter: language "de" is not one of en, fr, ru, ja`},
		{"no-front-matter.md", 1, `missing front matter: the file must start with "---"`},
		{"unclosed-front-matter.md", 1, `front matter is not closed by a "---" line`},
		{"bad-heading.md", 6, `chapter heading must read "## N. Title"`},
		{"dup-chapter.md", 10, "duplicate chapter 1 (first at line 6)"},
		{"unknown-key.md", 5, "front matter: unknown field \"colour\""},
		{"empty-chapter.md", 10, "chapter 2 has no paragraphs"},
		{"bad-id.md", 8, "paragraph id must read [N.M] followed by text"},
		{"deep-front-matter.md", 5, "front matter: lists or mappings nested more than 32 deep"},
		{"deep-compact-front-matter.md", 6, "front matter: lists or mappings nested more than 32 deep"},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			_, err := ParseMarkdown(tt.file, readTestdata(t, tt.file))
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("err = %v, want a *ParseError", err)
			}
			if pe.File != tt.file || pe.Line != tt.line || !strings.Contains(pe.Msg, tt.msg) {
				t.Errorf("got %q, want %s:%d: %s", err, tt.file, tt.line, tt.msg)
			}
		})
	}
}

// TestParseMarkdownJapanese reads a Japanese corpus file: full-width
// punctuation and 「」 quotes stay as written, and lines wrapped inside a
// paragraph join without a space, even before a digit or a Latin word.
func TestParseMarkdownJapanese(t *testing.T) {
	d, err := ParseMarkdown("good.ja.md", readTestdata(t, "good.ja.md"))
	if err != nil {
		t.Fatal(err)
	}
	if d.Lang != "ja" || d.Title != "「小さな例」" || d.Chapters[0].Title != "第一の章：「はじめに」" {
		t.Errorf("document = %q in %s, chapter 1 %q", d.Title, d.Lang, d.Chapters[0].Title)
	}
	want := map[string]string{
		"1.1": "最初の段落は、二行にわたって続く。「引用」もある！",
		"1.2": "二番目の段落（短い）。",
		"2.1": "ここには段落が一つだけ。AIと5か国にも触れる。",
	}
	for _, p := range d.Passages() {
		if p.Text != want[p.ID] || p.Lang != "ja" {
			t.Errorf("¶%s = %q in %s, want %q", p.ID, p.Text, p.Lang, want[p.ID])
		}
	}
}

func TestAlign(t *testing.T) {
	en, err := ParseMarkdown("good.md", readTestdata(t, "good.md"))
	if err != nil {
		t.Fatal(err)
	}
	fr, err := ParseMarkdown("good.fr.md", readTestdata(t, "good.fr.md"))
	if err != nil {
		t.Fatal(err)
	}
	if err := Align(en, fr); err != nil {
		t.Errorf("aligned pair: %v", err)
	}
	short, err := ParseMarkdown("missing-para.fr.md", readTestdata(t, "missing-para.fr.md"))
	if err != nil {
		t.Fatal(err)
	}
	err = Align(en, short)
	if err == nil || !strings.Contains(err.Error(), "missing-para.fr.md:1: chapter 2 is in good.md (en) but not in this file (fr)") &&
		!strings.Contains(err.Error(), "paragraph 1.2 is in good.md (en) but not in this file (fr)") {
		t.Errorf("Align with a missing paragraph: %v", err)
	}
	var four []*Document
	for _, name := range []string{"good.md", "good.fr.md", "good.ru.md", "good.ja.md"} {
		d, err := ParseMarkdown(name, readTestdata(t, name))
		if err != nil {
			t.Fatal(err)
		}
		four = append(four, d)
	}
	if err := Align(four...); err != nil {
		t.Errorf("four aligned versions: %v", err)
	}
	if err := Align(four[0], short, four[2], four[3]); err == nil || !strings.Contains(err.Error(), "missing-para.fr.md:1:") {
		t.Errorf("four versions, the French one short: %v", err)
	}
	if err := Align(en, en); err == nil {
		t.Error("two English versions of one document: no error")
	}
}

func TestParseRef(t *testing.T) {
	tests := []struct {
		in   string
		want Ref
		ok   bool
	}{
		{"4", Ref{4, 0}, true},
		{"4.2", Ref{4, 2}, true},
		{"§4.2", Ref{4, 2}, true},
		{"¶ 4.2", Ref{4, 2}, true},
		{"ch4", Ref{4, 0}, true},
		{"Ch. 7", Ref{7, 0}, true},
		{"chapter 9", Ref{9, 0}, true},
		{"chapitre 4", Ref{4, 0}, true},
		{"Chapitre 4.3", Ref{4, 3}, true},
		{"para 1.6", Ref{1, 6}, true},
		{"IV", Ref{4, 0}, true},
		{"iv", Ref{4, 0}, true},
		{"Ch. IX", Ref{9, 0}, true},
		{"chapitre VII", Ref{7, 0}, true},
		{"IIII", Ref{}, false},
		{"IVX", Ref{}, false},
		{"", Ref{}, false},
		{"four", Ref{}, false},
		{"4.x", Ref{}, false},
		{"-1", Ref{}, false},
		{"0", Ref{}, false},
		{"99999999999999999999", Ref{}, false},
	}
	for _, tt := range tests {
		got, err := ParseRef(tt.in)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("ParseRef(%q) = %v, %v; want %v, ok=%v", tt.in, got, err, tt.want, tt.ok)
		}
	}
}

// TestBundled checks the digest against the rules of its format and of
// the facts sheet: four languages in the table's order, nine chapters with
// the fixed titles (English and French; the facts sheet has no others), 3
// to 8 paragraphs a chapter, 40 to 150 words a paragraph (for Japanese,
// written without spaces, 100 to 450 characters), all aligned.
func TestBundled(t *testing.T) {
	docs, err := Bundled()
	if err != nil {
		t.Fatal(err)
	}
	var langs []string
	for _, d := range docs {
		langs = append(langs, d.Lang)
	}
	if got, want := strings.Join(langs, " "), "en fr ru ja"; got != want {
		t.Fatalf("bundled languages = %q, want %q", got, want)
	}
	unofficial := map[string]string{"en": "not the official", "fr": "pas le texte officiel", "ru": "не является официальным", "ja": "公式文書ではなく"}
	for _, d := range docs {
		if d.Kind != Digest || !strings.Contains(strings.ToLower(d.Notice), unofficial[d.Lang]) {
			t.Errorf("%s: kind %s, notice %q: want a digest that says it is not the official text", d.Path, d.Kind, d.Notice)
		}
		if len(d.Chapters) != 9 {
			t.Errorf("%s: %d chapters, want 9", d.Path, len(d.Chapters))
		}
		for _, c := range d.Chapters {
			if n := len(c.Passages); n < 3 || n > 8 {
				t.Errorf("%s: chapter %d has %d paragraphs, want 3 to 8", d.Path, c.Number, n)
			}
			for _, p := range c.Passages {
				if d.Lang == "ja" {
					if n := utf8.RuneCountInString(p.Text); n < 100 || n > 450 {
						t.Errorf("%s: ¶%s has %d characters, want 100 to 450", d.Path, p.ID, n)
					}
					if cjkSpace.MatchString(p.Text) {
						t.Errorf("%s: ¶%s has a line break read as a space: %q", d.Path, p.ID, p.Text)
					}
					continue
				}
				if n := len(strings.Fields(p.Text)); n < 40 || n > 150 {
					t.Errorf("%s: ¶%s has %d words, want 40 to 150", d.Path, p.ID, n)
				}
			}
		}
	}
	titles := factsTitles(t)
	for i, d := range docs[:2] {
		for j, c := range d.Chapters {
			if j < len(titles) && c.Title != titles[j][i] {
				t.Errorf("%s: chapter %d title %q, want %q", d.Path, c.Number, c.Title, titles[j][i])
			}
		}
	}
}

// cjkSpace is a space between two Japanese characters: a wrapped line
// joined as if it were English.
var cjkSpace = regexp.MustCompile(`[\p{Han}\p{Hiragana}\p{Katakana}、。] [\p{Han}\p{Hiragana}\p{Katakana}]`)

// TestBundledAlignment takes one paragraph out of, or puts one more into,
// each bundled language in turn: the alignment check must name that file.
func TestBundledAlignment(t *testing.T) {
	files, err := BundledFiles()
	if err != nil {
		t.Fatal(err)
	}
	for _, code := range []string{"en", "fr", "ru", "ja"} {
		name := "corpus/digest/" + code + ".md"
		if _, ok := files[name]; !ok {
			t.Fatalf("no bundled %s", name)
		}
		edits := map[string]func(string) string{
			"missing": func(s string) string {
				i := strings.Index(s, "[5.2]")
				j := strings.Index(s, "[5.3]")
				return s[:i] + s[j:]
			},
			"extra": func(s string) string {
				return strings.Replace(s, "[5.3]", "[5.9] "+strings.Repeat("x ", 5)+"\n\n[5.3]", 1)
			},
		}
		for what, edit := range edits {
			t.Run(code+"/"+what, func(t *testing.T) {
				var docs []*Document
				for n, b := range files {
					if n == name {
						b = []byte(edit(string(b)))
					}
					d, err := ParseMarkdown(n, b)
					if err != nil {
						t.Fatalf("parse %s: %v", n, err)
					}
					docs = append(docs, d)
				}
				err := Align(docs...)
				var pe *ParseError
				if !errors.As(err, &pe) {
					t.Fatalf("Align = %v, want a *ParseError", err)
				}
				// A missing paragraph is missing from the edited file; an
				// extra one is missing from the others.
				if (what == "missing") != (pe.File == name) {
					t.Errorf("Align error names %s: %v", pe.File, err)
				}
				if !strings.Contains(err.Error(), map[string]string{"missing": "5.2", "extra": "5.9"}[what]) {
					t.Errorf("Align error = %v, want it to name the paragraph", err)
				}
			})
		}
	}
}

// factsTitles reads the chapter titles (English, French) from the facts
// sheet beside the checkout; its absence fails the test, as CI always has
// ../shared beside the clone.
func factsTitles(t *testing.T) [][2]string {
	p := filepath.Join("..", "..", "shared", "corpus", "FACTS.md")
	data, err := os.ReadFile(p)
	if err != nil {
		t.Fatalf("the facts sheet is read from ../shared beside the checkout, as in CI: %v", err)
	}
	row := regexp.MustCompile(`(?m)^\| (\d) \| (.+?) \| (.+?) \|$`)
	var out [][2]string
	for _, m := range row.FindAllStringSubmatch(string(data), -1) {
		out = append(out, [2]string{m[2], m[3]})
	}
	if len(out) != 9 {
		t.Fatalf("found %d chapter rows in %s, want 9", len(out), p)
	}
	return out
}

func FuzzParseMarkdown(f *testing.F) {
	entries, _ := os.ReadDir(filepath.Join("testdata", "markdown"))
	for _, e := range entries {
		f.Add(readTestdata(f, e.Name()))
	}
	files, _ := BundledFiles()
	for _, b := range files {
		f.Add(b)
	}
	f.Add([]byte("---\ndocument: d\ntitle: \"D\\a\"\nlanguage: en\n---\n## 1. One\x1b[31m\n\n[1.1] Text\u202e\x07.\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		d, err := ParseMarkdown("fuzz.md", data)
		if err != nil {
			var pe *ParseError
			if !errors.As(err, &pe) || pe.Line < 1 {
				t.Fatalf("error %v is not a *ParseError with a line", err)
			}
			return
		}
		seen := map[string]bool{}
		for _, p := range d.Passages() {
			if seen[p.ID] {
				t.Fatalf("duplicate id %s accepted", p.ID)
			}
			seen[p.ID] = true
			if !strings.HasPrefix(p.ID, itoa(p.Chapter)+".") {
				t.Fatalf("id %s in chapter %d", p.ID, p.Chapter)
			}
		}
		checkDoc(t, d, nil)
	})
}

func itoa(n int) string { return Ref{Chapter: n}.String() }

func FuzzParseRef(f *testing.F) {
	for _, s := range []string{"4", "4.2", "§4.2", "ch4", "chapitre 4", "", "¶", "4.", ".2", "ch. 9.8", "IV", "ch. xii", "IV.15", "MCM"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r, err := ParseRef(s)
		if err != nil {
			return
		}
		if r.Chapter <= 0 || r.Para < 0 {
			t.Fatalf("ParseRef(%q) = %+v", s, r)
		}
		back, err := ParseRef(r.String())
		if err != nil || back != r {
			t.Fatalf("round trip of %q: %v -> %v, %v", s, r, back, err)
		}
	})
}
