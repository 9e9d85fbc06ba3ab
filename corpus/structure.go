package corpus

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// The parsers for plain text, general Markdown, HTML and PDF all reduce a
// file to a list of blocks, and assemble finds the structure in them the
// same way, so a declaration reads alike whatever format it came in.

// block is a unit of text as a parser found it: a heading, or the lines
// between two blank lines (a paragraph, or a list when list is set).
type block struct {
	lines []string // non-empty, whitespace-normalised
	level int      // heading level from markup (1-6); 0 for body text
	list  bool     // lines are list items, kept one per line
	line  int      // 1-based line (page, for a PDF) where the block starts
}

// meta is what a file says about itself, before any guessing.
type meta struct {
	name, title, lang, source, date, notice string
	kind                                    Kind
	// fallbackTitle is used when neither front matter nor a lone top
	// heading gives one: an HTML <title>, PDF metadata.
	fallbackTitle string
}

// Passage size bounds for text without numbered paragraphs: blocks shorter
// than minPassage are merged with the next, and blocks longer than
// maxPassage are cut between sentences (a single longer sentence is kept
// whole: a passage never ends mid-sentence).
const (
	minPassage = 200
	maxPassage = 1200
)

// cjk is a character that opens Japanese text: a numbered paragraph or
// heading in Japanese needs no space after its number ("1.日本は…").
const cjk = `[\p{Han}\p{Hiragana}\p{Katakana}「『（(]`

var (
	// Strong chapter headings name themselves; a number or Roman numeral
	// follows and maybe a title. Russian names them before the number
	// ("Глава I", "Раздел 2"), Japanese around it ("第1章", "第一章").
	strongHeading = regexp.MustCompile(`(?i)^(chapter|chapitre|part|partie|section|title|titre|article|art\.|глава|раздел|часть|статья)\s+(\d{1,3}|[ivxlc]{1,7}|premier|première|first|1er|1re)\b\s*[.:\-–—)]?\s*(.*)$`)
	cjkHeading    = regexp.MustCompile(`^第\s*(\d{1,3}|[一二三四五六七八九十百〇]{1,4})\s*[章部編]\s*[.:、\-–—]?\s*(.*)$`)
	// Weak chapter headings: "1. Title", "IV. Title" or "一．Title", told
	// apart from numbered paragraphs by looking like a title.
	numberHeading = regexp.MustCompile(`^(\d{1,3})[.)](?:\s+(\S.*)|(` + cjk + `.*))$`)
	romanHeading  = regexp.MustCompile(`^([IVXLC]{1,7})[.)]\s+(\S.*)()$`)
	kanjiHeading  = regexp.MustCompile(`^([一二三四五六七八九十]{1,3})(?:[.、]\s*|\s+)(\S.*)()$`)
	// Numbered paragraphs: "12. Text" or "(12) Text"; in Japanese the text
	// may follow straight on ("１．日本は", read "1.日本は" once folded).
	numberedPara = regexp.MustCompile(`^(?:(\d{1,3})\.|\((\d{1,3})\))(?:\s+(\S.*)|(` + cjk + `.*))$`)
	// A list item in plain text: a number, letter or bullet marker.
	listItem = regexp.MustCompile(`^(?:\d{1,3}[.)]|\(\d{1,3}\)|[a-z][.)]|\([a-z]\)|[IVXLC]{1,7}[.)]|[-*•–·▪◦])(?:\s+\S|` + cjk + `)`)
	// Markdown's own headings inside a number: "## 4. Title".
	mdNumbered = regexp.MustCompile(`^(?:(\d{1,3})|([IVXLC]{1,7}))[.)]?\s+(\S.*)$`)
)

// heading is a block recognised as a chapter heading.
type heading struct {
	num    int
	label  string // the numeral as printed when it is not arabic: "IV"
	title  string
	strong bool // named itself (Chapter, Article...) or came from markup
}

