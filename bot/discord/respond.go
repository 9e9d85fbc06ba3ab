package discord

import (
	"context"
	"errors"
	"hash/fnv"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/bwmarrin/discordgo"
)

// responder answers one interaction and remembers how far it got, so that
// each message goes the right way (first response, edit of a deferred
// response, or follow-up) and a failure still reaches the user.
type responder struct {
	s *discordgo.Session
	i *discordgo.Interaction
	b *Bot
	// lang is the user's, from their client locale: the language of the
	// notices the adapter sends itself.
	lang string

	mu    sync.Mutex
	state int
	// unedited is set when the deferred response could not be edited:
	// it still says "thinking…", and a short failure notice may fit.
	unedited bool
	// preview is the edit showing a partial answer, while one is going
	// out: cancelled, and waited for, before the reply itself is sent.
	preview *preview
}

// preview is an edit of the deferred response showing a written answer
// still arriving.
type preview struct {
	cancel context.CancelFunc
	done   chan struct{} // closed when the edit has returned
}

const (
	fresh     = iota // nothing sent yet
	deferred         // acknowledged; the original response is to be edited in
	responded        // the original response exists, or could not be edited: follow-ups
	inChannel        // follow-ups failed too: channel messages
)

func flags(ephemeral bool) discordgo.MessageFlags {
	if ephemeral {
		return discordgo.MessageFlagsEphemeral
	}
	return 0
}

// retry runs call, again after a pause when Discord answers with a server
// error, at most three times. discordgo itself waits out 429s and retries
// 502s.
func retry(call func() error) error {
	var err error
	for attempt := 0; attempt < 3; attempt++ {
		if attempt > 0 {
			time.Sleep(time.Duration(attempt) * 200 * time.Millisecond)
		}
		err = call()
		var re *discordgo.RESTError
		if err == nil || !errors.As(err, &re) || re.Response == nil || re.Response.StatusCode < http.StatusInternalServerError {
			return err
		}
	}
	return err
}

// deferReply acknowledges the interaction; the answer is edited in later.
func (r *responder) deferReply(ephemeral bool) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	err := retry(func() error {
		return r.respond(&discordgo.InteractionResponse{
			Type: discordgo.InteractionResponseDeferredChannelMessageWithSource,
			Data: &discordgo.InteractionResponseData{Flags: flags(ephemeral)},
		})
	})
	if err == nil {
		r.state = deferred
	}
	return err
}

// say returns the message key in the user's language.
func (r *responder) say(key string, args ...any) string {
	return r.b.words.say(r.lang, key, args...)
}

func (r *responder) sendText(text string, ephemeral bool) bool {
	return r.send(textMessages(text), ephemeral)
}

// send delivers msgs: the first as the response (or as the edit of the
// deferred one), the rest as follow-ups, and reports whether they all
// went. When a way fails, the next is tried: a deferred response that
// cannot be edited is followed up, and follow-ups that fail give way to
// messages in the channel (for what is not ephemeral). When a message
// cannot be delivered at all, the rest are not sent and the user is told
// something went wrong, if that can still reach them.
func (r *responder) send(msgs []message, ephemeral bool) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.stopPreview()
	for _, m := range msgs {
		if err := r.deliver(m, ephemeral); err != nil {
			r.b.log.Warn("send interaction reply", "err", r.b.restErr(err), "interaction", r.i.ID)
			if notice := r.say("discord_error"); len(msgs) > 1 || m.Content != notice {
				if r.unedited {
					r.state = deferred // the notice replaces "thinking…"
				}
				if err := r.deliver(textMessages(notice)[0], ephemeral); err != nil {
					r.b.log.Warn("send failure notice", "err", r.b.restErr(err), "interaction", r.i.ID)
				}
			}
			return false
		}
	}
	return true
}

// deliver sends m the way the state says, falling back as send
// describes.
func (r *responder) deliver(m message, ephemeral bool) error {
	err := r.sendOne(m, ephemeral)
	if err == nil {
		return nil
	}
	if r.state == deferred {
		r.b.log.Warn("edit the deferred response; following up instead", "err", r.b.restErr(err), "interaction", r.i.ID)
		r.state, r.unedited = responded, true
		if err = r.sendOne(m, ephemeral); err == nil {
			return nil
		}
	}
	if r.state == responded && !ephemeral && r.i.ChannelID != "" {
		r.b.log.Warn("follow up; posting in the channel instead", "err", r.b.restErr(err), "interaction", r.i.ID)
		r.state = inChannel
		err = r.sendOne(m, ephemeral)
	}
	return err
}

func (r *responder) sendOne(m message, ephemeral bool) error {
	switch r.state {
	case fresh:
		err := retry(func() error {
			return r.respond(&discordgo.InteractionResponse{
				Type: discordgo.InteractionResponseChannelMessageWithSource,
				Data: &discordgo.InteractionResponseData{
					Content: m.Content, Embeds: m.Embeds, Components: m.Components,
					AllowedMentions: noMentions(), Flags: flags(ephemeral),
				},
			})
		})
		if err == nil {
			r.state = responded
		}
		return err
	case deferred:
		err := retry(func() error { return r.editOriginal(m) })
		if err == nil {
			r.state, r.unedited = responded, false
		}
		return err
	case inChannel:
		return retry(func() error {
			return post(r.s, r.i.ChannelID, &discordgo.MessageSend{
				Content: m.Content, Embeds: m.Embeds, Components: m.Components,
				AllowedMentions: noMentions(),
			})
		})
	default:
		return retry(func() error {
			endpoint := discordgo.EndpointWebhookToken(r.i.AppID, r.i.Token)
			_, err := r.s.RequestWithBucketID(http.MethodPost, endpoint, &discordgo.WebhookParams{
				Content: m.Content, Embeds: m.Embeds, Components: m.Components,
				AllowedMentions: noMentions(), Flags: flags(ephemeral),
			}, bucket("followup", r.i.Token))
			return err
		})
	}
}

