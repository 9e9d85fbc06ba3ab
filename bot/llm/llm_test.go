package llm

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/declbot/declbot/bot/llm/openaitest"
	"github.com/declbot/declbot/retrieval"
)

// sleeps records the waits asked for instead of sleeping.
type sleeps struct {
	mu    sync.Mutex
	waits []time.Duration
}

func (s *sleeps) sleep(ctx context.Context, d time.Duration) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.waits = append(s.waits, d)
	return ctx.Err()
}

func (s *sleeps) got() []time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]time.Duration(nil), s.waits...)
}

func testChat(t *testing.T, srv *openaitest.Server, cfg Config) (*Chat, *sleeps) {
	t.Helper()
	cfg.BaseURL = srv.URL()
	if cfg.Model == "" {
		cfg.Model = "test-model"
	}
	sl := &sleeps{}
	c, err := newChat(cfg, sl.sleep)
	if err != nil {
		t.Fatal(err)
	}
	return c, sl
}

func TestCompleteSendsRequest(t *testing.T) {
	srv := openaitest.New(t)
	srv.ScriptChat(openaitest.Reply{Content: "The answer [4.2]."})
	c, _ := testChat(t, srv, Config{APIKey: "sk-test", MaxTokens: 300})

	got, err := c.Complete(context.Background(), "SYSTEM", "PROMPT")
	if err != nil {
		t.Fatal(err)
	}
	if want := "The answer [4.2]."; got != want {
		t.Errorf("Complete = %q, want %q", got, want)
	}
	reqs := srv.Requests()
	if len(reqs) != 1 {
		t.Fatalf("%d requests, want 1", len(reqs))
	}
	if auth := reqs[0].Header.Get("Authorization"); auth != "Bearer sk-test" {
		t.Errorf("Authorization = %q", auth)
	}
	cr, err := reqs[0].Chat()
	if err != nil {
		t.Fatal(err)
	}
	if cr.Model != "test-model" || cr.MaxTokens != 300 || cr.Stream {
		t.Errorf("request = %+v", cr)
	}
	if len(cr.Messages) != 2 || cr.Messages[0].Role != "system" || cr.Messages[0].Content != "SYSTEM" ||
		cr.Messages[1].Role != "user" || cr.Messages[1].Content != "PROMPT" {
		t.Errorf("messages = %+v", cr.Messages)
	}
	// Temperature 0 must reach the server as (nearly) 0, not be omitted.
	if cr.Temperature == nil || *cr.Temperature <= 0 || *cr.Temperature > 0.001 {
		t.Errorf("temperature = %v, want tiny and present", cr.Temperature)
	}
}

func TestCompleteTemperatureConfigured(t *testing.T) {
	srv := openaitest.New(t)
	srv.ScriptChat(openaitest.Reply{Content: "ok"})
	c, _ := testChat(t, srv, Config{Temperature: 0.3})
	if _, err := c.Complete(context.Background(), "s", "p"); err != nil {
		t.Fatal(err)
	}
	cr := srv.ChatRequests()[0]
	if cr.Temperature == nil || math.Abs(*cr.Temperature-0.3) > 1e-6 {
		t.Errorf("temperature = %v, want 0.3", cr.Temperature)
	}
}

func TestReasoningModelRequest(t *testing.T) {
	for _, model := range []string{"o4-mini", "gpt-5-mini"} {
		t.Run(model, func(t *testing.T) {
			srv := openaitest.New(t)
			srv.ScriptChat(openaitest.Reply{Content: "ok"})
			c, _ := testChat(t, srv, Config{Model: model, MaxTokens: 600})
			if _, err := c.Complete(context.Background(), "s", "p"); err != nil {
				t.Fatalf("Complete: %v", err)
			}
			cr := srv.ChatRequests()[0]
			if cr.MaxTokens != 0 || cr.Temperature != nil {
				t.Errorf("max_tokens %d, temperature %v: want both omitted", cr.MaxTokens, cr.Temperature)
			}
		})
	}
}

func TestNoAPIKeyNoAuthorization(t *testing.T) {
	srv := openaitest.New(t)
	srv.ScriptChat(openaitest.Reply{Content: "ok"})
	c, _ := testChat(t, srv, Config{})
	if _, err := c.Complete(context.Background(), "s", "p"); err != nil {
		t.Fatal(err)
	}
	if auth := srv.Requests()[0].Header.Get("Authorization"); auth != "" {
		t.Errorf("Authorization = %q, want none for an empty key", auth)
	}
}

