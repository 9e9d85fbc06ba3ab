package insights

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestRecorderWritesAll(t *testing.T) {
	for name, s := range backends(t, KeepAll) {
		t.Run(name, func(t *testing.T) {
			var dropped atomic.Int64
			r := NewRecorder(s, RecorderOptions{Queue: 2000, Dropped: func() { dropped.Add(1) }})
			var wg sync.WaitGroup
			for w := 0; w < 10; w++ {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for i := 0; i < 100; i++ {
						id := fmt.Sprintf("w%d-%d", w, i)
						r.Question(Question{ID: id, Source: "slash", Lang: "en", Outcome: Answered, Asker: "u", Paragraphs: []string{"digest/1.1"}})
						r.Vote(Vote{QuestionID: id, Voter: "v", Up: i%2 == 0})
					}
				}()
			}
			wg.Wait()
			if err := r.Close(context.Background()); err != nil {
				t.Fatal(err)
			}
			q, v, err := s.Counts(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if q+int(dropped.Load())/2 != 1000 || q != 1000 || v != 1000 {
				t.Errorf("%d questions and %d votes stored, %d dropped; want 1000 and 1000", q, v, dropped.Load())
			}
		})
	}
}

// TestRecorderFullQueue fills a queue whose writer is held up: what does
// not fit is dropped and counted, and taking a record never waits.
func TestRecorderFullQueue(t *testing.T) {
	s := openSQLite(t, KeepAll)
	// Hold the write lock from outside, so the writer waits.
	tx, err := s.db.Begin()
	if err != nil {
		t.Fatal(err)
	}
	var dropped atomic.Int64
	r := NewRecorder(s, RecorderOptions{Queue: 10, Dropped: func() { dropped.Add(1) }})
	start := time.Now()
	queued := 0
	for i := 0; i < 100; i++ {
		if r.Question(Question{ID: fmt.Sprint(i), Source: "slash", Lang: "en", Outcome: Answered}) {
			queued++
		}
	}
	if took := time.Since(start); took > time.Second {
		t.Errorf("100 records took %v to take", took)
	}
	tx.Rollback()
	if err := r.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	q, _, _ := s.Counts(context.Background())
	if int64(q)+dropped.Load() != 100 || q != queued {
		t.Errorf("%d stored, %d queued, %d dropped: want stored = queued, stored + dropped = 100", q, queued, dropped.Load())
	}
	if dropped.Load() == 0 {
		t.Error("nothing dropped from a queue of 10")
	}
	if r.Question(Question{ID: "late"}) {
		t.Error("a closed recorder took a record")
	}
}

func TestRecorderRetention(t *testing.T) {
	s := openSQLite(t, KeepAll)
	sample(t, s) // one question is 26 hours old
	r := NewRecorder(s, RecorderOptions{Retention: 24 * time.Hour})
	r.Close(context.Background())
	if q, _, _ := s.Counts(context.Background()); q != 5 {
		t.Errorf("%d questions left, want 5", q)
	}
}

func BenchmarkRecord(b *testing.B) {
	s := openSQLite(b, KeepUnanswered)
	r := NewRecorder(s, RecorderOptions{Queue: 1 << 20})
	defer r.Close(context.Background())
	q := Question{Source: "slash", Lang: "en", Outcome: Answered, Paragraphs: []string{"digest/4.2"}, Asker: "123", Text: "What about water?"}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		i++
		q.ID = fmt.Sprint(i)
		r.Question(q)
	}
}

// TestSharedFile opens one SQLite file from two stores at once, as two
// shards on one machine do: both write, nothing is lost to a busy
// database, and both hash alike.
func TestSharedFile(t *testing.T) {
	path := t.TempDir() + "/shared.db"
	var stores []*Store
	for range 2 {
		s, err := Open(context.Background(), Options{Path: path})
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		stores = append(stores, s)
	}
	if stores[0].hash("u") != stores[1].hash("u") {
		t.Error("two shards hash differently")
	}
	var dropped atomic.Int64
	var wg sync.WaitGroup
	for n, s := range stores {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := NewRecorder(s, RecorderOptions{Dropped: func() { dropped.Add(1) }})
			for i := range 500 {
				r.Question(Question{ID: fmt.Sprintf("s%d-%d", n, i), Source: "slash", Lang: "en", Outcome: Answered})
				if i%50 == 0 {
					time.Sleep(time.Millisecond) // batches of several sizes, interleaved
				}
			}
			r.Close(context.Background())
		}()
	}
	wg.Wait()
	q, _, err := stores[0].Counts(context.Background())
	if err != nil || q != 1000 || dropped.Load() != 0 {
		t.Errorf("%d questions stored (%v), %d dropped; want 1000, 0", q, err, dropped.Load())
	}
}

// BenchmarkWrite stores questions in batches of maxBatch, as the
// recorder's goroutine does under load: the rate the queue drains at.
func BenchmarkWrite(b *testing.B) {
	s := openSQLite(b, KeepUnanswered)
	n := 0
	for b.Loop() {
		qs := make([]Question, maxBatch)
		for i := range qs {
			n++
			qs[i] = Question{ID: fmt.Sprint(n), At: day0, Source: "slash", Lang: "en", Outcome: []string{Answered, NotAddressed}[n%2],
				Paragraphs: []string{"digest/4.2"}, Asker: fmt.Sprint(n % 100), Text: fmt.Sprintf("question %d", n%50)}
		}
		if err := s.Write(context.Background(), qs, nil); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "questions/s")
}
