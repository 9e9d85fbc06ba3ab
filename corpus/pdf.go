package corpus

import (
	"bytes"
	"fmt"
	"io"
	"math"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/ledongthuc/pdf"
)

// ParsePDF reads the text of a PDF in reading order. The file's objects
// come from github.com/ledongthuc/pdf; the text itself is laid out here
// (see readGlyphs for why): glyphs placed where the content stream puts
// them, with the widths the fonts give, grouped into lines, columns read
// one after the other, lines repeated at the same place on most pages
// (running headers, page numbers, a browser's print header and footer)
// dropped, and paragraphs found from the gaps between lines, font changes
// and numbering. A paragraph cut by a column or page break is mended. The
// title falls back on the PDF's metadata. A PDF with no text at all (a
// scan) gives a "no text found" error; pages without text, and text that
// the fonts do not map to letters, give warnings on the document. It
// never panics: the reader's panics on malformed files are returned as
// errors.
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
	var pages []pdfPage
	var warnings []string
	var empty []int
	for i := 1; i <= r.NumPage(); i++ {
		p := r.Page(i)
		if p.V.IsNull() {
			continue
		}
		pg, err := readPage(p, i)
		if err != nil {
			warnings = append(warnings, fmt.Sprintf("page %d: %v; its text may be incomplete", i, err))
		}
		if len(pg.lines) == 0 {
			empty = append(empty, i)
		}
		pages = append(pages, pg)
	}
	if len(empty) > 0 && len(empty) == len(pages) {
		return nil, &ParseError{path, 1, "no text found: the PDF has no text layer (a scan?); index a PDF with text, or its text"}
	}
	if len(empty) > 0 {
		warnings = append(warnings, fmt.Sprintf("%s without text (scanned or images only): %s is missing from the index", plural(len(empty), "page", "pages"), pageList(empty)))
	}
	dropFurniture(pages)
	var blocks []block
	for _, pg := range pages {
		for _, f := range pg.flows() {
			bs := flowBlocks(f, pg.num)
			if len(blocks) > 0 && len(bs) > 0 && continues(blocks[len(blocks)-1], bs[0]) {
				blocks[len(blocks)-1].lines = append(blocks[len(blocks)-1].lines, bs[0].lines...)
				bs = bs[1:]
			}
			blocks = append(blocks, bs...)
		}
	}
	doc, err = assemble(path, blocks, m)
	if err != nil {
		return nil, err
	}
	doc.Warnings = append(warnings, doc.Warnings...)
	if n := len(doc.Passages()); len(pages)-len(empty) >= 3 && n < len(pages)-len(empty) {
		doc.Warnings = append(doc.Warnings, fmt.Sprintf("only %d passages from %d pages of text: paragraphs were probably merged", n, len(pages)-len(empty)))
	}
	return doc, nil
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

func pageList(ps []int) string {
	var s []string
	for _, p := range ps {
		s = append(s, fmt.Sprint(p))
	}
	if len(s) == 1 {
		return "page " + s[0]
	}
	return "pages " + strings.Join(s, ", ")
}

// glyph is one character (or ligature) shown on a page, in user space.
type glyph struct {
	x, y    float64 // origin, on the baseline
	w       float64 // advance width, without character spacing
	size    float64 // font size as drawn
	spacing float64 // character spacing in force, as drawn
	font    string
	s       string
}

// pdfLine is a run of glyphs on one baseline, with no gap wider than a
// column gutter in it.
type pdfLine struct {
	x0, x1, y, size float64
	font            string // the font most of its glyphs use
	text            string
	furniture       bool
}

type pdfPage struct {
	num           int
	width, height float64
	lines         []pdfLine // top to bottom, left to right
}