// plainHeading recognises a chapter heading written as text.
func plainHeading(s string) (heading, bool) {
	if utf8.RuneCountInString(s) > 150 {
		return heading{}, false
	}
	if m := strongHeading.FindStringSubmatch(s); m != nil {
		n := numeral(m[2])
		if n <= 0 {
			return heading{}, false
		}
		title := strings.TrimSpace(m[3])
		if title != "" && !titleLike(title) {
			return heading{}, false
		}
		if title == "" {
			title = strings.TrimSpace(s)
		}
		return heading{num: n, label: printedNumeral(m[2]), title: title, strong: true}, true
	}
	if m := cjkHeading.FindStringSubmatch(s); m != nil {
		n := numeral(m[1])
		title := strings.TrimSpace(m[2])
		if n <= 0 || title != "" && !titleLike(title) {
			return heading{}, false
		}
		if title == "" {
			title = strings.TrimSpace(s)
		}
		return heading{num: n, title: title, strong: true}, true
	}
	for _, re := range []*regexp.Regexp{numberHeading, romanHeading, kanjiHeading} {
		if m := re.FindStringSubmatch(s); m != nil && titleLike(m[2]+m[3]) {
			if n := numeral(m[1]); n > 0 {
				return heading{num: n, label: printedNumeral(m[1]), title: strings.TrimSpace(m[2] + m[3])}, true
			}
		}
	}
	return heading{}, false
}

// titleLike reports whether s reads as a title rather than a sentence:
// short, and not ending as a sentence or clause does.
func titleLike(s string) bool {
	s = strings.TrimSpace(s)
	if s == "" || len(strings.Fields(s)) > 14 {
		return false
	}
	// Japanese has no spaces to count words by: its characters are.
	if unspacedShare(s) > 0.5 && utf8.RuneCountInString(s) > 40 {
		return false
	}
	r, _ := utf8.DecodeLastRuneInString(s)
	return !strings.ContainsRune(".;:,。、；：", r)
}

// printedNumeral returns a chapter numeral as the document prints it when
// that is a Roman numeral ("IV"), so that citations read as the text
// does; "" for arabic numbers and words, which cite as the number.
func printedNumeral(s string) string {
	if u := strings.ToUpper(s); roman(u) > 0 {
		return u
	}
	return ""
}

// unspacedShare is the share of the letters of s written without spaces
// (kanji and kana).
func unspacedShare(s string) float64 {
	var n, all int
	for _, r := range s {
		if unicode.IsLetter(r) {
			all++
			if unspaced(r) {
				n++
			}
		}
	}
	if all == 0 {
		return 0
	}
	return float64(n) / float64(all)
}

// numeral reads "12", "XII", "premier", "first", "十二"; it returns 0
// otherwise.
func numeral(s string) int {
	switch strings.ToLower(s) {
	case "premier", "première", "first", "1er", "1re":
		return 1
	}
	if n, err := strconv.Atoi(s); err == nil {
		return n
	}
	if n := kanjiNumeral(s); n > 0 {
		return n
	}
	return roman(strings.ToUpper(s))
}

// kanjiNumeral reads a number written in kanji up to 999 ("三", "十二",
// "二十三", "百五"); it returns 0 for anything else.
func kanjiNumeral(s string) int {
	digit := map[rune]int{'〇': 0, '一': 1, '二': 2, '三': 3, '四': 4, '五': 5, '六': 6, '七': 7, '八': 8, '九': 9}
	total, cur, seen := 0, -1, false
	for _, r := range s {
		switch {
		case r == '十' || r == '百':
			unit := 10
			if r == '百' {
				unit = 100
			}
			if cur < 0 {
				cur = 1
			}
			total += cur * unit
			cur = -1
		default:
			d, ok := digit[r]
			if !ok || cur >= 0 {
				return 0
			}
			cur = d
		}
		seen = true
	}
	if cur > 0 {
		total += cur
	}
	if !seen || total > 999 {
		return 0
	}
	return total
}

// roman converts a Roman numeral up to 399; it returns 0 for anything else.
func roman(s string) int {
	val := map[byte]int{'I': 1, 'V': 5, 'X': 10, 'L': 50, 'C': 100}
	total := 0
	for i := 0; i < len(s); i++ {
		v, ok := val[s[i]]
		if !ok {
			return 0
		}
		if i+1 < len(s) && val[s[i+1]] > v {
			total -= v
		} else {
			total += v
		}
	}
	if total <= 0 || total > 399 || toRoman(total) != s {
		return 0
	}
	return total
}

