package discord

import (
	"context"
	"fmt"
	"runtime/debug"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/bwmarrin/discordgo"

	"github.com/declbot/declbot/bot"
)

// MaxQuestion is the longest question accepted, in characters.
const MaxQuestion = 1000

// answerTimeout bounds one answer; the interaction token lives 15 minutes.
const answerTimeout = 2 * time.Minute

// partialInterval spaces the edits that show a written answer as it
// streams; Discord rate-limits edits of one response.
const partialInterval = 1500 * time.Millisecond

// Sentences shown to users. Internal errors are logged in full; users see
// only these.
const (
	sayError      = "Sorry, something went wrong while answering. Please try again in a moment."
	sayClosing    = "declbot is restarting; please ask again in a minute."
	sayNotAllowed = "Only declbot maintainers can reindex. Nothing was changed."
	sayNoReindex  = "Reindexing is not available on this deployment."
	sayEmpty      = "Please ask a question, for example: `/ask question: What does the declaration say about critical minerals?`"
)

func sayTooLong(n int) string {
	return fmt.Sprintf("Questions are limited to %d characters; yours has %d. Please shorten it.", MaxQuestion, n)
}

func sayRateLimited(wait time.Duration) string {
	secs := int((wait + time.Second - 1) / time.Second)
	return fmt.Sprintf("You have asked too many questions in the last minute; try again in %d s.", secs)
}

func commands() []*discordgo.ApplicationCommand {
	manageGuild := int64(discordgo.PermissionManageGuild)
	noDM := false
	return []*discordgo.ApplicationCommand{
		{
			Name:        "ask",
			Description: "Ask a question about the Tokyo Declaration (Central Asia + Japan summit)",
			Options: []*discordgo.ApplicationCommandOption{
				{
					Type: discordgo.ApplicationCommandOptionString, Name: "question", Required: true,
					Description: "Your question, in English or French", MaxLength: MaxQuestion,
				},
				{
					Type: discordgo.ApplicationCommandOptionString, Name: "language",
					Description: "Language of the answer (default: the question's)",
					Choices: []*discordgo.ApplicationCommandOptionChoice{
						{Name: "English", Value: "en"},
						{Name: "Français", Value: "fr"},
					},
				},
			},
		},
		{
			Name:        "cite",
			Description: "Show a chapter or paragraph of the declaration by number",
			Options: []*discordgo.ApplicationCommandOption{{
				Type: discordgo.ApplicationCommandOptionString, Name: "ref", Required: true,
				Description: "A chapter (4) or paragraph (4.2)", Autocomplete: true,
			}},
		},
		{Name: "chapters", Description: "The declaration's table of contents"},
		{Name: "about", Description: "What text declbot answers from, and how current its index is"},
		{
			Name:                     "reindex",
			Description:              "Rebuild the index from the configured corpus (maintainers only)",
			DefaultMemberPermissions: &manageGuild,
			DMPermission:             &noDM,
		},
	}
}

// checkQuestion returns a sentence explaining what is wrong with a
// question, or "" when it may be asked.
func checkQuestion(q string) string {
	q = strings.TrimSpace(q)
	if q == "" {
		return sayEmpty
	}
	if n := utf8.RuneCountInString(q); n > MaxQuestion {
		return sayTooLong(n)
	}
	return ""
}

// userSays turns a service error into what the user sees: an input error's
// own sentence, or a generic one.
func userSays(err error) string {
	if msg, ok := bot.IsInputError(err); ok && msg != "" {
		return msg
	}
	return sayError
}

// langOf picks the language for lookups from the user's client locale.
func langOf(i *discordgo.Interaction) string {
	if strings.HasPrefix(string(i.Locale), "fr") {
		return "fr"
	}
	return "en"
}

func interactionUser(i *discordgo.Interaction) (id string, roles []string) {
	if i.Member != nil && i.Member.User != nil {
		return i.Member.User.ID, i.Member.Roles
	}
	if i.User != nil {
		return i.User.ID, nil
	}
	return "", nil
}

func (b *Bot) isMaintainer(user string, roles []string) bool {
	for _, u := range b.cfg.Maintainers.Users {
		if u == user && user != "" {
			return true
		}
	}
	for _, want := range b.cfg.Maintainers.Roles {
		for _, r := range roles {
			if r == want {
				return true
			}
		}
	}
	return false
}

