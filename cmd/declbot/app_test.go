package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"syscall"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/golden")

// goldenDir is absolute, as run changes the working directory.
var goldenDir, _ = filepath.Abs(filepath.Join("testdata", "golden"))

// run runs declbot in-process with args and returns its exit status and
// outputs. The environment is empty, and the working directory is a fresh
// temporary one, so no config.yaml is picked up by accident.
func run(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	t.Chdir(t.TempDir())
	code := NewApp(strings.NewReader(""), &out, &errb, func(string) string { return "" }).Run(context.Background(), args)
	return code, out.String(), errb.String()
}

// builtAt masks the build time, the one line of output that changes from
// run to run.
var builtAt = regexp.MustCompile(`(built[ _a-z"]*:? *"?|construit le )\d{4}-\d\d-\d\d[T ][0-9:.]+( UTC|Z)?`)

func golden(t *testing.T, name, got string) {
	t.Helper()
	got = builtAt.ReplaceAllString(got, "${1}<time>")
	path := filepath.Join(goldenDir, name+".txt")
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("output differs from %s (run go test -update after checking):\n--- got\n%s\n--- want\n%s", path, got, want)
	}
}

func TestGolden(t *testing.T) {
	tests := []struct {
		name string
		args []string
	}{
		{"ask-minerals", []string{"ask", "What does the declaration say about critical minerals?"}},
		{"ask-minerals-json", []string{"ask", "--json", "What does the declaration say about critical minerals?"}},
		{"ask-fr-afghanistan", []string{"ask", "Quelle est la position sur l'Afghanistan ?"}},
		{"ask-lang-override", []string{"ask", "--lang", "fr", "-k", "1", "Trans-Caspian route"}},
		{"ask-out-of-scope", []string{"ask", "What is the capital of Australia?"}},
		{"ask-out-of-scope-json", []string{"ask", "--json", "Quelle est la recette de la ratatouille ?"}},
		{"chapters", []string{"chapters"}},
		{"chapters-fr-json", []string{"chapters", "--lang", "fr", "--json"}},
		{"cite-4.2", []string{"cite", "4.2"}},
		{"cite-section-sign", []string{"cite", "§8.2", "--json"}},
		{"cite-chapitre-7-fr", []string{"cite", "--lang", "fr", "chapitre", "7"}},
		{"cite-all", []string{"cite", "--lang", "all", "ch5"}},
		{"about", []string{"about"}},
		{"about-json", []string{"about", "--json"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errs := run(t, tt.args...)
			if code != 0 || errs != "" {
				t.Fatalf("exit %d, stderr %q", code, errs)
			}
			golden(t, tt.name, out)
		})
	}
}

func TestAskJSONShape(t *testing.T) {
	code, out, _ := run(t, "ask", "--json", "Who chaired the summit?")
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	var got map[string]any
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("not one JSON object: %v", err)
	}
	for _, k := range []string{"question", "lang", "abstained", "mode", "answer", "passages"} {
		if _, ok := got[k]; !ok {
			t.Errorf("missing key %q", k)
		}
	}
	if got["mode"] != "extractive" {
		t.Errorf("mode = %v", got["mode"])
	}
	ps, _ := got["passages"].([]any)
	if len(ps) == 0 {
		t.Fatal("no passages")
	}
	first, _ := ps[0].(map[string]any)
	for _, k := range []string{"id", "chapter", "chapter_title", "lang", "text", "score"} {
		if _, ok := first[k]; !ok {
			t.Errorf("passage lacks %q", k)
		}
	}
	if first["chapter"] != float64(1) {
		t.Errorf("top passage in chapter %v, want 1", first["chapter"])
	}
}

