package discord

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/declbot/declbot/bot"
	"github.com/declbot/declbot/bot/discord/discordtest"
	"github.com/declbot/declbot/bot/messages"
	"github.com/declbot/declbot/corpus/lang"
	"github.com/declbot/declbot/retrieval"
)

// fakeService is a hand-written Service: one function field per method,
// with defaults answering from a two-paragraph chapter 4.
type fakeService struct {
	AnswerFunc    func(ctx context.Context, q bot.Question) (bot.Reply, error)
	CiteFunc      func(ref, lang string) (bot.Reply, error)
	ChaptersFunc  func(lang string) ([]bot.ChapterSummary, error)
	AboutFunc     func(lang string) bot.About
	CompleteFunc  func(prefix, lang string, max int) []bot.Choice
	TranslateFunc func(ids []string, lang string) (bot.Reply, error)
	Msgs          *messages.Catalogue
	Langs         *lang.Table

	mu        sync.Mutex
	questions []bot.Question
}

var _ Service = (*fakeService)(nil)

var (
	quote42 = bot.Quote{
		Doc: "digest", ID: "4.2", Chapter: 4, ChapterTitle: "Green Transition and Resilience", Lang: "en",
		Text:     "The leaders affirmed their commitment to cooperation on water resources and climate resilience.",
		Citation: `Ch. 4 "Green Transition and Resilience", ¶4.2`,
	}
	quote42fr = bot.Quote{
		Doc: "digest", ID: "4.2", Chapter: 4, ChapterTitle: "Transition verte et résilience", Lang: "fr",
		Text:     "Les dirigeants ont affirmé leur engagement en faveur de la coopération sur les ressources en eau.",
		Citation: `Ch. 4 "Transition verte et résilience", ¶4.2`,
	}
	quote42ru = bot.Quote{
		Doc: "digest", ID: "4.2", Chapter: 4, ChapterTitle: "Зелёный переход и устойчивость", Lang: "ru",
		Text:     "Лидеры подтвердили приверженность сотрудничеству в области водных ресурсов.",
		Citation: `Ch. 4 "Зелёный переход и устойчивость", ¶4.2`,
	}
	quote41 = bot.Quote{
		Doc: "digest", ID: "4.1", Chapter: 4, ChapterTitle: "Green Transition and Resilience", Lang: "en",
		Text:     "The leaders welcomed the Green Transition partnership.",
		Citation: `Ch. 4 "Green Transition and Resilience", ¶4.1`,
	}
)

const digestSource = "Unofficial digest of the Tokyo Declaration"

// bilingual are the versions the fake's passages exist in.
var bilingual = []string{"en", "fr"}

func (f *fakeService) Answer(ctx context.Context, q bot.Question) (bot.Reply, error) {
	f.mu.Lock()
	f.questions = append(f.questions, q)
	f.mu.Unlock()
	if f.AnswerFunc != nil {
		return f.AnswerFunc(ctx, q)
	}
	return bot.Reply{Question: q.Text, Lang: "en", Mode: "extractive", Passages: []bot.Quote{quote42}, Source: digestSource, Versions: bilingual}, nil
}

func (f *fakeService) asked() []bot.Question {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]bot.Question(nil), f.questions...)
}

func (f *fakeService) Cite(ref, lang string) (bot.Reply, error) {
	if f.CiteFunc != nil {
		return f.CiteFunc(ref, lang)
	}
	switch ref {
	case "4":
		return bot.Reply{Lang: lang, Mode: "cite", Passages: []bot.Quote{quote41, quote42}, Source: digestSource}, nil
	case "4.2":
		return bot.Reply{Lang: lang, Mode: "cite", Passages: []bot.Quote{quote42}, Source: digestSource}, nil
	}
	return bot.Reply{}, &bot.InputError{Msg: "No paragraph " + ref + "; chapters run from 1 to 6."}
}

func (f *fakeService) Chapters(lang string) ([]bot.ChapterSummary, error) {
	if f.ChaptersFunc != nil {
		return f.ChaptersFunc(lang)
	}
	return []bot.ChapterSummary{{Doc: "digest", Number: 4, Title: "Green Transition and Resilience", IDs: []string{"4.1", "4.2"}}}, nil
}

func (f *fakeService) About(lang string) bot.About {
	if f.AboutFunc != nil {
		return f.AboutFunc(lang)
	}
	return bot.About{
		Title: "Tokyo Declaration", Kind: "unofficial digest", Date: "2025-12-20", Documents: 2, Passages: 68,
		Embedder: retrieval.EmbedderSpec{Name: "hash", Dims: 256}, BuiltAt: time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC), Version: "test",
	}
}

