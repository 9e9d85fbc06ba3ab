package discord

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/gorilla/websocket"

	"github.com/declbot/declbot/bot"
	"github.com/declbot/declbot/bot/discord/discordtest"
)

// Scenarios on a Discord-compatible server that is stricter, slower or
// more broken than Discord, and under hostile input: each injects one
// fault into the fake and checks what the user and the operator get.

// longReply is an answer rendered over two messages.
func longReply(q bot.Question) bot.Reply {
	long := strings.Repeat("The leaders agreed to deepen cooperation on water, energy and transport. ", 68)
	p := quote42
	p.Text = long
	return bot.Reply{Question: q.Text, Lang: "en", Mode: "llm", Answer: long, Passages: []bot.Quote{p, quote41}, Source: digestSource}
}

// startObserved is start with a recorder as the observer, set before Run.
func startObserved(t *testing.T, opts discordtest.Options, svc *fakeService, edit func(*Config), tune func(*Bot)) (*harness, *recorder) {
	t.Helper()
	rec := newRecorder()
	h := startTuned(t, opts, svc, edit, nil, func(b *Bot) {
		b.SetObserver(rec)
		if tune != nil {
			tune(b)
		}
	})
	return h, rec
}

func (r *recorder) count(key string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.asked[key]
}

func TestRegistrationRefusedKeepsMentionsAndDMs(t *testing.T) {
	t.Parallel()
	rec := newRecorder()
	srv := discordtest.New(t, discordtest.Options{Token: testToken})
	forbidden := discordtest.Response{Status: http.StatusForbidden, Body: `{"message":"Missing Access","code":50001}`}
	srv.Script(http.MethodPut, "applications/*/guilds/*/commands", forbidden)
	h := runOn(t, srv, &fakeService{}, nil, nil, func(b *Bot) {
		b.SetObserver(rec)
		b.registerRetry = 500 * time.Millisecond
	})
	srv.MustWait(t, waitFor, 1, discordtest.CommandOverwrites)
	eventually(t, "connected", h.bot.Connected)
	eventually(t, "the refusal noticed", func() bool { return h.bot.Missing() != "" })
	if got := h.bot.Missing(); !strings.Contains(got, "slash commands") || !strings.Contains(got, "Missing Access") {
		t.Errorf("Missing() = %q after a refused registration, want it to name the slash commands and why", got)
	}
	if rec.registered.Load() != -1 {
		t.Errorf("observer told registered=%d, want -1 (not registered)", rec.registered.Load())
	}
	select {
	case err := <-h.done:
		t.Fatalf("Run returned %v after a refused registration; want it to keep answering", err)
	default:
	}
	srv.SendMessage(guildUser, "<@"+srv.BotUserID+"> water?", srv.BotUserID)
	srv.SendMessage(dmUser, "water?")
	msgs := srv.MustWait(t, waitFor, 2, discordtest.ChannelMessages)
	for _, m := range msgs {
		if !strings.Contains(string(m.Body), "¶4.2") {
			t.Errorf("answer %s does not cite ¶4.2", m)
		}
	}
	// The registration is retried in the background, and then nothing is
	// missing.
	srv.MustWait(t, waitFor, 2, discordtest.CommandOverwrites)
	eventually(t, "registered on retry", func() bool { return h.bot.Missing() == "" })
	if rec.registered.Load() != 1 {
		t.Errorf("observer told registered=%d after the retry, want 1", rec.registered.Load())
	}
}

func TestThreadStartSendsOnlyItsFields(t *testing.T) {
	t.Parallel()
	h := startWith(t, discordtest.Options{Token: testToken, Strict: true}, &fakeService{}, nil, nil)
	sent := h.srv.SendMessage(guildUser, "<@"+h.srv.BotUserID+"> what about water?", h.srv.BotUserID)
	th := h.srv.MustWait(t, waitFor, 1, discordtest.ThreadStarts)[0]
	if th.Status != http.StatusCreated {
		t.Errorf("thread start %s refused by a strict server", th)
	}
	if strings.Contains(string(th.Body), "invitable") {
		t.Errorf("thread start sends invitable: %s", th.Body)
	}
	msg := h.srv.MustWait(t, waitFor, 1, discordtest.ChannelMessages)[0]
	if msg.Path != "channels/"+sent.ID+"/messages" {
		t.Errorf("answer posted to %s, want the thread %s", msg.Path, sent.ID)
	}
}

