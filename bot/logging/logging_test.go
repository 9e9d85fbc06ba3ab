package logging

import (
	"bytes"
	"encoding/json"
	"errors"
	"log/slog"
	"regexp"
	"strings"
	"testing"
)

func TestRedact(t *testing.T) {
	tests := []struct {
		name, s, secret, want string
	}{
		{"long", "key sk-test-0123456789 rejected", "sk-test-0123456789", "key [redacted] rejected"},
		{"long inside a word", "tokenABCDEFGHIJ", "ABCDEFGHIJ", "token[redacted]"},
		{"short inside a word", "index ready", "x", "index ready"},
		{"short as words", "key=x, x; (x)", "x", "key=[redacted], [redacted]; ([redacted])"},
		{"short alone", "x", "x", "[redacted]"},
		{"short joined", "xx x-x x_ x", "x", "xx x-x x_ [redacted]"},
		{"short before newline", "Bearer sk-1\n", "sk-1", "Bearer [redacted]\n"},
		{"short before non-ASCII", "sk-10 sk-1é", "sk-1", "sk-10 sk-1é"},
		{"blank secret", "a b", " ", "a b"},
		{"empty secret", "a b", "", "a b"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Redact(tt.s, tt.secret); got != tt.want {
				t.Errorf("Redact(%q, %q) = %q, want %q", tt.s, tt.secret, got, tt.want)
			}
		})
	}
}

// FuzzRedact checks a redacted line never shows a long secret, a short
// one never as a word of its own, and that a line is changed only by
// redacting.
func FuzzRedact(f *testing.F) {
	f.Add("key sk-test-0123456789 rejected", "sk-test-0123456789")
	f.Add("index ready key=x", "x")
	f.Add("aaaa", "aa")
	f.Add("Bearer sk-1\n", "sk-1")
	f.Fuzz(func(t *testing.T, s, secret string) {
		if strings.TrimSpace(secret) == "" || strings.Contains(secret, Marker) || strings.Contains(Marker, secret) {
			t.Skip()
		}
		got := Redact(s, secret)
		if len(secret) >= shortSecret && strings.Contains(got, secret) {
			t.Fatalf("Redact(%q, %q) = %q still shows it", s, secret, got)
		}
		if got == s {
			return
		}
		if !strings.Contains(got, Marker) {
			t.Fatalf("Redact(%q, %q) = %q changed the line without redacting", s, secret, got)
		}
		// Putting the secret back where the marker stands gives the line.
		if back := strings.ReplaceAll(got, Marker, secret); strings.Count(s, Marker) == 0 && back != s {
			t.Fatalf("Redact(%q, %q) = %q changed more than the secret", s, secret, got)
		}
	})
}

var hash12 = regexp.MustCompile(`^[0-9a-f]{12}$`)

func TestHandler(t *testing.T) {
	const (
		token    = "s3cr3t-token-value"
		key      = "sk-1"
		userID   = "2000000000000000042"
		question = "What about water?"
	)
	tests := []struct {
		name              string
		p                 Privacy
		hashed, questions bool
	}{
		{"redaction only", Privacy{Secrets: []string{token, key, ""}}, false, true},
		{"all rules", Privacy{Secrets: []string{token, key}, HashUsers: true, DropQuestions: true}, true, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			log := slog.New(NewHandler(slog.NewJSONHandler(&buf, nil), tt.p))
			log.With("a", "x "+token, UserKey, userID).WithGroup("g").Info("msg "+token+" and "+key,
				"err", errors.New("e "+token), "n", 3, "list", []string{key},
				slog.Group("grp", "k", token, UserKey, userID, QuestionKey, question), QuestionKey, question)
			out := buf.String()
			if strings.Contains(out, token) || strings.Contains(out, key+`"`) || strings.Contains(out, key+" ") {
				t.Errorf("a secret is logged:\n%s", out)
			}
			if strings.Contains(out, userID) == tt.hashed {
				t.Errorf("user id shown: %v, want %v:\n%s", strings.Contains(out, userID), !tt.hashed, out)
			}
			if strings.Contains(out, question) != tt.questions {
				t.Errorf("question shown: %v, want %v:\n%s", !tt.questions, tt.questions, out)
			}
			var m map[string]any
			if err := json.Unmarshal(buf.Bytes(), &m); err != nil {
				t.Fatal(err)
			}
			if tt.hashed {
				grp, _ := m["g"].(map[string]any)["grp"].(map[string]any)
				if u, _ := m[UserKey].(string); !hash12.MatchString(u) || grp[UserKey] != u {
					t.Errorf("user logged as %q and %q, want the same 12 hex digits", u, grp[UserKey])
				}
			}
		})
	}
	// Another handler, another salt: the same id hashes differently.
	var a, b bytes.Buffer
	slog.New(NewHandler(slog.NewJSONHandler(&a, nil), Privacy{HashUsers: true})).Info("x", UserKey, userID)
	slog.New(NewHandler(slog.NewJSONHandler(&b, nil), Privacy{HashUsers: true})).Info("x", UserKey, userID)
	if a.String() == b.String() {
		t.Errorf("two handlers hash the same user alike: %s", a.String())
	}
}