func toRoman(n int) string {
	var b strings.Builder
	for _, p := range []struct {
		v int
		s string
	}{{100, "C"}, {90, "XC"}, {50, "L"}, {40, "XL"}, {10, "X"}, {9, "IX"}, {5, "V"}, {4, "IV"}, {1, "I"}} {
		for n >= p.v {
			b.WriteString(p.s)
			n -= p.v
		}
	}
	return b.String()
}

// normalizeSpace collapses runs of white space (including no-break
// spaces) to one space and trims the ends.
func normalizeSpace(s string) string {
	return strings.Join(strings.FieldsFunc(s, func(r rune) bool {
		return unicode.IsSpace(r) || r == '\u00a0' || r == '\u202f'
	}), " ")
}

// joinLines joins the wrapped lines of a paragraph, mending words that a
// line break hyphenated ("inter-" + "national"). List items inside the
// paragraph keep their own line.
func joinLines(lines []string) string {
	var parts []string
	for i, l := range lines {
		if i > 0 {
			prev := parts[len(parts)-1]
			r, _ := utf8.DecodeRuneInString(l)
			switch {
			case listItem.MatchString(l):
				parts = append(parts, "\n")
			case len(prev) > 1 && prev[len(prev)-1] == '-' && unicode.IsLetter(rune(prev[len(prev)-2])) && unicode.IsLower(r):
				parts[len(parts)-1] = prev[:len(prev)-1]
			default:
				parts = append(parts, lineJoint(prev, l))
			}
		}
		parts = append(parts, l)
	}
	return strings.Join(parts, "")
}

// lineJoint returns what joins two wrapped lines of a paragraph: nothing
// where either side is a character of a script written without spaces
// (Japanese breaks a line between any two characters, even inside a word,
// and writes digits and Latin letters among its own without spaces: "5か
// 国", "AIパートナーシップ"), a space otherwise.
func lineJoint(prev, next string) string {
	last, _ := utf8.DecodeLastRuneInString(prev)
	first, _ := utf8.DecodeRuneInString(next)
	if unspaced(last) || unspaced(first) {
		return ""
	}
	return " "
}

// unspaced reports whether r belongs to writing without spaces between
// words: kanji, kana, and the CJK and full-width punctuation around them.
func unspaced(r rune) bool {
	return unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana) ||
		r >= 0x3000 && r <= 0x303F || r >= 0xFF00 && r <= 0xFFEF || r == 'ー' || r == '・'
}

// markerKind classifies the list marker a line starts with: "1." "(1)"
// "a)" "IV." or a bullet, "" for none.
func markerKind(l string) string {
	if !listItem.MatchString(l) {
		return ""
	}
	switch c := l[0]; {
	case c >= '0' && c <= '9':
		return "1."
	case c == '(' && len(l) > 1 && l[1] >= '0' && l[1] <= '9':
		return "(1)"
	case c == '(' || c >= 'a' && c <= 'z':
		return "a"
	case strings.IndexByte("IVXLC", c) >= 0:
		return "I"
	}
	return "-"
}

func (b block) text() string {
	if b.list {
		return strings.Join(b.lines, "\n")
	}
	return joinLines(b.lines)
}

