package discord

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/declbot/declbot/bot"
	"github.com/declbot/declbot/bot/discord/discordtest"
)

// answerCalls waits for an interaction's deferral and final edit and
// returns them, checking there is exactly one of each and that the
// deferral came first.
func answerCalls(t *testing.T, srv *discordtest.Server, token string) (callbackBody, messageBody) {
	t.Helper()
	mine := discordtest.ForInteraction(token)
	edit := srv.MustWait(t, waitFor, 1, discordtest.And(mine, discordtest.OriginalEdits))[0]
	cbs := srv.Calls(discordtest.And(mine, discordtest.Callbacks))
	if len(cbs) != 1 {
		t.Fatalf("want exactly 1 callback, got %d: %v", len(cbs), cbs)
	}
	cb := decode[callbackBody](t, cbs[0])
	if cb.Type != 5 {
		t.Errorf("callback type %d, want 5 (deferred)", cb.Type)
	}
	if !cbs[0].At.Before(edit.At) {
		t.Errorf("edit before deferral")
	}
	m := decode[messageBody](t, edit)
	checkNoPings(t, edit, &m)
	checkLimits(t, m)
	return cb, m
}

func TestAskDeferredThenEditedWithCitation(t *testing.T) {
	t.Parallel()
	h := start(t, &fakeService{}, nil, nil)
	sent := h.srv.SendCommand(guildUser, "ask", discordtest.String("question", "What about water?"))
	_, m := answerCalls(t, h.srv, sent.Token)

	if !strings.Contains(m.Content, "What about water?") {
		t.Errorf("content %q does not show the question", m.Content)
	}
	if len(m.Embeds) != 1 {
		t.Fatalf("want 1 embed, got %d", len(m.Embeds))
	}
	e := m.Embeds[0]
	if e.Title != `Ch. 4 "Green Transition and Resilience", ¶4.2` {
		t.Errorf("title %q, want the ¶4.2 citation", e.Title)
	}
	if !strings.HasPrefix(e.Description, "> The leaders affirmed") {
		t.Errorf("description %q is not the quoted passage", e.Description)
	}
	if e.Footer == nil || !strings.Contains(e.Footer.Text, digestSource) {
		t.Errorf("footer %+v does not name the source", e.Footer)
	}
	if mn := m.menu(); mn == nil || mn.menuValues() != "en* fr" || mn.Placeholder != "Show in another language" {
		t.Errorf("language menu %+v, want English (shown) and French", mn)
	}
	var labels []string
	for _, r := range m.Components {
		for _, b := range r.Components {
			if b.Type == 2 {
				labels = append(labels, b.Label)
			}
		}
	}
	if strings.Join(labels, ",") != "Full chapter" {
		t.Errorf("buttons %q, want Full chapter", labels)
	}
	if q := h.svc.asked(); len(q) != 1 || q[0].Text != "What about water?" {
		t.Errorf("service asked %+v", q)
	}
}

func TestAskLanguageOption(t *testing.T) {
	t.Parallel()
	h := start(t, &fakeService{}, nil, nil)
	sent := h.srv.SendCommand(guildUser, "ask", discordtest.String("question", "Et l'eau ?"), discordtest.String("language", "fr"))
	answerCalls(t, h.srv, sent.Token)
	if q := h.svc.asked(); len(q) != 1 || q[0].Lang != "fr" {
		t.Errorf("service asked %+v, want Lang fr", q)
	}
}

func TestAbstainCitesNothing(t *testing.T) {
	t.Parallel()
	svc := &fakeService{AnswerFunc: func(ctx context.Context, q bot.Question) (bot.Reply, error) {
		return bot.Reply{Question: q.Text, Lang: "en", Abstained: true}, nil
	}}
	h := start(t, svc, nil, nil)
	sent := h.srv.SendCommand(guildUser, "ask", discordtest.String("question", "Who won the football?"))
	_, m := answerCalls(t, h.srv, sent.Token)
	if len(m.Embeds) != 0 || len(m.Components) != 0 {
		t.Errorf("abstention carries embeds or buttons: %+v", m)
	}
	if !strings.Contains(m.Content, "does not address") {
		t.Errorf("content %q does not say plainly that nothing answers", m.Content)
	}
}

func TestCiteAutocomplete(t *testing.T) {
	t.Parallel()
	h := start(t, &fakeService{}, nil, nil)
	sent := h.srv.SendAutocomplete(guildUser, "cite", discordtest.Focused("ref", "4."))
	c := h.srv.MustWait(t, waitFor, 1, discordtest.And(discordtest.ForInteraction(sent.Token), discordtest.Callbacks))[0]
	cb := decode[callbackBody](t, c)
	if cb.Type != 8 || cb.Data == nil {
		t.Fatalf("callback %s, want type 8 with choices", c)
	}
	var got []string
	for _, ch := range cb.Data.Choices {
		got = append(got, ch.Value.(string))
	}
	if strings.Join(got, ",") != "4.1,4.2" {
		t.Errorf("choices %q, want 4.1,4.2", got)
	}
}

