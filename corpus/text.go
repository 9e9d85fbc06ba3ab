package corpus

import (
	"bytes"
	"fmt"
	"path/filepath"
	"regexp"
	"strings"
	"unicode/utf8"
)

// ParseText reads a plain-text document. An optional front-matter block
// (the keys of the project format, all optional) gives its name, title,
// language, kind, source, date and notice; what it leaves out is found in
// the text or, for the name, taken from the file name. path names the
// file in errors and gives the short name. It never panics.
func ParseText(path string, data []byte) (*Document, error) {
	lines, m, first, err := prepare(path, data)
	if err != nil {
		return nil, err
	}
	var blocks []block
	var cur *block
	for i := first; i < len(lines); i++ {
		l := strings.TrimSpace(lines[i])
		if l == "" {
			cur = nil
			continue
		}
		if cur == nil {
			blocks = append(blocks, block{line: i + 1})
			cur = &blocks[len(blocks)-1]
		}
		cur.lines = append(cur.lines, l)
	}
	return assemble(path, blocks, m)
}

var (
	atxHeading = regexp.MustCompile(`^(#{1,6})\s+(.*?)\s*#*\s*$`)
	setextLine = regexp.MustCompile(`^(=+|-+)\s*$`)
	mdListItem = regexp.MustCompile(`^(?:[-*+]|\d{1,3}[.)])\s+\S`)
	mdBullet   = regexp.MustCompile(`^[-*+]\s+`)
	mdImage    = regexp.MustCompile(`!\[([^\]]*)\]\([^)]*\)`)
	mdLink     = regexp.MustCompile(`\[([^\]]*)\]\([^)]*\)`)
	mdRefLink  = regexp.MustCompile(`\[([^\]]+)\]\[[^\]]*\]`)
	// RE2 has no back-references: one pattern per emphasis marker.
	mdEmphasis = []*regexp.Regexp{
		regexp.MustCompile(`\*\*(\S(?:.*?\S)?)\*\*`),
		regexp.MustCompile(`__(\S(?:.*?\S)?)__`),
		regexp.MustCompile(`~~(\S(?:.*?\S)?)~~`),
		regexp.MustCompile(`\*(\S(?:.*?\S)?)\*`),
		regexp.MustCompile(`\b_(\S(?:.*?\S)?)_\b`),
		regexp.MustCompile("`([^`]+)`"),
	}
	mdTag       = regexp.MustCompile(`</?[a-zA-Z][^>]*>`)
	mdComment   = regexp.MustCompile(`<!--.*?-->`)
	mdEscape    = regexp.MustCompile(`\\([\\` + "`" + `*_{}\[\]()#+\-.!])`)
	mdLinkDef   = regexp.MustCompile(`^\[[^\]]+\]:\s+\S+`)
	mdTableRule = regexp.MustCompile(`^\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?$`)
)

// ParseGeneralMarkdown reads a Markdown document that is not in the
// project's corpus format: headings become chapters (or sub-headings below
// the top level), inline markup is dropped, lists stay one item a line.
// Front matter is optional, as for ParseText. It never panics.
func ParseGeneralMarkdown(path string, data []byte) (*Document, error) {
	lines, m, first, err := prepare(path, data)
	if err != nil {
		return nil, err
	}
	var blocks []block
	var cur *block
	fence := ""
	end := func() { cur = nil }
	for i := first; i < len(lines); i++ {
		raw := strings.TrimRight(lines[i], " \t")
		l := strings.TrimSpace(raw)
		if fence != "" { // code is kept verbatim as its own block
			if strings.HasPrefix(l, fence) {
				fence = ""
				end()
				continue
			}
			if cur == nil {
				blocks = append(blocks, block{line: i + 1, list: true})
				cur = &blocks[len(blocks)-1]
			}
			if l != "" {
				cur.lines = append(cur.lines, l)
			}
			continue
		}
		if strings.HasPrefix(l, "```") || strings.HasPrefix(l, "~~~") {
			fence = l[:3]
			end()
			continue
		}
		for strings.HasPrefix(l, ">") { // block quotes read as text
			l = strings.TrimSpace(strings.TrimPrefix(l, ">"))
		}
		switch {
		case cur != nil && len(cur.lines) == 1 && !cur.list && setextLine.MatchString(l):
			if l[0] == '=' {
				cur.level = 1
			} else {
				cur.level = 2
			}
			end()
			continue
		case l == "" || mdLinkDef.MatchString(l) || mdTableRule.MatchString(l):
			end()
			continue
		case atxHeading.MatchString(l):
			h := atxHeading.FindStringSubmatch(l)
			blocks = append(blocks, block{lines: []string{inline(h[2])}, level: len(h[1]), line: i + 1})
			end()
			continue
		case l == "***" || l == "---" || l == "___":
			end()
			continue
		}
		if strings.HasPrefix(l, "|") {
			l = strings.Trim(strings.ReplaceAll(l, "|", " "), " ")
		}
		item := mdListItem.MatchString(l)
		if item {
			l = mdBullet.ReplaceAllString(l, "")
		}
		l = inline(l)
		if cur == nil {
			blocks = append(blocks, block{line: i + 1})
			cur = &blocks[len(blocks)-1]
		}
		indented := raw != "" && (raw[0] == ' ' || raw[0] == '\t')
		switch {
		case item && len(cur.lines) > 0:
			cur.list = true
			cur.lines = append(cur.lines, l)
		case cur.list && indented && len(cur.lines) > 0: // an item's next line
			cur.lines[len(cur.lines)-1] += " " + l
		default:
			cur.lines = append(cur.lines, l)
		}
	}
	return assemble(path, blocks, m)
}

