package main

import (
	"bytes"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/declbot/declbot/bot/discord/discordtest"
)

// TestServeRegistrationRefused checks that serve keeps answering mentions
// when the slash commands are refused, and that /readyz and the metrics
// say what is missing.
func TestServeRegistrationRefused(t *testing.T) {
	srv := discordtest.New(t, discordtest.Options{Token: serveToken})
	forbidden := discordtest.Response{Status: http.StatusForbidden, Body: `{"message":"Missing Access","code":50001}`}
	srv.Script(http.MethodPut, "applications/*/guilds/*/commands", forbidden)
	s := startServe(t, srv, serveConfig(srv, ""), nil)
	var code int
	var body string
	waitFor(t, 10*time.Second, func() string { return fmt.Sprint(code, body) }, func() bool {
		code, body = s.get(t, "/readyz")
		return strings.Contains(body, "slash commands not registered")
	})
	if code != http.StatusServiceUnavailable || !strings.Contains(body, "Missing Access") || !strings.Contains(body, "mentions and DMs are answered") {
		t.Errorf("/readyz: %d %q", code, body)
	}
	if got := s.metric(t, "declbot_slash_commands_registered"); got != "0" {
		t.Errorf("declbot_slash_commands_registered = %s, want 0", got)
	}
	srv.SendMessage(asker(1), "<@"+srv.BotUserID+"> What does the declaration say about critical minerals?", srv.BotUserID)
	msg := srv.MustWait(t, 10*time.Second, 1, discordtest.ChannelMessages)[0]
	if !strings.Contains(string(msg.Body), "¶") {
		t.Errorf("mention answered with %s", msg)
	}
}

// TestServeWarnsOnOpenListener checks that a listener on every interface
// is logged as a warning, and one on loopback is not.
func TestServeWarnsOnOpenListener(t *testing.T) {
	for _, tt := range []struct {
		listen string
		warn   bool
	}{
		{":0", true},
		{"0.0.0.0:0", true},
		{"127.0.0.1:0", false},
	} {
		t.Run(tt.listen, func(t *testing.T) {
			srv := discordtest.New(t, discordtest.Options{Token: serveToken})
			cfg := serveConfig(srv, "")
			if tt.listen != "127.0.0.1:0" {
				cfg = strings.Replace(cfg, "listen: 127.0.0.1:0", "listen: \""+tt.listen+"\"", 1)
			}
			s := startServe(t, srv, cfg, nil)
			warned := strings.Contains(s.stderr.String(), "server.listen is not a loopback address")
			if warned != tt.warn {
				t.Errorf("listen %s: warned %v, want %v; stderr:\n%s", tt.listen, warned, tt.warn, s.stderr)
			}
		})
	}
}

// bigSource writes a Markdown source of n paragraphs, slow enough to
// index that signals can be sent while serve loads it.
func bigSource(t *testing.T, dir string, n int) string {
	t.Helper()
	var b strings.Builder
	b.WriteString("---\ndocument: big\ntitle: Big\nlanguage: en\nkind: other\n---\n")
	words := strings.Fields("leaders cooperation water energy transport minerals climate trade investment digital health education culture tourism agriculture railway")
	for c := 1; c <= n/50; c++ {
		fmt.Fprintf(&b, "\n## %d. Chapter %d\n", c, c)
		for p := 1; p <= 50; p++ {
			fmt.Fprintf(&b, "\n[%d.%d]", c, p)
			for w := range 40 {
				b.WriteString(" " + words[(c*7+p*3+w*w)%len(words)])
			}
			b.WriteString(".\n")
		}
	}
	path := filepath.Join(dir, "big.md")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestSIGHUPAtStart signals SIGHUP the moment each command's process
// exists (exec done, Go still initialising its packages): the command
// runs to its normal end instead of dying by the signal's default action,
// which systemd would count as a clean exit.
func TestSIGHUPAtStart(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	dir := t.TempDir()
	bin := buildDeclbot(t, dir)
	for _, args := range [][]string{
		{"about"},
		{"ask", "critical minerals"},
		{"config", "check", "--config", "/dev/null"},
	} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			for i := 0; i < 10; i++ {
				cmd := exec.Command(bin, args...)
				cmd.Dir = dir
				if err := cmd.Start(); err != nil {
					t.Fatal(err)
				}
				cmd.Process.Signal(syscall.SIGHUP)
				if err := cmd.Wait(); err != nil {
					t.Fatalf("run %d: %v after SIGHUP at start, want exit 0", i, err)
				}
			}
		})
	}
}

