package discordtest

import (
	"encoding/json"
	"net/http"
	"strings"
	"time"
)

// Gateway opcodes, as Discord numbers them.
const (
	opDispatch       = 0
	opHeartbeat      = 1
	opIdentify       = 2
	opResume         = 6
	opReconnect      = 7
	opInvalidSession = 9
	opHello          = 10
	opHeartbeatACK   = 11
)

type frame struct {
	Op int             `json:"op"`
	D  json.RawMessage `json:"d"`
}

// serveGateway speaks the gateway on one websocket connection: HELLO,
// then IDENTIFY (a new session, READY) or RESUME (missed events replayed,
// then RESUMED), then heartbeats until the connection ends.
func (s *Server) serveGateway(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	refused := s.refuse > 0
	if refused {
		s.refuse--
		s.stats.Refused++
		s.notifyLocked()
	}
	s.mu.Unlock()
	if refused {
		http.Error(w, "gateway unavailable", http.StatusServiceUnavailable)
		return
	}
	ws, err := s.up.Upgrade(w, r, nil)
	if err != nil {
		return
	}
	c := &gwConn{ws: ws}
	defer ws.Close()

	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return
	}
	s.stats.Connections++
	s.notifyLocked()
	s.mu.Unlock()

	hello := map[string]any{"op": opHello, "d": map[string]any{"heartbeat_interval": s.opts.HeartbeatInterval.Milliseconds()}, "s": nil, "t": nil}
	if c.write(hello) != nil {
		return
	}
	for {
		_, msg, err := ws.ReadMessage()
		if err != nil {
			s.mu.Lock()
			if s.conn == c {
				s.conn = nil
				s.notifyLocked()
			}
			s.mu.Unlock()
			return
		}
		var f frame
		if json.Unmarshal(msg, &f) != nil {
			ws.WriteControl(8, []byte{0x0f, 0xa2}, time.Now().Add(time.Second)) // 4002 decode error
			return
		}
		switch f.Op {
		case opHeartbeat:
			s.mu.Lock()
			s.stats.Heartbeats++
			s.notifyLocked()
			s.mu.Unlock()
			c.write(map[string]any{"op": opHeartbeatACK, "d": nil, "s": nil, "t": nil})
		case opIdentify:
			if !s.identify(c, f.D) {
				return
			}
		case opResume:
			if !s.resume(c, f.D) {
				return
			}
		}
	}
}

func (s *Server) tokenOK(token string) bool {
	return s.opts.Token == "" || strings.TrimPrefix(token, "Bot ") == s.opts.Token
}

func (s *Server) identify(c *gwConn, d json.RawMessage) bool {
	var id struct {
		Token   string  `json:"token"`
		Intents int64   `json:"intents"`
		Shard   *[2]int `json:"shard"`
	}
	json.Unmarshal(d, &id)
	if !s.tokenOK(id.Token) {
		c.ws.WriteMessage(8, closeFrame(4004, "Authentication failed."))
		return false
	}
	if code := s.sessionCloseCode(); code != 0 {
		c.ws.WriteMessage(8, closeFrame(code, "Refused by the test."))
		return false
	}
	s.mu.Lock()
	s.sessionID = "fake-session-" + s.newIDLocked()
	s.seq = 0
	s.events = nil
	s.intents = id.Intents
	s.stats.Identifies++
	s.stats.Shard = id.Shard
	s.conn = c
	ready := map[string]any{
		"v":                  10,
		"session_id":         s.sessionID,
		"session_type":       "normal",
		"resume_gateway_url": s.GatewayURL(),
		"user": map[string]any{
			"id": s.BotUserID, "username": s.BotName, "discriminator": "0", "global_name": nil,
			"avatar": nil, "bot": true, "verified": true, "mfa_enabled": false, "flags": 0,
		},
		"application":             map[string]any{"id": s.AppID, "flags": 0},
		"guilds":                  []any{},
		"private_channels":        []any{},
		"relationships":           []any{},
		"presences":               []any{},
		"geo_ordered_rtc_regions": []string{"fake"},
	}
	if id.Shard != nil {
		ready["shard"] = id.Shard
	}
	s.dispatchLocked("READY", ready)
	s.mu.Unlock()
	return true
}