func TestNoThreadInsideOwnThread(t *testing.T) {
	t.Parallel()
	h := startWith(t, discordtest.Options{Token: testToken, Strict: true}, &fakeService{}, nil, nil)
	first := h.srv.SendMessage(guildUser, "<@"+h.srv.BotUserID+"> what about water?", h.srv.BotUserID)
	h.srv.MustWait(t, waitFor, 1, discordtest.ChannelMessages)
	inThread := guildUser
	inThread.ChannelID = first.ID // the thread the bot started
	follow := h.srv.SendMessage(inThread, "<@"+h.srv.BotUserID+"> and energy?", h.srv.BotUserID)
	msgs := h.srv.MustWait(t, waitFor, 2, discordtest.ChannelMessages)
	if n := len(h.srv.Calls(discordtest.ThreadStarts)); n != 1 {
		t.Errorf("%d thread starts, want 1: a question in the bot's thread is answered there", n)
	}
	m := decode[messageBody](t, msgs[1])
	if msgs[1].Path != "channels/"+first.ID+"/messages" || m.MessageReference == nil || m.MessageReference.MessageID != follow.ID {
		t.Errorf("follow-up answered with %s, want a reply in the thread", msgs[1])
	}
}

// garbled answers a call with 200 and a body that is not JSON.
var garbled = discordtest.Response{Status: http.StatusOK, Body: "<html>ok</html>", ContentType: "text/html"}

func TestPostedMessageCountsEvenIfEchoUndecodable(t *testing.T) {
	t.Parallel()
	svc := &fakeService{AnswerFunc: func(ctx context.Context, q bot.Question) (bot.Reply, error) { return longReply(q), nil }}
	h, rec := startObserved(t, discordtest.Options{Token: testToken}, svc, func(c *Config) { c.ReplyInThread = false }, nil)
	h.srv.Intercept(func(c discordtest.Call) (discordtest.Response, bool) {
		if discordtest.ChannelMessages(c) {
			return garbled, true
		}
		return discordtest.Response{}, false
	})
	h.srv.SendMessage(guildUser, "<@"+h.srv.BotUserID+"> what did they agree?", h.srv.BotUserID)
	msgs := h.srv.MustWait(t, waitFor, 2, discordtest.ChannelMessages)
	eventually(t, "question counted", func() bool { return rec.count("mention answered")+rec.count("mention failed") > 0 })
	for _, m := range msgs {
		if strings.Contains(string(m.Body), "something went wrong") {
			t.Errorf("a failure message was posted though every post was accepted: %s", m)
		}
	}
	if len(msgs) != 2 {
		t.Errorf("%d messages posted, want the 2 of the answer", len(msgs))
	}
	if n := rec.count("mention answered"); n != 1 {
		t.Errorf("outcomes %s, want mention answered", rec.snapshot())
	}
}

// failing returns an interceptor answering status to the calls that match
// and whose body contains what (any body when what is "").
func failing(status int, what string, match ...func(discordtest.Call) bool) func(discordtest.Call) (discordtest.Response, bool) {
	return func(c discordtest.Call) (discordtest.Response, bool) {
		for _, m := range match {
			if m(c) && strings.Contains(string(c.Body), what) {
				return discordtest.Response{Status: status, Body: `{"message":"refused by the test","code":0}`}, true
			}
		}
		return discordtest.Response{}, false
	}
}