// assemble turns blocks into a Document: title, chapters from headings,
// passages from numbered paragraphs or, failing those, from paragraphs and
// sentences of bounded size. path names the file in errors.
//
// Every format but the project's reaches its passages through here, so
// this is where control characters are dropped from the text and the
// metadata of those formats (see dropControls).
func assemble(path string, blocks []block, m meta) (*Document, error) {
	m.title, m.source, m.notice, m.fallbackTitle = dropControls(m.title), dropControls(m.source), dropControls(m.notice), dropControls(m.fallbackTitle)
	var bs []block
	for _, b := range blocks {
		var ls []string
		for _, l := range b.lines {
			if l = normalizeSpace(foldCompat(dropControls(l))); l != "" {
				ls = append(ls, l)
			}
		}
		if len(ls) > 0 {
			b.lines = ls
			bs = append(bs, b)
		}
	}
	if len(bs) == 0 {
		return nil, &ParseError{path, 1, "no text found"}
	}

	doc := &Document{Name: m.name, Lang: m.lang, Kind: m.kind, Source: m.source, Date: m.date, Notice: m.notice, Path: path}
	if doc.Kind == "" {
		doc.Kind = Other
	}
	if doc.Name == "" {
		doc.Name = ShortName(path)
	}
	if doc.Source == "" {
		doc.Source = path
	}
	bs = dehyphenate(bs)
	doc.Title, bs = findTitle(bs, m)
	if doc.Title == "" {
		doc.Title = doc.Name
	}
	if doc.Lang == "" {
		var all strings.Builder
		all.WriteString(doc.Title)
		for _, b := range bs {
			for _, l := range b.lines {
				all.WriteByte(' ')
				all.WriteString(l)
			}
		}
		doc.Lang = DetectLang(all.String())
	}
	bs = mergeHeadingRuns(expandBlocks(bs))

	heads, unused := findHeadings(bs)
	numbered, bare := true, false
	var notes []string
	for {
		chapters, count, runsOn, ns := build(doc, bs, heads, numbered, bare)
		if numbered && count < 2 { // one "12." is a coincidence, not numbering
			numbered = false
			continue
		}
		if numbered && !bare && runsOn {
			bare = true
			continue
		}
		doc.Chapters, notes = chapters, ns
		break
	}
	if len(doc.Chapters) == 0 {
		return nil, &ParseError{path, 1, "no text found"}
	}
	for ci := range doc.Chapters {
		for pi := range doc.Chapters[ci].Passages {
			doc.Chapters[ci].Passages[pi].Doc = doc.Name
			doc.Chapters[ci].Passages[pi].Lang = doc.Lang
		}
	}
	if len(unused) > 0 {
		notes = append(notes, fmt.Sprintf("%s not used as chapters (out of order, or without text under them): %s",
			plural(len(unused), "line that reads as a heading was", "lines that read as headings were"), quoteList(unused, 3)))
	}
	doc.Warnings = append(notes, plausibility(doc)...)
	return doc, nil
}

func quoteList(items []string, n int) string {
	var q []string
	for i, s := range items {
		if i == n {
			q = append(q, fmt.Sprintf("and %d more", len(items)-n))
			break
		}
		q = append(q, strconv.Quote(clipText(s, 60)))
	}
	return strings.Join(q, ", ")
}

func clipText(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}

// findTitle picks the document title and returns the blocks without the
// one it came from, if any.
func findTitle(bs []block, m meta) (string, []block) {
	if m.title != "" {
		return m.title, bs
	}
	var top []int
	markup := false
	for i, b := range bs {
		if b.level == 1 {
			top = append(top, i)
		}
		if b.level > 0 {
			markup = true
		}
	}
	if len(top) == 1 && !hasBodyBefore(bs, top[0]) {
		i := top[0]
		return joinLines(bs[i].lines), append(bs[:i:i], bs[i+1:]...)
	}
	if !markup {
		// The first line of a page of text that reads like a title and
		// is not a chapter heading; a breadcrumb such as "Files / X" is
		// too short to pass. The very first block may be a title set
		// over up to five lines (a narrow column).
		for i := 0; i < len(bs) && i < 3; i++ {
			b := bs[i]
			if b.list || len(b.lines) != 1 && (i > 0 || len(b.lines) > 5) {
				continue
			}
			s := joinLines(b.lines)
			if numberedPara.MatchString(s) {
				continue
			}
			if _, ok := plainHeading(s); ok {
				break
			}
			if n := wordCount(s); n >= 4 && n <= 25 && !strings.ContainsAny(s[len(s)-1:], ".;:,") && !strings.HasSuffix(s, "。") {
				return s, append(bs[:i:i], bs[i+1:]...)
			}
		}
	}
	return m.fallbackTitle, bs
}

