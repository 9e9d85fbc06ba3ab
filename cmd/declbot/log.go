package main

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"log/slog"
	"os"
	"strings"

	"github.com/mattn/go-isatty"
)

// Log keys with a privacy rule: user ids are hashed, question text is
// dropped unless log.questions is true. The Discord adapter logs under
// these keys.
const (
	logUser     = "user"
	logQuestion = "question"
)

// newLogger logs to w at log.level, as text when log.format says so (or,
// with auto, when w is a terminal) and as JSON otherwise. Every line goes
// through a privacy filter: the secrets given are replaced by
// "[redacted]" wherever they appear (see redactSecret), user ids are
// replaced by the first 12 hex digits of a salted SHA-256 (salt random
// per process, so ids cannot be matched across restarts or against a
// table of known ids), and question text is dropped unless c.Questions.
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
	salt := make([]byte, 16)
	rand.Read(salt)
	var keep []string
	for _, s := range secrets {
		if strings.TrimSpace(s) != "" {
			keep = append(keep, s)
		}
	}
	return slog.New(&privacyHandler{next: h, secrets: keep, salt: salt, questions: c.Questions})
}

// isTerminal reports whether w is a terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && (isatty.IsTerminal(f.Fd()) || isatty.IsCygwinTerminal(f.Fd()))
}

// privacyHandler is the filter newLogger describes, in front of the
// handler that writes.
type privacyHandler struct {
	next      slog.Handler
	secrets   []string
	salt      []byte
	questions bool
}

func (h *privacyHandler) Enabled(ctx context.Context, l slog.Level) bool {
	return h.next.Enabled(ctx, l)
}

func (h *privacyHandler) Handle(ctx context.Context, r slog.Record) error {
	out := slog.NewRecord(r.Time, r.Level, h.redact(r.Message), r.PC)
	r.Attrs(func(a slog.Attr) bool {
		if a, ok := h.filter(a); ok {
			out.AddAttrs(a)
		}
		return true
	})
	return h.next.Handle(ctx, out)
}

func (h *privacyHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	var kept []slog.Attr
	for _, a := range attrs {
		if a, ok := h.filter(a); ok {
			kept = append(kept, a)
		}
	}
	c := *h
	c.next = h.next.WithAttrs(kept)
	return &c
}

func (h *privacyHandler) WithGroup(name string) slog.Handler {
	c := *h
	c.next = h.next.WithGroup(name)
	return &c
}

// filter applies the rules to one attribute; false drops it.
func (h *privacyHandler) filter(a slog.Attr) (slog.Attr, bool) {
	v := a.Value.Resolve()
	switch a.Key {
	case logUser:
		if s := v.String(); s != "" {
			return slog.String(a.Key, h.hashUser(s)), true
		}
		return a, true
	case logQuestion:
		if !h.questions {
			return slog.Attr{}, false
		}
	}
	switch v.Kind() {
	case slog.KindString:
		return slog.String(a.Key, h.redact(v.String())), true
	case slog.KindGroup:
		var out []any
		for _, g := range v.Group() {
			if g, ok := h.filter(g); ok {
				out = append(out, g)
			}
		}
		return slog.Group(a.Key, out...), true
	case slog.KindAny:
		// Errors and anything else printable may quote a secret (a server
		// echoing a request, a URL with a key in it).
		if err, ok := v.Any().(error); ok {
			return slog.String(a.Key, h.redact(err.Error())), true
		}
		return slog.String(a.Key, h.redact(v.String())), true
	}
	return slog.Attr{Key: a.Key, Value: v}, true
}

func (h *privacyHandler) redact(s string) string {
	for _, secret := range h.secrets {
		if strings.Contains(s, secret) {
			s = redactSecret(s, secret)
		}
	}
	return s
}

// shortSecret is the length under which a secret is replaced only where
// it stands as a word of its own. Real tokens and keys are far longer; a
// short one (a local server's "sk-1") replaced inside words would mangle
// the log ("index" with a key "x") and show where its letters occur.
const shortSecret = 8

// redactSecret replaces secret in s by "[redacted]": everywhere, or for a
// short secret only where neither neighbour is a letter, digit, '-' or '_'.
func redactSecret(s, secret string) string {
	if len(secret) >= shortSecret {
		return strings.ReplaceAll(s, secret, "[redacted]")
	}
	word := func(b byte) bool {
		return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9' || b == '-' || b == '_' || b >= 0x80
	}
	var out strings.Builder
	done := 0 // s[:done] is written
	for from := 0; ; {
		i := strings.Index(s[from:], secret)
		if i < 0 {
			out.WriteString(s[done:])
			return out.String()
		}
		i += from
		end := i + len(secret)
		from = i + 1
		if (i > 0 && word(s[i-1])) || (end < len(s) && word(s[end])) {
			continue
		}
		out.WriteString(s[done:i])
		out.WriteString("[redacted]")
		done, from = end, end
	}
}

// hashUser returns the first 12 hex digits of SHA-256(salt, id): enough to
// follow one user through the log, not to recover the id.
func (h *privacyHandler) hashUser(id string) string {
	sum := sha256.New()
	sum.Write(h.salt)
	sum.Write([]byte(id))
	return hex.EncodeToString(sum.Sum(nil))[:12]
}
