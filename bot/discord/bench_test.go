package discord

import (
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/declbot/declbot/bot/discord/discordtest"
)

// BenchmarkAsk drives batches of 1,000 /ask interactions through the fake
// Discord, at most 100 in flight, and reports the time from dispatch to
// the final edit of the answer (p50, p99) and the allocations per answer
// (bot, discordgo and the in-process fake together). Each interaction must
// get exactly one deferral and one final edit.
//
//	go test ./bot/discord -run '^$' -bench Ask -count 5
func BenchmarkAsk(b *testing.B) {
	const (
		batch       = 1000
		concurrency = 100
	)
	pace := discordtest.NewPacer(concurrency)
	h := startWith(b, discordtest.Options{Token: testToken, OnCall: pace.OnCall}, &fakeService{}, nil, nil)
	tokens := make([]string, 0, batch*b.N)

	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	start := time.Now()
	b.ResetTimer()
	for n := range b.N {
		for i := range batch {
			user := guildUser
			user.UserID = strconv.Itoa(3_000_000 + n*batch + i) // a distinct asker each, under the rate limit
			sent := pace.Send(func() discordtest.Sent {
				return h.srv.SendCommand(user, "ask", discordtest.String("question", "What about water?"))
			})
			tokens = append(tokens, sent.Token)
		}
		pace.Wait()
	}
	b.StopTimer()
	elapsed := time.Since(start)
	runtime.ReadMemStats(&after)
	answers := float64(batch * b.N)

	latency := pace.Latencies()
	b.ReportMetric(discordtest.Percentile(latency, 0.50), "p50-ms")
	b.ReportMetric(discordtest.Percentile(latency, 0.99), "p99-ms")
	b.ReportMetric(float64(after.Mallocs-before.Mallocs)/answers, "allocs/answer")
	b.ReportMetric(float64(after.TotalAlloc-before.TotalAlloc)/answers, "B/answer")
	b.ReportMetric(answers/elapsed.Seconds(), "answers/s")
	checkOnePerInteraction(b, h.srv, tokens)
}

// checkOnePerInteraction fails unless each token got exactly one deferral
// and one final edit.
func checkOnePerInteraction(b *testing.B, srv *discordtest.Server, tokens []string) {
	defers, edits := map[string]int{}, map[string]int{}
	for _, c := range srv.Calls(nil) {
		parts := strings.Split(c.Path, "/")
		switch {
		case discordtest.Callbacks(c) && c.Status < 300:
			defers[parts[2]]++
		case discordtest.OriginalEdits(c) && c.Status < 300:
			edits[parts[2]]++
		}
	}
	for _, tok := range tokens {
		if defers[tok] != 1 || edits[tok] != 1 {
			b.Fatalf("interaction %s: %d deferrals and %d final edits, want 1 and 1", tok, defers[tok], edits[tok])
		}
	}
	if len(defers) != len(tokens) || len(edits) != len(tokens) {
		b.Fatalf("%d deferrals and %d edits for %d interactions", len(defers), len(edits), len(tokens))
	}
}