// TestQuotesAreVerbatim checks that every passage shown is, word for word,
// a paragraph of the bundled corpus files.
func TestQuotesAreVerbatim(t *testing.T) {
	en, err := os.ReadFile(filepath.Join("..", "..", "corpus", "digest", "en.md"))
	if err != nil {
		t.Fatal(err)
	}
	fr, _ := os.ReadFile(filepath.Join("..", "..", "corpus", "digest", "fr.md"))
	squash := func(s string) string { return strings.Join(strings.Fields(s), " ") }
	all := squash(string(en) + " " + string(fr))
	for _, q := range []string{"critical minerals", "Afghanistan", "Quels échanges culturels sont prévus ?", "nuclear", "ODD"} {
		_, out, _ := run(t, "ask", "--json", q)
		var r struct {
			Passages []struct{ ID, Text string }
		}
		if err := json.Unmarshal([]byte(out), &r); err != nil {
			t.Fatal(err)
		}
		for _, p := range r.Passages {
			if !strings.Contains(all, "["+p.ID+"] "+squash(p.Text)) {
				t.Errorf("%q: passage %s is not verbatim from the corpus", q, p.ID)
			}
		}
	}
}

func TestBadInput(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "nope.yaml")
	badYAML := filepath.Join(t.TempDir(), "bad.yaml")
	os.WriteFile(badYAML, []byte("- {q: x, lang: de, chapters: []}\n"), 0o644)
	badConfig := filepath.Join(t.TempDir(), "config.yaml")
	os.WriteFile(badConfig, []byte("retrieval:\n  k: 99\n  colour: red\n"), 0o644)
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"empty question", []string{"ask", "  "}, "The question is empty"},
		{"no question", []string{"ask"}, "expected"},
		{"long question", []string{"ask", strings.Repeat("a", 1001)}, "1001 characters long; the limit is 1000"},
		{"invalid utf-8", []string{"ask", "a\xffb"}, "not valid UTF-8 text"},
		{"bad lang", []string{"ask", "--lang", "de", "x"}, "--lang"},
		{"bad k", []string{"ask", "-k", "50", "x"}, "-k 50 is out of range"},
		{"unknown chapter", []string{"cite", "12"}, "There is no chapter 12: chapters run from 1 to 9"},
		{"unknown paragraph", []string{"cite", "4.9"}, "There is no paragraph 4.9"},
		{"not a ref", []string{"cite", "hello"}, `"hello" is not a reference`},
		{"unknown paragraph by its sign", []string{"cite", "¶99"}, "There is no paragraph 99: chapters run from 1 to 9"},
		{"unknown paragraph by its word", []string{"cite", "paragraph 99"}, "There is no paragraph 99:"},
		{"chapter 0", []string{"cite", "0"}, `"0" is not a reference`},
		{"asked for an unknown paragraph", []string{"ask", "¶99"}, "There is no paragraph 99:"},
		{"asked what an unknown paragraph says", []string{"ask", "what does ¶99 say?"}, "There is no paragraph 99:"},
		{"asked for an unknown paragraph in French", []string{"ask", "montre le ¶99"}, "Il n'y a pas de paragraphe 99 :"},
		{"asked for paragraph 0", []string{"ask", "¶0"}, `"¶0" is not a reference`},
		{"asked to cite 0", []string{"ask", "--lang", "en", "cite 0"}, `"0" is not a reference`},
		{"asked for chapter 0", []string{"ask", "chapter 0"}, `"chapter 0" is not a reference`},
		{"unreadable questions", []string{"eval", "--questions", missing}, "cannot read questions file"},
		{"bad questions", []string{"eval", "--questions", badYAML}, `lang "de" is not one of en, fr, ru, ja`},
		{"unknown command", []string{"frobnicate"}, "declbot: unexpected argument frobnicate (see declbot --help)\n"},
		{"no command", nil, `declbot: expected one of "ask", "chapters", "cite", "about", "eval", ... (see declbot --help)` + "\n"},
		{"extra argument", []string{"about", "extra"}, "declbot: unexpected argument extra (see declbot --help)\n"},
		{"missing config", []string{"--config", missing, "chapters"}, "cannot read"},
		{"bad config", []string{"--config", badConfig, "chapters"}, "colour"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errs := run(t, tt.args...)
			if code != 2 {
				t.Errorf("exit %d, want 2", code)
			}
			if out != "" {
				t.Errorf("stdout %q, want nothing", out)
			}
			lines := strings.Split(strings.TrimRight(errs, "\n"), "\n")
			if !strings.Contains(errs, tt.want) {
				t.Errorf("stderr %q, want it to contain %q", errs, tt.want)
			}
			if len(lines) > 2 || strings.Contains(errs, "goroutine") || strings.Contains(errs, "panic") {
				t.Errorf("stderr is not one clear line: %q", errs)
			}
		})
	}
}

