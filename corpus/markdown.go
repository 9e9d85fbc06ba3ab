package corpus

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/goccy/go-yaml"
)

// The project's corpus format is Markdown with a YAML front-matter block:
//
//	---
//	document: digest          # short name shared by all language versions
//	title: Tokyo Declaration … (unofficial digest)
//	language: en              # a code of the language table (en, fr, ru, ja), required
//	kind: digest              # digest, official or other
//	source: where the text comes from
//	date: 2025-12-20
//	notice: what the document is and is not
//	---
//	# An optional document heading, ignored
//
//	## 4. Green Transition and Resilience
//
//	[4.1] A paragraph. It runs over as many lines as it needs
//	until a blank line.
//
// Every paragraph starts with its id in square brackets, and the id's first
// number must be the number of the chapter it sits in.

// frontMatter is the YAML block at the top of a corpus file.
type frontMatter struct {
	Document string `yaml:"document"`
	Title    string `yaml:"title"`
	Language string `yaml:"language"`
	Kind     string `yaml:"kind"`
	Source   string `yaml:"source"`
	Date     string `yaml:"date"`
	Notice   string `yaml:"notice"`
}

var (
	chapterLine   = regexp.MustCompile(`^##\s+(\d+)\.\s+(\S.*)$`)
	paragraphLine = regexp.MustCompile(`^\[(\d+)\.(\d+)\]\s+(\S.*)$`)
	idLike        = regexp.MustCompile(`^\[[^\]]*\]`)
)

// ParseError is a problem at one line of one file. Its message reads
// "file:line: what is wrong", as compilers print theirs.
type ParseError struct {
	File string
	Line int
	Msg  string
}

func (e *ParseError) Error() string { return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg) }

// ParseMarkdown reads one corpus file in the project format. name is used
// in error messages. It returns the first problem found as a *ParseError;
// it never panics, whatever the input.
func ParseMarkdown(name string, data []byte) (*Document, error) {
	if !utf8.Valid(data) {
		return nil, &ParseError{name, 1, "file is not valid UTF-8"}
	}
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	// The project format does not go through assemble: its control
	// characters are dropped here, before its lines are read.
	lines := strings.Split(dropControls(strings.ReplaceAll(string(data), "\r\n", "\n")), "\n")

	doc := &Document{Path: name}
	i, err := parseFrontMatter(name, lines, doc)
	if err != nil {
		return nil, err
	}

	seen := map[string]int{}  // paragraph id -> line
	chapters := map[int]int{} // chapter number -> line
	var cur *Chapter          // chapter being read
	var para *Passage         // paragraph being read
	var text []string         // lines of the paragraph being read
	flush := func() {
		if para != nil {
			var b strings.Builder
			for i, l := range text {
				if i > 0 {
					b.WriteString(lineJoint(text[i-1], l))
				}
				b.WriteString(l)
			}
			para.Text = b.String()
			cur.Passages = append(cur.Passages, *para)
			para, text = nil, nil
		}
	}
	for ; i < len(lines); i++ {
		n := i + 1
		line := strings.TrimRight(lines[i], " \t")
		trimmed := strings.TrimSpace(line)
		switch {
		case trimmed == "":
			flush()
		case strings.HasPrefix(trimmed, "## "), trimmed == "##":
			flush()
			m := chapterLine.FindStringSubmatch(trimmed)
			if m == nil {
				return nil, &ParseError{name, n, `chapter heading must read "## N. Title"`}
			}
			num, err := strconv.Atoi(m[1])
			if err != nil || num <= 0 || num > 999 {
				return nil, &ParseError{name, n, fmt.Sprintf("chapter number %s out of range 1-999", m[1])}
			}
			if prev, ok := chapters[num]; ok {
				return nil, &ParseError{name, n, fmt.Sprintf("duplicate chapter %d (first at line %d)", num, prev)}
			}
			chapters[num] = n
			doc.Chapters = append(doc.Chapters, Chapter{Number: num, Title: strings.TrimSpace(m[2])})
			cur = &doc.Chapters[len(doc.Chapters)-1]
		case strings.HasPrefix(trimmed, "# "), trimmed == "#":
			flush()
			if cur != nil {
				return nil, &ParseError{name, n, "document heading (# ...) after the first chapter"}
			}
		case strings.HasPrefix(trimmed, "["):
			if !idLike.MatchString(trimmed) {
				if para == nil {
					return nil, &ParseError{name, n, "text outside a paragraph: paragraphs start with their id, like [4.2]"}
				}
				text = append(text, trimmed)
				continue
			}
			flush()
			m := paragraphLine.FindStringSubmatch(trimmed)
			if m == nil {
				return nil, &ParseError{name, n, "paragraph id must read [N.M] followed by text"}
			}
			if cur == nil {
				return nil, &ParseError{name, n, fmt.Sprintf("paragraph [%s.%s] outside a chapter", m[1], m[2])}
			}
			c, err1 := strconv.Atoi(m[1])
			p, err2 := strconv.Atoi(m[2])
			if err1 != nil || err2 != nil || p <= 0 || p > 9999 {
				return nil, &ParseError{name, n, fmt.Sprintf("paragraph id [%s.%s] out of range", m[1], m[2])}
			}
			if c != cur.Number {
				return nil, &ParseError{name, n, fmt.Sprintf("paragraph [%d.%d] does not match its chapter %d", c, p, cur.Number)}
			}
			id := fmt.Sprintf("%d.%d", c, p)
			if prev, ok := seen[id]; ok {
				return nil, &ParseError{name, n, fmt.Sprintf("duplicate paragraph id %s (first at line %d)", id, prev)}
			}
			seen[id] = n
			para = &Passage{Doc: doc.Name, ID: id, Chapter: c, ChapterTitle: cur.Title, Lang: doc.Lang}
			text = []string{strings.TrimSpace(m[3])}
		default:
			if para == nil {
				return nil, &ParseError{name, n, "text outside a paragraph: paragraphs start with their id, like [4.2]"}
			}
			text = append(text, trimmed)
		}
	}
	flush()
	if len(doc.Chapters) == 0 {
		return nil, &ParseError{name, len(lines), "no chapters: expected headings like \"## 1. Title\""}
	}
	for _, c := range doc.Chapters {
		if len(c.Passages) == 0 {
			return nil, &ParseError{name, chapters[c.Number], fmt.Sprintf("chapter %d has no paragraphs", c.Number)}
		}
	}
	return doc, nil
}

