// Package lang declares the languages declbot reads, searches and answers
// in, and the text analysis that depends on them. Each language is one
// entry of a Table: its code, its name in itself and in English, how a
// text in it is told (its script, or its function words), its stemmer, its
// stopwords, the words that frame a question or only chat, and its
// everyday words. Everything that varies by language asks the table
// rather than naming languages itself, so adding a language is one entry
// here plus its message catalogue.
//
// It is the only package that imports the Snowball stemmers.
package lang

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// Codes of the languages of the default table.
const (
	English  = "en"
	French   = "fr"
	Russian  = "ru"
	Japanese = "ja"
)

// Language is one entry of the table. Word lists are space-separated and
// written folded (see Fold), as Tokens gives words.
type Language struct {
	// Code is the ISO 639-1 code: "en", "fr", "ru", "ja". It is also the
	// tag of the language's words in the lexicon ("fr:ia").
	Code string
	// Name is the language's name in itself ("Français", "日本語"), as a
	// language menu shows it.
	Name string
	// EnglishName is its name in English, for logs and documentation.
	EnglishName string
	// Preamble is the title given to a document's text before its first
	// chapter ("Preamble", "前文").
	Preamble string
	// Script holds the letters that tell the language by themselves
	// (Cyrillic; kana and kanji). Languages without one share the Latin
	// script and are told apart by Markers, Hints and Accents.
	Script []*unicode.RangeTable
	// Stem reduces a folded word to its stem; nil leaves words whole.
	Stem func(string) string
	// Stopwords carry no content in a text of the language.
	Stopwords string
	// Framing words frame a question without saying what it is about
	// ("what does the declaration say about"). They are dropped from
	// questions only, never from the corpus.
	Framing string
	// FramingForms says that Framing holds one form of each word and any
	// other form of it (the same stem) frames too: Russian declines and
	// conjugates each word into a dozen forms, where the English and
	// French lists spell theirs out ("say says said").
	FramingForms bool
	// Overview words ask for the whole text rather than one of its
	// subjects ("summary", "tldr", "résumé", "вкратце", "要約"); Document
	// words name the text or what it says ("declaration", "say", "about",
	// "宣言"). Both frame a question as Framing words do (and take
	// FramingForms). A question framed by them alone asks for an overview;
	// after a sentence of context, only one with an Overview word does:
	// "my dad is a trucker. what does it say?" asks about trucks.
	Overview string
	Document string
	// Pointed words ask for one fact ("when", "where", "who"; "quand";
	// "когда"; "いつ"): a question with one never asks for an overview,
	// whatever else it says ("c'est quand la déclaration ?").
	Pointed string
	// About words say what a question is about: the content word after
	// one ("about water", "niveau santé", "про воду"), or before one in a
	// language whose markers follow their noun (AboutFollows: Japanese
	// "水について"), is its subject, however everyday (see Subjects).
	About        string
	AboutFollows bool
	// Amount words ask for a number ("how-many"; "combien"; "сколько";
	// "いくら"; a hyphen joins words in a row), Dates words for a date
	// ("when", "quand", "когда", "いつ"), and Numbers are the language's
	// words for numbers from two up ("three", "million"; "трлн"; "三つ"),
	// with which a text states one as it does with digits. A question
	// that asks for a number is not answered by a passage that states
	// none; one that asks for a date prefers a passage that states one
	// (see AsksNumber, HoldsNumber). Entries written in kana or kanji are
	// found inside longer words.
	Amount  string
	Dates   string
	Numbers string
	// Chat words are greetings, thanks and shorthand: how a message is
	// typed, never what it asks.
	Chat string
	// Interrogatives are the words that open a question, and requests
	// that open a sentence ("what", "is", "tell"; "combien", "est-ce";
	// "сколько", "расскажи"): a sentence whose first word is one asks,
	// though chat often leaves out its question mark. Two words joined by
	// a hyphen stand for two words in a row ("est-ce"). Words that also
	// open a clause of a statement ("when", "quand", "когда", "как") are
	// left out, or listed with the verb that puts them in a question
	// ("when-did": "when did it start", not "when i was there"). See Asks.
	Interrogatives string
	// Connectives may stand before a question's first word ("so whats",
	// "et combien", "а сколько").
	Connectives string
	// QuestionParticles mark a question wherever they stand (Russian ли).
	QuestionParticles string
	// QuestionEndings end a question where the language puts its mark in
	// words (Japanese か, の), unless a full stop follows or the sentence
	// ends in one of StatementEndings (もの, とか); RequestEndings end a
	// request, full stop or not (教えて, 知りたい).
	QuestionEndings  string
	StatementEndings string
	RequestEndings   string
	// SceneEndings end a clause that sets the scene for the question
	// after it, within one sentence (Japanese けど、: "I saw it on the
	// news, but…"): a message is read as if a sentence ended there.
	SceneEndings string
	// Markers are frequent function words, evidence of the language.
	Markers string
	// Hints are strings whose every occurrence is evidence of the language
	// as a marker is ("l'", "est-ce"); each letter of Accents is half that.
	Hints   []string
	Accents string
	// Elisions are the clitics written before an apostrophe and dropped
	// from the word they are attached to ("l'accord").
	Elisions string
	// VerbEndings are endings that mark a word as a verb form
	// ("приезжал", "отправили"). A question's verbs seldom name what it is
	// about, which matters where no ranked everyday list tells a common
	// verb from a rare subject; see IsVerbForm.
	VerbEndings string
	// Everyday is the list of the language's everyday words, one per line,
	// commonest first; "#" lines are comments.
	Everyday string
	// Negations are the words that deny, refuse or forbid ("not",
	// "without", "reject", "ban"): a sentence holding one says the
	// opposite of the same sentence without it, whatever its other words.
	// In a language with a stemmer any form of a listed word negates (its
	// stem: "rejected" as "reject"); an entry written in hiragana also
	// negates inside a longer run of it (Japanese endings: ない in
	// していない). See IsNegation.
	Negations string
}

