package corpus

import (
	"bytes"
	"regexp"
	"strconv"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// ParseHTML reads the main content of a web page: the <main> element, else
// the first <article>, else the element that holds most of the page's
// prose (see mainContent), as reader modes find it on sites that mark
// nothing up. Navigation, headers, footers, asides, forms, scripts and
// styles are dropped, and so are blocks that only page furniture has: a
// class or id such as breadcrumb, sidebar, share or pagetop, blocks that
// are mostly links, "Back to top" and "Skip to content". Headings are kept
// as headings; list items one a line, numbered as the browser would show
// them. The title falls back on <title>, the language on <html lang>, the
// source on the canonical link. It never panics.
func ParseHTML(path string, data []byte) (*Document, error) {
	root, err := html.Parse(bytes.NewReader(data))
	if err != nil {
		return nil, &ParseError{path, 1, "HTML: " + err.Error()}
	}
	m := meta{lang: langFromName(path)}
	var body, mainEl, article *html.Node
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			switch n.DataAtom {
			case atom.Html:
				if l := htmlLang(attr(n, "lang")); l != "" && m.lang == "" {
					m.lang = l
				}
			case atom.Title:
				if m.fallbackTitle == "" {
					m.fallbackTitle = normalizeSpace(textOf(n))
				}
			case atom.Link:
				if strings.EqualFold(attr(n, "rel"), "canonical") && m.source == "" {
					m.source = attr(n, "href")
				}
			case atom.Body:
				body = n
			case atom.Main:
				if mainEl == nil {
					mainEl = n
				}
			case atom.Article:
				if article == nil {
					article = n
				}
			}
			if attr(n, "role") == "main" && mainEl == nil {
				mainEl = n
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(root)
	content := body
	switch {
	case mainEl != nil:
		content = mainEl
	case article != nil:
		content = article
	case body != nil:
		content = mainContent(body)
	}
	if content == nil {
		content = root
	}
	w := &htmlWalker{}
	w.walk(content)
	w.flush()
	return assemble(path, w.blocks, m)
}

func htmlLang(v string) string {
	v = strings.ToLower(strings.TrimSpace(v))
	switch {
	case v == "en" || strings.HasPrefix(v, "en-"):
		return "en"
	case v == "fr" || strings.HasPrefix(v, "fr-"):
		return "fr"
	}
	return ""
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func textOf(n *html.Node) string {
	var b strings.Builder
	var f func(*html.Node)
	f = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			f(c)
		}
	}
	f(n)
	return b.String()
}

// skipped elements hold no content a reader of the declaration wants.
var skipped = map[atom.Atom]bool{
	atom.Nav: true, atom.Header: true, atom.Footer: true, atom.Aside: true, atom.Script: true,
	atom.Style: true, atom.Noscript: true, atom.Template: true, atom.Form: true, atom.Svg: true,
	atom.Iframe: true, atom.Button: true, atom.Select: true, atom.Head: true, atom.Object: true,
}

var skippedRoles = map[string]bool{"navigation": true, "banner": true, "contentinfo": true, "search": true, "complementary": true}

// breaks are elements that end the text before them.
var breaks = map[atom.Atom]bool{
	atom.P: true, atom.Div: true, atom.Section: true, atom.Article: true, atom.Main: true,
	atom.Blockquote: true, atom.Pre: true, atom.Table: true, atom.Tr: true, atom.Dl: true,
	atom.Dt: true, atom.Dd: true, atom.Figure: true, atom.Figcaption: true, atom.Hr: true,
	atom.Address: true, atom.Center: true, atom.Caption: true,
}

// htmlWalker gathers the text of a DOM subtree into blocks.
type htmlWalker struct {
	blocks []block
	cur    strings.Builder // inline text of the block being read
	lines  []string        // finished lines (<br>) of that block
	list   *block          // list being filled, one item a line
	depth  int             // nesting of lists
}

func (w *htmlWalker) endLine() {
	if s := normalizeSpace(w.cur.String()); s != "" {
		w.lines = append(w.lines, s)
	}
	w.cur.Reset()
}

func (w *htmlWalker) flush() {
	w.endLine()
	if len(w.lines) > 0 {
		w.blocks = append(w.blocks, block{lines: w.lines})
	}
	w.lines = nil
}

func (w *htmlWalker) walk(n *html.Node) {
	switch n.Type {
	case html.TextNode:
		w.cur.WriteString(n.Data)
		return
	case html.ElementNode:
	case html.DocumentNode:
	default:
		return
	}
	a := n.DataAtom
	if n.Type == html.ElementNode && (skipped[a] || skippedRoles[attr(n, "role")] || attr(n, "hidden") != "" || attr(n, "aria-hidden") == "true" ||
		furnitureNode(n)) {
		return
	}
	switch {
	case a == atom.Br:
		if strings.TrimSpace(w.cur.String()) == "" { // <br><br>: a paragraph break
			w.flush()
		}
		w.endLine()
		return
	case (a == atom.H1 || a == atom.H2 || a == atom.H3 || a == atom.H4 || a == atom.H5 || a == atom.H6) && w.depth == 0:
		w.flush()
		level := int(n.Data[1] - '0')
		if s := normalizeSpace(textOf(n)); s != "" {
			w.blocks = append(w.blocks, block{lines: []string{s}, level: level})
		}
		return
	case a == atom.Ol || a == atom.Ul:
		w.walkList(n)
		return
	case breaks[a] || a == atom.Td || a == atom.Th:
		if a == atom.Td || a == atom.Th {
			w.cur.WriteByte(' ')
		} else {
			w.flush()
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			w.walk(c)
		}
		if breaks[a] {
			w.flush()
		}
		return
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		w.walk(c)
	}
}

// walkList makes a list one block, an item a line, "N. " before the items
// of an ordered list. Nested lists stay inside their item's line.
func (w *htmlWalker) walkList(n *html.Node) {
	if w.depth > 0 {
		w.cur.WriteByte(' ')
		w.depth++
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			w.walk(c)
		}
		w.depth--
		return
	}
	w.flush()
	num := 1
	if s, err := strconv.Atoi(attr(n, "start")); err == nil {
		num = s
	}
	var items []string
	w.depth++
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type != html.ElementNode || c.DataAtom != atom.Li {
			continue
		}
		sub := &htmlWalker{depth: 1}
		for cc := c.FirstChild; cc != nil; cc = cc.NextSibling {
			sub.walk(cc)
		}
		sub.flush()
		var parts []string
		for _, b := range sub.blocks {
			parts = append(parts, joinLines(b.lines))
		}
		s := strings.Join(parts, " ")
		if s == "" {
			continue
		}
		if n.DataAtom == atom.Ol {
			if v, err := strconv.Atoi(attr(c, "value")); err == nil {
				num = v
			}
			s = strconv.Itoa(num) + ". " + s
			num++
		}
		items = append(items, s)
	}
	w.depth--
	if len(items) > 0 {
		w.blocks = append(w.blocks, block{lines: items, list: len(items) > 1})
	}
}

