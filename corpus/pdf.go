package corpus

import (
	"bytes"
	"fmt"
	"math"
	"regexp"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/ledongthuc/pdf"
)

// ParsePDF reads the text of a PDF in reading order: on each page, lines
// from top to bottom and glyphs from left to right, with a paragraph break
// where the gap between lines grows or the font size changes. Page numbers
// alone on a line are dropped, and a paragraph cut by a page break is
// mended. The title falls back on the PDF's metadata. Scanned PDFs (images
// without text) give a "no text found" error. It never panics: the
// reader's panics on malformed files are returned as errors.
func ParsePDF(path string, data []byte) (doc *Document, err error) {
	defer func() {
		if r := recover(); r != nil {
			doc, err = nil, &ParseError{path, 1, fmt.Sprintf("PDF: malformed file (%v)", r)}
		}
	}()
	r, err := pdf.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, &ParseError{path, 1, "PDF: " + err.Error()}
	}
	m := meta{lang: langFromName(path)}
	if t := normalizeSpace(r.Trailer().Key("Info").Key("Title").Text()); utf8.ValidString(t) {
		m.fallbackTitle = t
	}
	var blocks []block
	for i := 1; i <= r.NumPage(); i++ {
		p := r.Page(i)
		if p.V.IsNull() {
			continue
		}
		page := pageBlocks(p.Content().Text, i)
		if len(blocks) > 0 && len(page) > 0 && continues(blocks[len(blocks)-1], page[0]) {
			blocks[len(blocks)-1].lines = append(blocks[len(blocks)-1].lines, page[0].lines...)
			page = page[1:]
		}
		blocks = append(blocks, page...)
	}
	return assemble(path, blocks, m)
}

// pdfLine is one line of glyphs on a page.
type pdfLine struct {
	y, size float64
	text    string
}

var pageNumber = regexp.MustCompile(`(?i)^(?:page\s+)?[-–—]?\s*\d{1,4}\s*[-–—]?(?:\s*(?:/|of|sur)\s*\d{1,4})?$`)

// pageBlocks groups a page's glyphs into lines and the lines into blocks.
func pageBlocks(glyphs []pdf.Text, page int) []block {
	var gs []pdf.Text
	for _, g := range glyphs {
		if g.S != "" && !math.IsNaN(g.X) && !math.IsNaN(g.Y) && !math.IsInf(g.X, 0) && !math.IsInf(g.Y, 0) {
			gs = append(gs, g)
		}
	}
	sort.SliceStable(gs, func(i, j int) bool { return gs[i].Y > gs[j].Y })
	var lines []pdfLine
	for i := 0; i < len(gs); {
		tol := math.Max(gs[i].FontSize*0.4, 1)
		j := i + 1
		for j < len(gs) && gs[i].Y-gs[j].Y <= tol {
			j++
		}
		row := gs[i:j]
		sort.SliceStable(row, func(a, b int) bool { return row[a].X < row[b].X })
		var b strings.Builder
		size := 0.0
		for k, g := range row {
			if k > 0 {
				prev := row[k-1]
				gap := g.X - (prev.X + prev.W)
				if gap > math.Max(g.FontSize, 1)*0.2 && !strings.HasSuffix(prev.S, " ") && !strings.HasPrefix(g.S, " ") {
					b.WriteByte(' ')
				}
			}
			b.WriteString(g.S)
			size = math.Max(size, g.FontSize)
		}
		if t := normalizeSpace(strings.ToValidUTF8(b.String(), "")); t != "" && !pageNumber.MatchString(t) {
			lines = append(lines, pdfLine{y: gs[i].Y, size: size, text: t})
		}
		i = j
	}
	if len(lines) == 0 {
		return nil
	}
	// The usual distance between lines on this page.
	var gaps []float64
	for i := 1; i < len(lines); i++ {
		gaps = append(gaps, lines[i-1].y-lines[i].y)
	}
	sort.Float64s(gaps)
	usual := 0.0
	if len(gaps) > 0 {
		usual = gaps[len(gaps)/2]
	}
	var out []block
	for i, l := range lines {
		newBlock := i == 0
		if i > 0 {
			gap := lines[i-1].y - l.y
			newBlock = gap > usual*1.3+0.5 || math.Abs(l.size-lines[i-1].size) > 0.9
		}
		if newBlock {
			out = append(out, block{line: page})
		}
		out[len(out)-1].lines = append(out[len(out)-1].lines, l.text)
	}
	return out
}

// continues reports whether next, at the top of a page, goes on with the
// paragraph prev ended the previous page with.
func continues(prev, next block) bool {
	last := prev.lines[len(prev.lines)-1]
	r, _ := utf8.DecodeLastRuneInString(last)
	f, _ := utf8.DecodeRuneInString(next.lines[0])
	return !strings.ContainsRune(".!?:;»\"”)", r) && unicode.IsLower(f)
}