// wordCount counts the fields of s that hold a letter; in text written
// without spaces, a word for every two letters, as Japanese words run.
func wordCount(s string) int {
	if unspacedShare(s) > 0.5 {
		return utf8.RuneCountInString(s) / 2
	}
	n := 0
	for _, f := range strings.Fields(s) {
		if strings.IndexFunc(f, unicode.IsLetter) >= 0 {
			n++
		}
	}
	return n
}

func hasBodyBefore(bs []block, i int) bool {
	for _, b := range bs[:i] {
		if b.level == 0 {
			return true
		}
	}
	return false
}

// expandBlocks separates what a paragraph break did not: a strong heading
// on the first line of a block, and lists whose items are long enough to
// be numbered paragraphs. A list of short items (a table of contents, a
// chapter list quoted in the text) stays one block, kept line by line.
func expandBlocks(bs []block) []block {
	var out []block
	for _, b := range bs {
		if b.level > 0 {
			out = append(out, b)
			continue
		}
		if len(b.lines) > 1 && !b.list {
			if m := strongHeading.FindStringSubmatch(b.lines[0]); m != nil {
				if _, ok := plainHeading(b.lines[0]); ok {
					out = append(out, block{lines: b.lines[:1], line: b.line})
					b = block{lines: b.lines[1:], line: b.line + 1}
				}
			}
		}
		// A list's lines all start with a marker, and the first kind of
		// marker comes back: "2. They noted: (a)... (b)..." is paragraph
		// 2 with a list inside, not a list.
		items, same, total := 0, 0, 0
		first := markerKind(b.lines[0])
		for _, l := range b.lines {
			if listItem.MatchString(l) {
				items++
			}
			if markerKind(l) == first {
				same++
			}
			total += utf8.RuneCountInString(l)
		}
		if b.list || len(b.lines) > 1 && items == len(b.lines) && same > 1 {
			if total/len(b.lines) > 150 {
				for i, l := range b.lines {
					out = append(out, block{lines: []string{l}, line: b.line + i})
				}
				continue
			}
			b.list = true
		}
		out = append(out, b)
	}
	return out
}

// mergeHeadingRuns makes one list block of each run of two or more
// one-line text headings with nothing between them: a chapter list quoted
// in a page ("1. Overview", "2. Connectivity"...) is text about the
// chapters, not the chapters themselves, which would all be empty.
// Documents with markup headings are left alone.
func mergeHeadingRuns(bs []block) []block {
	for _, b := range bs {
		if b.level > 0 {
			return bs
		}
	}
	isHead := func(b block) bool {
		if len(b.lines) != 1 || b.list {
			return false
		}
		_, ok := plainHeading(b.lines[0])
		return ok
	}
	var out []block
	for i := 0; i < len(bs); {
		j := i
		for j < len(bs) && isHead(bs[j]) {
			j++
		}
		if j-i < 2 {
			out = append(out, bs[i])
			i++
			continue
		}
		run := block{list: true, line: bs[i].line}
		for _, b := range bs[i:j] {
			run.lines = append(run.lines, b.lines...)
		}
		out = append(out, run)
		i = j
	}
	return out
}