func TestCite(t *testing.T) {
	t.Parallel()
	h := start(t, &fakeService{}, nil, nil)
	t.Run("known", func(t *testing.T) {
		sent := h.srv.SendCommand(guildUser, "cite", discordtest.String("ref", "4.2"))
		c := h.srv.MustWait(t, waitFor, 1, discordtest.And(discordtest.ForInteraction(sent.Token), discordtest.Callbacks))[0]
		cb := decode[callbackBody](t, c)
		if cb.Type != 4 || cb.Data == nil || len(cb.Data.Embeds) != 1 || !strings.Contains(cb.Data.Embeds[0].Title, "¶4.2") {
			t.Fatalf("callback %s, want a message citing ¶4.2", c)
		}
		checkNoPings(t, c, cb.Data)
	})
	t.Run("unknown", func(t *testing.T) {
		sent := h.srv.SendCommand(guildUser, "cite", discordtest.String("ref", "99"))
		c := h.srv.MustWait(t, waitFor, 1, discordtest.And(discordtest.ForInteraction(sent.Token), discordtest.Callbacks))[0]
		cb := decode[callbackBody](t, c)
		if cb.Type != 4 || cb.Data.Flags&64 == 0 || !strings.Contains(cb.Data.Content, "chapters run from 1 to 6") {
			t.Fatalf("callback %s, want the ephemeral input error", c)
		}
	})
}

func TestChaptersAndAbout(t *testing.T) {
	t.Parallel()
	h := start(t, &fakeService{}, nil, nil)
	for _, tt := range []struct{ cmd, want string }{
		{"chapters", "Green Transition and Resilience: 2 ¶ (4.1–4.2)"},
		{"about", "Tokyo Declaration"},
	} {
		sent := h.srv.SendCommand(guildUser, tt.cmd)
		c := h.srv.MustWait(t, waitFor, 1, discordtest.And(discordtest.ForInteraction(sent.Token), discordtest.Callbacks))[0]
		if !strings.Contains(string(c.Body), tt.want) {
			t.Errorf("/%s answered %s, want it to hold %q", tt.cmd, c, tt.want)
		}
	}
}

func TestMentionAnsweredInThread(t *testing.T) {
	t.Parallel()
	h := start(t, &fakeService{}, nil, nil)
	sent := h.srv.SendMessage(guildUser, "<@"+h.srv.BotUserID+"> what about water?", h.srv.BotUserID)
	th := h.srv.MustWait(t, waitFor, 1, discordtest.ThreadStarts)[0]
	if th.Path != "channels/"+guildUser.ChannelID+"/messages/"+sent.ID+"/threads" {
		t.Errorf("thread started at %s", th.Path)
	}
	msg := h.srv.MustWait(t, waitFor, 1, discordtest.ChannelMessages)[0]
	// A thread started on a message takes the message's id.
	if msg.Path != "channels/"+sent.ID+"/messages" {
		t.Errorf("answer posted to %s, want the thread %s", msg.Path, sent.ID)
	}
	m := decode[messageBody](t, msg)
	checkNoPings(t, msg, &m)
	if len(m.Embeds) != 1 || !strings.Contains(m.Embeds[0].Title, "¶4.2") {
		t.Errorf("answer %s does not cite ¶4.2", msg)
	}
	if q := h.svc.asked(); len(q) != 1 || q[0].Text != "what about water?" {
		t.Errorf("service asked %+v, want the question without the mention", q)
	}
}

func TestMentionAnsweredAsReply(t *testing.T) {
	t.Parallel()
	h := start(t, &fakeService{}, func(c *Config) { c.ReplyInThread = false }, nil)
	sent := h.srv.SendMessage(guildUser, "<@"+h.srv.BotUserID+"> what about water?", h.srv.BotUserID)
	msg := h.srv.MustWait(t, waitFor, 1, discordtest.ChannelMessages)[0]
	m := decode[messageBody](t, msg)
	if msg.Path != "channels/"+guildUser.ChannelID+"/messages" || m.MessageReference == nil || m.MessageReference.MessageID != sent.ID {
		t.Errorf("answer %s is not a reply to %s", msg, sent.ID)
	}
	if n := len(h.srv.Calls(discordtest.ThreadStarts)); n != 0 {
		t.Errorf("%d threads started, want none", n)
	}
}

