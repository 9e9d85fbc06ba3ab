package main

import (
	"context"
	"errors"
	"log/slog"
	"os"
	"runtime/debug"
	"strings"
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
// then returns nil once answers in flight are done: exit status 0, also
// when ctx ends while the index loads. A missing token is a usage error,
// reported in one line before anything is built; so is Discord refusing
// the token, shards or intents (a *discord.RefusedError), which a restart
// would not change: both exit 2.
//
// With server.listen set, the health and metrics endpoints are up from
// the start, before the index is built; /readyz says 200 once the index is
// loaded and the gateway connected. Each reload request from a.hangups
// (SIGHUP in main) rebuilds the index, as /reindex does.
func (a *App) serve(ctx context.Context, cfg Config, _ *serveCmd) error {
	dc := cfg.Discord // checked by Config.Validate
	if env := a.getenv(tokenEnv); env != "" {
		dc.Token = env
	}
	if strings.TrimSpace(dc.Token) == "" {
		return &usageError{"serve needs a Discord bot token: set discord.token in the config or " + tokenEnv}
	}
	start := time.Now()
	log := newLogger(a.stderr, cfg.Log, dc.Token, a.llmConfig(cfg).APIKey)
	m := metrics.New()
	if a.memoryLimit != nil {
		if n, ok := a.memoryLimit(); ok {
			debug.SetMemoryLimit(n)
			log.Info("memory limit for the collector: 80% of the cgroup's memory.max (GOMEMLIMIT overrides)", "bytes", n)
		}
	}

	var (
		answering atomic.Pointer[bot.Bot]
		front     atomic.Pointer[discord.Bot]
	)
	ready := func() error {
		if answering.Load() == nil {
			return errors.New("index not loaded")
		}
		d := front.Load()
		if d == nil || !d.Connected() {
			return errors.New("gateway not connected")
		}
		if missing := d.Missing(); missing != "" {
			return errors.New(missing)
		}
		return nil
	}
	// Reload requests are taken from the start: one that comes while the
	// index loads is kept and acted on once the bot runs, never left to
	// the signal's default action (SIGHUP would end the process).
	var hangup <-chan os.Signal
	if a.hangups != nil {
		c, unnotify := a.hangups()
		defer unnotify()
		hangup = c
	}
	// Recording starts before anything answers; a store that cannot be
	// opened is said once and costs only the records.
	ins := a.startInsights(ctx, cfg, log, m)
	defer ins.close(log)
	if cfg.Server.Listen != "" {
		srv, err := metrics.Listen(cfg.Server.Listen, a.serverHandler(m, ready, ins, log))
		if err != nil {
			return err
		}
		defer func() {
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			srv.Close(ctx)
		}()
		log.Info("serving /healthz, /readyz, /metrics and /insights", "addr", srv.Addr())
		if !srv.Loopback() {
			log.Warn("server.listen is not a loopback address: /metrics and /readyz answer anyone who can reach this machine; use 127.0.0.1:PORT unless a firewall stands in front", "addr", srv.Addr())
		}
	}

	idx, err := a.loadIndex(ctx, cfg)
	if err != nil {
		if ctx.Err() != nil {
			log.Info("stopped while loading")
			return nil
		}
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

	// /reindex and SIGHUP rebuild from the sources, embedding only what
	// changed, write the index file when one is configured, and swap; one
	// at a time, keeping the current index when it fails.
	r, err := a.NewReindexer(cfg, idx, func(ix *retrieval.Index) {
		b.SetIndex(ix)
		m.SetPassages(ix.Info().Passages)
	})
	if err != nil {
		return err
	}
	report := reindexReport(m, log)
	reindex := func(ctx context.Context) (string, error) {
		rep, err := r.Reindex(ctx)
		report(rep, err)
		if err != nil {
			return "", err
		}
		return rep.Summary() + ".", nil
	}
	d, err := discord.New(dc, b, reindex, log)
	if err != nil {
		return &usageError{err.Error()}
	}
	d.SetObserver(m)
	if ins.rec != nil {
		d.SetRecorder(recorder{rec: ins.rec, m: m})
	}
	front.Store(d)

	if hangup != nil {
		wctx, stop := context.WithCancel(ctx)
		defer stop()
		go r.Watch(wctx, hangup, report)
	}
	err = d.Run(ctx)
	if re := (*discord.RefusedError)(nil); errors.As(err, &re) {
		return &usageError{re.Error()}
	}
	return err
}

// reindexReport returns what tells the metrics and the log how a rebuild
// went, for /reindex and SIGHUP alike. A request refused because another
// rebuild is running is logged, not counted as a run.
func reindexReport(m *metrics.Metrics, log *slog.Logger) func(IndexReport, error) {
	return func(rep IndexReport, err error) {
		took := time.Duration(rep.DurationMS) * time.Millisecond
		switch {
		case errors.Is(err, ErrReindexRunning):
			log.Warn("reindex not started", "err", err)
		case err != nil:
			m.Reindexed(took, err)
			log.Error("reindex failed; the previous index stays in use", "err", err)
		default:
			m.Reindexed(took, nil)
			log.Info("reindexed", "passages", rep.Passages, "documents", rep.Documents,
				"embedded", rep.Embedded, "took", took, "warnings", len(rep.Warnings))
		}
	}
}

// The adapter's Service is what *bot.Bot offers.
var _ discord.Service = (*bot.Bot)(nil)
