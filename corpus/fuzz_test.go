package corpus

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"
)

// seedCorpus adds every testdata file with one of exts to f's corpus.
func seedCorpus(f *testing.F, exts ...string) {
	for _, ext := range exts {
		files, _ := filepath.Glob(filepath.Join("testdata", "*"+ext))
		// The official fixtures' pages seed the fuzzers of small formats;
		// a PDF of them costs seconds an execution under the fuzzer's
		// instrumentation, so PDF fuzzing starts from the sample alone.
		if ext != ".pdf" {
			official, _ := filepath.Glob(filepath.Join("testdata", "official", "*", "*"+ext))
			files = append(files, official...)
		}
		for _, file := range files {
			data, err := os.ReadFile(file)
			if err != nil {
				f.Fatal(err)
			}
			f.Add(data)
		}
	}
	if data, err := os.ReadFile(seedPath); err == nil {
		f.Add(data)
	}
	f.Add([]byte("---\ntitle: \"T\\e[31m\"\n---\nAnnex\x1b]0;PWNED\a\n\n1. One\u202e\n\n" + body + "\x1b[2J\u009b\n"))
}

// checkDoc fails when a parse that succeeded breaks the invariants the
// index relies on: unique ids, passages with text, a language, and no
// control character (see hasSteering) in a passage, a chapter title or
// the document's metadata.
func checkDoc(t *testing.T, d *Document, err error) {
	if err != nil {
		return
	}
	if !languages().Has(d.Lang) {
		t.Fatalf("lang %q", d.Lang)
	}
	for _, s := range []string{d.Title, d.Source, d.Date, d.Notice} {
		if hasSteering(s) {
			t.Fatalf("metadata %q holds a control character", s)
		}
	}
	for _, c := range d.Chapters {
		if hasSteering(c.Title) {
			t.Fatalf("chapter title %q holds a control character", c.Title)
		}
	}
	seen := map[string]bool{}
	for _, p := range d.Passages() {
		if seen[p.ID] {
			t.Fatalf("duplicate id %s", p.ID)
		}
		seen[p.ID] = true
		if p.Text == "" {
			t.Fatalf("empty passage %s", p.ID)
		}
		if hasSteering(p.Text) || hasSteering(p.ChapterTitle) {
			t.Fatalf("passage %s %q (chapter %q) holds a control character", p.ID, p.Text, p.ChapterTitle)
		}
	}
}

func FuzzParseText(f *testing.F) {
	seedCorpus(f, ".txt")
	f.Fuzz(func(t *testing.T, data []byte) {
		d, err := ParseText("fuzz.txt", data)
		checkDoc(t, d, err)
	})
}

func FuzzParseGeneralMarkdown(f *testing.F) {
	seedCorpus(f, ".md")
	f.Fuzz(func(t *testing.T, data []byte) {
		d, err := ParseGeneralMarkdown("fuzz.md", data)
		checkDoc(t, d, err)
	})
}

func FuzzParseHTML(f *testing.F) {
	seedCorpus(f, ".html")
	f.Fuzz(func(t *testing.T, data []byte) {
		d, err := ParseHTML("fuzz.html", data)
		checkDoc(t, d, err)
	})
}

func FuzzParsePDF(f *testing.F) {
	seedCorpus(f, ".pdf")
	f.Fuzz(func(t *testing.T, data []byte) {
		d, err := ParsePDF("fuzz.pdf", data)
		checkDoc(t, d, err)
	})
}

func FuzzParseFile(f *testing.F) {
	seedCorpus(f, ".txt", ".md", ".html", ".pdf")
	f.Fuzz(func(t *testing.T, data []byte) {
		d, err := ParseFile("fuzz", data)
		checkDoc(t, d, err)
	})
}

func FuzzPassageID(f *testing.F) {
	for _, s := range []string{"¶15", "4.2", "0.1", "12-2", "para 3", "§ 04.02", "15", "chapter 4"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		id, ok := PassageID(s)
		if !ok {
			return
		}
		if back, ok := PassageID("¶" + id); !ok || back != id {
			t.Fatalf("PassageID(%q) = %q, but PassageID(¶%s) = %q, %v", s, id, id, back, ok)
		}
	})
}

// FuzzDehyphenate: mending line ends never loses or invents a letter.
func FuzzDehyphenate(f *testing.F) {
	f.Add("the inter-\nnational order\nKassym-\nJomart", "people-to-people")
	f.Add("Japan–\nCentral Asia -\n\n-", "")
	f.Add("closer people-to-\npeople ties\npeople-to-peo-\nple", "the people")
	f.Add("long-\nterm\n--\n-x", "medium-term -a- b--c")
	f.Fuzz(func(t *testing.T, text, other string) {
		var lines []string
		for _, l := range strings.Split(text, "\n") {
			if l = normalizeSpace(l); l != "" {
				lines = append(lines, l)
			}
		}
		if len(lines) == 0 {
			return
		}
		bs := dehyphenate([]block{{lines: lines}, {lines: []string{other}}})
		letters := func(ss []string) string {
			return strings.Map(func(r rune) rune {
				if r == '-' || unicode.IsSpace(r) {
					return -1
				}
				return r
			}, strings.Join(ss, ""))
		}
		if got, want := letters(bs[0].lines), letters(lines); got != want {
			t.Fatalf("dehyphenate(%q) = %q", lines, bs[0].lines)
		}
	})
}
