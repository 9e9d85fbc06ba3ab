package main

import (
	"context"
	"io"
	"log/slog"
	"strings"

	"github.com/declbot/declbot/bot"
	"github.com/declbot/declbot/bot/discord"
	"github.com/declbot/declbot/retrieval"
)

// tokenEnv holds the Discord bot token; it wins over discord.token.
const tokenEnv = "DECLBOT_DISCORD_TOKEN"

type serveCmd struct{}

// serve runs the Discord bot until ctx ends (SIGINT or SIGTERM in main),
// then returns nil once answers in flight are done: exit status 0. A
// missing token is a usage error, reported in one line before anything is
// built.
func (a *App) serve(ctx context.Context, cfg Config, _ *serveCmd) error {
	dc := discordConfig(cfg.Discord)
	if env := a.getenv(tokenEnv); env != "" {
		dc.Token = env
	}
	if strings.TrimSpace(dc.Token) == "" {
		return &usageError{"serve needs a Discord bot token: set discord.token in the config or " + tokenEnv}
	}
	log := newLogger(a.stderr, cfg.Log)
	idx, err := a.loadIndex(ctx, cfg)
	if err != nil {
		return err
	}
	opts, err := a.botOptions(cfg)
	if err != nil {
		return err
	}
	b := bot.New(idx, opts)
	// /reindex rebuilds from the sources, embedding only what changed,
	// writes the index file when one is configured, and swaps; one at a
	// time, keeping the current index when it fails.
	r, err := a.NewReindexer(cfg, idx, func(ix *retrieval.Index) { b.SetIndex(ix) })
	if err != nil {
		return err
	}
	reindex := func(ctx context.Context) (string, error) {
		rep, err := r.Reindex(ctx)
		if err != nil {
			return "", err
		}
		return rep.Summary() + ".", nil
	}
	d, err := discord.New(dc, b, reindex, log)
	if err != nil {
		return &usageError{err.Error()}
	}
	return d.Run(ctx)
}

// The adapter's Service is what *bot.Bot offers.
var _ discord.Service = (*bot.Bot)(nil)

// discordConfig carries the discord: section over to the adapter.
func discordConfig(c DiscordConfig) discord.Config {
	return discord.Config{
		Token:           c.Token,
		APIURL:          c.APIURL,
		GuildIDs:        c.GuildIDs,
		Maintainers:     discord.Maintainers{Users: c.Maintainers.Users, Roles: c.Maintainers.Roles},
		ReplyInThread:   c.ReplyInThread,
		AllowDMs:        c.AllowDMs,
		RateLimit:       discord.RateLimit{PerMinute: c.RateLimit.PerMinute},
		ShutdownTimeout: c.ShutdownTimeout,
		ShardID:         c.ShardID,
		ShardCount:      c.ShardCount,
	}
}

// newLogger logs to w at the configured level, as JSON or text.
func newLogger(w io.Writer, c LogConfig) *slog.Logger {
	var level slog.Level
	if err := level.UnmarshalText([]byte(c.Level)); err != nil {
		level = slog.LevelInfo
	}
	opts := &slog.HandlerOptions{Level: level}
	if c.Format == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}
