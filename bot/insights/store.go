// Package insights keeps what people ask declbot and how they rate the
// answers, so that the maintainers see what goes unanswered: one record per
// question (when, from where, in which language, how it ended, which
// paragraphs it cited, how long it took), the votes and comments given on
// the answers, and the report that `declbot insights` prints and the
// /insights page shows.
//
// The store is a SQLite file by default (modernc.org/sqlite, pure Go, so
// the static build stays free of cgo; WAL, so that several shards on one
// machine share it) or a PostgreSQL database (github.com/jackc/pgx/v5)
// for shards on several machines. Both run the same migrations, embedded
// below. It is the only package that imports either driver.
//
// Nobody's Discord id is stored: only a keyed hash of it, for counting
// distinct people. Question text is kept as Options.Questions says.
package insights

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	_ "github.com/jackc/pgx/v5/stdlib" // database/sql driver "pgx"
	_ "modernc.org/sqlite"             // database/sql driver "sqlite"
)

// Policy says which questions keep their text.
type Policy string

// Policies, as insights.questions names them.
const (
	KeepNone       Policy = "none"       // no question text at all
	KeepUnanswered Policy = "unanswered" // the text of questions not answered
	KeepAll        Policy = "all"        // every question's text
)

// ParsePolicy returns the policy named s, or an error naming the allowed
// ones.
func ParsePolicy(s string) (Policy, error) {
	switch p := Policy(s); p {
	case KeepNone, KeepUnanswered, KeepAll:
		return p, nil
	}
	return "", fmt.Errorf("%q is not a policy (none, unanswered or all)", s)
}

// Outcomes of a question, as bot.Reply names them.
const (
	Answered     = "answered"
	Related      = "related"
	NotAddressed = "not_addressed"
)

// Limits on what is stored: a question is at most as long as the bot
// accepts, a comment as long as the rating form allows.
const (
	MaxQuestion = 1000
	MaxComment  = 300
)

// Options say where the store is and what it keeps.
type Options struct {
	// Path is the SQLite file; its hashing key is kept beside it, in
	// Path+".key", readable by its owner only. Ignored when Database is
	// set.
	Path string
	// Database, when it is a postgres:// or postgresql:// URL, is the
	// PostgreSQL database to use instead of the file; the hashing key is
	// then kept in the database.
	Database string
	// Questions says which questions keep their text; empty means
	// KeepUnanswered.
	Questions Policy
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// Store is an open insights database. Its methods may be called from
// several goroutines.
type Store struct {
	db     *sql.DB
	pg     bool
	key    []byte
	policy Policy
	now    func() time.Time
	where  string // the file, or the database without its password
	// rollups is set when reports over whole days read the daily
	// roll-ups; tests clear it to compare them with the questions.
	rollups bool
}

// busyTimeout is how long a SQLite connection waits for another writer
// (another shard sharing the file) before giving up.
const busyTimeout = 5 * time.Second

// Open opens the store, creating it when it does not exist, and applies
// the migrations it lacks. The error says which store could not be opened
// and why; the password of a database URL never appears in it.
func Open(ctx context.Context, opts Options) (*Store, error) {
	if opts.Questions == "" {
		opts.Questions = KeepUnanswered
	}
	if _, err := ParsePolicy(string(opts.Questions)); err != nil {
		return nil, err
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	s := &Store{policy: opts.Questions, now: opts.Now, rollups: true}
	var err error
	if IsDatabaseURL(opts.Database) {
		s.pg, s.where = true, redactURL(opts.Database)
		s.db, err = sql.Open("pgx", opts.Database)
	} else {
		if strings.TrimSpace(opts.Path) == "" {
			return nil, errors.New("open insights store: no path")
		}
		s.where = opts.Path
		s.db, err = sql.Open("sqlite", sqliteDSN(opts.Path))
	}
	if err != nil {
		return nil, fmt.Errorf("open insights store %s: %w", s.where, err)
	}
	if !s.pg {
		// One writer at a time in any case; a few readers beside it.
		s.db.SetMaxOpenConns(4)
	}
	if err := s.start(ctx, opts); err != nil {
		s.db.Close()
		return nil, fmt.Errorf("open insights store %s: %w", s.where, err)
	}
	return s, nil
}

func (s *Store) start(ctx context.Context, opts Options) error {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if err := s.db.PingContext(ctx); err != nil {
		return err
	}
	if err := s.migrate(ctx); err != nil {
		return err
	}
	var err error
	if s.pg {
		s.key, err = s.databaseKey(ctx)
	} else {
		s.key, err = fileKey(opts.Path + ".key")
	}
	return err
}

// sqliteDSN names the file with the settings every connection needs: WAL
// so that readers never wait for the writer, a busy timeout so that shards
// sharing the file wait for each other rather than fail, and transactions
// that take the write lock when they begin (a deferred one that reads
// first could not be upgraded while another shard writes).
func sqliteDSN(path string) string {
	q := url.Values{}
	q.Add("_pragma", "busy_timeout("+strconv.Itoa(int(busyTimeout/time.Millisecond))+")")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "synchronous(NORMAL)")
	q.Set("_txlock", "immediate")
	return "file:" + path + "?" + q.Encode()
}

// IsDatabaseURL reports whether s names a PostgreSQL database.
func IsDatabaseURL(s string) bool {
	return strings.HasPrefix(s, "postgres://") || strings.HasPrefix(s, "postgresql://")
}

// redactURL is a database URL without its password, for messages.
func redactURL(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		return "the PostgreSQL database"
	}
	return u.Redacted()
}