// parseFrontMatter fills doc from the block between the leading "---"
// lines and returns the index of the first line after it.
func parseFrontMatter(name string, lines []string, doc *Document) (int, error) {
	if len(lines) == 0 || strings.TrimSpace(lines[0]) != "---" {
		return 0, &ParseError{name, 1, `missing front matter: the file must start with "---"`}
	}
	end := -1
	for i := 1; i < len(lines); i++ {
		if strings.TrimSpace(lines[i]) == "---" {
			end = i
			break
		}
	}
	if end < 0 {
		return 0, &ParseError{name, 1, `front matter is not closed by a "---" line`}
	}
	fm, err := decodeFrontMatter(name, lines[1:end])
	if err != nil {
		return 0, err
	}
	lineOf := func(key string) int {
		for i := 1; i < end; i++ {
			if strings.HasPrefix(strings.TrimSpace(lines[i]), key+":") {
				return i + 1
			}
		}
		return 1
	}
	switch {
	case fm.Language == "":
		return 0, &ParseError{name, 1, "front matter: missing language (" + languageList() + ")"}
	case !languages().Has(fm.Language):
		return 0, &ParseError{name, lineOf("language"), fmt.Sprintf("front matter: language %q is not one of %s", fm.Language, languageList())}
	}
	if strings.TrimSpace(fm.Title) == "" {
		return 0, &ParseError{name, 1, "front matter: missing title"}
	}
	kind := Kind(fm.Kind)
	switch kind {
	case Digest, Official, Other:
	case "":
		kind = Other
	default:
		return 0, &ParseError{name, lineOf("kind"), fmt.Sprintf("front matter: kind %q is not digest, official or other", fm.Kind)}
	}
	if fm.Document == "" {
		return 0, &ParseError{name, 1, "front matter: missing document (a short name shared by the language versions)"}
	}
	if !validDocName(fm.Document) {
		return 0, &ParseError{name, lineOf("document"), fmt.Sprintf("front matter: document %q must be lower-case letters, digits and dashes", fm.Document)}
	}
	doc.Name, doc.Title, doc.Lang, doc.Kind = fm.Document, strings.TrimSpace(fm.Title), fm.Language, kind
	doc.Source, doc.Date, doc.Notice = strings.TrimSpace(fm.Source), fm.Date, strings.TrimSpace(fm.Notice)
	return end + 1, nil
}