func (s *Server) resume(c *gwConn, d json.RawMessage) bool {
	var res struct {
		Token     string `json:"token"`
		SessionID string `json:"session_id"`
		Seq       int64  `json:"seq"`
	}
	json.Unmarshal(d, &res)
	if code := s.sessionCloseCode(); code != 0 {
		c.ws.WriteMessage(8, closeFrame(code, "Refused by the test."))
		return false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.tokenOK(res.Token) || res.SessionID == "" || res.SessionID != s.sessionID {
		// The session cannot be resumed: the client must identify again.
		c.write(map[string]any{"op": opInvalidSession, "d": false, "s": nil, "t": nil})
		return true
	}
	s.conn = c
	for _, e := range s.events {
		if e.seq > res.Seq {
			c.writeRaw(e.data)
		}
	}
	s.stats.Resumes++
	s.dispatchLocked("RESUMED", map[string]any{})
	return true
}

func closeFrame(code int, text string) []byte {
	return append([]byte{byte(code >> 8), byte(code)}, text...)
}

// Dispatch sends a dispatch (op 0) event of type t with data d, numbered
// with the session's next sequence number, and returns that number. While
// no connection is up the event is kept and replayed on resume, as Discord
// does.
func (s *Server) Dispatch(t string, d any) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.dispatchLocked(t, d)
}

func (s *Server) dispatchLocked(t string, d any) int64 {
	s.seq++
	b, err := json.Marshal(map[string]any{"op": opDispatch, "s": s.seq, "t": t, "d": d})
	if err != nil {
		panic("discordtest: marshal dispatch: " + err.Error())
	}
	s.events = append(s.events, sent{seq: s.seq, data: b})
	if s.conn != nil {
		s.conn.writeRaw(b)
	}
	s.notifyLocked()
	return s.seq
}

// DropConnection closes the current gateway connection abruptly, without a
// close frame, as a network failure would. The session stays resumable.
func (s *Server) DropConnection() {
	s.mu.Lock()
	c := s.conn
	s.conn = nil
	if c != nil {
		s.stats.Drops++
	}
	s.notifyLocked()
	s.mu.Unlock()
	if c != nil {
		c.ws.UnderlyingConn().Close()
	}
}

// RefuseGateway makes the next n websocket upgrades fail with 503, as a
// gateway that is down would.
func (s *Server) RefuseGateway(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.refuse = n
}

// CloseSessions makes the gateway answer every IDENTIFY and RESUME from
// now on by closing the connection with code (4004 authentication failed,
// 4014 disallowed intents, ...); 0 restores normal service.
func (s *Server) CloseSessions(code int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.closeCode = code
}

func (s *Server) sessionCloseCode() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closeCode != 0 {
		s.stats.Closed++
		s.notifyLocked()
	}
	return s.closeCode
}

// Connected reports whether a gateway session is up.
func (s *Server) Connected() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.conn != nil
}

// CloseConnection closes the current gateway connection with a close
// frame carrying code, as Discord does mid-session (4000 unknown error,
// 4009 session timed out, ...). With forget, the session is dropped as
// well: a RESUME of it is answered with INVALID_SESSION, and the events
// dispatched until the client identifies again are lost, as Discord loses
// them.
func (s *Server) CloseConnection(code int, forget bool) {
	s.mu.Lock()
	c := s.conn
	s.conn = nil
	if c != nil {
		s.stats.Drops++
	}
	if forget {
		s.sessionID = ""
		s.events = nil
	}
	s.notifyLocked()
	s.mu.Unlock()
	if c != nil {
		c.writeMu.Lock()
		c.ws.WriteControl(8, closeFrame(code, "Closed by the test."), time.Now().Add(time.Second))
		c.writeMu.Unlock()
		c.ws.Close()
	}
}

// AskReconnect sends RECONNECT (op 7) on the current gateway connection,
// as Discord does before moving a session: the client is to close the
// connection and resume on a new one.
func (s *Server) AskReconnect() {
	s.mu.Lock()
	c := s.conn
	s.mu.Unlock()
	if c != nil {
		c.write(map[string]any{"op": opReconnect, "d": nil, "s": nil, "t": nil})
	}
}