// readPage returns the lines of one page. An error says the content
// stream could not be read to its end; what was read before is kept.
func readPage(p pdf.Page, num int) (pg pdfPage, err error) {
	pg = pdfPage{num: num, width: 612, height: 792}
	box := p.V.Key("MediaBox")
	for v := p.V; box.IsNull() && !v.IsNull(); v = v.Key("Parent") { // inherited
		box = v.Key("MediaBox")
	}
	if box.Len() == 4 {
		if w, h := box.Index(2).Float64()-box.Index(0).Float64(), box.Index(3).Float64()-box.Index(1).Float64(); w > 0 && h > 0 {
			pg.width, pg.height = w, h
		}
	}
	gs, err := readGlyphs(p)
	pg.lines = glyphLines(gs)
	return pg, err
}

// affine is a PDF transformation matrix [a b c d e f].
type affine [6]float64

var identity = affine{1, 0, 0, 1, 0, 0}

// then is m followed by n (m × n in the PDF's row-vector convention).
func (m affine) then(n affine) affine {
	return affine{
		m[0]*n[0] + m[1]*n[2], m[0]*n[1] + m[1]*n[3],
		m[2]*n[0] + m[3]*n[2], m[2]*n[1] + m[3]*n[3],
		m[4]*n[0] + m[5]*n[2] + n[4], m[4]*n[1] + m[5]*n[3] + n[5],
	}
}

// pdfFont is what showing text needs from a font: how to cut a string
// into codes, each code's text and width.
type pdfFont struct {
	name    string
	enc     pdf.TextEncoding
	twoByte bool
	first   int
	widths  []float64
	cid     map[int]float64
	missing float64
	text    map[int]string // decoded codes: the reader's maps are scanned line by line
	// ranges are the bfrange entries of a two-byte font's ToUnicode map,
	// read here (see toUnicodeRanges).
	ranges []cmapRange
}

func (f *pdfFont) decode(code int, raw string) string {
	if s, ok := f.text[code]; ok {
		return s
	}
	s, ok := "", false
	if f.twoByte {
		s, ok = rangeText(f.ranges, code)
	}
	if !ok {
		s = f.enc.Decode(raw)
	}
	if len(f.text) < 1<<16 {
		f.text[code] = s
	}
	return s
}

func loadFont(v pdf.Value) *pdfFont {
	f := &pdfFont{name: v.Key("BaseFont").Name(), text: map[int]string{}}
	if i := strings.IndexByte(f.name, '+'); i >= 0 {
		f.name = f.name[i+1:]
	}
	pf := pdf.Font{V: v}
	f.enc = pf.Encoder()
	if v.Key("Subtype").Name() == "Type0" {
		f.twoByte = true
		f.ranges = toUnicodeRanges(v.Key("ToUnicode"))
		d := v.Key("DescendantFonts").Index(0)
		f.missing = 1000
		if dw := d.Key("DW"); dw.Kind() == pdf.Integer || dw.Kind() == pdf.Real {
			f.missing = dw.Float64()
		}
		f.cid = map[int]float64{}
		w := d.Key("W")
		for i := 0; i < w.Len() && len(f.cid) < 1<<16; {
			start := int(w.Index(i).Int64())
			if i+1 < w.Len() && w.Index(i+1).Kind() == pdf.Array {
				a := w.Index(i + 1)
				for j := 0; j < a.Len() && j < 1<<16; j++ {
					f.cid[start+j] = a.Index(j).Float64()
				}
				i += 2
				continue
			}
			if i+2 >= w.Len() {
				break
			}
			end, width := int(w.Index(i+1).Int64()), w.Index(i+2).Float64()
			for c := start; c <= end && c-start < 1<<16; c++ {
				f.cid[c] = width
			}
			i += 3
		}
		return f
	}
	f.first = int(v.Key("FirstChar").Int64())
	ws := v.Key("Widths")
	for i := 0; i < ws.Len() && i < 256; i++ {
		f.widths = append(f.widths, ws.Index(i).Float64())
	}
	f.missing = v.Key("FontDescriptor").Key("MissingWidth").Float64()
	if len(f.widths) == 0 && f.missing == 0 {
		f.missing = 500 // a standard font without metrics: an average glyph
	}
	return f
}

// cmapRange maps the codes lo to hi to the text whose last UTF-16 unit
// is dst's plus the code's offset from lo.
type cmapRange struct {
	lo, hi int
	dst    []uint16
}

