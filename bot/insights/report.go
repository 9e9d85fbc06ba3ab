package insights

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// Report is what was asked and rated in a window of time: what `declbot
// insights` prints and the /insights page shows, from the same queries.
type Report struct {
	Since time.Time `json:"since"`
	Until time.Time `json:"until"`
	// Questions is how many were asked; People how many distinct people
	// asked them.
	Questions    int            `json:"questions"`
	People       int            `json:"people"`
	ModelWritten int            `json:"model_written"`
	VerifyFailed int            `json:"verification_failed"`
	ByOutcome    map[string]int `json:"by_outcome"`
	ByLanguage   map[string]int `json:"by_language"`
	BySource     map[string]int `json:"by_source"`
	// Unanswered are the questions not answered whose text was kept,
	// grouped by their normalised text, most frequent first.
	Unanswered    []TextCount      `json:"unanswered"`
	Ratings       Ratings          `json:"ratings"`
	Comments      []Comment        `json:"comments"`
	TopParagraphs []ParagraphCount `json:"top_paragraphs"`
	// Days holds one entry per calendar day (UTC) of the window, oldest
	// first, days without questions included.
	Days []Day `json:"days"`
}

// TextCount is a question and how often it was asked.
type TextCount struct {
	Text  string `json:"text"`
	Count int    `json:"count"`
}

// Ratings counts the votes.
type Ratings struct {
	Up   int `json:"up"`
	Down int `json:"down"`
}

// Comment is what someone said was wrong with an answer.
type Comment struct {
	At time.Time `json:"at"`
	// Question is the question answered, when its text was kept.
	Question string `json:"question,omitempty"`
	Text     string `json:"text"`
}

// ParagraphCount is a paragraph and how many answers cited it.
type ParagraphCount struct {
	Paragraph string `json:"paragraph"`
	Count     int    `json:"count"`
}

// Day counts one day's questions by outcome.
type Day struct {
	Date         string `json:"date"` // 2006-01-02
	Answered     int    `json:"answered"`
	Related      int    `json:"related"`
	NotAddressed int    `json:"not_addressed"`
}

// Total is the day's questions.
func (d Day) Total() int { return d.Answered + d.Related + d.NotAddressed }

// Window returns when a window of length d ending at now starts. A whole
// number of days means calendar days (UTC), today included: 7d is today
// and the six days before.
func Window(now time.Time, d time.Duration) time.Time {
	const day = 24 * time.Hour
	if d > 0 && d%day == 0 {
		midnight := now.UTC().Truncate(day)
		return midnight.Add(-(d - day))
	}
	return now.Add(-d)
}

// DefaultLimit is how many unanswered questions, comments and paragraphs
// a report lists.
const DefaultLimit = 20

// maxDays bounds the days a report lays out, and so the page's chart.
const maxDays = 366

// Report returns what was recorded from since until now, listing at most
// limit entries of each list (0 means DefaultLimit).
func (s *Store) Report(ctx context.Context, since time.Time, limit int) (Report, error) {
	if limit <= 0 {
		limit = DefaultLimit
	}
	until := s.now()
	r := Report{
		Since: since.UTC(), Until: until.UTC(),
		ByOutcome:     map[string]int{Answered: 0, Related: 0, NotAddressed: 0},
		ByLanguage:    map[string]int{},
		BySource:      map[string]int{},
		Unanswered:    []TextCount{},
		Comments:      []Comment{},
		TopParagraphs: []ParagraphCount{},
	}
	from := since.UnixMilli()
	// A window of whole days is read from the daily roll-ups; any other
	// from the questions themselves. Both give the same counts.
	if s.rollups && from%dayMS == 0 {
		return s.reportFrom(ctx, r, rollupQueries, from, until, limit)
	}
	return s.reportFrom(ctx, r, rawQueries, from, until, limit)
}

// reportQueries are the queries of a report that have two forms: over
// the questions, and over the daily roll-ups.
type reportQueries struct {
	// counts: day, outcome, lang, source, questions, model, failed.
	counts, unanswered, paragraphs string
	// bound turns the window's start into the queries' argument.
	bound func(from int64) int64
}

var (
	rawQueries = reportQueries{
		counts: `SELECT asked_at / 86400000, outcome, lang, source, COUNT(*), SUM(model_written), SUM(verify_failed)
			FROM questions WHERE asked_at >= ? GROUP BY asked_at / 86400000, outcome, lang, source`,
		unanswered: `SELECT normalized, COUNT(*) FROM questions
			WHERE asked_at >= ? AND outcome <> 'answered' AND normalized IS NOT NULL AND normalized <> ''
			GROUP BY normalized ORDER BY COUNT(*) DESC, normalized LIMIT ?`,
		paragraphs: `SELECT paragraph, COUNT(*) FROM cited WHERE asked_at >= ?
			GROUP BY paragraph ORDER BY COUNT(*) DESC, paragraph LIMIT ?`,
		bound: func(from int64) int64 { return from },
	}
	rollupQueries = reportQueries{
		counts: `SELECT day, outcome, lang, source, questions, model_written, verify_failed FROM daily WHERE day >= ?`,
		unanswered: `SELECT normalized, SUM(questions) FROM daily_unanswered WHERE day >= ?
			GROUP BY normalized ORDER BY SUM(questions) DESC, normalized LIMIT ?`,
		paragraphs: `SELECT paragraph, SUM(answers) FROM daily_cited WHERE day >= ?
			GROUP BY paragraph ORDER BY SUM(answers) DESC, paragraph LIMIT ?`,
		bound: func(from int64) int64 { return from / dayMS },
	}
)

