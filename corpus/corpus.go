// Package corpus holds the documents declbot answers from: the Passage and
// Document types, the parsers that turn files into them, and the bundled
// bilingual digest of the Tokyo Declaration, embedded in the binary.
//
// The package knows nothing of search; retrieval indexes what it returns.
package corpus

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// Kind says what a document is, so that replies can name their source.
type Kind string

const (
	// Digest is an unofficial summary written by the project.
	Digest Kind = "digest"
	// Official is a text as published by the governments concerned.
	Official Kind = "official"
	// Other is any other document a maintainer indexes.
	Other Kind = "other"
)

// Passage is one citable unit of a document: a numbered paragraph, or a
// bounded run of sentences when the document carries no numbering.
type Passage struct {
	// Doc is the short name of the document the passage belongs to. The
	// English and French versions of one document share it, so that their
	// paragraphs align.
	Doc string `json:"doc"`
	// ID is the citation inside the document, "4.2" for paragraph 2 of
	// chapter 4. Unique within (Doc, Lang).
	ID string `json:"id"`
	// Chapter is the chapter number, 0 when the document has no chapters.
	Chapter int `json:"chapter"`
	// ChapterLabel is the chapter's numeral as printed when it is not
	// arabic ("IV"); empty, the chapter is cited by its number.
	ChapterLabel string `json:"chapter_label,omitempty"`
	ChapterTitle string `json:"chapter_title"`
	// Lang is an ISO 639-1 code: "en" or "fr".
	Lang string `json:"lang"`
	Text string `json:"text"`
}

// Key identifies the passage across documents and languages.
func (p Passage) Key() string { return p.Doc + "/" + p.Lang + "/" + p.ID }

// AlignKey is shared by the same paragraph in every language of a document.
func (p Passage) AlignKey() string { return p.Doc + "/" + p.ID }

// ChapterName is the passage's chapter as the document prints it: "IV"
// for a chapter headed "IV.", else its number.
func (p Passage) ChapterName() string { return chapterName(p.Chapter, p.ChapterLabel) }

// Chapter is a numbered division of a document.
type Chapter struct {
	Number int
	// Label is the numeral as printed when it is not arabic ("IV").
	Label    string `json:",omitempty"`
	Title    string
	Passages []Passage
}

// Name is the chapter as the document prints it: "IV" for a chapter
// headed "IV.", else its number.
func (c Chapter) Name() string { return chapterName(c.Number, c.Label) }

func chapterName(n int, label string) string {
	if label != "" {
		return label
	}
	return strconv.Itoa(n)
}

// Document is one parsed file in one language.
type Document struct {
	// Name is the short document name shared by its language versions.
	Name   string
	Title  string
	Lang   string
	Kind   Kind
	Source string
	// Date is the date of the text itself (YYYY-MM-DD), as given by the file.
	Date string
	// Notice is a plain statement of what the document is and is not, shown
	// by `declbot about`.
	Notice   string
	Chapters []Chapter
	// Path is where the document was read from, for error messages.
	Path string
	// Warnings say what looked wrong when the file was read: text the
	// fonts do not map to letters, pages without text, numbering with
	// gaps, a passage far longer than the others. A maintainer sees them
	// in the index report; an empty list means the structure looked sound.
	Warnings []string `json:"-"`
}

// Passages returns the document's passages in reading order.
func (d *Document) Passages() []Passage {
	var out []Passage
	for _, c := range d.Chapters {
		out = append(out, c.Passages...)
	}
	return out
}

// Ref is a parsed citation: a whole chapter (Para == 0) or one paragraph.
type Ref struct {
	Chapter int
	Para    int
}

// String renders the reference as declbot cites it: "4" or "4.2".
func (r Ref) String() string {
	if r.Para == 0 {
		return strconv.Itoa(r.Chapter)
	}
	return fmt.Sprintf("%d.%d", r.Chapter, r.Para)
}

// ParseRef reads a reference as users type it: "4", "4.2", "§4.2", "¶4.2",
// "ch4", "ch. 4", "chapter 4", "chapitre 4", "para 4.2"; a chapter may be
// a Roman numeral, as official texts print them ("IV", "ch. IV"). It returns an
// error when the text is not a reference at all; whether the chapter exists
// is for the caller to check against a document.
func ParseRef(s string) (Ref, error) {
	t := strings.ToLower(strings.TrimSpace(s))
	for _, p := range []string{"chapitre", "chapter", "chap", "ch", "paragraphe", "paragraph", "para", "par", "§", "¶", "art", "article"} {
		if strings.HasPrefix(t, p) {
			t = strings.TrimLeft(strings.TrimPrefix(t, p), ". ")
			break
		}
	}
	t = strings.TrimSpace(strings.TrimPrefix(t, "§"))
	t = strings.TrimSpace(strings.TrimPrefix(t, "¶"))
	if t == "" {
		return Ref{}, fmt.Errorf("%q is not a reference: expected a chapter like 4 or a paragraph like 4.2", s)
	}
	chap, para, hasDot := strings.Cut(t, ".")
	c, err := strconv.Atoi(chap)
	if err != nil {
		if c = roman(strings.ToUpper(chap)); c > 0 {
			err = nil
		}
	}
	if err != nil || c <= 0 || c > 999 {
		return Ref{}, fmt.Errorf("%q is not a reference: expected a chapter like 4 or a paragraph like 4.2", s)
	}
	if !hasDot || para == "" {
		return Ref{Chapter: c}, nil
	}
	p, err := strconv.Atoi(para)
	if err != nil || p <= 0 || p > 9999 {
		return Ref{}, fmt.Errorf("%q is not a reference: expected a chapter like 4 or a paragraph like 4.2", s)
	}
	return Ref{Chapter: c, Para: p}, nil
}

var passageID = regexp.MustCompile(`^(\d{1,4})(?:\.(\d{1,4}))?(?:-(\d{1,3}))?$`)

// PassageID reads s as a paragraph reference, in the form `declbot
// chapters` lists ids: "¶15", "§ 15", "para 15", "4.2", "0.1" (a
// preamble), "12-2" (the second paragraph a document numbered 12). It
// returns the id and true when s names a paragraph: with a paragraph
// marker, a dot or a repeat suffix. A bare "4" returns false: users mean
// chapter 4 by it, which ParseRef reads.
func PassageID(s string) (string, bool) {
	t := strings.ToLower(strings.TrimSpace(s))
	marker := false
	for _, p := range []string{"paragraphe", "paragraph", "para", "par", "¶", "§"} {
		if strings.HasPrefix(t, p) {
			t, marker = strings.TrimLeft(strings.TrimPrefix(t, p), ". "), true
			break
		}
	}
	m := passageID.FindStringSubmatch(t)
	if m == nil || !marker && m[2] == "" && m[3] == "" {
		return "", false
	}
	id := strings.TrimLeft(m[1], "0")
	if id == "" {
		id = "0"
	}
	if m[2] != "" {
		p := strings.TrimLeft(m[2], "0")
		if p == "" {
			return "", false
		}
		id += "." + p
	}
	if m[3] != "" {
		r := strings.TrimLeft(m[3], "0")
		if r == "" {
			return "", false
		}
		id += "-" + r
	}
	if id == "0" {
		return "", false
	}
	return id, true
}
