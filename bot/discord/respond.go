package discord

import (
	"errors"
	"net/http"
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

	mu    sync.Mutex
	state int
}

const (
	fresh     = iota // nothing sent yet
	deferred         // acknowledged; the original response is to be edited in
	responded        // the original response exists
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
		return r.s.InteractionRespond(r.i, &discordgo.InteractionResponse{
			Type: discordgo.InteractionResponseDeferredChannelMessageWithSource,
			Data: &discordgo.InteractionResponseData{Flags: flags(ephemeral)},
		})
	})
	if err == nil {
		r.state = deferred
	}
	return err
}

func (r *responder) sendText(text string, ephemeral bool) {
	r.send(textMessages(text), ephemeral)
}

// send delivers msgs: the first as the response (or as the edit of the
// deferred one), the rest as follow-ups. Errors are logged: there is no
// one left to tell.
func (r *responder) send(msgs []message, ephemeral bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, m := range msgs {
		if err := r.sendOne(m, ephemeral); err != nil {
			r.b.log.Warn("send interaction reply", "err", err, "interaction", r.i.ID)
			return
		}
	}
}

func (r *responder) sendOne(m message, ephemeral bool) error {
	switch r.state {
	case fresh:
		err := retry(func() error {
			return r.s.InteractionRespond(r.i, &discordgo.InteractionResponse{
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
			r.state = responded
		}
		return err
	default:
		return retry(func() error {
			_, err := r.s.FollowupMessageCreate(r.i, false, &discordgo.WebhookParams{
				Content: m.Content, Embeds: m.Embeds, Components: m.Components,
				AllowedMentions: noMentions(), Flags: flags(ephemeral),
			})
			return err
		})
	}
}

// editOriginal edits the deferred response in. discordgo's
// InteractionResponseEdit puts every webhook edit of the process in one
// rate-limit bucket, serialising all answers behind each other; Discord
// limits webhook edits per interaction token, so the bucket here is the
// token's own endpoint.
func (r *responder) editOriginal(m message) error {
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
	_, err := r.s.RequestWithBucketID(http.MethodPatch, endpoint, edit, endpoint)
	return err
}

// partial shows a written answer still arriving in the deferred response.
// A failure only costs the preview: it is logged at debug level.
func (r *responder) partial(text string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.state != deferred || strings.TrimSpace(text) == "" {
		return
	}
	if err := r.editOriginal(message{Content: partialContent(text)}); err != nil {
		r.b.log.Debug("show partial answer", "err", err, "interaction", r.i.ID)
	}
}

// update replaces the message a button was clicked on.
func (r *responder) update(m message) {
	r.mu.Lock()
	defer r.mu.Unlock()
	err := retry(func() error {
		return r.s.InteractionRespond(r.i, &discordgo.InteractionResponse{
			Type: discordgo.InteractionResponseUpdateMessage,
			Data: &discordgo.InteractionResponseData{
				Content: m.Content, Embeds: m.Embeds, Components: m.Components,
				AllowedMentions: noMentions(),
			},
		})
	})
	if err != nil {
		r.b.log.Warn("update message", "err", err, "interaction", r.i.ID)
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
	ephemeral := r.state != deferred
	if err := r.sendOne(textMessages(text)[0], ephemeral); err != nil {
		r.b.log.Warn("report failure", "err", err, "interaction", r.i.ID)
	}
}