// editOriginal edits the deferred response in. discordgo's
// InteractionResponseEdit puts every webhook edit of the process in one
// rate-limit bucket, serialising all answers behind each other; Discord
// limits webhook edits per interaction token, so the bucket here is one
// of a pool, chosen by token (see bucket).
func (r *responder) editOriginal(m message, options ...discordgo.RequestOption) error {
	content := m.Content
	embeds := m.Embeds
	if embeds == nil {
		embeds = []*discordgo.MessageEmbed{}
	}
	components := m.Components
	if components == nil {
		components = []discordgo.MessageComponent{}
	}
	edit := &discordgo.WebhookEdit{
		Content: &content, Embeds: &embeds, Components: &components,
		AllowedMentions: noMentions(),
	}
	endpoint := discordgo.EndpointWebhookMessage(r.i.AppID, r.i.Token, "@original")
	_, err := r.s.RequestWithBucketID(http.MethodPatch, endpoint, edit, bucket("edit", r.i.Token), options...)
	return err
}

// respond posts the interaction's callback: a response, a deferral, an
// update or autocomplete choices.
func (r *responder) respond(resp *discordgo.InteractionResponse) error {
	endpoint := discordgo.EndpointInteractionResponse(r.i.ID, r.i.Token)
	_, err := r.s.RequestWithBucketID(http.MethodPost, endpoint, resp, bucket("callback", r.i.Token))
	return err
}

// interactionBuckets is how many rate-limit buckets the calls of one kind
// about interactions share.
//
// discordgo keeps a bucket for each bucket id for as long as the session
// lives, and its default id is the URL, which for an interaction holds
// the interaction's token: two buckets per question (callback and edit),
// never freed, about 0.5 KB a question, hundreds of megabytes over months.
// Ids from a fixed pool bound that. A bucket is held for the duration of
// a call, so the pool size is also how many calls of a kind run at once;
// a token's rate-limit headers may briefly hold back the others sharing
// its bucket.
const interactionBuckets = 128

// bucket returns the rate-limit bucket id for a call of kind about the
// interaction with token.
func bucket(kind, token string) string {
	h := fnv.New32a()
	h.Write([]byte(token))
	return "interactions/" + kind + "/" + strconv.Itoa(int(h.Sum32()%interactionBuckets))
}

// partial shows a written answer still arriving in the deferred response.
// The edit goes out on a goroutine of its own, and a text offered while
// the previous one is still going out is skipped: partial is called as
// the model writes, and an edit Discord is slow to take (a rate limit
// waited out, a slow server) must not hold up the answer, whose model may
// time out meanwhile. A failure only costs the preview: it is logged at
// debug level.
func (r *responder) partial(text string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.state != deferred || strings.TrimSpace(text) == "" {
		return
	}
	if r.preview != nil {
		select {
		case <-r.preview.done:
		default:
			return
		}
	}
	ctx, cancel := context.WithCancel(r.b.work)
	p := &preview{cancel: cancel, done: make(chan struct{})}
	r.preview = p
	m := message{Content: partialContent(text)}
	go func() {
		defer close(p.done)
		defer cancel()
		if err := r.editOriginal(m, discordgo.WithContext(ctx)); err != nil {
			r.b.log.Debug("show partial answer", "err", r.b.restErr(err), "interaction", r.i.ID)
		}
	}()
}

// previewGrace is how long the reply waits for a preview edit going out
// to finish before cancelling it: a quick edit is let through (the user
// sees the answer being written), a slow one does not delay the answer.
const previewGrace = time.Second

// stopPreview waits for the preview edit going out, if any, at most
// previewGrace, then cancels it and waits for it to return, so that it
// cannot land after the reply and replace it. r.mu must be held; the
// preview's goroutine does not take it.
func (r *responder) stopPreview() {
	p := r.preview
	if p == nil {
		return
	}
	r.preview = nil
	select {
	case <-p.done:
		return
	case <-time.After(previewGrace):
	}
	p.cancel()
	<-p.done
}

// update replaces the message a button was clicked on.
func (r *responder) update(m message) {
	r.mu.Lock()
	defer r.mu.Unlock()
	err := retry(func() error {
		return r.respond(&discordgo.InteractionResponse{
			Type: discordgo.InteractionResponseUpdateMessage,
			Data: &discordgo.InteractionResponseData{
				Content: m.Content, Embeds: m.Embeds, Components: m.Components,
				AllowedMentions: noMentions(),
			},
		})
	})
	if err != nil {
		r.b.log.Warn("update message", "err", r.b.restErr(err), "interaction", r.i.ID)
		return
	}
	r.state = responded
}

// fail tells the user something went wrong, however far the reply got.
// It is called after a panic, so it takes the lock only if free: the
// panicking code may hold it.
func (r *responder) fail(text string) {
	if !r.mu.TryLock() {
		r.b.log.Error("cannot report failure: reply in progress", "interaction", r.i.ID)
		return
	}
	defer r.mu.Unlock()
	r.stopPreview()
	ephemeral := r.state != deferred
	if err := r.deliver(textMessages(text)[0], ephemeral); err != nil {
		r.b.log.Warn("report failure", "err", r.b.restErr(err), "interaction", r.i.ID)
	}
}
