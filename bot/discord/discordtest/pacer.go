package discordtest

import (
	"slices"
	"strings"
	"sync"
	"time"
)

// Pacer drives load through the fake for benchmarks: it keeps at most a
// fixed number of interactions in flight and times each from its dispatch
// to the first successful edit of its original response (the final
// answer). Give its OnCall to Options.OnCall.
type Pacer struct {
	mu      sync.Mutex
	sentAt  map[string]time.Time
	latency []time.Duration
	slots   chan struct{}
}

// NewPacer returns a Pacer that lets inFlight interactions wait for their
// answer at once.
func NewPacer(inFlight int) *Pacer {
	return &Pacer{sentAt: map[string]time.Time{}, slots: make(chan struct{}, inFlight)}
}

// OnCall records the answer of an interaction the Pacer sent and frees its
// slot.
func (p *Pacer) OnCall(c Call) {
	if !OriginalEdits(c) || c.Status >= 300 {
		return
	}
	token := strings.Split(c.Path, "/")[2]
	p.mu.Lock()
	defer p.mu.Unlock()
	if t0, ok := p.sentAt[token]; ok {
		p.latency = append(p.latency, c.At.Sub(t0))
		delete(p.sentAt, token)
		<-p.slots
	}
}

// Send waits for a free slot, then dispatches through send and starts the
// clock of the interaction it returns.
func (p *Pacer) Send(send func() Sent) Sent {
	p.slots <- struct{}{}
	p.mu.Lock()
	defer p.mu.Unlock()
	sent := send()
	p.sentAt[sent.Token] = time.Now()
	return sent
}

// Wait returns once every interaction sent has been answered.
func (p *Pacer) Wait() {
	for range cap(p.slots) {
		p.slots <- struct{}{}
	}
	for range cap(p.slots) {
		<-p.slots
	}
}

// Latencies returns the dispatch-to-answer times recorded, sorted.
func (p *Pacer) Latencies() []time.Duration {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := slices.Clone(p.latency)
	slices.Sort(out)
	return out
}

// Percentile returns the p-th percentile (0 to 1) of sorted durations, in
// milliseconds; 0 for none.
func Percentile(sorted []time.Duration, p float64) float64 {
	if len(sorted) == 0 {
		return 0
	}
	return float64(sorted[int(p*float64(len(sorted)-1))].Microseconds()) / 1000
}