// findHeadings returns, by block index, the chapter headings and
// sub-headings (num < 0). Markup headings at the top level present are
// chapters; deeper ones are sub-headings. Without markup, text headings
// count when they follow in order and each has text under it: a chapter
// list quoted in the text is a run of headings with nothing between, and
// stays text.
func findHeadings(bs []block) (map[int]heading, []string) {
	heads := map[int]heading{}
	top := 0
	for _, b := range bs {
		if b.level > 0 && (top == 0 || b.level < top) {
			top = b.level
		}
	}
	if top > 0 {
		ord := 0
		for i, b := range bs {
			if b.level == 0 {
				continue
			}
			text := joinLines(b.lines)
			if b.level > top {
				heads[i] = heading{num: -1, title: text}
				continue
			}
			h := heading{title: text, strong: true}
			if ph, ok := plainHeading(text); ok && ph.strong {
				h.num, h.label, h.title = ph.num, ph.label, ph.title
			} else if m := mdNumbered.FindStringSubmatch(text); m != nil && numeral(m[1]+m[2]) > ord {
				h.num, h.label, h.title = numeral(m[1]+m[2]), printedNumeral(m[2]), m[3]
			}
			if h.num <= ord {
				h.num, h.label = ord+1, ""
			}
			ord = h.num
			heads[i] = h
		}
		return heads, nil
	}

	cand := map[int]heading{}
	for i, b := range bs {
		// A heading may wrap onto a second or third line in a narrow
		// column.
		if len(b.lines) <= 3 && !b.list {
			if h, ok := plainHeading(joinLines(b.lines)); ok {
				cand[i] = h
			}
		}
	}
	last := 0
	var skipped []int
	for i := 0; i < len(bs); i++ {
		h, ok := cand[i]
		if !ok {
			continue
		}
		_, nextIsHead := cand[i+1]
		if nextIsHead || i+1 == len(bs) {
			// A run of headings with no text between them is a list.
			for ; i < len(bs); i++ {
				if _, ok := cand[i]; !ok {
					break
				}
			}
			continue
		}
		if h.strong && h.num > last || !h.strong && h.num == last+1 {
			heads[i] = h
			last = h.num
		} else if !numberedPara.MatchString(bs[i].lines[0]) || h.strong {
			skipped = append(skipped, i)
		}
	}
	if len(heads) < 2 { // one "1. Introduction" line is not a structure
		return map[int]heading{}, nil
	}
	var unused []string
	for _, i := range skipped {
		if romanHeading.MatchString(bs[i].lines[0]) || cand[i].strong {
			unused = append(unused, joinLines(bs[i].lines))
		}
	}
	// A heading that only names itself ("Chapitre 2") takes its title
	// from the short line under it.
	for i, h := range heads {
		if h.title == bs[i].lines[0] && i+1 < len(bs) {
			if _, isHead := heads[i+1]; !isHead {
				n := bs[i+1]
				if len(n.lines) == 1 && !n.list && titleLike(n.lines[0]) && !numberedPara.MatchString(n.lines[0]) {
					h.title = n.lines[0]
					heads[i] = h
					bs[i+1].lines = nil
				}
			}
		}
	}
	return heads, unused
}

