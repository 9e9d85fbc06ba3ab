package main

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/declbot/declbot/bot/discord/discordtest"
	"github.com/declbot/declbot/bot/llm/openaitest"
	"github.com/declbot/declbot/retrieval"
)

// loadQuestions are the calibration questions retrieval is tuned on, in
// scope and out, English and French.
func loadQuestions(t testing.TB) []string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "..", "retrieval", "testdata", "calibration_tune.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	qs, err := retrieval.ParseEvalQuestions(data)
	if err != nil {
		t.Fatal(err)
	}
	out := make([]string, len(qs))
	for i, q := range qs {
		out[i] = q.Q
	}
	return out
}

// The sentence users see when answering failed (bot/discord's sayError).
const errorSentence = "Sorry, something went wrong"

// answered tracks which interactions got their final edit, and frees a
// slot of the concurrency limit for each. Give its onCall to the fake.
type answered struct {
	mu    sync.Mutex
	edits map[string]int // token -> successful final edits
	slots chan struct{}
}

func newAnswered(concurrency int) *answered {
	return &answered{edits: map[string]int{}, slots: make(chan struct{}, concurrency)}
}

func (a *answered) onCall(c discordtest.Call) {
	if !discordtest.OriginalEdits(c) || c.Status >= 300 {
		return
	}
	token := strings.Split(c.Path, "/")[2]
	a.mu.Lock()
	a.edits[token]++
	first := a.edits[token] == 1
	a.mu.Unlock()
	if first {
		select {
		case <-a.slots:
		default:
		}
	}
}

// reset forgets the edits seen so far.
func (a *answered) reset() {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.edits = map[string]int{}
}

func (a *answered) count() int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return len(a.edits)
}

// checkOnce fails unless each token got exactly one successful deferral
// and one successful final edit, none saying that answering failed.
func checkOnce(t *testing.T, srv *discordtest.Server, tokens []string) {
	t.Helper()
	defers, edits := map[string]int{}, map[string]int{}
	for _, c := range srv.Calls(nil) {
		if c.Status >= 300 {
			continue
		}
		parts := strings.Split(c.Path, "/")
		switch {
		case discordtest.Callbacks(c):
			defers[parts[2]]++
		case discordtest.OriginalEdits(c):
			edits[parts[2]]++
			if strings.Contains(string(c.Body), errorSentence) {
				t.Errorf("error reply: %s", c)
			}
		}
	}
	bad := 0
	for _, tok := range tokens {
		if defers[tok] != 1 || edits[tok] != 1 {
			if bad++; bad <= 5 {
				t.Errorf("interaction %s: %d deferrals and %d final edits, want 1 and 1", tok, defers[tok], edits[tok])
			}
		}
	}
	if bad > 0 {
		t.Errorf("%d of %d interactions not answered exactly once", bad, len(tokens))
	}
}

