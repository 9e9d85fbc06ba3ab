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

// rateSeconds is a rate-limit wait in whole seconds, rounded up.
func rateSeconds(wait time.Duration) int {
	return int((wait + time.Second - 1) / time.Second)
}

// Limits on what Discord shows of a command: descriptions and choice
// names.
const (
	maxDescriptionText = 100
)

// commands returns the slash commands, described in the fallback language
// and localised into every Discord locale of the others. The /ask language
// choices are the table's languages, named in themselves.
func (p phrasebook) commands() []*discordgo.ApplicationCommand {
	manageGuild := int64(discordgo.PermissionManageGuild)
	noDM := false
	en := p.fallback()
	var names []string
	var choices []*discordgo.ApplicationCommandOptionChoice
	for _, l := range p.langs.All() {
		names = append(names, l.Name)
		if len(choices) < maxChoices {
			choices = append(choices, &discordgo.ApplicationCommandOptionChoice{Name: truncate(l.Name, maxChoiceName), Value: l.Code})
		}
	}
	languages := strings.Join(names, ", ")
	desc := func(key string, args ...any) (string, map[discordgo.Locale]string) {
		return truncate(p.say(en, key, args...), maxDescriptionText), p.localized(key, maxDescriptionText, args...)
	}
	cmd := func(name, key string) *discordgo.ApplicationCommand {
		d, l := desc(key)
		c := &discordgo.ApplicationCommand{Name: name, Description: d}
		if l != nil {
			c.DescriptionLocalizations = &l
		}
		return c
	}
	opt := func(name, key string, args ...any) *discordgo.ApplicationCommandOption {
		d, l := desc(key, args...)
		return &discordgo.ApplicationCommandOption{Type: discordgo.ApplicationCommandOptionString, Name: name, Description: d, DescriptionLocalizations: l}
	}
	ask := cmd("ask", "discord_cmd_ask")
	question := opt("question", "discord_cmd_ask_question", "languages", languages)
	question.Required, question.MaxLength = true, MaxQuestion
	language := opt("language", "discord_cmd_ask_language")
	language.Choices = choices
	ask.Options = []*discordgo.ApplicationCommandOption{question, language}
	cite := cmd("cite", "discord_cmd_cite")
	ref := opt("ref", "discord_cmd_cite_ref")
	ref.Required, ref.Autocomplete = true, true
	cite.Options = []*discordgo.ApplicationCommandOption{ref}
	reindex := cmd("reindex", "discord_cmd_reindex")
	reindex.DefaultMemberPermissions, reindex.DMPermission = &manageGuild, &noDM
	return []*discordgo.ApplicationCommand{ask, cite, cmd("chapters", "discord_cmd_chapters"), cmd("about", "discord_cmd_about"), reindex}
}

// checkQuestion returns a sentence, in lang, explaining what is wrong with
// a question, or "" when it may be asked.
func (p phrasebook) checkQuestion(lang, q string) string {
	q = strings.TrimSpace(q)
	if q == "" {
		return p.say(lang, "discord_empty_slash")
	}
	if n := utf8.RuneCountInString(q); n > MaxQuestion {
		return p.say(lang, "discord_too_long", "limit", MaxQuestion, "n", n)
	}
	return ""
}

// userSays turns a service error into what the user sees: an input error's
// own sentence, or a generic one in lang. The input error's sentence is
// escaped: it may repeat what the user typed (a reference, a language),
// and that must show as typed, not as a spoiler, a code block or a masked
// link.
func (p phrasebook) userSays(lang string, err error) string {
	if msg, ok := bot.IsInputError(err); ok && msg != "" {
		return Escape(msg)
	}
	return p.say(lang, "discord_error")
}

// langOf picks the language for lookups and notices from the user's
// client locale.
func (b *Bot) langOf(i *discordgo.Interaction) string {
	return b.words.fromLocale(i.Locale)
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
	r := &responder{s: s, i: i, b: b, lang: b.langOf(i)}
	if i.Data == nil {
		// discordgo could not decode it; the user still deserves a word.
		b.log.Warn("interaction without data", "interaction", i.ID, "type", int(i.Type))
		if i.Type != discordgo.InteractionApplicationCommandAutocomplete && i.Token != "" {
			r.sendText(r.say("discord_error"), true)
		}
		return
	}
	if !b.enter() {
		if i.Type != discordgo.InteractionApplicationCommandAutocomplete {
			r.sendText(r.say("discord_closing"), true)
		}
		return
	}
	defer b.inflight.Done()
	defer func() {
		if p := recover(); p != nil {
			b.log.Error("panic answering interaction", "panic", fmt.Sprint(p), "stack", string(debug.Stack()), "interaction", i.ID)
			r.fail(r.say("discord_error"))
		}
	}()
	switch i.Type {
	case discordgo.InteractionApplicationCommand:
		b.command(r)
	case discordgo.InteractionApplicationCommandAutocomplete:
		b.autocomplete(r)
	case discordgo.InteractionMessageComponent:
		b.component(r)
	case discordgo.InteractionModalSubmit:
		b.rateWhySubmitted(r)
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
		chs, err := b.svc.Chapters(r.lang)
		if err != nil {
			b.log.Warn("chapters", "err", err)
			r.sendText(b.words.userSays(r.lang, err), true)
			return
		}
		r.send(renderChapters(b.words, r.lang, chs), false)
	case "about":
		r.send(renderAbout(b.words, r.lang, b.svc.About(r.lang)), false)
	case "reindex":
		b.runReindex(r)
	default:
		r.sendText(r.say("discord_unknown_command"), true)
	}
}

