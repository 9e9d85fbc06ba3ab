package discord

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/declbot/declbot/bot"
	"github.com/declbot/declbot/bot/discord/discordtest"
)

// recorder is an Observer that remembers what it was told.
type recorder struct {
	mu          sync.Mutex
	asked       map[string]int // "source outcome"
	rateLimited map[string]int
	discord429  int
	reconnects  int
	registered  atomic.Int64 // 1 registered, -1 not, 0 not told
}

func (r *recorder) CommandsRegistered(ok bool) {
	if ok {
		r.registered.Store(1)
	} else {
		r.registered.Store(-1)
	}
}

func newRecorder() *recorder {
	return &recorder{asked: map[string]int{}, rateLimited: map[string]int{}}
}

func (r *recorder) Asked(source, outcome string, took time.Duration) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.asked[source+" "+outcome]++
}

func (r *recorder) RateLimited(source string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.rateLimited[source]++
}

func (r *recorder) DiscordRateLimited() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.discord429++
}

func (r *recorder) Reconnected() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.reconnects++
}

func (r *recorder) snapshot() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return fmt.Sprintf("asked %v, rate limited %v, 429s %d, reconnects %d", r.asked, r.rateLimited, r.discord429, r.reconnects)
}

// eventually polls cond until it holds or waitFor passes.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(waitFor)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("never: %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestObserver(t *testing.T) {
	t.Parallel()
	srv := discordtest.New(t, discordtest.Options{Token: testToken})
	cfg := DefaultConfig()
	cfg.Token, cfg.APIURL, cfg.GuildIDs = testToken, srv.URL(), []string{guildUser.GuildID}
	cfg.RateLimit.PerMinute = 3
	svc := &fakeService{AnswerFunc: func(ctx context.Context, q bot.Question) (bot.Reply, error) {
		switch {
		case strings.Contains(q.Text, "football"):
			return bot.Reply{Question: q.Text, Lang: "en", Abstained: true, Passages: []bot.Quote{}}, nil
		case strings.Contains(q.Text, "broken"):
			return bot.Reply{}, errors.New("index on fire")
		}
		return bot.Reply{Question: q.Text, Lang: "en", Mode: "extractive", Passages: []bot.Quote{quote42}, Source: digestSource}, nil
	}}
	b, err := New(cfg, svc, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	rec := newRecorder()
	b.SetObserver(rec)
	if b.Connected() {
		t.Error("connected before Run")
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- b.Run(ctx) }()
	srv.MustWait(t, waitFor, 1, discordtest.CommandOverwrites)
	// discordgo marks the session ready once its first heartbeat is out,
	// on a goroutine of its own: soon after Open, not necessarily before.
	eventually(t, "connected once commands are registered", b.Connected)

	ask := func(user discordtest.Invoker, q string) {
		t.Helper()
		sent := srv.SendCommand(user, "ask", discordtest.String("question", q))
		srv.MustWait(t, waitFor, 1, discordtest.ForInteraction(sent.Token))
	}
	user := guildUser
	ask(user, "What about water?")
	ask(user, "Who won the football world cup?")
	ask(user, "Is the broken one broken?")
	ask(user, "One more, over the limit?") // the fourth in a minute
	other := guildUser
	other.UserID = "2000000000000000077"
	ask(other, strings.Repeat("x", MaxQuestion+1))
	srv.SendMessage(dmUser, "what about water?")
	srv.MustWait(t, waitFor, 1, discordtest.ChannelMessages)
	srv.SendMessage(other, "<@"+srv.BotUserID+"> water?", srv.BotUserID)
	srv.MustWait(t, waitFor, 2, discordtest.ChannelMessages)

	srv.Script(http.MethodPost, "interactions/*/*/callback", discordtest.RateLimited(0.01))
	ask(other, "Rate limited by Discord?")

	srv.DropConnection()
	eventually(t, "reconnected: "+rec.snapshot(), func() bool {
		rec.mu.Lock()
		defer rec.mu.Unlock()
		return rec.reconnects == 1
	})
	eventually(t, "connected again", b.Connected)

	want := map[string]int{
		"slash answered": 2, "slash abstained": 1, "slash error": 1, "slash refused": 2,
		"dm answered": 1, "mention answered": 1,
	}
	eventually(t, "every question observed: "+rec.snapshot(), func() bool {
		rec.mu.Lock()
		defer rec.mu.Unlock()
		return fmt.Sprint(rec.asked) == fmt.Sprint(want)
	})
	rec.mu.Lock()
	if rec.rateLimited[SourceSlash] != 1 || rec.discord429 != 1 {
		t.Errorf("got %v rate limited and %d 429s, want 1 slash and 1", rec.rateLimited, rec.discord429)
	}
	rec.mu.Unlock()

	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if b.Connected() {
		t.Error("connected after Run returned")
	}
}

// TestThreadsNotTracked checks the session does not keep the threads the
// bot starts: one per mention answered, for months.
func TestThreadsNotTracked(t *testing.T) {
	t.Parallel()
	h := start(t, &fakeService{}, nil, nil)
	h.srv.Dispatch("GUILD_CREATE", map[string]any{
		"id": guildUser.GuildID, "name": "g", "unavailable": false, "member_count": 1,
		"channels": []any{}, "threads": []any{}, "members": []any{}, "roles": []any{},
		"emojis": []any{}, "voice_states": []any{}, "presences": []any{}, "joined_at": "2025-08-20T10:00:00.000000+00:00",
	})
	for i := range 20 {
		h.srv.Dispatch("THREAD_CREATE", map[string]any{
			"id": fmt.Sprint(5000000000000000000 + i), "type": 11, "guild_id": guildUser.GuildID,
			"parent_id": guildUser.ChannelID, "name": "q", "owner_id": h.srv.BotUserID,
			"thread_metadata": map[string]any{"archived": false, "auto_archive_duration": 1440, "locked": false},
		})
	}
	// An event after them, answered, shows they have all been handled.
	sent := h.srv.SendCommand(guildUser, "ask", discordtest.String("question", "water?"))
	answerCalls(t, h.srv, sent.Token)
	s := h.bot.live.Load()
	g, err := s.State.Guild(guildUser.GuildID)
	if err != nil {
		t.Fatalf("GUILD_CREATE not in the state: %v", err)
	}
	s.State.RLock()
	defer s.State.RUnlock()
	if len(g.Threads) != 0 {
		t.Errorf("the state keeps %d threads", len(g.Threads))
	}
}

// TestMentionBeforeReadyHandler answers a mention handled before the
// READY handler has stored the bot's id, as happens under load: discordgo
// runs handlers on goroutines of their own.
func TestMentionBeforeReadyHandler(t *testing.T) {
	t.Parallel()
	h := start(t, &fakeService{}, func(c *Config) { c.ReplyInThread = false }, nil)
	h.bot.userID.Store("") // as if onReady had not run yet
	h.srv.SendMessage(guildUser, "<@"+h.srv.BotUserID+"> what about water?", h.srv.BotUserID)
	h.srv.MustWait(t, waitFor, 1, discordtest.ChannelMessages)
}
