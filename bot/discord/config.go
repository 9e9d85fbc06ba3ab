package discord

import (
	"errors"
	"time"
)

// DefaultAPIURL is Discord's REST base, the one discordgo addresses.
const DefaultAPIURL = "https://discord.com/api/v9/"

// Config is the `discord:` section of the configuration file. The
// program's configuration checks it (cmd/declbot's Config.Validate, the
// one check of every section); New takes it as checked.
type Config struct {
	// Token is the bot token, without the "Bot " prefix. It never appears
	// in a log line or an error.
	Token string `yaml:"token"`
	// APIURL is the REST base URL, for a Discord-compatible server.
	APIURL string `yaml:"api_url"`
	// GuildIDs receive the slash commands; empty registers them globally.
	GuildIDs    []string    `yaml:"guild_ids"`
	Maintainers Maintainers `yaml:"maintainers"`
	// ReplyInThread answers a mention in a thread started on it, instead
	// of a reply in the channel.
	ReplyInThread bool `yaml:"reply_in_thread"`
	// AllowDMs answers direct messages.
	AllowDMs  bool      `yaml:"allow_dms"`
	RateLimit RateLimit `yaml:"rate_limit"`
	// ShutdownTimeout bounds how long answers in flight may take to finish
	// once shutdown starts.
	ShutdownTimeout time.Duration `yaml:"shutdown_timeout"`
	// ShardID and ShardCount select this process's shard.
	ShardID    int `yaml:"shard_id"`
	ShardCount int `yaml:"shard_count"`
}

// Maintainers may run /reindex: listed users, or members holding a listed
// role.
type Maintainers struct {
	Users []string `yaml:"users"`
	Roles []string `yaml:"roles"`
}

// RateLimit bounds the questions one user may ask.
type RateLimit struct {
	// PerMinute is the most questions per user in any minute; 0 means no
	// limit.
	PerMinute int `yaml:"per_minute"`
}

// DefaultConfig returns the configuration used for whatever a file leaves
// out; decode a file over it. The boolean defaults (true) cannot be told
// apart from an explicit false after decoding, hence a prefilled value
// rather than a fix-up.
func DefaultConfig() Config {
	return Config{
		APIURL:          DefaultAPIURL,
		ReplyInThread:   true,
		AllowDMs:        true,
		RateLimit:       RateLimit{PerMinute: 6},
		ShutdownTimeout: 10 * time.Second,
		ShardCount:      1,
	}
}

// withDefaults fills the fields whose zero value means nothing. A zero
// rate limit means no limit, and a zero shutdown timeout means answers in
// flight are cancelled at once.
func (c Config) withDefaults() Config {
	d := DefaultConfig()
	if c.APIURL == "" {
		c.APIURL = d.APIURL
	}
	if c.ShardCount == 0 {
		c.ShardCount = d.ShardCount
	}
	return c
}

// ErrNoToken is returned by New when no bot token is given.
var ErrNoToken = errors.New("no Discord bot token: set discord.token in the config or DECLBOT_DISCORD_TOKEN")