// heapAfterGC returns the live heap once garbage is collected.
func heapAfterGC() uint64 {
	var m runtime.MemStats
	runtime.GC()
	runtime.GC()
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// TestServeLoad asks 1,000 questions, at most 100 in flight, through the
// real serve, with a /reindex and a SIGHUP halfway: every question is
// answered exactly once, none with an error, and the heap returns near
// where it was once the fake's records are dropped.
func TestServeLoad(t *testing.T) {
	const (
		total       = 1000
		concurrency = 100
	)
	qs := loadQuestions(t)
	ans := newAnswered(concurrency)
	srv := discordtest.New(t, discordtest.Options{Token: serveToken, OnCall: ans.onCall})
	// At warn, the log says nothing per question: its buffer would grow.
	s := startServe(t, srv, serveConfig(srv, "log:\n  level: warn\n"), nil)

	ask := func(i int) string {
		ans.slots <- struct{}{}
		return srv.SendCommand(asker(i), "ask", discordtest.String("question", qs[i%len(qs)])).Token
	}
	// Warm up (first answers allocate caches and fill the pools of
	// keep-alive connections, client and fake), then take the baseline.
	const warmup = 3 * concurrency
	var tokens []string
	for i := range warmup {
		tokens = append(tokens, ask(i))
	}
	waitFor(t, 60*time.Second, func() string { return fmt.Sprintf("%d of %d warm-up answers", ans.count(), len(tokens)) },
		func() bool { return ans.count() == len(tokens) })
	checkOnce(t, srv, tokens)
	srv.Forget()
	ans.reset()
	baseHeap, baseGoroutines := heapAfterGC(), runtime.NumGoroutine()

	tokens = tokens[:0]
	start := time.Now()
	runs := func() string { return s.metric(t, `declbot_reindex_runs_total{result="ok"}`) }
	for i := range total {
		switch i {
		case total / 3:
			inv := asker(0)
			inv.UserID = maintainer
			tokens = append(tokens, srv.SendCommand(inv, "reindex").Token)
		case 2 * total / 3:
			// One rebuild at a time: a SIGHUP during /reindex's would be
			// turned down.
			waitFor(t, 30*time.Second, runs, func() bool { return runs() == "1" })
			s.hangup <- nil
		}
		tokens = append(tokens, ask(warmup+i))
	}
	waitFor(t, 120*time.Second, func() string { return fmt.Sprintf("%d of %d answers", ans.count(), len(tokens)) },
		func() bool { return ans.count() == len(tokens) })
	elapsed := time.Since(start)
	checkOnce(t, srv, tokens)
	waitFor(t, 30*time.Second, runs, func() bool { return runs() == "2" })
	if got := s.metric(t, `declbot_questions_total{outcome="error",source="slash"}`); got != "0" {
		t.Errorf("%s questions ended in error", got)
	}

	srv.Forget()
	ans.reset()
	// Answers' goroutines finish just after their last call: give them a
	// moment. Idle keep-alive connections (client and fake) stay, a few
	// goroutines each; a leak per question would be hundreds.
	var heap uint64
	var goroutines int
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if heap, goroutines = heapAfterGC(), runtime.NumGoroutine(); goroutines <= baseGoroutines+10 {
			break
		}
	}
	t.Logf("%d answers in %s (%.0f/s); heap %.1f MB at baseline, %.1f MB after; goroutines %d, %d",
		total, elapsed.Round(time.Millisecond), total/elapsed.Seconds(), mb(baseHeap), mb(heap), baseGoroutines, goroutines)
	if goroutines > baseGoroutines+total/10 {
		t.Errorf("%d goroutines after the load, %d before", goroutines, baseGoroutines)
	}
	// The margin is a few times the noise seen (0.1 MB); a rate-limit
	// bucket kept per question, as discordgo's default buckets were, adds
	// 0.5 to 0.6 MB per 1,000 questions and exceeds it. On a loaded
	// machine the warm-up may end before the keep-alive pools are full:
	// each connection opened after the baseline (two goroutines, client
	// and fake) holds its buffers, 16 KB a goroutine allowed for.
	margin := uint64(384 << 10)
	if extra := goroutines - baseGoroutines; extra > 0 {
		margin += uint64(extra) * 16 << 10
	}
	if heap > baseHeap+margin {
		t.Errorf("heap %.1f MB after the load, %.1f MB before: not back near the baseline", mb(heap), mb(baseHeap))
	}
}

func mb(n uint64) float64 { return float64(n) / (1 << 20) }

// TestServeGatewayDrops drops the gateway five times while questions keep
// coming: questions dispatched while it is down are replayed on resume,
// and every one is answered exactly once.
func TestServeGatewayDrops(t *testing.T) {
	const (
		drops = 5
		burst = 20 // questions before a drop, while down, and after resuming
	)
	qs := loadQuestions(t)
	ans := newAnswered(1 << 12)
	srv := discordtest.New(t, discordtest.Options{Token: serveToken, OnCall: ans.onCall})
	s := startServe(t, srv, serveConfig(srv, ""), nil)

	var tokens []string
	n := 0
	send := func(k int) {
		for range k {
			tokens = append(tokens, srv.SendCommand(asker(n), "ask", discordtest.String("question", qs[n%len(qs)])).Token)
			n++
		}
	}
	for d := 1; d <= drops; d++ {
		send(burst)
		srv.DropConnection() // answers to the burst are still in flight
		send(burst)          // kept for the resume to replay
		if err := srv.WaitGateway(t.Context(), func(st discordtest.GatewayStats) bool { return st.Resumes >= d }); err != nil {
			t.Fatal(err)
		}
		send(burst)
	}
	waitFor(t, 20*time.Second, func() string {
		return fmt.Sprintf("%d of %d answers; gateway %+v; connected %v; the log's gateway lines:\n%s",
			ans.count(), len(tokens), srv.Stats(), srv.Connected(), gatewayLines(s.stderr.String()))
	}, func() bool { return ans.count() == len(tokens) })
	checkOnce(t, srv, tokens)
	st := srv.Stats()
	if st.Drops != drops || st.Resumes != drops || st.Identifies != 1 {
		t.Errorf("gateway %+v, want %d drops, each resumed, one identify", st, drops)
	}
	if got := s.metric(t, "declbot_gateway_reconnects_total"); got != fmt.Sprint(drops) {
		t.Errorf("declbot_gateway_reconnects_total = %s, want %d", got, drops)
	}
}