// build walks the blocks into chapters and passages. With numbered set, a
// block starting "12." or "(12)" begins paragraph 12 and unnumbered blocks
// after it continue it. With bare set, a numbered paragraph's id is its
// number alone ("15", numbering that runs through the chapters);
// otherwise it is prefixed by its chapter ("4.2"). Unnumbered passages of
// a numbered document are "C.k", the k-th in chapter C ("0.1" for a
// preamble), so they never take a number the document uses. It returns
// the chapters, how many numbered paragraphs it found, whether their
// numbers run on from one chapter to the next (1 to 36 straight through,
// as official texts number them, rather than restarting in each), and
// what looked wrong with the numbering.
func build(doc *Document, bs []block, heads map[int]heading, numbered, bare bool) ([]Chapter, int, bool, []string) {
	hasChapters := false
	for _, h := range heads {
		if h.num > 0 {
			hasChapters = true
		}
	}
	var chapters []Chapter
	cur := Chapter{Number: 0, Title: preambleTitle(doc)}
	if !hasChapters {
		cur.Title = ""
	}
	type item struct {
		num  int // document's own number, 0 when unnumbered
		text string
		more []string // unnumbered blocks that continue a numbered one
	}
	var items []item
	var pending []string // unnumbered blocks not yet made passages
	prefix := ""         // sub-heading waiting for the next passage
	inNumbered := false
	lastInChap, lastGlobal, count := 0, 0, 0
	var notes []string
	ids := map[string]bool{}
	runsOn, restarts := false, false
	outOfOrder, firstOut := 0, ""

	flushPending := func() {
		if len(pending) == 0 {
			return
		}
		for _, t := range pack(pending) {
			items = append(items, item{text: t})
		}
		pending = nil
	}
	closeChapter := func() {
		flushPending()
		if prefix != "" { // a sub-heading with nothing under it
			items = append(items, item{text: prefix})
			prefix = ""
		}
		if len(items) == 0 {
			return
		}
		k := 0
		for _, it := range items {
			var id string
			if it.num > 0 {
				id = strconv.Itoa(it.num)
				if hasChapters && !bare {
					id = strconv.Itoa(cur.Number) + "." + id
				}
			} else {
				k++
				id = strconv.Itoa(k)
				if hasChapters || count > 0 {
					id = strconv.Itoa(cur.Number) + "." + id
				}
			}
			if len(it.more) > 0 {
				it.text += "\n" + strings.Join(it.more, "\n")
			}
			if ids[id] && it.num > 0 {
				notes = append(notes, fmt.Sprintf("paragraph %s is numbered twice; the second is cited %s-2", id, id))
			}
			for base, n := id, 2; ids[id]; n++ {
				id = fmt.Sprintf("%s-%d", base, n)
			}
			ids[id] = true
			cur.Passages = append(cur.Passages, Passage{ID: id, Chapter: cur.Number, ChapterLabel: cur.Label, ChapterTitle: cur.Title, Text: it.text})
		}
		chapters = append(chapters, cur)
		items = nil
	}
	withPrefix := func(t string) string {
		if prefix != "" {
			t = prefix + "\n" + t
			prefix = ""
		}
		return t
	}

	for i, b := range bs {
		if len(b.lines) == 0 {
			continue
		}
		if h, ok := heads[i]; ok {
			if h.num < 0 {
				flushPending()
				inNumbered = false
				if prefix != "" {
					prefix += "\n"
				}
				prefix += h.title
				continue
			}
			closeChapter()
			cur = Chapter{Number: h.num, Label: h.label, Title: h.title}
			lastInChap, inNumbered = 0, false
			continue
		}
		if b.level > 0 { // markup heading below the chapter level handled above
			continue
		}
		text := b.text()
		if numbered && !b.list {
			if m := numberedPara.FindStringSubmatch(b.lines[0]); m != nil {
				n := numeral(m[1] + m[2])
				if n == lastInChap+1 || n > lastGlobal || lastInChap == 0 && n == 1 {
					prev := lastInChap
					if bare || lastInChap == 0 && n > 1 {
						prev = lastGlobal
					}
					if n > prev+1 {
						notes = append(notes, fmt.Sprintf("paragraph numbers jump from %d to %d: %s missing or unreadable", prev, n, plural(n-prev-1, "paragraph is", "paragraphs are")))
					}
					if lastInChap == 0 && lastGlobal > 0 && cur.Number > 0 {
						if n > lastGlobal {
							runsOn = true
						} else {
							restarts = true
						}
					}
					flushPending()
					rest := joinLines(append([]string{m[3] + m[4]}, b.lines[1:]...))
					items = append(items, item{num: n, text: withPrefix(rest)})
					lastInChap, lastGlobal, inNumbered = n, max(n, lastGlobal), true
					count++
					continue
				}
				if inNumbered {
					if outOfOrder == 0 {
						firstOut = fmt.Sprintf("a paragraph numbered %d after paragraph %d", n, lastInChap)
					}
					outOfOrder++
				}
			}
		}
		if inNumbered && prefix == "" {
			items[len(items)-1].more = append(items[len(items)-1].more, text)
			continue
		}
		pending = append(pending, withPrefix(text))
	}
	closeChapter()
	if outOfOrder > 0 {
		notes = append(notes, fmt.Sprintf("%s out of order (%s) read as part of the paragraph before: numbering out of order",
			plural(outOfOrder, "paragraph number is", "paragraph numbers are"), firstOut))
	}
	return chapters, count, runsOn && !restarts, notes
}

// preambleTitle is the title of the text before the first chapter, in the
// document's language.
func preambleTitle(d *Document) string {
	if l, ok := languages().Get(d.Lang); ok && l.Preamble != "" {
		return l.Preamble
	}
	return languages().Fallback().Preamble
}