func TestDeferredEditFallsBack(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name    string
		fail    []func(discordtest.Call) bool
		body    string // only calls whose body holds it fail
		outcome string
		// where the answer, or else the failure sentence, arrives
		answerIn, errorIn func(discordtest.Call) bool
	}{
		{"edit refused: follow-up", []func(discordtest.Call) bool{discordtest.OriginalEdits}, "", "slash answered", discordtest.Followups, nil},
		{"edit and follow-up refused: channel message", []func(discordtest.Call) bool{discordtest.OriginalEdits, discordtest.Followups}, "", "slash answered", discordtest.ChannelMessages, nil},
		{"nothing delivered", []func(discordtest.Call) bool{discordtest.OriginalEdits, discordtest.Followups, discordtest.ChannelMessages}, "", "slash failed", nil, nil},
		{"answer refused, apology delivered", []func(discordtest.Call) bool{discordtest.OriginalEdits, discordtest.Followups, discordtest.ChannelMessages}, "¶4.2", "slash failed", nil, discordtest.OriginalEdits},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h, rec := startObserved(t, discordtest.Options{Token: testToken}, &fakeService{}, nil, nil)
			h.srv.Intercept(failing(http.StatusBadRequest, tt.body, tt.fail...))
			sent := h.srv.SendCommand(guildUser, "ask", discordtest.String("question", "What about water?"))
			eventually(t, "question counted", func() bool { return rec.count(tt.outcome) > 0 })
			if tt.outcome == "slash failed" && rec.count("slash answered") > 0 {
				t.Errorf("outcomes %s: an undelivered answer counted as answered", rec.snapshot())
			}
			delivered := func(where func(discordtest.Call) bool, what string) {
				t.Helper()
				for _, c := range h.srv.Calls(where) {
					if c.Status < 300 && strings.Contains(string(c.Body), what) {
						if discordtest.ChannelMessages(c) && c.Path != "channels/"+guildUser.ChannelID+"/messages" {
							t.Errorf("channel fallback posted to %s", c.Path)
						}
						m := decode[messageBody](t, c)
						checkNoPings(t, c, &m)
						return
					}
				}
				t.Errorf("%q never delivered; calls:\n%v", what, h.srv.Calls(nil))
			}
			if tt.answerIn != nil {
				delivered(tt.answerIn, "¶4.2")
			}
			if tt.errorIn != nil {
				delivered(tt.errorIn, "something went wrong")
			}
			_ = sent
		})
	}
}

func TestMentionPostFailureCounted(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name, body string
		apology    bool
	}{
		{"every post refused", "", false},
		{"answer refused, apology posted", "¶4.2", true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h, rec := startObserved(t, discordtest.Options{Token: testToken}, &fakeService{}, nil, nil)
			h.srv.Intercept(failing(http.StatusInternalServerError, tt.body, discordtest.ChannelMessages))
			h.srv.SendMessage(guildUser, "<@"+h.srv.BotUserID+"> water?", h.srv.BotUserID)
			eventually(t, "question counted", func() bool { return rec.count("mention failed")+rec.count("mention answered") > 0 })
			if n := rec.count("mention failed"); n != 1 {
				t.Errorf("outcomes %s, want mention failed", rec.snapshot())
			}
			apologised := false
			for _, c := range h.srv.Calls(discordtest.ChannelMessages) {
				if c.Status < 300 && strings.Contains(string(c.Body), "something went wrong") {
					apologised = true
				}
			}
			if apologised != tt.apology {
				t.Errorf("apology posted: %v, want %v", apologised, tt.apology)
			}
		})
	}
}

