package metrics

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func get(t *testing.T, h http.Handler, path string) (int, string) {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
	return rec.Code, rec.Body.String()
}

func TestHandler(t *testing.T) {
	m := New()
	var ready atomic.Bool
	h := m.Handler(func() error {
		if !ready.Load() {
			return errors.New("gateway not connected")
		}
		return nil
	})

	tests := []struct {
		name     string
		path     string
		ready    bool
		wantCode int
		wantBody string
	}{
		{"alive", "/healthz", false, 200, "ok\n"},
		{"not ready", "/readyz", false, 503, "gateway not connected\n"},
		{"ready", "/readyz", true, 200, "ready\n"},
		{"unknown path", "/debug/pprof/", true, 404, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ready.Store(tt.ready)
			code, body := get(t, h, tt.path)
			if code != tt.wantCode || (tt.wantBody != "" && body != tt.wantBody) {
				t.Errorf("GET %s: %d %q, want %d %q", tt.path, code, body, tt.wantCode, tt.wantBody)
			}
		})
	}
}

func TestSeries(t *testing.T) {
	m := New()
	m.Asked("slash", "answered", 3*time.Millisecond)
	m.Asked("dm", "refused", 0)
	m.RateLimited("mention")
	m.DiscordRateLimited()
	m.Reconnected()
	m.Asked("mention", "failed", 0)
	m.CommandsRegistered(false)
	m.Searched(200 * time.Microsecond)
	m.ModelCalled(nil)
	m.ModelCalled(errors.New("timeout"))
	m.VerificationFailed()
	m.Reindexed(40*time.Millisecond, nil)
	m.SetPassages(96)

	code, body := get(t, m.Handler(func() error { return nil }), "/metrics")
	if code != 200 {
		t.Fatalf("GET /metrics: %d", code)
	}
	for _, want := range []string{
		`declbot_questions_total{outcome="answered",source="slash"} 1`,
		`declbot_questions_total{outcome="refused",source="dm"} 1`,
		`declbot_questions_total{outcome="error",source="mention"} 0`,
		`declbot_answer_duration_seconds_count 1`,
		`declbot_retrieval_duration_seconds_count 1`,
		`declbot_model_calls_total 2`,
		`declbot_model_failures_total 1`,
		`declbot_verification_failures_total 1`,
		`declbot_rate_limited_total{source="mention"} 1`,
		`declbot_discord_rate_limited_total 1`,
		`declbot_reindex_runs_total{result="ok"} 1`,
		`declbot_reindex_runs_total{result="error"} 0`,
		`declbot_reindex_duration_seconds_count 1`,
		`declbot_index_passages 96`,
		`declbot_gateway_reconnects_total 1`,
		`declbot_questions_total{outcome="failed",source="mention"} 1`,
		`declbot_questions_total{outcome="failed",source="slash"} 0`,
		`declbot_slash_commands_registered 0`,
		`go_goroutines `,
	} {
		if !strings.Contains(body, want+"") {
			t.Errorf("metrics lack %q", want)
		}
	}
	// Every series of ours is declbot_*; the rest are the standard
	// go_ and process_ collectors.
	for _, line := range strings.Split(body, "\n") {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if !strings.HasPrefix(line, "declbot_") && !strings.HasPrefix(line, "go_") && !strings.HasPrefix(line, "process_") {
			t.Errorf("series outside the namespaces: %s", line)
		}
	}
}

func TestListen(t *testing.T) {
	m := New()
	s, err := Listen("127.0.0.1:0", m.Handler(func() error { return nil }))
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.Get("http://" + s.Addr() + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || string(b) != "ok\n" {
		t.Errorf("healthz: %d %q", resp.StatusCode, b)
	}
	if _, err := Listen(s.Addr(), m.Handler(nil)); err == nil || !strings.Contains(err.Error(), "server.listen") {
		t.Errorf("second Listen on %s: %v, want an error naming server.listen", s.Addr(), err)
	}
	if err := s.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	if _, err := http.Get("http://" + s.Addr() + "/healthz"); err == nil {
		t.Error("still serving after Close")
	}
}

func TestListenLoopback(t *testing.T) {
	for _, tt := range []struct {
		addr string
		want bool
	}{
		{"127.0.0.1:0", true},
		{"[::1]:0", true},
		{"localhost:0", true},
		{":0", false},
		{"0.0.0.0:0", false},
	} {
		t.Run(tt.addr, func(t *testing.T) {
			s, err := Listen(tt.addr, New().Handler(func() error { return nil }))
			if err != nil {
				t.Skipf("cannot listen on %s here: %v", tt.addr, err)
			}
			defer s.Close(context.Background())
			if got := s.Loopback(); got != tt.want {
				t.Errorf("Listen(%s).Loopback() = %v, want %v", tt.addr, got, tt.want)
			}
		})
	}
}

func TestReadyNotes(t *testing.T) {
	m := New()
	note := ""
	var ready error
	h := m.Handler(func() error { return ready }, func() string { return note }, func() string { return "" })
	tests := []struct {
		name     string
		ready    error
		note     string
		wantCode int
		wantBody string
	}{
		{"ready, nothing to say", nil, "", 200, "ready\n"},
		{"ready, a note", nil, "insights: not recording (disk full)", 200, "ready\ninsights: not recording (disk full)\n"},
		{"not ready, a note", errors.New("index not loaded"), "insights: not recording (x)", 503, "index not loaded\ninsights: not recording (x)\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ready, note = tt.ready, tt.note
			if code, body := get(t, h, "/readyz"); code != tt.wantCode || body != tt.wantBody {
				t.Errorf("got %d %q, want %d %q", code, body, tt.wantCode, tt.wantBody)
			}
		})
	}
}

func TestInsightsSeries(t *testing.T) {
	m := New()
	m.Rated(true)
	m.Rated(false)
	m.Rated(false)
	m.InsightsDropped()
	_, body := get(t, m.Handler(func() error { return nil }), "/metrics")
	for _, want := range []string{`declbot_feedback_total{vote="up"} 1`, `declbot_feedback_total{vote="down"} 2`, "declbot_insights_dropped_total 1"} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
}
