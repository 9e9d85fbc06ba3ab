package llm

import (
	"context"
	"io"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// sleepFunc waits for d or until ctx ends, returning ctx's error then.
type sleepFunc func(ctx context.Context, d time.Duration) error

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// retryDoer is the HTTP client given to go-openai. It retries responses with
// status 429 or 5xx: go-openai turns a response into an error without
// exposing its headers, so Retry-After can only be honoured here. Streamed
// requests are retried too, since the status arrives before the stream.
// Transport errors (connection refused, timeouts) are not retried: they
// rarely heal within one answer's time budget.
type retryDoer struct {
	client     *http.Client
	maxRetries int
	baseDelay  time.Duration
	maxWait    time.Duration
	sleep      sleepFunc // nil: sleepCtx
	now        func() time.Time
}

func (d *retryDoer) Do(req *http.Request) (*http.Response, error) {
	sleep := d.sleep
	if sleep == nil {
		sleep = sleepCtx
	}
	now := d.now
	if now == nil {
		now = time.Now
	}
	ctx := req.Context()
	for attempt := 0; ; attempt++ {
		resp, err := d.client.Do(req)
		if err != nil || !retryable(resp.StatusCode) || attempt >= d.maxRetries {
			return resp, err
		}
		wait := d.backoff(attempt)
		if ra, ok := retryAfter(resp.Header.Get("Retry-After"), now()); ok {
			wait = ra
		}
		if wait > d.maxWait {
			return resp, nil
		}
		if dl, ok := ctx.Deadline(); ok && now().Add(wait).After(dl) {
			return resp, nil // no time left to wait: give the caller the error now
		}
		if req.Body != nil && req.GetBody == nil {
			return resp, nil // cannot replay the body
		}
		io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
		resp.Body.Close()
		if err := sleep(ctx, wait); err != nil {
			return nil, err
		}
		if req.GetBody != nil {
			body, err := req.GetBody()
			if err != nil {
				return nil, err
			}
			req = req.Clone(ctx)
			req.Body = body
		}
	}
}

// backoff returns the wait before retry number attempt+1: base·2^attempt,
// with ±20 % jitter so that several clients do not retry in step, capped at
// maxWait.
func (d *retryDoer) backoff(attempt int) time.Duration {
	w := d.baseDelay << attempt
	if w <= 0 || w > d.maxWait {
		w = d.maxWait
	}
	jitter := 0.8 + 0.4*rand.Float64()
	w = time.Duration(float64(w) * jitter)
	if w > d.maxWait {
		w = d.maxWait
	}
	return w
}

func retryable(status int) bool {
	return status == http.StatusTooManyRequests || status >= 500
}

// retryAfter parses a Retry-After value: delay seconds or an HTTP date.
func retryAfter(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if secs, err := strconv.Atoi(v); err == nil {
		if secs < 0 {
			return 0, false
		}
		return time.Duration(secs) * time.Second, true
	}
	t, err := http.ParseTime(v)
	if err != nil {
		return 0, false
	}
	d := t.Sub(now)
	if d < 0 {
		d = 0
	}
	return d, true
}
