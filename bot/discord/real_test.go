package discord

import (
	"context"
	"strings"
	"sync"
	"testing"

	"github.com/declbot/declbot/bot"
	"github.com/declbot/declbot/bot/discord/discordtest"
	"github.com/declbot/declbot/corpus"
	"github.com/declbot/declbot/retrieval"
)

var (
	realOnce sync.Once
	realBot  *bot.Bot
	realErr  error
)

// bundledBot is the real answering service over the bundled digest, built
// once for the tests that need it.
func bundledBot(t *testing.T) *bot.Bot {
	t.Helper()
	realOnce.Do(func() {
		docs, err := corpus.Bundled()
		if err != nil {
			realErr = err
			return
		}
		idx, err := retrieval.Build(context.Background(), docs, retrieval.NewHashEmbedder(0))
		if err != nil {
			realErr = err
			return
		}
		realBot = bot.New(idx, bot.Options{Version: "test"})
	})
	if realErr != nil {
		t.Fatal(realErr)
	}
	return realBot
}

// startReal runs the adapter with the real bot against the fake Discord.
func startReal(t *testing.T) *discordtest.Server {
	t.Helper()
	srv := discordtest.New(t, discordtest.Options{Token: testToken})
	cfg := DefaultConfig()
	cfg.Token, cfg.APIURL, cfg.GuildIDs = testToken, srv.URL(), []string{guildUser.GuildID}
	b, err := New(cfg, bundledBot(t), nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- b.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Run: %v", err)
		}
	})
	srv.MustWait(t, waitFor, 1, discordtest.CommandOverwrites)
	return srv
}

func callback(t *testing.T, srv *discordtest.Server, sent discordtest.Sent) callbackBody {
	t.Helper()
	c := srv.MustWait(t, waitFor, 1, discordtest.And(discordtest.ForInteraction(sent.Token), discordtest.Callbacks))[0]
	cb := decode[callbackBody](t, c)
	if cb.Data != nil && cb.Type != 8 { // autocomplete results are not messages
		checkNoPings(t, c, cb.Data)
		checkLimits(t, *cb.Data)
	}
	return cb
}

func TestWithBundledCorpus(t *testing.T) {
	t.Parallel()
	srv := startReal(t)

	t.Run("ask then show in French", func(t *testing.T) {
		sent := srv.SendCommand(guildUser, "ask", discordtest.String("question", "What does the declaration say about critical minerals?"))
		_, m := answerCalls(t, srv, sent.Token)
		if len(m.Embeds) == 0 || m.Embeds[0].Title != `Ch. 4 "Green Transition and Resilience", ¶4.2` {
			t.Fatalf("answer embeds %+v, want ¶4.2 first", m.Embeds)
		}
		if f := m.Embeds[len(m.Embeds)-1].Footer; f == nil || !strings.Contains(f.Text, "unofficial digest") {
			t.Errorf("footer %+v does not name the digest", f)
		}
		menu := m.menu()
		if menu == nil || !strings.Contains(menu.menuValues(), "en*") || !strings.Contains(menu.menuValues(), "fr") {
			t.Fatalf("language menu %+v, want English shown and French offered", menu)
		}
		cb := callback(t, srv, srv.SendSelect(guildUser, discordtest.Message{Content: m.Content}, menu.CustomID, "fr"))
		if cb.Type != 7 || len(cb.Data.Embeds) != len(m.Embeds) || !strings.Contains(cb.Data.Embeds[0].Title, "¶4.2") ||
			!strings.Contains(cb.Data.Embeds[0].Title, "Transition verte") {
			t.Errorf("choosing French gave type %d, embeds %+v", cb.Type, cb.Data.Embeds)
		}
		if f := cb.Data.Embeds[len(cb.Data.Embeds)-1].Footer; f == nil || !strings.HasPrefix(f.Text, "Source : résumé non officiel") {
			t.Errorf("French footer %+v, want the source note in French", f)
		}
	})

	t.Run("out of scope", func(t *testing.T) {
		sent := srv.SendCommand(guildUser, "ask", discordtest.String("question", "Who won the 2022 football world cup?"))
		_, m := answerCalls(t, srv, sent.Token)
		if len(m.Embeds) != 0 || !strings.Contains(m.Content, "does not seem to address") {
			t.Errorf("out-of-scope answer %+v, want a plain not-addressed", m)
		}
	})

	t.Run("cite autocomplete", func(t *testing.T) {
		cb := callback(t, srv, srv.SendAutocomplete(guildUser, "cite", discordtest.Focused("ref", "4.")))
		var values []string
		for _, c := range cb.Data.Choices {
			values = append(values, c.Value.(string))
			if len(c.Name) > maxChoiceName*4 || runes(c.Name) > maxChoiceName {
				t.Errorf("choice name %q over 100 characters", c.Name)
			}
		}
		if cb.Type != 8 || strings.Join(values, ",") != "4,4.1,4.2,4.3,4.4" {
			t.Errorf("autocomplete for 4. gave %q", values)
		}
	})

	t.Run("chapters", func(t *testing.T) {
		cb := callback(t, srv, srv.SendCommand(guildUser, "chapters"))
		text := ""
		for _, e := range cb.Data.Embeds {
			text += e.Description
		}
		if n := strings.Count(text, "\n") + 1; n != 9 || !strings.Contains(text, "Green Transition and Resilience") {
			t.Errorf("chapters %q, want 9 lines", text)
		}
	})

	t.Run("full chapter", func(t *testing.T) {
		cb := callback(t, srv, srv.SendComponent(guildUser, discordtest.Message{}, "ch|4|en"))
		if cb.Type != 4 || cb.Data.Flags&64 == 0 || len(cb.Data.Embeds) < 2 {
			t.Errorf("full chapter gave type %d flags %d with %d embeds", cb.Type, cb.Data.Flags, len(cb.Data.Embeds))
		}
	})

	t.Run("about", func(t *testing.T) {
		cb := callback(t, srv, srv.SendCommand(guildUser, "about"))
		if len(cb.Data.Embeds) != 1 || !strings.Contains(cb.Data.Embeds[0].Title, "Tokyo Declaration") {
			t.Errorf("about %+v", cb.Data.Embeds)
		}
	})
}