func TestStream(t *testing.T) {
	srv := openaitest.New(t)
	srv.ScriptChat(openaitest.Reply{Chunks: []string{"The ", "Leaders ", "“agreed” ", "[1.1]."}})
	c, _ := testChat(t, srv, Config{})

	var deltas []string
	got, err := c.Stream(context.Background(), "s", "p", func(d string) { deltas = append(deltas, d) })
	if err != nil {
		t.Fatal(err)
	}
	if want := "The Leaders “agreed” [1.1]."; got != want {
		t.Errorf("Stream = %q, want %q", got, want)
	}
	if want := []string{"The ", "Leaders ", "“agreed” ", "[1.1]."}; fmt.Sprint(deltas) != fmt.Sprint(want) {
		t.Errorf("deltas = %q, want %q", deltas, want)
	}
	if cr := srv.ChatRequests()[0]; !cr.Stream {
		t.Errorf("request not marked stream")
	}
}

func TestRetries(t *testing.T) {
	date := time.Now().Add(3 * time.Second).UTC().Format(http.TimeFormat)
	tests := []struct {
		name      string
		script    []openaitest.Reply
		wantErr   bool
		wantCalls int
		check     func(t *testing.T, waits []time.Duration)
	}{
		{
			name:      "429 with Retry-After seconds then success",
			script:    []openaitest.Reply{{Status: 429, RetryAfter: "2"}, {Content: "ok"}},
			wantCalls: 2,
			check: func(t *testing.T, waits []time.Duration) {
				if len(waits) != 1 || waits[0] != 2*time.Second {
					t.Errorf("waits = %v, want [2s]", waits)
				}
			},
		},
		{
			name:      "429 with Retry-After date then success",
			script:    []openaitest.Reply{{Status: 429, RetryAfter: date}, {Content: "ok"}},
			wantCalls: 2,
			check: func(t *testing.T, waits []time.Duration) {
				if len(waits) != 1 || waits[0] < time.Second || waits[0] > 3*time.Second {
					t.Errorf("waits = %v, want about 2-3s", waits)
				}
			},
		},
		{
			name:      "503 without Retry-After backs off",
			script:    []openaitest.Reply{{Status: 503}, {Status: 502}, {Content: "ok"}},
			wantCalls: 3,
			check: func(t *testing.T, waits []time.Duration) {
				if len(waits) != 2 || waits[0] < 400*time.Millisecond || waits[0] > 600*time.Millisecond ||
					waits[1] < 800*time.Millisecond || waits[1] > 1200*time.Millisecond {
					t.Errorf("waits = %v, want ~500ms then ~1s", waits)
				}
			},
		},
		{
			name:      "500 three times gives up",
			script:    []openaitest.Reply{{Status: 500}, {Status: 500}, {Status: 500}, {Content: "never reached"}},
			wantErr:   true,
			wantCalls: 3,
		},
		{
			name:      "400 is not retried",
			script:    []openaitest.Reply{{Status: 400, Content: "bad model"}, {Content: "never reached"}},
			wantErr:   true,
			wantCalls: 1,
		},
		{
			name:      "401 is not retried",
			script:    []openaitest.Reply{{Status: 401}, {Content: "never reached"}},
			wantErr:   true,
			wantCalls: 1,
		},
		{
			name:      "Retry-After above the cap is not waited for",
			script:    []openaitest.Reply{{Status: 429, RetryAfter: "3600"}, {Content: "never reached"}},
			wantErr:   true,
			wantCalls: 1,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := openaitest.New(t)
			srv.ScriptChat(tt.script...)
			c, sl := testChat(t, srv, Config{})
			_, err := c.Complete(context.Background(), "s", "p")
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, wantErr %v", err, tt.wantErr)
			}
			if got := srv.Count(openaitest.ChatPath); got != tt.wantCalls {
				t.Errorf("%d calls, want %d", got, tt.wantCalls)
			}
			if tt.check != nil {
				tt.check(t, sl.got())
			}
		})
	}
}

func TestStreamRetries429(t *testing.T) {
	srv := openaitest.New(t)
	srv.ScriptChat(openaitest.Reply{Status: 429, RetryAfter: "1"}, openaitest.Reply{Content: "streamed fine"})
	c, sl := testChat(t, srv, Config{})
	got, err := c.Stream(context.Background(), "s", "p", nil)
	if err != nil || got != "streamed fine" {
		t.Fatalf("Stream = %q, %v", got, err)
	}
	if w := sl.got(); len(w) != 1 || w[0] != time.Second {
		t.Errorf("waits = %v, want [1s]", w)
	}
	// The retried request carried the same body.
	reqs := srv.Requests()
	if len(reqs) != 2 || string(reqs[0].Body) != string(reqs[1].Body) {
		t.Errorf("retried body differs or count %d", len(reqs))
	}
}

