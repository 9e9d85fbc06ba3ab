package bot

import (
	"cmp"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/declbot/declbot/corpus"
)

// Cite returns a chapter or a paragraph verbatim. ref is a reference as
// users type it ("4", "4.2", "§4.2", "ch4", "chapitre 4"), optionally
// prefixed by a document name and a colon ("official:4.2") when several
// documents are indexed; without a prefix it names the first document.
// lang is a code of the index's language table or "all" ("" means the
// table's fallback, English). An unknown reference is an *InputError, in
// lang, that gives the valid range; a reference that names a paragraph,
// by a marker ("¶7", "paragraph 99") or a dot, is never read as a
// chapter, and is said to be a missing paragraph.
func (b *Bot) Cite(ref, lang string) (Reply, error) {
	return b.cite(ref, ref, lang)
}

// cite is Cite of a reference that typed wrote in the user's own words,
// which an error echoes: a question's "Chapter 0" that askedRef read as
// "ch 0".
func (b *Bot) cite(ref, typed, lang string) (Reply, error) {
	idx := b.Index()
	l, err := b.checkLang(idx, lang, true)
	if err != nil {
		return Reply{}, err
	}
	if l == "" {
		l = idx.Languages().Fallback().Code
	}
	speak := l
	if l == "all" {
		speak = idx.Languages().Fallback().Code
	}
	docName, refText, err := b.splitDocRef(idx, ref, speak)
	if err != nil {
		return Reply{}, err
	}
	var langs []string
	if l == "all" {
		langs = docLangs(idx, docName)
	} else {
		langs = []string{l}
	}
	reply := Reply{Question: strings.TrimSpace(ref), Lang: langs[0], Mode: ModeCite, Passages: []Quote{}, Related: []Quote{}}
	refText = StripInvisible(refText)
	if _, err := corpus.ParseRef(refText); err != nil {
		if _, ok := corpus.PassageID(refText); !ok {
			// A reference in full-width digits ("４", "４．２"), a
			// citation as the bot prints it ("Гл. 4 «…», ¶4.2",
			// "第4章「…」"), or one inside other words ("п. 4"). A
			// paragraph marker is added only to an id with a dot, which
			// cannot be a chapter ("4.2 pls"): "5 pls" is no ¶5.
			if folded := foldRef(refText); isRef(folded) {
				refText = folded
			} else if found, ok := findRef(refText); ok {
				refText = found
			} else if found, ok := findRef("¶" + refText); ok && strings.Contains(found, ".") {
				refText = found
			}
		}
	}
	// Every id `chapters` lists is citable as written: "¶15", "0.1",
	// "12-2", and a bare "15" in a document whose chapters are Roman
	// numerals (it prints no chapter "15" for the number to mean).
	id, ok := corpus.PassageID(refText)
	if !ok && romanChapters(idx, docName) {
		id, ok = corpus.PassageID("¶" + strings.TrimSpace(refText))
	}
	if ok {
		for _, lg := range langs {
			if d := findDoc(idx, docName, lg); d != nil {
				for _, p := range d.Passages() {
					if p.ID == id {
						reply.Passages = append(reply.Passages, b.quote(idx, p, 1))
					}
				}
			}
		}
		if len(reply.Passages) > 0 {
			return b.finishCite(idx, reply), nil
		}
		// A paragraph was asked for ("¶99", "paragraph 7"): it is not
		// there, whatever chapter ParseRef would read in the number.
		return Reply{}, b.inputError(speak, "error_no_paragraph", "ref", id, "range", b.validRange(idx, docName, speak))
	}
	r, err := corpus.ParseRef(refText)
	if err != nil {
		return Reply{}, b.inputError(speak, "error_not_a_reference", "ref", strconv.Quote(clipRef(strings.TrimSpace(typed))), "range", b.validRange(idx, docName, speak))
	}
	for _, lg := range langs {
		d := findDoc(idx, docName, lg)
		if d == nil {
			continue
		}
		for _, c := range d.Chapters {
			if c.Number != r.Chapter {
				continue
			}
			for _, p := range c.Passages {
				if r.Para == 0 || p.ID == r.String() {
					reply.Passages = append(reply.Passages, b.quote(idx, p, 1))
				}
			}
		}
	}
	if len(reply.Passages) == 0 && strings.ContainsAny(refText, "0123456789") {
		// A document without chapters numbers its passages 1, 2, 3…:
		// there "6" is a passage, not a chapter (but "VI" is a chapter).
		for _, lg := range langs {
			if d := findDoc(idx, docName, lg); d != nil {
				for _, p := range d.Passages() {
					if p.ID == r.String() {
						reply.Passages = append(reply.Passages, b.quote(idx, p, 1))
					}
				}
			}
		}
	}
	if len(reply.Passages) == 0 {
		return Reply{}, b.inputError(speak, refKey(r), "ref", r, "range", b.validRange(idx, docName, speak))
	}
	return b.finishCite(idx, reply), nil
}

