// Package bot answers questions about the indexed documents, independently
// of any front end: the CLI and the Discord adapter both call Bot, so what
// `declbot ask --json` prints is what Discord shows.
//
// A Reply quotes passages verbatim from the index and cites each by chapter
// and paragraph; nothing that is not in the corpus is ever shown as a quote.
package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/declbot/declbot/bot/messages"
	"github.com/declbot/declbot/corpus"
	"github.com/declbot/declbot/corpus/lang"
	"github.com/declbot/declbot/retrieval"
)

// Index is what the bot needs of a search index. *retrieval.Index
// satisfies it.
type Index interface {
	Search(ctx context.Context, text string, opts retrieval.SearchOptions) (retrieval.Result, error)
	Documents() []*corpus.Document
	Aligned(alignKey, lang string) (corpus.Passage, bool)
	Info() retrieval.Info
	// Languages is the table the index analyses text by: the languages a
	// question may be asked and answered in.
	Languages() *lang.Table
	// DetectLang tells the language of a question by that table.
	DetectLang(text string) string
}

var _ Index = (*retrieval.Index)(nil)

// MaxQuestion is the longest question accepted, in characters.
const MaxQuestion = 1000

// Options configure a Bot.
type Options struct {
	// Version is the program version shown by About.
	Version string
	// Model, when set, writes answers from the passages found; they are
	// verified before they are shown (see Verify). Nil: extractive only.
	Model ChatModel
	// HistoryTurns is how many previous questions the follow-up rewriter
	// sees: 0 means 6; negative means follow-ups are not rewritten (the
	// previous question is prepended for retrieval instead).
	HistoryTurns int
	// Log receives what users are not shown: model errors, failed
	// verifications. Nil discards.
	Log *slog.Logger
	// Observer is told how each answer went, for metrics. Nil observes
	// nothing.
	Observer Observer
	// Messages holds every sentence the bot says, by language. Nil means
	// messages.Default(); a language it lacks is spoken in English.
	Messages *messages.Catalogue
}

// Observer is told what answering does, for an operator's metrics. Its
// methods are called from many goroutines at once and must return quickly.
type Observer interface {
	// Searched reports one search of the index and how long it took.
	Searched(took time.Duration)
	// ModelCalled reports one call to the chat model: err is nil when it
	// answered.
	ModelCalled(err error)
	// VerificationFailed reports a written answer that failed Verify.
	VerificationFailed()
}

// noObserver observes nothing.
type noObserver struct{}

func (noObserver) Searched(time.Duration) {}
func (noObserver) ModelCalled(error)      {}
func (noObserver) VerificationFailed()    {}

// Bot answers questions from the index it holds. The index can be swapped
// while questions are answered: each call works on the index it started
// with.
type Bot struct {
	index atomic.Pointer[indexHolder]
	opts  Options
	// verified keeps the passages analysed to verify written answers.
	verified passageCache
}

type indexHolder struct{ Index }

// New returns a Bot answering from idx.
func New(idx Index, opts Options) *Bot {
	if opts.Log == nil {
		opts.Log = slog.New(slog.DiscardHandler)
	}
	if opts.HistoryTurns == 0 {
		opts.HistoryTurns = 6
	}
	if opts.Observer == nil {
		opts.Observer = noObserver{}
	}
	if opts.Messages == nil {
		opts.Messages = messages.Default()
	}
	b := &Bot{opts: opts}
	b.SetIndex(idx)
	return b
}

// SetIndex replaces the index; calls already running finish on the old one.
func (b *Bot) SetIndex(idx Index) { b.index.Store(&indexHolder{idx}) }

// Index returns the index currently answering.
func (b *Bot) Index() Index { return b.index.Load().Index }

// Messages returns the catalogue the bot speaks from, for a front end to
// say its own sentences in the same words.
func (b *Bot) Messages() *messages.Catalogue { return b.opts.Messages }

// Languages returns the table of the languages questions may be asked and
// answered in: the index's.
func (b *Bot) Languages() *lang.Table { return b.Index().Languages() }

func (b *Bot) say(lang, key string, args ...any) string {
	return b.opts.Messages.Say(lang, key, args...)
}

// InputError is a problem with what the user typed. Msg is a short
// sentence that is safe to show the user as it is, in their language; Key
// and Args are the catalogue message it says, for a caller that speaks
// another language (CheckQuestion leaves Msg empty: it knows no
// catalogue).
type InputError struct {
	Msg  string
	Key  string
	Args []any
}

func (e *InputError) Error() string {
	if e.Msg == "" {
		return e.Key
	}
	return e.Msg
}

