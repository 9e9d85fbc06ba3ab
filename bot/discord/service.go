package discord

import (
	"context"

	"github.com/declbot/declbot/bot"
	"github.com/declbot/declbot/bot/messages"
	"github.com/declbot/declbot/corpus/lang"
)

// Service is what the adapter needs from the answering service. It is
// declared here, by its consumer, so that tests drive the adapter with a
// hand-written fake; *bot.Bot provides it.
type Service interface {
	// Answer answers a question; a *bot.InputError carries a sentence safe
	// to show the user.
	Answer(ctx context.Context, q bot.Question) (bot.Reply, error)
	// Cite looks up a chapter ("4") or paragraph ("4.2") in lang (a code
	// of the language table, or "all"); an unknown reference is a
	// *bot.InputError.
	Cite(ref, lang string) (bot.Reply, error)
	// Chapters is the table of contents in lang.
	Chapters(lang string) ([]bot.ChapterSummary, error)
	// About describes the corpus and the index, in lang.
	About(lang string) bot.About
	// Complete suggests at most max references for a partly typed one.
	Complete(prefix, lang string, max int) []bot.Choice
	// Translate returns the passages with the given align keys
	// ("digest/4.2") in lang.
	Translate(keys []string, lang string) (bot.Reply, error)
	// Messages is the catalogue the service speaks from; the adapter says
	// its own sentences from it too. Nil means messages.Default().
	Messages() *messages.Catalogue
	// Languages is the table of the languages questions are answered in:
	// the /ask language choices, and how a client locale is read. Nil
	// means lang.Default().
	Languages() *lang.Table
}

var _ Service = (*bot.Bot)(nil)

// ReindexFunc rebuilds the index from the configured corpus and returns a
// one-line summary for the maintainer who asked.
type ReindexFunc func(ctx context.Context) (summary string, err error)
