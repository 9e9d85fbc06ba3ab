package bot

import (
	"fmt"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Verification counts what was checked in a model-written answer. Citations
// counts cited ids ([4.2, 5.1] is two), Quotes the quoted spans, Failed the
// failures found in the answer shown or rejected last, Retried how many
// times the model was asked again.
type Verification struct {
	Citations int `json:"citations"`
	Quotes    int `json:"quotes"`
	Failed    int `json:"failed"`
	Retried   int `json:"retried"`
}

// FailureKind says what is wrong with a written answer.
type FailureKind int

// Failure kinds.
const (
	// UnknownCitation: a cited id is not one of the passages given.
	UnknownCitation FailureKind = iota + 1
	// QuoteNotInCited: a quote is not verbatim in the passage its citation
	// names.
	QuoteNotInCited
	// QuoteNotFound: a quote without a citation in its sentence is not
	// verbatim in any passage given.
	QuoteNotFound
	// UnclosedQuote: a quotation mark is never closed.
	UnclosedQuote
	// NoCitation: the answer cites nothing, so nothing in it can be checked.
	NoCitation
)

// Failure is one problem found by Verify, worded (by String) for the model
// to correct on a retry.
type Failure struct {
	Kind FailureKind
	// Quote is the quoted text as written (quote failures).
	Quote string
	// IDs are the ids cited (citation failures: the unknown id; quote
	// failures: the ids the quote was checked against).
	IDs []string
	// FoundIn is a given passage that does hold the quote, if any.
	FoundIn string
}

func (f Failure) String() string {
	switch f.Kind {
	case UnknownCitation:
		return fmt.Sprintf("[%s] is not one of the given passages", strings.Join(f.IDs, ", "))
	case QuoteNotInCited:
		s := fmt.Sprintf("the quote %q is not word for word in passage %s", f.Quote, strings.Join(f.IDs, ", "))
		if f.FoundIn != "" {
			s += fmt.Sprintf(" (it is in passage %s)", f.FoundIn)
		}
		return s
	case QuoteNotFound:
		return fmt.Sprintf("the quote %q is not word for word in any given passage", f.Quote)
	case UnclosedQuote:
		return fmt.Sprintf("the quotation mark before %q is never closed", clip(f.Quote, 40))
	case NoCitation:
		return "the answer cites no passage id in square brackets"
	}
	return "unknown failure"
}

// Check is the result of Verify: counts, failures, and what is needed to
// render the text with verified quotes marked.
type Check struct {
	Verification
	Failures []Failure

	text  string
	spans []span
}

// OK reports whether the answer passed: no failure at all.
func (c Check) OK() bool { return len(c.Failures) == 0 }

type spanKind int

const (
	quoteSpan spanKind = iota + 1
	citeSpan
)

// span is a quote or a citation in the answer.
type span struct {
	kind       spanKind
	start, end int    // byte offsets of the whole span, marks included
	inner      string // the text between the marks
	ids        []string
	known      []bool // citeSpan: whether each id was given
	closed     bool
	block      bool // a Markdown block quote line
	verified   bool
	sentence   int
}

// quoted returns what a quote span quotes: its text less the surrounding
// marks, spaces, cut ellipses and trailing punctuation.
func (s span) quoted() string {
	inner := s.inner
	if s.block {
		// A rendered block quote carries its ✓ inside the line.
		inner = strings.TrimSuffix(strings.TrimSpace(inner), "✓")
		inner = strings.Trim(inner, " \t\"“”«»„")
	}
	return strings.TrimSpace(trimQuote(inner))
}

// quoteClosers maps an opening quotation mark to its closing marks. The
// straight single quote is not a quotation mark here, being mostly an
// apostrophe; a curly one closes ‘…’ only when no letter follows it
// (don’t).
var quoteClosers = map[rune]string{
	'"': `"`,
	'“': "”",
	'«': "»",
	'„': "“”",
	'‘': "’",
}

// Verify checks a model-written answer against the passages it was given
// (id → text): every cited id ([4.2], [4.2, 5.1], [¶4.2]) must be given, and
// every quoted span ("…", “…”, « … », „…“, ‘…’, and Markdown block quote
// lines "> …", which Discord shows as quotes) must occur verbatim in the
// passage cited nearest to it in the same sentence (the next citation, else
// the previous one) or, when its sentence cites nothing, in any given
// passage. Matching ignores differences of whitespace, case, and
// typographic quotes and apostrophes; leading and trailing ellipses and
// trailing punctuation inside the marks are not part of the quote. An answer
// that cites nothing fails too.
func Verify(text string, passages map[string]string) Check {
	c := Check{text: text, spans: scan(text)}
	normed := make(map[string]string, len(passages))
	norm := func(id string) string {
		n, ok := normed[id]
		if !ok {
			n = normalize(passages[id])
			normed[id] = n
		}
		return n
	}
	ids := make([]string, 0, len(passages))
	for id := range passages {
		ids = append(ids, id)
	}
	slices.Sort(ids)

	for i := range c.spans {
		s := &c.spans[i]
		if s.kind != citeSpan {
			continue
		}
		s.known = make([]bool, len(s.ids))
		for j, id := range s.ids {
			c.Citations++
			if _, ok := passages[id]; ok {
				s.known[j] = true
				continue
			}
			c.Failures = append(c.Failures, Failure{Kind: UnknownCitation, IDs: []string{id}})
		}
	}
	for i := range c.spans {
		s := &c.spans[i]
		if s.kind != quoteSpan {
			continue
		}
		q := normalize(s.quoted())
		if q == "" && s.closed {
			continue // "" or "…": nothing quoted
		}
		c.Quotes++
		if !s.closed {
			c.Failures = append(c.Failures, Failure{Kind: UnclosedQuote, Quote: s.inner})
			continue
		}
		foundIn := func(cands []string) string {
			for _, id := range cands {
				if _, ok := passages[id]; ok && strings.Contains(norm(id), q) {
					return id
				}
			}
			return ""
		}
		if cite := c.attribution(i); cite != nil {
			if foundIn(cite.ids) != "" {
				s.verified = true
				continue
			}
			c.Failures = append(c.Failures, Failure{Kind: QuoteNotInCited, Quote: s.inner, IDs: cite.ids, FoundIn: foundIn(ids)})
			continue
		}
		if foundIn(ids) != "" {
			s.verified = true
			continue
		}
		c.Failures = append(c.Failures, Failure{Kind: QuoteNotFound, Quote: s.inner})
	}
	if c.Citations == 0 {
		c.Failures = append(c.Failures, Failure{Kind: NoCitation})
	}
	c.Failed = len(c.Failures)
	return c
}

// attribution returns the citation a quote is checked against: the first
// one after it in its sentence, else the last one before it, else nil.
func (c *Check) attribution(q int) *span {
	sent := c.spans[q].sentence
	for j := q + 1; j < len(c.spans) && c.spans[j].sentence == sent; j++ {
		if c.spans[j].kind == citeSpan {
			return &c.spans[j]
		}
	}
	for j := q - 1; j >= 0 && c.spans[j].sentence == sent; j-- {
		if c.spans[j].kind == citeSpan {
			return &c.spans[j]
		}
	}
	return nil
}

// scan finds the quotes and citations of text, in order, numbering
// sentences. A sentence ends at . ! or ? followed by a space or the end, or
// at a line break, outside quotes and brackets.
func scan(text string) []span {
	var spans []span
	sentence := 0
	for i := 0; i < len(text); {
		if i == 0 || text[i-1] == '\n' {
			if start, innerStart, end, ok := blockQuote(text, i); ok {
				spans = append(spans, span{kind: quoteSpan, block: true, start: start, end: end,
					inner: text[innerStart:end], closed: true, sentence: sentence})
				i = end
				continue
			}
		}
		r, size := utf8.DecodeRuneInString(text[i:])
		if closers, ok := quoteClosers[r]; ok {
			s := span{kind: quoteSpan, start: i, sentence: sentence}
			end, innerEnd := closeQuote(text, i+size, r, closers)
			s.end, s.inner, s.closed = end, text[i+size:innerEnd], end > innerEnd
			spans = append(spans, s)
			i = end
			continue
		}
		if r == '[' {
			if j := strings.IndexByte(text[i+1:min(len(text), i+1+80)], ']'); j >= 0 {
				inner := text[i+1 : i+1+j]
				if ids, ok := parseCitation(inner); ok {
					spans = append(spans, span{kind: citeSpan, start: i, end: i + j + 2, inner: inner, ids: ids, sentence: sentence})
					i += j + 2
					continue
				}
			}
		}
		switch r {
		case '\n':
			sentence++
		case '.', '!', '?':
			if next, _ := utf8.DecodeRuneInString(text[i+size:]); i+size == len(text) || unicode.IsSpace(next) {
				sentence++
			}
		}
		i += size
	}
	return spans
}

// closeQuote finds the mark closing a quote opened by open, whose content
// starts at from. It returns the end of the quote (after the closing mark)
// and the end of its content; they are equal, at the end of text, when the
// quote is never closed. Marks that differ from their closer nest.
func closeQuote(text string, from int, open rune, closers string) (end, innerEnd int) {
	depth := 0
	for i := from; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		switch {
		case r == '’' && i+size < len(text) && isWordRune(text[i+size:]):
			// an apostrophe, not a closing mark
		case strings.ContainsRune(closers, r) && depth == 0:
			return i + size, i
		case strings.ContainsRune(closers, r):
			depth--
		case r == open:
			depth++
		}
		i += size
	}
	return len(text), len(text)
}

