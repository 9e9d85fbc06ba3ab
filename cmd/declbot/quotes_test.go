package main

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/declbot/declbot/bot"
	"github.com/declbot/declbot/bot/discord/discordtest"
	"github.com/declbot/declbot/bot/llm/openaitest"
)

const mineralsQuestion = "What does the declaration say about critical minerals?"

func askJSON(t *testing.T, srv *openaitest.Server) (bot.Reply, string) {
	t.Helper()
	config := fmt.Sprintf("llm:\n  base_url: %s\n  model: test-model\n  timeout: 30s\n", srv.URL())
	code, out, errOut := runAsk(t, config, nil, "--json", mineralsQuestion)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var r bot.Reply
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("%v\n%.2000s", err, out)
	}
	return r, out
}

// TestAskVerbatimQuote is the positive control through the CLI: quoting a
// passage word for word in "…" or in 「…」 gives mode llm, and --json
// reports the claims checked.
func TestAskVerbatimQuote(t *testing.T) {
	for _, style := range [][2]string{{`"`, `"`}, {"「", "」"}} {
		t.Run(style[0]+style[1], func(t *testing.T) {
			srv := openaitest.New(t)
			srv.OnChat(openaitest.QuoteVerbatim(style[0], style[1], 6))
			r, out := askJSON(t, srv)
			if r.Mode != bot.ModeLLM || r.Verification == nil || *r.Verification != (bot.Verification{Citations: 1, Quotes: 1, Claims: 1}) {
				t.Errorf("mode %q, verification %+v\n%s", r.Mode, r.Verification, out)
			}
			if !strings.Contains(out, `"claims": 1`) || !strings.Contains(out, `"unsupported": 0`) {
				t.Errorf("no claims or unsupported in --json:\n%s", out)
			}
		})
	}
}

// TestAskInventions: what the issue found shown as a verified answer is
// not shown, and --json says why.
func TestAskInventions(t *testing.T) {
	for _, format := range openaitest.Inventions() {
		t.Run(format, func(t *testing.T) {
			srv := openaitest.New(t)
			srv.OnChat(openaitest.Invent(format))
			r, out := askJSON(t, srv)
			if r.Mode != bot.ModeExtractive || r.Verification == nil || r.Verification.Failed == 0 {
				t.Errorf("mode %q, verification %+v", r.Mode, r.Verification)
			}
			if strings.Contains(r.Answer, "troops") {
				t.Errorf("invention shown:\n%s", out)
			}
			if strings.HasSuffix(format, "✓") && r.Verification.Unsupported != 1 {
				t.Errorf("unsupported = %d, want 1", r.Verification.Unsupported)
			}
		})
	}
}

func TestAskHugeAnswer(t *testing.T) {
	srv := openaitest.New(t)
	srv.OnChat(openaitest.Huge(5 << 20))
	r, out := askJSON(t, srv)
	if r.Mode != bot.ModeExtractive || len(r.Notes) == 0 || !strings.Contains(r.Notes[0], "too long") {
		t.Errorf("mode %q, notes %q", r.Mode, r.Notes)
	}
	if len(out) > 20000 {
		t.Errorf("--json printed %d bytes", len(out))
	}
}

