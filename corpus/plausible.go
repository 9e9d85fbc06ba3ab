package corpus

import (
	"fmt"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// foldCompat replaces the compatibility characters that PDF fonts and
// web pages use for plain letters: ligatures (ﬁ, ﬂ, ﬀ, ﬃ, ﬄ, ﬅ, ﬆ) and
// full-width Latin letters and digits. Soft hyphens and zero-width
// characters are dropped. It is not NFKC: that would also turn "…"
// into "...", "½" into "1⁄2" and superscripts into digits, changing text
// that is printed as such.
func foldCompat(s string) string {
	if !strings.ContainsFunc(s, func(r rune) bool {
		return r >= 0xFB00 && r <= 0xFB06 || r >= 0xFF01 && r <= 0xFF5E || r == 0xAD || r >= 0x200B && r <= 0x200D || r == 0xFEFF || r == 0x2060
	}) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= 0xFB00 && r <= 0xFB06:
			b.WriteString([...]string{"ff", "fi", "fl", "ffi", "ffl", "st", "st"}[r-0xFB00])
		case r >= 0xFF01 && r <= 0xFF5E:
			b.WriteRune(r - 0xFEE0)
		case r == 0xAD, r >= 0x200B && r <= 0x200D, r == 0xFEFF, r == 0x2060:
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// dehyphenate mends words that a line break cut in the lines of each
// paragraph, deciding from the document's own words whether a hyphen at
// the end of a line is the typesetter's or the word's (see keepHyphen).
// A dash or a slash that ends a line joins the next without a space
// ("Japan–" + "Central Asia", "testdata/" + "golden"), and so does a
// hyphen after another sign ("--" + "check").
func dehyphenate(bs []block) []block {
	words := docWords{count: map[string]int{}, tails: map[string]int{}}
	for _, b := range bs {
		for _, l := range b.lines {
			for _, w := range strings.Fields(l) {
				words.add(strings.ToLower(strings.TrimFunc(w, isEdgePunct)))
			}
		}
	}
	for bi := range bs {
		b := &bs[bi]
		if b.list || b.level > 0 {
			continue
		}
		var out []string
		lines := append([]string(nil), b.lines...)
		for i := 0; i < len(lines); i++ {
			l := lines[i]
			for i+1 < len(lines) {
				cut, keep := lineEndCut(l)
				if cut == "" {
					break
				}
				first, rest, _ := strings.Cut(lines[i+1], " ")
				if !keep && !keepHyphen(l[strings.LastIndexByte(l, ' ')+1:len(l)-1], first, words) {
					l = l[:len(l)-1]
				}
				l += first
				lines[i+1] = rest
				if rest != "" {
					break
				}
				lines = append(lines[:i+1], lines[i+2:]...)
			}
			out = append(out, l)
		}
		b.lines = out
	}
	return bs
}

// docWords is what a document's own text says about its words: how
// often each is written (lower case, a line-end fragment like "inter-"
// included), and which words end a hyphenated compound written whole on
// one line ("term" of "long-term"). First halves are not kept: they are
// mostly prefixes that also make closed words ("Trans-Caspian" beside
// "transportent", "co-chair" beside "cooperation").
type docWords struct {
	count, tails map[string]int
}

func (d docWords) add(w string) {
	d.count[w]++
	if inner := strings.Trim(w, "-"); strings.IndexByte(inner, '-') > 0 {
		d.tails[inner[strings.LastIndexByte(inner, '-')+1:]]++
	}
}

// keepHyphen decides whether "stem-" at the end of a line and "next" at
// the start of the following one are a hyphenated word or one word cut
// by the typesetter, from how the document writes them elsewhere: the
// hyphenated or the whole form seen elsewhere decides. Then a stem that
// is already a compound ("people-to-" + "people") keeps its hyphen unless
// its last part and next make a word the document uses while next alone
// is not one ("people-to-peo-" + "ple"); a next that ends another
// compound of the document ("long-" + "term" beside "medium-term") keeps
// it; otherwise a capital or digit after the break
// keeps the hyphen ("Kassym-Jomart", "COVID-19") unless one half is an
// identifier in camel case ("RestartPreventExit-Status"); anything else
// is a cut word ("inter-national"). Halves that are words of their own
// decide nothing: "out-come" and "les-quels" are cut words too. A
// compound met once, at a line end, with nothing like it in the text, is
// mended wrongly ("mid-sentence"): nothing on the page tells it from a
// cut word.
func keepHyphen(stem, next string, words docWords) bool {
	s := strings.ToLower(strings.TrimLeftFunc(stem, isEdgePunct))
	w := strings.ToLower(strings.TrimFunc(next, isEdgePunct))
	hyphenated, whole := words.count[s+"-"+w] > 0, words.count[s+w] > 0
	if hyphenated != whole {
		return hyphenated
	}
	if i := strings.LastIndexByte(s, '-'); i >= 0 {
		last := s[i+1:]
		return last == "" || words.count[last+w] == 0 || words.count[w] > 1 // next itself is counted once
	}
	if words.tails[w] > 0 {
		return true
	}
	r, _ := utf8.DecodeRuneInString(next)
	return (unicode.IsUpper(r) || unicode.IsDigit(r)) && !camel(stem) && !camel(next)
}

// camel reports whether s has a lower-case letter followed by a capital,
// as identifiers do.
func camel(s string) bool {
	prev := false
	for _, r := range s {
		if prev && unicode.IsUpper(r) {
			return true
		}
		prev = unicode.IsLower(r)
	}
	return false
}

// lineEndCut reports whether a line ends inside a word: a hyphen after a
// letter (cut is "-", to be decided), or a dash after a letter, a slash,
// or a hyphen after another sign (keep set: joined as they are).
func lineEndCut(l string) (cut string, keep bool) {
	r, n := utf8.DecodeLastRuneInString(l)
	if n == 0 || n == len(l) {
		return "", false
	}
	p, _ := utf8.DecodeLastRuneInString(l[:len(l)-n])
	if unicode.IsSpace(p) {
		return "", false
	}
	switch {
	case r == '-' && unicode.IsLetter(p):
		return "-", false
	case r == '-' || r == '/':
		return string(r), true
	case (r == '–' || r == '—') && unicode.IsLetter(p):
		return string(r), true
	}
	return "", false
}

func isEdgePunct(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '-' }

// plausibility reads a parsed document as a maintainer would and says
// what suggests a bad extraction: characters the fonts did not map,
// words spread out letter by letter or cut in two, and a passage far
// longer than the others (paragraphs run together).
func plausibility(d *Document) []string {
	var warns []string
	ps := d.Passages()
	bad, badIn := 0, []string{}
	for _, p := range ps {
		n := 0
		for _, r := range p.Text {
			if r == utf8.RuneError || r >= 0xE000 && r <= 0xF8FF || unicode.IsControl(r) && r != '\n' && r != '\t' {
				n++
			}
		}
		if n > 0 {
			bad += n
			badIn = append(badIn, p.ID)
		}
	}
	if bad > 0 {
		warns = append(warns, fmt.Sprintf("%s not mapped to letters (a broken font map?) in %s %s", plural(bad, "character is", "characters are"),
			plural(len(badIn), "passage", "passages"), strings.Join(firstN(badIn, 5), ", ")))
	}
	if s := spreadWords(ps); s != "" {
		warns = append(warns, s)
	}
	if len(ps) >= 5 {
		lens := make([]int, len(ps))
		for i, p := range ps {
			lens[i] = utf8.RuneCountInString(p.Text)
		}
		sorted := append([]int(nil), lens...)
		sort.Ints(sorted)
		median := sorted[len(sorted)/2]
		for i, n := range lens {
			if n > 4*median && n > 2000 {
				warns = append(warns, fmt.Sprintf("passage %s is %d characters long, %d times the usual length: paragraphs may have run together", ps[i].ID, n, n/max(median, 1)))
			}
		}
	}
	return warns
}

func firstN(s []string, n int) []string {
	if len(s) > n {
		return append(s[:n:n], "…")
	}
	return s
}

// spreadWords looks for words a PDF reader takes apart: letters set one
// by one ("T o k y o"), or a word cut in two where the halves never occur
// apart elsewhere while the whole does ("T okyo", "of ficials").
func spreadWords(ps []Passage) string {
	var toks [][]string
	vocab, pairs := map[string]int{}, map[[2]string]int{}
	for _, p := range ps {
		var t []string
		for i, w := range strings.Fields(p.Text) {
			w = strings.ToLower(strings.TrimFunc(w, isEdgePunct))
			t = append(t, w)
			vocab[w]++
			if i > 0 {
				pairs[[2]string{t[i-1], w}]++
			}
		}
		toks = append(toks, t)
	}
	spaced, split := 0, 0
	var examples []string
	for _, t := range toks {
		run := 0
		for i, w := range t {
			if utf8.RuneCountInString(w) == 1 && unicode.IsLetter([]rune(w)[0]) {
				run++
				if run == 4 {
					spaced++
					examples = append(examples, strings.Join(t[i-3:i+1], " "))
				}
			} else {
				run = 0
			}
			if i == 0 || w == "" || t[i-1] == "" {
				continue
			}
			whole := t[i-1] + w
			// The second half is not a word of its own anywhere else.
			if vocab[whole] > 0 && vocab[w] == pairs[[2]string{t[i-1], w}] && utf8.RuneCountInString(w) >= 2 {
				split++
				if len(examples) < 3 {
					examples = append(examples, t[i-1]+" "+w)
				}
			}
		}
	}
	words := 0
	for _, n := range vocab {
		words += n
	}
	if spaced >= 3 || split >= 3 && split*200 >= words {
		return fmt.Sprintf("words look taken apart (%d spread letter by letter, %d cut in two, e.g. %s): the PDF's spacing was misread", spaced, split, quoteList(examples, 3))
	}
	return ""
}