func (f *fakeService) Complete(prefix, lang string, max int) []bot.Choice {
	if f.CompleteFunc != nil {
		return f.CompleteFunc(prefix, lang, max)
	}
	all := []bot.Choice{
		{Name: "4 Green Transition and Resilience", Value: "4"},
		{Name: "4.1 The leaders welcomed the Green Transition partnership.", Value: "4.1"},
		{Name: "4.2 The leaders affirmed their commitment to cooperation on water…", Value: "4.2"},
	}
	var out []bot.Choice
	for _, c := range all {
		if strings.HasPrefix(c.Value, prefix) && len(out) < max {
			out = append(out, c)
		}
	}
	return out
}

// Messages and Languages return Msgs and Langs; nil ones mean the
// adapter's defaults.
func (f *fakeService) Messages() *messages.Catalogue { return f.Msgs }
func (f *fakeService) Languages() *lang.Table        { return f.Langs }

// words is the phrasebook the adapter builds for a fake service.
var words = newPhrasebook(&fakeService{})

func (f *fakeService) Translate(ids []string, lang string) (bot.Reply, error) {
	if f.TranslateFunc != nil {
		return f.TranslateFunc(ids, lang)
	}
	if lang == "fr" {
		return bot.Reply{Lang: "fr", Mode: "cite", Passages: []bot.Quote{quote42fr}, Source: digestSource, Versions: bilingual}, nil
	}
	return bot.Reply{Lang: "en", Mode: "cite", Passages: []bot.Quote{quote42}, Source: digestSource, Versions: bilingual}, nil
}

// syncBuffer collects log output from concurrent handlers.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

const testToken = "MTEwMDAwMDAwMDAwMDAwMDAwMg.secret-test-token"

// harness is a Bot running against a fake Discord.
type harness struct {
	srv    *discordtest.Server
	svc    *fakeService
	bot    *Bot
	logs   *syncBuffer
	cancel context.CancelFunc
	done   chan error
}

var (
	guildUser = discordtest.Invoker{UserID: "2000000000000000001", Username: "aru", GuildID: "3000000000000000001", ChannelID: "4000000000000000001"}
	dmUser    = discordtest.Invoker{UserID: "2000000000000000002", Username: "timur", ChannelID: "4000000000000000099"}
)

const waitFor = 10 * time.Second

// start runs a Bot against a fresh fake Discord and waits until its
// commands are registered. edit adjusts the configuration.
func start(t testing.TB, svc *fakeService, edit func(*Config), reindex ReindexFunc) *harness {
	t.Helper()
	return startWith(t, discordtest.Options{Token: testToken}, svc, edit, reindex)
}

// startWith is start with a fake configured by opts.
func startWith(t testing.TB, opts discordtest.Options, svc *fakeService, edit func(*Config), reindex ReindexFunc) *harness {
	t.Helper()
	return startTuned(t, opts, svc, edit, reindex, nil)
}

// startTuned is startWith with tune, when not nil, adjusting the Bot
// before it runs.
func startTuned(t testing.TB, opts discordtest.Options, svc *fakeService, edit func(*Config), reindex ReindexFunc, tune func(*Bot)) *harness {
	t.Helper()
	srv := discordtest.New(t, opts)
	h := runOn(t, srv, svc, edit, reindex, tune)
	overwrites := max(1, len(h.bot.cfg.GuildIDs))
	wctx, wcancel := context.WithTimeout(context.Background(), waitFor)
	defer wcancel()
	go func() {
		// Stop waiting if Run gives up.
		select {
		case err := <-h.done:
			h.done <- err
			wcancel()
		case <-wctx.Done():
		}
	}()
	if _, err := srv.Wait(wctx, overwrites, discordtest.CommandOverwrites); err != nil {
		t.Fatalf("commands never registered: %v\nlogs:\n%s", err, h.logs)
	}
	return h
}

// testConfig is the configuration of a Bot on srv.
func testConfig(srv *discordtest.Server) Config {
	cfg := DefaultConfig()
	cfg.Token = testToken
	cfg.APIURL = srv.URL()
	cfg.GuildIDs = []string{guildUser.GuildID}
	return cfg
}

// newTestBot is a Bot logging at debug level into the buffer returned.
func newTestBot(t testing.TB, cfg Config, svc *fakeService) (*Bot, *syncBuffer) {
	t.Helper()
	logs := &syncBuffer{}
	b, err := New(cfg, svc, nil, slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug})))
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return b, logs
}

