package discord

import (
	"sync"
	"time"
)

// limiter allows each user at most perMinute questions in any sliding
// minute.
type limiter struct {
	perMinute int
	now       func() time.Time

	mu   sync.Mutex
	seen map[string][]time.Time // recent question times per user, oldest first
	// told holds, per user refused, when the refusal they were told of
	// runs out: until then, further refusals are silent.
	told map[string]time.Time
}

func newLimiter(perMinute int, now func() time.Time) *limiter {
	return &limiter{perMinute: perMinute, now: now, seen: map[string][]time.Time{}, told: map[string]time.Time{}}
}

// notice reports whether a user refused for wait should be told so: the
// first refusal of a window is, the others are not, so that someone
// mentioning the bot a thousand times gets one public notice, not a
// thousand.
func (l *limiter) notice(user string, wait time.Duration) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	if until, ok := l.told[user]; ok && now.Before(until) {
		return false
	}
	l.told[user] = now.Add(wait)
	return true
}

// allow records a question from user and returns 0, or, when the user is
// over the limit, records nothing and returns how long until a question
// would be allowed.
func (l *limiter) allow(user string) time.Duration {
	if l.perMinute <= 0 {
		return 0
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	times := l.seen[user]
	for len(times) > 0 && now.Sub(times[0]) >= time.Minute {
		times = times[1:]
	}
	if len(times) >= l.perMinute {
		l.seen[user] = times
		return times[0].Add(time.Minute).Sub(now)
	}
	if len(times) == 0 {
		// Start afresh so the backing array does not grow forever.
		times = make([]time.Time, 0, l.perMinute)
	}
	l.seen[user] = append(times, now)
	l.gcLocked(now)
	return 0
}

// gcLocked forgets users idle for a minute once the map grows large, so
// memory stays bounded by the active users.
func (l *limiter) gcLocked(now time.Time) {
	if len(l.seen) < 4096 {
		return
	}
	for u, times := range l.seen {
		if len(times) == 0 || now.Sub(times[len(times)-1]) >= time.Minute {
			delete(l.seen, u)
		}
	}
	for u, until := range l.told {
		if !now.Before(until) {
			delete(l.told, u)
		}
	}
}