// TestServeHugeAnswer: a model sending 5 MB for one question, by /ask
// (streamed) and by DM, gets the same number of Discord messages as the
// extractive reply, with a note; the streamed previews stay within one
// message.
func TestServeHugeAnswer(t *testing.T) {
	messages := func(model func(openaitest.ChatRequest) openaitest.Reply) (slash, dm []discordtest.Call) {
		srv, tok := askBoth(t, model, "¶4.2")
		for _, c := range srv.Calls(nil) {
			switch {
			case discordtest.ForInteraction(tok)(c) && (discordtest.OriginalEdits(c) || discordtest.Followups(c)):
				slash = append(slash, c)
			case discordtest.ChannelMessages(c):
				dm = append(dm, c)
			}
		}
		return slash, dm
	}
	hugeSlash, hugeDM := messages(openaitest.Huge(5 << 20))
	down := func(openaitest.ChatRequest) openaitest.Reply { return openaitest.Reply{Status: 400} }
	baseSlash, baseDM := messages(down)
	finals := func(cs []discordtest.Call) (n int) {
		for _, c := range cs {
			if strings.Contains(string(c.Body), "¶4.2") || discordtest.Followups(c) || discordtest.ChannelMessages(c) {
				n++
			}
		}
		return n
	}
	if finals(hugeSlash) != finals(baseSlash) || len(hugeDM) != len(baseDM) {
		t.Errorf("5 MB answer: %d slash messages, %d DMs; extractive: %d, %d", finals(hugeSlash), len(hugeDM), finals(baseSlash), len(baseDM))
	}
	for _, c := range append(hugeSlash, hugeDM...) {
		if len(c.Body) > 20000 {
			t.Errorf("%s: %d bytes", c, len(c.Body))
		}
	}
	// The longest written answer shown (bot.MaxWritten characters with
	// the citation of its passage) takes at most one message more.
	longest := openaitest.Invent(strings.Repeat("Critical minerals are a matter of economic security [%[1]s]. ", 64))
	longSlash, longDM := messages(longest)
	if finals(longSlash) > finals(baseSlash)+1 || len(longDM) > len(baseDM)+1 || !strings.Contains(string(longDM[len(longDM)-1].Body), "Written by a language model") {
		t.Errorf("longest written answer: %d slash messages, %d DMs; extractive: %d, %d", finals(longSlash), len(longDM), finals(baseSlash), len(baseDM))
	}
	t.Logf("extractive: %d slash messages, %d DMs; longest written answer: %d, %d", finals(baseSlash), len(baseDM), finals(longSlash), len(longDM))
	last := hugeSlash[len(hugeSlash)-1]
	if !strings.Contains(string(last.Body), "too long") || !strings.Contains(string(hugeDM[len(hugeDM)-1].Body), "too long") {
		t.Errorf("no note saying the written answer was too long:\n%s\n%s", last.Body, hugeDM[len(hugeDM)-1].Body)
	}
	t.Logf("5 MB answer: %d slash calls (%d messages), %d DMs", len(hugeSlash), finals(hugeSlash), len(hugeDM))
}

// TestServeInventionsNeverShown: an inventing model, streamed by /ask
// and answered by DM: no preview and no final message shows it.
func TestServeInventionsNeverShown(t *testing.T) {
	inventing := func(req openaitest.ChatRequest) openaitest.Reply {
		rep := openaitest.Invent("Critical minerals are a matter of economic security [%[1]s]. The declaration says 「Japan will deploy troops to secure the mines」 [%[1]s]. Japan will deploy troops [%[1]s]. ✓")(req)
		for _, r := range rep.Content {
			rep.Chunks = append(rep.Chunks, string(r))
		}
		return rep
	}
	srv, _ := askBoth(t, func(req openaitest.ChatRequest) openaitest.Reply { return inventing(req) }, "could not be verified")
	for _, c := range srv.Calls(nil) {
		if strings.Contains(string(c.Body), "troops") {
			t.Errorf("invention shown: %s", c)
		}
	}
}

// askBoth runs serve with model as its llm, asks mineralsQuestion by /ask
// and by DM, and waits for the DM reply and for an edit of the /ask
// response holding want. It returns the /ask token.
func askBoth(t *testing.T, model func(openaitest.ChatRequest) openaitest.Reply, want string) (*discordtest.Server, string) {
	t.Helper()
	llmSrv := openaitest.New(t)
	llmSrv.OnChat(model)
	srv := discordtest.New(t, discordtest.Options{Token: serveToken})
	s := startServe(t, srv, serveConfig(srv, fmt.Sprintf("llm:\n  base_url: %s\n  model: m\n  timeout: 30s\n", llmSrv.URL())), nil)
	tok := srv.SendCommand(asker(1), "ask", discordtest.String("question", mineralsQuestion)).Token
	srv.SendMessage(discordtest.Invoker{UserID: "2000000000000000500", ChannelID: "4000000000000000500"}, mineralsQuestion)
	srv.MustWait(t, 30*time.Second, 1, discordtest.ChannelMessages)
	waitFor(t, 30*time.Second, func() string { return "an edit of the /ask response holding " + want }, func() bool {
		for _, c := range srv.Calls(discordtest.And(discordtest.ForInteraction(tok), discordtest.OriginalEdits)) {
			if strings.Contains(string(c.Body), want) {
				return true
			}
		}
		return false
	})
	s.stop(t)
	return srv, tok
}
