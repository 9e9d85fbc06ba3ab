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

// dejaVuSans is the font the Russian sample is set in (Debian's
// fonts-dejavu-core); it is needed only to rewrite the sample.
const dejaVuSans = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"

// samplePDFRu writes a one-page Russian declaration as official Russian
// texts are laid out: chapters "Глава I", paragraphs numbered straight
// through, some "(1)" items, in a font embedded as a CID font with its
// ToUnicode map, as office suites embed Cyrillic.
func samplePDFRu(t testing.TB) []byte {
	t.Helper()
	p := fpdf.New("P", "mm", "A4", "")
	p.SetCreationDate(time.Date(2025, 12, 20, 0, 0, 0, 0, time.UTC))
	p.SetModificationDate(time.Date(2025, 12, 20, 0, 0, 0, 0, time.UTC))
	p.SetTitle("Пример декларации", true)
	font, err := os.ReadFile(dejaVuSans)
	if err != nil {
		t.Fatal(err)
	}
	p.AddUTF8FontFromBytes("body", "", font)
	p.SetFooterFunc(func() {
		p.SetY(-15)
		p.SetFont("body", "", 9)
		p.CellFormat(0, 10, fmt.Sprint(p.PageNo()), "", 0, "C", false, 0, "")
	})
	p.AddPage()
	p.SetFont("body", "", 16)
	p.MultiCell(0, 8, "Токийская декларация саммита диалога (пример)", "", "C", false)
	p.Ln(6)
	para := func(s string) {
		p.SetFont("body", "", 11)
		p.MultiCell(0, 5.5, s, "", "J", false)
		p.Ln(4)
	}
	para("Мы, лидеры Японии и пяти стран Центральной Азии, собрались в Токио 20 декабря 2025 года на первый саммит диалога.")
	para("Глава I. Общие положения")
	para("1. Лидеры подвели итоги более чем тридцатилетних двусторонних отношений и двадцати одного года диалога и подтвердили его роль катализатора стратегического партнёрства.")
	para("2. Они приветствовали встречи министров иностранных дел, старших должностных лиц и экспертов.")
	para("Глава II. Приоритетные направления")
	para("3. Лидеры договорились сосредоточить сотрудничество на трёх направлениях:")
	para("(1) зелёный переход и устойчивость, включая цепочки поставок критически важных полезных ископаемых;")
	para("(2) взаимосвязанность, включая Транскаспийский международный транспортный маршрут;")
	para("(3) развитие человеческих ресурсов.")
	para("4. Следующий саммит планируется провести в Казахстане.")
	var buf bytes.Buffer
	if err := p.Output(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestPDFRuGolden reads the Russian sample (rewritten with -update where
// the font is installed) and pins what it gives.
func TestPDFRuGolden(t *testing.T) {
	path := filepath.Join("testdata", "sample-ru.pdf")
	if *update {
		if _, err := os.Stat(dejaVuSans); err != nil {
			t.Skipf("no %s to rewrite the sample with", dejaVuSans)
		}
		if err := os.WriteFile(path, samplePDFRu(t), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	d, err := ParsePDF(path, data)
	if err != nil {
		t.Fatal(err)
	}
	if d.Lang != "ru" {
		t.Errorf("lang = %q, want ru", d.Lang)
	}
	checkGolden(t, "sample-ru.pdf.golden", render(d, 0))
}