func isWordRune(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}

// blockQuote reports whether a Markdown block quote ("> text") starts at
// i, the start of a line, and returns the span of its text: the rest of the
// line, less a citation ending it, which stays outside to be attributed.
func blockQuote(text string, i int) (start, innerStart, end int, ok bool) {
	j := i
	for j < len(text) && (text[j] == ' ' || text[j] == '\t') {
		j++
	}
	if j >= len(text) || text[j] != '>' {
		return 0, 0, 0, false
	}
	lineEnd := len(text)
	if k := strings.IndexByte(text[j:], '\n'); k >= 0 {
		lineEnd = j + k
	}
	end = lineEnd
	line := strings.TrimRight(text[j:lineEnd], " \t.")
	if strings.HasSuffix(line, "]") {
		if lb := strings.LastIndexByte(line, '['); lb > 0 {
			// [?] is Render's mark for a citation of unknown ids.
			if _, cite := parseCitation(line[lb+1 : len(line)-1]); cite || line[lb:] == "[?]" {
				end = j + lb
			}
		}
	}
	return j, j + 1, end, true
}

// parseCitation parses the inside of square brackets as a list of passage
// ids: "4.2", "4.2, 5.1", "¶4.2; ¶5.1", "§ 4.2", "mou-3.1". An id has a
// digit and only letters, digits and . _ - / :. Brackets holding anything
// else are not citations, unless they start with ¶ or § (then the odd parts
// are kept, to be reported as unknown).
func parseCitation(inner string) ([]string, bool) {
	inner = strings.TrimSpace(inner)
	explicit := strings.HasPrefix(inner, "¶") || strings.HasPrefix(inner, "§")
	parts := strings.FieldsFunc(inner, func(r rune) bool { return r == ',' || r == ';' })
	if len(parts) == 0 {
		return nil, false
	}
	ids := make([]string, 0, len(parts))
	for _, p := range parts {
		id := strings.TrimSpace(strings.TrimLeft(strings.TrimSpace(p), "¶§"))
		if !isID(id) && !explicit {
			return nil, false
		}
		if id != "" {
			ids = append(ids, id)
		}
	}
	return ids, len(ids) > 0
}