// Table holds the known languages in their order of preference: the first
// is the fallback when a text's language cannot be told. A table is
// read-only once in use and safe for concurrent use.
type Table struct {
	langs []Language

	once sync.Once
	sets *sets
}

// sets are the table's word lists, parsed once.
type sets struct {
	stop    map[string]map[string]bool
	markers map[string]map[string]bool
	framing map[string]bool // any language's
	// asking holds, by language, the word lists that tell a sentence
	// that asks (see Asks).
	asking map[string]*askingWords
	// framingStems holds, by language, the stems of its framing words,
	// so that any form of a framing word frames ("упоминаются" as
	// "упоминается").
	framingStems map[string]map[string]bool
	// overview holds any language's Overview and Document words, true for
	// an Overview word; overviewStems, by language, the same for the
	// stems of its own where it has FramingForms.
	overview      map[string]bool
	overviewStems map[string]map[string]bool
	pointed       map[string]map[string]bool // by language
	about         map[string]map[string]bool // by language
	// amount, dates and numbers hold, by language, its Amount, Dates and
	// Numbers words (see phrases).
	amount, dates, numbers map[string]*phrases
	chat                   map[string]bool            // any language's
	chatOf                 map[string]map[string]bool // by language
	elisions               map[string]bool            // any language's
	// clitics holds each language's elisions, longest first.
	clitics map[string][]string
	ranks   *wordRanks
	// negations holds, by language, its Negations as written, their
	// stems (in a language with a stemmer), and those written in
	// hiragana, which negate inside a longer run.
	negations map[string]map[string]bool
	negStems  map[string]map[string]bool
	negKana   map[string][]string
}

// Default returns a new table of the languages declbot ships with.
func Default() *Table {
	t := &Table{}
	for _, l := range []Language{englishEntry(), frenchEntry(), russianEntry(), japaneseEntry()} {
		if err := t.Add(l); err != nil {
			panic(err) // the entries are fixed: a failure is a bug here
		}
	}
	return t
}

