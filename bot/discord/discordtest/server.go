// Package discordtest is an in-process fake of Discord for tests: an
// httptest server on 127.0.0.1 that answers the REST calls a bot makes and
// speaks the gateway over a websocket, as Discord does.
//
// It records every REST call (method, path, JSON body) so tests assert on
// what the bot sent, lets a test script REST answers (429 with retry_after,
// 500), dispatches INTERACTION_CREATE and MESSAGE_CREATE events shaped as
// Discord sends them, and can drop the gateway connection to exercise
// resumes. Wait helpers block until calls arrive, so tests never sleep.
package discordtest

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"path"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gorilla/websocket"
)

// APIPrefix is the path under which the fake serves the REST API, as
// Discord serves version 9.
const APIPrefix = "/api/v9/"

// Call is one REST request the fake received.
type Call struct {
	Method string
	// Path is relative to the API base, without query:
	// "interactions/1/tok/callback".
	Path  string
	Query string
	// Body is the request body; JSON for every call a bot makes here.
	Body json.RawMessage
	// Auth is the Authorization header as received.
	Auth string
	// Status is the status code the fake answered with.
	Status int
	At     time.Time
}

// Decode unmarshals the call's JSON body into v.
func (c Call) Decode(v any) error { return json.Unmarshal(c.Body, v) }

// String renders the call for failure messages.
func (c Call) String() string {
	return fmt.Sprintf("%s %s -> %d %s", c.Method, c.Path, c.Status, truncate(string(c.Body), 300))
}

// Response is a scripted REST answer.
type Response struct {
	Status int
	Header http.Header
	Body   string
	// ContentType, when set, replaces the JSON content type sent with a
	// body (an HTML error page from a proxy, say).
	ContentType string
	// Hangup closes the connection without answering, as a server that
	// crashed or a proxy that timed out would.
	Hangup bool
}

// Hangup is an answer that never comes: the connection is closed.
func Hangup() Response { return Response{Hangup: true} }

// RateLimited is a 429 answer telling the client to retry after the given
// number of seconds, with the headers Discord sends alongside.
func RateLimited(retryAfter float64) Response {
	secs := strconv.FormatFloat(retryAfter, 'f', 3, 64)
	h := http.Header{}
	h.Set("Retry-After", strconv.Itoa(int(retryAfter+0.999)))
	h.Set("X-RateLimit-Limit", "5")
	h.Set("X-RateLimit-Remaining", "0")
	h.Set("X-RateLimit-Reset-After", secs)
	h.Set("X-RateLimit-Bucket", "fake-bucket")
	h.Set("X-RateLimit-Scope", "user")
	return Response{
		Status: http.StatusTooManyRequests,
		Header: h,
		Body:   fmt.Sprintf(`{"message":"You are being rate limited.","retry_after":%s,"global":false}`, secs),
	}
}

// ServerError is a 500 answer.
func ServerError() Response {
	return Response{Status: http.StatusInternalServerError, Body: `{"message":"500: Internal Server Error","code":0}`}
}

type script struct {
	method, glob string
	responses    []Response
}

// Options configures a Server. The zero value is usable.
type Options struct {
	// HeartbeatInterval sent in HELLO; default 41.25 s, as Discord.
	HeartbeatInterval time.Duration
	// Token, when set, is the only token IDENTIFY and REST accept
	// (without the "Bot " prefix).
	Token string
	// OnCall, when set, is told of every REST call once it is recorded,
	// for benchmarks that time replies as they arrive. It must not block.
	OnCall func(Call)
	// Strict makes the fake refuse, with 400 as a stricter server would,
	// a thread start whose body has a field Discord does not take for a
	// thread on a message (invitable, type), and a thread started inside
	// a thread.
	Strict bool
}