// gatewayLines returns the lines of log about the gateway connection.
func gatewayLines(log string) string {
	var out []string
	for _, l := range strings.Split(log, "\n") {
		if strings.Contains(l, "gateway") {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

// TestServeRESTFaults answers while Discord's REST API rate-limits and
// fails: each interaction's deferral fails once with a 500, and its final
// edit is rate-limited (429 with retry_after) and fails with a 500, twice
// over. Replies are delayed, none lost.
func TestServeRESTFaults(t *testing.T) {
	const total = 60
	qs := loadQuestions(t)
	ans := newAnswered(total)
	srv := discordtest.New(t, discordtest.Options{Token: serveToken, OnCall: ans.onCall})
	s := startServe(t, srv, serveConfig(srv, ""), nil)
	attempts := map[string]int{}
	srv.Intercept(func(c discordtest.Call) (discordtest.Response, bool) {
		switch {
		case discordtest.Callbacks(c):
			if attempts[c.Path]++; attempts[c.Path] == 1 {
				return discordtest.ServerError(), true
			}
		case discordtest.OriginalEdits(c):
			switch attempts[c.Path]++; attempts[c.Path] {
			case 1, 3:
				return discordtest.RateLimited(0.05), true
			case 2, 4:
				return discordtest.ServerError(), true
			}
		}
		return discordtest.Response{}, false
	})

	var tokens []string
	for i := range total {
		tokens = append(tokens, srv.SendCommand(asker(i), "ask", discordtest.String("question", qs[i%len(qs)])).Token)
	}
	waitFor(t, 60*time.Second, func() string { return fmt.Sprintf("%d of %d answers", ans.count(), len(tokens)) },
		func() bool { return ans.count() == len(tokens) })
	checkOnce(t, srv, tokens)
	for _, tok := range tokens[:3] {
		var statuses []int
		for _, c := range srv.Calls(discordtest.And(discordtest.ForInteraction(tok), discordtest.OriginalEdits)) {
			statuses = append(statuses, c.Status)
		}
		if fmt.Sprint(statuses) != "[429 500 429 500 200]" {
			t.Errorf("edits of %s answered %v, want [429 500 429 500 200]", tok, statuses)
		}
	}
	if got := s.metric(t, "declbot_discord_rate_limited_total"); got != fmt.Sprint(2*total) {
		t.Errorf("declbot_discord_rate_limited_total = %s, want %d", got, 2*total)
	}
}

// TestServeModelHangs configures a model server that never answers: the
// written answer gives up at llm.timeout and the passages themselves are
// sent, with a note, well before the interaction expires.
func TestServeModelHangs(t *testing.T) {
	const timeout = 300 * time.Millisecond
	model := openaitest.New(t)
	model.OnChat(func(openaitest.ChatRequest) openaitest.Reply { return openaitest.Reply{Hang: true} })
	srv := discordtest.New(t, discordtest.Options{Token: serveToken})
	s := startServe(t, srv, serveConfig(srv, fmt.Sprintf("llm:\n  base_url: %s\n  model: m\n  timeout: %s\n", model.URL(), timeout)), nil)

	const n = 10
	var tokens []string
	start := time.Now()
	for i := range n {
		tokens = append(tokens, srv.SendCommand(asker(i), "ask", discordtest.String("question", "What does the declaration say about critical minerals?")).Token)
	}
	dm := discordtest.Invoker{UserID: "2000000000000000500", ChannelID: "4000000000000000500"}
	srv.SendMessage(dm, "What does the declaration say about critical minerals?")
	edits := srv.MustWait(t, 30*time.Second, n, discordtest.OriginalEdits)
	msg := srv.MustWait(t, 30*time.Second, 1, discordtest.ChannelMessages)[0]
	took := time.Since(start)
	checkOnce(t, srv, tokens)
	for _, c := range append(edits, msg) {
		if !strings.Contains(string(c.Body), "The model took too long to answer") || !strings.Contains(string(c.Body), "¶4.2") {
			t.Errorf("reply without the passages and the timeout note: %s", c)
		}
	}
	// Generous: the timeout is 0.3 s; the bound only rules out waiting
	// for the model (the interaction would expire) or retrying it.
	if took > 10*time.Second {
		t.Errorf("answers took %s with llm.timeout %s", took, timeout)
	}
	if got := s.metric(t, "declbot_model_failures_total"); got != fmt.Sprint(n+1) {
		t.Errorf("declbot_model_failures_total = %s, want %d", got, n+1)
	}
	t.Logf("%d answers fell back in %s", n+1, took.Round(time.Millisecond))
}