var (
	bfrangeBlock = regexp.MustCompile(`(?s)beginbfrange(.*?)endbfrange`)
	bfrangeEntry = regexp.MustCompile(`<([0-9A-Fa-f]{1,8})>\s*<([0-9A-Fa-f]{1,8})>\s*<([0-9A-Fa-f]{1,64})>`)
)

// toUnicodeRanges reads the bfrange entries of a ToUnicode map whose
// destination is one string. The reader adds a code's offset to the last
// byte of the destination only, so a range that runs over a byte boundary
// comes out wrong: fpdf, for one, maps every code with the single range
// <0000> <FFFF> <0000>, and a Cyrillic "Т" (0422) came out as a quotation
// mark (0022). Readers such as poppler add the offset to the whole last
// unit, as done here. Ranges given as arrays are left to the reader.
func toUnicodeRanges(v pdf.Value) []cmapRange {
	if v.Kind() != pdf.Stream {
		return nil
	}
	rd := v.Reader()
	defer rd.Close()
	var buf bytes.Buffer
	if _, err := buf.ReadFrom(io.LimitReader(rd, 1<<20)); err != nil {
		return nil
	}
	var out []cmapRange
	for _, block := range bfrangeBlock.FindAllSubmatch(buf.Bytes(), -1) {
		for _, m := range bfrangeEntry.FindAllSubmatch(block[1], -1) {
			lo, err1 := strconv.ParseUint(string(m[1]), 16, 32)
			hi, err2 := strconv.ParseUint(string(m[2]), 16, 32)
			d := string(m[3])
			if err1 != nil || err2 != nil || hi < lo || len(d)%4 != 0 || len(out) >= 1<<12 {
				continue
			}
			var dst []uint16
			for i := 0; i < len(d); i += 4 {
				u, _ := strconv.ParseUint(d[i:i+4], 16, 16)
				dst = append(dst, uint16(u))
			}
			out = append(out, cmapRange{lo: int(lo), hi: int(hi), dst: dst})
		}
	}
	return out
}

// rangeText returns the text of code by ranges, and whether one holds it.
func rangeText(ranges []cmapRange, code int) (string, bool) {
	for _, r := range ranges {
		if code < r.lo || code > r.hi {
			continue
		}
		units := append([]uint16(nil), r.dst...)
		last := int(units[len(units)-1]) + code - r.lo
		if last > 0xFFFF {
			return "", false
		}
		units[len(units)-1] = uint16(last)
		rs := utf16.Decode(units)
		for _, x := range rs {
			if x == utf8.RuneError {
				return "", false
			}
		}
		return string(rs), true
	}
	return "", false
}

func (f *pdfFont) width(code int) float64 {
	if f.twoByte {
		if w, ok := f.cid[code]; ok {
			return w
		}
		return f.missing
	}
	if i := code - f.first; i >= 0 && i < len(f.widths) {
		return f.widths[i]
	}
	return f.missing
}

// textState is the part of the graphics state that places glyphs.
type textState struct {
	ctm, tm, tlm               affine
	tc, tw, th, tl, rise, size float64
	font                       *pdfFont
	resources                  pdf.Value
	depth                      int
}

// readGlyphs interprets a page's content stream and returns its glyphs.
// The reader's own Content() is not used: it shows a "\n" string after
// every TJ (which subset fonts map to a stray letter), takes one byte per
// code for two-byte fonts, ignores word spacing and the /W widths of CID
// fonts (so every glyph of a browser's PDF has zero width), and does not
// enter form XObjects.
func readGlyphs(p pdf.Page) (gs []glyph, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("unreadable content (%v)", r)
		}
	}()
	st := textState{ctm: identity, th: 1, resources: p.Resources()}
	fonts := map[string]*pdfFont{}
	interpret(p.V.Key("Contents"), &st, fonts, &gs)
	return gs, nil
}