// Add registers l. Its code must be new and two lower-case letters. Add
// must not be called once the table is in use.
func (t *Table) Add(l Language) error {
	if len(l.Code) != 2 || l.Code[0] < 'a' || l.Code[0] > 'z' || l.Code[1] < 'a' || l.Code[1] > 'z' {
		return fmt.Errorf("language code %q: want two lower-case letters", l.Code)
	}
	if _, ok := t.Get(l.Code); ok {
		return fmt.Errorf("language %q: already in the table", l.Code)
	}
	if l.Name == "" {
		return fmt.Errorf("language %q: no name", l.Code)
	}
	t.langs = append(t.langs, l)
	return nil
}

// Get returns the language of code, and whether the table has it.
func (t *Table) Get(code string) (Language, bool) {
	for _, l := range t.langs {
		if l.Code == code {
			return l, true
		}
	}
	return Language{}, false
}

// Has reports whether the table holds code.
func (t *Table) Has(code string) bool {
	_, ok := t.Get(code)
	return ok
}

// Codes lists the codes of the table, in its order.
func (t *Table) Codes() []string {
	out := make([]string, len(t.langs))
	for i, l := range t.langs {
		out[i] = l.Code
	}
	return out
}

// All returns the table's languages, in its order.
func (t *Table) All() []Language {
	return slices.Clone(t.langs)
}

// Fallback is the language used when a text's cannot be told: the
// table's first.
func (t *Table) Fallback() Language {
	return t.langs[0]
}

func (t *Table) parsed() *sets {
	t.once.Do(func() {
		s := &sets{
			stop:          map[string]map[string]bool{},
			markers:       map[string]map[string]bool{},
			framing:       map[string]bool{},
			asking:        map[string]*askingWords{},
			framingStems:  map[string]map[string]bool{},
			overview:      map[string]bool{},
			pointed:       map[string]map[string]bool{},
			about:         map[string]map[string]bool{},
			amount:        map[string]*phrases{},
			dates:         map[string]*phrases{},
			numbers:       map[string]*phrases{},
			overviewStems: map[string]map[string]bool{},
			chat:          map[string]bool{},
			chatOf:        map[string]map[string]bool{},
			elisions:      map[string]bool{},
			clitics:       map[string][]string{},
			negations:     map[string]map[string]bool{},
			negStems:      map[string]map[string]bool{},
			negKana:       map[string][]string{},
		}
		for _, l := range t.langs {
			s.negations[l.Code] = wordSet(l.Negations)
			stems := map[string]bool{}
			for _, w := range strings.Fields(l.Negations) {
				w = Fold(w)
				if isHiragana(w) {
					s.negKana[l.Code] = append(s.negKana[l.Code], w)
				}
				if l.Stem != nil {
					stems[t.Stem(w, l.Code)] = true
				}
			}
			s.negStems[l.Code] = stems
			s.stop[l.Code] = wordSet(l.Stopwords)
			s.asking[l.Code] = &askingWords{
				openers:     wordSet(l.Interrogatives),
				connectives: wordSet(l.Connectives),
				particles:   wordSet(l.QuestionParticles),
				endings:     strings.Fields(Fold(l.QuestionEndings)),
				statements:  strings.Fields(Fold(l.StatementEndings)),
				requests:    strings.Fields(Fold(l.RequestEndings)),
				scenes:      strings.Fields(l.SceneEndings),
			}
			s.markers[l.Code] = wordSet(l.Markers)
			addWords(s.framing, l.Framing+" "+l.Overview+" "+l.Document)
			addOverview(s.overview, l, Fold)
			s.pointed[l.Code] = wordSet(l.Pointed)
			s.about[l.Code] = wordSet(l.About)
			s.amount[l.Code] = t.newPhrases(l.Amount, l.Code)
			s.dates[l.Code] = t.newPhrases(l.Dates, l.Code)
			s.numbers[l.Code] = t.newPhrases(l.Numbers, l.Code)
			if l.Stem != nil && l.FramingForms {
				stems := map[string]bool{}
				for _, w := range strings.Fields(l.Framing + " " + l.Overview + " " + l.Document) {
					stems[t.Stem(Fold(w), l.Code)] = true
				}
				s.framingStems[l.Code] = stems
				s.overviewStems[l.Code] = map[string]bool{}
				addOverview(s.overviewStems[l.Code], l, func(w string) string { return t.Stem(Fold(w), l.Code) })
			}
			addWords(s.chat, l.Chat)
			s.chatOf[l.Code] = wordSet(l.Chat)
			addWords(s.elisions, l.Elisions)
			cs := strings.Fields(Fold(l.Elisions))
			slices.SortStableFunc(cs, func(a, b string) int { return len(b) - len(a) })
			s.clitics[l.Code] = cs
		}
		s.ranks = newRanks(t.langs)
		t.sets = s
	})
	return t.sets
}

