// Package discord is declbot's Discord front end: slash commands, mentions
// and direct messages in, quoted and cited replies out, within Discord's
// deadlines and limits. It is the only package that imports discordgo.
//
// The adapter takes questions, checks them (length, per-user rate,
// maintainer rights), hands them to a Service and renders the bot.Reply: one
// embed per quoted passage under its citation, a menu to switch language
// and a button to show the whole chapter, and allowed_mentions that ping
// nobody. Every word it says around the quotes comes from the Service's
// message catalogue (bot/messages), in the reply's language or the user's
// client locale.
package discord

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/gorilla/websocket"

	"github.com/declbot/declbot/bot/logging"
)

// Bot is a running Discord front end. Create it with New and start it with
// Run.
type Bot struct {
	cfg     Config
	svc     Service
	reindex ReindexFunc
	log     *slog.Logger
	limiter *limiter
	history *history
	words   phrasebook

	// work is the context answers run under; it ends when the shutdown
	// grace period does.
	work       context.Context
	cancelWork context.CancelFunc

	mu              sync.Mutex
	closing         bool
	inflight        sync.WaitGroup
	stopRegistering context.CancelFunc

	userID   atomic.Value // string: the bot's own user id, from READY
	connects atomic.Int64
	live     atomic.Pointer[discordgo.Session] // while Run runs
	obs      Observer
	redial   chan struct{} // a disconnect happened; see reconnect

	// missing says what does not work while the rest does ("" when
	// nothing): slash commands that could not be registered.
	missing atomic.Value // string
	threads *threadSet   // threads the bot started: no thread inside them
	ratings ratings      // the insights recorder and the rating buttons (ratings.go)

	// Waits, set by New; tests shorten them.
	startWait     time.Duration // before the second attempt to connect at start
	registerRetry time.Duration // before registering again after a failure
}

// New returns a Bot answering with svc. reindex may be nil, in which case
// /reindex says it is not available; log may be nil to discard logs. The
// token is checked here, and never appears in what New, Run or the log
// say.
func New(cfg Config, svc Service, reindex ReindexFunc, log *slog.Logger) (*Bot, error) {
	cfg = cfg.withDefaults()
	// Tolerate a token pasted with its "Bot " prefix or a trailing newline.
	cfg.Token = strings.TrimPrefix(strings.TrimSpace(cfg.Token), "Bot ")
	if cfg.Token == "" {
		return nil, ErrNoToken
	}
	if svc == nil {
		return nil, errors.New("discord: nil Service")
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	// The program's logger redacts already; one handed in by another
	// caller may not, and the token must never show.
	log = slog.New(logging.NewHandler(log.Handler(), logging.Privacy{Secrets: []string{cfg.Token}})).With("component", "discord")
	work, cancel := context.WithCancel(context.Background())
	b := &Bot{
		cfg:           cfg,
		svc:           svc,
		reindex:       reindex,
		log:           log,
		limiter:       newLimiter(cfg.RateLimit.PerMinute, time.Now),
		history:       newHistory(),
		words:         newPhrasebook(svc),
		obs:           noObserver{},
		redial:        make(chan struct{}, 1),
		work:          work,
		cancelWork:    cancel,
		threads:       newThreadSet(maxKnownThreads),
		startWait:     time.Second,
		registerRetry: 10 * time.Second,
	}
	b.userID.Store("")
	b.missing.Store("")
	routeDiscordgoLogs(b)
	return b, nil
}

// Run connects to Discord, registers the slash commands and answers until
// ctx ends. Then it stops taking questions, lets the answers in flight
// finish for at most the shutdown timeout, closes the session and returns
// nil.
//
// A gateway that cannot be reached at start is tried startAttempts times,
// the waits doubling from a second; Run then returns the last error. When
// the commands cannot be registered, mentions and DMs are answered all
// the same: Missing says so, and the registration is retried in the
// background. Run returns a *RefusedError, at start or before ctx ends,
// when Discord refuses the bot for a reason reconnecting cannot fix (a
// bad or revoked token, intents not allowed: see refusal).
func (b *Bot) Run(ctx context.Context) error {
	defer b.cancelWork()
	s, err := b.session()
	if err != nil {
		return redactErr(err, b.cfg.Token)
	}
	b.live.Store(s)
	defer b.live.Store(nil)
	if err := b.openAtStart(ctx, s); err != nil {
		var re *RefusedError
		if errors.As(err, &re) {
			return re // its words are ours, with no token in them
		}
		return redactErr(b.restErr(err), b.cfg.Token)
	}
	if ctx.Err() != nil {
		s.Close()
		return nil
	}
	appID := ""
	if s.State != nil && s.State.Application != nil {
		appID = s.State.Application.ID
	}
	if appID == "" {
		s.Close()
		return errors.New("discord: READY carried no application id")
	}
	registering := make(chan struct{})
	go func() {
		defer close(registering)
		b.registerUntilDone(ctx, s, appID)
	}()
	b.log.Info("answering on Discord", "application_id", appID, "shard", b.cfg.ShardID, "shards", b.cfg.ShardCount)

	reconnecting := make(chan error, 1)
	go func() { reconnecting <- b.reconnect(ctx, s) }()
	var fatal error
	select {
	case <-ctx.Done():
		<-reconnecting // no reopening behind Close's back
	case fatal = <-reconnecting:
		b.log.Error("Discord closed the session for good", "err", fatal)
		b.cancelRegistering()
	}
	b.shutdown()
	if err := s.Close(); err != nil {
		b.log.Warn("close gateway session", "err", err)
	}
	<-registering
	b.log.Info("disconnected from Discord")
	return fatal
}

// startAttempts is how many times Run tries to connect at start.
const startAttempts = 6

// openAtStart opens the gateway connection, again after a failure, up to
// startAttempts times in all, unless the failure is one retrying cannot
// fix or ctx ends (then it returns nil, with the session closed).
func (b *Bot) openAtStart(ctx context.Context, s *discordgo.Session) error {
	wait := b.startWait
	for attempt := 1; ; attempt++ {
		err := s.Open()
		if err == nil {
			return nil
		}
		if re := refusal(err); re != nil {
			return re
		}
		if attempt == startAttempts {
			return fmt.Errorf("connect to the Discord gateway (%d attempts): %w", attempt, err)
		}
		b.log.Warn("connect to the gateway; retrying", "err", redactErr(b.restErr(err), b.cfg.Token), "attempt", attempt, "next_in", wait)
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(wait):
		}
		wait = min(2*wait, maxRedialWait)
	}
}

