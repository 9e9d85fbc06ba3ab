package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/declbot/declbot/bot"
	"github.com/declbot/declbot/bot/llm/openaitest"
)

var testPassageRE = regexp.MustCompile(`<passage id="([^"]+)">\n(?:\(.*\)\n)?([^<]*)\n</passage>`)

// quoteFirst answers by quoting the first five words of the first passage
// the model was given.
func quoteFirst(req openaitest.ChatRequest) openaitest.Reply {
	m := testPassageRE.FindStringSubmatch(req.Messages[len(req.Messages)-1].Content)
	if m == nil {
		return openaitest.Reply{Status: 400, Content: "no passage"}
	}
	return openaitest.Reply{Content: fmt.Sprintf("It says “%s” [%s].", strings.Join(strings.Fields(m[2])[:5], " "), m[1])}
}

func runAsk(t *testing.T, config string, env map[string]string, args ...string) (int, string, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "config.yaml")
	if err := os.WriteFile(path, []byte(config), 0o600); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	app := NewApp(strings.NewReader(""), &stdout, &stderr, func(k string) string { return env[k] })
	code := app.Run(context.Background(), append([]string{"--config", path, "ask"}, args...))
	return code, stdout.String(), stderr.String()
}

func TestAskWithModel(t *testing.T) {
	srv := openaitest.New(t)
	srv.OnChat(quoteFirst)
	config := fmt.Sprintf(`
llm:
  base_url: %s
  model: test-model
  api_key_env: TEST_KEY
retrieval:
  embedder: openai
  embedding_model: test-embed
  dims: 16
`, srv.URL())
	code, out, errOut := runAsk(t, config, map[string]string{"TEST_KEY": "sk-x"}, "--json", "What does the declaration say about critical minerals?")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var r bot.Reply
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if r.Mode != "llm" || r.Verification == nil || *r.Verification != (bot.Verification{Citations: 1, Quotes: 1, Claims: 1}) {
		t.Errorf("mode %q, verification %+v\n%s", r.Mode, r.Verification, out)
	}
	if !strings.Contains(out, `"verification": {`) {
		t.Errorf("no verification key in JSON:\n%s", out)
	}
	if srv.Count(openaitest.EmbeddingsPath) == 0 {
		t.Error("retrieval.embedder: openai made no embeddings request")
	}
	code, out, _ = runAsk(t, config, map[string]string{"TEST_KEY": "sk-x"}, "What does the declaration say about critical minerals?")
	t.Logf("text output:\n%s", out)
	if code != 0 || !strings.Contains(out, "” ✓ [") || !strings.Contains(out, "\n— Ch. ") || !strings.Contains(out, "checked word for word") {
		t.Errorf("text output lacks the marked quote, the citation or the note:\n%s", out)
	}
	for _, req := range srv.Requests() {
		if req.Header.Get("Authorization") != "Bearer sk-x" {
			t.Errorf("%s: Authorization %q", req.Path, req.Header.Get("Authorization"))
		}
	}
}

func TestAskModelDownFallsBack(t *testing.T) {
	srv := openaitest.New(t)
	srv.ScriptChat(openaitest.Reply{Status: 401, Content: "bad key"})
	config := fmt.Sprintf("llm:\n  base_url: %s\n  model: test-model\n", srv.URL())
	code, out, errOut := runAsk(t, config, nil, "What does the declaration say about critical minerals?")
	if code != 0 {
		t.Fatalf("exit %d, want 0: %s", code, errOut)
	}
	if !strings.Contains(out, "Here is what the text says") || !strings.Contains(out, "No written answer is available") {
		t.Errorf("output:\n%s", out)
	}
}

// TestModelEmbeddingsStoredInIndex builds an index with model embeddings,
// then answers from the file: a restart embeds the question only, never
// the corpus again. A changed model is refused with a message saying
// what to run, and `declbot index` then re-embeds everything.
func TestModelEmbeddingsStoredInIndex(t *testing.T) {
	srv := openaitest.New(t)
	dir := t.TempDir()
	index := filepath.Join(dir, "declbot.index")
	config := func(model string) string {
		return fmt.Sprintf("index:\n  path: %s\nretrieval:\n  embedder: openai\n  embedding_model: %s\n  embedding_base_url: %s\n  dims: 16\n", index, model, srv.URL())
	}
	embedded := func() int {
		n := 0
		for _, r := range srv.EmbeddingRequests() {
			n += len(r.Input)
		}
		return n
	}
	run := func(cfg string, args ...string) (int, string, string) {
		path := filepath.Join(dir, "config.yaml")
		if err := os.WriteFile(path, []byte(cfg), 0o600); err != nil {
			t.Fatal(err)
		}
		var stdout, stderr bytes.Buffer
		code := NewApp(strings.NewReader(""), &stdout, &stderr, func(string) string { return "" }).Run(context.Background(), append([]string{"--config", path}, args...))
		return code, stdout.String(), stderr.String()
	}

	if code, _, errs := run(config("embed-a"), "index", "--json"); code != 0 {
		t.Fatalf("index: exit %d: %s", code, errs)
	}
	built := embedded()
	_, digest := bundledCounts(t)
	if built < digest {
		t.Fatalf("index embedded %d texts, want every passage (%d)", built, digest)
	}
	code, out, errs := run(config("embed-a"), "ask", "--json", "critical minerals")
	if code != 0 {
		t.Fatalf("ask: exit %d: %s", code, errs)
	}
	if got := embedded() - built; got != 1 {
		t.Errorf("ask from the index file embedded %d texts, want 1 (the question)", got)
	}
	if !strings.Contains(out, `"chapter": 4`) {
		t.Errorf("ask: %s", out)
	}

	code, _, errs = run(config("embed-b"), "ask", "critical minerals")
	if code == 0 || !strings.Contains(errs, index) || !strings.Contains(errs, "declbot index") {
		t.Errorf("changed model: exit %d, stderr %q; want a failure naming the file and what to run", code, errs)
	}
	before := embedded()
	code, out, errs = run(config("embed-b"), "index", "--json")
	if code != 0 {
		t.Fatalf("reindex with a new model: exit %d: %s", code, errs)
	}
	if got := embedded() - before; got < digest || !strings.Contains(out, fmt.Sprintf(`"embedded": %d`, digest)) {
		t.Errorf("reindex with a new model embedded %d texts; report %s", got, out)
	}
}