// addOverview adds l's Document words to m as false and its Overview
// words as true (an Overview word wins where a word is in both), each as
// key makes it.
func addOverview(m map[string]bool, l Language, key func(string) string) {
	for _, w := range strings.Fields(l.Document) {
		if k := key(w); !m[k] {
			m[k] = false
		}
	}
	for _, w := range strings.Fields(l.Overview) {
		m[key(w)] = true
	}
}

func wordSet(words string) map[string]bool {
	m := map[string]bool{}
	addWords(m, words)
	return m
}

func addWords(m map[string]bool, words string) {
	for _, w := range strings.Fields(words) {
		m[Fold(w)] = true
	}
}

// IsStop reports whether the folded word w carries no content in a text
// of language code: one of its stopwords, a stray letter ("a-t-il",
// initials) or a run of hiragana (Japanese grammar) in any language.
func (t *Table) IsStop(w, code string) bool {
	if len(w) == 1 && !IsNumber(w) {
		return true
	}
	if isHiragana(w) {
		return true
	}
	return t.parsed().stop[code][w]
}

// IsFraming reports whether the folded word w frames a question in any
// language of the table: chat mixes languages ("thanks", "merci").
func (t *Table) IsFraming(w string) bool { return t.parsed().framing[w] }

// IsFramingIn reports whether the folded word w frames a question in
// language code: as IsFraming, or, for a language whose list gives one
// form a word (FramingForms), as another form of one of its framing
// words (the same stem).
func (t *Table) IsFramingIn(w, code string) bool {
	s := t.parsed()
	return s.framing[w] || s.framingStems[code][t.Stem(w, code)]
}

// IsOverview reports whether the folded word w asks for the whole text or
// names it (see Language.Overview and Document): a word of those lists in
// any language, as chat mixes them ("tldr stp"), or, in a language code
// with FramingForms, a form of one of its own.
func (t *Table) IsOverview(w, code string) bool {
	_, ok := t.overviewWord(w, code)
	return ok
}

// IsSummary is IsOverview for the Overview words alone: those that ask
// for the whole text even after a sentence of context.
func (t *Table) IsSummary(w, code string) bool {
	summary, _ := t.overviewWord(w, code)
	return summary
}

// overviewWord looks w up among the Overview and Document words, as
// typed and then, in a language with FramingForms, by its stem (stemmed
// only there): ok says it is one, summary that it is an Overview word.
func (t *Table) overviewWord(w, code string) (summary, ok bool) {
	s := t.parsed()
	if summary, ok = s.overview[w]; ok && summary {
		return summary, ok
	}
	if stems := s.overviewStems[code]; stems != nil {
		if sum, in := stems[t.Stem(w, code)]; in {
			return summary || sum, true
		}
	}
	return summary, ok
}

// Clauses splits a sentence of language code after each of its
// SceneEndings, returning the sentence whole when it has none.
func (t *Table) Clauses(sentence, code string) []string {
	out := []string{sentence}
	a := t.parsed().asking[code]
	if a == nil {
		return out
	}
	for _, e := range a.scenes {
		var next []string
		for _, s := range out {
			for {
				i := strings.Index(s, e)
				if i < 0 || strings.TrimSpace(s[i+len(e):]) == "" {
					break
				}
				next = append(next, strings.TrimSpace(s[:i+len(e)]))
				s = strings.TrimSpace(s[i+len(e):])
			}
			next = append(next, s)
		}
		out = next
	}
	return out
}

// IsPointed reports whether the folded word w asks for one fact in
// language code (see Language.Pointed).
func (t *Table) IsPointed(w, code string) bool { return t.parsed().pointed[code][w] }