// In returns the error's sentence in lang from msgs.
func (e *InputError) In(msgs *messages.Catalogue, lang string) string {
	if e.Key == "" {
		return e.Msg
	}
	return msgs.Say(lang, e.Key, e.Args...)
}

// IsInputError reports whether err is the user's to fix, and returns the
// sentence to show them.
func IsInputError(err error) (string, bool) {
	var ie *InputError
	if errors.As(err, &ie) {
		return ie.Error(), true
	}
	return "", false
}

// inputError returns the *InputError saying key in lang.
func (b *Bot) inputError(lang, key string, args ...any) *InputError {
	return &InputError{Msg: b.say(lang, key, args...), Key: key, Args: args}
}

// localise returns err with its sentence said in lang when it is an
// *InputError, and err unchanged otherwise.
func (b *Bot) localise(err error, lang string) error {
	var ie *InputError
	if errors.As(err, &ie) && ie.Key != "" {
		return b.inputError(lang, ie.Key, ie.Args...)
	}
	return err
}

// Question is one question to answer.
type Question struct {
	Text string
	// Lang is a code of the index's language table ("en", "ru"), or ""
	// or "auto" to detect it from the text.
	Lang string
	// K is the most passages to quote; 0 means retrieval.DefaultK.
	K int
	// History holds the previous questions of the conversation, oldest
	// first, used to make sense of a follow-up.
	History []string
	// OnPartial, when set and a model is configured, is called with the
	// written answer so far as it streams; Partial.Render verifies and
	// renders it (nothing unverified is shown). Front ends throttle it (see
	// Throttle) and render only what they show; the Reply returned is what
	// to show in the end.
	OnPartial func(Partial)
}

// Mode values of a Reply.
const (
	ModeExtractive = "extractive"
	ModeCite       = "cite"
	// ModeLLM: a model wrote the answer and it passed verification.
	ModeLLM = "llm"
)

// Outcome values of a Reply, as retrieval decides them.
const (
	OutcomeAnswered     = string(retrieval.Answered)
	OutcomeRelated      = string(retrieval.Related)
	OutcomeNotAddressed = string(retrieval.NotAddressed)
)

// Reply is a front-end-neutral answer.
type Reply struct {
	Question string `json:"question"`
	Lang     string `json:"lang"`
	// Outcome is "answered", "related" (nothing answers directly; Related
	// holds the nearest passages, shown under a hedge) or "not_addressed";
	// empty for a citation looked up.
	Outcome string `json:"outcome,omitempty"`
	// Overview says the question asked for the whole text ("tl;dr?"):
	// Passages are those that best sum it up.
	Overview  bool    `json:"overview,omitempty"`
	Abstained bool    `json:"abstained"`
	Mode      string  `json:"mode"`
	Answer    string  `json:"answer"`
	Passages  []Quote `json:"passages"`
	// Related are the passages nearest a question the documents do not
	// answer directly: never the answer, empty unless Outcome is "related".
	Related []Quote `json:"related"`
	// Notes are one-line remarks for the user (the source caveat, a
	// fallback), shown after the answer.
	Notes []string `json:"notes,omitempty"`
	// Source names where the passages come from: "unofficial digest",
	// "official text", or the documents' titles.
	Source string `json:"source"`
	// Versions lists the languages the index holds every quoted passage
	// in, in its table's order: those a reader may switch the reply to.
	Versions []string `json:"versions,omitempty"`
	// Verification reports the check of a model-written answer; nil when
	// no model was asked.
	Verification *Verification `json:"verification,omitempty"`
}

// Quote is a passage shown verbatim with its citation.
type Quote struct {
	Doc          string  `json:"doc"`
	ID           string  `json:"id"`
	Chapter      int     `json:"chapter"`
	ChapterLabel string  `json:"chapter_label,omitempty"` // "IV" when printed so
	ChapterTitle string  `json:"chapter_title"`
	Lang         string  `json:"lang"`
	Text         string  `json:"text"`
	Score        float64 `json:"score"`
	Citation     string  `json:"citation"`
}

