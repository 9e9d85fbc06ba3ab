package lang

import (
	"maps"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
	"golang.org/x/text/width"
)

// Fold lower-cases s and reads it the same however it was typed:
// diacritics are stripped from Latin letters ("Développement",
// "developpement" and "DÉVELOPPEMENT" fold alike), ё is е, full-width
// Latin letters and digits are narrow and half-width katakana wide
// ("ＡＩ", "１", "ｱ"), and typographic apostrophes are straight. The marks
// of other scripts are letters of their own and stay: й is not и, が is
// not か.
func Fold(s string) string {
	if isASCII(s) { // nothing to strip or replace: most English text
		return strings.ToLower(s)
	}
	// Width first: a half-width voiced mark (ﾞ) becomes a spacing one,
	// made combining so that NFC joins it to its kana (ｶﾞ is ガ).
	s = norm.NFC.String(kanaMarks.Replace(width.Fold.String(s)))
	latin := latinFolds()
	var b strings.Builder
	b.Grow(len(s))
	prevLatin := false
	for _, r := range s {
		switch {
		case r < 0x80:
			b.WriteRune(unicode.ToLower(r))
			prevLatin = unicode.IsLetter(r)
			continue
		case unicode.Is(unicode.Mn, r):
			// A combining mark NFC could not compose: dropped after a
			// Latin letter, kept after any other.
			if !prevLatin {
				b.WriteRune(r)
			}
			continue
		}
		if f, ok := latin[r]; ok {
			b.WriteString(f)
			prevLatin = true
			continue
		}
		switch r {
		case 'ё', 'Ё':
			r = 'е'
		case '’', '‘', 'ʼ':
			r = '\''
		}
		b.WriteRune(unicode.ToLower(r))
		prevLatin = unicode.Is(unicode.Latin, r)
	}
	return b.String()
}

// kanaMarks turns the spacing voiced and semi-voiced marks into their
// combining forms.
var kanaMarks = strings.NewReplacer("\u309B", "\u3099", "\u309C", "\u309A")

// latinFolds maps each accented or ligatured Latin letter to its folded
// form ("É" to "e", "œ" to "oe"). It is built once and only read.
var latinFolds = sync.OnceValue(func() map[rune]string {
	ligatures := map[rune]string{'œ': "oe", 'Œ': "oe", 'æ': "ae", 'Æ': "ae"}
	m := maps.Clone(ligatures)
	for _, block := range [][2]rune{{0x00C0, 0x024F}, {0x1E00, 0x1EFF}} {
		for r := block[0]; r <= block[1]; r++ {
			if !unicode.Is(unicode.Latin, r) {
				continue
			}
			if _, ok := m[r]; ok {
				continue
			}
			// A ligature under an accent ("ǽ") folds as the ligature does,
			// so that folding twice changes nothing.
			var base strings.Builder
			for _, d := range norm.NFD.String(string(r)) {
				if lig, ok := ligatures[d]; ok {
					base.WriteString(lig)
				} else if !unicode.Is(unicode.Mn, d) {
					base.WriteRune(unicode.ToLower(d))
				}
			}
			m[r] = base.String()
		}
	}
	return m
})

// Unfolded returns the part of s that Fold turns into Fold(s)[start:end]:
// the text as it was typed, in its own case, digits and accents. ok is
// false when folding leaves no boundary of s at the span's ends.
func Unfolded(s string, start, end int) (typed string, ok bool) {
	if isASCII(s) { // Fold lower-cases it alone, byte for byte
		if 0 <= start && start <= end && end <= len(s) {
			return s[start:end], true
		}
		return "", false
	}
	from := -1
	for i := 0; i <= len(s); i++ {
		if i < len(s) && !utf8.RuneStart(s[i]) {
			continue
		}
		n := len(Fold(s[:i]))
		if from < 0 && n == start {
			from = i
		}
		if from >= 0 && n == end {
			return s[from:i], true
		}
		if n > end {
			break
		}
	}
	return "", false
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// script classes of Tokens: a word never spans two of the CJK ones.
const (
	otherScript = iota
	hanScript
	hiraganaScript
	katakanaScript
)

func scriptOf(r rune, cur int) int {
	switch {
	case unicode.Is(unicode.Han, r) || r == '々':
		return hanScript
	case unicode.Is(unicode.Hiragana, r):
		return hiraganaScript
	case unicode.Is(unicode.Katakana, r):
		return katakanaScript
	case r == 'ー' && (cur == katakanaScript || cur == hiraganaScript):
		return cur // the long-vowel mark belongs to the kana before it
	}
	return otherScript
}

// Tokens splits folded text into words: runs of letters and digits. A
// French elision ("l'", "qu'") is dropped from the word it is attached to,
// an English possessive "'s" is dropped, and a hyphen splits words
// ("Asie-Japon" gives two). Decimal numbers stay whole ("4.2").
//
// Text without spaces is cut where the script changes (kanji, hiragana,
// katakana, other), and a run of kanji gives its overlapping pairs, as
// Lucene's CJK analyser does: "重要鉱物" gives 重要, 要鉱, 鉱物, which match
// the same pairs in any longer or shorter compound. A katakana run is a
// word ("アフガニスタン"), and katakana words joined by a middle dot or a
// double hyphen give their compound as well: "ミドル・コリドー" gives ミドル,
// コリドー and ミドルコリドー, as the same name is typed with or without the
// dot.
func (t *Table) Tokens(folded string) []string {
	elisions := t.parsed().elisions
	var out []string
	var b strings.Builder
	cur := otherScript
	// compound is the katakana written so far of words joined by a middle
	// dot or a double hyphen, and joined whether the next comes straight
	// after such a mark.
	compound, joined := "", false
	emit := func() {
		if b.Len() == 0 {
			return
		}
		w := b.String()
		b.Reset()
		if cur == katakanaScript {
			out = append(out, w)
			if joined && compound != "" {
				compound += w
				out = append(out, compound)
			} else {
				compound = w
			}
			joined = false
			return
		}
		compound, joined = "", false
		if cur != hanScript {
			out = append(out, w)
			return
		}
		rs := []rune(w)
		if len(rs) == 1 {
			out = append(out, w)
			return
		}
		for i := 0; i+1 < len(rs); i++ {
			out = append(out, string(rs[i:i+2]))
		}
	}
	rs := []rune(folded)
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if s := scriptOf(r, cur); s != cur {
				emit()
				cur = s
			}
			b.WriteRune(r)
		case r == '\'' && b.Len() > 0:
			w := b.String()
			if elisions[w] && i+1 < len(rs) && unicode.IsLetter(rs[i+1]) {
				b.Reset() // l'accord -> accord
				continue
			}
			if i+1 < len(rs) && rs[i+1] == 's' && (i+2 >= len(rs) || !unicode.IsLetter(rs[i+2])) {
				i++ // Japan's -> Japan
			}
			emit()
		case (r == '.' || r == ',') && b.Len() > 0 && IsNumber(b.String()) && i+1 < len(rs) && unicode.IsDigit(rs[i+1]):
			b.WriteRune('.')
		case (r == '・' || r == '=' || r == '゠') && cur == katakanaScript && i+1 < len(rs) && unicode.Is(unicode.Katakana, rs[i+1]):
			emit()
			joined = true
		default:
			emit()
			compound, joined = "", false
		}
	}
	emit()
	return out
}

// IsNumber reports whether s is digits, with decimal points.
func IsNumber(s string) bool {
	for _, r := range s {
		if !unicode.IsDigit(r) && r != '.' {
			return false
		}
	}
	return s != ""
}
