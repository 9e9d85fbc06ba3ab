package corpus

import (
	"bytes"
	"strconv"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// ParseHTML reads the main content of a web page: the <main> element, else
// the first <article>, else the body without its navigation, header,
// footer, asides, forms, scripts and styles. Headings are kept as
// headings; list items one a line, numbered as the browser would show
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
	if n.Type == html.ElementNode && (skipped[a] || skippedRoles[attr(n, "role")] || attr(n, "hidden") != "" || attr(n, "aria-hidden") == "true") {
		return
	}
	switch {
	case a == atom.Br:
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