func (b *Bot) onInteraction(s *discordgo.Session, ic *discordgo.InteractionCreate) {
	i := ic.Interaction
	if i == nil {
		return
	}
	r := &responder{s: s, i: i, b: b}
	if i.Data == nil {
		// discordgo could not decode it; the user still deserves a word.
		b.log.Warn("interaction without data", "interaction", i.ID, "type", int(i.Type))
		if i.Type != discordgo.InteractionApplicationCommandAutocomplete && i.Token != "" {
			r.sendText(sayError, true)
		}
		return
	}
	if !b.enter() {
		if i.Type != discordgo.InteractionApplicationCommandAutocomplete {
			r.sendText(sayClosing, true)
		}
		return
	}
	defer b.inflight.Done()
	defer func() {
		if p := recover(); p != nil {
			b.log.Error("panic answering interaction", "panic", fmt.Sprint(p), "stack", string(debug.Stack()), "interaction", i.ID)
			r.fail(sayError)
		}
	}()
	switch i.Type {
	case discordgo.InteractionApplicationCommand:
		b.command(r)
	case discordgo.InteractionApplicationCommandAutocomplete:
		b.autocomplete(r)
	case discordgo.InteractionMessageComponent:
		b.component(r)
	}
}

func optionString(d discordgo.ApplicationCommandInteractionData, name string) string {
	o := d.GetOption(name)
	if o == nil {
		return ""
	}
	if v, ok := o.Value.(string); ok {
		return v
	}
	return ""
}

func (b *Bot) command(r *responder) {
	d := r.i.ApplicationCommandData()
	switch d.Name {
	case "ask":
		b.ask(r, optionString(d, "question"), optionString(d, "language"))
	case "cite":
		b.cite(r, optionString(d, "ref"))
	case "chapters":
		chs, err := b.svc.Chapters(langOf(r.i))
		if err != nil {
			b.log.Warn("chapters", "err", err)
			r.sendText(userSays(err), true)
			return
		}
		r.send(renderChapters(chs), false)
	case "about":
		r.send(renderAbout(b.svc.About(langOf(r.i))), false)
	case "reindex":
		b.runReindex(r)
	default:
		r.sendText("Unknown command.", true)
	}
}

func (b *Bot) ask(r *responder, question, lang string) {
	user, _ := interactionUser(r.i)
	question = strings.TrimSpace(bot.StripInvisible(question))
	if msg := checkQuestion(question); msg != "" {
		b.refused(SourceSlash, user, question, "invalid")
		r.sendText(msg, true)
		return
	}
	if wait := b.limiter.allow(user); wait > 0 {
		b.obs.RateLimited(SourceSlash)
		b.refused(SourceSlash, user, question, "rate limit")
		// Ephemeral: only the asker sees it, however often they ask.
		r.sendText(sayRateLimited(wait), true)
		return
	}
	// Discord gives three seconds to acknowledge; answering may take
	// longer, so acknowledge first and edit the answer in.
	if err := r.deferReply(false); err != nil {
		b.obs.Asked(SourceSlash, OutcomeFailed, 0)
		b.log.Warn("defer /ask", "err", b.restErr(err), "interaction", r.i.ID)
		return
	}
	ctx, cancel := context.WithTimeout(b.work, answerTimeout)
	defer cancel()
	// A model's answer is shown as it is written; the final edit replaces
	// it with the verified reply.
	partial := bot.NewThrottle(partialInterval, nil, func(p bot.Partial) { r.partial(p.Render()) })
	start := time.Now()
	reply, err := b.svc.Answer(ctx, bot.Question{Text: question, Lang: lang, OnPartial: partial.Offer})
	took := time.Since(start)
	partial.Discard()
	if err != nil {
		b.log.Warn("answer", "err", err, "interaction", r.i.ID)
		delivered := r.sendText(userSays(err), false)
		b.asked(SourceSlash, user, question, reply, err, took, delivered)
		return
	}
	if reply.Question == "" {
		reply.Question = question
	}
	reply.Question = bot.StripInvisible(reply.Question)
	delivered := r.send(renderReply(reply, true), false)
	b.asked(SourceSlash, user, question, reply, nil, took, delivered)
}

// maxRef is the longest reference /cite looks up, in characters: the
// longest real one ("document-name:12.34", "chapitre 12") is far shorter,
// and a longer one would be echoed whole in the error.
const maxRef = 64

// sayBadRef answers a reference too long to be one.
const sayBadRef = "That is not a reference: use a chapter (4) or a paragraph (4.2)."

func (b *Bot) cite(r *responder, ref string) {
	ref = strings.TrimSpace(bot.StripInvisible(ref))
	if utf8.RuneCountInString(ref) > maxRef {
		b.log.Info("cite", "err", "reference too long", "chars", utf8.RuneCountInString(ref))
		r.sendText(sayBadRef, true)
		return
	}
	reply, err := b.svc.Cite(ref, langOf(r.i))
	if err != nil {
		b.log.Info("cite", "err", err, "ref", ref)
		r.sendText(truncate(userSays(err), maxErrorText), true)
		return
	}
	r.send(renderReply(reply, false), false)
}

