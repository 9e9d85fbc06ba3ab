package discord

import (
	"bytes"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/declbot/declbot/bot"
)

func TestRenderWithinLimits(t *testing.T) {
	sentences := func(n int) string {
		return strings.Repeat("Cooperation on water and energy was agreed. ", n)
	}
	many := make([]bot.Quote, 15)
	for i := range many {
		many[i] = quote42
		many[i].Text = sentences(20)
	}
	huge := quote42
	huge.Text = sentences(400) // 17,600 characters
	tests := []struct {
		name     string
		reply    bot.Reply
		messages int
	}{
		{"one passage", bot.Reply{Question: "water?", Passages: []bot.Quote{quote42}, Source: digestSource}, 1},
		{"more passages than embeds", bot.Reply{Question: "water?", Passages: many, Source: digestSource}, 3},
		{"one huge passage", bot.Reply{Question: "water?", Passages: []bot.Quote{huge}, Source: digestSource}, 4},
		{"long question", bot.Reply{Question: sentences(60), Passages: []bot.Quote{quote42}}, 1},
		{"abstained", bot.Reply{Question: "football?", Abstained: true, Answer: "The declaration does not seem to address this question."}, 1},
		{"llm answer", bot.Reply{Mode: "llm", Answer: sentences(200), Passages: []bot.Quote{quote42}}, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			msgs := renderReply(words, tt.reply, true)
			if len(msgs) != tt.messages {
				t.Errorf("%d messages, want %d", len(msgs), tt.messages)
			}
			for i, m := range msgs {
				checkLimits(t, asBody(m))
				if i < len(msgs)-1 && len(m.Components) > 0 {
					t.Errorf("message %d of %d carries the buttons; only the last should", i+1, len(msgs))
				}
			}
			last := msgs[len(msgs)-1]
			if tt.reply.Abstained {
				if len(last.Embeds) != 0 || len(last.Components) != 0 {
					t.Errorf("abstention cites something: %+v", last)
				}
			} else if len(last.Components) == 0 {
				t.Errorf("no buttons on the last message")
			}
		})
	}
}

// asBody views a rendered message as the JSON the tests decode.
func asBody(m message) messageBody {
	b := messageBody{Content: m.Content}
	for _, e := range m.Embeds {
		eb := embed{Title: e.Title, Description: e.Description}
		if e.Footer != nil {
			eb.Footer = &struct {
				Text string `json:"text"`
			}{e.Footer.Text}
		}
		for _, f := range e.Fields {
			eb.Fields = append(eb.Fields, struct{ Name, Value string }{f.Name, f.Value})
		}
		b.Embeds = append(b.Embeds, eb)
	}
	return b
}

func TestButtonsFitCustomID(t *testing.T) {
	qs := make([]bot.Quote, 10)
	for i := range qs {
		qs[i] = quote42
		qs[i].Doc = "a-long-document-name"
	}
	rows := components(words, bot.Reply{Lang: "fr", Passages: qs, Versions: []string{"en", "fr", "ru", "ja"}})
	if len(rows) != 2 {
		t.Fatalf("%d rows, want the language menu and the chapter button", len(rows))
	}
	for _, row := range rows {
		for _, c := range row.(discordgo.ActionsRow).Components {
			var id string
			switch c := c.(type) {
			case discordgo.Button:
				id = c.CustomID
			case discordgo.SelectMenu:
				id = c.CustomID
				if !strings.HasPrefix(id, "lg|a-long-document-name/4.2") || len(c.Options) != 4 || c.Options[0].Label != "English" || !c.Options[1].Default || c.Options[3].Label != "日本語" {
					t.Errorf("menu %+v, want the four languages by their own names, French chosen", c)
				}
			}
			if len(id) > maxCustomID {
				t.Errorf("custom_id %q has %d bytes, limit %d", id, len(id), maxCustomID)
			}
		}
	}
}

// TestLanguageMenu lists only the languages every quoted passage exists
// in, and none when that is the reply's own alone.
func TestLanguageMenu(t *testing.T) {
	for _, tc := range []struct {
		name     string
		versions []string
		want     string
	}{
		{"all four", []string{"en", "fr", "ru", "ja"}, "en fr ru ja"},
		{"english and japanese", []string{"en", "ja"}, "en ja"},
		{"only its own", []string{"en"}, ""},
		{"none known", nil, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			menu, ok := languageMenu(words, bot.Reply{Lang: "en", Passages: []bot.Quote{quote42}, Versions: tc.versions})
			var got []string
			for _, o := range menu.Options {
				got = append(got, o.Value)
			}
			if strings.Join(got, " ") != tc.want || ok != (tc.want != "") {
				t.Errorf("menu %v (shown %v), want %q", got, ok, tc.want)
			}
		})
	}
}

