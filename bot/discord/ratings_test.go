package discord

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/declbot/declbot/bot/discord/discordtest"
)

// fakeRecorder keeps what it is told.
type fakeRecorder struct {
	mu      sync.Mutex
	answers []Answer
	votes   []Rating
	changed chan struct{}
}

func newFakeRecorder() *fakeRecorder { return &fakeRecorder{changed: make(chan struct{}, 1<<16)} }

func (f *fakeRecorder) Answered(a Answer) {
	f.mu.Lock()
	f.answers = append(f.answers, a)
	f.mu.Unlock()
	f.changed <- struct{}{}
}

func (f *fakeRecorder) Rated(r Rating) {
	f.mu.Lock()
	f.votes = append(f.votes, r)
	f.mu.Unlock()
	f.changed <- struct{}{}
}

// wait returns once the recorder holds at least answers and votes.
func (f *fakeRecorder) wait(t *testing.T, answers, votes int) ([]Answer, []Rating) {
	t.Helper()
	deadline := time.After(waitFor)
	for {
		f.mu.Lock()
		a, v := append([]Answer(nil), f.answers...), append([]Rating(nil), f.votes...)
		f.mu.Unlock()
		if len(a) >= answers && len(v) >= votes {
			return a, v
		}
		select {
		case <-f.changed:
		case <-deadline:
			t.Fatalf("recorder has %d answers and %d votes, want %d and %d", len(a), len(v), answers, votes)
		}
	}
}

func startRated(t *testing.T) (*harness, *fakeRecorder) {
	rec := newFakeRecorder()
	h := startTuned(t, discordtest.Options{Token: testToken}, &fakeService{}, nil, nil, func(b *Bot) { b.SetRecorder(rec) })
	return h, rec
}

// ratingIDs returns the custom ids of the rating row of a message: the
// last row, with 👍 then 👎.
func ratingIDs(t *testing.T, m messageBody) (up, down string) {
	t.Helper()
	if len(m.Components) == 0 {
		t.Fatal("no components")
	}
	last := m.Components[len(m.Components)-1]
	if len(last.Components) != 2 {
		t.Fatalf("rating row %+v", last)
	}
	up, down = last.Components[0].CustomID, last.Components[1].CustomID
	if !strings.HasPrefix(up, rateUp) || !strings.HasPrefix(down, rateDown) {
		t.Fatalf("rating ids %q, %q", up, down)
	}
	return up, down
}

func TestRatingButtonsOnEveryAnswer(t *testing.T) {
	t.Parallel()
	h, rec := startRated(t)
	sent := h.srv.SendCommand(guildUser, "ask", discordtest.String("question", "What about water?"))
	_, slash := answerCalls(t, h.srv, sent.Token)
	h.srv.SendMessage(guildUser, "<@"+h.srv.BotUserID+"> what about water?", h.srv.BotUserID)
	h.srv.SendMessage(dmUser, "what about water?")
	msgs := h.srv.MustWait(t, waitFor, 2, discordtest.ChannelMessages)
	bodies := []messageBody{slash, decode[messageBody](t, msgs[0]), decode[messageBody](t, msgs[1])}
	seen := map[string]bool{}
	for i, m := range bodies {
		up, down := ratingIDs(t, m)
		if len(m.Components) < 2 {
			t.Errorf("answer %d: %d rows, want the answer's own and the rating row", i, len(m.Components))
		}
		id := strings.TrimPrefix(up, rateUp)
		if strings.TrimPrefix(down, rateDown) != id || !validAnswerID(id) || seen[id] {
			t.Errorf("answer %d: ids %q and %q", i, up, down)
		}
		seen[id] = true
		for _, r := range m.Components {
			for _, b := range r.Components {
				if len(b.CustomID) > maxCustomID {
					t.Errorf("custom id of %d bytes", len(b.CustomID))
				}
			}
		}
	}
	answers, _ := rec.wait(t, 3, 0)
	sources := map[string]bool{}
	for _, a := range answers {
		sources[a.Source] = true
		if !seen[a.ID] {
			t.Errorf("recorded answer %q was not shown", a.ID)
		}
		if a.User == "" || a.Reply.Passages == nil {
			t.Errorf("answer recorded without its asker or reply: %+v", a)
		}
	}
	if len(sources) != 3 {
		t.Errorf("sources %v, want slash, mention and dm", sources)
	}
}