// RefusedError is Discord refusing the bot for a reason in its
// configuration (the token, the shards, the intents): every new
// connection would be refused the same way, so neither reconnecting nor
// restarting the program helps. Its message says what to check.
type RefusedError struct{ msg string }

func (e *RefusedError) Error() string { return e.msg }

// refusal returns a *RefusedError when err is Discord closing the gateway
// connection with one of fatalCloseCodes, or answering 401 Unauthorized
// to the REST call that finds the gateway (the token is wrong), and nil
// otherwise.
func refusal(err error) *RefusedError {
	var ce *websocket.CloseError
	if errors.As(err, &ce) {
		if why, ok := fatalCloseCodes[ce.Code]; ok {
			return &RefusedError{fmt.Sprintf("Discord closed the gateway connection with code %d (%s): not reconnecting", ce.Code, why)}
		}
	}
	var re *discordgo.RESTError
	if errors.As(err, &re) && re.Response != nil && re.Response.StatusCode == http.StatusUnauthorized {
		return &RefusedError{fmt.Sprintf("Discord answered %d Unauthorized (%s): not reconnecting", http.StatusUnauthorized, fatalCloseCodes[4004])}
	}
	return nil
}

// fatalCloseCodes are the gateway close codes after which Discord refuses
// every new connection until the configuration changes.
var fatalCloseCodes = map[int]string{
	4004: "authentication failed: check the bot token",
	4010: "invalid shard: check discord.shard_id and shard_count",
	4011: "sharding required: set discord.shard_count",
	4012: "invalid API version",
	4013: "invalid intents",
	4014: "disallowed intents: the bot asked for an intent not enabled for it",
}

// Missing returns what does not work while the rest does, for /readyz:
// "" when nothing is missing.
func (b *Bot) Missing() string { return b.missing.Load().(string) }

