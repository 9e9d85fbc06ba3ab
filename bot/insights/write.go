package insights

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"
)

// Question is what is kept of one question answered.
type Question struct {
	// ID is the answer's short id, the one its rating buttons carry.
	ID string
	At time.Time
	// Source is slash, mention, dm or cli.
	Source string
	Lang   string
	// Outcome is Answered, Related or NotAddressed.
	Outcome string
	// Paragraphs are the ids of the passages cited ("digest/4.2").
	Paragraphs   []string
	Latency      time.Duration
	ModelWritten bool
	VerifyFailed bool
	// Asker is the asker's id; only its keyed hash is stored.
	Asker string
	// Text is the question; it is stored only as the policy says.
	Text string
}

// Vote is one person's rating of one answer. A later vote of the same
// person on the same answer replaces theirs.
type Vote struct {
	QuestionID string
	// Voter is the voter's id; only its keyed hash is stored.
	Voter string
	Up    bool
	// Comment, when not empty, is what they said was wrong; an empty one
	// keeps what they said before, unless the vote is up, which clears it.
	Comment string
	At      time.Time
}

// Write stores questions and votes in one transaction. A question already
// stored (the same id) is kept as it was, so that a batch written twice
// counts once.
func (s *Store) Write(ctx context.Context, qs []Question, vs []Vote) error {
	if len(qs) == 0 && len(vs) == 0 {
		return nil
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	defer tx.Rollback()
	if len(qs) > 0 {
		if err := s.writeQuestions(ctx, tx, qs); err != nil {
			return err
		}
	}
	if len(vs) > 0 {
		if err := s.writeVotes(ctx, tx, vs); err != nil {
			return err
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

func (s *Store) writeQuestions(ctx context.Context, tx *sql.Tx, qs []Question) error {
	insQ, err := tx.PrepareContext(ctx, s.rebind(`INSERT INTO questions
		(id, asked_at, source, lang, outcome, latency_us, model_written, verify_failed, asker, question, normalized)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`))
	if err != nil {
		return fmt.Errorf("prepare: %w", err)
	}
	defer insQ.Close()
	insC, err := tx.PrepareContext(ctx, s.rebind(`INSERT INTO cited (question_id, paragraph, asked_at) VALUES (?, ?, ?) ON CONFLICT (question_id, paragraph) DO NOTHING`))
	if err != nil {
		return fmt.Errorf("prepare: %w", err)
	}
	defer insC.Close()
	// The roll-ups count what was inserted, and only that.
	upDaily, err := tx.PrepareContext(ctx, s.rebind(`INSERT INTO daily (day, outcome, lang, source, questions, model_written, verify_failed)
		VALUES (?, ?, ?, ?, 1, ?, ?) ON CONFLICT (day, outcome, lang, source) DO UPDATE SET
			questions = daily.questions + 1,
			model_written = daily.model_written + excluded.model_written,
			verify_failed = daily.verify_failed + excluded.verify_failed`))
	if err != nil {
		return fmt.Errorf("prepare: %w", err)
	}
	defer upDaily.Close()
	upCited, err := tx.PrepareContext(ctx, s.rebind(`INSERT INTO daily_cited (day, paragraph, answers) VALUES (?, ?, 1)
		ON CONFLICT (day, paragraph) DO UPDATE SET answers = daily_cited.answers + 1`))
	if err != nil {
		return fmt.Errorf("prepare: %w", err)
	}
	defer upCited.Close()
	upUnanswered, err := tx.PrepareContext(ctx, s.rebind(`INSERT INTO daily_unanswered (day, normalized, questions) VALUES (?, ?, 1)
		ON CONFLICT (day, normalized) DO UPDATE SET questions = daily_unanswered.questions + 1`))
	if err != nil {
		return fmt.Errorf("prepare: %w", err)
	}
	defer upUnanswered.Close()
	for _, q := range qs {
		if q.ID == "" {
			return errors.New("record question: no id")
		}
		var text, norm sql.NullString
		if s.keeps(q.Outcome) {
			t := clean(strings.TrimSpace(q.Text), MaxQuestion)
			text = sql.NullString{String: t, Valid: true}
			norm = sql.NullString{String: Normalize(t), Valid: true}
		}
		at := q.At
		if at.IsZero() {
			at = s.now()
		}
		source, lang, outcome := clean(q.Source, 16), clean(q.Lang, 16), clean(q.Outcome, 32)
		res, err := insQ.ExecContext(ctx, clean(q.ID, 64), at.UnixMilli(), source, lang, outcome,
			q.Latency.Microseconds(), flag(q.ModelWritten), flag(q.VerifyFailed), s.hash(q.Asker), text, norm)
		if err != nil {
			return fmt.Errorf("record question %s: %w", q.ID, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			continue // stored before
		}
		day := at.UnixMilli() / dayMS
		if _, err := upDaily.ExecContext(ctx, day, outcome, lang, source, flag(q.ModelWritten), flag(q.VerifyFailed)); err != nil {
			return fmt.Errorf("count question %s: %w", q.ID, err)
		}
		if norm.Valid && norm.String != "" && outcome != Answered {
			if _, err := upUnanswered.ExecContext(ctx, day, norm.String); err != nil {
				return fmt.Errorf("count question %s: %w", q.ID, err)
			}
		}
		seen := map[string]bool{}
		for _, p := range q.Paragraphs {
			p = clean(p, 128)
			if seen[p] {
				continue
			}
			seen[p] = true
			if _, err := insC.ExecContext(ctx, clean(q.ID, 64), p, at.UnixMilli()); err != nil {
				return fmt.Errorf("record paragraph %s of %s: %w", p, q.ID, err)
			}
			if _, err := upCited.ExecContext(ctx, day, p); err != nil {
				return fmt.Errorf("count paragraph %s of %s: %w", p, q.ID, err)
			}
		}
	}
	return nil
}

func (s *Store) writeVotes(ctx context.Context, tx *sql.Tx, vs []Vote) error {
	st, err := tx.PrepareContext(ctx, s.rebind(`INSERT INTO ratings (question_id, voter, vote, comment, rated_at)
		VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (question_id, voter) DO UPDATE SET
			vote = excluded.vote,
			rated_at = excluded.rated_at,
			comment = CASE WHEN excluded.vote = 'up' THEN NULL
				WHEN excluded.comment IS NULL THEN ratings.comment
				ELSE excluded.comment END`))
	if err != nil {
		return fmt.Errorf("prepare: %w", err)
	}
	defer st.Close()
	for _, v := range vs {
		if v.QuestionID == "" {
			return errors.New("record vote: no answer id")
		}
		vote := "down"
		if v.Up {
			vote = "up"
		}
		var comment sql.NullString
		if c := strings.TrimSpace(clean(v.Comment, MaxComment)); c != "" && !v.Up {
			comment = sql.NullString{String: c, Valid: true}
		}
		at := v.At
		if at.IsZero() {
			at = s.now()
		}
		if _, err := st.ExecContext(ctx, clean(v.QuestionID, 64), s.hash(v.Voter), vote, comment, at.UnixMilli()); err != nil {
			return fmt.Errorf("record vote on %s: %w", v.QuestionID, err)
		}
	}
	return nil
}

// keeps reports whether a question with outcome keeps its text.
func (s *Store) keeps(outcome string) bool {
	switch s.policy {
	case KeepAll:
		return true
	case KeepUnanswered:
		return outcome != Answered
	}
	return false
}

func flag(b bool) int {
	if b {
		return 1
	}
	return 0
}

// Prune deletes what was recorded before t: questions, their paragraphs,
// and votes. It returns how many questions went.
func (s *Store) Prune(ctx context.Context, before time.Time) (int64, error) {
	ms := before.UnixMilli()
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("prune: %w", err)
	}
	defer tx.Rollback()
	res, err := tx.ExecContext(ctx, s.rebind(`DELETE FROM questions WHERE asked_at < ?`), ms)
	if err != nil {
		return 0, fmt.Errorf("prune questions: %w", err)
	}
	n, _ := res.RowsAffected()
	if _, err := tx.ExecContext(ctx, s.rebind(`DELETE FROM cited WHERE asked_at < ?`), ms); err != nil {
		return 0, fmt.Errorf("prune paragraphs: %w", err)
	}
	if _, err := tx.ExecContext(ctx, s.rebind(`DELETE FROM ratings WHERE rated_at < ?`), ms); err != nil {
		return 0, fmt.Errorf("prune votes: %w", err)
	}
	// The roll-ups go by whole days: the day partly pruned stays whole.
	for _, table := range []string{"daily", "daily_cited", "daily_unanswered"} {
		if _, err := tx.ExecContext(ctx, s.rebind(`DELETE FROM `+table+` WHERE day < ?`), ms/dayMS); err != nil {
			return 0, fmt.Errorf("prune %s: %w", table, err)
		}
	}
	return n, tx.Commit()
}

// Normalize is the form questions are grouped by: lower case, spaces
// and control characters folded into single spaces, the punctuation
// around it dropped, so that "Water?" and "  water " count as one
// question.
func Normalize(text string) string {
	text = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, text)
	text = strings.ToLower(strings.Join(strings.Fields(text), " "))
	return strings.TrimFunc(text, func(r rune) bool {
		return unicode.IsPunct(r) || unicode.IsSpace(r) || unicode.IsSymbol(r)
	})
}
