package main

import (
	"io"
	"log/slog"
	"os"

	"github.com/mattn/go-isatty"

	"github.com/declbot/declbot/bot/logging"
)

// newLogger logs to w at log.level, as text when log.format says so (or,
// with auto, when w is a terminal) and as JSON otherwise. Every line goes
// through logging's privacy filter: the secrets given are redacted, user
// ids hashed, and question text dropped unless c.Questions.
func newLogger(w io.Writer, c LogConfig, secrets ...string) *slog.Logger {
	var level slog.Level
	if err := level.UnmarshalText([]byte(c.Level)); err != nil {
		level = slog.LevelInfo
	}
	opts := &slog.HandlerOptions{Level: level}
	var h slog.Handler
	if c.Format == "text" || (c.Format != "json" && isTerminal(w)) {
		h = slog.NewTextHandler(w, opts)
	} else {
		h = slog.NewJSONHandler(w, opts)
	}
	return slog.New(logging.NewHandler(h, logging.Privacy{Secrets: secrets, HashUsers: true, DropQuestions: !c.Questions}))
}

// isTerminal reports whether w is a terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && (isatty.IsTerminal(f.Fd()) || isatty.IsCygwinTerminal(f.Fd()))
}