func TestErrorsNameTheDialledURLWithoutTokens(t *testing.T) {
	t.Parallel()
	h := start(t, &fakeService{}, nil, nil)
	h.srv.Intercept(func(c discordtest.Call) (discordtest.Response, bool) {
		if discordtest.OriginalEdits(c) {
			return discordtest.Hangup(), true
		}
		return discordtest.Response{}, false
	})
	sent := h.srv.SendCommand(guildUser, "ask", discordtest.String("question", "water?"))
	h.srv.MustWait(t, waitFor, 1, discordtest.And(discordtest.ForInteraction(sent.Token), discordtest.Followups))
	eventually(t, "the failed edit logged", func() bool { return strings.Contains(h.logs.String(), "@original") })
	logs := h.logs.String()
	if strings.Contains(logs, "discord.com") {
		t.Errorf("the log names discord.com, though requests went to %s:\n%s", h.srv.URL(), logs)
	}
	if !strings.Contains(logs, strings.TrimSuffix(h.srv.URL(), "/api/v9/")) {
		t.Errorf("the log does not name the URL dialled, %s:\n%s", h.srv.URL(), logs)
	}
	if strings.Contains(logs, sent.Token) {
		t.Errorf("the interaction token is in the log:\n%s", logs)
	}
}

func TestGatewayRetriedAtStart(t *testing.T) {
	t.Parallel()
	srv := discordtest.New(t, discordtest.Options{Token: testToken})
	srv.RefuseGateway(3)
	h := runOn(t, srv, &fakeService{}, nil, nil, func(b *Bot) { b.startWait = 10 * time.Millisecond })
	srv.MustWait(t, waitFor, 1, discordtest.CommandOverwrites)
	if n := srv.Stats().Refused; n != 3 {
		t.Errorf("%d refused upgrades, want 3", n)
	}
	if n := strings.Count(h.logs.String(), "connect to the gateway; retrying"); n != 3 {
		t.Errorf("%d retries logged, want 3:\n%s", n, h.logs)
	}
}

func TestGatewayGivesUpAtStart(t *testing.T) {
	t.Parallel()
	srv := discordtest.New(t, discordtest.Options{Token: testToken})
	srv.RefuseGateway(1000)
	cfg := testConfig(srv)
	b, logs := newTestBot(t, cfg, &fakeService{})
	b.startWait = time.Millisecond
	err := b.Run(context.Background())
	if err == nil || !strings.Contains(err.Error(), "gateway") {
		t.Fatalf("Run = %v, want an error about the gateway", err)
	}
	if re := (*RefusedError)(nil); errors.As(err, &re) {
		t.Errorf("Run = %v, a *RefusedError; a gateway unreachable may come back", err)
	}
	if n := srv.Stats().Refused; n != startAttempts {
		t.Errorf("%d attempts, want %d", n, startAttempts)
	}
	if strings.Contains(logs.String(), testToken) {
		t.Errorf("token in the log")
	}
}

func TestFatalCloseCodeStops(t *testing.T) {
	t.Parallel()
	for _, code := range []int{4004, 4010, 4011, 4012, 4013, 4014} {
		t.Run(strconv.Itoa(code), func(t *testing.T) {
			t.Parallel()
			srv := discordtest.New(t, discordtest.Options{Token: testToken})
			h := runOn(t, srv, &fakeService{}, nil, nil, nil)
			srv.MustWait(t, waitFor, 1, discordtest.CommandOverwrites)
			eventually(t, "connected", h.bot.Connected)
			srv.CloseSessions(code)
			srv.DropConnection()
			select {
			case err := <-h.done:
				h.done <- nil // stop expects nil; the error is checked here
				if re := (*RefusedError)(nil); !errors.As(err, &re) || !strings.Contains(err.Error(), strconv.Itoa(code)) {
					t.Errorf("Run = %v, want a *RefusedError naming close code %d", err, code)
				}
			case <-time.After(waitFor):
				t.Fatalf("still reconnecting after close code %d: %+v", code, srv.Stats())
			}
			if n := srv.Stats().Closed; n > 1 {
				t.Errorf("%d sessions closed with %d, want the first to stop the bot", n, code)
			}
		})
	}
}

