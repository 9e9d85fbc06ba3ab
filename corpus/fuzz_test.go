package corpus

import (
	"os"
	"path/filepath"
	"testing"
)

// seedCorpus adds every testdata file with one of exts to f's corpus.
func seedCorpus(f *testing.F, exts ...string) {
	for _, ext := range exts {
		files, _ := filepath.Glob(filepath.Join("testdata", "*"+ext))
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
}

// checkDoc fails when a parse that succeeded breaks the invariants the
// index relies on: unique ids, passages with text, a language.
func checkDoc(t *testing.T, d *Document, err error) {
	if err != nil {
		return
	}
	if d.Lang != "en" && d.Lang != "fr" {
		t.Fatalf("lang %q", d.Lang)
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