// Answer finds the passages that answer q and quotes them. It returns an
// *InputError for an empty question, one over MaxQuestion characters or
// one that is not valid UTF-8, and a wrapped error when the search itself
// fails. A question the documents do not address is not an error: the
// Reply has Abstained set and quotes nothing.
//
// With a model configured, a follow-up is first rewritten into a
// standalone question, and the model writes an answer from the passages
// found; it is shown (Mode "llm") only if it passes Verify, possibly after
// one retry. A model failure of any kind is not an error either: the
// Reply is extractive, with a note saying why.
func (b *Bot) Answer(ctx context.Context, q Question) (Reply, error) {
	idx := b.Index()
	lang, err := b.checkLang(idx, q.Lang, false)
	if err != nil {
		return Reply{}, err
	}
	// What is wrong with a question is said in its language, when it can
	// be told.
	speak := lang
	if speak == "" {
		speak = idx.Languages().Fallback().Code
		if strings.TrimSpace(q.Text) != "" && utf8.ValidString(q.Text) {
			speak = idx.DetectLang(q.Text)
		}
	}
	text, err := CheckQuestion(q.Text)
	if err != nil {
		return Reply{}, b.localise(err, speak)
	}
	// A message of emoji, punctuation or markup alone asks nothing.
	if text = retrieval.CleanMessage(text); !strings.ContainsFunc(text, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsNumber(r) }) {
		return Reply{}, b.inputError(speak, "error_only_markup")
	}
	noRef := "" // what cite says of a reference asked for that is not there
	if len(q.History) == 0 {
		// "what does ¶4.2 say?", "show chapter 7": the passage itself,
		// as cite shows it. A reference the index lacks is said to be
		// missing, as cite says it; a question that asks more than the
		// reference ("what does ¶12.9 say about Afghanistan?") is then
		// searched as any question is, the reply saying so too.
		code := lang
		if code == "" {
			code = idx.DetectLang(text)
		}
		if a, ok := askedRef(idx.Languages(), text, code); ok {
			r, err := b.cite(a.ref, a.typed, code)
			if err == nil {
				r.Question, r.Outcome = text, string(retrieval.Answered)
				return r, nil
			}
			msg, isInput := IsInputError(err)
			if !isInput || a.alone {
				return Reply{}, err
			}
			noRef = msg
		}
	}
	query, asked := text, text
	if standalone, ok := b.rewrite(ctx, q.History, text); ok {
		// The model made the follow-up a question of its own.
		if lang == "" {
			lang = idx.DetectLang(text)
		}
		query, asked = standalone, standalone
	} else if n := len(q.History); n > 0 {
		// A follow-up ("and energy?") means little alone: search it with
		// the question it follows. The language stays the follow-up's own.
		if lang == "" {
			lang = idx.DetectLang(text)
		}
		query = q.History[n-1] + " " + text
	}
	start := time.Now()
	res, err := idx.Search(ctx, query, retrieval.SearchOptions{Lang: lang, K: q.K})
	b.opts.Observer.Searched(time.Since(start))
	if err != nil {
		return Reply{}, fmt.Errorf("answer: %w", err)
	}
	res = b.assist(ctx, idx, asked, res, q.K)
	r := Reply{Question: text, Lang: res.Lang, Outcome: string(res.Outcome), Overview: res.Overview, Abstained: res.Abstained, Mode: ModeExtractive, Passages: []Quote{}, Related: []Quote{}}
	for _, h := range res.Hits {
		r.Passages = append(r.Passages, b.quote(idx, h.Passage, h.Score))
	}
	for _, h := range res.Related {
		r.Related = append(r.Related, b.quote(idx, h.Passage, h.Score))
	}
	r.Source = sourceOf(idx, append(slices.Clip(r.Passages), r.Related...))
	r.Versions = versions(idx, r.Passages)
	r.Answer = b.renderExtractive(r)
	r.Notes = b.sourceNotes(r)
	if b.opts.Model != nil && !r.Abstained && len(r.Passages) > 0 {
		r = b.write(ctx, r, asked, q.OnPartial)
	}
	if noRef != "" {
		r.Notes = append([]string{noRef}, r.Notes...)
	}
	return r, nil
}

// CheckQuestion trims a question and returns an *InputError when it is
// empty, too long or not valid UTF-8. The error carries the catalogue key
// of its sentence but no sentence: say it with InputError.In.
func CheckQuestion(text string) (string, error) {
	if !utf8.ValidString(text) {
		return "", &InputError{Key: "error_not_utf8"}
	}
	text = strings.TrimSpace(StripInvisible(text))
	if text == "" {
		return "", &InputError{Key: "error_empty_question"}
	}
	if n := utf8.RuneCountInString(text); n > MaxQuestion {
		return "", &InputError{Key: "error_question_too_long", Args: []any{"n", n, "limit", MaxQuestion}}
	}
	return text, nil
}