func interpret(strm pdf.Value, st *textState, fonts map[string]*pdfFont, gs *[]glyph) {
	var stack []textState
	show := func(raw string) {
		if st.font == nil {
			return
		}
		n := 1
		if st.font.twoByte {
			n = 2
		}
		for i := 0; i+n <= len(raw); i += n {
			code := int(raw[i])
			if n == 2 {
				code = code<<8 | int(raw[i+1])
			}
			w0 := st.font.width(code) / 1000
			trm := affine{st.size * st.th, 0, 0, st.size, 0, st.rise}.then(st.tm).then(st.ctm)
			s := st.font.decode(code, raw[i:i+n])
			size := math.Hypot(trm[2], trm[3])
			upright := trm[0] > 0 && math.Abs(trm[1]) <= 0.05*trm[0] && math.Abs(trm[2]) <= 0.05*trm[0]
			if upright && size > 0 && !math.IsNaN(trm[4]+trm[5]) && !math.IsInf(trm[4]+trm[5], 0) {
				*gs = append(*gs, glyph{x: trm[4], y: trm[5], w: w0 * trm[0], size: size, spacing: st.tc * st.th * trm[0] / math.Max(st.size*st.th, 1e-9), font: st.font.name, s: s})
			}
			tx := w0*st.size + st.tc
			if n == 1 && code == ' ' {
				tx += st.tw
			}
			st.tm = affine{1, 0, 0, 1, tx * st.th, 0}.then(st.tm)
		}
	}
	nextLine := func() {
		st.tlm = affine{1, 0, 0, 1, 0, -st.tl}.then(st.tlm)
		st.tm = st.tlm
	}
	pdf.Interpret(strm, func(stk *pdf.Stack, op string) {
		args := make([]pdf.Value, stk.Len())
		for i := len(args) - 1; i >= 0; i-- {
			args[i] = stk.Pop()
		}
		num := func(i int) float64 {
			if i < len(args) {
				return args[i].Float64()
			}
			return 0
		}
		switch op {
		case "q":
			if len(stack) < 64 {
				stack = append(stack, *st)
			}
		case "Q":
			if len(stack) > 0 {
				*st = stack[len(stack)-1]
				stack = stack[:len(stack)-1]
			}
		case "cm":
			if len(args) == 6 {
				st.ctm = affine{num(0), num(1), num(2), num(3), num(4), num(5)}.then(st.ctm)
			}
		case "BT":
			st.tm, st.tlm = identity, identity
		case "Tc":
			st.tc = num(0)
		case "Tw":
			st.tw = num(0)
		case "Tz":
			st.th = num(0) / 100
		case "TL":
			st.tl = num(0)
		case "Ts":
			st.rise = num(0)
		case "Tf":
			if len(args) == 2 {
				name := args[0].Name()
				f, ok := fonts[name]
				if !ok {
					if fv := st.resources.Key("Font").Key(name); !fv.IsNull() {
						f = loadFont(fv)
					}
					fonts[name] = f
				}
				st.font, st.size = f, num(1)
			}
		case "Td", "TD":
			if op == "TD" {
				st.tl = -num(1)
			}
			st.tlm = affine{1, 0, 0, 1, num(0), num(1)}.then(st.tlm)
			st.tm = st.tlm
		case "Tm":
			if len(args) == 6 {
				st.tm = affine{num(0), num(1), num(2), num(3), num(4), num(5)}
				st.tlm = st.tm
			}
		case "T*":
			nextLine()
		case "Tj":
			if len(args) == 1 {
				show(args[0].RawString())
			}
		case "'":
			nextLine()
			if len(args) == 1 {
				show(args[0].RawString())
			}
		case "\"":
			if len(args) == 3 {
				st.tw, st.tc = num(0), num(1)
				nextLine()
				show(args[2].RawString())
			}
		case "TJ":
			if len(args) == 1 {
				a := args[0]
				for i := 0; i < a.Len(); i++ {
					if x := a.Index(i); x.Kind() == pdf.String {
						show(x.RawString())
					} else {
						st.tm = affine{1, 0, 0, 1, -x.Float64() / 1000 * st.size * st.th, 0}.then(st.tm)
					}
				}
			}
		case "Do":
			if len(args) == 1 && st.depth < 8 {
				x := st.resources.Key("XObject").Key(args[0].Name())
				if x.Key("Subtype").Name() != "Form" {
					return
				}
				sub := *st
				sub.depth++
				if m := x.Key("Matrix"); m.Len() == 6 {
					sub.ctm = affine{m.Index(0).Float64(), m.Index(1).Float64(), m.Index(2).Float64(), m.Index(3).Float64(), m.Index(4).Float64(), m.Index(5).Float64()}.then(st.ctm)
				}
				if res := x.Key("Resources"); !res.IsNull() {
					sub.resources = res
				}
				interpret(x, &sub, map[string]*pdfFont{}, gs)
			}
		}
	})
}

