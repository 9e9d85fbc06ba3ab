package discord

import (
	"context"
	"fmt"
	"runtime/debug"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/declbot/declbot/bot"
)

// threadArchiveMinutes is how long a quiet answer thread stays open.
const threadArchiveMinutes = 1440

// mentions reports whether m mentions the user id.
func mentions(m *discordgo.Message, id string) bool {
	if id == "" {
		return false
	}
	for _, u := range m.Mentions {
		if u != nil && u.ID == id {
			return true
		}
	}
	return false
}

// stripMention removes the bot's mention from a message, leaving the
// question.
func stripMention(content, id string) string {
	content = strings.ReplaceAll(content, "<@"+id+">", " ")
	content = strings.ReplaceAll(content, "<@!"+id+">", " ")
	return strings.TrimSpace(content)
}

// onMessage answers a message that mentions the bot, in a thread started
// on it or as a reply, and direct messages. Without the Message Content
// intent, Discord still gives the bot the content of both.
func (b *Bot) onMessage(s *discordgo.Session, mc *discordgo.MessageCreate) {
	m := mc.Message
	me := b.botUserID(s)
	// Not bots, not the bot itself, and not webhooks, whose author need
	// not be flagged a bot: a relay posting in the channel is no asker.
	if m == nil || m.Author == nil || m.Author.Bot || m.Author.ID == me || m.WebhookID != "" {
		return
	}
	// Only what people write: not joins, pins or thread notices.
	if m.Type != discordgo.MessageTypeDefault && m.Type != discordgo.MessageTypeReply {
		return
	}
	dm := m.GuildID == ""
	if dm && !b.cfg.AllowDMs {
		return
	}
	if !dm && !mentions(m, me) {
		return
	}
	if !b.enter() {
		return
	}
	defer b.inflight.Done()
	out := &channelReply{s: s, b: b, channel: m.ChannelID, ref: m.SoftReference(), lang: b.words.fallback()}
	defer func() {
		if p := recover(); p != nil {
			b.log.Error("panic answering message", "panic", fmt.Sprint(p), "stack", string(debug.Stack()), "message", m.ID)
			out.send(textMessages(out.say("discord_error")))
		}
	}()

	source := SourceMention
	if dm {
		source = SourceDM
	}
	question := strings.TrimSpace(bot.StripInvisible(stripMention(m.Content, me)))
	// Until the answer says otherwise, the user is spoken to in the
	// language they wrote in.
	out.lang = b.words.of(question)
	if msg := b.words.checkQuestion(out.lang, question); msg != "" {
		if question == "" {
			msg = out.say("discord_empty_mention")
		}
		b.refused(source, m.Author.ID, question, "invalid")
		out.send(textMessages(msg))
		return
	}
	if wait := b.limiter.allow(m.Author.ID); wait > 0 {
		b.obs.RateLimited(source)
		b.refused(source, m.Author.ID, question, "rate limit")
		if b.limiter.notice(m.Author.ID, wait) {
			out.send(textMessages(out.say("discord_rate_limited", "seconds", rateSeconds(wait))))
		}
		return
	}
	if !dm && b.cfg.ReplyInThread && !b.inThread(s, m.ChannelID) {
		th, err := startThread(s, m.ChannelID, m.ID, threadStart{
			Name:                truncate(question, maxThreadName),
			AutoArchiveDuration: threadArchiveMinutes,
		})
		if err != nil {
			// A channel that takes no threads (or a thread the bot did
			// not start): reply instead.
			b.log.Info("start thread; replying in channel instead", "err", b.restErr(err), "message", m.ID)
		} else {
			b.threads.add(th)
			out.channel, out.ref = th, nil
		}
	}
	// The conversation is where the answer goes: a thread started for the
	// question is where its follow-ups will be asked.
	conv := conversation(out.channel, m.Author.ID)
	earlier := b.history.get(conv)
	b.history.add(conv, question)
	ctx, cancel := context.WithTimeout(b.work, answerTimeout)
	defer cancel()
	start := time.Now()
	reply, err := b.svc.Answer(ctx, bot.Question{Text: question, History: earlier})
	took := time.Since(start)
	if err != nil {
		b.log.Warn("answer", "err", err, "message", m.ID)
		delivered := out.send(textMessages(b.words.userSays(out.lang, err)))
		b.asked(source, m.Author.ID, question, reply, err, took, delivered)
		return
	}
	out.lang = reply.Lang
	msgs, answerID := b.rateable(renderReply(b.words, reply, false))
	delivered := out.send(msgs)
	b.asked(source, m.Author.ID, question, reply, nil, took, delivered)
	b.recordAnswer(answerID, source, m.Author.ID, question, reply, took, delivered)
}

// channelReply posts messages to a channel, the first one as a reply to
// the question when ref is set.
type channelReply struct {
	s       *discordgo.Session
	b       *Bot
	channel string
	ref     *discordgo.MessageReference
	// lang is the language of the notices sent when something fails.
	lang string
}

func (c *channelReply) say(key string, args ...any) string {
	return c.b.words.say(c.lang, key, args...)
}

// send posts msgs in order and reports whether they all were. When one
// cannot be posted, the rest are not (they would make no sense alone) and
// the user is told something went wrong, if that can still be posted.
func (c *channelReply) send(msgs []message) bool {
	for i, m := range msgs {
		if err := c.post(m, i == 0); err != nil {
			c.b.log.Warn("send message", "err", c.b.restErr(err), "channel", c.channel)
			if notice := c.say("discord_error"); len(msgs) > 1 || m.Content != notice {
				if err := c.post(textMessages(notice)[0], i == 0); err != nil {
					c.b.log.Warn("send failure notice", "err", c.b.restErr(err), "channel", c.channel)
				}
			}
			return false
		}
	}
	return true
}

func (c *channelReply) post(m message, first bool) error {
	send := &discordgo.MessageSend{
		Content: m.Content, Embeds: m.Embeds, Components: m.Components,
		AllowedMentions: noMentions(),
	}
	if first && c.ref != nil {
		send.Reference = c.ref
	}
	return retry(func() error { return post(c.s, c.channel, send) })
}