// Where names the store for messages: the file, or the database without
// its password.
func (s *Store) Where() string { return s.where }

// Close closes the database.
func (s *Store) Close() error { return s.db.Close() }

// rebind turns the ? placeholders of a query into PostgreSQL's $1, $2…
// The queries here hold no ? inside string literals.
func (s *Store) rebind(q string) string {
	if !s.pg {
		return q
	}
	var b strings.Builder
	n := 0
	for _, c := range q {
		if c == '?' {
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteRune(c)
	}
	return b.String()
}

// keyBytes is the length of the hashing key.
const keyBytes = 32

// fileKey reads the hashing key kept at path, or makes one and writes it
// there, readable by its owner only. Two shards starting at once make one
// key between them: the file is created exclusively, and the one that
// loses reads the winner's.
func fileKey(path string) ([]byte, error) {
	for attempt := 0; attempt < 50; attempt++ {
		data, err := os.ReadFile(path)
		if err == nil {
			k, err := hex.DecodeString(strings.TrimSpace(string(data)))
			if err == nil && len(k) == keyBytes {
				return k, nil
			}
			if len(data) == 0 {
				// Being written by another process: wait for it.
				time.Sleep(20 * time.Millisecond)
				continue
			}
			return nil, fmt.Errorf("hashing key %s is damaged (%d bytes); remove it to make a new one, which counts everyone as new", path, len(data))
		}
		if !errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("read hashing key: %w", err)
		}
		k := make([]byte, keyBytes)
		rand.Read(k)
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("create hashing key: %w", err)
		}
		_, werr := f.WriteString(hex.EncodeToString(k) + "\n")
		serr := f.Sync()
		cerr := f.Close()
		if err := errors.Join(werr, serr, cerr); err != nil {
			os.Remove(path)
			return nil, fmt.Errorf("write hashing key: %w", err)
		}
		return k, nil
	}
	return nil, fmt.Errorf("hashing key %s stays empty", path)
}

// databaseKey reads the hashing key kept in the database, making it on
// first use: every machine sharing the database hashes alike.
func (s *Store) databaseKey(ctx context.Context) ([]byte, error) {
	k := make([]byte, keyBytes)
	rand.Read(k)
	if _, err := s.db.ExecContext(ctx, s.rebind(`INSERT INTO settings (name, value) VALUES (?, ?) ON CONFLICT (name) DO NOTHING`), "asker_key", hex.EncodeToString(k)); err != nil {
		return nil, fmt.Errorf("store hashing key: %w", err)
	}
	var v string
	if err := s.db.QueryRowContext(ctx, s.rebind(`SELECT value FROM settings WHERE name = ?`), "asker_key").Scan(&v); err != nil {
		return nil, fmt.Errorf("read hashing key: %w", err)
	}
	k, err := hex.DecodeString(v)
	if err != nil || len(k) != keyBytes {
		return nil, errors.New("hashing key in the database is damaged")
	}
	return k, nil
}

// hash is the keyed hash that stands for a person: the same for the same
// id under one key, and no way back to the id without the key.
func (s *Store) hash(id string) string {
	m := hmac.New(sha256.New, s.key)
	m.Write([]byte(id))
	return hex.EncodeToString(m.Sum(nil)[:16])
}

// clean makes text safe to store and at most max characters long: valid
// UTF-8 and no NUL (PostgreSQL's text refuses both).
func clean(text string, max int) string {
	text = strings.ToValidUTF8(text, "\uFFFD")
	text = strings.ReplaceAll(text, "\x00", "")
	if utf8.RuneCountInString(text) > max {
		r := []rune(text)
		text = string(r[:max])
	}
	return text
}
