package discord

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"unicode"

	"github.com/bwmarrin/discordgo"

	"github.com/declbot/declbot/bot"
	"github.com/declbot/declbot/bot/discord/discordtest"
	"github.com/declbot/declbot/bot/messages"
	"github.com/declbot/declbot/corpus/lang"
)

// in returns guildUser with a client locale.
func in(locale string) discordtest.Invoker {
	u := guildUser
	u.Locale = locale
	return u
}

// TestNoticesInClientLanguage answers what the adapter says itself in the
// language of the user's Discord client, and in English for a locale the
// table lacks.
func TestNoticesInClientLanguage(t *testing.T) {
	t.Parallel()
	h := start(t, &fakeService{}, nil, nil)
	for _, tc := range []struct {
		locale, title, empty string
	}{
		{"ru", "Главы", "Задайте вопрос"},
		{"ja", "章", "質問を入力してください"},
		{"fr", "Chapitres", "Posez une question"},
		{"en-GB", "Chapters", "Please ask a question"},
		{"de", "Chapters", "Please ask a question"},
	} {
		t.Run(tc.locale, func(t *testing.T) {
			sent := h.srv.SendCommand(in(tc.locale), "chapters")
			c := h.srv.MustWait(t, waitFor, 1, discordtest.And(discordtest.ForInteraction(sent.Token), discordtest.Callbacks))[0]
			if cb := decode[callbackBody](t, c); cb.Data == nil || len(cb.Data.Embeds) == 0 || cb.Data.Embeds[0].Title != tc.title {
				t.Errorf("/chapters answered %s, want the title %q", c, tc.title)
			}
			sent = h.srv.SendCommand(in(tc.locale), "ask", discordtest.String("question", "  "))
			c = h.srv.MustWait(t, waitFor, 1, discordtest.And(discordtest.ForInteraction(sent.Token), discordtest.Callbacks))[0]
			if cb := decode[callbackBody](t, c); cb.Data == nil || !strings.HasPrefix(cb.Data.Content, tc.empty) {
				t.Errorf("/ask with no question answered %s, want %q…", c, tc.empty)
			}
		})
	}
}

// TestCommandsFollowTable builds the /ask language choices from the table
// and describes every command in each Discord locale of its languages.
func TestCommandsFollowTable(t *testing.T) {
	cmds := words.commands()
	ask := cmds[0]
	var choices []string
	for _, c := range ask.Options[1].Choices {
		choices = append(choices, c.Name+"="+c.Value.(string))
	}
	if got := strings.Join(choices, " "); got != "English=en Français=fr Русский=ru 日本語=ja" {
		t.Errorf("/ask language choices %q", got)
	}
	if ask.DescriptionLocalizations == nil {
		t.Fatal("/ask has no localised description")
	}
	loc := *ask.DescriptionLocalizations
	if !strings.HasPrefix(loc[discordgo.Russian], "Задать вопрос") || !strings.HasPrefix(loc[discordgo.Japanese], "東京宣言") || !strings.HasPrefix(loc[discordgo.French], "Poser") {
		t.Errorf("/ask localisations %v", loc)
	}
	if _, ok := loc[discordgo.EnglishGB]; ok {
		t.Error("English localised: it is the default description")
	}
	for _, c := range cmds {
		if n := len([]rune(c.Description)); n == 0 || n > 100 {
			t.Errorf("/%s description has %d characters (1 to 100)", c.Name, n)
		}
		for _, o := range c.Options {
			for l, d := range o.DescriptionLocalizations {
				if n := len([]rune(d)); n > 100 {
					t.Errorf("/%s %s in %s has %d characters", c.Name, o.Name, l, n)
				}
			}
		}
	}
	if q := ask.Options[0].Description; !strings.Contains(q, "Русский") || !strings.Contains(q, "日本語") {
		t.Errorf("question option %q does not name the languages", q)
	}
}