// glyphLines groups glyphs into lines: by baseline, then cut where the gap
// is wider than a column gutter could be narrow. Spaces go where the gap
// between two glyphs exceeds a fifth of the font size beyond the
// character spacing; the text's own spaces are kept.
func glyphLines(glyphs []glyph) []pdfLine {
	gs := glyphs[:0] // filtered in place: the caller is done with them
	for _, g := range glyphs {
		if g.s != "" {
			gs = append(gs, g)
		}
	}
	sort.SliceStable(gs, func(i, j int) bool { return gs[i].y > gs[j].y })
	var lines []pdfLine
	for i := 0; i < len(gs); {
		tol := math.Max(gs[i].size*0.3, 0.5)
		j := i + 1
		for j < len(gs) && gs[i].y-gs[j].y <= tol {
			j++
		}
		for _, row := range layers(gs[i:j]) {
			sort.SliceStable(row, func(a, b int) bool { return row[a].x < row[b].x })
			start := 0
			for k := 1; k <= len(row); k++ {
				if k < len(row) {
					prev := row[k-1]
					gap := row[k].x - (prev.x + prev.w)
					if gap <= math.Max(prev.size, row[k].size)*1.5+prev.spacing {
						continue
					}
				}
				if l, ok := makeLine(row[start:k]); ok {
					lines = append(lines, l)
				}
				start = k
			}
		}
		i = j
	}
	sort.SliceStable(lines, func(a, b int) bool {
		if math.Abs(lines[a].y-lines[b].y) > math.Max(lines[a].size*0.3, 0.5) {
			return lines[a].y > lines[b].y
		}
		return lines[a].x0 < lines[b].x0
	})
	return lines
}

// layers separates text drawn over other text on one baseline (a running
// header a browser prints over the first line of a page): the row's
// glyphs are cut, in the order the content stream shows them, into runs
// that go left to right, and runs that overlap an earlier one go to a
// layer of their own, so that their letters are not interleaved.
func layers(row []glyph) [][]glyph {
	back := false
	for k := 1; k < len(row) && !back; k++ {
		back = row[k].x < row[k-1].x-0.5
	}
	if !back {
		return [][]glyph{row}
	}
	var runs [][]glyph
	for k, g := range row {
		if k == 0 || g.x < row[k-1].x-0.5 {
			runs = append(runs, nil)
		}
		runs[len(runs)-1] = append(runs[len(runs)-1], g)
	}
	sort.SliceStable(runs, func(a, b int) bool { return runs[a][0].x < runs[b][0].x })
	var out [][]glyph
	var ends []float64
	for _, r := range runs {
		last := r[len(r)-1]
		end := last.x + last.w
		placed := false
		for i := range out {
			if r[0].x >= ends[i]-r[0].size*0.3 {
				out[i], ends[i], placed = append(out[i], r...), math.Max(ends[i], end), true
				break
			}
		}
		if !placed {
			out, ends = append(out, r), append(ends, end)
		}
	}
	return out
}

func makeLine(row []glyph) (pdfLine, bool) {
	var b strings.Builder
	fonts := map[string]int{}
	l := pdfLine{x0: row[0].x, y: row[0].y}
	for k, g := range row {
		if k > 0 {
			prev := row[k-1]
			gap := g.x - (prev.x + prev.w) - prev.spacing
			if gap > math.Max(g.size, 1)*0.2 && !strings.HasSuffix(prev.s, " ") && !strings.HasPrefix(g.s, " ") {
				b.WriteByte(' ')
			}
		}
		b.WriteString(g.s)
		l.size = math.Max(l.size, g.size)
		l.x1 = math.Max(l.x1, g.x+g.w)
		if strings.TrimSpace(g.s) != "" {
			fonts[g.font]++
		}
	}
	best := 0
	for f, n := range fonts {
		if n > best || n == best && f < l.font {
			l.font, best = f, n
		}
	}
	l.text = normalizeSpace(strings.ToValidUTF8(b.String(), "\ufffd"))
	return l, l.text != ""
}