func isID(s string) bool {
	digit := false
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digit = true
		case unicode.IsLetter(r), r == '.', r == '_', r == '-', r == '/', r == ':':
		default:
			return false
		}
	}
	return digit
}

// trimQuote removes what surrounds a quotation without being part of it:
// spaces (« x »), ellipses marking a cut at either end, and trailing
// punctuation placed inside the marks.
func trimQuote(s string) string {
	for {
		t := strings.TrimSpace(s)
		t = strings.TrimPrefix(t, "…")
		t = strings.TrimPrefix(t, "...")
		t = strings.TrimPrefix(t, "[…]")
		t = strings.TrimPrefix(t, "[...]")
		t = strings.TrimSuffix(t, "…")
		t = strings.TrimSuffix(t, "...")
		t = strings.TrimSuffix(t, "[…]")
		t = strings.TrimSuffix(t, "[...]")
		t = strings.TrimRight(t, ".,;:!?")
		if t == s {
			return t
		}
		s = t
	}
}

// normalize folds what Verify does not count as a difference: runs of
// whitespace become one space; typographic double quotes become ", single
// quotes and apostrophes become '; soft hyphens and zero-width characters
// go; letters are lower-cased. Leading and trailing space is dropped.
func normalize(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		switch r {
		case '“', '”', '„', '‟', '«', '»', '″':
			r = '"'
		case '‘', '’', '‚', '‛', '′', '`':
			r = '\''
		case '\u00ad', '\u200b', '\u200c', '\u200d', '\u2060', '\ufeff':
			continue
		}
		if unicode.IsSpace(r) {
			space = b.Len() > 0
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}

// Render returns the answer for display: verified quotes keep their marks
// and get a ✓; a quote that did not verify is never shown, as a quote or
// otherwise: it is replaced by […], the mark of a cut; an unclosed quote
// (text still arriving) is cut at its opening mark; unknown ids are dropped
// from citations, and a citation of unknown ids only becomes [?]. Render
// works on partial, streamed text too.
func (c Check) Render() string {
	var b strings.Builder
	b.Grow(len(c.text) + 16)
	last := 0
	for _, s := range c.spans {
		b.WriteString(c.text[last:s.start])
		last = s.end
		switch s.kind {
		case quoteSpan:
			switch {
			case !s.closed:
				b.WriteString("…")
			case s.verified:
				b.WriteString(strings.TrimRight(c.text[s.start:s.end], " \t"))
				b.WriteString(" ✓")
				if s.block && s.end < len(c.text) && c.text[s.end] != '\n' {
					b.WriteByte(' ')
				}
			case s.quoted() == "":
				b.WriteString(c.text[s.start:s.end])
			default:
				b.WriteString("[…]")
			}
		case citeSpan:
			var keep []string
			for j, id := range s.ids {
				if s.known[j] {
					keep = append(keep, id)
				}
			}
			switch {
			case len(keep) == len(s.ids):
				b.WriteString(c.text[s.start:s.end])
			case len(keep) > 0:
				b.WriteString("[" + strings.Join(keep, ", ") + "]")
			default:
				// Not dropped outright: joining the text around it could
				// make a new citation ("[[9.9]0]" would become "[0]").
				b.WriteString("[?]")
			}
		}
	}
	b.WriteString(c.text[last:])
	return b.String()
}

// Cited returns the given ids the answer cites, in order of first citation.
func (c Check) Cited() []string {
	var ids []string
	for _, s := range c.spans {
		if s.kind != citeSpan {
			continue
		}
		for j, id := range s.ids {
			if s.known[j] && !slices.Contains(ids, id) {
				ids = append(ids, id)
			}
		}
	}
	return ids
}