// TestRefusedAtStart checks that Discord refusing the bot's configuration
// at start (a wrong token, intents not allowed) ends Run at the first
// attempt with a *RefusedError saying what to check, where an
// unreachable gateway is tried startAttempts times.
func TestRefusedAtStart(t *testing.T) {
	t.Parallel()
	unauthorized := discordtest.Response{Status: http.StatusUnauthorized, Body: `{"message":"401: Unauthorized","code":0}`}
	for _, tt := range []struct {
		name  string
		token string
		fault func(*discordtest.Server)
		want  string
	}{
		{"wrong token: close 4004", "wrong-token", nil, "code 4004 (authentication failed: check the bot token)"},
		{"REST 401 for the gateway", testToken, func(s *discordtest.Server) { s.Script(http.MethodGet, "gateway", unauthorized) }, "401 Unauthorized (authentication failed: check the bot token)"},
		{"disallowed intents: close 4014", testToken, func(s *discordtest.Server) { s.CloseSessions(4014) }, "code 4014 (disallowed intents"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := discordtest.New(t, discordtest.Options{Token: testToken})
			if tt.fault != nil {
				tt.fault(srv)
			}
			cfg := testConfig(srv)
			cfg.Token = tt.token
			b, logs := newTestBot(t, cfg, &fakeService{})
			b.startWait = time.Millisecond
			ctx, cancel := context.WithTimeout(context.Background(), waitFor)
			defer cancel()
			err := b.Run(ctx)
			if re := (*RefusedError)(nil); !errors.As(err, &re) || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Run = %v, want a *RefusedError saying %q", err, tt.want)
			}
			gets := srv.Calls(func(c discordtest.Call) bool { return c.Method == http.MethodGet && c.Path == "gateway" })
			if n := srv.Stats().Connections; n > 1 || len(gets) != 1 {
				t.Errorf("%d gateway connections, %d gateway look-ups; want one attempt", n, len(gets))
			}
			if strings.Contains(err.Error()+logs.String(), tt.token) {
				t.Errorf("the token is in the error or the log: %v\n%s", err, logs)
			}
		})
	}
}

// TestCleanStopLogsNoWarning checks that a requested stop logs no error
// or warning for the gateway closing: neither the Disconnect event that
// discordgo sends on Close nor discordgo's own complaints, such as its
// heartbeat failing to write on the closed connection (a race with
// Close, replayed here through discordgo's logger). Not parallel:
// discordgo's lines go to the newest Bot's log.
func TestCleanStopLogsNoWarning(t *testing.T) {
	h := start(t, &fakeService{}, nil, nil)
	eventually(t, "connected", h.bot.Connected)
	h.stop(t)
	eventually(t, "the Disconnect event handled", func() bool { return strings.Contains(h.logs.String(), "gateway closed") })
	discordgo.Logger(discordgo.LogError, 0, "error sending heartbeat to gateway %s, %s", h.srv.GatewayURL(), websocket.ErrCloseSent)
	for _, line := range strings.Split(h.logs.String(), "\n") {
		if strings.Contains(line, "level=ERROR") || strings.Contains(line, "level=WARN") {
			t.Errorf("after a clean stop: %s", line)
		}
	}
}

func TestRateLimitAnyBody(t *testing.T) {
	t.Parallel()
	html := discordtest.Response{
		Status: http.StatusTooManyRequests, Header: http.Header{"Retry-After": {"0"}},
		Body: "<html><body>429 Too Many Requests</body></html>", ContentType: "text/html",
	}
	h, rec := startObserved(t, discordtest.Options{Token: testToken}, &fakeService{}, nil, nil)
	h.srv.Script(http.MethodPatch, "webhooks/*/*/messages/@original", html)
	sent := h.srv.SendCommand(guildUser, "ask", discordtest.String("question", "water?"))
	_, m := answerCalls(t, h.srv, sent.Token)
	if len(m.Embeds) == 0 || !strings.Contains(m.Embeds[0].Title, "¶4.2") {
		t.Errorf("the edit after an HTML 429 is %+v, want the answer", m)
	}
	eventually(t, "429 counted", func() bool { rec.mu.Lock(); defer rec.mu.Unlock(); return rec.discord429 == 1 })
}