// Server is the fake. Create it with New; it closes with the test.
type Server struct {
	AppID     string
	BotUserID string
	BotName   string

	http *httptest.Server
	opts Options
	up   websocket.Upgrader

	mu        sync.Mutex
	changed   chan struct{} // closed and replaced whenever state changes
	calls     []Call
	scripts   []*script
	intercept func(Call) (Response, bool)
	nextID    int64
	conn      *gwConn
	sessionID string
	seq       int64
	events    []sent // dispatched events of the current session, for replay
	intents   int64
	stats     GatewayStats
	closed    bool
	threads   map[string]bool // ids of the threads started
	// Gateway faults: upgrades refused, and the close code sent in
	// answer to IDENTIFY and RESUME; see RefuseGateway and CloseSessions.
	refuse    int
	closeCode int
}

// GatewayStats counts what happened on the gateway.
type GatewayStats struct {
	Connections int // websocket connections accepted
	Identifies  int
	Resumes     int // successful resumes
	Heartbeats  int
	Drops       int // connections the test dropped
	Refused     int // upgrades refused (RefuseGateway)
	Closed      int // sessions closed with CloseSessions' code
	// Shard is the shard pair of the last IDENTIFY, nil when none was sent.
	Shard *[2]int
}

type sent struct {
	seq  int64
	data []byte
}

type gwConn struct {
	ws      *websocket.Conn
	writeMu sync.Mutex
}

func (c *gwConn) write(v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return c.writeRaw(b)
}

func (c *gwConn) writeRaw(b []byte) error {
	c.writeMu.Lock()
	defer c.writeMu.Unlock()
	return c.ws.WriteMessage(websocket.TextMessage, b)
}

// New starts a fake Discord on 127.0.0.1. The server closes when the test
// ends.
func New(t interface{ Cleanup(func()) }, opts Options) *Server {
	if opts.HeartbeatInterval == 0 {
		opts.HeartbeatInterval = 41250 * time.Millisecond
	}
	s := &Server{
		AppID:     "1100000000000000001",
		BotUserID: "1100000000000000002",
		BotName:   "declbot",
		opts:      opts,
		changed:   make(chan struct{}),
		nextID:    1200000000000000000,
		threads:   map[string]bool{},
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/gateway", s.serveGateway)
	mux.HandleFunc("/gateway/", s.serveGateway) // discordgo adds a slash
	mux.HandleFunc(APIPrefix, s.serveREST)
	s.http = httptest.NewServer(mux)
	t.Cleanup(s.Close)
	return s
}

// URL is the REST base URL to configure a bot with: "http://127.0.0.1:N/api/v9/".
func (s *Server) URL() string { return s.http.URL + APIPrefix }

// GatewayURL is the websocket URL GET gateway answers with.
func (s *Server) GatewayURL() string {
	return "ws" + strings.TrimPrefix(s.http.URL, "http") + "/gateway"
}

// Close drops the gateway connection and stops the server.
func (s *Server) Close() {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return
	}
	s.closed = true
	c := s.conn
	s.conn = nil
	s.mu.Unlock()
	if c != nil {
		c.ws.Close()
	}
	s.http.CloseClientConnections()
	s.http.Close()
}

// notifyLocked wakes every waiter; s.mu must be held.
func (s *Server) notifyLocked() {
	close(s.changed)
	s.changed = make(chan struct{})
}

// ID returns a fresh snowflake-like id.
func (s *Server) ID() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.newIDLocked()
}

func (s *Server) newIDLocked() string {
	s.nextID++
	return strconv.FormatInt(s.nextID, 10)
}

// Script queues answers for calls whose method matches and whose path
// matches glob (path.Match syntax, relative to the API base, e.g.
// "interactions/*/*/callback"). Each matching call consumes one answer;
// once they are used up, the default answer applies again.
func (s *Server) Script(method, glob string, responses ...Response) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.scripts = append(s.scripts, &script{method: method, glob: glob, responses: responses})
}

