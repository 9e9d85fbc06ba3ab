package discord

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/bwmarrin/discordgo"

	"github.com/declbot/declbot/bot"
	"github.com/declbot/declbot/retrieval"
)

// Discord's limits on one message.
const (
	maxContent     = 2000
	maxDescription = 4096
	maxEmbedTotal  = 6000
	maxEmbeds      = 10
	maxTitle       = 256
	maxFooter      = 2048
	maxFieldValue  = 1024
	maxCustomID    = 100
	maxChoiceName  = 100
	maxChoices     = 25
	maxThreadName  = 100
)

// Embed colours: the digest is not the official text, and shows it.
const (
	colorOfficial = 0x2b6cb0
	colorDigest   = 0xb7791f
)

// message is one Discord message to send; a reply may need several.
type message struct {
	Content    string                       `json:"content,omitempty"`
	Embeds     []*discordgo.MessageEmbed    `json:"embeds,omitempty"`
	Components []discordgo.MessageComponent `json:"components,omitempty"`
}

// noMentions is sent with every message: nothing in a reply pings anyone,
// whatever the question held.
func noMentions() *discordgo.MessageAllowedMentions {
	return &discordgo.MessageAllowedMentions{Parse: []discordgo.AllowedMentionType{}}
}

func runes(s string) int { return utf8.RuneCountInString(s) }

// embedSize is what an embed counts towards the 6,000-character total.
func embedSize(e *discordgo.MessageEmbed) int {
	n := runes(e.Title) + runes(e.Description)
	if e.Footer != nil {
		n += runes(e.Footer.Text)
	}
	if e.Author != nil {
		n += runes(e.Author.Name)
	}
	for _, f := range e.Fields {
		n += runes(f.Name) + runes(f.Value)
	}
	return n
}

// pack lays content and embeds out over as few messages as Discord's
// limits allow, and puts the components on the last one. Content longer
// than a message is split into leading messages of its own.
func pack(content string, embeds []*discordgo.MessageEmbed, components []discordgo.MessageComponent) []message {
	var out []message
	parts := Split(content, maxContent)
	for i, p := range parts {
		if i < len(parts)-1 {
			out = append(out, message{Content: p})
		}
	}
	cur := message{}
	if len(parts) > 0 {
		cur.Content = parts[len(parts)-1]
	}
	total := 0
	for _, e := range embeds {
		n := embedSize(e)
		if len(cur.Embeds) > 0 && (len(cur.Embeds) == maxEmbeds || total+n > maxEmbedTotal) {
			out = append(out, cur)
			cur, total = message{}, 0
		}
		cur.Embeds = append(cur.Embeds, e)
		total += n
	}
	cur.Components = components
	if cur.Content != "" || len(cur.Embeds) > 0 || len(out) == 0 {
		out = append(out, cur)
	} else if len(components) > 0 {
		out[len(out)-1].Components = components
	}
	return out
}

// textMessages renders plain text, split at paragraph or sentence
// boundaries into messages.
func textMessages(text string) []message {
	return pack(text, nil, nil)
}

// sourceLine names the source in a footer.
func sourceLine(p phrasebook, r bot.Reply) string {
	if r.Source == "" {
		return ""
	}
	return p.say(r.Lang, "discord_source", "source", r.Source)
}

func color(source string) int {
	if strings.Contains(strings.ToLower(source), "digest") || strings.Contains(strings.ToLower(source), "unofficial") {
		return colorDigest
	}
	return colorOfficial
}

// renderReply lays out a reply: the question shown back (escaped), the
// answer text when a model wrote one, then one embed per passage quoted as
// a block quote under its citation, the source in the footer, and the
// components; an overview says first that its passages sum the text up.
// An abstention is plain text that cites nothing. Every word
// around the quotes is in the reply's language.
func renderReply(p phrasebook, r bot.Reply, showQuestion bool) []message {
	var content strings.Builder
	if showQuestion && strings.TrimSpace(r.Question) != "" {
		q := Escape(strings.TrimSpace(r.Question))
		content.WriteString("**" + p.say(r.Lang, "discord_question") + "** ")
		content.WriteString(truncate(q, 1000))
	}
	if (r.Abstained || len(r.Passages) == 0) && len(r.Related) > 0 {
		// Nothing answers directly: the nearest passages, under the hedge
		// and never as an answer, with no buttons that would treat them
		// as one.
		if content.Len() > 0 {
			content.WriteString("\n\n")
		}
		content.WriteString(Escape(p.say(r.Lang, "related_hedge")))
		var embeds []*discordgo.MessageEmbed
		for _, q := range r.Related {
			embeds = append(embeds, passageEmbeds(p, r.Lang, q, r.Source)...)
		}
		addFooter(p, embeds, r)
		return pack(content.String(), embeds, nil)
	}
	if r.Abstained || len(r.Passages) == 0 {
		if content.Len() > 0 {
			content.WriteString("\n\n")
		}
		text := p.say(r.Lang, "discord_abstain")
		if strings.TrimSpace(r.Answer) != "" {
			text = Escape(strings.TrimSpace(r.Answer))
		}
		content.WriteString(text)
		return textMessages(content.String())
	}

	if r.Overview && r.Mode != bot.ModeLLM {
		// A request for the whole text: say that the passages sum it up,
		// as they answer no one question.
		if content.Len() > 0 {
			content.WriteString("\n\n")
		}
		content.WriteString(Escape(p.say(r.Lang, "overview_intro")))
	}
	var embeds []*discordgo.MessageEmbed
	if r.Mode == bot.ModeLLM && strings.TrimSpace(r.Answer) != "" {
		for _, chunk := range Split(escapeProse(r.Answer), maxDescription) {
			embeds = append(embeds, &discordgo.MessageEmbed{Description: chunk, Color: color(r.Source)})
		}
	}
	for _, q := range r.Passages {
		embeds = append(embeds, passageEmbeds(p, r.Lang, q, r.Source)...)
	}
	addFooter(p, embeds, r)
	return pack(content.String(), embeds, components(p, r))
}