var (
	// Class and id words that mark page furniture, after the list
	// reader modes use (Readability's "unlikely candidates"), with the
	// words ministries' sites add: skip links, page-top links, share
	// and print bars, update stamps. "header" is not among them: a
	// content heading's wrapper is often called so; a site's header is
	// mostly links, and found so.
	furnitureName = regexp.MustCompile(`(?i)breadcrumb|crumb|sidebar|side-bar|\bside\b|menu|\bnav|navbar|footer|share|social|\bsns\b|skip|pagetop|page-top|back-?to-?top|to-?top|\bprint|toolbar|pager|pagination|related|comment|cookie|popup|sponsor|\bads?\b|update|modified|\bsearch\b`)
	// Words that say an element is the content, which wins over the above
	// ("main-content", "article-header" is not furniture of the page).
	contentName = regexp.MustCompile(`(?i)\bmain\b|main-?content|\bcontent|article|\bbody\b|entry|\bpost\b|\bstory\b|\btext\b`)
	// Lines that only navigate, in English and French.
	furnitureText = regexp.MustCompile(`(?i)^\W*(?:back to (?:the )?top|return to top|to the top|top of (?:the )?page|page top|haut de (?:la )?page|retour en haut(?: de (?:la )?page)?|skip to (?:the )?(?:main )?content|skip navigation|aller au contenu(?: principal)?|print(?: this page)?|imprimer(?: cette page)?|share(?: this page)?|partager(?: cette page)?)\W*$|^(?:last (?:updated|modified)|page updated|updated on|mis[e]? à jour(?: le)?|dernière mise à jour|date de mise à jour)\b`)
)