var (
	pageNumber = regexp.MustCompile(`(?i)^(?:page\s+)?[-–—]?\s*\d{1,4}\s*[-–—]?(?:\s*(?:/|of|sur)\s*\d{1,4})?$`)
	// What a browser prints in a page's margins: the date and time, an
	// address, "2/6".
	printedURL  = regexp.MustCompile(`^(?:file|https?)://\S+$`)
	printedDate = regexp.MustCompile(`^\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4},?\s+\d{1,2}:\d{2}(?:\s*[AP]M)?$`)
	digits      = regexp.MustCompile(`\d+`)
)

// dropFurniture marks the lines of the page margins that are not text:
// lines near the top or bottom that come back at the same height on at
// least two pages and two in five (running headers and footers, digits
// aside, so "- 3 -" is "- 4 -"), page numbers, and what a browser prints
// there (date, address, page count).
func dropFurniture(pages []pdfPage) {
	type spot struct {
		key string
		y   float64
	}
	inMargin := func(pg pdfPage, i int) bool {
		l := pg.lines[i]
		return i < 3 || i >= len(pg.lines)-3 || l.y > pg.height*0.88 || l.y < pg.height*0.12
	}
	key := func(l pdfLine) string { return digits.ReplaceAllString(strings.ToLower(l.text), "#") }
	count := map[string]int{}
	for _, pg := range pages {
		seen := map[string]bool{}
		for i, l := range pg.lines {
			if !inMargin(pg, i) {
				continue
			}
			k := fmt.Sprintf("%s@%d", key(l), int(math.Round(l.y/4)))
			if !seen[k] {
				seen[k] = true
				count[k]++
			}
		}
	}
	need := max(2, (2*len(pages)+4)/5)
	for pi := range pages {
		pg := &pages[pi]
		for i := range pg.lines {
			l := &pg.lines[i]
			if !inMargin(*pg, i) {
				continue
			}
			n := 0
			for d := -1; d <= 1; d++ { // heights that round apart
				n = max(n, count[fmt.Sprintf("%s@%d", key(*l), int(math.Round(l.y/4))+d)])
			}
			if n >= need || pageNumber.MatchString(l.text) || printedURL.MatchString(l.text) || printedDate.MatchString(l.text) {
				l.furniture = true
			}
		}
	}
}

// flows returns the page's text lines in reading order, as runs that read
// straight down: the whole page, or, when a gutter splits it in two
// columns, each column between lines that cross the gutter (a title above
// them, a footnote under them).
func (pg pdfPage) flows() [][]pdfLine {
	var ls []pdfLine
	for _, l := range pg.lines {
		if !l.furniture {
			ls = append(ls, l)
		}
	}
	gutter, ok := findGutter(ls, pg.width)
	if !ok {
		return [][]pdfLine{mergeRows(ls)}
	}
	var out [][]pdfLine
	var left, right []pdfLine
	end := func() {
		if len(left) > 0 {
			out = append(out, mergeRows(left))
		}
		if len(right) > 0 {
			out = append(out, mergeRows(right))
		}
		left, right = nil, nil
	}
	for _, l := range ls {
		switch {
		case l.x1 <= gutter:
			left = append(left, l)
		case l.x0 >= gutter:
			right = append(right, l)
		default:
			end()
			out = append(out, []pdfLine{l})
		}
	}
	end()
	// Lines that cross the gutter one after another read as one run.
	var merged [][]pdfLine
	for _, f := range out {
		if n := len(merged); n > 0 && len(f) == 1 && len(merged[n-1]) >= 1 && crosses(merged[n-1][len(merged[n-1])-1], gutter) && crosses(f[0], gutter) {
			merged[n-1] = append(merged[n-1], f[0])
			continue
		}
		merged = append(merged, f)
	}
	return merged
}

