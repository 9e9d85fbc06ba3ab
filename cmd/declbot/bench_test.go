package main

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/declbot/declbot/bot"
	"github.com/declbot/declbot/bot/discord/discordtest"
)

// procStatus returns a field of /proc/PID/status ("VmRSS", "VmHWM") in
// MB; pid 0 is this process. Zero when /proc is not there.
func procStatus(pid int, field string) float64 {
	name := "/proc/self/status"
	if pid != 0 {
		name = fmt.Sprintf("/proc/%d/status", pid)
	}
	f, err := os.Open(name)
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), field+":"); ok {
			kb, _ := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 64)
			return kb / 1024
		}
	}
	return 0
}

// BenchmarkSoak answers b.N /ask questions through the real serve and the
// fake Discord, 100 in flight, and reports answers per second, the time
// from dispatching a question to its answer's final edit (p50, p99: the
// bot's work plus two loopback REST calls), and the peak RSS of the test
// process, which holds the bot, the fake Discord and the harness.
//
//	go test ./cmd/declbot -run '^$' -bench Soak -benchtime 60s
func BenchmarkSoak(b *testing.B) {
	const concurrency = 100
	qs := loadQuestions(b)
	pace := discordtest.NewPacer(concurrency)
	srv := discordtest.New(b, discordtest.Options{Token: serveToken, OnCall: pace.OnCall})
	s := startServe(b, srv, serveConfig(srv, "log:\n  level: warn\n"), nil)

	b.ResetTimer()
	start := time.Now()
	for i := range b.N {
		pace.Send(func() discordtest.Sent {
			return srv.SendCommand(asker(i%100000), "ask", discordtest.String("question", qs[i%len(qs)]))
		})
		if i%1000 == 999 {
			// The fake keeps every call and event; the bot must not.
			srv.Forget()
		}
	}
	pace.Wait()
	elapsed := time.Since(start)
	b.StopTimer()

	latency := pace.Latencies()
	if len(latency) != b.N {
		b.Fatalf("%d answers to %d questions", len(latency), b.N)
	}
	if got := s.metric(b, `declbot_questions_total{outcome="error",source="slash"}`); got != "0" {
		b.Fatalf("%s questions ended in error", got)
	}
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "answers/s")
	b.ReportMetric(discordtest.Percentile(latency, 0.50), "p50-ms")
	b.ReportMetric(discordtest.Percentile(latency, 0.99), "p99-ms")
	b.ReportMetric(procStatus(0, "VmHWM"), "peak-rss-MB")
	b.ReportMetric(0, "ns/op") // answers/s says it better
}

// BenchmarkAnswer answers one question in process, as /ask does between
// its deferral and its edit (what declbot_answer_duration_seconds
// measures), with the bot serve builds from the default configuration
// over the bundled corpus: no Discord, no network.
//
//	go test ./cmd/declbot -run '^$' -bench 'Answer$' -count 5
func BenchmarkAnswer(b *testing.B) {
	qs := loadQuestions(b)
	app := NewApp(strings.NewReader(""), nil, nil, func(string) string { return "" })
	bt, err := app.newBot(context.Background(), DefaultConfig())
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	lat := make([]time.Duration, 0, b.N)
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		t0 := time.Now()
		if _, err := bt.Answer(ctx, bot.Question{Text: qs[i%len(qs)]}); err != nil {
			b.Fatal(err)
		}
		lat = append(lat, time.Since(t0))
	}
	b.StopTimer()
	slices.Sort(lat)
	b.ReportMetric(discordtest.Percentile(lat, 0.50), "p50-ms")
	b.ReportMetric(discordtest.Percentile(lat, 0.99), "p99-ms")
}

// BenchmarkServeProcess builds declbot, runs `declbot serve` as a process
// of its own against the fake Discord, and reports the time from exec to
// its first gateway call (config read, bundled index built in memory,
// Discord client made: ready but for the gateway), the time to /readyz
// answering 200 (gateway connected, on loopback), its resident memory
// once idle for two seconds, and its peak resident memory after 10,000
// /ask at 100 in flight.
//
//	go test ./cmd/declbot -run '^$' -bench ServeProcess -benchtime 1x -count 5
func BenchmarkServeProcess(b *testing.B) {
	if runtime.GOOS != "linux" {
		b.Skip("reads /proc")
	}
	bin := buildDeclbot(b, b.TempDir())
	var sum processFigures
	for range b.N {
		f := serveProcess(b, bin)
		sum.toGateway += f.toGateway
		sum.toReady += f.toReady
		sum.idleRSS += f.idleRSS
		sum.peakRSS += f.peakRSS
	}
	n := float64(b.N)
	b.ReportMetric(sum.toGateway/n, "start-to-gateway-ms")
	b.ReportMetric(sum.toReady/n, "start-to-readyz-ms")
	b.ReportMetric(sum.idleRSS/n, "idle-rss-MB")
	b.ReportMetric(sum.peakRSS/n, "loaded-peak-rss-MB")
	b.ReportMetric(0, "ns/op")
}

type processFigures struct {
	toGateway, toReady float64 // ms
	idleRSS, peakRSS   float64 // MB
}

func serveProcess(b *testing.B, bin string) processFigures {
	b.Helper()
	const concurrency = 100
	ans := newAnswered(concurrency)
	srv := discordtest.New(b, discordtest.Options{Token: serveToken, OnCall: ans.onCall})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	cfg := filepath.Join(b.TempDir(), "config.yaml")
	config := strings.Replace(serveConfig(srv, "log:\n  level: warn\n"), "listen: 127.0.0.1:0", "listen: "+addr, 1)
	if err := os.WriteFile(cfg, []byte(config), 0o600); err != nil {
		b.Fatal(err)
	}
	cmd := exec.Command(bin, "serve", "--config", cfg)
	cmd.Dir = b.TempDir()
	cmd.Env = []string{tokenEnv + "=" + serveToken}
	var stderr lockedBuffer
	cmd.Stderr = &stderr
	start := time.Now()
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	defer func() {
		cmd.Process.Signal(os.Interrupt)
		if err := cmd.Wait(); err != nil {
			b.Errorf("serve: %v\n%s", err, stderr.String())
		}
	}()
	var f processFigures
	gw := srv.MustWait(b, 30*time.Second, 1, discordtest.Match(http.MethodGet, "gateway*"))[0]
	f.toGateway = float64(gw.At.Sub(start).Microseconds()) / 1000
	for {
		resp, err := http.Get("http://" + addr + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				f.toReady = float64(time.Since(start).Microseconds()) / 1000
				break
			}
		}
		if time.Since(start) > 30*time.Second {
			b.Fatal("serve never ready")
		}
		time.Sleep(time.Millisecond)
	}
	srv.MustWait(b, 30*time.Second, 1, discordtest.CommandOverwrites)
	time.Sleep(2 * time.Second)
	f.idleRSS = procStatus(cmd.Process.Pid, "VmRSS")

	qs := loadQuestions(b)
	const total = 10000
	for i := range total {
		ans.slots <- struct{}{}
		srv.SendCommand(asker(i), "ask", discordtest.String("question", qs[i%len(qs)]))
		if i%1000 == 999 {
			srv.Forget()
		}
	}
	for range concurrency {
		ans.slots <- struct{}{}
	}
	if n := ans.count(); n != total {
		b.Fatalf("%d answers to %d questions", n, total)
	}
	f.peakRSS = procStatus(cmd.Process.Pid, "VmHWM")
	return f
}
