-- The first schema. Written in the SQL that SQLite and PostgreSQL share:
-- no AUTOINCREMENT or SERIAL (a question's id is the short id its rating
-- buttons carry), times as Unix milliseconds in BIGINT, flags as 0 or 1.

CREATE TABLE IF NOT EXISTS questions (
    id            TEXT PRIMARY KEY,
    asked_at      BIGINT NOT NULL,
    source        TEXT NOT NULL,
    lang          TEXT NOT NULL,
    outcome       TEXT NOT NULL,
    latency_us    BIGINT NOT NULL,
    model_written INTEGER NOT NULL,
    verify_failed INTEGER NOT NULL,
    asker         TEXT NOT NULL,
    question      TEXT,
    normalized    TEXT
);

CREATE INDEX IF NOT EXISTS questions_asked_at ON questions (asked_at);

CREATE TABLE IF NOT EXISTS cited (
    question_id TEXT NOT NULL,
    paragraph   TEXT NOT NULL,
    asked_at    BIGINT NOT NULL,
    PRIMARY KEY (question_id, paragraph)
);

CREATE INDEX IF NOT EXISTS cited_asked_at ON cited (asked_at);

CREATE TABLE IF NOT EXISTS ratings (
    question_id TEXT NOT NULL,
    voter       TEXT NOT NULL,
    vote        TEXT NOT NULL,
    comment     TEXT,
    rated_at    BIGINT NOT NULL,
    PRIMARY KEY (question_id, voter)
);

CREATE INDEX IF NOT EXISTS ratings_rated_at ON ratings (rated_at);

CREATE TABLE IF NOT EXISTS settings (
    name  TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