// runOn runs a Bot against srv without waiting for anything; the bot
// stops with the test.
func runOn(t testing.TB, srv *discordtest.Server, svc *fakeService, edit func(*Config), reindex ReindexFunc, tune func(*Bot)) *harness {
	t.Helper()
	cfg := testConfig(srv)
	if edit != nil {
		edit(&cfg)
	}
	b, logs := newTestBot(t, cfg, svc)
	b.reindex = reindex
	if tune != nil {
		tune(b)
	}
	ctx, cancel := context.WithCancel(context.Background())
	h := &harness{srv: srv, svc: svc, bot: b, logs: logs, cancel: cancel, done: make(chan error, 1)}
	go func() { h.done <- b.Run(ctx) }()
	t.Cleanup(func() { h.stop(t) })
	return h
}

// stop shuts the bot down and checks Run returned nil and logged no token.
func (h *harness) stop(t testing.TB) {
	t.Helper()
	h.cancel()
	select {
	case err := <-h.done:
		if err != nil {
			t.Errorf("Run: %v", err)
		}
		h.done <- err // let a later stop see it too
	case <-time.After(waitFor + h.bot.cfg.ShutdownTimeout):
		t.Errorf("Run did not return after cancel")
	}
	if strings.Contains(h.logs.String(), testToken) {
		t.Errorf("the token appears in the log:\n%s", h.logs)
	}
}

// Decoded request bodies.
type (
	allowedMentions struct {
		Parse *[]string `json:"parse"`
	}
	embed struct {
		Title       string `json:"title"`
		Description string `json:"description"`
		Footer      *struct {
			Text string `json:"text"`
		} `json:"footer"`
		Fields []struct {
			Name, Value string
		} `json:"fields"`
	}
	// button is a button or a select menu.
	button struct {
		Type        int    `json:"type"`
		Label       string `json:"label"`
		CustomID    string `json:"custom_id"`
		Placeholder string `json:"placeholder"`
		Options     []struct {
			Label   string `json:"label"`
			Value   string `json:"value"`
			Default bool   `json:"default"`
		} `json:"options"`
	}
	row struct {
		Components []button `json:"components"`
	}
	messageBody struct {
		Content          string           `json:"content"`
		Embeds           []embed          `json:"embeds"`
		Components       []row            `json:"components"`
		Flags            int              `json:"flags"`
		AllowedMentions  *allowedMentions `json:"allowed_mentions"`
		MessageReference *struct {
			MessageID string `json:"message_id"`
		} `json:"message_reference"`
		Choices []struct {
			Name  string `json:"name"`
			Value any    `json:"value"`
		} `json:"choices"`
	}
	callbackBody struct {
		Type int          `json:"type"`
		Data *messageBody `json:"data"`
	}
)

// menu returns the message's language menu, or nil.
func (m messageBody) menu() *button {
	for _, r := range m.Components {
		for i, b := range r.Components {
			if b.Type == 3 && strings.HasPrefix(b.CustomID, languagePrefix) {
				return &r.Components[i]
			}
		}
	}
	return nil
}

// menuValues lists the values of a menu's options, the default marked
// with a star.
func (b *button) menuValues() string {
	var out []string
	for _, o := range b.Options {
		v := o.Value
		if o.Default {
			v += "*"
		}
		out = append(out, v)
	}
	return strings.Join(out, " ")
}

func decode[T any](t testing.TB, c discordtest.Call) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(c.Body, &v); err != nil {
		t.Fatalf("decode %s: %v", c, err)
	}
	return v
}

// checkNoPings fails unless the message body forbids every mention.
func checkNoPings(t testing.TB, c discordtest.Call, m *messageBody) {
	t.Helper()
	if m == nil {
		return
	}
	if m.AllowedMentions == nil || m.AllowedMentions.Parse == nil || len(*m.AllowedMentions.Parse) != 0 {
		t.Errorf("%s: allowed_mentions.parse must be an empty list", c)
	}
}

// checkLimits fails when a message breaks one of Discord's limits.
func checkLimits(t testing.TB, m messageBody) {
	t.Helper()
	if n := runes(m.Content); n > maxContent {
		t.Errorf("content has %d characters, limit %d", n, maxContent)
	}
	if len(m.Embeds) > maxEmbeds {
		t.Errorf("%d embeds, limit %d", len(m.Embeds), maxEmbeds)
	}
	total := 0
	for _, e := range m.Embeds {
		if n := runes(e.Description); n > maxDescription {
			t.Errorf("embed description has %d characters, limit %d", n, maxDescription)
		}
		total += runes(e.Title) + runes(e.Description)
		if e.Footer != nil {
			total += runes(e.Footer.Text)
		}
		for _, f := range e.Fields {
			total += runes(f.Name) + runes(f.Value)
		}
	}
	if total > maxEmbedTotal {
		t.Errorf("embeds total %d characters, limit %d", total, maxEmbedTotal)
	}
}
