package discord

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/declbot/declbot/bot"
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
// codes Discord uses mid-session that reconnecting fixes, or asks the bot
// to reconnect (op 7): the bot resumes (RECONNECT, 4000) or, its session
// gone, identifies again (4009, and an INVALID_SESSION answering its
// RESUME), and answers the next question.
func TestGatewayClosedMidSession(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name           string
		code           int // 0: RECONNECT (op 7) instead of a close
		forget         bool
		wantIdentifies int
		wantResumes    int
	}{
		{"RECONNECT: resumed", 0, false, 1, 1},
		{"4000 unknown error: resumed", 4000, false, 1, 1},
		{"4009 session timed out: identified again", 4009, true, 2, 0},
		{"4000 with the session lost: invalid session, identified again", 4000, true, 2, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h := start(t, &fakeService{}, nil, nil)
			eventually(t, "connected", h.bot.Connected)
			if tt.code == 0 {
				h.srv.AskReconnect()
			} else {
				h.srv.CloseConnection(tt.code, tt.forget)
			}
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

// TestSlowPreviewDoesNotHoldTheAnswer: Discord rate-limiting the edits
// that preview a written answer must not stall the answer being written
// (the model's stream waits for each preview otherwise, and a model timing
// out costs the written answer), and the final reply still replaces the
// preview, never the other way round.
func TestSlowPreviewDoesNotHoldTheAnswer(t *testing.T) {
	t.Parallel()
	var srv *discordtest.Server
	// How many edits of the response were made when the preview returned.
	seen := make(chan int, 1)
	written := "They committed to cooperate on water [4.2]."
	svc := &fakeService{AnswerFunc: func(ctx context.Context, q bot.Question) (bot.Reply, error) {
		given := map[string]string{"4.2": quote42.Text}
		q.OnPartial(bot.NewPartial("They committed to cooperate on water resources [4.2].", given, "en"))
		seen <- len(srv.Calls(discordtest.OriginalEdits))
		return bot.Reply{Question: q.Text, Lang: "en", Mode: bot.ModeLLM, Answer: written, Passages: []bot.Quote{quote42}, Source: digestSource}, nil
	}}
	h := start(t, svc, nil, nil)
	srv = h.srv
	srv.Script("PATCH", "webhooks/*/*/messages/@original", discordtest.RateLimited(2), discordtest.RateLimited(2))
	sent := srv.SendCommand(guildUser, "ask", discordtest.String("question", "What about water?"))
	mine := discordtest.And(discordtest.ForInteraction(sent.Token), discordtest.OriginalEdits)
	select {
	case n := <-seen:
		if n > 1 {
			t.Errorf("the preview returned after %d edits of the response: the answer waited out Discord's rate limit", n)
		}
	case <-time.After(waitFor):
		t.Fatal("no answer")
	}
	srv.MustWait(t, waitFor, 1, discordtest.And(mine, func(c discordtest.Call) bool {
		return c.Status < 300 && strings.Contains(string(c.Body), `"embeds":[{`)
	}))
	time.Sleep(100 * time.Millisecond) // a stray preview would land now
	all := srv.Calls(mine)
	if last := decode[messageBody](t, all[len(all)-1]); len(last.Embeds) == 0 || !strings.Contains(last.Embeds[0].Description, "cooperate on water") {
		t.Errorf("last edit %+v, want the final reply", last)
	}
}