// Intercept makes f see every REST call before the scripts and the
// default answers: when it returns true, its Response is the answer. It
// lets a test fail each interaction's calls in its own way (the first
// edit of every answer rate-limited, say), which a shared script cannot
// when answers run concurrently. f runs with the server locked: it must
// not call the Server's methods. Nil removes it.
func (s *Server) Intercept(f func(Call) (Response, bool)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.intercept = f
}

// Forget drops the calls recorded so far and the events kept for a
// resume to replay, so that a long test's memory measures the bot rather
// than the fake's records. Call it while the gateway is connected and
// every event has been handled: a resume after it replays nothing.
func (s *Server) Forget() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls = nil
	s.events = nil
}

func (s *Server) scripted(method, p string) (Response, bool) {
	for _, sc := range s.scripts {
		if len(sc.responses) == 0 || sc.method != method {
			continue
		}
		if ok, _ := path.Match(sc.glob, p); ok {
			r := sc.responses[0]
			sc.responses = sc.responses[1:]
			return r, true
		}
	}
	return Response{}, false
}

// Calls returns the recorded calls that match (all when match is nil).
func (s *Server) Calls(match func(Call) bool) []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.callsLocked(match)
}

func (s *Server) callsLocked(match func(Call) bool) []Call {
	var out []Call
	for _, c := range s.calls {
		if match == nil || match(c) {
			out = append(out, c)
		}
	}
	return out
}

// Match returns a matcher for calls with the given method and a path
// matching glob (path.Match syntax).
func Match(method, glob string) func(Call) bool {
	return func(c Call) bool {
		if c.Method != method {
			return false
		}
		ok, _ := path.Match(glob, c.Path)
		return ok
	}
}

// Common matchers.
var (
	// Callbacks matches interaction responses (deferrals, messages,
	// autocomplete results).
	Callbacks = Match(http.MethodPost, "interactions/*/*/callback")
	// OriginalEdits matches edits of an interaction's original response.
	OriginalEdits = Match(http.MethodPatch, "webhooks/*/*/messages/@original")
	// Followups matches interaction follow-up messages.
	Followups = Match(http.MethodPost, "webhooks/*/*")
	// ChannelMessages matches messages posted to a channel.
	ChannelMessages = Match(http.MethodPost, "channels/*/messages")
	// ThreadStarts matches threads started from a message.
	ThreadStarts = Match(http.MethodPost, "channels/*/messages/*/threads")
	// CommandOverwrites matches global and guild bulk overwrites.
	CommandOverwrites = func(c Call) bool {
		return Match(http.MethodPut, "applications/*/commands")(c) ||
			Match(http.MethodPut, "applications/*/guilds/*/commands")(c)
	}
)

// ForInteraction matches calls that respond to the interaction whose token
// is given: its callback, original edits and follow-ups.
func ForInteraction(token string) func(Call) bool {
	return func(c Call) bool {
		parts := strings.Split(c.Path, "/")
		return (len(parts) >= 3 && parts[0] == "interactions" && parts[2] == token) ||
			(len(parts) >= 3 && parts[0] == "webhooks" && parts[2] == token)
	}
}

// And matches calls that every matcher matches.
func And(ms ...func(Call) bool) func(Call) bool {
	return func(c Call) bool {
		for _, m := range ms {
			if !m(c) {
				return false
			}
		}
		return true
	}
}

// Wait blocks until at least n recorded calls match, and returns them. It
// fails when ctx ends first, listing what was received.
func (s *Server) Wait(ctx context.Context, n int, match func(Call) bool) ([]Call, error) {
	for {
		s.mu.Lock()
		got := s.callsLocked(match)
		ch := s.changed
		s.mu.Unlock()
		if len(got) >= n {
			return got, nil
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return got, fmt.Errorf("waited for %d matching calls, got %d; all calls:\n%s", n, len(got), s.dump())
		}
	}
}

// TB is the part of testing.TB the helpers use.
type TB interface {
	Helper()
	Fatalf(format string, args ...any)
}

