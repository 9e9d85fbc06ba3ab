package insights

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// day0 is the clock of the tests: noon on a fixed day, UTC.
var day0 = time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)

func fixedClock(t time.Time) func() time.Time { return func() time.Time { return t } }

// openSQLite opens a fresh store in a temporary directory.
func openSQLite(t testing.TB, policy Policy) *Store {
	t.Helper()
	s, err := Open(context.Background(), Options{Path: filepath.Join(t.TempDir(), "insights.db"), Questions: policy, Now: fixedClock(day0)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// backends opens a fresh store of each kind the machine has: SQLite
// always, PostgreSQL when DECLBOT_TEST_POSTGRES names a database (see
// postgres_test.go).
func backends(t *testing.T, policy Policy) map[string]*Store {
	out := map[string]*Store{"sqlite": openSQLite(t, policy)}
	if pg := openPostgres(t, policy); pg != nil {
		out["postgres"] = pg
	}
	return out
}

// sample is a small day of questions: three answered, two not addressed
// (one asked twice), one related, a vote of each kind and a comment.
func sample(t testing.TB, s *Store) {
	t.Helper()
	at := func(h int) time.Time { return day0.Add(-time.Duration(h) * time.Hour) }
	qs := []Question{
		{ID: "a1", At: at(1), Source: "slash", Lang: "en", Outcome: Answered, Paragraphs: []string{"digest/4.2", "digest/4.1"}, Latency: time.Millisecond, Asker: "u1", Text: "What about water?"},
		{ID: "a2", At: at(2), Source: "mention", Lang: "en", Outcome: Answered, Paragraphs: []string{"digest/4.2"}, Latency: 2 * time.Millisecond, Asker: "u2", Text: "Water resources", ModelWritten: true},
		{ID: "a3", At: at(26), Source: "dm", Lang: "fr", Outcome: Answered, Paragraphs: []string{"digest/2.1"}, Asker: "u1", Text: "Et l'eau ?", ModelWritten: true, VerifyFailed: true},
		{ID: "n1", At: at(3), Source: "slash", Lang: "en", Outcome: NotAddressed, Asker: "u3", Text: "Who won the match?"},
		{ID: "n2", At: at(4), Source: "cli", Lang: "en", Outcome: NotAddressed, Asker: "", Text: "  who WON the match  "},
		{ID: "r1", At: at(5), Source: "slash", Lang: "fr", Outcome: Related, Paragraphs: []string{"digest/4.2"}, Asker: "u2", Text: "Et les routes ?"},
	}
	vs := []Vote{
		{QuestionID: "a1", Voter: "u1", Up: true, At: at(1)},
		{QuestionID: "a2", Voter: "u2", Up: false, At: at(1)},
		{QuestionID: "a2", Voter: "u2", Up: false, Comment: "It quoted the wrong paragraph.", At: at(1)},
	}
	if err := s.Write(context.Background(), qs, vs); err != nil {
		t.Fatal(err)
	}
}

func TestReport(t *testing.T) {
	for name, s := range backends(t, KeepUnanswered) {
		t.Run(name, func(t *testing.T) {
			sample(t, s)
			// Written twice: counted once.
			sample(t, s)
			r, err := s.Report(context.Background(), Window(day0, 7*24*time.Hour), 0)
			if err != nil {
				t.Fatal(err)
			}
			checks := []struct {
				name      string
				got, want any
			}{
				{"questions", r.Questions, 6},
				{"people", r.People, 4}, // u1, u2, u3 and the CLI's nobody
				{"model written", r.ModelWritten, 2},
				{"verification failed", r.VerifyFailed, 1},
				{"by outcome", fmt.Sprint(r.ByOutcome), "map[answered:3 not_addressed:2 related:1]"},
				{"by language", fmt.Sprint(r.ByLanguage), "map[en:4 fr:2]"},
				{"by source", fmt.Sprint(r.BySource), "map[cli:1 dm:1 mention:1 slash:3]"},
				{"unanswered", fmt.Sprint(r.Unanswered), "[{who won the match 2} {et les routes 1}]"},
				{"ratings", r.Ratings, Ratings{Up: 1, Down: 1}},
				{"comments", len(r.Comments), 1},
				{"top paragraphs", fmt.Sprint(r.TopParagraphs), "[{digest/4.2 3} {digest/2.1 1} {digest/4.1 1}]"},
				{"days", len(r.Days), 7},
				{"today", r.Days[6], Day{Date: "2026-03-10", Answered: 2, Related: 1, NotAddressed: 2}},
				{"yesterday", r.Days[5], Day{Date: "2026-03-09", Answered: 1}},
			}
			for _, c := range checks {
				if fmt.Sprint(c.got) != fmt.Sprint(c.want) {
					t.Errorf("%s = %v, want %v", c.name, c.got, c.want)
				}
			}
			if len(r.Comments) == 1 && (r.Comments[0].Text != "It quoted the wrong paragraph." || r.Comments[0].Question != "") {
				// The answered question's text is not kept under
				// KeepUnanswered.
				t.Errorf("comment = %+v", r.Comments[0])
			}
		})
	}
}

func TestPolicy(t *testing.T) {
	tests := []struct {
		policy Policy
		want   int // questions with text, of sample's six
	}{
		{KeepNone, 0},
		{KeepUnanswered, 3},
		{KeepAll, 6},
	}
	for _, tt := range tests {
		t.Run(string(tt.policy), func(t *testing.T) {
			s := openSQLite(t, tt.policy)
			sample(t, s)
			var n int
			if err := s.db.QueryRow(`SELECT COUNT(*) FROM questions WHERE question IS NOT NULL`).Scan(&n); err != nil {
				t.Fatal(err)
			}
			if n != tt.want {
				t.Errorf("questions with text = %d, want %d", n, tt.want)
			}
		})
	}
}

func TestNoUserIDStored(t *testing.T) {
	for name, s := range backends(t, KeepAll) {
		t.Run(name, func(t *testing.T) {
			const id = "123456789012345678"
			if err := s.Write(context.Background(), []Question{{ID: "x", Source: "slash", Lang: "en", Outcome: Answered, Asker: id}},
				[]Vote{{QuestionID: "x", Voter: id, Up: true}}); err != nil {
				t.Fatal(err)
			}
			var asker, voter string
			s.db.QueryRow(`SELECT asker FROM questions`).Scan(&asker)
			s.db.QueryRow(`SELECT voter FROM ratings`).Scan(&voter)
			if asker == "" || strings.Contains(asker, id) || asker != voter {
				t.Errorf("asker %q, voter %q: want the same keyed hash, without the id", asker, voter)
			}
		})
	}
}

func TestKeyFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "insights.db")
	open := func() *Store {
		s, err := Open(context.Background(), Options{Path: path})
		if err != nil {
			t.Fatal(err)
		}
		s.Close()
		return s
	}
	first, second := open(), open()
	fi, err := os.Stat(path + ".key")
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("key file mode %v, want 0600", fi.Mode().Perm())
	}
	if first.hash("u") != second.hash("u") {
		t.Error("the key changed between two opens")
	}
	os.WriteFile(path+".key", []byte("short\n"), 0o600)
	if _, err := Open(context.Background(), Options{Path: path}); err == nil || !strings.Contains(err.Error(), "damaged") {
		t.Errorf("damaged key: err = %v", err)
	}
}