// maxErrorText bounds an error sentence shown to the user.
const maxErrorText = 300

func (b *Bot) autocomplete(r *responder) {
	d := r.i.ApplicationCommandData()
	prefix := ""
	for _, o := range d.Options {
		if o.Focused {
			prefix, _ = o.Value.(string)
		}
	}
	var choices []*discordgo.ApplicationCommandOptionChoice
	for _, c := range b.svc.Complete(strings.TrimSpace(prefix), langOf(r.i), maxChoices) {
		if len(choices) == maxChoices {
			break
		}
		v := c.Value
		if v == "" || len(v) > maxChoiceName {
			continue
		}
		choices = append(choices, &discordgo.ApplicationCommandOptionChoice{Name: truncate(c.Name, maxChoiceName), Value: v})
	}
	err := r.respond(&discordgo.InteractionResponse{
		Type: discordgo.InteractionApplicationCommandAutocompleteResult,
		Data: &discordgo.InteractionResponseData{Choices: choices},
	})
	if err != nil {
		b.log.Warn("autocomplete", "err", err)
	}
}

func (b *Bot) runReindex(r *responder) {
	user, roles := interactionUser(r.i)
	if !b.isMaintainer(user, roles) {
		b.log.Info("reindex refused", logUser, user)
		r.sendText(sayNotAllowed, true)
		return
	}
	if b.reindex == nil {
		r.sendText(sayNoReindex, true)
		return
	}
	if err := r.deferReply(true); err != nil {
		b.log.Warn("defer /reindex", "err", err)
		return
	}
	b.log.Info("reindex requested", logUser, user)
	summary, err := b.reindex(b.work)
	if err != nil {
		// Only maintainers get here: they are told why, on one line,
		// the token taken out, so that "already running" or a broken
		// source file can be acted on without reading the log.
		b.log.Error("reindex", "err", err)
		r.sendText("Reindex not done; the previous index stays in use: "+reindexReason(err, b.cfg.Token), true)
		return
	}
	r.sendText("Reindexed. "+summary, true)
}

// component handles the reply buttons.
func (b *Bot) component(r *responder) {
	id := r.i.MessageComponentData().CustomID
	if len(id) > maxCustomID {
		// Discord caps custom ids; a longer one is forged. Its keys could
		// otherwise fan out into one REST call per passage.
		b.log.Info("button with an oversized custom_id", "bytes", len(id))
		r.sendText("This button has expired.", true)
		return
	}
	switch {
	case strings.HasPrefix(id, translatePrefix):
		lang, keys, _ := strings.Cut(strings.TrimPrefix(id, translatePrefix), "|")
		reply, err := b.svc.Translate(uniqueKeys(keys), lang)
		if err != nil {
			b.log.Info("translate", "err", err)
			r.sendText(userSays(err), true)
			return
		}
		msgs := renderReply(reply, false)
		if len(msgs) == 1 {
			// Swap the message in place to the other language, keeping
			// the question it shows.
			if r.i.Message != nil && msgs[0].Content == "" {
				msgs[0].Content = r.i.Message.Content
			}
			r.update(msgs[0])
			return
		}
		r.send(msgs, true)
	case strings.HasPrefix(id, chapterPrefix):
		ch, lang, _ := strings.Cut(strings.TrimPrefix(id, chapterPrefix), "|")
		reply, err := b.svc.Cite(ch, lang)
		if err != nil {
			b.log.Info("full chapter", "err", err)
			r.sendText(userSays(err), true)
			return
		}
		r.send(renderReply(reply, false), true)
	default:
		r.sendText("This button has expired.", true)
	}
}

// uniqueKeys splits a button's align keys, each once, at most
// maxButtonKeys of them.
func uniqueKeys(keys string) []string {
	var out []string
	for _, k := range strings.Fields(keys) {
		if len(out) == maxButtonKeys {
			break
		}
		if !slices.Contains(out, k) {
			out = append(out, k)
		}
	}
	return out
}

// maxButtonKeys is the most passages one button swaps: as many as an
// answer quotes at most.
const maxButtonKeys = 10

// reindexReason is the first line of a reindex error, without the token,
// at most 300 characters.
func reindexReason(err error, token string) string {
	msg := redactErr(err, token).Error()
	if i := strings.IndexByte(msg, '\n'); i >= 0 {
		msg = msg[:i]
	}
	if r := []rune(msg); len(r) > 300 {
		msg = string(r[:299]) + "…"
	}
	return msg
}