func TestRetryAfterZeroHasAFloor(t *testing.T) {
	t.Parallel()
	zero := discordtest.RateLimited(0)
	many := make([]discordtest.Response, 200)
	for i := range many {
		many[i] = zero
	}
	h := start(t, &fakeService{}, nil, nil)
	h.srv.Script(http.MethodPatch, "webhooks/*/*/messages/@original", many...)
	sent := h.srv.SendCommand(guildUser, "ask", discordtest.String("question", "water?"))
	mine := discordtest.ForInteraction(sent.Token)
	// The answer goes out another way once the edit gives up.
	h.srv.MustWait(t, waitFor, 1, discordtest.And(mine, discordtest.Followups))
	edits := h.srv.Calls(discordtest.And(mine, discordtest.OriginalEdits))
	if len(edits) > maxRateLimitRetries+1 {
		t.Errorf("%d edits after retry_after 0, want at most %d", len(edits), maxRateLimitRetries+1)
	}
	for i := 1; i < len(edits); i++ {
		if gap := edits[i].At.Sub(edits[i-1].At); gap < minRetryAfter/2 {
			t.Errorf("retry %d came %v after the previous one, under the floor %v", i, gap, minRetryAfter)
		}
	}
}

func TestMentionRateLimitNoticeOnce(t *testing.T) {
	t.Parallel()
	h, rec := startObserved(t, discordtest.Options{Token: testToken}, &fakeService{}, func(c *Config) {
		c.RateLimit.PerMinute = 2
		c.ReplyInThread = false
	}, nil)
	const spam = 60
	for range spam {
		h.srv.SendMessage(guildUser, "<@"+h.srv.BotUserID+"> water?", h.srv.BotUserID)
	}
	eventually(t, "every mention handled", func() bool {
		return rec.count("mention answered")+rec.count("mention refused") == spam
	})
	// A refusal is recorded before its notice is posted: wait for the
	// two answers and the notice to reach the server before counting.
	h.srv.MustWait(t, waitFor, 3, discordtest.ChannelMessages)
	// A DM from the same user in the window is not noticed again either.
	notices := 0
	for _, c := range h.srv.Calls(discordtest.ChannelMessages) {
		if strings.Contains(string(c.Body), "too many questions") {
			notices++
		}
	}
	if notices != 1 {
		t.Errorf("%d public rate-limit notices for %d mentions, want 1", notices, spam)
	}
	if n := len(h.srv.Calls(discordtest.ChannelMessages)); n != 3 {
		t.Errorf("%d messages posted, want 2 answers and 1 notice", n)
	}
}

func TestInvisibleCharactersStripped(t *testing.T) {
	t.Parallel()
	h := start(t, &fakeService{}, nil, nil)
	h.srv.SendMessage(guildUser, "<@"+h.srv.BotUserID+"> wa\u200bter\u202e and energy\u2066?", h.srv.BotUserID)
	th := h.srv.MustWait(t, waitFor, 1, discordtest.ThreadStarts)[0]
	var ts struct {
		Name string `json:"name"`
	}
	th.Decode(&ts)
	if ts.Name != "water and energy?" {
		t.Errorf("thread name %q, want the invisible characters gone", ts.Name)
	}
	h.srv.MustWait(t, waitFor, 1, discordtest.ChannelMessages)
	if q := h.svc.asked(); len(q) != 1 || q[0].Text != "water and energy?" {
		t.Errorf("service asked %+v", q)
	}

	// Only a zero-width space: empty, on /ask and in a mention.
	sent := h.srv.SendCommand(guildUser, "ask", discordtest.String("question", "\u200b"))
	c := h.srv.MustWait(t, waitFor, 1, discordtest.And(discordtest.ForInteraction(sent.Token), discordtest.Callbacks))[0]
	if cb := decode[callbackBody](t, c); cb.Data == nil || cb.Data.Content != words.say("en", "discord_empty_slash") || cb.Data.Flags&64 == 0 {
		t.Errorf("a zero-width question got %s, want the ephemeral empty-question sentence", c)
	}
	if n := len(h.svc.asked()); n != 1 {
		t.Errorf("service asked %d questions, want the zero-width one refused", n)
	}
}