// isRef reports whether s is a reference as ParseRef or PassageID reads
// one.
func isRef(s string) bool {
	if _, err := corpus.ParseRef(s); err == nil {
		return true
	}
	_, ok := corpus.PassageID(s)
	return ok
}

// romanChapters reports whether the document's chapters are printed as
// Roman numerals.
func romanChapters(idx Index, name string) bool {
	for _, d := range idx.Documents() {
		if d.Name == name {
			for _, c := range d.Chapters {
				if c.Label != "" {
					return true
				}
			}
			return false
		}
	}
	return false
}

func (b *Bot) finishCite(idx Index, reply Reply) Reply {
	reply.Source = sourceOf(idx, reply.Passages)
	reply.Versions = versions(idx, reply.Passages)
	reply.Answer = b.renderCite(idx, reply)
	reply.Notes = b.sourceNotes(reply)
	return reply
}

// refKey is the message saying there is no such chapter or paragraph.
func refKey(r corpus.Ref) string {
	if r.Para == 0 {
		return "error_no_chapter"
	}
	return "error_no_paragraph"
}

// splitDocRef separates an optional "doc:" prefix from a reference. A
// prefix shaped like a document name that names no indexed document is
// an *InputError listing those there are, in lang.
func (b *Bot) splitDocRef(idx Index, ref, lang string) (doc, rest string, err error) {
	docs := idx.Documents()
	first := ""
	if len(docs) > 0 {
		first = docs[0].Name
	}
	name, r, ok := strings.Cut(strings.TrimSpace(ref), ":")
	if !ok {
		return first, ref, nil
	}
	name = strings.ToLower(strings.TrimSpace(name))
	var names []string
	for _, d := range docs {
		if d.Name == name {
			return name, r, nil
		}
		if !slices.Contains(names, d.Name) {
			names = append(names, d.Name)
		}
	}
	if !docName.MatchString(name) {
		return first, ref, nil // not a prefix: ParseRef says what is wrong
	}
	return "", "", b.unknownDocument(clipRef(name), names, lang)
}

// docName is what a document name looks like (corpus derives it from a
// file name or front matter).
var docName = regexp.MustCompile(`^[a-z0-9][a-z0-9_.-]*$`)

// clipRef shortens what a user typed before it is echoed back.
func clipRef(s string) string {
	if r := []rune(s); len(r) > 40 {
		return string(r[:39]) + "…"
	}
	return s
}

// unknownDocument says that name is not indexed and what is, in lang.
func (b *Bot) unknownDocument(name string, known []string, lang string) *InputError {
	quoted := make([]string, len(known))
	for i, k := range known {
		quoted[i] = strconv.Quote(k)
	}
	return b.inputError(lang, "error_unknown_document", "name", strconv.Quote(name), "known", strings.Join(quoted, ", "), "example", known[0])
}

