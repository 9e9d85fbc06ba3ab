package corpus

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/go-pdf/fpdf"
)

func TestDehyphenate(t *testing.T) {
	tests := []struct {
		name  string
		lines []string
		also  string // another paragraph of the same document
		want  string
	}{
		{"word cut by the line", []string{"the inter-", "national order"}, "", "the international order"},
		{"name goes on with a capital", []string{"President Kassym-", "Jomart Tokayev"}, "", "President Kassym-Jomart Tokayev"},
		{"number goes on", []string{"after COVID-", "19 struck"}, "", "after COVID-19 struck"},
		{"compound written elsewhere", []string{"people-", "to-people exchanges"}, "closer people-to-people ties", "people-to-people exchanges"},
		{"compound unknown elsewhere is mended", []string{"non-", "proliferation"}, "", "nonproliferation"},
		{"compound known elsewhere", []string{"non-", "proliferation"}, "nuclear non-proliferation", "non-proliferation"},
		{"joined form known elsewhere", []string{"co-", "operation"}, "cooperation and co-chairs", "cooperation"},
		{"en dash joins without a space", []string{"Japan–", "Central Asia"}, "", "Japan–Central Asia"},
		{"spaced dash is a word", []string{"the region –", "and beyond"}, "", "the region – and beyond"},
		{"last line of the paragraph", []string{"ends with a dash-"}, "", "ends with a dash-"},
		{"a hyphen alone", []string{"a list -", "item"}, "", "a list - item"},
		{"cut word alone on the next line", []string{"mem-", "ber", "states"}, "", "member states"},
		{"French word", []string{"la coopé-", "ration régionale"}, "", "la coopération régionale"},
		{"identifier in camel case", []string{"RestartPreventExit-", "Status=2"}, "", "RestartPreventExitStatus=2"},
		{"a path", []string{"in corpus/testdata/", "golden files"}, "", "in corpus/testdata/golden files"},
		{"an option", []string{"with `--", "check` it"}, "", "with `--check` it"},
		{"a range", []string{"pages 10-", "12"}, "", "pages 10-12"},
		{"compound cut at its own hyphen", []string{"closer people-to-", "people exchanges"}, "", "closer people-to-people exchanges"},
		{"compound cut inside its last part", []string{"people-to-peo-", "ple ties"}, "the people of the region", "people-to-people ties"},
		{"name cut at its hyphen", []string{"President Shavkat Mirziyoyev and Kassym-", "Jomart Tokayev"}, "", "President Shavkat Mirziyoyev and Kassym-Jomart Tokayev"},
		{"en dash in a name of a dialogue", []string{"the Japan–", "Central Asia dialogue"}, "the Central Asia + Japan format", "the Japan–Central Asia dialogue"},
		{"second half of another compound", []string{"long-", "term cooperation"}, "a medium-term plan", "long-term cooperation"},
		{"a prefix of another compound decides nothing", []string{"qui trans-", "portent les données"}, "la route Trans-Caspian", "qui transportent les données"},
		{"a cut word beside compounds", []string{"inter-", "national order"}, "a long-term plan", "international order"},
		{"French compound", []string{"le dialogue Asie centrale-", "Japon"}, "", "le dialogue Asie centrale-Japon"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			bs := []block{{lines: tt.lines}}
			if tt.also != "" {
				bs = append(bs, block{lines: []string{tt.also}})
			}
			got := joinLines(dehyphenate(bs)[0].lines)
			if got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestFoldCompat(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"ligatures", "ﬁrst ﬂows, eﬀorts, oﬃcials, baﬄe", "first flows, efforts, officials, baffle"},
		{"full-width", "ＡＢＣ１２３", "ABC123"},
		{"soft hyphen and zero width", "co\u00adoperation\u200b", "cooperation"},
		{"printed forms stay", "… ½ ² № «»", "… ½ ² № «»"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := foldCompat(tt.in); got != tt.want {
				t.Errorf("foldCompat(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestPassageID(t *testing.T) {
	tests := []struct {
		in   string
		want string
		ok   bool
	}{
		{"¶15", "15", true}, {"§ 15", "15", true}, {"para 15", "15", true}, {"paragraphe 15", "15", true},
		{"4.2", "4.2", true}, {"0.1", "0.1", true}, {"¶0.1", "0.1", true}, {"12-2", "12-2", true},
		{"4.02", "4.2", true}, {"15", "", false}, {"chapter 4", "", false}, {"0", "", false}, {"¶0", "", false},
		{"4.0", "", false}, {"12-0", "", false}, {"¶", "", false}, {"4.2.1", "", false}, {"x", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, ok := PassageID(tt.in)
			if got != tt.want || ok != tt.ok {
				t.Errorf("PassageID(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
			}
		})
	}
}

// TestWarnings checks that each kind of implausible result gives a
// warning that says what is wrong, and that a sound text gives none.
func TestWarnings(t *testing.T) {
	body := "The leaders reviewed the cooperation of the dialogue and its achievements since the first meeting of foreign ministers in 2004."
	para := func(n int, s string) string { return fmt.Sprintf("%d. %s\n\n", n, s) }
	sound := "I. Overview\n\n" + para(1, body) + para(2, body) + "II. Areas\n\n" + para(3, body) + para(4, body)
	tests := []struct{ name, text, want string }{
		{"sound", sound, ""},
		{"gap in numbering", "I. Overview\n\n" + para(1, body) + para(2, body) + "II. Areas\n\n" + para(5, body) + para(6, body), "jump from 2 to 5"},
		{"out of order", "I. Overview\n\n" + para(1, body) + para(2, body) + para(1, body) + "II. Areas\n\n" + para(3, body), "a paragraph numbered 1 after paragraph 2"},
		{"heading not used", "I. Overview\n\n" + para(1, body) + "II. Areas\n\n" + para(2, body) + "IV. Regional Issues\n\n" + para(3, body), `"IV. Regional Issues"`},
		{"replacement characters", "I. Overview\n\n" + para(1, body) + "II. Areas\n\n" + para(2, "The \ufffd\ufffd\ufffd leaders."), "not mapped to letters"},
		{"letter-spaced", "I. Overview\n\n" + para(1, "T o k y o and t h e s e words, the J a p a n side.") + "II. Areas\n\n" + para(2, "A n o t h e r one here.") + para(3, body), "spread letter by letter"},
		{"split words", "I. Overview\n\n" + para(1, body+" The of ficials met in T okyo.") + "II. Areas\n\n" + para(2, body+" Other of ficials came to T okyo for the dialo gue; officials Tokyo dialogue.") + para(3, body), "cut in two"},
		{"a passage far longer than the rest", "I. Overview\n\n" + para(1, body) + para(2, body) + para(3, body) + "II. Areas\n\n" + para(4, body) + para(5, strings.Repeat(body+" ", 20)), "paragraphs may have run together"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := ParseText("w.en.txt", []byte(tt.text))
			if err != nil {
				t.Fatal(err)
			}
			got := strings.Join(d.Warnings, "\n")
			if tt.want == "" && got != "" || tt.want != "" && !strings.Contains(got, tt.want) {
				t.Errorf("warnings %q, want one saying %q", d.Warnings, tt.want)
			}
		})
	}
}

// TestBrokenFixtures reads the deliberately broken PDFs: a scanned page
// with no text layer at the end of a good text, and the same text with its
// font maps spoiled. Each must say so in a warning.
func TestBrokenFixtures(t *testing.T) {
	tests := []struct{ file, want string }{
		{"scanned-page.en.pdf", "page 6 is missing from the index"},
		{"fontmap.en.pdf", "not mapped to letters (a broken font map?)"},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			path := filepath.Join("testdata", "official", "broken", tt.file)
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			d, err := ParsePDF(path, data)
			if err != nil {
				t.Fatal(err)
			}
			if got := strings.Join(d.Warnings, "\n"); !strings.Contains(got, tt.want) {
				t.Errorf("warnings %q, want one saying %q", d.Warnings, tt.want)
			}
		})
	}
}

// scanPDF is a PDF of pages that are only images, as a scanner makes.
func scanPDF(t *testing.T, pages int) []byte {
	t.Helper()
	img := image.NewGray(image.Rect(0, 0, 40, 60))
	for i := range img.Pix {
		img.Pix[i] = uint8(200 + i%50)
	}
	img.Set(3, 3, color.Black)
	var pngData bytes.Buffer
	if err := png.Encode(&pngData, img); err != nil {
		t.Fatal(err)
	}
	p := fpdf.New("P", "mm", "A4", "")
	p.RegisterImageOptionsReader("scan", fpdf.ImageOptions{ImageType: "PNG"}, bytes.NewReader(pngData.Bytes()))
	for i := 0; i < pages; i++ {
		p.AddPage()
		p.ImageOptions("scan", 0, 0, 210, 297, false, fpdf.ImageOptions{ImageType: "PNG"}, 0, "")
	}
	var buf bytes.Buffer
	if err := p.Output(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestPDFScanOnly(t *testing.T) {
	_, err := ParsePDF("scan.pdf", scanPDF(t, 2))
	if err == nil || !strings.Contains(err.Error(), "no text layer") {
		t.Errorf("err = %v, want one saying the PDF has no text layer", err)
	}
}

// TestPDFFewPassages: text that runs on over pages without a paragraph
// break is one passage, which four pages make implausible.
func TestPDFFewPassages(t *testing.T) {
	p := fpdf.New("P", "mm", "A4", "")
	p.SetFont("Helvetica", "", 11)
	p.AddPage()
	p.MultiCell(0, 5.5, strings.Repeat("the leaders reviewed the cooperation of the dialogue and its achievements since the first meeting ", 130), "", "L", false)
	var buf bytes.Buffer
	if err := p.Output(&buf); err != nil {
		t.Fatal(err)
	}
	d, err := ParsePDF("few.pdf", buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(d.Warnings, "\n"); p.PageCount() < 3 || !strings.Contains(got, "passages from") {
		t.Errorf("%d pages, warnings %q; want one about too few passages", p.PageCount(), d.Warnings)
	}
}
