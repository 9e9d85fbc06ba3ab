package discord

import "context"

// Service is what the adapter needs from the answering service; *bot.Bot
// provides it. It is declared here, by its consumer, so that tests drive
// the adapter with a hand-written fake.
type Service interface {
	// Answer answers a question; an *InputError carries a sentence safe to
	// show the user.
	Answer(ctx context.Context, q Question) (Reply, error)
	// Cite looks up a chapter ("4") or paragraph ("4.2") in lang ("en",
	// "fr" or "all"); an unknown reference is an *InputError.
	Cite(ref, lang string) (Reply, error)
	// Chapters is the table of contents in lang.
	Chapters(lang string) []ChapterSummary
	// About describes the corpus and the index.
	About() About
	// Complete suggests at most max references starting with prefix.
	Complete(prefix, lang string, max int) []Choice
	// Translate returns the passages aligned with ids (AlignKeys such as
	// "digest/4.2") in lang.
	Translate(ids []string, lang string) (Reply, error)
}

// ReindexFunc rebuilds the index from the configured corpus and returns a
// one-line summary for the maintainer who asked.
type ReindexFunc func(ctx context.Context) (summary string, err error)

// The types below mirror the planned bot package API (see API.md) until
// it lands; they will become aliases of the bot types.

// Question is one question put to the service.
type Question struct {
	Text    string
	Lang    string // "", "en" or "fr"; empty means detect
	K       int
	History []string
}

// Reply is a front-end neutral answer.
type Reply struct {
	Question  string
	Lang      string
	Abstained bool
	Mode      string // "extractive", "llm" or "cite"
	Answer    string
	Passages  []Quote
	Notes     []string
	Source    string
}

// Quote is one passage quoted in a reply.
type Quote struct {
	Doc          string
	ID           string
	Chapter      int
	ChapterTitle string
	Lang         string
	Text         string
	Score        float64
	Citation     string // Ch. 4 "Green Transition and Resilience", ¶4.2
}

// ChapterSummary is one line of the table of contents.
type ChapterSummary struct {
	Number int
	Title  string
	IDs    []string
}

// About describes the corpus and the index behind the answers.
type About struct {
	Title     string
	Kind      string
	Notice    string
	Date      string
	Source    string
	Documents int
	Passages  int
	Embedder  string
	BuiltAt   string
	Version   string
}

// Choice is one autocomplete suggestion.
type Choice struct {
	Name  string
	Value string
}

// InputError is a problem with what the user typed, with a sentence safe
// to show them.
type InputError struct{ Msg string }

func (e *InputError) Error() string { return e.Msg }
