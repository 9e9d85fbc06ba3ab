package discordtest

import (
	"strings"
	"time"
)

// Permission strings as Discord sends them. discordgo decodes permission
// fields with the ",string" option: sent as JSON numbers, they make the
// whole interaction fail to decode and its Data stay nil.
const (
	memberPermissions = "2248473465835073"
	appPermissions    = "562949953601536"
)

// intentMessageContent is the privileged Message Content intent.
const intentMessageContent = 1 << 15

// Invoker is who sends an event, and where.
type Invoker struct {
	UserID   string
	Username string
	// GuildID is empty for a direct message.
	GuildID   string
	ChannelID string
	// Roles are the member's role ids in the guild.
	Roles []string
	// Bot marks the author as a bot account.
	Bot bool
	// WebhookID, when set, makes a message one a webhook posted: it
	// carries webhook_id, and its author is the webhook, not a member.
	WebhookID string
	// Locale is the client's language, as Discord names it ("fr",
	// "en-GB", "ja"); empty means "en-US".
	Locale string
}

// Option is one slash command option as Discord sends it.
type Option struct {
	Name    string
	Type    int // 3 string, 4 integer, 5 boolean
	Value   any
	Focused bool
}

// String is a string option.
func String(name, value string) Option { return Option{Name: name, Type: 3, Value: value} }

// Focused is the string option being typed, in an autocomplete interaction.
func Focused(name, value string) Option {
	return Option{Name: name, Type: 3, Value: value, Focused: true}
}

// Sent identifies what the fake dispatched.
type Sent struct {
	ID    string // interaction or message id
	Token string // interaction token; empty for messages
	Seq   int64
}

func (s *Server) user(inv Invoker) map[string]any {
	name := inv.Username
	if name == "" {
		name = "user" + inv.UserID
	}
	return map[string]any{
		"id": inv.UserID, "username": name, "discriminator": "0", "global_name": name,
		"avatar": nil, "bot": inv.Bot, "public_flags": 0,
	}
}

func (s *Server) member(inv Invoker, withUser bool) map[string]any {
	roles := inv.Roles
	if roles == nil {
		roles = []string{}
	}
	m := map[string]any{
		"roles": roles, "nick": nil, "avatar": nil, "premium_since": nil,
		"joined_at": "2025-08-20T10:00:00.000000+00:00", "deaf": false, "mute": false,
		"pending": false, "flags": 0, "communication_disabled_until": nil,
	}
	if withUser {
		m["user"] = s.user(inv)
		m["permissions"] = memberPermissions
	}
	return m
}

// interaction builds an INTERACTION_CREATE payload as Discord sends it to
// a bot on the gateway.
func (s *Server) interaction(inv Invoker, typ int, data map[string]any) (map[string]any, Sent) {
	id := s.ID()
	token := "aW50ZXJhY3Rpb246" + id
	in := map[string]any{
		"id":              id,
		"application_id":  s.AppID,
		"type":            typ,
		"data":            data,
		"channel_id":      inv.ChannelID,
		"token":           token,
		"version":         1,
		"locale":          locale(inv),
		"app_permissions": appPermissions,
		"entitlements":    []any{},
	}
	if inv.GuildID != "" {
		in["guild_id"] = inv.GuildID
		in["guild_locale"] = "en-US"
		in["member"] = s.member(inv, true)
		in["channel"] = map[string]any{"id": inv.ChannelID, "type": 0, "guild_id": inv.GuildID, "name": "general", "permissions": memberPermissions}
		in["context"] = 0
		in["authorizing_integration_owners"] = map[string]any{"0": inv.GuildID}
	} else {
		in["user"] = s.user(inv)
		in["channel"] = map[string]any{"id": inv.ChannelID, "type": 1, "recipients": []any{s.user(inv)}}
		in["context"] = 1
		in["authorizing_integration_owners"] = map[string]any{"0": "0"}
	}
	return in, Sent{ID: id, Token: token}
}

func locale(inv Invoker) string {
	if inv.Locale == "" {
		return "en-US"
	}
	return inv.Locale
}

func options(opts []Option) []map[string]any {
	out := make([]map[string]any, 0, len(opts))
	for _, o := range opts {
		m := map[string]any{"name": o.Name, "type": o.Type, "value": o.Value}
		if o.Focused {
			m["focused"] = true
		}
		out = append(out, m)
	}
	return out
}

func (s *Server) commandData(name string, opts []Option) map[string]any {
	d := map[string]any{"id": s.ID(), "name": name, "type": 1}
	if len(opts) > 0 {
		d["options"] = options(opts)
	}
	return d
}