func TestMessagesIgnored(t *testing.T) {
	t.Parallel()
	h := start(t, &fakeService{}, nil, nil)
	h.srv.SendMessage(guildUser, "just chatting")
	other := guildUser
	other.Bot = true
	h.srv.SendMessage(other, "<@"+h.srv.BotUserID+"> loop?", h.srv.BotUserID)
	// A message a webhook posted is ignored even when its author is not
	// flagged a bot, so that another integration relaying text into the
	// channel (a bridge, a feed) cannot make the bot answer it, nor two
	// bots answer each other.
	hook := guildUser
	hook.UserID = "2000000000000000777"
	hook.WebhookID = hook.UserID
	h.srv.SendMessage(hook, "<@"+h.srv.BotUserID+"> relayed?", h.srv.BotUserID)
	// A mention after them is answered; by then the others were handled.
	h.srv.SendMessage(guildUser, "<@"+h.srv.BotUserID+"> water?", h.srv.BotUserID)
	h.srv.MustWait(t, waitFor, 1, discordtest.ChannelMessages)
	if q := h.svc.asked(); len(q) != 1 || q[0].Text != "water?" {
		t.Errorf("service asked %+v, want only the mention from a person", q)
	}
}

func TestDMAnswered(t *testing.T) {
	t.Parallel()
	h := start(t, &fakeService{}, nil, nil)
	h.srv.SendMessage(dmUser, "what about water?")
	msg := h.srv.MustWait(t, waitFor, 1, discordtest.ChannelMessages)[0]
	if msg.Path != "channels/"+dmUser.ChannelID+"/messages" {
		t.Errorf("DM answered at %s", msg.Path)
	}
	if n := len(h.srv.Calls(discordtest.ThreadStarts)); n != 0 {
		t.Errorf("%d threads started for a DM", n)
	}
}

func TestDMsDisabled(t *testing.T) {
	t.Parallel()
	h := start(t, &fakeService{}, func(c *Config) { c.AllowDMs = false }, nil)
	h.srv.SendMessage(dmUser, "what about water?")
	h.srv.SendMessage(guildUser, "<@"+h.srv.BotUserID+"> water?", h.srv.BotUserID)
	h.srv.MustWait(t, waitFor, 1, discordtest.ChannelMessages)
	if q := h.svc.asked(); len(q) != 1 || q[0].Text != "water?" {
		t.Errorf("service asked %+v, want only the guild mention", q)
	}
}

func TestEveryonePingsNobody(t *testing.T) {
	t.Parallel()
	h := start(t, &fakeService{}, nil, nil)
	q := "@everyone @here <@&5000000000000000001> <@2000000000000000009> what about **water**?"
	sent := h.srv.SendCommand(guildUser, "ask", discordtest.String("question", q))
	_, m := answerCalls(t, h.srv, sent.Token)
	if strings.Contains(m.Content, "@everyone") || strings.Contains(m.Content, "@here") || strings.Contains(m.Content, "**water**") {
		t.Errorf("question shown back unescaped: %q", m.Content)
	}
	h.srv.SendMessage(guildUser, "<@"+h.srv.BotUserID+"> "+q, h.srv.BotUserID, "2000000000000000009")
	h.srv.MustWait(t, waitFor, 1, discordtest.ChannelMessages)
	for _, c := range h.srv.Calls(func(c discordtest.Call) bool {
		return discordtest.ChannelMessages(c) || discordtest.OriginalEdits(c) || discordtest.Followups(c)
	}) {
		m := decode[messageBody](t, c)
		checkNoPings(t, c, &m)
	}
}

func TestInvalidQuestions(t *testing.T) {
	t.Parallel()
	h := start(t, &fakeService{}, nil, nil)
	for _, tt := range []struct{ name, q, want string }{
		{"empty", "   ", "Please ask a question"},
		{"too long", strings.Repeat("water ", 200), "limited to 1000 characters; yours has 1199"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			sent := h.srv.SendCommand(guildUser, "ask", discordtest.String("question", tt.q))
			c := h.srv.MustWait(t, waitFor, 1, discordtest.And(discordtest.ForInteraction(sent.Token), discordtest.Callbacks))[0]
			cb := decode[callbackBody](t, c)
			if cb.Type != 4 || cb.Data.Flags&64 == 0 || !strings.Contains(cb.Data.Content, tt.want) {
				t.Errorf("callback %s, want an ephemeral %q", c, tt.want)
			}
		})
	}
	if q := h.svc.asked(); len(q) != 0 {
		t.Errorf("service asked %+v", q)
	}
}

func TestReindexMaintainersOnly(t *testing.T) {
	t.Parallel()
	var runs atomic.Int32
	reindex := func(ctx context.Context) (string, error) {
		runs.Add(1)
		return "40 passages, 2 documents.", nil
	}
	const role = "5000000000000000042"
	h := start(t, &fakeService{}, func(c *Config) { c.Maintainers.Roles = []string{role} }, reindex)

	sent := h.srv.SendCommand(guildUser, "reindex")
	c := h.srv.MustWait(t, waitFor, 1, discordtest.And(discordtest.ForInteraction(sent.Token), discordtest.Callbacks))[0]
	cb := decode[callbackBody](t, c)
	if cb.Type != 4 || cb.Data.Flags&64 == 0 || !strings.Contains(cb.Data.Content, "Only declbot maintainers") {
		t.Errorf("non-maintainer got %s, want an ephemeral refusal", c)
	}
	if n := runs.Load(); n != 0 {
		t.Fatalf("reindex ran %d times for a non-maintainer", n)
	}

	maintainer := guildUser
	maintainer.Roles = []string{role}
	sent = h.srv.SendCommand(maintainer, "reindex")
	edit := h.srv.MustWait(t, waitFor, 1, discordtest.And(discordtest.ForInteraction(sent.Token), discordtest.OriginalEdits))[0]
	if !strings.Contains(string(edit.Body), "40 passages") {
		t.Errorf("maintainer got %s, want the summary", edit)
	}
	if n := runs.Load(); n != 1 {
		t.Errorf("reindex ran %d times, want 1", n)
	}
}

