package discord

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/declbot/declbot/bot/logging"
)

// How the adapter meets a REST server that is slower, stricter or more
// broken than Discord: 429s waited out whatever their body, errors that
// name the URL dialled without the tokens in it, messages posted without
// depending on the echo, and discordgo's own log lines in the program's
// log.

// Rate limits: a 429 is retried after what it asks (Retry-After, or the
// body's retry_after, or defaultRetryAfter), never sooner than
// minRetryAfter, at most maxRateLimitRetries times; a wait over
// maxRetryAfter is not waited.
const (
	minRetryAfter       = 250 * time.Millisecond
	defaultRetryAfter   = time.Second
	maxRetryAfter       = 30 * time.Second
	maxRateLimitRetries = 4
)

// rateLimitTransport waits out 429 answers before discordgo sees them.
// discordgo retries a 429 only when its body is JSON (an HTML page from a
// proxy loses the call), immediately when retry_after is 0, and without
// bound; here every 429 is retried the same bounded way, and counted.
type rateLimitTransport struct {
	next    http.RoundTripper
	limited func() // told of each 429
	log     *slog.Logger
}

func (t *rateLimitTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	for attempt := 0; ; attempt++ {
		resp, err := t.next.RoundTrip(req)
		if err != nil || resp.StatusCode != http.StatusTooManyRequests {
			return resp, err
		}
		wait := retryAfter(resp)
		resp.Body.Close()
		t.limited()
		switch {
		case attempt == maxRateLimitRetries:
			return nil, fmt.Errorf("rate limited by the server %d times in a row", attempt+1)
		case wait > maxRetryAfter:
			return nil, fmt.Errorf("rate limited by the server for %v", wait)
		case req.Body != nil && req.Body != http.NoBody && req.GetBody == nil:
			return nil, errors.New("rate limited by the server; the request cannot be sent again")
		}
		t.log.Info("Discord rate limit", "retry_after", wait, "attempt", attempt+1)
		select {
		case <-req.Context().Done():
			return nil, req.Context().Err()
		case <-time.After(wait):
		}
		again := req.Clone(req.Context())
		if req.GetBody != nil {
			if again.Body, err = req.GetBody(); err != nil {
				return nil, err
			}
		}
		req = again
	}
}

// retryAfter is how long a 429 asks to wait, at least minRetryAfter.
func retryAfter(resp *http.Response) time.Duration {
	wait := time.Duration(-1)
	if secs, err := strconv.ParseFloat(resp.Header.Get("Retry-After"), 64); err == nil && secs >= 0 {
		wait = time.Duration(secs * float64(time.Second))
	}
	var body struct {
		RetryAfter *float64 `json:"retry_after"`
	}
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	if json.Unmarshal(b, &body) == nil && body.RetryAfter != nil && *body.RetryAfter >= 0 {
		// The body's figure has milliseconds; the header's is whole
		// seconds rounded up.
		wait = time.Duration(*body.RetryAfter * float64(time.Second))
	}
	if wait < 0 {
		wait = defaultRetryAfter
	}
	return max(wait, minRetryAfter)
}

// tokenInPath matches the interaction token in a webhook or interaction
// URL path: whoever holds it may post as the bot for 15 minutes.
var tokenInPath = regexp.MustCompile(`(webhooks|interactions)/([0-9]+)/([A-Za-z0-9_.\-]+)`)

// scrubURLs rewrites the REST URLs in s as they were dialled: the
// configured base instead of Discord's (discordgo builds every URL on
// Discord's and the rewriter redirects it on the way out, so its errors
// name discord.com), interaction tokens replaced by [token].
func (b *Bot) scrubURLs(s string) string {
	if base := b.apiBase(); base != DefaultAPIURL {
		s = strings.ReplaceAll(s, DefaultAPIURL, base)
	}
	return tokenInPath.ReplaceAllString(s, "$1/$2/[token]")
}

func (b *Bot) apiBase() string {
	if strings.HasSuffix(b.cfg.APIURL, "/") {
		return b.cfg.APIURL
	}
	return b.cfg.APIURL + "/"
}

// restErr is err as it may be logged or returned: URLs as dialled, no
// interaction token, the bot token removed. A REST error also names the
// method and URL of its request. The result does not unwrap to err, which
// holds the tokens.
func (b *Bot) restErr(err error) error {
	if err == nil {
		return nil
	}
	msg := err.Error()
	var re *discordgo.RESTError
	if errors.As(err, &re) && re.Request != nil && re.Request.URL != nil {
		msg = re.Request.Method + " " + re.Request.URL.String() + ": " + msg
	}
	return errors.New(logging.Redact(b.scrubURLs(msg), b.cfg.Token))
}