// greek registers a toy fifth language: one table entry, one catalogue.
func greek(t *testing.T) (*lang.Table, *messages.Catalogue) {
	t.Helper()
	tab := lang.Default()
	if err := tab.Add(lang.Language{Code: "el", Name: "Ελληνικά", EnglishName: "Greek", Script: []*unicode.RangeTable{unicode.Greek}}); err != nil {
		t.Fatal(err)
	}
	msgs := messages.Default()
	if err := msgs.Add("el", []byte("discord_language_menu: Εμφάνιση σε άλλη γλώσσα\ndiscord_cmd_ask: Ρωτήστε για τη Διακήρυξη του Τόκιο\n")); err != nil {
		t.Fatal(err)
	}
	return tab, msgs
}

// TestToyLanguageMenu shows a reply in a fifth language with a menu in
// it, the rest of its words in English, and swaps to it.
func TestToyLanguageMenu(t *testing.T) {
	t.Parallel()
	tab, msgs := greek(t)
	var asked []string
	svc := &fakeService{Langs: tab, Msgs: msgs,
		AnswerFunc: func(ctx context.Context, q bot.Question) (bot.Reply, error) {
			return bot.Reply{Question: q.Text, Lang: "el", Mode: "extractive", Passages: []bot.Quote{quote42}, Source: digestSource, Versions: []string{"en", "el"}}, nil
		},
		TranslateFunc: func(ids []string, lang string) (bot.Reply, error) {
			asked = append(asked, lang)
			return bot.Reply{Lang: lang, Mode: "cite", Passages: []bot.Quote{quote42}, Source: digestSource, Versions: []string{"en", "el"}}, nil
		},
	}
	h := start(t, svc, nil, nil)
	sent := h.srv.SendCommand(guildUser, "ask", discordtest.String("question", "Τι λέει για το νερό;"))
	_, m := answerCalls(t, h.srv, sent.Token)
	menu := m.menu()
	if menu == nil || menu.Placeholder != "Εμφάνιση σε άλλη γλώσσα" || len(menu.Options) != 2 || menu.Options[1].Label != "Ελληνικά" || !menu.Options[1].Default {
		t.Fatalf("menu %+v, want it in Greek, offering English and Greek (shown)", menu)
	}
	if !strings.Contains(string(mustJSON(t, m.Components)), "Full chapter") {
		t.Errorf("components %+v: want the button the toy catalogue lacks in English", m.Components)
	}
	click := h.srv.SendSelect(guildUser, discordtest.Message{Content: m.Content}, menu.CustomID, "en")
	c := h.srv.MustWait(t, waitFor, 1, discordtest.And(discordtest.ForInteraction(click.Token), discordtest.Callbacks))[0]
	if cb := decode[callbackBody](t, c); cb.Type != 7 || len(asked) != 1 || asked[0] != "en" {
		t.Errorf("choosing English answered %s, translated to %v", c, asked)
	}
	ask := newPhrasebook(svc).commands()[0]
	if last := ask.Options[1].Choices[4]; last.Name != "Ελληνικά" || last.Value != "el" {
		t.Errorf("fifth /ask choice %+v, want Greek", last)
	}
	if d := (*ask.DescriptionLocalizations)[discordgo.Greek]; d != "Ρωτήστε για τη Διακήρυξη του Τόκιο" {
		t.Errorf("Greek /ask description %q", d)
	}
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	data, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// TestMentionNoticeInItsLanguage refuses a mention too long to answer in
// the language it is written in: a mention carries no client locale.
func TestMentionNoticeInItsLanguage(t *testing.T) {
	t.Parallel()
	h := start(t, &fakeService{}, nil, nil)
	h.srv.SendMessage(guildUser, "<@"+h.srv.BotUserID+"> "+strings.Repeat("вопрос ", 150), h.srv.BotUserID)
	msg := h.srv.MustWait(t, waitFor, 1, discordtest.ChannelMessages)[0]
	if body := decode[messageBody](t, msg); !strings.HasPrefix(body.Content, "Вопрос может содержать не больше 1000 знаков") {
		t.Errorf("too long a Russian mention answered %q, want the Russian notice", body.Content)
	}
}