// TestReindexFailureTellsWhy: a maintainer whose reindex is turned down
// (another one running, a broken source) is told why.
func TestReindexFailureTellsWhy(t *testing.T) {
	t.Parallel()
	reindex := func(ctx context.Context) (string, error) {
		return "", errors.New("a reindex is already running; try again when it has finished")
	}
	const role = "5000000000000000043"
	h := start(t, &fakeService{}, func(c *Config) { c.Maintainers.Roles = []string{role} }, reindex)
	maintainer := guildUser
	maintainer.Roles = []string{role}
	sent := h.srv.SendCommand(maintainer, "reindex")
	edit := h.srv.MustWait(t, waitFor, 1, discordtest.And(discordtest.ForInteraction(sent.Token), discordtest.OriginalEdits))[0]
	if body := string(edit.Body); !strings.Contains(body, "already running") || !strings.Contains(body, "previous index stays in use") {
		t.Errorf("maintainer got %s, want the reason", edit)
	}
}

func TestRateLimit(t *testing.T) {
	t.Parallel()
	h := start(t, &fakeService{}, func(c *Config) { c.RateLimit.PerMinute = 2 }, nil)
	for range 2 {
		sent := h.srv.SendCommand(guildUser, "ask", discordtest.String("question", "water?"))
		answerCalls(t, h.srv, sent.Token)
	}
	sent := h.srv.SendCommand(guildUser, "ask", discordtest.String("question", "water?"))
	c := h.srv.MustWait(t, waitFor, 1, discordtest.And(discordtest.ForInteraction(sent.Token), discordtest.Callbacks))[0]
	cb := decode[callbackBody](t, c)
	if cb.Type != 4 || cb.Data.Flags&64 == 0 || !strings.Contains(cb.Data.Content, "try again in") {
		t.Errorf("third question got %s, want an ephemeral try again", c)
	}
	// Another user is not limited.
	other := guildUser
	other.UserID = "2000000000000000077"
	sent = h.srv.SendCommand(other, "ask", discordtest.String("question", "water?"))
	answerCalls(t, h.srv, sent.Token)
	if n := len(h.svc.asked()); n != 3 {
		t.Errorf("service asked %d questions, want 3", n)
	}
}

func TestLongAnswerSplit(t *testing.T) {
	t.Parallel()
	// About 5,000 characters of sentences.
	long := strings.Repeat("The leaders agreed to deepen cooperation on water, energy and transport. ", 68)
	for _, tt := range []struct {
		name     string
		mode     string
		answer   string
		messages int
	}{
		{"passage over several embeds", "extractive", "", 1},
		{"model answer and passage over several messages", "llm", long, 2},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			svc := &fakeService{AnswerFunc: func(ctx context.Context, q bot.Question) (bot.Reply, error) {
				p := quote42
				p.Text = long
				return bot.Reply{Question: q.Text, Lang: "en", Mode: tt.mode, Answer: tt.answer, Passages: []bot.Quote{p, quote41}, Source: digestSource}, nil
			}}
			h := start(t, svc, nil, nil)
			sent := h.srv.SendCommand(guildUser, "ask", discordtest.String("question", "What did they agree?"))
			_, first := answerCalls(t, h.srv, sent.Token)
			msgs := []messageBody{first}
			if tt.messages > 1 {
				for _, c := range h.srv.MustWait(t, waitFor, tt.messages-1, discordtest.And(discordtest.ForInteraction(sent.Token), discordtest.Followups)) {
					m := decode[messageBody](t, c)
					checkNoPings(t, c, &m)
					checkLimits(t, m)
					msgs = append(msgs, m)
				}
			}
			var quoted, titles []string
			for _, m := range msgs {
				for _, e := range m.Embeds {
					titles = append(titles, e.Title)
					if !strings.Contains(e.Title, "¶4.2") {
						continue
					}
					if !strings.HasPrefix(e.Description, "> ") {
						t.Errorf("embed %q is not a block quote", e.Description)
					}
					text := strings.TrimPrefix(e.Description, "> ")
					if !strings.HasSuffix(text, ".") {
						t.Errorf("quote chunk ends mid-sentence: …%q", text[max(0, len(text)-40):])
					}
					quoted = append(quoted, text)
				}
			}
			if got := strings.Join(quoted, " "); got != strings.TrimSpace(long) {
				t.Errorf("quoted chunks do not rebuild the passage:\n got %q\nwant %q", got, long)
			}
			if len(quoted) < 2 {
				t.Errorf("passage in %d embeds, want it split", len(quoted))
			}
			if last := titles[len(titles)-1]; !strings.Contains(last, "¶4.1") {
				t.Errorf("last embed %q, want ¶4.1 after the long passage", last)
			}
			if n := len(h.srv.Calls(discordtest.And(discordtest.ForInteraction(sent.Token), discordtest.Followups))); n != tt.messages-1 {
				t.Errorf("%d follow-ups, want %d", n, tt.messages-1)
			}
		})
	}
}