func TestTimeout(t *testing.T) {
	for _, stream := range []bool{false, true} {
		t.Run(fmt.Sprintf("stream=%v", stream), func(t *testing.T) {
			srv := openaitest.New(t)
			srv.ScriptChat(openaitest.Reply{Hang: true})
			c, _ := testChat(t, srv, Config{Timeout: 100 * time.Millisecond})
			start := time.Now()
			var err error
			if stream {
				_, err = c.Stream(context.Background(), "s", "p", nil)
			} else {
				_, err = c.Complete(context.Background(), "s", "p")
			}
			if !errors.Is(err, context.DeadlineExceeded) {
				t.Errorf("err = %v, want DeadlineExceeded", err)
			}
			if d := time.Since(start); d > 5*time.Second {
				t.Errorf("took %v", d)
			}
		})
	}
}

func TestRefusal(t *testing.T) {
	for _, stream := range []bool{false, true} {
		t.Run(fmt.Sprintf("stream=%v", stream), func(t *testing.T) {
			srv := openaitest.New(t)
			srv.ScriptChat(openaitest.Reply{Refusal: "I can't help with that."})
			c, _ := testChat(t, srv, Config{})
			var err error
			if stream {
				_, err = c.Stream(context.Background(), "s", "p", nil)
			} else {
				_, err = c.Complete(context.Background(), "s", "p")
			}
			if !errors.Is(err, ErrRefused) {
				t.Errorf("err = %v, want ErrRefused", err)
			}
		})
	}
}

func TestEmptyAnswer(t *testing.T) {
	srv := openaitest.New(t)
	srv.ScriptChat(openaitest.Reply{Content: "  "})
	c, _ := testChat(t, srv, Config{})
	if _, err := c.Complete(context.Background(), "s", "p"); !errors.Is(err, ErrEmpty) {
		t.Errorf("err = %v, want ErrEmpty", err)
	}
}

func TestNewChatErrors(t *testing.T) {
	tests := []struct {
		name string
		cfg  Config
	}{
		{"no base url", Config{Model: "m"}},
		{"not http", Config{BaseURL: "ftp://x", Model: "m"}},
		{"no model", Config{BaseURL: "http://127.0.0.1:1/v1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := NewChat(tt.cfg); err == nil {
				t.Error("NewChat succeeded, want an error")
			}
		})
	}
}

func TestRetryAfterParse(t *testing.T) {
	now := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	tests := []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"", 0, false},
		{"0", 0, true},
		{"7", 7 * time.Second, true},
		{" 7 ", 7 * time.Second, true},
		{"-1", 0, false},
		{"soon", 0, false},
		{"Mon, 30 Nov 2026 09:00:05 GMT", 5 * time.Second, true},
		{"Mon, 30 Nov 2026 08:59:00 GMT", 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, ok := retryAfter(tt.in, now)
			if got != tt.want || ok != tt.ok {
				t.Errorf("retryAfter(%q) = %v, %v; want %v, %v", tt.in, got, ok, tt.want, tt.ok)
			}
		})
	}
}