// maxFrontMatterDepth bounds the nesting of a front matter, which is one
// mapping of text values: a deeper one is refused before go-yaml parses
// it (see YAMLTooDeep).
const maxFrontMatterDepth = 32

// decodeFrontMatter reads the lines of a front-matter block, for every
// format that has one. YAML escapes ("\e", "\a") can spell control
// characters that the file itself does not hold, so they are dropped
// from the free-text values here, as assemble and ParseMarkdown drop
// them from the text. It returns a *ParseError.
func decodeFrontMatter(path string, lines []string) (frontMatter, error) {
	var fm frontMatter
	data := []byte(strings.Join(lines, "\n"))
	if line, deep := YAMLTooDeep(data, maxFrontMatterDepth); deep {
		return fm, &ParseError{path, 1 + line, fmt.Sprintf("front matter: lists or mappings nested more than %d deep (a front matter holds keys and their text)", maxFrontMatterDepth)}
	}
	if err := yaml.UnmarshalWithOptions(data, &fm, yaml.Strict()); err != nil {
		return fm, &ParseError{path, 1 + yamlLine(err), "front matter: " + firstLine(yamlMessage(err))}
	}
	fm.Title, fm.Source, fm.Date, fm.Notice = dropControls(fm.Title), dropControls(fm.Source), dropControls(fm.Date), dropControls(fm.Notice)
	return fm, nil
}

// validDocName reports whether s can prefix passage ids unambiguously.
func validDocName(s string) bool {
	if s == "" || len(s) > 40 {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-') {
			return false
		}
	}
	return true
}

// yamlLine extracts the 1-based line of a go-yaml error inside the block.
func yamlLine(err error) int {
	var se *yaml.SyntaxError
	if errors.As(err, &se) && se.Token != nil && se.Token.Position != nil {
		return se.Token.Position.Line
	}
	var te *yaml.TypeError
	if errors.As(err, &te) && te.Token != nil && te.Token.Position != nil {
		return te.Token.Position.Line
	}
	var ue *yaml.UnknownFieldError
	if errors.As(err, &ue) && ue.Token != nil && ue.Token.Position != nil {
		return ue.Token.Position.Line
	}
	return 0
}

func yamlMessage(err error) string {
	type messager interface{ GetMessage() string }
	var m messager
	if errors.As(err, &m) {
		return m.GetMessage()
	}
	return err.Error()
}

func firstLine(s string) string {
	sc := bufio.NewScanner(strings.NewReader(s))
	if sc.Scan() {
		return sc.Text()
	}
	return s
}

// Align checks that the language versions of one document carry the same
// chapters and paragraphs, so that N.M means the same content in each. It
// returns the first difference as a *ParseError naming the file that lacks
// the paragraph or chapter.
func Align(docs ...*Document) error {
	byName := map[string][]*Document{}
	var order []string
	for _, d := range docs {
		if _, ok := byName[d.Name]; !ok {
			order = append(order, d.Name)
		}
		byName[d.Name] = append(byName[d.Name], d)
	}
	for _, name := range order {
		group := byName[name]
		langs := map[string]string{}
		for _, d := range group {
			if prev, ok := langs[d.Lang]; ok {
				return &ParseError{d.Path, 1, fmt.Sprintf("document %q in %s is already given by %s", name, d.Lang, prev)}
			}
			langs[d.Lang] = d.Path
		}
		for _, a := range group {
			for _, b := range group {
				if a == b {
					continue
				}
				if err := missingIn(a, b); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// missingIn reports the first chapter or paragraph of a that b lacks.
func missingIn(a, b *Document) error {
	have := map[string]bool{}
	chaps := map[int]bool{}
	for _, c := range b.Chapters {
		chaps[c.Number] = true
		for _, p := range c.Passages {
			have[p.ID] = true
		}
	}
	for _, c := range a.Chapters {
		if !chaps[c.Number] {
			return &ParseError{b.Path, 1, fmt.Sprintf("chapter %d is in %s (%s) but not in this file (%s)", c.Number, a.Path, a.Lang, b.Lang)}
		}
		for _, p := range c.Passages {
			if !have[p.ID] {
				return &ParseError{b.Path, 1, fmt.Sprintf("paragraph %s is in %s (%s) but not in this file (%s)", p.ID, a.Path, a.Lang, b.Lang)}
			}
		}
	}
	return nil
}