// session builds the discordgo session: REST redirected to the configured
// base, shard passed through, only unprivileged intents.
func (b *Bot) session() (*discordgo.Session, error) {
	s, err := discordgo.New("Bot " + b.cfg.Token)
	if err != nil {
		return nil, fmt.Errorf("create Discord session: %w", err)
	}
	// Every REST call goes to one host; keep enough idle connections for
	// the answers in flight (the default keeps two, so a busy bot would
	// open and close a connection per call).
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConnsPerHost = 100
	rt, err := newRewriter(b.cfg.APIURL, tr)
	if err != nil {
		return nil, fmt.Errorf("discord.api_url: %w", err)
	}
	rt = &rateLimitTransport{next: rt, limited: b.obs.DiscordRateLimited, log: b.log}
	s.Client = &http.Client{Transport: rt, Timeout: 20 * time.Second}
	s.LogLevel = discordgo.LogError
	// Run reconnects instead: see reconnect.
	s.ShouldReconnectOnError = false
	s.ShardID = b.cfg.ShardID
	s.ShardCount = b.cfg.ShardCount
	// Mentions and DMs carry their content without the privileged Message
	// Content intent.
	s.Identify.Intents = discordgo.IntentsGuilds | discordgo.IntentsGuildMessages | discordgo.IntentsDirectMessages
	s.StateEnabled = true
	// The state is read for READY's application id only. Tracking threads
	// would keep every answer thread the bot starts, archived or not, for
	// the life of the session.
	s.State.TrackThreads = false
	s.State.TrackThreadMembers = false
	s.AddHandler(b.onReady)
	s.AddHandler(b.onConnect)
	s.AddHandler(b.onDisconnect)
	s.AddHandler(b.onResumed)
	s.AddHandler(b.onInteraction)
	s.AddHandler(b.onMessage)
	return s, nil
}

// register installs the slash commands with one bulk overwrite per guild,
// or one global overwrite when no guild is configured.
func (b *Bot) register(s *discordgo.Session, appID string) error {
	cmds := b.words.commands()
	guilds := b.cfg.GuildIDs
	if len(guilds) == 0 {
		guilds = []string{""}
	}
	for _, g := range guilds {
		if _, err := s.ApplicationCommandBulkOverwrite(appID, g, cmds); err != nil {
			where := "globally"
			if g != "" {
				where = "in guild " + g
			}
			return fmt.Errorf("register slash commands %s: %w", where, err)
		}
	}
	b.log.Info("slash commands registered", "commands", len(cmds), "guilds", len(b.cfg.GuildIDs))
	return nil
}

// registerUntilDone registers the slash commands, and after a failure
// says what is missing and tries again, the waits doubling up to
// maxRegisterWait, until it succeeds or ctx ends: a bot whose commands
// are refused (missing applications.commands scope, a server without
// them) still answers mentions and DMs.
func (b *Bot) registerUntilDone(ctx context.Context, s *discordgo.Session, appID string) {
	ctx, cancel := context.WithCancel(ctx)
	b.mu.Lock()
	b.stopRegistering = cancel
	b.mu.Unlock()
	defer cancel()
	wait := b.registerRetry
	for {
		err := b.register(s, appID)
		if err == nil {
			b.missing.Store("")
			b.obs.CommandsRegistered(true)
			return
		}
		why := firstLine(b.restErr(err).Error(), 200)
		var re *discordgo.RESTError
		if errors.As(err, &re) && re.Response != nil {
			why = re.Response.Status
			if re.Message != nil && re.Message.Message != "" {
				why += ", " + truncate(re.Message.Message, 100)
			}
		}
		b.missing.Store("slash commands not registered (" + logging.Redact(why, b.cfg.Token) + "); mentions and DMs are answered")
		b.obs.CommandsRegistered(false)
		b.log.Error("slash commands not registered; answering mentions and DMs only", "err", b.restErr(err), "next_in", wait)
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
		wait = min(2*wait, maxRegisterWait)
	}
}

// maxRegisterWait bounds the wait between two registration attempts.
const maxRegisterWait = 10 * time.Minute

func (b *Bot) cancelRegistering() {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.stopRegistering != nil {
		b.stopRegistering()
	}
}

// firstLine is the first line of s, at most n characters.
func firstLine(s string, n int) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	return truncate(s, n)
}

// enter counts a question in flight, or reports false once shutdown has
// begun.
func (b *Bot) enter() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closing {
		return false
	}
	b.inflight.Add(1)
	return true
}