func testEmbedder(t *testing.T, srv *openaitest.Server, cfg Config) *Embedder {
	t.Helper()
	cfg.BaseURL = srv.URL()
	if cfg.EmbeddingModel == "" {
		cfg.EmbeddingModel = "test-embed"
	}
	sl := &sleeps{}
	e, err := newEmbedder(cfg, sl.sleep)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func TestEmbedBatchedNormalisedCached(t *testing.T) {
	srv := openaitest.New(t)
	e := testEmbedder(t, srv, Config{})
	texts := make([]string, 600)
	for i := range texts {
		texts[i] = fmt.Sprintf("passage %d", i)
	}
	vecs, err := e.Embed(context.Background(), texts)
	if err != nil {
		t.Fatal(err)
	}
	var sizes []int
	for _, r := range srv.EmbeddingRequests() {
		sizes = append(sizes, len(r.Input))
		if r.Model != "test-embed" {
			t.Errorf("model = %q", r.Model)
		}
	}
	if fmt.Sprint(sizes) != "[256 256 88]" {
		t.Errorf("batch sizes = %v, want [256 256 88]", sizes)
	}
	for i, v := range vecs {
		want, _ := normalize(openaitest.Vector(texts[i], 16))
		if fmt.Sprint(v) != fmt.Sprint(want) {
			t.Fatalf("vector %d is not the server's vector for its text, normalised", i)
		}
		var n float64
		for _, x := range v {
			n += float64(x) * float64(x)
		}
		if math.Abs(n-1) > 1e-5 {
			t.Fatalf("vector %d has norm² %v", i, n)
		}
	}
	if s := e.Spec(); s != (retrieval.EmbedderSpec{Name: "openai", Model: "test-embed", Dims: 16}) {
		t.Errorf("Spec = %+v", s)
	}

	// A query asked twice, and texts already embedded, cost no request.
	before := srv.Count(openaitest.EmbeddingsPath)
	for range 2 {
		if _, err := e.Embed(context.Background(), []string{"what about energy?"}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := e.Embed(context.Background(), texts[:10]); err != nil {
		t.Fatal(err)
	}
	if got := srv.Count(openaitest.EmbeddingsPath) - before; got != 1 {
		t.Errorf("%d requests for one new query, want 1", got)
	}
}

func TestEmbedDeduplicates(t *testing.T) {
	srv := openaitest.New(t)
	e := testEmbedder(t, srv, Config{})
	vecs, err := e.Embed(context.Background(), []string{"a", "b", "a"})
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(vecs[0]) != fmt.Sprint(vecs[2]) {
		t.Error("same text, different vectors")
	}
	if r := srv.EmbeddingRequests(); len(r) != 1 || len(r[0].Input) != 2 {
		t.Errorf("requests = %+v, want one with 2 inputs", r)
	}
}

func TestEmbedErrors(t *testing.T) {
	srv := openaitest.New(t)
	e := testEmbedder(t, srv, Config{EmbeddingDims: 16})
	if _, err := e.Embed(context.Background(), []string{"ok", " "}); err == nil {
		t.Error("empty text accepted")
	}
	srv.ScriptEmbeddings(openaitest.Reply{Status: 500}, openaitest.Reply{Status: 500}, openaitest.Reply{Status: 500})
	if _, err := e.Embed(context.Background(), []string{"x"}); err == nil || !strings.Contains(err.Error(), "500") {
		t.Errorf("err = %v, want the server's 500", err)
	}
	srv.SetDims(8)
	if _, err := e.Embed(context.Background(), []string{"y"}); err == nil || !strings.Contains(err.Error(), "dimensions") {
		t.Errorf("err = %v, want a dimensions mismatch", err)
	}
}

func TestEmbedSpec(t *testing.T) {
	tests := []struct {
		cfg  Config
		want retrieval.EmbedderSpec
	}{
		{Config{}, retrieval.EmbedderSpec{Name: "openai", Model: "text-embedding-3-small", Dims: 1536}},
		{Config{EmbeddingModel: "text-embedding-3-large"}, retrieval.EmbedderSpec{Name: "openai", Model: "text-embedding-3-large", Dims: 3072}},
		{Config{EmbeddingModel: "nomic-embed-text", EmbeddingDims: 768}, retrieval.EmbedderSpec{Name: "openai", Model: "nomic-embed-text", Dims: 768}},
		{Config{EmbeddingModel: "nomic-embed-text"}, retrieval.EmbedderSpec{Name: "openai", Model: "nomic-embed-text", Dims: 0}},
	}
	for _, tt := range tests {
		t.Run(tt.want.Model, func(t *testing.T) {
			tt.cfg.BaseURL = "http://127.0.0.1:1/v1"
			e, err := NewEmbedder(tt.cfg)
			if err != nil {
				t.Fatal(err)
			}
			if got := e.Spec(); got != tt.want {
				t.Errorf("Spec = %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestEmbedShortenedDimensionsAsked(t *testing.T) {
	srv := openaitest.New(t)
	e := testEmbedder(t, srv, Config{EmbeddingModel: "text-embedding-3-small", EmbeddingDims: 256})
	vecs, err := e.Embed(context.Background(), []string{"x"})
	if err != nil {
		t.Fatal(err)
	}
	if len(vecs[0]) != 256 || srv.EmbeddingRequests()[0].Dimensions != 256 {
		t.Errorf("len = %d, dimensions sent = %d", len(vecs[0]), srv.EmbeddingRequests()[0].Dimensions)
	}
}
