package bot

import (
	"slices"
	"testing"
	"time"
)

// fakeClock is a clock a test moves by hand.
type fakeClock struct{ t time.Time }

func (c *fakeClock) now() time.Time          { return c.t }
func (c *fakeClock) advance(d time.Duration) { c.t = c.t.Add(d) }

func TestThrottle(t *testing.T) {
	clock := &fakeClock{t: time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)}
	var sent []string
	th := NewThrottle(1500*time.Millisecond, clock.now, func(s string) { sent = append(sent, s) })

	steps := []struct {
		at    time.Duration // since the previous step
		offer string
		want  []string // sent so far
	}{
		{0, "a", []string{"a"}},                                 // first value goes at once
		{500 * time.Millisecond, "ab", []string{"a"}},           // too soon: pending
		{500 * time.Millisecond, "abc", []string{"a"}},          // replaces the pending one
		{499 * time.Millisecond, "abcd", []string{"a"}},         // 1.499 s: still too soon
		{1 * time.Millisecond, "abcde", []string{"a", "abcde"}}, // 1.5 s: goes, latest only
		{1 * time.Second, "abcdef", []string{"a", "abcde"}},
	}
	for i, s := range steps {
		clock.advance(s.at)
		th.Offer(s.offer)
		if !slices.Equal(sent, s.want) {
			t.Fatalf("step %d: sent %q, want %q", i, sent, s.want)
		}
	}
	if !th.Flush() || !slices.Equal(sent, []string{"a", "abcde", "abcdef"}) {
		t.Fatalf("after Flush: sent %q", sent)
	}
	if th.Flush() {
		t.Error("second Flush sent again")
	}
	// Flush counted as a send: the next offer within the interval waits.
	clock.advance(time.Second)
	th.Offer("x")
	th.Discard()
	if th.Flush() || len(sent) != 3 {
		t.Errorf("discarded value was sent: %q", sent)
	}
}

// TestThrottleStream checks the edit rate over a simulated stream of 200
// deltas, one every 50 ms: 10 s of streaming gives at most 1 + 10/1.5 edits.
func TestThrottleStream(t *testing.T) {
	clock := &fakeClock{t: time.Unix(0, 0)}
	var edits []time.Time
	th := NewThrottle(1500*time.Millisecond, clock.now, func(string) { edits = append(edits, clock.now()) })
	for range 200 {
		th.Offer("more text")
		clock.advance(50 * time.Millisecond)
	}
	if len(edits) < 6 || len(edits) > 7 {
		t.Errorf("%d edits in 10 s, want 6 or 7", len(edits))
	}
	for i := 1; i < len(edits); i++ {
		if d := edits[i].Sub(edits[i-1]); d < 1500*time.Millisecond {
			t.Errorf("edits %d and %d only %v apart", i-1, i, d)
		}
	}
}