func TestVotes(t *testing.T) {
	tests := []struct {
		name        string
		votes       []Vote
		wantVote    string
		wantComment sql.NullString
	}{
		{"up", []Vote{{Up: true}}, "up", sql.NullString{}},
		{"changed to down", []Vote{{Up: true}, {Up: false}}, "down", sql.NullString{}},
		{"down then comment", []Vote{{Up: false}, {Up: false, Comment: "wrong"}}, "down", sql.NullString{String: "wrong", Valid: true}},
		{"comment kept by a second click", []Vote{{Up: false, Comment: "wrong"}, {Up: false}}, "down", sql.NullString{String: "wrong", Valid: true}},
		{"up clears the comment", []Vote{{Up: false, Comment: "wrong"}, {Up: true}}, "up", sql.NullString{}},
	}
	for name, s := range backends(t, KeepAll) {
		for i, tt := range tests {
			t.Run(name+"/"+tt.name, func(t *testing.T) {
				qid := fmt.Sprintf("q%d", i)
				for _, v := range tt.votes {
					v.QuestionID, v.Voter = qid, "voter"
					if err := s.Write(context.Background(), nil, []Vote{v}); err != nil {
						t.Fatal(err)
					}
				}
				var vote string
				var comment sql.NullString
				var n int
				s.db.QueryRow(s.rebind(`SELECT COUNT(*) FROM ratings WHERE question_id = ?`), qid).Scan(&n)
				if err := s.db.QueryRow(s.rebind(`SELECT vote, comment FROM ratings WHERE question_id = ?`), qid).Scan(&vote, &comment); err != nil {
					t.Fatal(err)
				}
				if n != 1 || vote != tt.wantVote || comment != tt.wantComment {
					t.Errorf("%d rows, vote %q, comment %v; want 1, %q, %v", n, vote, comment, tt.wantVote, tt.wantComment)
				}
			})
		}
	}
}

func TestHostileComment(t *testing.T) {
	hostile := "<script>alert(1)</script> @everyone <@&123> **bold** \xff\xfe" + strings.Repeat("x", 10000) + "\x00"
	for name, s := range backends(t, KeepAll) {
		t.Run(name, func(t *testing.T) {
			err := s.Write(context.Background(), []Question{{ID: "h", Source: "slash", Lang: "en", Outcome: NotAddressed, Text: hostile}},
				[]Vote{{QuestionID: "h", Voter: "v", Comment: hostile}})
			if err != nil {
				t.Fatal(err)
			}
			r, err := s.Report(context.Background(), Window(day0, 24*time.Hour), 0)
			if err != nil {
				t.Fatal(err)
			}
			if len(r.Comments) != 1 {
				t.Fatalf("comments = %v", r.Comments)
			}
			c := r.Comments[0].Text
			if n := len([]rune(c)); n > MaxComment {
				t.Errorf("comment of %d characters stored, want at most %d", n, MaxComment)
			}
			if !strings.HasPrefix(c, "<script>alert(1)</script> @everyone") || strings.ContainsRune(c, 0) {
				t.Errorf("comment stored as %q", c[:60])
			}
			if q := r.Comments[0].Question; len([]rune(q)) > MaxQuestion {
				t.Errorf("question of %d characters stored", len([]rune(q)))
			}
		})
	}
}