// Subjects returns the words among a question's folded words that its
// About words name as its subject: the first after each marker (before
// it, where the language's markers follow their noun) that is neither a
// stopword, nor framing, nor chat, nor a number ("about 3 trillion" is an
// amount). "what did they agree on about water?" is about water, though
// "water" is an everyday word.
func (t *Table) Subjects(words []string, code string) map[string]bool {
	s := t.parsed()
	about := s.about[code]
	if len(about) == 0 {
		return nil
	}
	l, _ := t.Get(code)
	out := map[string]bool{}
	for i, w := range words {
		if !about[w] {
			continue
		}
		step, j := 1, i+1
		if l.AboutFollows {
			step, j = -1, i-1
		}
		for ; j >= 0 && j < len(words); j += step {
			v := words[j]
			if about[v] || t.IsStop(v, code) || t.IsFramingIn(v, code) || t.IsChat(v) {
				continue
			}
			if !IsNumber(v) {
				out[v] = true
			}
			break
		}
	}
	return out
}

// AsksNumber reports whether text, in language code, asks for a number
// (amount: one of the language's Amount words, "how many", "combien",
// "いくら") or for a date (date: one of its Dates words, "when",
// "когда").
func (t *Table) AsksNumber(text, code string) (amount, date bool) {
	s := t.parsed()
	folded := Fold(text)
	in := func(ph *phrases) bool { return ph != nil && ph.in(t, folded, code) }
	return in(s.amount[code]), in(s.dates[code])
}

// HoldsNumber reports whether text, in language code, states a number:
// a digit, or one of the language's Numbers words ("five", "milliards",
// "трлн", "三つ"), in any of its forms.
func (t *Table) HoldsNumber(text, code string) bool {
	if strings.ContainsFunc(text, unicode.IsDigit) {
		return true
	}
	ph := t.parsed().numbers[code]
	return ph != nil && ph.in(t, Fold(text), code)
}

// phrases is a word list of a language that is looked for in a text: a
// word by its stem, words joined by a hyphen as words in a row, and an
// entry written in kana or kanji inside the text, as those run on
// without spaces.
type phrases struct {
	stems  map[string]bool
	rows   [][]string
	inside []string
}

func (t *Table) newPhrases(list, code string) *phrases {
	ph := &phrases{stems: map[string]bool{}}
	for _, w := range strings.Fields(Fold(list)) {
		switch {
		case strings.ContainsFunc(w, isJapanese):
			ph.inside = append(ph.inside, w)
		case strings.Contains(w, "-"):
			ph.rows = append(ph.rows, strings.Split(w, "-"))
		default:
			ph.stems[t.Stem(w, code)] = true
		}
	}
	return ph
}

// in reports whether the folded text holds one of the phrases.
func (ph *phrases) in(t *Table, text, code string) bool {
	for _, w := range ph.inside {
		if strings.Contains(text, w) {
			return true
		}
	}
	words := t.Tokens(text)
	for i, w := range words {
		if ph.stems[t.Stem(w, code)] {
			return true
		}
		for _, row := range ph.rows {
			if i+len(row) <= len(words) && slices.Equal(words[i:i+len(row)], row) {
				return true
			}
		}
	}
	return false
}

// isJapanese reports whether r is kana or kanji.
func isJapanese(r rune) bool {
	return unicode.In(r, unicode.Hiragana, unicode.Katakana, unicode.Han)
}

// askingWords are a language's lists that tell a sentence that asks.
type askingWords struct {
	openers, connectives, particles map[string]bool
	endings, statements, requests   []string
	scenes                          []string // SceneEndings, as written
}

// Asks reports whether a sentence of language code asks: it ends with a
// question mark; or with a request (RequestEndings); or with a question
// ending and no full stop after it (QuestionEndings, not
// StatementEndings); or it opens as a question does (OpensQuestion).
func (t *Table) Asks(sentence, code string) bool {
	s := strings.TrimSpace(Fold(sentence)) // Fold writes ？ as ?
	if strings.HasSuffix(s, "?") {
		return true
	}
	a := t.parsed().asking[code]
	if a == nil {
		return false
	}
	ends := func(s string, list []string) bool {
		return slices.ContainsFunc(list, func(e string) bool { return strings.HasSuffix(s, e) })
	}
	if ends(strings.TrimRight(s, " 。．.!！"), a.requests) {
		return true
	}
	if ends(s, a.endings) && !ends(s, a.statements) {
		return true
	}
	return t.OpensQuestion(t.Tokens(s), code)
}