// addFooter puts the reply's notes, which name the source with its
// caveat (or, without them, the source), in the last embed's footer.
func addFooter(p phrasebook, embeds []*discordgo.MessageEmbed, r bot.Reply) {
	footer := strings.Join(r.Notes, " · ")
	if footer == "" {
		footer = sourceLine(p, r)
	}
	if footer == "" || len(embeds) == 0 {
		return
	}
	last := embeds[len(embeds)-1]
	if room := min(maxFooter, maxEmbedTotal-embedSize(last)); room > 1 {
		last.Footer = &discordgo.MessageEmbedFooter{Text: truncate(footer, room)}
	}
}

// escapeProse escapes a written answer like Escape but keeps its block
// quotes: a line starting with "> " stays a quote, its text escaped.
func escapeProse(text string) string {
	lines := strings.Split(text, "\n")
	for i, l := range lines {
		if rest, ok := strings.CutPrefix(l, "> "); ok {
			lines[i] = "> " + Escape(rest)
		} else {
			lines[i] = Escape(l)
		}
	}
	return strings.Join(lines, "\n")
}

// partialContent renders a written answer still arriving, for the
// original response's content while the model streams.
func partialContent(text string) string {
	return truncate(escapeProse(strings.TrimSpace(text)), maxContent-2) + " …"
}

// passageEmbeds quotes one passage under its citation; a passage longer
// than an embed continues in further embeds, each a whole block quote.
func passageEmbeds(p phrasebook, lang string, q bot.Quote, source string) []*discordgo.MessageEmbed {
	title := q.Citation
	if title == "" {
		title = p.say(q.Lang, "citation", "chapter", q.ChapterName(), "title", q.ChapterTitle, "id", q.ID)
	}
	text := Escape(strings.TrimSpace(q.Text))
	// Each line gains a "> " prefix; leave room for it.
	limit := maxDescription - 2*(strings.Count(text, "\n")+1)
	chunks := Split(text, limit)
	out := make([]*discordgo.MessageEmbed, 0, len(chunks))
	for i, c := range chunks {
		t := title
		if i > 0 {
			t += " " + p.say(lang, "discord_continued")
		}
		out = append(out, &discordgo.MessageEmbed{
			Title:       truncate(t, maxTitle),
			Description: blockQuote(c),
			Color:       color(source),
		})
	}
	return out
}

// Component custom ids: "lg|<align keys, space separated>" is the
// language menu, whose chosen value is the language to swap the passages
// to; "ch|<chapter>|<lang>" shows a chapter. "tr|<lang>|<align keys>" is
// the two-way language button of earlier replies, still answered.
const (
	languagePrefix  = "lg|"
	translatePrefix = "tr|"
	chapterPrefix   = "ch|"
)

// maxMenuOptions is the most options Discord allows in a select menu.
const maxMenuOptions = 25

// components returns the rows under a reply: the language menu, listing
// the languages the index holds every quoted passage in (none when there
// is only the reply's own), then the full-chapter button.
func components(p phrasebook, r bot.Reply) []discordgo.MessageComponent {
	if len(r.Passages) == 0 {
		return nil
	}
	var rows []discordgo.MessageComponent
	if menu, ok := languageMenu(p, r); ok {
		rows = append(rows, discordgo.ActionsRow{Components: []discordgo.MessageComponent{menu}})
	}
	if c := r.Passages[0].Chapter; c > 0 {
		lang := r.Lang
		if lang == "" {
			lang = p.fallback()
		}
		rows = append(rows, discordgo.ActionsRow{Components: []discordgo.MessageComponent{discordgo.Button{
			Label: p.say(r.Lang, "discord_full_chapter"), Style: discordgo.SecondaryButton,
			CustomID: chapterPrefix + strconv.Itoa(c) + "|" + lang,
		}}})
	}
	return rows
}