// checkLang accepts "", "auto" (both returned as ""), a code of the
// index's language table and, when all is true, "all". Anything else is
// an *InputError listing what is accepted, said in the table's fallback
// language: the one asked for is not known.
func (b *Bot) checkLang(idx Index, code string, all bool) (string, error) {
	tab := idx.Languages()
	switch {
	case code == "" || code == "auto":
		return "", nil
	case tab.Has(code):
		return code, nil
	case code == "all" && all:
		return code, nil
	}
	choices := tab.Codes()
	if all {
		choices = append(choices, "all")
	} else {
		choices = append([]string{"auto"}, choices...)
	}
	return "", b.inputError(tab.Fallback().Code, "error_unknown_language",
		"lang", strconv.Quote(clipRef(code)), "choices", strings.Join(choices, ", "))
}

// versions returns the codes of the languages, in the index's table order,
// that hold a version of every one of qs.
func versions(idx Index, qs []Quote) []string {
	if len(qs) == 0 {
		return nil
	}
	var out []string
	for _, code := range idx.Languages().Codes() {
		all := true
		for _, q := range qs {
			if _, ok := idx.Aligned(q.AlignKey(), code); !ok {
				all = false
				break
			}
		}
		if all {
			out = append(out, code)
		}
	}
	return out
}

func (b *Bot) quote(idx Index, p corpus.Passage, score float64) Quote {
	return Quote{
		Doc: p.Doc, ID: p.ID, Chapter: p.Chapter, ChapterLabel: p.ChapterLabel, ChapterTitle: p.ChapterTitle,
		Lang: p.Lang, Text: p.Text, Score: score, Citation: b.citation(idx, p),
	}
}

// citation formats a passage's citation in the passage's language, whose
// chapter title it quotes: Ch. 4 "Green Transition and Resilience", ¶4.2;
// a chapter printed as a Roman numeral is cited so (Ch. IV "…", ¶15).
// When more than one document is indexed, the document's title comes
// first, so a reader knows which text to check.
func (b *Bot) citation(idx Index, p corpus.Passage) string {
	var c string
	switch {
	case p.Chapter > 0 && p.ChapterTitle != "":
		c = b.say(p.Lang, "citation", "chapter", p.ChapterName(), "title", p.ChapterTitle, "id", p.ID)
	case p.Chapter > 0:
		c = b.say(p.Lang, "citation_untitled", "chapter", p.ChapterName(), "id", p.ID)
	default:
		c = "¶" + p.ID
	}
	if multiDoc(idx) {
		if d := findDoc(idx, p.Doc, p.Lang); d != nil {
			c = d.Title + ", " + c
		}
	}
	return c
}

// multiDoc reports whether the index holds more than one document (in any
// number of languages).
func multiDoc(idx Index) bool {
	names := map[string]bool{}
	for _, d := range idx.Documents() {
		names[d.Name] = true
	}
	return len(names) > 1
}

func findDoc(idx Index, name, lang string) *corpus.Document {
	var any *corpus.Document
	for _, d := range idx.Documents() {
		if d.Name == name {
			if d.Lang == lang {
				return d
			}
			if any == nil {
				any = d
			}
		}
	}
	return any
}

// sourceOf names the kind of text the quotes come from.
func sourceOf(idx Index, qs []Quote) string {
	kinds := map[corpus.Kind]bool{}
	for _, q := range qs {
		if d := findDoc(idx, q.Doc, q.Lang); d != nil {
			kinds[d.Kind] = true
		}
	}
	if len(qs) == 0 {
		for _, d := range idx.Documents() {
			kinds[d.Kind] = true
		}
	}
	var names []string
	for k := range kinds {
		names = append(names, kindName(k))
	}
	sort.Strings(names)
	return strings.Join(names, " and ")
}

// kindName is a kind's English name, as Reply.Source and About.Kind give
// it; kindKey is its catalogue key.
func kindName(k corpus.Kind) string {
	switch k {
	case corpus.Digest:
		return "unofficial digest"
	case corpus.Official:
		return "official text"
	}
	return "indexed document"
}

func kindKey(name string) string {
	switch name {
	case kindName(corpus.Digest):
		return "kind_digest"
	case kindName(corpus.Official):
		return "kind_official"
	}
	return "kind_other"
}

// KindName returns the English name of a document's kind, as About.Kind
// and Reply.Source give it, in lang; a name it does not know is returned
// as it is.
func (b *Bot) KindName(name, lang string) string {
	switch name {
	case kindName(corpus.Digest), kindName(corpus.Official), kindName(corpus.Other):
		return b.say(lang, kindKey(name))
	}
	return name
}