// docLangs returns the languages document name has a version in, in the
// order of the index's language table (English, French, Russian,
// Japanese), codes the table lacks last.
func docLangs(idx Index, name string) []string {
	var out []string
	for _, d := range idx.Documents() {
		if d.Name == name && !slices.Contains(out, d.Lang) {
			out = append(out, d.Lang)
		}
	}
	codes := idx.Languages().Codes()
	rank := func(code string) int {
		if i := slices.Index(codes, code); i >= 0 {
			return i
		}
		return len(codes)
	}
	slices.SortStableFunc(out, func(a, b string) int {
		return cmp.Or(cmp.Compare(rank(a), rank(b)), strings.Compare(a, b))
	})
	return out
}

// validRange describes the chapters and paragraphs of a document, for
// error messages, in lang: "chapters run from 1 to 9, paragraphs like 1.1",
// with the chapters and an id as the document prints them ("chapters run
// from I to IX, paragraphs like 1").
func (b *Bot) validRange(idx Index, name, lang string) string {
	var chapters []corpus.Chapter
	for _, d := range idx.Documents() {
		if d.Name != name {
			continue
		}
		for _, c := range d.Chapters {
			if c.Number > 0 {
				chapters = append(chapters, c)
			}
		}
		break
	}
	if len(chapters) == 0 {
		return b.say(lang, "range_none")
	}
	sort.Slice(chapters, func(i, j int) bool { return chapters[i].Number < chapters[j].Number })
	example := strconv.Itoa(chapters[0].Number) + ".1"
	if ps := chapters[0].Passages; len(ps) > 0 {
		example = ps[0].ID
	}
	return b.say(lang, "range_chapters", "first", chapters[0].Name(), "last", chapters[len(chapters)-1].Name(), "example", example)
}

func (b *Bot) renderCite(idx Index, r Reply) string {
	var sb strings.Builder
	last := ""
	for _, q := range r.Passages {
		head := b.say(q.Lang, "cite_heading", "chapter", q.ChapterName(), "title", q.ChapterTitle)
		if d := findDoc(idx, q.Doc, q.Lang); q.Chapter == 0 && d != nil {
			head = d.Title // a document without chapters: name it instead
		}
		if head != last {
			if sb.Len() > 0 {
				sb.WriteString("\n")
			}
			sb.WriteString(head + " [" + q.Lang + "]\n")
			last = head
		}
		sb.WriteString("\n> " + q.Text + "\n— " + q.Citation + "\n")
	}
	return strings.TrimRight(sb.String(), "\n")
}

// ChapterSummary is one line of the table of contents.
type ChapterSummary struct {
	Doc      string   `json:"doc"`
	DocTitle string   `json:"doc_title"`
	Number   int      `json:"number"`
	Label    string   `json:"label,omitempty"` // "IV" when printed so
	Title    string   `json:"title"`
	IDs      []string `json:"paragraphs"`
}

// Name is the chapter as the document prints it ("IV"), or its number.
func (c ChapterSummary) Name() string { return corpus.Chapter{Number: c.Number, Label: c.Label}.Name() }

// Chapters returns the table of contents of every indexed document in
// lang ("" means the table's fallback, English); a document without a
// version in lang is listed in English, or else in its own language.
func (b *Bot) Chapters(lang string) ([]ChapterSummary, error) {
	idx := b.Index()
	l, err := b.checkLang(idx, lang, false)
	if err != nil {
		return nil, err
	}
	if l == "" {
		l = idx.Languages().Fallback().Code
	}
	var out []ChapterSummary
	seen := map[string]bool{}
	for _, d := range idx.Documents() {
		if seen[d.Name] {
			continue
		}
		seen[d.Name] = true
		dd := findDoc(idx, d.Name, l)
		for _, c := range dd.Chapters {
			s := ChapterSummary{Doc: dd.Name, DocTitle: dd.Title, Number: c.Number, Label: c.Label, Title: c.Title}
			for _, p := range c.Passages {
				s.IDs = append(s.IDs, p.ID)
			}
			out = append(out, s)
		}
	}
	return out, nil
}

