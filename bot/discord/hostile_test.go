package discord

import (
	"context"
	"strings"
	"testing"

	"github.com/declbot/declbot/bot/discord/discordtest"
)

// TestEchoedInputEscaped: an error sentence that repeats what the user
// typed (a reference, a language) shows it literally, whatever markdown
// or ping it holds.
func TestEchoedInputEscaped(t *testing.T) {
	t.Parallel()
	h := start(t, &fakeService{}, nil, nil)
	for _, ref := range []string{"||spoiler||", "```x```", "> quoted", "**bold**", "@everyone", "[link](http://x.test)"} {
		t.Run(ref, func(t *testing.T) {
			sent := h.srv.SendCommand(guildUser, "cite", discordtest.String("ref", ref))
			c := h.srv.MustWait(t, waitFor, 1, discordtest.And(discordtest.ForInteraction(sent.Token), discordtest.Callbacks))[0]
			cb := decode[callbackBody](t, c)
			if cb.Data == nil {
				t.Fatalf("no data in %s", c)
			}
			checkNoPings(t, c, cb.Data)
			if !strings.Contains(cb.Data.Content, Escape(ref)) {
				t.Errorf("/cite %q answered %q, want the reference escaped: %q", ref, cb.Data.Content, Escape(ref))
			}
		})
	}
}

// TestGatewayClosedMidSession closes the live gateway connection with the
// codes Discord uses mid-session that reconnecting fixes: the bot
// resumes (4000) or, its session gone, identifies again (4009, and an
// INVALID_SESSION answering its RESUME), and answers the next question.
func TestGatewayClosedMidSession(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name           string
		code           int
		forget         bool
		wantIdentifies int
		wantResumes    int
	}{
		{"4000 unknown error: resumed", 4000, false, 1, 1},
		{"4009 session timed out: identified again", 4009, true, 2, 0},
		{"4000 with the session lost: invalid session, identified again", 4000, true, 2, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h := start(t, &fakeService{}, nil, nil)
			eventually(t, "connected", h.bot.Connected)
			h.srv.CloseConnection(tt.code, tt.forget)
			ctx, cancel := context.WithTimeout(context.Background(), waitFor)
			defer cancel()
			if err := h.srv.WaitGateway(ctx, func(s discordtest.GatewayStats) bool {
				return s.Identifies == tt.wantIdentifies && s.Resumes == tt.wantResumes && h.srv.Connected()
			}); err != nil {
				t.Fatalf("after close %d: %v; gateway %+v\nlogs:\n%s", tt.code, err, h.srv.Stats(), h.logs)
			}
			after := h.srv.SendCommand(guildUser, "ask", discordtest.String("question", "after?"))
			answerCalls(t, h.srv, after.Token)
			select {
			case err := <-h.done:
				h.done <- err
				t.Fatalf("Run returned %v after close code %d", err, tt.code)
			default:
			}
		})
	}
}

// TestWebhookMessagesIgnored: a message a webhook posted is ignored even
// when its author is not flagged a bot, so that another integration
// relaying text into the channel (a bridge, a feed) cannot make the bot
// answer it, nor two bots answer each other.
func TestWebhookMessagesIgnored(t *testing.T) {
	t.Parallel()
	h := start(t, &fakeService{}, nil, nil)
	hook := guildUser
	hook.UserID = "2000000000000000777"
	hook.WebhookID = hook.UserID
	h.srv.SendMessage(hook, "<@"+h.srv.BotUserID+"> relayed?", h.srv.BotUserID)
	// A person's mention after it is answered; by then the other was handled.
	h.srv.SendMessage(guildUser, "<@"+h.srv.BotUserID+"> water?", h.srv.BotUserID)
	h.srv.MustWait(t, waitFor, 1, discordtest.ChannelMessages)
	if q := h.svc.asked(); len(q) != 1 || q[0].Text != "water?" {
		t.Errorf("service asked %+v, want only the person's mention", q)
	}
}
