package discord

import (
	"time"

	"github.com/declbot/declbot/bot"
)

// Sources of a question, as Observer.Asked reports them.
const (
	SourceSlash   = "slash"   // the /ask command
	SourceMention = "mention" // a guild message mentioning the bot
	SourceDM      = "dm"      // a direct message
)

// Outcomes of a question, as Observer.Asked reports them.
const (
	OutcomeAnswered  = "answered"  // passages quoted, or a verified written answer
	OutcomeAbstained = "abstained" // the documents do not address it
	OutcomeRelated   = "related"   // not answered; the nearest passages shown
	OutcomeRefused   = "refused"   // not asked: empty, too long, over the rate limit, invalid
	OutcomeError     = "error"     // the service failed; the user was told so
	OutcomeFailed    = "failed"    // the reply could not be delivered, by any way left
)

// Observer is told what the adapter does, for an operator's metrics. It is
// declared here, by its consumer; the program gives the adapter one with
// SetObserver. Its methods are called from many goroutines at once and
// must return quickly.
type Observer interface {
	// Asked reports one question: its source and outcome (the constants
	// above) and how long the service took to answer it, zero when it
	// was refused before being asked.
	Asked(source, outcome string, took time.Duration)
	// RateLimited reports a question refused by the per-user rate limit.
	RateLimited(source string)
	// DiscordRateLimited reports a REST call Discord answered with 429.
	DiscordRateLimited()
	// Reconnected reports a gateway connection after the first.
	Reconnected()
	// CommandsRegistered reports whether the slash commands are
	// registered, after each attempt: false while only mentions and DMs
	// can be answered.
	CommandsRegistered(ok bool)
}

type noObserver struct{}

func (noObserver) Asked(string, string, time.Duration) {}
func (noObserver) RateLimited(string)                  {}
func (noObserver) DiscordRateLimited()                 {}
func (noObserver) Reconnected()                        {}
func (noObserver) CommandsRegistered(bool)             {}

// SetObserver makes o the observer of what the adapter does. Call it
// before Run.
func (b *Bot) SetObserver(o Observer) {
	if o == nil {
		o = noObserver{}
	}
	b.obs = o
}

// Connected reports whether the gateway connection is up: false before
// Run connects, while it reconnects, and after it returns. It asks the
// session rather than counting connect and disconnect events, which
// discordgo delivers on goroutines of their own, in no set order.
func (b *Bot) Connected() bool {
	s := b.live.Load()
	if s == nil {
		return false
	}
	s.RLock()
	defer s.RUnlock()
	return s.DataReady
}

// outcome classifies what the service returned for a question.
func outcome(r bot.Reply, err error) string {
	switch {
	case err != nil:
		if _, ok := bot.IsInputError(err); ok {
			return OutcomeRefused
		}
		return OutcomeError
	case r.Outcome == bot.OutcomeRelated:
		return OutcomeRelated
	case r.Abstained:
		return OutcomeAbstained
	}
	return OutcomeAnswered
}

// Log keys that carry what users wrote and who they are. The program's
// log handler hashes the user ids and drops the question text unless the
// operator asked for it (log.questions); log them under these keys only.
const (
	logUser     = "user"
	logQuestion = "question"
)

// asked tells the observer and the log how a question asked of the
// service went; delivered is false when the reply reached nobody.
func (b *Bot) asked(source, user, question string, r bot.Reply, err error, took time.Duration, delivered bool) {
	o := outcome(r, err)
	if !delivered {
		o = OutcomeFailed
	}
	b.obs.Asked(source, o, took)
	b.log.Info("question", "source", source, "outcome", o, "took", took, logUser, user, logQuestion, question)
}

// refused tells the observer and the log of a question not asked of the
// service, and why.
func (b *Bot) refused(source, user, question, why string) {
	b.obs.Asked(source, OutcomeRefused, 0)
	b.log.Info("question", "source", source, "outcome", OutcomeRefused, "why", why, logUser, user, logQuestion, question)
}