func TestButtons(t *testing.T) {
	t.Parallel()
	h := start(t, &fakeService{}, nil, nil)
	sent := h.srv.SendCommand(guildUser, "ask", discordtest.String("question", "water?"))
	_, m := answerCalls(t, h.srv, sent.Token)
	ids := map[string]string{}
	for _, r := range m.Components {
		for _, b := range r.Components {
			ids[b.Label] = b.CustomID
		}
	}
	on := discordtest.Message{ID: h.srv.ID(), Content: m.Content}
	menu := m.menu()
	if menu == nil {
		t.Fatalf("no language menu under %+v", m.Components)
	}

	click := h.srv.SendSelect(guildUser, on, menu.CustomID, "fr")
	c := h.srv.MustWait(t, waitFor, 1, discordtest.And(discordtest.ForInteraction(click.Token), discordtest.Callbacks))[0]
	cb := decode[callbackBody](t, c)
	if cb.Type != 7 || len(cb.Data.Embeds) != 1 || !strings.Contains(cb.Data.Embeds[0].Description, "Les dirigeants") {
		t.Errorf("choosing French answered %s, want the message swapped to French", c)
	}
	if mn := cb.Data.menu(); mn == nil || mn.menuValues() != "en fr*" || mn.Placeholder != "Afficher dans une autre langue" {
		t.Errorf("swapped message's menu %+v, want French shown and the menu in French", mn)
	}
	if cb.Data.Content != m.Content {
		t.Errorf("swapped message content %q, want the question kept: %q", cb.Data.Content, m.Content)
	}

	// The two-way button of replies posted before the menu still works.
	click = h.srv.SendComponent(guildUser, on, "tr|fr|digest/4.2")
	c = h.srv.MustWait(t, waitFor, 1, discordtest.And(discordtest.ForInteraction(click.Token), discordtest.Callbacks))[0]
	if cb := decode[callbackBody](t, c); cb.Type != 7 || len(cb.Data.Embeds) != 1 || !strings.Contains(cb.Data.Embeds[0].Description, "Les dirigeants") {
		t.Errorf("an earlier reply's Show in French answered %s, want the message swapped", c)
	}

	// A menu choice Discord would not send (none, several, or a language
	// the table lacks) is refused, privately, in the user's language.
	for _, values := range [][]string{nil, {"en", "fr"}, {"xx"}} {
		click = h.srv.SendSelect(discordtest.Invoker{UserID: guildUser.UserID, GuildID: guildUser.GuildID, ChannelID: guildUser.ChannelID, Locale: "ja"}, on, menu.CustomID, values...)
		c = h.srv.MustWait(t, waitFor, 1, discordtest.And(discordtest.ForInteraction(click.Token), discordtest.Callbacks))[0]
		if cb := decode[callbackBody](t, c); cb.Data == nil || cb.Data.Flags&64 == 0 || cb.Data.Content != "このボタンは有効期限が切れています。" {
			t.Errorf("menu values %q answered %s, want the expired notice in Japanese", values, c)
		}
	}

	click = h.srv.SendComponent(guildUser, on, ids["Full chapter"])
	c = h.srv.MustWait(t, waitFor, 1, discordtest.And(discordtest.ForInteraction(click.Token), discordtest.Callbacks))[0]
	cb = decode[callbackBody](t, c)
	if cb.Type != 4 || cb.Data.Flags&64 == 0 || len(cb.Data.Embeds) != 2 {
		t.Errorf("Full chapter answered %s, want an ephemeral message with the chapter's 2 paragraphs", c)
	}
}

func TestPanicRecovered(t *testing.T) {
	t.Parallel()
	svc := &fakeService{AnswerFunc: func(ctx context.Context, q bot.Question) (bot.Reply, error) {
		panic("index exploded")
	}}
	h := start(t, svc, nil, nil)
	sent := h.srv.SendCommand(guildUser, "ask", discordtest.String("question", "water?"))
	_, m := answerCalls(t, h.srv, sent.Token)
	if m.Content != words.say("en", "discord_error") {
		t.Errorf("after a panic the user got %q, want %q", m.Content, words.say("en", "discord_error"))
	}
	h.srv.SendMessage(dmUser, "water?")
	msg := h.srv.MustWait(t, waitFor, 1, discordtest.ChannelMessages)[0]
	if !strings.Contains(string(msg.Body), "something went wrong") {
		t.Errorf("DM after a panic got %s", msg)
	}
	if !strings.Contains(h.logs.String(), "index exploded") {
		t.Errorf("panic not logged:\n%s", h.logs)
	}
}