// sourceNotes returns the caveat a reply carries about its sources, in its
// language: the digest's, when it quotes the digest, and the names of any
// other kinds.
func (b *Bot) sourceNotes(r Reply) []string {
	var notes []string
	var others []string
	for _, k := range strings.Split(r.Source, " and ") {
		if k == kindName(corpus.Digest) {
			notes = append(notes, b.say(r.Lang, "note_digest"))
		} else if k != "" {
			others = append(others, b.KindName(k, r.Lang))
		}
	}
	// With nothing quoted (an abstention), no other source was quoted
	// either: naming them would say otherwise.
	if len(others) > 0 && len(r.Passages)+len(r.Related) > 0 {
		key := "note_source"
		if len(notes) > 0 {
			key = "note_also_quoted"
		}
		notes = append(notes, b.say(r.Lang, key, "sources", strings.Join(others, ", ")))
	}
	return notes
}

// renderExtractive writes the plain-text answer a user sees: the quotes,
// each followed by its citation, or a plain statement that the documents
// do not seem to address the question.
func (b *Bot) renderExtractive(r Reply) string {
	quotes := r.Passages
	var sb strings.Builder
	switch {
	case len(r.Related) > 0 && (r.Abstained || len(r.Passages) == 0):
		sb.WriteString(b.say(r.Lang, "related_hedge"))
		sb.WriteString("\n")
		quotes = r.Related
	case r.Abstained || len(r.Passages) == 0:
		return b.say(r.Lang, "not_addressed")
	case r.Overview:
		sb.WriteString(b.say(r.Lang, "overview_intro"))
		sb.WriteString("\n")
	default:
		sb.WriteString(b.say(r.Lang, "answer_intro"))
		sb.WriteString("\n")
	}
	for _, q := range quotes {
		sb.WriteString("\n> ")
		sb.WriteString(q.Text)
		sb.WriteString("\n— ")
		sb.WriteString(q.Citation)
		sb.WriteString("\n")
	}
	return strings.TrimRight(sb.String(), "\n")
}

// About describes what the bot answers from.
type About struct {
	Title     string                 `json:"title"`
	Kind      string                 `json:"kind"`
	Notice    string                 `json:"notice"`
	Date      string                 `json:"date"`
	Source    string                 `json:"source"`
	Documents int                    `json:"documents"`
	Passages  int                    `json:"passages"`
	Embedder  retrieval.EmbedderSpec `json:"embedder"`
	BuiltAt   time.Time              `json:"built_at"`
	Version   string                 `json:"version"`
	Titles    []string               `json:"titles"`
	// Docs lists the indexed documents, one entry for all the language
	// versions of one; Documents is how many.
	Docs []AboutDoc `json:"docs"`
}

// AboutDoc is one indexed document in About: its name (the prefix of a
// document-qualified reference, "official:4.2"), its title, kind and
// languages, and the passages of its version in the language asked for.
type AboutDoc struct {
	Name     string   `json:"name"`
	Title    string   `json:"title"`
	Kind     string   `json:"kind"`
	Langs    []string `json:"langs"`
	Passages int      `json:"passages"`
}

// About returns what the corpus is, its date, and how the index was built,
// from each document's version in lang where it has one. Kind names stay
// in English: say them with KindName.
func (b *Bot) About(lang string) About {
	idx := b.Index()
	info := idx.Info()
	a := About{Documents: info.Documents, Passages: info.Passages, Embedder: info.Embedder, BuiltAt: info.BuiltAt, Version: b.opts.Version}
	var first *corpus.Document
	seen := map[string]int{} // name -> index in a.Docs
	for _, d := range idx.Documents() {
		i, ok := seen[d.Name]
		if !ok {
			i = len(a.Docs)
			seen[d.Name] = i
			a.Titles = append(a.Titles, d.Title)
			a.Docs = append(a.Docs, AboutDoc{Name: d.Name})
		}
		if first == nil || d.Lang == lang && first.Lang != lang && first.Name == d.Name {
			first = d
		}
	}
	for i := range a.Docs {
		d := findDoc(idx, a.Docs[i].Name, lang)
		a.Docs[i].Langs = docLangs(idx, a.Docs[i].Name)
		a.Docs[i].Title, a.Docs[i].Kind, a.Docs[i].Passages = d.Title, kindName(d.Kind), len(d.Passages())
	}
	a.Documents = len(a.Docs)
	if first != nil {
		a.Title, a.Kind, a.Notice, a.Date, a.Source = first.Title, kindName(first.Kind), first.Notice, first.Date, first.Source
	}
	return a
}