// post sends a message to a channel and reports whether the server took
// it. The message Discord echoes back is not decoded: the bot does not
// use it, and a server whose echo cannot be decoded has posted the
// message all the same (discordgo's ChannelMessageSendComplex would call
// that a failure, and the rest of an answer would be dropped).
func post(s *discordgo.Session, channel string, m *discordgo.MessageSend) error {
	endpoint := discordgo.EndpointChannelMessages(channel)
	_, err := s.RequestWithBucketID(http.MethodPost, endpoint, m, endpoint)
	return err
}

// threadStart is the body of a thread started on a message: only the
// fields Discord takes for it. discordgo's ThreadStart always sends
// "invitable" and "type", which a strict server refuses for a thread on a
// message.
type threadStart struct {
	Name                string `json:"name"`
	AutoArchiveDuration int    `json:"auto_archive_duration,omitempty"`
}

// startThread starts a thread on a message and returns its id. A thread
// on a message takes the message's id, which stands in when the server's
// echo cannot be decoded. discordgo's MessageThreadStartComplex keeps a
// rate-limit bucket per message, for ever (see interactionBuckets); the
// bucket here is the channel's.
func startThread(s *discordgo.Session, channelID, messageID string, data threadStart) (string, error) {
	endpoint := discordgo.EndpointChannelMessageThread(channelID, messageID)
	body, err := s.RequestWithBucketID(http.MethodPost, endpoint, data, discordgo.EndpointChannelThreads(channelID))
	if err != nil {
		return "", err
	}
	var ch struct {
		ID string `json:"id"`
	}
	if json.Unmarshal(body, &ch) != nil || ch.ID == "" {
		return messageID, nil
	}
	return ch.ID, nil
}

// maxKnownThreads bounds the threads the bot remembers having started.
const maxKnownThreads = 4096

// threadSet remembers the most recent threads the bot started, so that a
// question asked inside one is answered there instead of attempting a
// thread inside a thread, which Discord refuses.
type threadSet struct {
	mu   sync.Mutex
	max  int
	ids  map[string]bool
	ring []string // insertion order, for forgetting the oldest
	next int
}

func newThreadSet(max int) *threadSet {
	return &threadSet{max: max, ids: map[string]bool{}}
}

func (t *threadSet) add(id string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.ids[id] {
		return
	}
	if len(t.ring) < t.max {
		t.ring = append(t.ring, id)
	} else {
		delete(t.ids, t.ring[t.next])
		t.ring[t.next] = id
		t.next = (t.next + 1) % t.max
	}
	t.ids[id] = true
}

func (t *threadSet) has(id string) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.ids[id]
}

// inThread reports whether channel is known to be a thread: one the bot
// started, or one the session's state holds as a thread.
func (b *Bot) inThread(s *discordgo.Session, channel string) bool {
	if b.threads.has(channel) {
		return true
	}
	if s == nil || s.State == nil {
		return false
	}
	ch, err := s.State.Channel(channel)
	return err == nil && ch.IsThread()
}

// dgLogBot is the Bot whose log receives discordgo's own lines.
//
// discordgo logs through a package-level function variable, Logger, and
// prints "[DG0] ..." lines to stderr when it is nil: raw, past the
// program's format and redaction. It is set once, the first time New
// runs, to a function sending every line to the log of the most recent
// Bot, with URLs scrubbed as restErr does. A process runs one Bot; tests
// that run several get discordgo's lines in the newest one's log. Once
// that Bot is shutting down, discordgo's errors and warnings are logged
// at debug level: closing the session races with its heartbeat, which
// then fails to write ("error sending heartbeat ... websocket: close
// sent"), and a requested stop is no fault.
var (
	dgLogBot  atomic.Pointer[Bot]
	dgLogOnce sync.Once
)

func routeDiscordgoLogs(b *Bot) {
	dgLogBot.Store(b)
	dgLogOnce.Do(func() {
		discordgo.Logger = func(level, _ int, format string, a ...any) {
			b := dgLogBot.Load()
			if b == nil {
				return
			}
			l := slog.LevelDebug
			switch {
			case level <= discordgo.LogWarning && b.stopping():
				// The session closing as asked: debug.
			case level == discordgo.LogError:
				l = slog.LevelError
			case level == discordgo.LogWarning:
				l = slog.LevelWarn
			case level == discordgo.LogInformational:
				l = slog.LevelInfo
			}
			msg := b.scrubURLs(fmt.Sprintf(format, a...))
			b.log.Log(context.Background(), l, firstLine(msg, 500), "lib", "discordgo")
		}
	})
}