func TestServiceErrorShownSafely(t *testing.T) {
	t.Parallel()
	svc := &fakeService{AnswerFunc: func(ctx context.Context, q bot.Question) (bot.Reply, error) {
		return bot.Reply{}, errors.New("open /var/lib/declbot/index.db: permission denied")
	}}
	h := start(t, svc, nil, nil)
	sent := h.srv.SendCommand(guildUser, "ask", discordtest.String("question", "water?"))
	_, m := answerCalls(t, h.srv, sent.Token)
	if m.Content != words.say("en", "discord_error") {
		t.Errorf("user got %q, want the generic sentence", m.Content)
	}
}

func TestRESTRetries(t *testing.T) {
	t.Parallel()
	h := start(t, &fakeService{}, nil, nil)
	h.srv.Script(http.MethodPost, "interactions/*/*/callback", discordtest.RateLimited(0.05))
	h.srv.Script(http.MethodPatch, "webhooks/*/*/messages/@original", discordtest.ServerError())
	sent := h.srv.SendCommand(guildUser, "ask", discordtest.String("question", "water?"))
	mine := discordtest.ForInteraction(sent.Token)
	edits := h.srv.MustWait(t, waitFor, 2, discordtest.And(mine, discordtest.OriginalEdits))
	cbs := h.srv.Calls(discordtest.And(mine, discordtest.Callbacks))
	ok := func(cs []discordtest.Call) (n int) {
		for _, c := range cs {
			if c.Status < 300 {
				n++
			}
		}
		return n
	}
	if len(cbs) != 2 || ok(cbs) != 1 || len(edits) != 2 || ok(edits) != 1 {
		t.Errorf("want one 429 then one deferral, one 500 then one edit; got\n%v\n%v", cbs, edits)
	}
}

func TestResumeAfterDroppedConnection(t *testing.T) {
	t.Parallel()
	h := start(t, &fakeService{}, nil, nil)
	before := h.srv.SendCommand(guildUser, "ask", discordtest.String("question", "before?"))
	answerCalls(t, h.srv, before.Token)

	h.srv.DropConnection()
	// Sent while the bot is away: Discord keeps it for the resume.
	during := h.srv.SendCommand(guildUser, "ask", discordtest.String("question", "during?"))
	ctx, cancel := context.WithTimeout(context.Background(), waitFor)
	defer cancel()
	if err := h.srv.WaitGateway(ctx, func(s discordtest.GatewayStats) bool { return s.Resumes == 1 }); err != nil {
		t.Fatal(err)
	}
	answerCalls(t, h.srv, during.Token)
	after := h.srv.SendCommand(guildUser, "ask", discordtest.String("question", "after?"))
	answerCalls(t, h.srv, after.Token)

	if st := h.srv.Stats(); st.Identifies != 1 || st.Resumes != 1 || st.Connections != 2 {
		t.Errorf("gateway %+v, want one identify, then one resume on a second connection", st)
	}
	if n := len(h.svc.asked()); n != 3 {
		t.Errorf("service asked %d questions, want 3 (none lost, none doubled)", n)
	}
	// discordgo runs the RESUMED handler on a goroutine of its own.
	eventually(t, "resume logged:\n"+h.logs.String(), func() bool {
		return strings.Contains(h.logs.String(), "gateway session resumed")
	})
}

func TestShutdownWithAnswerInFlight(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	started := make(chan struct{}, 1)
	svc := &fakeService{AnswerFunc: func(ctx context.Context, q bot.Question) (bot.Reply, error) {
		started <- struct{}{}
		<-release
		return bot.Reply{Question: q.Text, Lang: "en", Mode: "extractive", Passages: []bot.Quote{quote42}, Source: digestSource}, nil
	}}
	h := start(t, svc, nil, nil)
	sent := h.srv.SendCommand(guildUser, "ask", discordtest.String("question", "water?"))
	<-started
	h.cancel()
	// Run waits for the answer in flight.
	select {
	case err := <-h.done:
		t.Fatalf("Run returned %v with an answer in flight", err)
	case <-time.After(300 * time.Millisecond):
	}
	// New questions are turned away meanwhile.
	late := h.srv.SendCommand(guildUser, "ask", discordtest.String("question", "late?"))
	c := h.srv.MustWait(t, waitFor, 1, discordtest.And(discordtest.ForInteraction(late.Token), discordtest.Callbacks))[0]
	if !strings.Contains(string(c.Body), "restarting") {
		t.Errorf("question during shutdown got %s", c)
	}
	close(release)
	answerCalls(t, h.srv, sent.Token)
	select {
	case err := <-h.done:
		if err != nil {
			t.Errorf("Run: %v", err)
		}
		h.done <- err
	case <-time.After(waitFor):
		t.Fatal("Run did not return after the answer finished")
	}
}