// languageMenu is the select menu that swaps a reply's passages to another
// language. Its custom id holds as many of their align keys as fit in
// Discord's 100 characters.
func languageMenu(p phrasebook, r bot.Reply) (discordgo.SelectMenu, bool) {
	if len(r.Versions) < 2 {
		return discordgo.SelectMenu{}, false
	}
	id := languagePrefix
	n := 0
	for _, q := range r.Passages {
		key := q.AlignKey()
		if len(id)+len(key)+1 > maxCustomID {
			break
		}
		if n > 0 {
			id += " "
		}
		id += key
		n++
	}
	if n == 0 {
		return discordgo.SelectMenu{}, false
	}
	one := 1
	menu := discordgo.SelectMenu{
		MenuType: discordgo.StringSelectMenu, CustomID: id,
		Placeholder: p.say(r.Lang, "discord_language_menu"),
		MinValues:   &one, MaxValues: 1,
	}
	for _, code := range r.Versions {
		if len(menu.Options) == maxMenuOptions {
			break
		}
		menu.Options = append(menu.Options, discordgo.SelectMenuOption{
			Label: p.name(code), Value: code, Default: code == r.Lang,
		})
	}
	return menu, true
}

// renderChapters lays out the table of contents.
func renderChapters(p phrasebook, lang string, chs []bot.ChapterSummary) []message {
	if len(chs) == 0 {
		return textMessages(p.say(lang, "discord_no_chapters"))
	}
	var b strings.Builder
	for _, c := range chs {
		fmt.Fprintf(&b, "**%s** %s: %d ¶", c.Name(), Escape(c.Title), len(c.IDs))
		if len(c.IDs) > 0 {
			fmt.Fprintf(&b, " (%s–%s)", c.IDs[0], c.IDs[len(c.IDs)-1])
		}
		b.WriteString("\n")
	}
	var embeds []*discordgo.MessageEmbed
	for i, chunk := range Split(b.String(), maxDescription) {
		e := &discordgo.MessageEmbed{Description: chunk, Color: colorOfficial}
		if i == 0 {
			e.Title = p.say(lang, "discord_chapters_title")
		}
		embeds = append(embeds, e)
	}
	embeds[len(embeds)-1].Footer = &discordgo.MessageEmbedFooter{Text: p.say(lang, "discord_chapters_footer")}
	return pack("", embeds, nil)
}

// renderAbout describes the corpus and index in lang.
func renderAbout(p phrasebook, lang string, a bot.About) []message {
	field := func(name, value string) *discordgo.MessageEmbedField {
		if value == "" {
			value = "—"
		}
		return &discordgo.MessageEmbedField{Name: name, Value: truncate(Escape(value), maxFieldValue), Inline: true}
	}
	e := &discordgo.MessageEmbed{
		Title:       truncate(a.Title, maxTitle),
		Description: truncate(Escape(a.Notice), maxDescription),
		Color:       color(a.Kind),
		Fields: []*discordgo.MessageEmbedField{
			field(p.say(lang, "about_kind"), kindName(p, lang, a.Kind)),
			field(p.say(lang, "about_date"), a.Date),
			field(p.say(lang, "about_passages"), strconv.Itoa(a.Passages)),
			field(p.say(lang, "about_documents"), strconv.Itoa(a.Documents)),
			field(p.say(lang, "about_index"), builtAt(a.BuiltAt)),
			field(p.say(lang, "about_embedder"), embedderName(p, lang, a.Embedder)),
			field(p.say(lang, "about_version"), a.Version),
		},
	}
	if a.Source != "" {
		e.Footer = &discordgo.MessageEmbedFooter{Text: truncate(p.say(lang, "discord_source", "source", a.Source), maxFooter)}
	}
	return pack("", []*discordgo.MessageEmbed{e}, nil)
}

func builtAt(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format("2006-01-02 15:04 UTC")
}

func embedderName(p phrasebook, lang string, e retrieval.EmbedderSpec) string {
	s := e.Name
	if e.Model != "" {
		s += " " + e.Model
	}
	if e.Dims > 0 {
		s += " (" + p.say(lang, "about_dimensions", "n", e.Dims) + ")"
	}
	return s
}

// kindName says a document kind, given by its English name as bot.About
// does, in lang.
func kindName(p phrasebook, lang, kind string) string {
	switch kind {
	case "unofficial digest":
		return p.say(lang, "kind_digest")
	case "official text":
		return p.say(lang, "kind_official")
	case "indexed document":
		return p.say(lang, "kind_other")
	}
	return kind
}