// stopping reports whether shutdown has begun: the gateway closing then
// is asked for, not a fault.
func (b *Bot) stopping() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.closing
}

// shutdown stops new questions and waits for those in flight, at most the
// shutdown timeout; then it cancels them and gives them a moment to tell
// their users.
func (b *Bot) shutdown() {
	b.mu.Lock()
	b.closing = true
	b.mu.Unlock()
	b.log.Info("shutting down: no new questions", "timeout", b.cfg.ShutdownTimeout)
	done := make(chan struct{})
	go func() {
		b.inflight.Wait()
		close(done)
	}()
	select {
	case <-done:
		return
	case <-time.After(b.cfg.ShutdownTimeout):
	}
	b.log.Warn("shutdown timeout: cancelling answers in flight")
	b.cancelWork()
	select {
	case <-done:
	case <-time.After(2 * time.Second):
		b.log.Warn("answers still in flight after cancel; closing anyway")
	}
}

func (b *Bot) onReady(_ *discordgo.Session, r *discordgo.Ready) {
	if r.User != nil {
		b.userID.Store(r.User.ID)
	}
	b.log.Info("gateway session ready", "session_id", r.SessionID)
}

func (b *Bot) onConnect(_ *discordgo.Session, _ *discordgo.Connect) {
	if n := b.connects.Add(1); n > 1 {
		b.obs.Reconnected()
		b.log.Info("gateway reconnected", "connections", n)
	}
}

func (b *Bot) onDisconnect(_ *discordgo.Session, _ *discordgo.Disconnect) {
	if b.stopping() {
		b.log.Debug("gateway closed")
		return
	}
	b.log.Warn("gateway disconnected")
	select {
	case b.redial <- struct{}{}:
	default: // a reconnection is pending already
	}
}

// Reconnection delays: the first attempt waits settle, each failure
// doubles the wait up to maxRedialWait.
const (
	settle        = 250 * time.Millisecond
	maxRedialWait = 30 * time.Second
)

// reconnect reopens the gateway connection each time it drops, until ctx
// ends; discordgo resumes the session when it can.
//
// discordgo can reconnect by itself, but races with itself: the heartbeat
// goroutine of a connection that dropped may be waiting for the session's
// lock while the drop is handled (Close holds it for a second); it then
// finds its connection closed and closes the session again, which by then
// holds the new connection. A drop in the first moments of a connection
// so starts a cycle of connections that last a second each, with events
// lost in between (TestServeGatewayDrops in cmd/declbot saw 24
// reconnections for 5 drops and half the questions unanswered). Waiting a
// moment before reopening lets that goroutine fail on nothing.
//
// It returns nil when ctx ends, and a *RefusedError when Discord refused
// a connection for a reason reconnecting cannot fix (see refusal).
func (b *Bot) reconnect(ctx context.Context, s *discordgo.Session) error {
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-b.redial:
		}
		wait := settle
		for attempt := 1; ; attempt++ {
			select {
			case <-ctx.Done():
				return nil
			case <-time.After(wait):
			}
			// Closes that followed the first (a stale heartbeat's) are
			// covered by this attempt.
			select {
			case <-b.redial:
			default:
			}
			err := s.Open()
			if err == nil || errors.Is(err, discordgo.ErrWSAlreadyOpen) {
				break
			}
			if re := refusal(err); re != nil {
				return re
			}
			b.log.Warn("reconnect to the gateway", "err", redactErr(b.restErr(err), b.cfg.Token), "attempt", attempt, "next_in", min(2*wait, maxRedialWait))
			wait = min(2*wait, maxRedialWait)
		}
	}
}

func (b *Bot) onResumed(_ *discordgo.Session, _ *discordgo.Resumed) {
	b.log.Info("gateway session resumed")
}

// botUserID returns the bot's own user id. discordgo runs the READY
// handler that stores it on a goroutine of its own, so a mention arriving
// just after READY may be handled first; the session's state, which
// discordgo updates before any later event is read, has it then.
func (b *Bot) botUserID(s *discordgo.Session) string {
	if id := b.userID.Load().(string); id != "" {
		return id
	}
	if s == nil || s.State == nil {
		return ""
	}
	s.State.RLock()
	defer s.State.RUnlock()
	if s.State.User == nil {
		return ""
	}
	return s.State.User.ID
}