// TestServeSignalsWhileLoading runs serve as a process and signals it
// while it builds its index: a SIGHUP is kept and acted on once the bot
// runs (it used to end the process, silently), and a SIGTERM or SIGINT
// ends it as the stop it is: exit 0, nothing said as an error.
func TestServeSignalsWhileLoading(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	dir := t.TempDir()
	bin := buildDeclbot(t, dir)
	src := bigSource(t, dir, 20000)
	for _, tt := range []struct {
		name   string
		signal syscall.Signal
	}{
		{"SIGHUP kept", syscall.SIGHUP},
		{"SIGTERM ends the load", syscall.SIGTERM},
		{"SIGINT ends the load", syscall.SIGINT},
	} {
		t.Run(tt.name, func(t *testing.T) {
			srv := discordtest.New(t, discordtest.Options{Token: serveToken})
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			addr := ln.Addr().String()
			ln.Close()
			cfg := strings.Replace(serveConfig(srv, "corpus:\n  sources: ["+src+"]\nlog:\n  format: json\n"), "listen: 127.0.0.1:0", "listen: "+addr, 1)
			cfgPath := filepath.Join(t.TempDir(), "config.yaml")
			if err := os.WriteFile(cfgPath, []byte(cfg), 0o600); err != nil {
				t.Fatal(err)
			}
			stderr := &lockedBuffer{}
			cmd := exec.Command(bin, "serve", "--config", cfgPath)
			cmd.Dir = t.TempDir()
			cmd.Env = append(os.Environ(), tokenEnv+"="+serveToken)
			cmd.Stderr = stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			exited := make(chan error, 1)
			go func() { exited <- cmd.Wait() }()
			defer func() {
				cmd.Process.Signal(syscall.SIGTERM)
				select {
				case <-exited:
				case <-time.After(30 * time.Second):
					cmd.Process.Kill()
				}
			}()
			// The health listener is up before the index is loaded.
			waitFor(t, 30*time.Second, stderr.String, func() bool {
				resp, err := http.Get("http://" + addr + "/healthz")
				if err == nil {
					resp.Body.Close()
				}
				return err == nil
			})
			if strings.Contains(stderr.String(), `"index ready"`) {
				t.Fatalf("the index was ready before the signal; the test needs a slower load:\n%s", stderr)
			}
			cmd.Process.Signal(tt.signal)
			switch tt.signal {
			case syscall.SIGHUP:
				srv.MustWait(t, 60*time.Second, 1, discordtest.CommandOverwrites)
				waitFor(t, 60*time.Second, stderr.String, func() bool { return strings.Contains(stderr.String(), `"msg":"reindexed"`) })
				select {
				case err := <-exited:
					exited <- err
					t.Fatalf("serve exited after SIGHUP: %v\n%s", err, stderr)
				default:
				}
			default:
				select {
				case err := <-exited:
					exited <- err
					if len(srv.Calls(discordtest.CommandOverwrites)) != 0 {
						t.Errorf("serve connected after %v during the load", tt.signal)
					}
					if err != nil {
						t.Errorf("serve ended by %v during the load: %v, want exit 0", tt.signal, err)
					}
					log := stderr.String()
					if !strings.Contains(log, `"msg":"stopped while loading"`) || strings.Contains(log, `"level":"ERROR"`) || strings.Contains(log, "\ndeclbot: ") {
						t.Errorf("serve's log after %v during the load, want \"stopped while loading\" and no error:\n%s", tt.signal, log)
					}
				case <-time.After(60 * time.Second):
					t.Fatalf("serve still running 60 s after %v during the load:\n%s", tt.signal, stderr)
				}
			}
		})
	}
}

