package corpus

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/go-pdf/fpdf"
)

// samplePDF writes a two-page declaration in the layout official PDFs use:
// a title, numbered chapter headings, numbered paragraphs wrapped over
// several lines, a page number at the foot of each page, and a paragraph
// that runs over the page break.
func samplePDF(t testing.TB) []byte {
	t.Helper()
	p := fpdf.New("P", "mm", "A4", "")
	p.SetCreationDate(time.Date(2025, 12, 20, 0, 0, 0, 0, time.UTC))
	p.SetModificationDate(time.Date(2025, 12, 20, 0, 0, 0, 0, time.UTC))
	p.SetCompression(false)
	p.SetTitle("Sample Declaration", true)
	tr := p.UnicodeTranslatorFromDescriptor("") // cp1252, for French accents
	p.SetFooterFunc(func() {
		p.SetY(-15)
		p.SetFont("Helvetica", "", 9)
		p.CellFormat(0, 10, tr(fmt.Sprint(p.PageNo())), "", 0, "C", false, 0, "")
	})
	p.AddPage()
	p.SetFont("Helvetica", "B", 16)
	p.MultiCell(0, 8, tr("Tokyo Declaration of the Example Dialogue Summit"), "", "C", false)
	p.Ln(6)
	para := func(s string) {
		p.SetFont("Helvetica", "", 11)
		p.MultiCell(0, 5.5, tr(s), "", "J", false)
		p.Ln(4)
	}
	head := func(s string) {
		p.SetFont("Helvetica", "B", 12)
		p.MultiCell(0, 6, tr(s), "", "L", false)
		p.Ln(3)
	}
	para("We, the leaders of Japan and of the five countries of Central Asia, met in Tokyo on 20 December 2025 for the first summit of the dialogue.")
	head("1. Overview")
	para("1. The leaders reviewed more than thirty-three years of bilateral relations and twenty-one years of the dialogue, and affirmed its role as a catalyst for a strategic partnership founded on friendship and mutual trust.")
	para("2. They welcomed the meetings of foreign ministers, of senior officials and of experts in various fields, and the economic and energy dialogue.")
	head("2. Priority Areas")
	for i := 3; i <= 12; i++ {
		para(fmt.Sprintf("%d. On the %s priority area, the leaders agreed to concentrate future cooperation on green transition and resilience, connectivity and human resource development, and asked their ministers to prepare concrete projects with the private sector, to report on them at the next meeting of foreign ministers, and to keep the public informed of the progress made.", i, ordinals[i]))
	}
	para("13. Les dirigeants ont salué la coopération sur les minéraux critiques, la réduction des risques de catastrophe et la route de transport international transcaspienne, qui relie l'Asie centrale à l'Europe à travers la mer Caspienne, ainsi que la connectivité numérique et la gouvernance de l'intelligence artificielle.")
	head("3. Conclusion")
	para("14. The leaders decided to meet again at summit level.")
	var buf bytes.Buffer
	if err := p.Output(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

var ordinals = []string{3: "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth", "eleventh", "twelfth"}

func TestPDFGolden(t *testing.T) {
	data := samplePDF(t)
	path := filepath.Join("testdata", "sample.pdf")
	if *update {
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	d, err := ParsePDF("sample.pdf", data)
	if err != nil {
		t.Fatal(err)
	}
	checkGolden(t, "sample.pdf.golden", render(d, 0))
}