// furnitureNode reports whether n is page furniture by its names, its
// words or its links: a block element whose class or id names furniture,
// a short block that only navigates, or one whose text is mostly links.
func furnitureNode(n *html.Node) bool {
	switch n.DataAtom {
	case atom.Div, atom.P, atom.Ul, atom.Ol, atom.Li, atom.Section, atom.Span, atom.A, atom.Dl, atom.Table:
	default:
		return false
	}
	names := attr(n, "class") + " " + attr(n, "id")
	if furnitureName.MatchString(names) && !contentName.MatchString(names) {
		return true
	}
	text := normalizeSpace(textOf(n))
	if text == "" {
		return false
	}
	if len(text) < 80 && furnitureText.MatchString(text) {
		return true
	}
	if n.DataAtom == atom.A {
		return false
	}
	links := linkTextLen(n)
	if n.DataAtom == atom.P { // a paragraph of text may hold a link or two
		return len(text) < 300 && links*10 >= len(text)*9
	}
	return len(text) < 300 && links*2 > len(text)
}

func linkTextLen(n *html.Node) int {
	total := 0
	var f func(*html.Node)
	f = func(n *html.Node) {
		if n.Type == html.ElementNode && n.DataAtom == atom.A {
			total += len(normalizeSpace(textOf(n)))
			return
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			f(c)
		}
	}
	f(n)
	return total
}

// mainContent finds the content of a page that marks none up: the
// deepest element that still holds at least 85% of the page's prose,
// prose being the text of paragraphs, headings, list items, cells and
// quotes outside links and outside furniture (see furnitureNode) and
// skipped elements. Navigation, sidebars and footers are mostly links or
// furniture and hold little prose, so the element found is the one that
// wraps the text, without them. It returns body when no element does
// better.
func mainContent(body *html.Node) *html.Node {
	prose := map[*html.Node]int{}
	var count func(n *html.Node) int
	count = func(n *html.Node) int {
		if n.Type == html.ElementNode && (skipped[n.DataAtom] || skippedRoles[attr(n, "role")] || furnitureNode(n)) {
			return 0
		}
		total := 0
		switch n.DataAtom {
		case atom.P, atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6, atom.Li, atom.Td, atom.Th, atom.Blockquote, atom.Pre, atom.Dd:
			if n.Type == html.ElementNode {
				total = len(normalizeSpace(textOf(n))) - linkTextLen(n)
				prose[n] = total
				return total
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			total += count(c)
		}
		if n.Type == html.TextNode {
			total = len(strings.TrimSpace(n.Data)) // loose text in a div
		}
		prose[n] = total
		return total
	}
	all := count(body)
	if all == 0 {
		return body
	}
	best := body
	for {
		var next *html.Node
		for c := best.FirstChild; c != nil; c = c.NextSibling {
			if c.Type == html.ElementNode && prose[c]*100 >= all*85 {
				next = c
			}
		}
		if next == nil {
			return best
		}
		best = next
	}
}