func TestShutdownTimeoutCancelsAnswer(t *testing.T) {
	t.Parallel()
	started := make(chan struct{}, 1)
	svc := &fakeService{AnswerFunc: func(ctx context.Context, q bot.Question) (bot.Reply, error) {
		started <- struct{}{}
		<-ctx.Done()
		return bot.Reply{}, ctx.Err()
	}}
	h := start(t, svc, func(c *Config) { c.ShutdownTimeout = 200 * time.Millisecond }, nil)
	sent := h.srv.SendCommand(guildUser, "ask", discordtest.String("question", "water?"))
	<-started
	h.cancel()
	_, m := answerCalls(t, h.srv, sent.Token)
	if m.Content != words.say("en", "discord_error") {
		t.Errorf("cancelled answer edited to %q, want %q", m.Content, words.say("en", "discord_error"))
	}
}

func TestCommandsRegistered(t *testing.T) {
	t.Parallel()
	t.Run("per guild", func(t *testing.T) {
		t.Parallel()
		h := start(t, &fakeService{}, func(c *Config) { c.GuildIDs = []string{"301", "302"} }, nil)
		calls := h.srv.Calls(discordtest.CommandOverwrites)
		if len(calls) != 2 || calls[0].Path != "applications/"+h.srv.AppID+"/guilds/301/commands" || calls[1].Path != "applications/"+h.srv.AppID+"/guilds/302/commands" {
			t.Fatalf("overwrites %v, want one per guild", calls)
		}
		var cmds []struct {
			Name    string `json:"name"`
			Options []struct {
				Name         string `json:"name"`
				Autocomplete bool   `json:"autocomplete"`
			} `json:"options"`
		}
		if err := calls[0].Decode(&cmds); err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, c := range cmds {
			names = append(names, c.Name)
			if c.Name == "cite" && !c.Options[0].Autocomplete {
				t.Errorf("/cite ref does not autocomplete")
			}
		}
		if strings.Join(names, ",") != "ask,cite,chapters,about,reindex" {
			t.Errorf("commands %q", names)
		}
	})
	t.Run("global", func(t *testing.T) {
		t.Parallel()
		h := start(t, &fakeService{}, func(c *Config) { c.GuildIDs = nil }, nil)
		calls := h.srv.Calls(discordtest.CommandOverwrites)
		if len(calls) != 1 || calls[0].Path != "applications/"+h.srv.AppID+"/commands" {
			t.Fatalf("overwrites %v, want one global", calls)
		}
	})
}

func TestShardPassedThrough(t *testing.T) {
	t.Parallel()
	h := start(t, &fakeService{}, func(c *Config) { c.ShardID, c.ShardCount = 1, 2 }, nil)
	if st := h.srv.Stats(); st.Shard == nil || *st.Shard != [2]int{1, 2} {
		t.Errorf("IDENTIFY shard %v, want [1 2]", st.Shard)
	}
}

func TestTokenNeverInErrorsOrLogs(t *testing.T) {
	t.Parallel()
	srv := discordtest.New(t, discordtest.Options{Token: testToken})
	// A server that echoes the credentials it was sent.
	srv.Script(http.MethodPut, "applications/*/guilds/*/commands", discordtest.Response{
		Status: http.StatusUnauthorized,
		Body:   `{"message":"401: Unauthorized (Bot ` + testToken + `)","code":0}`,
	})
	cfg := DefaultConfig()
	cfg.Token, cfg.APIURL, cfg.GuildIDs = testToken, srv.URL(), []string{"301"}
	logs := &syncBuffer{}
	b, err := New(cfg, &fakeService{}, nil, slog.New(slog.NewTextHandler(logs, nil)))
	if err != nil {
		t.Fatal(err)
	}
	// A refused registration leaves the bot answering mentions; what is
	// missing is said without the token.
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- b.Run(ctx) }()
	eventually(t, "the refused registration noticed", func() bool { return b.Missing() != "" })
	cancel()
	if err := <-done; err != nil {
		t.Errorf("Run: %v", err)
	}
	if strings.Contains(b.Missing(), testToken) {
		t.Errorf("Missing() holds the token: %v", b.Missing())
	}
	if !strings.Contains(logs.String(), "[redacted]") {
		t.Errorf("log %q, want the token redacted in place", logs)
	}
	b.log.Error("echo", "err", errors.New("x "+testToken), "s", testToken)
	if strings.Contains(logs.String(), testToken) {
		t.Errorf("log holds the token:\n%s", logs)
	}

	// A token pasted with its prefix and a newline still works.
	cfg.Token = "Bot " + testToken + "\n"
	if b, err := New(cfg, &fakeService{}, nil, nil); err != nil || b.cfg.Token != testToken {
		t.Errorf("New with a prefixed token: %v, or the token was not trimmed", err)
	}

	// A missing token is refused up front, without a network call.
	cfg.Token = " "
	if _, err := New(cfg, &fakeService{}, nil, nil); !errors.Is(err, ErrNoToken) {
		t.Errorf("New with a blank token: %v, want ErrNoToken", err)
	}
}

