package corpus

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// seedPath is the third-party French page shared by the project (beside
// the repository in development and in CI).
const seedPath = "../../shared/seeds/000_5c29b57ce71f4455.txt"

func TestFormatsGolden(t *testing.T) {
	for _, name := range []string{"declaration-en.txt", "declaration-fr.txt", "declaration-ru.txt", "declaration-ja.txt", "outline-ja.txt", "unstructured-en.txt", "general.md", "page.html"} {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join("testdata", name)
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			d, err := ParseFile(path, data)
			if err != nil {
				t.Fatal(err)
			}
			checkGolden(t, name+".golden", render(d, 0))
		})
	}
}

// TestSeedGolden pins what the French seed page yields: no chapters (its
// "Liste des Titres des Chapitres Clés" is a list of nine titles with no
// text under them, so it stays text inside a passage), and passages made
// of its paragraphs. The golden file clips passages, to hold no more of
// the third-party text than the test needs.
func TestSeedGolden(t *testing.T) {
	data, err := os.ReadFile(seedPath)
	if err != nil {
		t.Fatalf("the seed is read from ../shared beside the checkout, as in CI: %v", err)
	}
	d, err := ParseFile(filepath.Base(seedPath), data)
	if err != nil {
		t.Fatal(err)
	}
	if d.Lang != "fr" {
		t.Errorf("lang = %q, want fr", d.Lang)
	}
	for _, c := range d.Chapters {
		if c.Number != 0 {
			t.Errorf("chapter %d %q found: the chapter list must stay text", c.Number, c.Title)
		}
		for _, p := range c.Passages {
			if len(p.Text) > 2*maxPassage {
				t.Errorf("passage %s has %d bytes, above the bound", p.ID, len(p.Text))
			}
		}
	}
	all := ""
	for _, p := range d.Passages() {
		all += p.Text + "\n"
	}
	if !strings.Contains(all, "4. Transition Verte et Résilience") {
		t.Errorf("the chapter list is lost from the passages")
	}
	checkGolden(t, "seed.golden", render(d, 60))
}

func TestParsersNeverFailOnStructure(t *testing.T) {
	// Every golden input parses with unique ids and the document's name
	// and language on every passage.
	files, _ := filepath.Glob("testdata/*.*")
	for _, f := range files {
		data, _ := os.ReadFile(f)
		d, err := ParseFile(f, data)
		if err != nil {
			t.Errorf("%s: %v", f, err)
			continue
		}
		seen := map[string]bool{}
		for _, p := range d.Passages() {
			if seen[p.ID] {
				t.Errorf("%s: duplicate id %s", f, p.ID)
			}
			seen[p.ID] = true
			if p.Doc != d.Name || p.Lang != d.Lang || strings.TrimSpace(p.Text) == "" {
				t.Errorf("%s: passage %+v lacks doc, lang or text", f, p)
			}
		}
	}
}

// TestOfficialRuJaGolden pins what the Japanese ministry page and the
// Russian browser print give, chapter by chapter (TestOfficialFixtures
// scores them against the digest; the golden files show the reading).
func TestOfficialRuJaGolden(t *testing.T) {
	for _, path := range []string{"testdata/official/ja/ministry.ja.html", "testdata/official/ru/chromium.ru.pdf"} {
		t.Run(filepath.Base(path), func(t *testing.T) {
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			d, err := ParseFile(path, data)
			if err != nil {
				t.Fatal(err)
			}
			checkGolden(t, filepath.Base(path)+".golden", render(d, 60))
		})
	}
}
