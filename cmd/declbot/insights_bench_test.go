package main

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/declbot/declbot/bot"
	"github.com/declbot/declbot/bot/discord"
	"github.com/declbot/declbot/bot/discord/discordtest"
	"github.com/declbot/declbot/bot/insights"
	"github.com/declbot/declbot/bot/metrics"
)

// BenchmarkAnswerRecorded is BenchmarkAnswer with what serve adds to each
// answer for the insights: the record made from the reply and handed to
// the recorder's queue (the write happens on the recorder's goroutine,
// off the answer's path). p50-ms with and without it are the figures the
// README quotes; record-p50-us is the recording alone.
//
//	go test ./cmd/declbot -run '^$' -bench 'AnswerRecorded' -count 5
func BenchmarkAnswerRecorded(b *testing.B) {
	qs := loadQuestions(b)
	app := NewApp(strings.NewReader(""), nil, nil, func(string) string { return "" })
	bt, err := app.newBot(context.Background(), DefaultConfig())
	if err != nil {
		b.Fatal(err)
	}
	st, err := insights.Open(context.Background(), insights.Options{Path: filepath.Join(b.TempDir(), "declbot.insights")})
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	rec := insights.NewRecorder(st, insights.RecorderOptions{Queue: 1 << 16})
	defer rec.Close(context.Background())
	r := recorder{rec: rec, m: metrics.New()}
	ctx := context.Background()
	lat := make([]time.Duration, 0, b.N)
	recLat := make([]time.Duration, 0, b.N)
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		t0 := time.Now()
		reply, err := bt.Answer(ctx, bot.Question{Text: qs[i%len(qs)]})
		if err != nil {
			b.Fatal(err)
		}
		t1 := time.Now()
		r.Answered(discord.Answer{ID: fmt.Sprintf("b%011d", i), Source: discord.SourceSlash, User: "2100000000000000001", Question: qs[i%len(qs)], Reply: reply, Took: t1.Sub(t0)})
		t2 := time.Now()
		lat = append(lat, t2.Sub(t0))
		recLat = append(recLat, t2.Sub(t1))
	}
	b.StopTimer()
	slices.Sort(lat)
	slices.Sort(recLat)
	b.ReportMetric(discordtest.Percentile(lat, 0.50), "p50-ms")
	b.ReportMetric(discordtest.Percentile(recLat, 0.50)*1000, "record-p50-us")
	b.ReportMetric(discordtest.Percentile(recLat, 0.99)*1000, "record-p99-us")
}