// dayMS is a day in milliseconds: days are numbered by the Unix time in
// milliseconds divided by it, as the queries and migrations divide.
const dayMS = 86400000

func (s *Store) reportFrom(ctx context.Context, r Report, rq reportQueries, from int64, until time.Time, limit int) (Report, error) {
	firstDay, lastDay := from/dayMS, until.UnixMilli()/dayMS
	if lastDay-firstDay >= maxDays {
		firstDay = lastDay - maxDays + 1
	}
	days := map[int64]*Day{}
	for d := firstDay; d <= lastDay; d++ {
		r.Days = append(r.Days, Day{Date: time.UnixMilli(d * dayMS).UTC().Format(time.DateOnly)})
	}
	for i := range r.Days {
		days[firstDay+int64(i)] = &r.Days[i]
	}

	// One pass over the window's questions for every count.
	rows, err := s.db.QueryContext(ctx, s.rebind(rq.counts), rq.bound(from))
	if err != nil {
		return r, fmt.Errorf("count questions: %w", err)
	}
	err = scanRows(rows, func() error {
		var day int64
		var outcome, lang, source string
		var n, model, failed int
		if err := rows.Scan(&day, &outcome, &lang, &source, &n, &model, &failed); err != nil {
			return err
		}
		r.Questions += n
		r.ModelWritten += model
		r.VerifyFailed += failed
		r.ByOutcome[outcome] += n
		r.ByLanguage[lang] += n
		r.BySource[source] += n
		if d := days[day]; d != nil {
			switch outcome {
			case Answered:
				d.Answered += n
			case Related:
				d.Related += n
			default:
				d.NotAddressed += n
			}
		}
		return nil
	})
	if err != nil {
		return r, fmt.Errorf("count questions: %w", err)
	}
	if err := s.db.QueryRowContext(ctx, s.rebind(`SELECT COUNT(DISTINCT asker) FROM questions WHERE asked_at >= ?`), from).Scan(&r.People); err != nil {
		return r, fmt.Errorf("count people: %w", err)
	}

	rows, err = s.db.QueryContext(ctx, s.rebind(rq.unanswered), rq.bound(from), limit)
	if err != nil {
		return r, fmt.Errorf("list unanswered: %w", err)
	}
	err = scanRows(rows, func() error {
		var tc TextCount
		if err := rows.Scan(&tc.Text, &tc.Count); err != nil {
			return err
		}
		r.Unanswered = append(r.Unanswered, tc)
		return nil
	})
	if err != nil {
		return r, fmt.Errorf("list unanswered: %w", err)
	}

	rows, err = s.db.QueryContext(ctx, s.rebind(`SELECT vote, COUNT(*) FROM ratings WHERE rated_at >= ? GROUP BY vote`), from)
	if err != nil {
		return r, fmt.Errorf("count votes: %w", err)
	}
	err = scanRows(rows, func() error {
		var vote string
		var n int
		if err := rows.Scan(&vote, &n); err != nil {
			return err
		}
		if vote == "up" {
			r.Ratings.Up += n
		} else {
			r.Ratings.Down += n
		}
		return nil
	})
	if err != nil {
		return r, fmt.Errorf("count votes: %w", err)
	}

	rows, err = s.db.QueryContext(ctx, s.rebind(`SELECT r.rated_at, r.comment, q.question FROM ratings r
		LEFT JOIN questions q ON q.id = r.question_id
		WHERE r.rated_at >= ? AND r.comment IS NOT NULL
		ORDER BY r.rated_at DESC, r.question_id LIMIT ?`), from, limit)
	if err != nil {
		return r, fmt.Errorf("list comments: %w", err)
	}
	err = scanRows(rows, func() error {
		var at int64
		var c Comment
		var q sql.NullString
		if err := rows.Scan(&at, &c.Text, &q); err != nil {
			return err
		}
		c.At, c.Question = time.UnixMilli(at).UTC(), q.String
		r.Comments = append(r.Comments, c)
		return nil
	})
	if err != nil {
		return r, fmt.Errorf("list comments: %w", err)
	}

	rows, err = s.db.QueryContext(ctx, s.rebind(rq.paragraphs), rq.bound(from), limit)
	if err != nil {
		return r, fmt.Errorf("list paragraphs: %w", err)
	}
	err = scanRows(rows, func() error {
		var p ParagraphCount
		if err := rows.Scan(&p.Paragraph, &p.Count); err != nil {
			return err
		}
		r.TopParagraphs = append(r.TopParagraphs, p)
		return nil
	})
	if err != nil {
		return r, fmt.Errorf("list paragraphs: %w", err)
	}
	return r, nil
}

// scanRows calls scan for each row, then closes rows and returns the
// first error.
func scanRows(rows *sql.Rows, scan func() error) error {
	defer rows.Close()
	for rows.Next() {
		if err := scan(); err != nil {
			return err
		}
	}
	return rows.Err()
}

// Counts returns how many questions and votes the store holds in all,
// for tests and checks after a crash.
func (s *Store) Counts(ctx context.Context) (questions, votes int, err error) {
	if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM questions`).Scan(&questions); err != nil {
		return 0, 0, err
	}
	if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM ratings`).Scan(&votes); err != nil {
		return 0, 0, err
	}
	return questions, votes, nil
}
