package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/declbot/declbot/bot/discord/discordtest"
)

const serveToken = "MTEwMDAwMDAwMDAwMDAwMDAwMg.serve-test-token"

// lockedBuffer is a bytes.Buffer safe for the bot's concurrent logging.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// TestServeEndToEnd runs `declbot serve` in-process, as main does, against
// the fake Discord: the real configuration loading, index, bot and adapter.
func TestServeEndToEnd(t *testing.T) {
	srv := discordtest.New(t, discordtest.Options{Token: serveToken})
	dir := t.TempDir()
	cfgPath := filepath.Join(dir, "config.yaml")
	cfg := "discord:\n" +
		"  token: not-this-one\n" + // the environment wins
		"  api_url: " + srv.URL() + "\n" +
		"  guild_ids: [\"3000000000000000001\"]\n" +
		"  shutdown_timeout: 5s\n" +
		"log:\n  level: debug\n" +
		"insights:\n  path: " + filepath.Join(dir, "declbot.insights") + "\n"
	if err := os.WriteFile(cfgPath, []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	env := func(k string) string {
		if k == tokenEnv {
			return serveToken
		}
		return ""
	}
	var stdout, stderr lockedBuffer
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	exit := make(chan int, 1)
	go func() {
		exit <- NewApp(strings.NewReader(""), &stdout, &stderr, env).Run(ctx, []string{"serve", "--config", cfgPath})
	}()
	wait := func(n int, match func(discordtest.Call) bool) []discordtest.Call {
		t.Helper()
		wctx, wcancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer wcancel()
		got, err := srv.Wait(wctx, n, match)
		if err != nil {
			t.Fatalf("%v\nstderr:\n%s", err, stderr.String())
		}
		return got
	}
	put := wait(1, discordtest.CommandOverwrites)[0]
	if put.Path != "applications/"+srv.AppID+"/guilds/3000000000000000001/commands" {
		t.Errorf("commands registered at %s", put.Path)
	}
	if put.Auth != "Bot "+serveToken {
		t.Errorf("REST authorised with %q, want the token from %s", put.Auth, tokenEnv)
	}

	user := discordtest.Invoker{UserID: "2000000000000000001", GuildID: "3000000000000000001", ChannelID: "4000000000000000001"}
	sent := srv.SendCommand(user, "ask", discordtest.String("question", "What does the declaration say about critical minerals?"))
	mine := discordtest.ForInteraction(sent.Token)
	edit := wait(1, discordtest.And(mine, discordtest.OriginalEdits))[0]
	if cbs := srv.Calls(discordtest.And(mine, discordtest.Callbacks)); len(cbs) != 1 || !strings.HasPrefix(string(cbs[0].Body), `{"type":5`) {
		t.Errorf("want one deferral before the edit, got %v", cbs)
	}
	var m struct {
		Embeds []struct{ Title, Description string } `json:"embeds"`
	}
	if err := json.Unmarshal(edit.Body, &m); err != nil {
		t.Fatal(err)
	}
	if len(m.Embeds) == 0 || m.Embeds[0].Title != `Ch. 4 "Green Transition and Resilience", ¶4.2` {
		t.Errorf("answer %s, want ¶4.2 cited first", edit)
	}

	srv.SendMessage(user, "<@"+srv.BotUserID+"> Que dit la déclaration sur l'Afghanistan ?", srv.BotUserID)
	wait(1, discordtest.ThreadStarts)
	msg := wait(1, discordtest.ChannelMessages)[0]
	if !strings.Contains(string(msg.Body), "Chap. 7 «\u00a0Coopération sur les questions régionales\u00a0», ¶7.1") {
		t.Errorf("French mention answered with %s, want ¶7.1 in French", msg)
	}

	running := len(stderr.String())
	cancel()
	select {
	case code := <-exit:
		if code != 0 {
			t.Errorf("serve exited %d, want 0; stderr:\n%s", code, stderr.String())
		}
	case <-time.After(30 * time.Second):
		t.Fatal("serve did not return after cancel")
	}
	// A requested stop is no fault: the gateway closing is not warned of.
	for _, line := range strings.Split(stderr.String()[running:], "\n") {
		if strings.Contains(line, `"level":"ERROR"`) || strings.Contains(line, `"level":"WARN"`) {
			t.Errorf("logged while stopping: %s", line)
		}
	}
	if strings.Contains(stderr.String(), serveToken) || strings.Contains(stdout.String(), serveToken) {
		t.Errorf("the token was printed")
	}
	if !strings.Contains(stderr.String(), "slash commands registered") {
		t.Errorf("stderr lacks the bot's log:\n%s", stderr.String())
	}
}

func TestServeWithoutToken(t *testing.T) {
	code, stdout, stderr := run(t, "serve")
	if code != 2 {
		t.Errorf("exit %d, want 2", code)
	}
	if stdout != "" || strings.Count(stderr, "\n") != 1 || !strings.Contains(stderr, tokenEnv) {
		t.Errorf("want one line naming %s on stderr; got stdout %q, stderr %q", tokenEnv, stdout, stderr)
	}
}

// TestServeRefusedByDiscord checks that Discord refusing the bot's
// configuration at start exits 2, which the systemd unit does not restart
// on, with one line saying what to check.
func TestServeRefusedByDiscord(t *testing.T) {
	unauthorized := discordtest.Response{Status: http.StatusUnauthorized, Body: `{"message":"401: Unauthorized","code":0}`}
	for _, tt := range []struct {
		name  string
		token string // the fake's
		fault func(*discordtest.Server)
		want  string
	}{
		{"wrong token", "another-token", nil, "declbot: Discord closed the gateway connection with code 4004 (authentication failed: check the bot token): not reconnecting\n"},
		{"REST 401", serveToken, func(s *discordtest.Server) { s.Script(http.MethodGet, "gateway", unauthorized) }, "declbot: Discord answered 401 Unauthorized (authentication failed: check the bot token): not reconnecting\n"},
		{"sharding required", serveToken, func(s *discordtest.Server) { s.CloseSessions(4011) }, "declbot: Discord closed the gateway connection with code 4011 (sharding required: set discord.shard_count): not reconnecting\n"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			srv := discordtest.New(t, discordtest.Options{Token: tt.token})
			if tt.fault != nil {
				tt.fault(srv)
			}
			dir := t.TempDir()
			cfg := filepath.Join(dir, "config.yaml")
			os.WriteFile(cfg, []byte(serveConfig(srv, "insights:\n  path: "+filepath.Join(dir, "declbot.insights")+"\n")), 0o600)
			var stderr lockedBuffer
			env := func(k string) string {
				if k == tokenEnv {
					return serveToken
				}
				return ""
			}
			ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
			defer cancel()
			code := NewApp(strings.NewReader(""), io.Discard, &stderr, env).Run(ctx, []string{"serve", "--config", cfg})
			if code != 2 || !strings.Contains(stderr.String(), tt.want) {
				t.Errorf("exit %d, want 2 and the line %q; stderr:\n%s", code, tt.want, stderr.String())
			}
			if n := srv.Stats().Connections; n > 1 {
				t.Errorf("%d gateway connections, want no retry", n)
			}
		})
	}
}