// SendCommand dispatches a slash command invocation (interaction type 2).
func (s *Server) SendCommand(inv Invoker, name string, opts ...Option) Sent {
	in, sent := s.interaction(inv, 2, s.commandData(name, opts))
	sent.Seq = s.Dispatch("INTERACTION_CREATE", in)
	return sent
}

// SendAutocomplete dispatches an autocomplete request (interaction type 4);
// one of opts should be Focused.
func (s *Server) SendAutocomplete(inv Invoker, name string, opts ...Option) Sent {
	in, sent := s.interaction(inv, 4, s.commandData(name, opts))
	sent.Seq = s.Dispatch("INTERACTION_CREATE", in)
	return sent
}

// Message is the bot message a button was clicked on.
type Message struct {
	ID      string
	Content string
}

// SendComponent dispatches a click (interaction type 3) on the button with
// customID of the bot message on.
func (s *Server) SendComponent(inv Invoker, on Message, customID string) Sent {
	return s.component(inv, on, map[string]any{"custom_id": customID, "component_type": 2})
}

// SendSelect dispatches a choice (interaction type 3) in the string select
// menu with customID of the bot message on: the values picked.
func (s *Server) SendSelect(inv Invoker, on Message, customID string, values ...string) Sent {
	if values == nil {
		values = []string{}
	}
	return s.component(inv, on, map[string]any{"custom_id": customID, "component_type": 3, "values": values})
}

func (s *Server) component(inv Invoker, on Message, data map[string]any) Sent {
	if on.ID == "" {
		on.ID = s.ID()
	}
	in, sent := s.interaction(inv, 3, data)
	in["message"] = map[string]any{
		"id": on.ID, "channel_id": inv.ChannelID, "type": 20, "content": on.Content, "embeds": []any{},
		"components": []any{}, "attachments": []any{}, "mentions": []any{}, "mention_roles": []any{},
		"mention_everyone": false, "pinned": false, "tts": false, "flags": 0,
		"timestamp": time.Now().UTC().Format(time.RFC3339Nano), "edited_timestamp": nil,
		"author":         map[string]any{"id": s.BotUserID, "username": s.BotName, "discriminator": "0", "bot": true},
		"application_id": s.AppID, "webhook_id": s.AppID,
	}
	sent.Seq = s.Dispatch("INTERACTION_CREATE", in)
	return sent
}

// SendMessage dispatches MESSAGE_CREATE for a message with the given
// content, mentioning the users in mentions (ids; use s.BotUserID to
// mention the bot, written "<@id>" in content). As Discord does for a bot
// without the Message Content intent, a guild message that does not
// mention the bot arrives with its content emptied.
func (s *Server) SendMessage(inv Invoker, content string, mentions ...string) Sent {
	id := s.ID()
	ms := make([]any, 0, len(mentions))
	mentionsBot := false
	for _, uid := range mentions {
		u := map[string]any{"id": uid, "username": "user" + uid, "discriminator": "0", "global_name": nil, "avatar": nil, "public_flags": 0}
		if uid == s.BotUserID {
			mentionsBot = true
			u["username"] = s.BotName
			u["bot"] = true
		}
		if inv.GuildID != "" {
			u["member"] = s.member(Invoker{}, false)
		}
		ms = append(ms, u)
	}
	s.mu.Lock()
	intents := s.intents
	s.mu.Unlock()
	if inv.GuildID != "" && !mentionsBot && intents&intentMessageContent == 0 {
		content = ""
	}
	m := map[string]any{
		"id": id, "type": 0, "channel_id": inv.ChannelID, "content": content,
		"author":      s.user(inv),
		"attachments": []any{}, "embeds": []any{}, "components": []any{},
		"mentions": ms, "mention_roles": []any{},
		"mention_everyone": strings.Contains(content, "@everyone") || strings.Contains(content, "@here"),
		"pinned":           false, "tts": false, "flags": 0, "nonce": id,
		"timestamp": time.Now().UTC().Format(time.RFC3339Nano), "edited_timestamp": nil,
	}
	if inv.GuildID != "" {
		m["guild_id"] = inv.GuildID
		m["member"] = s.member(inv, false)
	}
	if inv.WebhookID != "" {
		m["webhook_id"] = inv.WebhookID
		delete(m, "member")
	}
	seq := s.Dispatch("MESSAGE_CREATE", m)
	return Sent{ID: id, Seq: seq}
}
