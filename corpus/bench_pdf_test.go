package corpus

import (
	"os"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"testing"
	"time"
)

// BenchmarkParsePDF60 reads a 60-page PDF made by LibreOffice (the
// digest laid out as an official text, sixteen times over in each
// chapter; testdata/official/make.sh). It reports the time per document
// and, as peak-heap-MB, the most live heap seen while parsing.
func BenchmarkParsePDF60(b *testing.B) {
	path := filepath.Join("testdata", "official", "bench-60pages.en.pdf")
	data, err := os.ReadFile(path)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	runtime.GC()
	peak := heapPeak()
	for b.Loop() {
		d, err := ParsePDF(path, data)
		if err != nil {
			b.Fatal(err)
		}
		if n := len(d.Passages()); n < 400 || len(d.Chapters) != 10 || len(d.Warnings) > 0 {
			b.Fatalf("%d passages, %d chapters, warnings %q", n, len(d.Chapters), d.Warnings)
		}
	}
	b.ReportMetric(float64(peak())/(1<<20), "peak-heap-MB")
}

// heapPeak samples the live heap every millisecond until the returned
// function is called, which returns the highest value seen above the
// heap at the start.
func heapPeak() func() uint64 {
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	read := func() uint64 { metrics.Read(sample); return sample[0].Value.Uint64() }
	base := read()
	done, result := make(chan struct{}), make(chan uint64)
	go func() {
		top := base
		t := time.NewTicker(time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-t.C:
				top = max(top, read())
			case <-done:
				result <- max(top, read()) - base
				return
			}
		}
	}()
	return func() uint64 { close(done); return <-result }
}