// MustWait is Wait with a timeout that fails the test.
func (s *Server) MustWait(t TB, timeout time.Duration, n int, match func(Call) bool) []Call {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	got, err := s.Wait(ctx, n, match)
	if err != nil {
		t.Fatalf("%v", err)
	}
	return got
}

// WaitGateway blocks until cond holds for the gateway statistics.
func (s *Server) WaitGateway(ctx context.Context, cond func(GatewayStats) bool) error {
	for {
		s.mu.Lock()
		st := s.stats
		ch := s.changed
		s.mu.Unlock()
		if cond(st) {
			return nil
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return fmt.Errorf("gateway condition not reached: %+v", st)
		}
	}
}

// Stats returns the gateway statistics so far.
func (s *Server) Stats() GatewayStats {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.stats
}

func (s *Server) dump() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var b strings.Builder
	for _, c := range s.calls {
		b.WriteString("  ")
		b.WriteString(c.String())
		b.WriteByte('\n')
	}
	return b.String()
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// serveREST records the call and answers it: a scripted answer first,
// else what Discord would answer.
func (s *Server) serveREST(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	p := strings.TrimPrefix(r.URL.Path, APIPrefix)
	c := Call{Method: r.Method, Path: p, Query: r.URL.RawQuery, Body: body, Auth: r.Header.Get("Authorization"), At: time.Now()}

	s.mu.Lock()
	var resp Response
	ok := false
	if s.intercept != nil {
		resp, ok = s.intercept(c)
	}
	if !ok {
		resp, ok = s.scripted(r.Method, p)
	}
	if !ok {
		resp = s.defaultAnswerLocked(r, p, body)
	}
	c.Status = resp.Status
	s.calls = append(s.calls, c)
	s.notifyLocked()
	s.mu.Unlock()
	if s.opts.OnCall != nil {
		s.opts.OnCall(c)
	}

	if resp.Hangup {
		if hj, ok := w.(http.Hijacker); ok {
			if conn, _, err := hj.Hijack(); err == nil {
				conn.Close()
				return
			}
		}
		panic(http.ErrAbortHandler)
	}
	for k, vs := range resp.Header {
		for _, v := range vs {
			w.Header().Add(k, v)
		}
	}
	if resp.ContentType != "" {
		w.Header().Set("Content-Type", resp.ContentType)
	} else if resp.Body != "" {
		w.Header().Set("Content-Type", "application/json")
	}
	w.WriteHeader(resp.Status)
	io.WriteString(w, resp.Body)
}

func jsonResponse(status int, v any) Response {
	b, _ := json.Marshal(v)
	return Response{Status: status, Body: string(b)}
}

