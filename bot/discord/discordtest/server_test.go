package discordtest

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

type gwFrame struct {
	Op int             `json:"op"`
	S  int64           `json:"s"`
	T  string          `json:"t"`
	D  json.RawMessage `json:"d"`
}

func dial(t *testing.T, s *Server) *websocket.Conn {
	t.Helper()
	c, _, err := websocket.DefaultDialer.Dial(s.GatewayURL()+"/?v=9&encoding=json", nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

func read(t *testing.T, c *websocket.Conn) gwFrame {
	t.Helper()
	c.SetReadDeadline(time.Now().Add(5 * time.Second))
	var f gwFrame
	if err := c.ReadJSON(&f); err != nil {
		t.Fatal(err)
	}
	return f
}

func TestGatewayIdentifyHeartbeatResume(t *testing.T) {
	s := New(t, Options{Token: "tok", HeartbeatInterval: time.Second})
	c := dial(t, s)
	if f := read(t, c); f.Op != 10 || !strings.Contains(string(f.D), `"heartbeat_interval":1000`) {
		t.Fatalf("first frame %+v, want HELLO", f)
	}
	c.WriteJSON(map[string]any{"op": 2, "d": map[string]any{"token": "Bot tok", "intents": 1}})
	ready := read(t, c)
	var r struct {
		SessionID   string `json:"session_id"`
		Resume      string `json:"resume_gateway_url"`
		Application struct {
			ID string `json:"id"`
		} `json:"application"`
	}
	json.Unmarshal(ready.D, &r)
	if ready.T != "READY" || ready.S != 1 || r.Application.ID != s.AppID || r.SessionID == "" || r.Resume != s.GatewayURL() {
		t.Fatalf("READY %+v", ready)
	}
	c.WriteJSON(map[string]any{"op": 1, "d": 1})
	if f := read(t, c); f.Op != 11 {
		t.Fatalf("heartbeat answered with %+v", f)
	}
	sent := s.SendCommand(Invoker{UserID: "1", GuildID: "2", ChannelID: "3"}, "ask", String("question", "q"))
	f := read(t, c)
	if f.T != "INTERACTION_CREATE" || f.S != 2 || sent.Seq != 2 {
		t.Fatalf("dispatch %+v, sent %+v", f, sent)
	}
	// Permission fields are strings, as discordgo needs them.
	if !strings.Contains(string(f.D), `"app_permissions":"`) || !strings.Contains(string(f.D), `"permissions":"`) {
		t.Errorf("permissions not sent as strings: %s", f.D)
	}

	s.DropConnection()
	missed := s.SendMessage(Invoker{UserID: "1", ChannelID: "9"}, "dm")
	c2 := dial(t, s)
	read(t, c2) // HELLO
	c2.WriteJSON(map[string]any{"op": 6, "d": map[string]any{"token": "Bot tok", "session_id": r.SessionID, "seq": 2}})
	if f := read(t, c2); f.T != "MESSAGE_CREATE" || f.S != missed.Seq {
		t.Fatalf("replayed %+v, want the missed message", f)
	}
	if f := read(t, c2); f.T != "RESUMED" {
		t.Fatalf("after replay %+v, want RESUMED", f)
	}
	if st := s.Stats(); st.Identifies != 1 || st.Resumes != 1 || st.Drops != 1 || st.Connections != 2 {
		t.Errorf("stats %+v", st)
	}

	c3 := dial(t, s)
	read(t, c3)
	c3.WriteJSON(map[string]any{"op": 6, "d": map[string]any{"token": "Bot tok", "session_id": "stale", "seq": 2}})
	if f := read(t, c3); f.Op != 9 {
		t.Fatalf("stale resume answered %+v, want INVALID_SESSION", f)
	}
}

func TestRESTRecordingAndScripts(t *testing.T) {
	s := New(t, Options{Token: "tok"})
	s.Script(http.MethodPost, "interactions/*/*/callback", RateLimited(0.25), ServerError())
	do := func(method, path, body, auth string) (int, http.Header, string) {
		req, _ := http.NewRequest(method, s.URL()+path, strings.NewReader(body))
		req.Header.Set("Authorization", auth)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, resp.Header, string(b)
	}
	if code, _, body := do("GET", "gateway", "", ""); code != 200 || !strings.Contains(body, s.GatewayURL()) {
		t.Errorf("gateway: %d %s", code, body)
	}
	code, h, body := do("POST", "interactions/1/t/callback", `{"type":5}`, "Bot tok")
	if code != 429 || h.Get("X-RateLimit-Reset-After") != "0.250" || !strings.Contains(body, `"retry_after":0.250`) {
		t.Errorf("first callback: %d %v %s", code, h, body)
	}
	if code, _, _ := do("POST", "interactions/1/t/callback", `{"type":5}`, "Bot tok"); code != 500 {
		t.Errorf("second callback: %d, want the scripted 500", code)
	}
	if code, _, _ := do("POST", "interactions/1/t/callback", `{"type":5}`, "Bot tok"); code != 204 {
		t.Errorf("third callback: %d, want the default 204", code)
	}
	if code, _, _ := do("POST", "channels/5/messages", `{}`, "Bot wrong"); code != 401 {
		t.Errorf("wrong token: %d, want 401", code)
	}
	code, _, body = do("POST", "channels/5/messages/6/threads", `{"name":"q"}`, "Bot tok")
	if code != 201 || !strings.Contains(body, `"id":"6"`) {
		t.Errorf("thread: %d %s", code, body)
	}
	got := s.MustWait(t, time.Second, 3, Callbacks)
	if got[0].Status != 429 || got[1].Status != 500 || got[2].Status != 204 || string(got[2].Body) != `{"type":5}` {
		t.Errorf("recorded %v", got)
	}
}