func TestLimiter(t *testing.T) {
	now := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	l := newLimiter(2, func() time.Time { return now })
	steps := []struct {
		advance time.Duration
		user    string
		want    time.Duration
	}{
		{0, "a", 0},
		{10 * time.Second, "a", 0},
		{5 * time.Second, "a", 45 * time.Second}, // the first question leaves the window at 60 s
		{0, "b", 0},                              // users are counted apart
		{45 * time.Second, "a", 0},
		{0, "a", 10 * time.Second},
	}
	for i, s := range steps {
		now = now.Add(s.advance)
		if got := l.allow(s.user); got != s.want {
			t.Errorf("step %d: allow(%s) = %v, want %v", i, s.user, got, s.want)
		}
	}
	if unlimited := newLimiter(0, time.Now); unlimited.allow("a") != 0 || unlimited.allow("a") != 0 {
		t.Errorf("per_minute 0 limits")
	}
}

func TestRewriter(t *testing.T) {
	var got []string
	rt, err := newRewriter("http://127.0.0.1:9/base/api/v9", roundTripFunc(func(r *http.Request) (*http.Response, error) {
		got = append(got, r.Method+" "+r.URL.String())
		return &http.Response{StatusCode: 204, Body: http.NoBody, Request: r}, nil
	}))
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range []string{
		discordgo.EndpointGateway,
		discordgo.EndpointWebhookMessage("1", "tok", "@original") + "?wait=true",
		discordgo.EndpointVoiceRegions, // discordgo writes this one with a double slash
		"https://cdn.discordapp.com/avatars/1/a.png",
	} {
		req, _ := http.NewRequest(http.MethodGet, u, nil)
		if _, err := rt.RoundTrip(req); err != nil {
			t.Fatal(err)
		}
		if req.URL.String() != u {
			t.Errorf("RoundTrip modified its request: %s", req.URL)
		}
	}
	want := []string{
		"GET http://127.0.0.1:9/base/api/v9/gateway",
		"GET http://127.0.0.1:9/base/api/v9/webhooks/1/tok/messages/@original?wait=true",
		"GET http://127.0.0.1:9/base/api/v9/voice/regions",
		"GET https://cdn.discordapp.com/avatars/1/a.png",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("requests went to\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if rt, _ := newRewriter(DefaultAPIURL, http.DefaultTransport); rt != http.DefaultTransport {
		t.Errorf("the default base is wrapped")
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// TestRedaction checks that the adapter redacts its token even from a
// logger handed in that does not.
func TestRedaction(t *testing.T) {
	var buf bytes.Buffer
	b, err := New(Config{Token: "s3cr3t"}, &fakeService{}, nil, slog.New(slog.NewJSONHandler(&buf, nil)))
	if err != nil {
		t.Fatal(err)
	}
	b.log.With("a", "x s3cr3t").WithGroup("g").Info("msg s3cr3t", "err", errors.New("e s3cr3t"), "n", 3,
		slog.Group("grp", "k", "s3cr3t"))
	if strings.Contains(buf.String(), "s3cr3t") || !strings.Contains(buf.String(), "[redacted]") {
		t.Errorf("log line %s", buf.String())
	}
	if err := redactErr(errors.New("bad s3cr3t"), "s3cr3t"); err.Error() != "bad [redacted]" {
		t.Errorf("redactErr = %v", err)
	}
}

func TestCheckQuestion(t *testing.T) {
	tests := []struct{ q, want string }{
		{"water?", ""},
		{"  ", words.say("en", "discord_empty_slash")},
		{strings.Repeat("é", 1000), ""},
		{strings.Repeat("é", 1001), words.say("en", "discord_too_long", "limit", MaxQuestion, "n", 1001)},
	}
	for _, tt := range tests {
		if got := words.checkQuestion("en", tt.q); got != tt.want {
			t.Errorf("checkQuestion(%.20q…) = %q, want %q", tt.q, got, tt.want)
		}
	}
}