// TestIndexSignalled interrupts `declbot index` as a process while it
// embeds: it says the index was not changed, leaves the file as it was,
// and exits with the status a shell gives the signal.
func TestIndexSignalled(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	dir := t.TempDir()
	bin := buildDeclbot(t, dir)
	src := bigSource(t, dir, 20000)
	work := t.TempDir()
	if out, err := exec.Command(bin, "index", "--index", filepath.Join(work, "declbot.index")).CombinedOutput(); err != nil {
		t.Fatalf("index: %v\n%s", err, out)
	}
	before, _ := os.ReadDir(work)
	data, _ := os.ReadFile(filepath.Join(work, "declbot.index"))
	for _, tt := range []struct {
		signal syscall.Signal
		status int
	}{
		{syscall.SIGINT, 130},
		{syscall.SIGTERM, 143},
	} {
		t.Run(tt.signal.String(), func(t *testing.T) {
			var stdout, stderr lockedBuffer
			cmd := exec.Command(bin, "index", "--source", src, "--index", filepath.Join(work, "declbot.index"))
			cmd.Dir, cmd.Stdout, cmd.Stderr = work, &stdout, &stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			time.Sleep(300 * time.Millisecond) // main takes the signals within a millisecond
			cmd.Process.Signal(tt.signal)
			err := cmd.Wait()
			if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != tt.status {
				t.Fatalf("index after %v: %v, want exit status %d; stdout %q, stderr %q", tt.signal, err, tt.status, stdout.String(), stderr.String())
			}
			if got := stderr.String(); got != "declbot: interrupted: the index was not changed\n" {
				t.Errorf("stderr %q, want the one line saying the index was not changed", got)
			}
			after, _ := os.ReadDir(work)
			now, _ := os.ReadFile(filepath.Join(work, "declbot.index"))
			if !bytes.Equal(now, data) || len(after) != len(before) {
				t.Errorf("the folder holds %d files, %d before; the index file changed: %v", len(after), len(before), !bytes.Equal(now, data))
			}
		})
	}
}

// TestSecondSignalEndsStuckCommand runs a command stuck where the
// context does not reach, reading a configuration from a FIFO that is
// open for writing but never written to: the first SIGINT or SIGTERM
// cancels the context and changes nothing, the second ends the process,
// saying interrupted, with the signal's status (before, it ran on until
// SIGKILL).
func TestSecondSignalEndsStuckCommand(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	dir := t.TempDir()
	bin := buildDeclbot(t, dir)
	for _, tt := range []struct {
		sig  syscall.Signal
		want int
	}{{syscall.SIGINT, 130}, {syscall.SIGTERM, 143}} {
		t.Run(tt.sig.String(), func(t *testing.T) {
			fifo := filepath.Join(t.TempDir(), "config.yaml")
			if err := syscall.Mkfifo(fifo, 0o600); err != nil {
				t.Fatal(err)
			}
			var errb bytes.Buffer
			cmd := exec.Command(bin, "--config", fifo, "about")
			cmd.Dir, cmd.Stderr = dir, &errb
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			// Opening the writing end returns once declbot has opened the
			// reading end, long after main installed its handlers.
			w, err := os.OpenFile(fifo, os.O_WRONLY, 0)
			if err != nil {
				cmd.Process.Kill()
				t.Fatal(err)
			}
			defer w.Close()
			done := make(chan error, 1)
			go func() { done <- cmd.Wait() }()
			// Signals a tenth of a second apart, as keys are pressed: two
			// at once may reach the program as one.
			tick := time.NewTicker(100 * time.Millisecond)
			defer tick.Stop()
			cmd.Process.Signal(tt.sig)
		wait:
			for n := 1; ; n++ {
				select {
				case <-done:
					break wait
				case <-tick.C:
					if n == 100 {
						cmd.Process.Kill()
						<-done
						t.Fatalf("still running after %d %v", n, tt.sig)
					}
					cmd.Process.Signal(tt.sig)
				}
			}
			if st := cmd.ProcessState; !st.Exited() || st.ExitCode() != tt.want || strings.TrimSpace(errb.String()) != "declbot: interrupted" {
				t.Errorf("%v, stderr %q; want exit %d and declbot: interrupted", st, errb.String(), tt.want)
			}
		})
	}
}
