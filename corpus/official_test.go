package corpus

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// The fixtures under testdata/official are the project's digest laid out
// as an official declaration (title, dateline, unnumbered preamble,
// chapters I. to IX., paragraphs numbered straight through, a running
// header, page numbers) and produced by real tools: LibreOffice (one
// column, two columns, a font with ligatures), Chromium's print to PDF with
// its header and footer, and a ministry-style web page without <main>.
// make.sh there regenerates them. English is the text the parsers were
// written against; French is held out (a different text from the same
// producers) and must pass the same bar, as must Russian (chapters
// "Глава IV.") and Japanese (chapters "第4章", paragraphs "１５．" in
// full-width digits with no space after them).

// official is what a fixture must give: the digest's paragraphs,
// numbered 1 to N through its chapters, after a preamble.
type official struct {
	preamble string
	chapters []Chapter // passages with ids "1".."N"
	// label is how a chapter's number is printed, as citations keep it:
	// Roman in the fixtures ("IV.", "Глава IV."), none for the Japanese
	// "第4章", which cites as the number.
	label func(int) string
}

func loadOfficial(t *testing.T, lang string) official {
	t.Helper()
	path := filepath.Join("digest", lang+".md")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	d, err := ParseMarkdown(path, data)
	if err != nil {
		t.Fatal(err)
	}
	o := official{label: toRoman}
	if lang == "ja" {
		o.label = func(int) string { return "" }
	}
	n := 0
	for _, c := range d.Chapters {
		oc := Chapter{Number: c.Number, Title: c.Title}
		for _, p := range c.Passages {
			n++
			oc.Passages = append(oc.Passages, Passage{ID: strconv.Itoa(n), Chapter: c.Number, Text: p.Text})
		}
		o.chapters = append(o.chapters, oc)
	}
	f, err := os.Open(filepath.Join("testdata", "official", "preamble.txt"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var front []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if l, s, ok := strings.Cut(sc.Text(), "\t"); ok && l == lang {
			front = append(front, s)
		}
	}
	o.preamble = strings.Join(front, " ")
	return o
}

// furniture is what the producers put around the text: none of it may
// reach a passage.
var furniture = regexp.MustCompile(`(?i)provisional translation|traduction provisoire|предварительный перевод|仮訳|file://|https?://|back to top|haut de page|наверх|ページの先頭|skip to|aller au contenu|перейти к содержанию|本文へ移動|ministry of|minist[eè]re des|министерство|外務省|related links|liens utiles|полезные ссылки|関連リンク|last updated|mise à jour|последнее обновление|最終更新|copyright|facebook|\b\d+/\d+\b|- \d+ -|\d{1,2}:\d{2}`)

// sameText compares texts as the parsers read them: spaces normalised and
// full-width Latin letters, digits and signs narrow (Japanese text writes
// "（", "：" and "＋").
func sameText(a, b string) bool {
	return normalizeSpace(foldCompat(a)) == normalizeSpace(foldCompat(b))
}

// officialScore compares a parsed fixture with the text it was made from.
type officialScore struct {
	chapters, paras, exact, total, furniture int
	problems                                 []string
}

func scoreOfficial(d *Document, o official) officialScore {
	var s officialScore
	want := map[string]Passage{}
	chapters := map[int]Chapter{}
	for _, c := range o.chapters {
		chapters[c.Number] = c
		for _, p := range c.Passages {
			want[p.ID] = p
			s.total++
		}
	}
	s.total++ // the preamble
	for _, c := range d.Chapters {
		if c.Number == 0 {
			if len(c.Passages) == 1 && c.Passages[0].ID == "0.1" && sameText(c.Passages[0].Text, o.preamble) {
				s.exact++
			} else {
				s.problems = append(s.problems, fmt.Sprintf("preamble: %d passages, first %q", len(c.Passages), clipText(c.Passages[0].Text, 200)))
			}
		} else if wc, ok := chapters[c.Number]; ok && sameText(c.Title, wc.Title) && c.Label == o.label(c.Number) {
			s.chapters++
		} else {
			s.problems = append(s.problems, fmt.Sprintf("chapter %d (printed %q) %q unexpected", c.Number, c.Label, c.Title))
		}
		for _, p := range c.Passages {
			if furniture.MatchString(p.Text) {
				s.furniture++
				s.problems = append(s.problems, fmt.Sprintf("furniture in %s: %q", p.ID, furniture.FindString(p.Text)))
			}
			if c.Number == 0 {
				continue
			}
			w, ok := want[p.ID]
			if !ok {
				s.problems = append(s.problems, fmt.Sprintf("unexpected id %s: %q", p.ID, clipText(p.Text, 80)))
				continue
			}
			if w.Chapter != c.Number || p.ChapterLabel != c.Label {
				s.problems = append(s.problems, fmt.Sprintf("¶%s in chapter %d, want %d", p.ID, c.Number, w.Chapter))
				continue
			}
			s.paras++
			if sameText(p.Text, w.Text) {
				s.exact++
			} else {
				got, want := diffAt(normalizeSpace(foldCompat(p.Text)), normalizeSpace(foldCompat(w.Text)))
				s.problems = append(s.problems, fmt.Sprintf("¶%s differs:\n got %s\nwant %s", p.ID, got, want))
			}
		}
	}
	return s
}

// diffAt shows two texts from a little before where they part.
func diffAt(a, b string) (string, string) {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	from := max(0, i-30)
	return clipText(a[from:], 90), clipText(b[from:], 90)
}

func TestOfficialFixtures(t *testing.T) {
	// Russian and Japanese have the producers this machine can run without
	// their fonts: a web page each, and Chromium's print of the Russian.
	for lang, least := range map[string]int{"en": 5, "fr": 5, "ru": 2, "ja": 1} {
		o := loadOfficial(t, lang)
		files, err := filepath.Glob(filepath.Join("testdata", "official", lang, "*"))
		if err != nil || len(files) < least {
			t.Fatalf("%s fixtures: %v (%d files; run testdata/official/make.sh)", lang, err, len(files))
		}
		for _, file := range files {
			t.Run(filepath.Base(file), func(t *testing.T) {
				data, err := os.ReadFile(file)
				if err != nil {
					t.Fatal(err)
				}
				d, err := ParseFile(file, data)
				if err != nil {
					t.Fatal(err)
				}
				s := scoreOfficial(d, o)
				t.Logf("chapters %d/%d, paragraphs %d/%d, exact %d/%d (%.1f%%), furniture %d, warnings %d",
					s.chapters, len(o.chapters), s.paras, s.total-1, s.exact, s.total, 100*float64(s.exact)/float64(s.total), s.furniture, len(d.Warnings))
				for _, p := range s.problems {
					t.Log(p)
				}
				if s.chapters != len(o.chapters) || s.paras != s.total-1 {
					t.Errorf("found %d of %d chapters and %d of %d numbered paragraphs", s.chapters, len(o.chapters), s.paras, s.total-1)
				}
				if s.furniture > 0 {
					t.Errorf("%d passages hold page furniture or navigation", s.furniture)
				}
				if s.exact*100 < s.total*98 {
					t.Errorf("%d of %d passages equal their source, want 98%%", s.exact, s.total)
				}
				if len(d.Warnings) > 0 {
					t.Errorf("warnings on a sound extraction: %q", d.Warnings)
				}
			})
		}
	}
}