// Choice is an autocomplete suggestion: Name is shown, Value is sent back.
type Choice struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// Complete suggests references for a partly typed one: chapters first
// ("4 Green Transition and Resilience"), then paragraphs ("4.2 …" with the
// start of the paragraph), those whose reference or title starts with or
// contains prefix. It returns at most max choices (Discord allows 25).
func (b *Bot) Complete(prefix, lang string, max int) []Choice {
	idx := b.Index()
	if !idx.Languages().Has(lang) {
		lang = idx.Languages().Fallback().Code
	}
	if max <= 0 {
		max = 25
	}
	docs := idx.Documents()
	if len(docs) == 0 {
		return nil
	}
	d := findDoc(idx, docs[0].Name, lang)
	p := strings.ToLower(strings.TrimSpace(prefix))
	p = strings.TrimLeft(p, "§¶ ")
	// Only a typed number is read as a reference: "c" or "i" are the
	// start of a title more often than Roman numerals.
	if r, err := corpus.ParseRef(prefix); err == nil && strings.ContainsAny(prefix, "0123456789") {
		p = r.String()
	}
	var out []Choice
	add := func(name, value string) bool {
		if len(out) >= max {
			return false
		}
		out = append(out, Choice{Name: clip(name, 100), Value: value})
		return true
	}
	for _, c := range d.Chapters {
		if c.Number == 0 {
			continue // a preamble is no chapter to cite: its passages are offered below
		}
		num := strconv.Itoa(c.Number)
		if p == "" || strings.HasPrefix(num, p) || strings.Contains(strings.ToLower(c.Title), p) {
			if !add(c.Name()+" "+c.Title, c.Name()) {
				return out
			}
		}
	}
	if p == "" {
		return out
	}
	for _, c := range d.Chapters {
		for _, ps := range c.Passages {
			if strings.HasPrefix(ps.ID, p) {
				if !add(ps.ID+" "+ps.Text, ps.ID) {
					return out
				}
			}
		}
	}
	return out
}

// clip shortens s to at most n characters, at a word boundary, with an
// ellipsis.
func clip(s string, n int) string {
	rs := []rune(s)
	if len(rs) <= n {
		return s
	}
	cut := string(rs[:n-1])
	if i := strings.LastIndexByte(cut, ' '); i > n/2 {
		cut = cut[:i]
	}
	return cut + "…"
}

// Translate returns the passages with the given align keys ("digest/4.2")
// in lang: what a reply's language menu swaps it to. Keys with no version
// in lang are left out; none at all is an *InputError, as is a lang the
// index's table lacks.
func (b *Bot) Translate(keys []string, lang string) (Reply, error) {
	idx := b.Index()
	l, err := b.checkLang(idx, lang, false)
	if err != nil {
		return Reply{}, err
	}
	if l == "" {
		return Reply{}, b.inputError(idx.Languages().Fallback().Code, "error_unknown_language",
			"lang", strconv.Quote(lang), "choices", strings.Join(idx.Languages().Codes(), ", "))
	}
	r := Reply{Lang: l, Mode: ModeCite, Passages: []Quote{}, Related: []Quote{}}
	for _, k := range keys {
		if p, ok := idx.Aligned(k, l); ok {
			r.Passages = append(r.Passages, b.quote(idx, p, 1))
		}
	}
	if len(r.Passages) == 0 {
		return Reply{}, b.inputError(l, "error_translate_unavailable")
	}
	r.Source = sourceOf(idx, r.Passages)
	r.Versions = versions(idx, r.Passages)
	r.Answer = b.renderExtractive(r)
	r.Notes = b.sourceNotes(r)
	return r, nil
}

// AlignKey returns the key that Translate takes for a quote.
func (q Quote) AlignKey() string { return q.Doc + "/" + q.ID }

// ChapterName is the quote's chapter as the document prints it ("IV"), or
// its number.
func (q Quote) ChapterName() string {
	return corpus.Passage{Chapter: q.Chapter, ChapterLabel: q.ChapterLabel}.ChapterName()
}
