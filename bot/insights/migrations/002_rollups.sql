-- Daily roll-ups kept beside the questions, in the same transaction, so
-- that a report over whole days reads a row per day and group instead of
-- every question (the page over 100,000 questions took about 500 ms
-- reading them), and covering indexes for what is still read from the
-- questions themselves (distinct people, windows that are not whole days).
-- A day is the Unix time in milliseconds divided by 86,400,000 (UTC).

CREATE TABLE IF NOT EXISTS daily (
    day           BIGINT NOT NULL,
    outcome       TEXT NOT NULL,
    lang          TEXT NOT NULL,
    source        TEXT NOT NULL,
    questions     BIGINT NOT NULL,
    model_written BIGINT NOT NULL,
    verify_failed BIGINT NOT NULL,
    PRIMARY KEY (day, outcome, lang, source)
);

CREATE TABLE IF NOT EXISTS daily_cited (
    day       BIGINT NOT NULL,
    paragraph TEXT NOT NULL,
    answers   BIGINT NOT NULL,
    PRIMARY KEY (day, paragraph)
);

CREATE TABLE IF NOT EXISTS daily_unanswered (
    day        BIGINT NOT NULL,
    normalized TEXT NOT NULL,
    questions  BIGINT NOT NULL,
    PRIMARY KEY (day, normalized)
);

INSERT INTO daily (day, outcome, lang, source, questions, model_written, verify_failed)
SELECT asked_at / 86400000, outcome, lang, source, COUNT(*), SUM(model_written), SUM(verify_failed)
FROM questions GROUP BY asked_at / 86400000, outcome, lang, source;

INSERT INTO daily_cited (day, paragraph, answers)
SELECT asked_at / 86400000, paragraph, COUNT(*) FROM cited GROUP BY asked_at / 86400000, paragraph;

INSERT INTO daily_unanswered (day, normalized, questions)
SELECT asked_at / 86400000, normalized, COUNT(*) FROM questions
WHERE outcome <> 'answered' AND normalized IS NOT NULL AND normalized <> ''
GROUP BY asked_at / 86400000, normalized;

CREATE INDEX IF NOT EXISTS questions_askers ON questions (asked_at, asker);

CREATE INDEX IF NOT EXISTS questions_counts ON questions (asked_at, outcome, lang, source, model_written, verify_failed);

CREATE INDEX IF NOT EXISTS cited_paragraphs ON cited (asked_at, paragraph);