func (b *Bot) ask(r *responder, question, lang string) {
	user, _ := interactionUser(r.i)
	question = strings.TrimSpace(bot.StripInvisible(question))
	if msg := b.words.checkQuestion(r.lang, question); msg != "" {
		b.refused(SourceSlash, user, question, "invalid")
		r.sendText(msg, true)
		return
	}
	if wait := b.limiter.allow(user); wait > 0 {
		b.obs.RateLimited(SourceSlash)
		b.refused(SourceSlash, user, question, "rate limit")
		// Ephemeral: only the asker sees it, however often they ask.
		r.sendText(r.say("discord_rate_limited", "seconds", rateSeconds(wait)), true)
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
		delivered := r.sendText(b.words.userSays(r.lang, err), false)
		b.asked(SourceSlash, user, question, reply, err, took, delivered)
		return
	}
	if reply.Question == "" {
		reply.Question = question
	}
	reply.Question = bot.StripInvisible(reply.Question)
	msgs, answerID := b.rateable(renderReply(b.words, reply, true))
	delivered := r.send(msgs, false)
	b.asked(SourceSlash, user, question, reply, nil, took, delivered)
	b.recordAnswer(answerID, SourceSlash, user, question, reply, took, delivered)
}

// maxRef is the longest reference /cite looks up, in characters: the
// longest real one ("document-name:12.34", "chapitre 12") is far shorter,
// and a longer one would be echoed whole in the error.
const maxRef = 64

func (b *Bot) cite(r *responder, ref string) {
	ref = strings.TrimSpace(bot.StripInvisible(ref))
	if utf8.RuneCountInString(ref) > maxRef {
		b.log.Info("cite", "err", "reference too long", "chars", utf8.RuneCountInString(ref))
		r.sendText(r.say("discord_bad_ref"), true)
		return
	}
	reply, err := b.svc.Cite(ref, r.lang)
	if err != nil {
		b.log.Info("cite", "err", err, "ref", ref)
		r.sendText(truncate(b.words.userSays(r.lang, err), maxErrorText), true)
		return
	}
	r.send(renderReply(b.words, reply, false), false)
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
	for _, c := range b.svc.Complete(strings.TrimSpace(prefix), r.lang, maxChoices) {
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
		r.sendText(r.say("discord_not_allowed"), true)
		return
	}
	if b.reindex == nil {
		r.sendText(r.say("discord_no_reindex"), true)
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
		r.sendText(r.say("discord_reindex_failed", "reason", reindexReason(err, b.cfg.Token)), true)
		return
	}
	r.sendText(r.say("discord_reindexed", "summary", summary), true)
}

// component handles the reply's components: the language menu, the
// language button of earlier replies, and the full-chapter button.
func (b *Bot) component(r *responder) {
	data := r.i.MessageComponentData()
	id := data.CustomID
	if len(id) > maxCustomID {
		// Discord caps custom ids; a longer one is forged. Its keys could
		// otherwise fan out into one REST call per passage.
		b.log.Info("component with an oversized custom_id", "bytes", len(id))
		r.sendText(r.say("discord_expired"), true)
		return
	}
	if b.rate(r, id) {
		return
	}
	switch {
	case strings.HasPrefix(id, languagePrefix):
		if len(data.Values) != 1 || !b.words.langs.Has(data.Values[0]) {
			b.log.Info("language menu without one known language", "values", len(data.Values))
			r.sendText(r.say("discord_expired"), true)
			return
		}
		b.translate(r, data.Values[0], strings.TrimPrefix(id, languagePrefix))
	case strings.HasPrefix(id, translatePrefix):
		lang, keys, _ := strings.Cut(strings.TrimPrefix(id, translatePrefix), "|")
		b.translate(r, lang, keys)
	case strings.HasPrefix(id, chapterPrefix):
		ch, lang, _ := strings.Cut(strings.TrimPrefix(id, chapterPrefix), "|")
		reply, err := b.svc.Cite(ch, lang)
		if err != nil {
			b.log.Info("full chapter", "err", err)
			r.sendText(b.words.userSays(r.lang, err), true)
			return
		}
		r.send(renderReply(b.words, reply, false), true)
	default:
		r.sendText(r.say("discord_expired"), true)
	}
}

// translate swaps the message the component is on to the passages with
// keys (space separated) in lang.
func (b *Bot) translate(r *responder, lang, keys string) {
	reply, err := b.svc.Translate(uniqueKeys(keys), lang)
	if err != nil {
		b.log.Info("translate", "err", err)
		r.sendText(b.words.userSays(r.lang, err), true)
		return
	}
	msgs := renderReply(b.words, reply, false)
	if len(msgs) == 1 {
		// Swap the message in place to the other language, keeping the
		// question it shows.
		if r.i.Message != nil && msgs[0].Content == "" {
			msgs[0].Content = r.i.Message.Content
		}
		r.update(msgs[0])
		return
	}
	r.send(msgs, true)
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

// maxButtonKeys is the most passages one component swaps: as many as an
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