// TestAskCitation checks that a question asking for a citation exits 0
// with it, and one asking about a subject with a citation the index lacks
// exits 0 with the subject answered, the missing paragraph said first.
func TestAskCitation(t *testing.T) {
	for _, tt := range []struct {
		args []string
		want []string // in order
	}{
		{[]string{"ask", "--lang", "en", "cite 7"}, []string{`Ch. 7 "Cooperation on Regional Issues" [en]`, "¶7.1", "¶7.3"}},
		{[]string{"ask", "--lang", "en", "cite 4.2 pls"}, []string{`Ch. 4 "Green Transition and Resilience" [en]`, "¶4.2"}},
		{[]string{"ask", "what does ¶99 say about Afghanistan?"}, []string{"Afghanistan", "There is no paragraph 99:", "Source:"}},
	} {
		t.Run(strings.Join(tt.args[1:], " "), func(t *testing.T) {
			code, out, errs := run(t, tt.args...)
			if code != 0 {
				t.Fatalf("exit %d, stderr %q; want 0", code, errs)
			}
			rest := out
			for _, w := range tt.want {
				i := strings.Index(rest, w)
				if i < 0 {
					t.Fatalf("stdout lacks %q after what came before:\n%s", w, out)
				}
				rest = rest[i+len(w):]
			}
		})
	}
}

func TestEvalJSON(t *testing.T) {
	abs, _ := filepath.Abs(filepath.Join("..", "..", "retrieval", "testdata", "calibration_tune.yaml"))
	code, out, errs := run(t, "eval", "--json", "--questions", abs)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var got map[string]json.RawMessage
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatal(err)
	}
	var keys []string
	for k := range got {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	want := []string{"abstain_correct", "by_lang", "false_abstain", "hit_at_1", "hit_at_3", "misses", "mrr", "questions", "related_hit_at_3"}
	if !slices.Equal(keys, want) {
		t.Errorf("keys = %v, want %v", keys, want)
	}
}

// TestSignalledCommand checks that a command a signal cuts short (the
// context ended with the signal as its cause, as main does) says it was
// interrupted and exits as a shell reports a killed process, not with
// "context canceled".
func TestSignalledCommand(t *testing.T) {
	for _, tt := range []struct {
		sig  syscall.Signal
		want int
	}{{syscall.SIGINT, 130}, {syscall.SIGTERM, 143}} {
		for _, args := range [][]string{{"ask", "what about Afghanistan?"}, {"about"}} {
			t.Run(tt.sig.String()+"/"+args[0], func(t *testing.T) {
				ctx, cancel := context.WithCancelCause(context.Background())
				cancel(stopSignal{tt.sig})
				var out, errb bytes.Buffer
				t.Chdir(t.TempDir())
				code := NewApp(strings.NewReader(""), &out, &errb, func(string) string { return "" }).Run(ctx, args)
				if code != tt.want || strings.TrimSpace(errb.String()) != "declbot: interrupted" {
					t.Errorf("exit %d, stderr %q; want %d, declbot: interrupted", code, errb.String(), tt.want)
				}
			})
		}
	}
}
