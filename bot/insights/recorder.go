package insights

import (
	"context"
	"log/slog"
	"sync"
	"time"
)

// Recorder takes records from the answering path and writes them to a
// Store behind it: taking one never waits for the database. Its queue is
// bounded; a record that finds it full is dropped and counted, so that a
// slow or stuck database costs records, never answers.
type Recorder struct {
	st   *Store
	opts RecorderOptions

	mu     sync.RWMutex // held for reading while enqueueing; Close takes it to close q
	closed bool
	q      chan item
	done   chan struct{}
	stop   chan struct{}
}

// RecorderOptions tune a Recorder.
type RecorderOptions struct {
	// Queue is how many records may wait to be written; 0 means 4096.
	Queue int
	// Retention, when positive, is how long records are kept: older ones
	// are deleted at start and every PruneEvery.
	Retention time.Duration
	// PruneEvery is how often retention is enforced; 0 means hourly.
	PruneEvery time.Duration
	// Dropped is told of each record dropped because the queue was full
	// or the write failed. Nil counts nothing.
	Dropped func()
	// Log is told of failed writes. Nil discards.
	Log *slog.Logger
}

// item is a question or a vote.
type item struct {
	q *Question
	v *Vote
}

// maxBatch is the most records written in one transaction.
const maxBatch = 256

// NewRecorder starts writing to st what Question and Vote are given,
// until Close.
func NewRecorder(st *Store, opts RecorderOptions) *Recorder {
	if opts.Queue <= 0 {
		opts.Queue = 4096
	}
	if opts.PruneEvery <= 0 {
		opts.PruneEvery = time.Hour
	}
	if opts.Dropped == nil {
		opts.Dropped = func() {}
	}
	if opts.Log == nil {
		opts.Log = slog.New(slog.DiscardHandler)
	}
	r := &Recorder{st: st, opts: opts, q: make(chan item, opts.Queue), done: make(chan struct{}), stop: make(chan struct{})}
	go r.run()
	return r
}

// Question queues q to be written and reports whether it was queued: false
// when the queue is full (q is dropped and counted) or the recorder is
// closed.
func (r *Recorder) Question(q Question) bool { return r.put(item{q: &q}) }

// Vote queues v as Question does.
func (r *Recorder) Vote(v Vote) bool { return r.put(item{v: &v}) }

func (r *Recorder) put(it item) bool {
	r.mu.RLock()
	defer r.mu.RUnlock()
	if r.closed {
		r.opts.Dropped()
		return false
	}
	select {
	case r.q <- it:
		return true
	default:
		r.opts.Dropped()
		return false
	}
}

// Pending returns how many records wait to be written: what a crash now
// would lose at most.
func (r *Recorder) Pending() int { return len(r.q) }

// Close stops taking records and writes those queued, until ctx ends;
// what is still queued then is lost, and Close returns ctx's error.
func (r *Recorder) Close(ctx context.Context) error {
	r.mu.Lock()
	if !r.closed {
		r.closed = true
		close(r.q)
	}
	r.mu.Unlock()
	select {
	case <-r.done:
		return nil
	case <-ctx.Done():
		close(r.stop)
		<-r.done
		return ctx.Err()
	}
}

func (r *Recorder) run() {
	defer close(r.done)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		select {
		case <-r.stop:
			cancel()
		case <-ctx.Done():
		}
	}()
	r.prune(ctx)
	tick := time.NewTicker(r.opts.PruneEvery)
	defer tick.Stop()
	for {
		select {
		case it, ok := <-r.q:
			if !ok {
				return
			}
			r.write(ctx, r.batch(it))
		case <-tick.C:
			r.prune(ctx)
		}
	}
}

// batch takes first and what else is queued, up to maxBatch.
func (r *Recorder) batch(first item) []item {
	b := []item{first}
	for len(b) < maxBatch {
		select {
		case it, ok := <-r.q:
			if !ok {
				return b
			}
			b = append(b, it)
		default:
			return b
		}
	}
	return b
}

func (r *Recorder) write(ctx context.Context, b []item) {
	var qs []Question
	var vs []Vote
	for _, it := range b {
		if it.q != nil {
			qs = append(qs, *it.q)
		} else {
			vs = append(vs, *it.v)
		}
	}
	err := r.st.Write(ctx, qs, vs)
	for attempt := 1; err != nil && attempt < 3 && ctx.Err() == nil; attempt++ {
		time.Sleep(time.Duration(attempt) * 100 * time.Millisecond)
		err = r.st.Write(ctx, qs, vs)
	}
	if err != nil {
		r.opts.Log.Error("insights: records not written", "err", err, "records", len(b))
		for range b {
			r.opts.Dropped()
		}
	}
}

func (r *Recorder) prune(ctx context.Context) {
	if r.opts.Retention <= 0 {
		return
	}
	n, err := r.st.Prune(ctx, r.st.now().Add(-r.opts.Retention))
	if err != nil {
		r.opts.Log.Warn("insights: retention not enforced", "err", err)
		return
	}
	if n > 0 {
		r.opts.Log.Info("insights: old questions deleted", "questions", n, "retention", r.opts.Retention)
	}
}