func TestPrune(t *testing.T) {
	for name, s := range backends(t, KeepAll) {
		t.Run(name, func(t *testing.T) {
			sample(t, s)
			n, err := s.Prune(context.Background(), day0.Add(-24*time.Hour))
			if err != nil {
				t.Fatal(err)
			}
			q, v, _ := s.Counts(context.Background())
			if n != 1 || q != 5 || v != 2 {
				t.Errorf("pruned %d, left %d questions and %d votes; want 1, 5, 2", n, q, v)
			}
			var cited int
			s.db.QueryRow(`SELECT COUNT(*) FROM cited`).Scan(&cited)
			if cited != 4 {
				t.Errorf("left %d citations, want 4", cited)
			}
		})
	}
}

func TestMigrationsOnce(t *testing.T) {
	path := filepath.Join(t.TempDir(), "insights.db")
	for i := 0; i < 2; i++ {
		s, err := Open(context.Background(), Options{Path: path})
		if err != nil {
			t.Fatal(err)
		}
		v, err := s.Version(context.Background())
		s.Close()
		steps, _ := loadMigrations(migrations)
		if err != nil || v != steps[len(steps)-1].version {
			t.Errorf("open %d: version %d (%v), want %d", i, v, err, steps[len(steps)-1].version)
		}
	}
}

func TestStatements(t *testing.T) {
	tests := []struct {
		in   string
		want int
	}{
		{"-- only a comment\n", 0},
		{"CREATE TABLE a (x INT);\nCREATE INDEX i ON a (x);\n", 2},
		{"CREATE TABLE a (\n  x INT\n);\n-- c\nSELECT 1", 2},
	}
	for _, tt := range tests {
		if got := statements(tt.in); len(got) != tt.want {
			t.Errorf("statements(%q) = %q, want %d", tt.in, got, tt.want)
		}
	}
}

func TestOpenFails(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name string
		opts Options
	}{
		{"no path", Options{}},
		{"directory missing", Options{Path: filepath.Join(dir, "no", "such", "dir", "x.db")}},
		{"bad policy", Options{Path: filepath.Join(dir, "x.db"), Questions: "some"}},
		{"unreachable database", Options{Database: "postgres://u:secret@127.0.0.1:1/db?connect_timeout=2"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Open(context.Background(), tt.opts)
			if err == nil {
				t.Fatal("Open succeeded")
			}
			if strings.Contains(err.Error(), "secret") {
				t.Errorf("error shows the password: %v", err)
			}
		})
	}
}

func TestWindow(t *testing.T) {
	tests := []struct {
		d    time.Duration
		want string
	}{
		{24 * time.Hour, "2026-03-10T00:00:00Z"},
		{7 * 24 * time.Hour, "2026-03-04T00:00:00Z"},
		{90 * time.Minute, "2026-03-10T10:30:00Z"},
	}
	for _, tt := range tests {
		if got := Window(day0, tt.d).UTC().Format(time.RFC3339); got != tt.want {
			t.Errorf("Window(%v) = %s, want %s", tt.d, got, tt.want)
		}
	}
}

func FuzzNormalize(f *testing.F) {
	for _, s := range []string{"Water?", "  who WON the match  ", "Et l'eau ?", "\xff", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n := Normalize(s)
		if Normalize(n) != n {
			t.Errorf("Normalize(%q) = %q, not a fixed point", s, n)
		}
	})
}

// TestRollupsMatchQuestions checks that a report over whole days, read
// from the daily roll-ups, says what the questions themselves say, after
// writes, rewrites and a prune.
func TestRollupsMatchQuestions(t *testing.T) {
	for name, s := range backends(t, KeepUnanswered) {
		t.Run(name, func(t *testing.T) {
			sample(t, s)
			fill(t, s, 3000, 20)
			fill(t, s, 1000, 20) // written again: counted once
			if _, err := s.Prune(context.Background(), Window(day0, 15*24*time.Hour)); err != nil {
				t.Fatal(err)
			}
			for _, days := range []int{1, 7, 15} {
				since := Window(day0, time.Duration(days)*24*time.Hour)
				s.rollups = true
				fromRollups, err := s.Report(context.Background(), since, 50)
				if err != nil {
					t.Fatal(err)
				}
				s.rollups = false
				fromQuestions, err := s.Report(context.Background(), since, 50)
				if err != nil {
					t.Fatal(err)
				}
				if a, b := fmt.Sprintf("%+v", fromRollups), fmt.Sprintf("%+v", fromQuestions); a != b {
					t.Errorf("%d days:\nroll-ups  %s\nquestions %s", days, a, b)
				}
			}
			s.rollups = true
		})
	}
}
