// Package logging is the one privacy filter every log line of declbot
// passes through, whoever writes it: secrets (the bot token, the model's
// API key) replaced by "[redacted]", user ids hashed, question text
// dropped unless the operator asked for it. The program wraps its handler
// with NewHandler once; an adapter that is handed a logger may wrap it
// again with its own secret, and Redact serves for text that leaves by
// another road than the log (an error shown to a user).
package logging

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"log/slog"
	"strings"
)

// Keys with a privacy rule. Whoever logs a user id or a question's text
// logs it under these.
const (
	UserKey     = "user"
	QuestionKey = "question"
)

// Marker replaces a secret.
const Marker = "[redacted]"

// Privacy says what NewHandler does to each record. The zero value
// redacts nothing; each field adds a rule.
type Privacy struct {
	// Secrets are replaced by Marker in the message and in every
	// attribute (see Redact). Empty and blank ones are ignored.
	Secrets []string
	// HashUsers replaces the value of UserKey by the first 12 hex digits
	// of a salted SHA-256, the salt random per handler: enough to follow
	// one user through a log, not to recover the id or match it across
	// restarts or against a table of known ids.
	HashUsers bool
	// DropQuestions removes QuestionKey attributes.
	DropQuestions bool
}

// NewHandler returns a handler that applies p to every record and hands
// it to next.
func NewHandler(next slog.Handler, p Privacy) slog.Handler {
	h := &handler{next: next, hashUsers: p.HashUsers, dropQuestions: p.DropQuestions}
	for _, s := range p.Secrets {
		if strings.TrimSpace(s) != "" {
			h.secrets = append(h.secrets, s)
		}
	}
	if p.HashUsers {
		h.salt = make([]byte, 16)
		rand.Read(h.salt)
	}
	return h
}

type handler struct {
	next          slog.Handler
	secrets       []string
	salt          []byte
	hashUsers     bool
	dropQuestions bool
}

func (h *handler) Enabled(ctx context.Context, l slog.Level) bool {
	return h.next.Enabled(ctx, l)
}

func (h *handler) Handle(ctx context.Context, r slog.Record) error {
	out := slog.NewRecord(r.Time, r.Level, Redact(r.Message, h.secrets...), r.PC)
	r.Attrs(func(a slog.Attr) bool {
		if a, ok := h.filter(a); ok {
			out.AddAttrs(a)
		}
		return true
	})
	return h.next.Handle(ctx, out)
}

func (h *handler) WithAttrs(attrs []slog.Attr) slog.Handler {
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

func (h *handler) WithGroup(name string) slog.Handler {
	c := *h
	c.next = h.next.WithGroup(name)
	return &c
}

// filter applies the rules to one attribute; false drops it.
func (h *handler) filter(a slog.Attr) (slog.Attr, bool) {
	v := a.Value.Resolve()
	switch a.Key {
	case UserKey:
		if s := v.String(); s != "" && h.hashUsers {
			return slog.String(a.Key, h.hashUser(s)), true
		}
	case QuestionKey:
		if h.dropQuestions {
			return slog.Attr{}, false
		}
	}
	switch v.Kind() {
	case slog.KindString:
		return slog.String(a.Key, Redact(v.String(), h.secrets...)), true
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
			return slog.String(a.Key, Redact(err.Error(), h.secrets...)), true
		}
		return slog.String(a.Key, Redact(v.String(), h.secrets...)), true
	}
	return slog.Attr{Key: a.Key, Value: v}, true
}

// hashUser returns the first 12 hex digits of SHA-256(salt, id).
func (h *handler) hashUser(id string) string {
	sum := sha256.New()
	sum.Write(h.salt)
	sum.Write([]byte(id))
	return hex.EncodeToString(sum.Sum(nil))[:12]
}

// shortSecret is the length under which a secret is replaced only where
// it stands as a word of its own. Real tokens and keys are far longer; a
// short one (a local server's "sk-1") replaced inside words would mangle
// the log ("index" with a key "x") and show where its letters occur.
const shortSecret = 8

// Redact returns s with each secret replaced by Marker: everywhere, or
// for a secret shorter than 8 bytes only where neither neighbour is a
// letter, digit, '-', '_' or a non-ASCII byte. Empty and blank secrets
// are ignored.
func Redact(s string, secrets ...string) string {
	for _, secret := range secrets {
		if strings.TrimSpace(secret) != "" && strings.Contains(s, secret) {
			s = redactOne(s, secret)
		}
	}
	return s
}

func redactOne(s, secret string) string {
	if len(secret) >= shortSecret {
		return strings.ReplaceAll(s, secret, Marker)
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
		out.WriteString(Marker)
		done, from = end, end
	}
}