func TestMentionInThreadFallsBackToReply(t *testing.T) {
	t.Parallel()
	h := start(t, &fakeService{}, nil, nil)
	// Discord refuses a thread on a message that is itself in a thread.
	h.srv.Script(http.MethodPost, "channels/*/messages/*/threads", discordtest.Response{
		Status: http.StatusBadRequest, Body: `{"message":"Cannot execute action on this channel type","code":50024}`,
	})
	sent := h.srv.SendMessage(guildUser, "<@"+h.srv.BotUserID+"> water?", h.srv.BotUserID)
	msg := h.srv.MustWait(t, waitFor, 1, discordtest.ChannelMessages)[0]
	m := decode[messageBody](t, msg)
	if msg.Path != "channels/"+guildUser.ChannelID+"/messages" || m.MessageReference == nil || m.MessageReference.MessageID != sent.ID {
		t.Errorf("answer %s, want a reply to %s in its channel", msg, sent.ID)
	}
}

func TestFollowUpsCarryHistory(t *testing.T) {
	t.Parallel()
	h := start(t, &fakeService{}, nil, nil)
	first := h.srv.SendMessage(guildUser, "<@"+h.srv.BotUserID+"> what about water?", h.srv.BotUserID)
	h.srv.MustWait(t, waitFor, 1, discordtest.ChannelMessages)

	// The follow-up is asked in the thread, itself a channel; Discord
	// refuses a thread inside it, so the bot replies there.
	h.srv.Script(http.MethodPost, "channels/*/messages/*/threads", discordtest.Response{
		Status: http.StatusBadRequest, Body: `{"message":"Cannot execute action on this channel type","code":50024}`,
	})
	inThread := guildUser
	inThread.ChannelID = first.ID
	h.srv.SendMessage(inThread, "<@"+h.srv.BotUserID+"> and energy?", h.srv.BotUserID)
	h.srv.MustWait(t, waitFor, 2, discordtest.ChannelMessages)

	// Someone else in the same thread starts afresh.
	other := inThread
	other.UserID = "2000000000000000055"
	h.srv.SendMessage(other, "<@"+h.srv.BotUserID+"> and transport?", h.srv.BotUserID)
	h.srv.MustWait(t, waitFor, 3, discordtest.ChannelMessages)

	q := h.svc.asked()
	if len(q) != 3 {
		t.Fatalf("service asked %+v", q)
	}
	if len(q[0].History) != 0 || !slices.Equal(q[1].History, []string{"what about water?"}) || len(q[2].History) != 0 {
		t.Errorf("histories %q, %q, %q; want none, the thread's first question, none", q[0].History, q[1].History, q[2].History)
	}
}

func TestWrittenAnswerStreamsThenFinal(t *testing.T) {
	t.Parallel()
	written := "They committed to cooperate on water:\n> The leaders affirmed their commitment to cooperation on water resources ✓ [4.2]"
	svc := &fakeService{AnswerFunc: func(ctx context.Context, q bot.Question) (bot.Reply, error) {
		given := map[string]string{"4.2": quote42.Text}
		q.OnPartial(bot.NewPartial("They committed to *cooperate* on water resources [4.2]. More", given, "en"))
		q.OnPartial(bot.NewPartial("They committed to cooperate on water:", given, "en")) // within the interval: dropped
		return bot.Reply{Question: q.Text, Lang: "en", Mode: bot.ModeLLM, Answer: written, Passages: []bot.Quote{quote42}, Source: digestSource}, nil
	}}
	h := start(t, svc, nil, nil)
	sent := h.srv.SendCommand(guildUser, "ask", discordtest.String("question", "What about water?"))
	edits := h.srv.MustWait(t, waitFor, 2, discordtest.And(discordtest.ForInteraction(sent.Token), discordtest.OriginalEdits))
	first, final := decode[messageBody](t, edits[0]), decode[messageBody](t, edits[1])
	if first.Content != `They committed to \*cooperate\* on water resources \[4.2\]. …` || len(first.Embeds) != 0 {
		t.Errorf("partial edit %+v", first)
	}
	checkNoPings(t, edits[0], &first)
	if len(final.Embeds) != 2 {
		t.Fatalf("final edit has %d embeds, want the written answer and the passage", len(final.Embeds))
	}
	if d := final.Embeds[0].Description; !strings.Contains(d, "\n> The leaders affirmed") || !strings.Contains(d, `\[4.2\]`) {
		t.Errorf("written answer rendered %q, want its block quote kept and the rest escaped", d)
	}
	if n := len(edits); n != 2 {
		t.Errorf("%d edits, want the partial and the final", n)
	}
}
