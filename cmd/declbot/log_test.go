package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/declbot/declbot/bot/discord/discordtest"
	"github.com/declbot/declbot/bot/llm/openaitest"
	"github.com/declbot/declbot/bot/logging"
)

const (
	testKey  = "sk-test-0123456789abcdef"
	userID   = "2000000000000000042"
	question = "What does the declaration say about critical minerals?"
)

var hash12 = regexp.MustCompile(`^[0-9a-f]{12}$`)

func TestNewLoggerFormat(t *testing.T) {
	tests := []struct {
		format   string
		wantJSON bool
	}{
		{"auto", true}, // a buffer is not a terminal
		{"json", true},
		{"text", false},
	}
	for _, tt := range tests {
		t.Run(tt.format, func(t *testing.T) {
			var buf bytes.Buffer
			newLogger(&buf, LogConfig{Level: "info", Format: tt.format}).Info("hello", "n", 1)
			if got := json.Valid(buf.Bytes()); got != tt.wantJSON {
				t.Errorf("log.format %s wrote %q, JSON %v, want %v", tt.format, buf.String(), got, tt.wantJSON)
			}
		})
	}
	var buf bytes.Buffer
	l := newLogger(&buf, LogConfig{Level: "warn", Format: "json"})
	l.Info("quiet")
	l.Debug("quieter")
	if buf.Len() != 0 {
		t.Errorf("log.level warn logged %q", buf.String())
	}
}

func TestNewLoggerPrivacy(t *testing.T) {
	for _, questions := range []bool{false, true} {
		t.Run(fmt.Sprintf("questions=%v", questions), func(t *testing.T) {
			var buf bytes.Buffer
			l := newLogger(&buf, LogConfig{Level: "debug", Format: "json", Questions: questions}, serveToken, testKey, "")
			l = l.With("component", "test "+testKey, logging.UserKey, userID)
			l.Info("token "+serveToken+" in the message",
				"err", errors.New("401: key "+testKey+" rejected"),
				"url", "https://x/?key="+testKey,
				slog.Group("g", logging.UserKey, userID, logging.QuestionKey, question, "s", testKey),
				logging.UserKey, userID,
				logging.QuestionKey, question,
				"any", []string{testKey},
			)
			out := buf.String()
			for _, secret := range []string{serveToken, testKey, userID} {
				if strings.Contains(out, secret) {
					t.Errorf("log shows %q:\n%s", secret, out)
				}
			}
			if got := strings.Contains(out, question); got != questions {
				t.Errorf("question text logged: %v, want %v:\n%s", got, questions, out)
			}
			var m map[string]any
			if err := json.Unmarshal(buf.Bytes(), &m); err != nil {
				t.Fatal(err)
			}
			h, _ := m[logging.UserKey].(string)
			inner, _ := m["g"].(map[string]any)
			if !hash12.MatchString(h) || inner[logging.UserKey] != h {
				t.Errorf("user logged as %q and %q, want the same 12 hex digits", h, inner[logging.UserKey])
			}
		})
	}
	// Another process, another salt: the same id hashes differently.
	var a, b bytes.Buffer
	newLogger(&a, LogConfig{Level: "info", Format: "json"}).Info("x", logging.UserKey, userID)
	newLogger(&b, LogConfig{Level: "info", Format: "json"}).Info("x", logging.UserKey, userID)
	if a.String() == b.String() {
		t.Errorf("two loggers hash the same user alike: %s", a.String())
	}
}

// TestServeLogs runs serve with a model server that echoes the API key
// in its error, and checks what reaches the log: no token, no key, no
// user id, and the question only when log.questions is true.
func TestServeLogs(t *testing.T) {
	for _, questions := range []bool{false, true} {
		t.Run(fmt.Sprintf("questions=%v", questions), func(t *testing.T) {
			model := openaitest.New(t)
			model.OnChat(func(openaitest.ChatRequest) openaitest.Reply {
				return openaitest.Reply{Status: 401, Content: "Incorrect API key provided: " + testKey}
			})
			srv := discordtest.New(t, discordtest.Options{Token: serveToken})
			config := serveConfig(srv, fmt.Sprintf("llm:\n  base_url: %s\n  model: m\n  api_key_env: TEST_KEY\n  timeout: 5s\n"+
				"log:\n  level: debug\n  questions: %v\n", model.URL(), questions))
			s := startServe(t, srv, config, map[string]string{"TEST_KEY": testKey})
			user := discordtest.Invoker{UserID: userID, GuildID: testGuild, ChannelID: testChannel}
			sent := srv.SendCommand(user, "ask", discordtest.String("question", question))
			srv.MustWait(t, 10*time.Second, 1, discordtest.And(discordtest.ForInteraction(sent.Token), discordtest.OriginalEdits))
			srv.SendMessage(user, "<@"+srv.BotUserID+"> "+question, srv.BotUserID)
			srv.MustWait(t, 10*time.Second, 1, discordtest.ChannelMessages)
			s.stop(t)

			out := s.stderr.String()
			for _, secret := range []string{serveToken, testKey, userID} {
				if strings.Contains(out, secret) {
					t.Errorf("log shows %q:\n%s", secret, out)
				}
			}
			if !strings.Contains(out, "[redacted]") {
				t.Errorf("the model's error quoting the key was not logged, redacted:\n%s", out)
			}
			lines := s.logLines("question")
			if len(lines) != 2 {
				t.Fatalf("%d question lines, want 2:\n%s", len(lines), out)
			}
			for _, l := range lines {
				u, _ := l[logging.UserKey].(string)
				q, logged := l[logging.QuestionKey]
				if !hash12.MatchString(u) || u != lines[0][logging.UserKey] {
					t.Errorf("user logged as %q", u)
				}
				if logged != questions || (logged && q != question) {
					t.Errorf("question logged as %q (%v) with log.questions %v", q, logged, questions)
				}
			}
		})
	}
}