func TestSlashEchoStripped(t *testing.T) {
	t.Parallel()
	h := start(t, &fakeService{AnswerFunc: func(ctx context.Context, q bot.Question) (bot.Reply, error) {
		// The question echoed as the service returns it: raw.
		return bot.Reply{Question: "", Lang: "en", Mode: "extractive", Passages: []bot.Quote{quote42}, Source: digestSource}, nil
	}}, nil, nil)
	sent := h.srv.SendCommand(guildUser, "ask", discordtest.String("question", "\u202ewater?\u200b"))
	_, m := answerCalls(t, h.srv, sent.Token)
	if strings.ContainsAny(m.Content, "\u202e\u200b") {
		t.Errorf("echoed question %q keeps invisible characters", m.Content)
	}
}

func TestCiteReferenceBounded(t *testing.T) {
	t.Parallel()
	var got []string
	svc := &fakeService{CiteFunc: func(ref, lang string) (bot.Reply, error) {
		got = append(got, ref)
		return bot.Reply{}, &bot.InputError{Msg: "No paragraph " + ref + "."}
	}}
	h := start(t, svc, nil, nil)
	ref := strings.Repeat("9", 5000)
	sent := h.srv.SendCommand(guildUser, "cite", discordtest.String("ref", ref))
	c := h.srv.MustWait(t, waitFor, 1, discordtest.And(discordtest.ForInteraction(sent.Token), discordtest.Callbacks))[0]
	cb := decode[callbackBody](t, c)
	if cb.Data == nil || runes(cb.Data.Content) > 300 || cb.Data.Flags&64 == 0 {
		t.Errorf("/cite of 5,000 digits answered %d characters: %.200s", runes(cb.Data.Content), c)
	}
	if len(got) > 0 && len(got[0]) > maxRef {
		t.Errorf("service asked to cite %d characters", len(got[0]))
	}
}

func TestForgedCustomIDBounded(t *testing.T) {
	t.Parallel()
	var asked [][]string
	svc := &fakeService{TranslateFunc: func(keys []string, lang string) (bot.Reply, error) {
		asked = append(asked, keys)
		ps := make([]bot.Quote, len(keys))
		for i := range ps {
			ps[i] = quote42fr
		}
		return bot.Reply{Lang: "fr", Mode: "cite", Passages: ps, Source: digestSource}, nil
	}}
	h := start(t, svc, nil, nil)
	forged := translatePrefix + "fr|" + strings.Repeat("digest/4.2 ", 20000) // 220 KB
	click := h.srv.SendComponent(guildUser, discordtest.Message{}, forged)
	h.srv.MustWait(t, waitFor, 1, discordtest.And(discordtest.ForInteraction(click.Token), discordtest.Callbacks))
	time.Sleep(100 * time.Millisecond) // let any follow-ups arrive
	if n := len(h.srv.Calls(discordtest.ForInteraction(click.Token))); n > 2 {
		t.Errorf("a forged custom_id made %d REST calls", n)
	}
	for _, keys := range asked {
		if len(keys) > 1 {
			t.Errorf("Translate asked for %d keys, want the repeats folded", len(keys))
		}
	}
}

func TestDiscordgoLogsRouted(t *testing.T) {
	// Not parallel: discordgo's logger is the package's, shared by every
	// Bot in the process; see routeDiscordgoLogs.
	srv := discordtest.New(t, discordtest.Options{Token: testToken})
	srv.RefuseGateway(1)
	h := runOn(t, srv, &fakeService{}, nil, nil, func(b *Bot) { b.startWait = time.Millisecond })
	srv.MustWait(t, waitFor, 1, discordtest.CommandOverwrites)
	logs := h.logs.String()
	if !strings.Contains(logs, "lib=discordgo") || !strings.Contains(logs, "error connecting to gateway") {
		t.Errorf("discordgo's own error not in the log:\n%s", logs)
	}
}