// OpensQuestion reports whether a sentence's folded words, in language
// code, open a question: its first word that is neither chat ("ok",
// "hey") nor a connective ("so", "et", "а") is one of the language's
// Interrogatives, and no negation follows it ("can't find it" tells), or
// a question particle stands anywhere ("будет ли саммит"). A later
// interrogative does not count: "mon père qui est routier" tells.
func (t *Table) OpensQuestion(words []string, code string) bool {
	s := t.parsed()
	a := s.asking[code]
	if a == nil {
		return false
	}
	for _, w := range words {
		if a.particles[w] {
			return true
		}
	}
	for i, w := range words {
		if a.connectives[w] || s.chat[w] && !a.openers[w] { // "whats", "koi" are chat too
			continue
		}
		if i+1 < len(words) && a.openers[w+"-"+words[i+1]] {
			return true
		}
		return a.openers[w] && (i+1 == len(words) || !s.negations[code][words[i+1]])
	}
	return false
}

// IsVerbForm reports whether the folded word w ends as a verb form of
// language code does (see Language.VerbEndings), leaving a stem of three
// letters or more. The endings are not a grammar: some nouns end alike
// ("капитала"), so callers read them only for words they do not know.
func (t *Table) IsVerbForm(w, code string) bool {
	l, ok := t.Get(code)
	if !ok {
		return false
	}
	n := len([]rune(w))
	for _, e := range strings.Fields(l.VerbEndings) {
		if strings.HasSuffix(w, e) && n-len([]rune(e)) >= 3 {
			return true
		}
	}
	return false
}

// IsNegation reports whether the folded word w denies, refuses or forbids
// in language code: it is one of the language's Negations, or holds one
// written in hiragana (a run of Japanese endings). A form the list does not
// spell out is told by its stem, with IsNegationStem.
func (t *Table) IsNegation(w, code string) bool {
	s := t.parsed()
	if s.negations[code][w] {
		return true
	}
	if kana := s.negKana[code]; kana != nil && isHiragana(w) {
		for _, k := range kana {
			if strings.Contains(w, k) {
				return true
			}
		}
	}
	return false
}

// IsNegationStem reports whether stem, a word's stem in language code (as
// Stem gives it), is the stem of one of its Negations: "rejected" and
// "rejects" negate as "reject" does.
func (t *Table) IsNegationStem(stem, code string) bool { return t.parsed().negStems[code][stem] }

// IsChat reports whether the folded word w is chat in any language.
func (t *Table) IsChat(w string) bool { return t.parsed().chat[w] }

// Stem returns the stem of the folded word w in language code. Short
// words and numbers are left whole, as is every word of a language
// without a stemmer.
func (t *Table) Stem(w, code string) string {
	if len([]rune(w)) <= 2 || IsNumber(w) {
		return w
	}
	for _, l := range t.langs {
		if l.Code == code && l.Stem != nil {
			return l.Stem(w)
		}
	}
	return w
}

func isHiragana(w string) bool {
	for _, r := range w {
		if !unicode.Is(unicode.Hiragana, r) && r != 'ー' {
			return false
		}
	}
	return w != ""
}

// Unelided returns the folded word w without the clitic of language code
// it may begin with, for a word typed without its apostrophe, as chat
// often is ("linitiative", "cest"), and true; false when w begins with no
// clitic of the language, or leaves fewer than two letters after it.
// Whether the word was an elision at all is for the caller to judge.
func (t *Table) Unelided(w, code string) (string, bool) {
	for _, c := range t.parsed().clitics[code] {
		if rest, ok := strings.CutPrefix(w, c); ok && utf8.RuneCountInString(rest) >= 2 {
			return rest, true
		}
	}
	return "", false
}