func crosses(l pdfLine, x float64) bool { return l.x0 < x && l.x1 > x }

// findGutter looks for a vertical band in the middle of the page that
// nearly no line crosses while many lines lie on each side of it: the
// space between two columns.
func findGutter(ls []pdfLine, width float64) (float64, bool) {
	if len(ls) < 10 {
		return 0, false
	}
	best, bestCross := 0.0, len(ls)+1
	for x := width * 0.3; x <= width*0.7; x += 2 {
		cross, left, right := 0, 0, 0
		for _, l := range ls {
			switch {
			case l.x1 <= x:
				left++
			case l.x0 >= x:
				right++
			default:
				cross++
			}
		}
		if left >= len(ls)/5 && right >= len(ls)/5 && left >= 4 && right >= 4 && cross < bestCross {
			best, bestCross = x, cross
		}
	}
	if bestCross*5 > len(ls) { // more than one line in five crosses it
		return 0, false
	}
	return best, true
}

// mergeRows joins lines of one flow that share a baseline (a number and
// its text set apart by a tab), left to right.
func mergeRows(ls []pdfLine) []pdfLine {
	var out []pdfLine
	for _, l := range ls {
		if n := len(out); n > 0 && math.Abs(out[n-1].y-l.y) <= math.Max(l.size*0.3, 0.5) && l.x0 >= out[n-1].x1 {
			out[n-1].text += " " + l.text
			out[n-1].x1 = l.x1
			continue
		}
		out = append(out, l)
	}
	return out
}

// flowBlocks cuts a flow of lines into blocks: a new block where the gap
// to the previous line is clearly wider than the usual one, where the
// font or its size changes, or where a numbered paragraph starts after a
// line that ends a sentence.
func flowBlocks(ls []pdfLine, page int) []block {
	if len(ls) == 0 {
		return nil
	}
	// Line spacing in font sizes, so that a title set larger is read
	// with its own leading.
	var gaps []float64
	for i := 1; i < len(ls); i++ {
		if g := ls[i-1].y - ls[i].y; g > 0 {
			gaps = append(gaps, g/ls[i].size)
		}
	}
	sort.Float64s(gaps)
	usual := 0.0
	if len(gaps) > 0 {
		usual = gaps[len(gaps)/4] // the tight spacing inside paragraphs
	}
	var out []block
	for i, l := range ls {
		newBlock := i == 0
		if i > 0 {
			prev := ls[i-1]
			gap := (prev.y - l.y) / l.size
			newBlock = gap > usual*1.25+0.05 || gap < 0 || math.Abs(l.size-prev.size) > 0.9 || l.font != prev.font ||
				numberedPara.MatchString(l.text) && endsSentence(prev.text)
		}
		if newBlock {
			out = append(out, block{line: page})
		}
		out[len(out)-1].lines = append(out[len(out)-1].lines, l.text)
	}
	return out
}

func endsSentence(s string) bool {
	r, _ := utf8.DecodeLastRuneInString(strings.TrimRight(s, `"'»”’)`))
	return strings.ContainsRune(".!?:;", r)
}

// continues reports whether next, at the top of a column or page, goes on
// with the paragraph prev ended the previous one with: prev does not end a
// sentence, and next does not start a numbered paragraph or a heading.
func continues(prev, next block) bool {
	if prev.level > 0 || next.level > 0 {
		return false
	}
	last, first := prev.lines[len(prev.lines)-1], next.lines[0]
	if _, ok := plainHeading(last); ok && len(prev.lines) == 1 {
		return false
	}
	if endsSentence(last) {
		f, _ := utf8.DecodeRuneInString(first)
		return unicode.IsLower(f) // "… e.g." / "the following"
	}
	if numberedPara.MatchString(first) {
		return false
	}
	if _, ok := plainHeading(first); ok && len(next.lines) == 1 {
		return false
	}
	return true
}
