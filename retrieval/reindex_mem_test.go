package retrieval

import (
	"context"
	"math"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync"
	"testing"
	"time"
)

// peakHeap runs f and returns the most heap its objects took at once,
// in bytes, sampled every millisecond, above what they took before, and
// what they took before (after a collection).
func peakHeap(f func()) (peak, base uint64) {
	runtime.GC()
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	read := func() uint64 { metrics.Read(sample); return sample[0].Value.Uint64() }
	base = read()
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(time.Millisecond)
		defer t.Stop()
		for {
			if v := read(); v > peak {
				peak = v
			}
			select {
			case <-stop:
				return
			case <-t.C:
			}
		}
	}()
	f()
	close(stop)
	wg.Wait()
	if peak < base {
		return 0, base
	}
	return peak - base, base
}

// BenchmarkReindex60k reports the peak heap of a reindex of 60,000
// passages, all new text, over a running index of 60,000 (the one
// answering meanwhile), with the index file written: what a /reindex on
// a large corpus costs a unit with MemoryMax=512M. Run it with
// -benchtime=1x; the figures are peak-MB, the most the rebuild adds to
// the heap at once, and before-MB, the heap before it (the running
// index). "default" runs with the Go
// defaults (the heap may grow to twice what is live before a collection);
// "GOMEMLIMIT=400MiB" with the soft limit the systemd unit sets.
func BenchmarkReindex60k(b *testing.B) {
	const n = 60000
	for _, bc := range []struct {
		name  string
		limit int64
	}{
		{"default", math.MaxInt64},
		{"GOMEMLIMIT=400MiB", 400 << 20},
	} {
		b.Run(bc.name, func(b *testing.B) {
			defer debug.SetMemoryLimit(debug.SetMemoryLimit(bc.limit))
			prev := buildSynth(b, n, 1)
			path := filepath.Join(b.TempDir(), "declbot.index")
			for b.Loop() {
				docs := synthDocs(n, 2)
				var ix *Index
				peak, base := peakHeap(func() {
					var err error
					ix, _, err = Rebuild(context.Background(), docs, NewHashEmbedder(0), prev, nil)
					if err != nil {
						b.Fatal(err)
					}
					if err := WriteFile(path, ix); err != nil {
						b.Fatal(err)
					}
				})
				b.ReportMetric(float64(peak)/(1<<20), "peak-MB")
				b.ReportMetric(float64(base)/(1<<20), "before-MB")
				runtime.KeepAlive(ix)
			}
			runtime.KeepAlive(prev)
		})
	}
}