func TestRatingVotes(t *testing.T) {
	t.Parallel()
	h, rec := startRated(t)
	sent := h.srv.SendCommand(guildUser, "ask", discordtest.String("question", "What about water?"))
	_, m := answerCalls(t, h.srv, sent.Token)
	up, down := ratingIDs(t, m)
	id := strings.TrimPrefix(up, rateUp)
	on := discordtest.Message{ID: h.srv.ID(), Content: m.Content}

	callback := func(s discordtest.Sent) callbackBody {
		c := h.srv.MustWait(t, waitFor, 1, discordtest.And(discordtest.ForInteraction(s.Token), discordtest.Callbacks))[0]
		cb := decode[callbackBody](t, c)
		if cb.Data != nil && cb.Type == 4 {
			checkNoPings(t, c, cb.Data)
		}
		return cb
	}

	cb := callback(h.srv.SendComponent(guildUser, on, up))
	if cb.Type != 4 || cb.Data.Flags&64 == 0 || cb.Data.Content != "Thanks for the 👍." {
		t.Errorf("👍 answered %+v, want an ephemeral thanks", cb)
	}
	cb = callback(h.srv.SendComponent(guildUser, on, down))
	if cb.Type != 9 {
		t.Errorf("👎 answered type %d, want 9 (a modal)", cb.Type)
	}
	hostile := "@everyone <script>x</script> " + strings.Repeat("é", 10000) + "\xff"
	cb = callback(h.srv.SendModalSubmit(guildUser, rateWhy+id, map[string]string{commentID: hostile}))
	if cb.Type != 4 || cb.Data.Flags&64 == 0 || cb.Data.Content != "Thanks: the maintainers will read it." {
		t.Errorf("form answered %+v, want an ephemeral thanks", cb)
	}
	_, votes := rec.wait(t, 1, 3)
	want := []string{"up", "down", "down+comment"}
	for i, v := range votes {
		got := "down"
		if v.Up {
			got = "up"
		}
		if v.Comment != "" {
			got += "+comment"
		}
		if got != want[i] || v.AnswerID != id || v.User != guildUser.UserID {
			t.Errorf("vote %d: %s %+v, want %s on %s", i, got, v, want[i], id)
		}
	}
	if c := votes[2].Comment; len([]rune(c)) > maxComment || !strings.HasPrefix(c, "@everyone <script>") {
		t.Errorf("comment of %d characters: %.40q", len([]rune(c)), c)
	}
}

func TestRatingForged(t *testing.T) {
	t.Parallel()
	h, rec := startRated(t)
	on := discordtest.Message{ID: h.srv.ID()}
	for i, id := range []string{rateUp + "short", rateDown + "UPPERCASEIDS", rateUp + strings.Repeat("a", 80), ratePrefix + "sideways|aaaaaaaaaaaa"} {
		s := h.srv.SendComponent(guildUser, on, id)
		c := h.srv.MustWait(t, waitFor, 1, discordtest.And(discordtest.ForInteraction(s.Token), discordtest.Callbacks))[0]
		if cb := decode[callbackBody](t, c); cb.Data == nil || !strings.Contains(cb.Data.Content, "expired") {
			t.Errorf("%d: forged %q answered %s", i, id, c)
		}
	}
	s := h.srv.SendModalSubmit(guildUser, rateWhy+"nope", map[string]string{commentID: "x"})
	h.srv.MustWait(t, waitFor, 1, discordtest.And(discordtest.ForInteraction(s.Token), discordtest.Callbacks))
	rec.mu.Lock()
	defer rec.mu.Unlock()
	if len(rec.votes) != 0 {
		t.Errorf("forged ids recorded votes: %+v", rec.votes)
	}
}

func TestNoRecorderNoButtons(t *testing.T) {
	t.Parallel()
	h := start(t, &fakeService{}, nil, nil)
	sent := h.srv.SendCommand(guildUser, "ask", discordtest.String("question", "What about water?"))
	_, m := answerCalls(t, h.srv, sent.Token)
	if s := fmt.Sprint(m.Components); strings.Contains(s, ratePrefix) {
		t.Errorf("rating buttons without a recorder: %s", s)
	}
}
