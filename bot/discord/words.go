package discord

import (
	"strings"

	"github.com/bwmarrin/discordgo"

	"github.com/declbot/declbot/bot/messages"
	"github.com/declbot/declbot/corpus/lang"
)

// phrasebook is what the adapter says things with: the catalogue of
// sentences and the language table naming the languages, both the
// Service's, so that a reply and the words around it agree.
type phrasebook struct {
	msgs  *messages.Catalogue
	langs *lang.Table
}

// newPhrasebook takes svc's catalogue and table, or the defaults where it
// gives none.
func newPhrasebook(svc Service) phrasebook {
	p := phrasebook{msgs: svc.Messages(), langs: svc.Languages()}
	if p.msgs == nil {
		p.msgs = messages.Default()
	}
	if p.langs == nil {
		p.langs = lang.Default()
	}
	return p
}

// say returns the message key in lang.
func (p phrasebook) say(lang, key string, args ...any) string {
	return p.msgs.Say(lang, key, args...)
}

// fallback is the language spoken when nothing tells the user's.
func (p phrasebook) fallback() string { return p.langs.Fallback().Code }

// fromLocale picks the language of a Discord client locale ("fr",
// "en-GB", "ja"): the table's language of that code, or the fallback.
func (p phrasebook) fromLocale(l discordgo.Locale) string {
	code, _, _ := strings.Cut(strings.ToLower(string(l)), "-")
	if p.langs.Has(code) {
		return code
	}
	return p.fallback()
}

// of tells the language of what a user wrote, for the sentences said
// before the bot answers it.
func (p phrasebook) of(text string) string {
	if strings.TrimSpace(text) == "" {
		return p.fallback()
	}
	return p.langs.Detect(text)
}

// name is a language's name in itself, as the language menu lists it.
func (p phrasebook) name(code string) string {
	if l, ok := p.langs.Get(code); ok {
		return l.Name
	}
	return code
}

// localized returns key said in every Discord locale of a language the
// table and the catalogue hold, the fallback's left out (it is what
// Discord shows by default), each at most max characters; nil when there
// is none.
func (p phrasebook) localized(key string, max int, args ...any) map[discordgo.Locale]string {
	out := map[discordgo.Locale]string{}
	for _, code := range p.langs.Codes() {
		if code == p.fallback() || !p.msgs.Has(code) {
			continue
		}
		for l := range discordgo.Locales {
			if string(l) == code || strings.HasPrefix(string(l), code+"-") {
				out[l] = truncate(p.say(code, key, args...), max)
			}
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}