// pack turns paragraphs into passages: short paragraphs are merged with
// the next until minPassage is reached, long ones are cut between
// sentences to stay under maxPassage.
func pack(paras []string) []string {
	var out []string
	cur := ""
	add := func(s string) {
		if cur == "" {
			cur = s
		} else {
			cur += "\n" + s
		}
	}
	for _, p := range paras {
		if utf8.RuneCountInString(cur)+utf8.RuneCountInString(p) <= maxPassage {
			add(p)
		} else {
			if cur != "" {
				out = append(out, cur)
				cur = ""
			}
			if utf8.RuneCountInString(p) <= maxPassage {
				add(p)
			} else {
				chunk := ""
				for _, s := range splitSentences(p) {
					if chunk != "" && utf8.RuneCountInString(chunk)+1+utf8.RuneCountInString(s) > maxPassage {
						out = append(out, chunk)
						chunk = ""
					}
					if chunk == "" {
						chunk = s
					} else {
						chunk += lineJoint(chunk, s) + s
					}
				}
				cur = chunk
			}
		}
		if utf8.RuneCountInString(cur) >= minPassage {
			out = append(out, cur)
			cur = ""
		}
	}
	if cur != "" {
		if len(out) > 0 && utf8.RuneCountInString(out[len(out)-1])+utf8.RuneCountInString(cur) < maxPassage {
			out[len(out)-1] += "\n" + cur // a short tail joins what it ends
		} else {
			out = append(out, cur)
		}
	}
	return out
}

// abbreviations end with a period without ending a sentence.
var abbreviations = setOf("mr mrs ms dr st no nos art arts para paras e.g i.e etc vs cf p pp m mm mme mlle ch chap fig op approx jan feb aug sept oct nov dec env г гг ст см т.е т.д др п пп")

// splitSentences cuts text after ".", "!", "?" or "…" (and any closing
// quote or bracket) when a capital, digit or opening quote follows. It
// keeps abbreviations and initials ("Mr.", "e.g.", "J.") inside their
// sentence. Japanese sentences end with "。", "！" or "？" and the next
// follows without a space. Joining the result with lineJoint gives back
// the text.
func splitSentences(text string) []string {
	var out []string
	for _, s := range splitSpaced(text) {
		out = append(out, splitUnspaced(s)...)
	}
	return out
}

// splitUnspaced cuts s after each Japanese full stop that text without a
// space follows. A stop before a closing bracket ends a quotation, not the
// sentence around it (「はい。」と言った).
func splitUnspaced(s string) []string {
	var out []string
	rs := []rune(s)
	start := 0
	for i := 0; i+1 < len(rs); i++ {
		if strings.ContainsRune("。！？", rs[i]) && unspaced(rs[i+1]) && !strings.ContainsRune("」』）", rs[i+1]) {
			out = append(out, string(rs[start:i+1]))
			start = i + 1
		}
	}
	return append(out, string(rs[start:]))
}

// splitSpaced cuts text written with spaces between words (see
// splitSentences).
func splitSpaced(text string) []string {
	words := strings.Fields(text)
	var out []string
	start := 0
	for i := 0; i+1 < len(words); i++ {
		w := strings.TrimRight(words[i], `"'»”’)]`)
		if w == "" && i > 0 { // a closing quote on its own: « oui. »
			w = strings.TrimRight(words[i-1], `"'»”’)]`)
		}
		if w == "" {
			continue
		}
		last, _ := utf8.DecodeLastRuneInString(w)
		if !strings.ContainsRune(".!?…", last) {
			continue
		}
		stem := strings.ToLower(strings.TrimLeft(strings.TrimRight(w, ".!?…"), `"'«“‘([`))
		if last == '.' && (abbreviations[stem] || utf8.RuneCountInString(stem) == 1) {
			continue
		}
		next, _ := utf8.DecodeRuneInString(words[i+1])
		if !(unicode.IsUpper(next) || unicode.IsDigit(next) || strings.ContainsRune(`"«“‘'(`, next)) {
			continue
		}
		out = append(out, strings.Join(words[start:i+1], " "))
		start = i + 1
	}
	if start < len(words) {
		out = append(out, strings.Join(words[start:], " "))
	}
	return out
}
