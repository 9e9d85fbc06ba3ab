package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/declbot/declbot/bot/discord/discordtest"
)

// guild is where the harness's questions are asked.
const (
	testGuild   = "3000000000000000001"
	testChannel = "4000000000000000001"
	maintainer  = "2000000000000000999"
)

// served is `declbot serve` running in-process, as main runs it, against
// a fake Discord.
type served struct {
	srv    *discordtest.Server
	stderr *lockedBuffer
	hangup chan os.Signal
	// addr is where /healthz, /readyz and /metrics are served.
	addr   string
	cancel context.CancelFunc
	exit   chan int
}

// serveConfig is the configuration the harness starts with: the fake's
// REST base, one guild, a maintainer, no rate limit, the health listener
// on a free port. extra is appended: other top-level sections.
func serveConfig(srv *discordtest.Server, extra string) string {
	return "discord:\n" +
		"  api_url: " + srv.URL() + "\n" +
		"  guild_ids: [\"" + testGuild + "\"]\n" +
		"  maintainers:\n    users: [\"" + maintainer + "\"]\n" +
		"  rate_limit:\n    per_minute: 0\n" +
		"  shutdown_timeout: 10s\n" +
		"server:\n  listen: 127.0.0.1:0\n" + extra
}

// startServe writes config to a file and runs serve with it, the token
// and env in the environment, until the test ends. It returns once the
// slash commands are registered.
func startServe(t testing.TB, srv *discordtest.Server, config string, env map[string]string) *served {
	t.Helper()
	// A free port, for the health listener: the log that would tell the
	// one picked for :0 may be set too quiet to say.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	config = strings.Replace(config, "listen: 127.0.0.1:0", "listen: "+addr, 1)
	dir := t.TempDir()
	if !strings.Contains(config, "\ninsights:") {
		// Not into the package's folder.
		config += "insights:\n  path: " + filepath.Join(dir, "declbot.insights") + "\n"
	}
	path := filepath.Join(dir, "config.yaml")
	if err := os.WriteFile(path, []byte(config), 0o600); err != nil {
		t.Fatal(err)
	}
	getenv := func(k string) string {
		if k == tokenEnv {
			return serveToken
		}
		return env[k]
	}
	s := &served{srv: srv, stderr: &lockedBuffer{}, hangup: make(chan os.Signal, 1), addr: addr, exit: make(chan int, 1)}
	app := NewApp(strings.NewReader(""), io.Discard, s.stderr, getenv)
	app.hangups = func() (<-chan os.Signal, func()) { return s.hangup, func() {} }
	ctx, cancel := context.WithCancel(context.Background())
	s.cancel = cancel
	go func() { s.exit <- app.Run(ctx, []string{"serve", "--config", path}) }()

	wctx, wcancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer wcancel()
	go func() {
		select {
		case code := <-s.exit:
			s.exit <- code
			wcancel()
		case <-wctx.Done():
		}
	}()
	if _, err := srv.Wait(wctx, 1, discordtest.CommandOverwrites); err != nil {
		cancel()
		t.Fatalf("serve never registered its commands: %v\nstderr:\n%s", err, s.stderr)
	}
	t.Cleanup(func() { s.stop(t) })
	return s
}

// stop ends serve as SIGTERM does and checks it exits 0.
func (s *served) stop(t testing.TB) {
	t.Helper()
	s.cancel()
	select {
	case code := <-s.exit:
		if code != 0 {
			t.Errorf("serve exited %d; stderr:\n%s", code, s.stderr)
		}
		s.exit <- code
	case <-time.After(30 * time.Second):
		t.Errorf("serve did not return after cancel")
	}
}

// logLines returns the JSON log lines whose msg is msg.
func (s *served) logLines(msg string) []map[string]any {
	var out []map[string]any
	for _, line := range strings.Split(s.stderr.String(), "\n") {
		var m map[string]any
		if json.Unmarshal([]byte(line), &m) == nil && m["msg"] == msg {
			out = append(out, m)
		}
	}
	return out
}

// logged returns the first JSON log line whose msg is msg.
func (s *served) logged(t testing.TB, msg string) map[string]any {
	t.Helper()
	if ls := s.logLines(msg); len(ls) > 0 {
		return ls[0]
	}
	t.Fatalf("no log line %q in:\n%s", msg, s.stderr)
	return nil
}

// get fetches a path from the health listener.
func (s *served) get(t testing.TB, path string) (int, string) {
	t.Helper()
	resp, err := http.Get("http://" + s.addr + path)
	if err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// metric returns the value of one series from /metrics, as printed
// ("declbot_questions_total{outcome=\"answered\",source=\"slash\"}").
func (s *served) metric(t testing.TB, series string) string {
	t.Helper()
	_, body := s.get(t, "/metrics")
	for _, line := range strings.Split(body, "\n") {
		if v, ok := strings.CutPrefix(line, series+" "); ok {
			return v
		}
	}
	t.Fatalf("no series %s in /metrics", series)
	return ""
}

// waitFor polls cond every few milliseconds until it holds, for at most
// within; it fails the test with what otherwise.
func waitFor(t testing.TB, within time.Duration, what func() string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(within)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("gave up after %s waiting: %s", within, what())
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// asker is a distinct guild member per index, so that per-user state
// (rate limits, conversations) does not couple questions.
func asker(i int) discordtest.Invoker {
	return discordtest.Invoker{UserID: fmt.Sprint(2100000000000000000 + i), GuildID: testGuild, ChannelID: testChannel}
}
