package bot

import (
	"sync"
	"time"
)

// Throttle passes values to a function at most once per interval, dropping
// the ones in between except the latest, which Flush delivers. It is for
// streamed partial answers: Discord allows editing a message only so often,
// and each edit shows the whole text so far, so only the latest matters.
// It starts no goroutine and no timer: a pending value goes out with the
// next Offer after the interval, or with Flush. It is safe for concurrent
// use.
type Throttle[T any] struct {
	interval time.Duration
	send     func(T)
	now      func() time.Time

	mu      sync.Mutex
	last    time.Time
	sent    bool
	pending *T
}

// NewThrottle returns a throttle calling send at most once per interval.
// now is the clock; nil means time.Now.
func NewThrottle[T any](interval time.Duration, now func() time.Time, send func(T)) *Throttle[T] {
	if now == nil {
		now = time.Now
	}
	return &Throttle[T]{interval: interval, send: send, now: now}
}

// Offer sends v now if the interval has passed since the last send, and
// otherwise keeps it as the pending value, replacing any older one.
func (t *Throttle[T]) Offer(v T) {
	t.mu.Lock()
	now := t.now()
	if t.sent && now.Sub(t.last) < t.interval {
		t.pending = &v
		t.mu.Unlock()
		return
	}
	t.last, t.sent, t.pending = now, true, nil
	t.mu.Unlock()
	t.send(v)
}

// Flush sends the pending value, if any, whatever the time, and reports
// whether it did.
func (t *Throttle[T]) Flush() bool {
	t.mu.Lock()
	p := t.pending
	if p == nil {
		t.mu.Unlock()
		return false
	}
	t.last, t.sent, t.pending = t.now(), true, nil
	t.mu.Unlock()
	t.send(*p)
	return true
}

// Discard drops the pending value; call it when a final value replaces
// whatever was streamed.
func (t *Throttle[T]) Discard() {
	t.mu.Lock()
	t.pending = nil
	t.mu.Unlock()
}
