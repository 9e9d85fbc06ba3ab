package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/declbot/declbot/bot"
	"github.com/declbot/declbot/bot/discord"
	"github.com/declbot/declbot/bot/metrics"
	"github.com/declbot/declbot/retrieval"
)

// tokenEnv holds the Discord bot token; it wins over discord.token.
const tokenEnv = "DECLBOT_DISCORD_TOKEN"

type serveCmd struct{}

// The observers meet their implementation here.
var (
	_ bot.Observer     = (*metrics.Metrics)(nil)
	_ discord.Observer = (*metrics.Metrics)(nil)
)

// serve runs the Discord bot until ctx ends (SIGINT or SIGTERM in main),
// then returns nil once answers in flight are done: exit status 0. A
// missing token is a usage error, reported in one line before anything is
// built.
//
// With server.listen set, the health and metrics endpoints are up from
// the start, before the index is built; /readyz says 200 once the index is
// loaded and the gateway connected. Each reload request from a.hangups
// (SIGHUP in main) rebuilds the index, as /reindex does.
func (a *App) serve(ctx context.Context, cfg Config, _ *serveCmd) error {
	dc := discordConfig(cfg.Discord)
	if env := a.getenv(tokenEnv); env != "" {
		dc.Token = env
	}
	if strings.TrimSpace(dc.Token) == "" {
		return &usageError{"serve needs a Discord bot token: set discord.token in the config or " + tokenEnv}
	}
	start := time.Now()
	log := newLogger(a.stderr, cfg.Log, dc.Token, a.llmConfig(cfg).APIKey)
	m := metrics.New()

	var (
		answering atomic.Pointer[bot.Bot]
		front     atomic.Pointer[discord.Bot]
	)
	ready := func() error {
		if answering.Load() == nil {
			return errors.New("index not loaded")
		}
		if d := front.Load(); d == nil || !d.Connected() {
			return errors.New("gateway not connected")
		}
		return nil
	}
	if cfg.Server.Listen != "" {
		srv, err := metrics.Listen(cfg.Server.Listen, m.Handler(ready))
		if err != nil {
			return err
		}
		defer func() {
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			srv.Close(ctx)
		}()
		log.Info("serving /healthz, /readyz and /metrics", "addr", srv.Addr())
	}

	idx, err := a.loadIndex(ctx, cfg)
	if err != nil {
		return err
	}
	opts, err := a.botOptions(cfg)
	if err != nil {
		return err
	}
	opts.Log, opts.Observer = log, m
	b := bot.New(idx, opts)
	info := idx.Info()
	m.SetPassages(info.Passages)
	answering.Store(b)
	log.Info("index ready", "passages", info.Passages, "documents", info.Documents, "embedder", info.Embedder.String(), "since_start", time.Since(start))

	reindex := reindexer(a.loadIndex, cfg, b, m, log)
	d, err := discord.New(dc, b, reindex, log)
	if err != nil {
		return &usageError{err.Error()}
	}
	d.SetObserver(m)
	front.Store(d)

	var wg sync.WaitGroup
	defer wg.Wait()
	wctx, stop := context.WithCancel(ctx)
	defer stop()
	if a.hangups != nil {
		hangup, unnotify := a.hangups()
		defer unnotify()
		wg.Go(func() { watchHangups(wctx, hangup, reindex, log) })
	}
	return d.Run(ctx)
}

// reindexer returns the function /reindex and SIGHUP both call: it
// rebuilds the index with load, swaps it into b and tells the metrics and
// the log. One rebuild runs at a time; a failed one leaves the previous
// index answering.
func reindexer(load func(context.Context, Config) (*retrieval.Index, error), cfg Config, b *bot.Bot, m *metrics.Metrics, log *slog.Logger) discord.ReindexFunc {
	var mu sync.Mutex
	return func(ctx context.Context) (string, error) {
		mu.Lock()
		defer mu.Unlock()
		start := time.Now()
		idx, err := load(ctx, cfg)
		took := time.Since(start)
		m.Reindexed(took, err)
		if err != nil {
			log.Error("reindex failed; the previous index stays in use", "err", err, "took", took)
			return "", err
		}
		b.SetIndex(idx)
		info := idx.Info()
		m.SetPassages(info.Passages)
		log.Info("reindexed", "passages", info.Passages, "documents", info.Documents, "took", took)
		return fmt.Sprintf("%d passages from %d documents, built %s.", info.Passages, info.Documents, info.BuiltAt.UTC().Format("2006-01-02 15:04 UTC")), nil
	}
}

// watchHangups reindexes for each value on hangup until ctx ends.
func watchHangups(ctx context.Context, hangup <-chan os.Signal, reindex discord.ReindexFunc, log *slog.Logger) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-hangup:
			log.Info("SIGHUP: reindexing")
			reindex(ctx)
		}
	}
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