func (s *Server) defaultAnswerLocked(r *http.Request, p string, body []byte) Response {
	if s.opts.Token != "" && p != "gateway" && r.Header.Get("Authorization") != "Bot "+s.opts.Token {
		return jsonResponse(http.StatusUnauthorized, map[string]any{"message": "401: Unauthorized", "code": 0})
	}
	parts := strings.Split(p, "/")
	match := func(glob string) bool { ok, _ := path.Match(glob, p); return ok }
	switch {
	case r.Method == http.MethodGet && p == "gateway":
		return jsonResponse(http.StatusOK, map[string]any{"url": s.GatewayURL()})
	case r.Method == http.MethodGet && p == "gateway/bot":
		return jsonResponse(http.StatusOK, map[string]any{
			"url": s.GatewayURL(), "shards": 1,
			"session_start_limit": map[string]any{"total": 1000, "remaining": 999, "reset_after": 14400000, "max_concurrency": 1},
		})
	case r.Method == http.MethodPost && match("interactions/*/*/callback"):
		return Response{Status: http.StatusNoContent}
	case r.Method == http.MethodPatch && match("webhooks/*/*/messages/*"):
		return jsonResponse(http.StatusOK, s.messageLocked(body, "", parts[2]))
	case r.Method == http.MethodPost && match("webhooks/*/*"):
		if r.URL.Query().Get("wait") != "true" {
			return Response{Status: http.StatusNoContent}
		}
		return jsonResponse(http.StatusOK, s.messageLocked(body, "", ""))
	case r.Method == http.MethodPost && match("channels/*/messages"):
		return jsonResponse(http.StatusOK, s.messageLocked(body, parts[1], ""))
	case r.Method == http.MethodPost && match("channels/*/messages/*/threads"):
		var ts struct {
			Name string `json:"name"`
		}
		json.Unmarshal(body, &ts)
		if s.opts.Strict {
			if resp, bad := s.strictThreadLocked(parts[1], body); bad {
				return resp
			}
		}
		s.threads[parts[3]] = true
		// A thread started from a message takes the message's id.
		return jsonResponse(http.StatusCreated, map[string]any{
			"id": parts[3], "type": 11, "parent_id": parts[1], "name": ts.Name,
			"owner_id": s.BotUserID, "thread_metadata": map[string]any{"archived": false, "auto_archive_duration": 1440, "locked": false},
		})
	case r.Method == http.MethodPut && (match("applications/*/commands") || match("applications/*/guilds/*/commands")):
		var cmds []map[string]any
		if err := json.Unmarshal(body, &cmds); err != nil {
			return jsonResponse(http.StatusBadRequest, map[string]any{"message": "Invalid Form Body", "code": 50035})
		}
		for _, c := range cmds {
			c["id"] = s.newIDLocked()
			c["application_id"] = s.AppID
			c["version"] = s.newIDLocked()
			if len(parts) == 5 {
				c["guild_id"] = parts[3]
			}
		}
		return jsonResponse(http.StatusOK, cmds)
	}
	return jsonResponse(http.StatusNotFound, map[string]any{"message": "404: Not Found", "code": 0})
}

// strictThreadLocked checks a thread start as a strict server would: only
// the fields Discord documents for a thread on a message, and not inside
// a thread.
func (s *Server) strictThreadLocked(channel string, body []byte) (Response, bool) {
	if s.threads[channel] {
		return jsonResponse(http.StatusBadRequest, map[string]any{"message": "Cannot execute action on this channel type", "code": 50024}), true
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(body, &fields); err != nil {
		return jsonResponse(http.StatusBadRequest, map[string]any{"message": "Invalid Form Body", "code": 50035}), true
	}
	for k := range fields {
		switch k {
		case "name", "auto_archive_duration", "rate_limit_per_user":
		default:
			return jsonResponse(http.StatusBadRequest, map[string]any{
				"message": "Invalid Form Body", "code": 50035,
				"errors": map[string]any{k: map[string]any{"_errors": []any{map[string]any{"code": "UNKNOWN_FIELD", "message": "Unknown field " + k}}}},
			}), true
		}
	}
	return Response{}, false
}

// Threads returns the ids of the threads started so far.
func (s *Server) Threads() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for id := range s.threads {
		out = append(out, id)
	}
	return out
}

// messageLocked turns a message body the bot sent into the message object
// Discord answers with.
func (s *Server) messageLocked(body []byte, channelID, webhookID string) map[string]any {
	m := map[string]any{}
	json.Unmarshal(body, &m)
	delete(m, "allowed_mentions")
	delete(m, "message_reference")
	m["id"] = s.newIDLocked()
	if channelID == "" {
		channelID = "1300000000000000000"
	}
	m["channel_id"] = channelID
	m["author"] = map[string]any{"id": s.BotUserID, "username": s.BotName, "discriminator": "0", "bot": true}
	m["timestamp"] = time.Now().UTC().Format(time.RFC3339Nano)
	m["type"] = 0
	if webhookID != "" {
		m["webhook_id"] = s.AppID
	}
	return m
}