// inline drops Markdown's inline markup, keeping the text a reader sees.
func inline(s string) string {
	s = mdComment.ReplaceAllString(s, "")
	s = mdImage.ReplaceAllString(s, "$1")
	s = mdLink.ReplaceAllString(s, "$1")
	s = mdRefLink.ReplaceAllString(s, "$1")
	for _, re := range mdEmphasis {
		s = re.ReplaceAllString(s, "$1")
	}
	s = mdTag.ReplaceAllString(s, "")
	s = mdEscape.ReplaceAllString(s, "$1")
	return strings.TrimSpace(s)
}

// prepare checks the encoding, splits lines and reads optional front
// matter. It returns the lines, what the front matter said and the index
// of the first line after it.
func prepare(path string, data []byte) ([]string, meta, int, error) {
	m := meta{name: "", lang: langFromName(path)}
	if !utf8.Valid(data) {
		// Text saved by older tools is often Latin-1; read it as such
		// rather than refuse it.
		data = latin1ToUTF8(data)
	}
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	s := strings.ReplaceAll(strings.ReplaceAll(string(data), "\r\n", "\n"), "\r", "\n")
	lines := strings.Split(s, "\n")
	if len(lines) == 0 || strings.TrimSpace(lines[0]) != "---" {
		return lines, m, 0, nil
	}
	end := -1
	for i := 1; i < len(lines); i++ {
		if strings.TrimSpace(lines[i]) == "---" {
			end = i
			break
		}
	}
	if end < 0 { // a rule, not front matter
		return lines, m, 0, nil
	}
	fm, err := decodeFrontMatter(path, lines[1:end])
	if err != nil {
		return nil, m, 0, err
	}
	if fm.Language != "" && !languages().Has(fm.Language) {
		return nil, m, 0, &ParseError{path, 1, fmt.Sprintf("front matter: language %q is not one of %s", fm.Language, languageList())}
	}
	switch Kind(fm.Kind) {
	case "", Digest, Official, Other:
	default:
		return nil, m, 0, &ParseError{path, 1, fmt.Sprintf("front matter: kind %q is not digest, official or other", fm.Kind)}
	}
	if fm.Document != "" && !validDocName(fm.Document) {
		return nil, m, 0, &ParseError{path, 1, fmt.Sprintf("front matter: document %q must be lower-case letters, digits and dashes", fm.Document)}
	}
	m.name, m.title, m.kind = fm.Document, strings.TrimSpace(fm.Title), Kind(fm.Kind)
	if fm.Language != "" {
		m.lang = fm.Language
	}
	m.source, m.date, m.notice = strings.TrimSpace(fm.Source), fm.Date, strings.TrimSpace(fm.Notice)
	return lines, m, end + 1, nil
}

func latin1ToUTF8(b []byte) []byte {
	r := make([]rune, len(b))
	for i, c := range b {
		r[i] = rune(c)
	}
	return []byte(string(r))
}

var langSuffix = regexp.MustCompile(`(?i)[._\-( ](en|fr|ru|ja|jp|eng|fra|fre|rus|jpn|english|french|francais|français|russian|japanese)\)?$`)

// langFromName reads a language tag at the end of a file name:
// "declaration.fr.pdf", "declaration_en.txt", "declaration.ja.html". It
// returns "" when there is none.
func langFromName(path string) string {
	base := strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
	m := langSuffix.FindStringSubmatch(base)
	if m == nil {
		return ""
	}
	switch strings.ToLower(m[1]) {
	case "en", "eng", "english":
		return "en"
	case "ru", "rus", "russian":
		return "ru"
	case "ja", "jp", "jpn", "japanese":
		return "ja"
	}
	return "fr"
}

var accentFold = strings.NewReplacer(
	"à", "a", "â", "a", "ä", "a", "á", "a", "ã", "a", "ç", "c", "é", "e", "è", "e", "ê", "e", "ë", "e",
	"î", "i", "ï", "i", "í", "i", "ô", "o", "ö", "o", "ó", "o", "ù", "u", "û", "u", "ü", "u", "ú", "u",
	"ÿ", "y", "œ", "oe", "æ", "ae", "ñ", "n",
)

// ShortName derives a document's short name from its file name: lower
// case, accents folded, anything but letters and digits turned into
// dashes, a trailing language tag dropped (so "declaration.en.pdf" and
// "declaration.fr.pdf" name the same document in two languages), at most
// 40 characters. It returns "doc" when nothing is left.
func ShortName(path string) string {
	base := filepath.Base(strings.ReplaceAll(path, "\\", "/"))
	if ext := filepath.Ext(base); knownExt(ext) && ext != base {
		base = strings.TrimSuffix(base, ext)
	}
	if loc := langSuffix.FindStringIndex(base); loc != nil && loc[0] > 0 {
		base = base[:loc[0]]
	}
	base = accentFold.Replace(strings.ToLower(base))
	var b strings.Builder
	dash := false
	for _, r := range base {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
			dash = false
		} else if !dash && b.Len() > 0 {
			b.WriteByte('-')
			dash = true
		}
	}
	s := strings.TrimRight(b.String(), "-")
	if len(s) > 40 {
		s = s[:40]
		if i := strings.LastIndexByte(s, '-'); i > 20 {
			s = s[:i]
		}
		s = strings.TrimRight(s, "-")
	}
	if s == "" {
		return "doc"
	}
	return s
}
