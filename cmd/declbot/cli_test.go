package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestFlagsAnywhere checks that a flag is a flag wherever it stands on
// the command line, before the question or after it, and that "--" ends
// the flags for a question that starts with a dash.
func TestFlagsAnywhere(t *testing.T) {
	tests := []struct {
		name     string
		args     []string
		json     bool
		passages int    // when json: how many passages are quoted, -1 for any
		question string // when json: the question as the bot saw it
	}{
		{"json after", []string{"ask", "What about Afghanistan?", "--json"}, true, -1, "What about Afghanistan?"},
		{"json before", []string{"ask", "--json", "What about Afghanistan?"}, true, -1, "What about Afghanistan?"},
		{"k after", []string{"ask", "critical minerals", "--json", "-k", "1"}, true, 1, "critical minerals"},
		{"k after words", []string{"ask", "critical", "minerals", "-k", "2", "--json"}, true, 2, "critical minerals"},
		{"dash dash", []string{"ask", "--json", "--", "-k is not a flag here: critical minerals"}, true, -1, "-k is not a flag here: critical minerals"},
		{"json between words", []string{"ask", "what", "about", "--json", "afghanistan"}, true, -1, "what about afghanistan"},
		{"k between words", []string{"ask", "critical", "-k", "1", "minerals", "--json"}, true, 1, "critical minerals"},
		{"glued k between words", []string{"ask", "critical", "-k1", "minerals", "--json"}, true, 1, "critical minerals"},
		{"lang with = between words", []string{"ask", "critical", "--lang=en", "minerals", "--json"}, true, -1, "critical minerals"},
		{"lang between words", []string{"ask", "critical", "--lang", "en", "minerals", "--json"}, true, -1, "critical minerals"},
		{"config between words", []string{"ask", "critical", "--config", "/dev/null", "minerals", "--json"}, true, -1, "critical minerals"},
		{"dash dash after words", []string{"ask", "critical", "--json", "--", "--k", "minerals"}, true, -1, "critical --k minerals"},
		{"a lone dash is a word", []string{"ask", "Japan", "-", "Central", "Asia", "--json"}, true, -1, "Japan - Central Asia"},
		{"ansi colours dropped whole", []string{"ask", "\x1b[31mclimate\x1b[0m", "--json"}, true, -1, "climate"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errs := run(t, tt.args...)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, errs)
			}
			var r struct {
				Question string
				Passages []json.RawMessage
			}
			if err := json.Unmarshal([]byte(out), &r); err != nil {
				t.Fatalf("not JSON (%v):\n%s", err, out)
			}
			if r.Question != tt.question {
				t.Errorf("question = %q, want %q", r.Question, tt.question)
			}
			if tt.passages >= 0 && len(r.Passages) != tt.passages {
				t.Errorf("%d passages, want %d", len(r.Passages), tt.passages)
			}
		})
	}
}

// TestUnknownFlags checks that a mistyped flag is refused, exit 2, in
// every position and every command.
func TestUnknownFlags(t *testing.T) {
	for _, args := range [][]string{
		{"ask", "Afghanistan", "--jsn"},
		{"ask", "--jsn", "Afghanistan"},
		{"cite", "4.2", "--jsn"},
		{"ask", "Afghanistan", "-x"},
		{"ask", "-5 degrees?"},
		{"ask", "what", "about", "--jsn", "Afghanistan"},
		{"cite", "4", "--jsn", "2"},
	} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			code, out, errs := run(t, args...)
			if code != 2 || !strings.Contains(errs, "unknown flag") {
				t.Errorf("exit %d, stderr %q; want 2 and unknown flag", code, errs)
			}
			if strings.Contains(out, "Afghanistan") {
				t.Errorf("the question was answered:\n%s", out)
			}
		})
	}
}

// TestEvalK checks that eval honours every -k from 1 to 10 and refuses
// the rest, and that the misses lists are never null.
func TestEvalK(t *testing.T) {
	questions, _ := filepath.Abs(filepath.Join("..", "..", "retrieval", "testdata", "calibration_tune.yaml"))
	type report struct {
		HitAt1 float64 `json:"hit_at_1"`
		HitAt3 float64 `json:"hit_at_3"`
		Misses []struct {
			Got []string `json:"got"`
		} `json:"misses"`
		ByLang map[string]map[string]json.RawMessage `json:"by_lang"`
	}
	eval := func(t *testing.T, k string) (report, string) {
		code, out, errs := run(t, "eval", "--json", "--questions", questions, "-k", k)
		if code != 0 {
			t.Fatalf("exit %d: %s", code, errs)
		}
		var r report
		if err := json.Unmarshal([]byte(out), &r); err != nil {
			t.Fatal(err)
		}
		return r, out
	}
	three, _ := eval(t, "3")
	for _, k := range []string{"1", "2"} {
		t.Run("k="+k, func(t *testing.T) {
			r, _ := eval(t, k)
			for _, m := range r.Misses {
				if len(m.Got) > int(k[0]-'0') {
					t.Errorf("-k %s: a miss lists %d passages", k, len(m.Got))
				}
			}
			if k == "1" && r.HitAt3 != r.HitAt1 {
				t.Errorf("-k 1: hit@3 %v differs from hit@1 %v: more than one passage was looked at", r.HitAt3, r.HitAt1)
			}
			if r.HitAt3 > three.HitAt3 {
				t.Errorf("-k %s: hit@3 %v above -k 3's %v", k, r.HitAt3, three.HitAt3)
			}
		})
	}
	t.Run("misses never null", func(t *testing.T) {
		_, out := eval(t, "3")
		var raw struct {
			Misses json.RawMessage            `json:"misses"`
			ByLang map[string]json.RawMessage `json:"by_lang"`
		}
		json.Unmarshal([]byte(out), &raw)
		if string(raw.Misses) == "null" {
			t.Error("top-level misses is null")
		}
		for l, r := range three.ByLang {
			if string(r["misses"]) == "null" || r["misses"] == nil {
				t.Errorf("by_lang.%s.misses = %s, want a list", l, r["misses"])
			}
		}
	})
	for _, k := range []string{"0", "11", "-1"} {
		t.Run("refused k="+k, func(t *testing.T) {
			code, _, errs := run(t, "eval", "--questions", questions, "-k", k)
			if code != 2 || !strings.Contains(errs, "-k "+k+" is out of range (1 to 10)") {
				t.Errorf("exit %d, stderr %q; want 2 and the range", code, errs)
			}
		})
	}
}

// TestAskK checks that ask honours -k 1 to 10, refuses 0 and 11 with a
// clear error.
func TestAskK(t *testing.T) {
	for _, k := range []string{"0", "11", "-2"} {
		t.Run(k, func(t *testing.T) {
			code, _, errs := run(t, "ask", "critical minerals", "-k", k)
			if code != 2 || !strings.Contains(errs, "-k "+k+" is out of range (1 to 10)") {
				t.Errorf("exit %d, stderr %q; want 2 and the range", code, errs)
			}
		})
	}
}

// TestInputFileSize checks that the questions file and the config file
// are read only up to a bound, with a clear error beyond it.
func TestInputFileSize(t *testing.T) {
	dir := t.TempDir()
	big := filepath.Join(dir, "big.yaml")
	line := "- {q: \"What about critical minerals?\", lang: en, chapters: [4]}\n"
	if err := os.WriteFile(big, []byte(strings.Repeat(line, (maxInputFile/len(line))+1)), 0o644); err != nil {
		t.Fatal(err)
	}
	bigConfig := filepath.Join(dir, "config.yaml")
	if err := os.WriteFile(bigConfig, []byte("log:\n  level: info\n"+strings.Repeat("# comment\n", maxInputFile/10+1)), 0o644); err != nil {
		t.Fatal(err)
	}
	deep := filepath.Join(dir, "deep.yaml")
	os.WriteFile(deep, []byte("- {q: x, lang: en, chapters: "+strings.Repeat("[", 100000)+"\n"), 0o644)
	if code, _, errs := run(t, "eval", "--questions", deep); code != 2 || !strings.Contains(errs, "deep.yaml:1: lists or mappings nested more than 32 deep") {
		t.Errorf("deeply nested questions file: exit %d, %q", code, errs)
	}
	compact := filepath.Join(dir, "compact.yaml")
	os.WriteFile(compact, []byte("- q: x\n  lang: en\n  chapters:\n    "+strings.Repeat("- ", 150000)+"4\n"), 0o644)
	if code, _, errs := run(t, "eval", "--questions", compact); code != 2 || !strings.Contains(errs, "compact.yaml:4: lists or mappings nested more than 32 deep") {
		t.Errorf("questions file of compact lists nested deep: exit %d, %q", code, errs)
	}
	tests := []struct {
		name string
		args []string
	}{
		{"questions", []string{"eval", "--questions", big}},
		{"config", []string{"--config", bigConfig, "chapters"}},
		{"endless config", []string{"--config", "/dev/zero", "chapters"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errs := run(t, tt.args...)
			if code != 2 || out != "" || !strings.Contains(errs, "larger than 1 MiB") {
				t.Errorf("exit %d, stdout %d bytes, stderr %q; want 2, nothing, and the limit", code, len(out), errs)
			}
		})
	}
}

// TestFlagValueMissing checks that a flag left without its value at the
// end of a question is refused, exit 2, naming the flag and not "--".
func TestFlagValueMissing(t *testing.T) {
	for _, args := range [][]string{
		{"ask", "what", "about", "--lang"},
		{"ask", "critical", "minerals", "-k"},
		{"cite", "4", "--lang"},
	} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			code, _, errs := run(t, args...)
			flag := args[len(args)-1]
			if code != 2 || !strings.HasPrefix(errs, "declbot: "+flag+" needs a value") || strings.Contains(errs, `"--"`) {
				t.Errorf("exit %d, stderr %q; want 2 and %s missing its value", code, errs, flag)
			}
		})
	}
}

// TestEvalFileProblems checks that a questions file with a mistake is
// refused in one line, exit 2, that names its line and key and says what
// is wanted in our words, never go-yaml's about Go types.
func TestEvalFileProblems(t *testing.T) {
	tests := []struct {
		name, yaml, want string
	}{
		{"chapter not a number", "- q: minerals\n  lang: en\n  chapters: [\"x\"]\n", `q.yaml:3: item 1: chapters[0]: "x" is not a whole number (a whole number wanted)`},
		{"chapters not a list", "- q: minerals\n  lang: en\n  chapters: [4]\n- q: climate\n  lang: en\n  chapters: 4\n", "q.yaml:6: item 2: chapters: 4 is not a list (a list wanted, like [a, b])"},
		{"unknown key", "- question: minerals\n  lang: en\n", "q.yaml:1: item 1: question: unknown key (allowed here: q, lang, chapters)"},
		{"question a list", "- q: [minerals]\n  lang: en\n", "q.yaml:1: item 1: q: a list is not a string (a string wanted)"},
		{"item not a mapping", "- minerals\n", `q.yaml:1: item 1: "minerals" is not a mapping (this section holds keys: q, lang, chapters)`},
		{"not a list", "q: minerals\n", "q.yaml:1: a mapping is not a list (a list wanted, like [a, b])"},
		{"tab", "- q: minerals\n\tlang: en\n", "q.yaml:2: not valid YAML: a tab in the indentation (YAML indents with spaces)"},
		{"syntax", "- q: [minerals\n", "q.yaml:1: not valid YAML: sequence end token ']' not found"},
		{"latin-1", "- q: \"min\xe9raux\"\n  lang: fr\n", "q.yaml:1: not UTF-8 text (save the file as UTF-8)"},
		{"chapter not in the index", "- q: minerals\n  lang: en\n  chapters: [4]\n- q: water\n  lang: en\n  chapters:\n    - 2\n    - 99\n", "q.yaml:8: item 2: chapters[1]: chapter 99 is not in the index (it has chapters 1 to 9)"},
		{"two documents", "- q: minerals\n  lang: en\n---\n- q: climate\n  lang: en\n", "q.yaml:4: more than one YAML document (one wanted)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, "q.yaml"), []byte(tt.yaml), 0o644); err != nil {
				t.Fatal(err)
			}
			code, out, errs := runIn(t, dir, "eval", "--questions", "q.yaml")
			if code != 2 || out != "" || errs != "declbot: "+tt.want+"\n" {
				t.Errorf("exit %d, stdout %q, stderr %q; want 2, nothing, and %q", code, out, errs, tt.want)
			}
		})
	}
}

// TestFlagValues checks that a flag's value that is missing, not a
// number, or a negative number is said in our words with what the flag
// takes, exit 2, not in kong's ("expected int value but got "EOL"
// (<EOL>)", "perhaps try --k="-1"?").
func TestFlagValues(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"ask", "minerals", "-k", "-1"}, "-k -1 is out of range (1 to 10)"},
		{[]string{"ask", "-k=-1", "minerals"}, "-k -1 is out of range (1 to 10)"},
		{[]string{"ask", "-k", "abc", "minerals"}, `-k "abc" is not a whole number (a whole number from 1 to 10 wanted)`},
		{[]string{"ask", "-k", "1.5", "minerals"}, `-k "1.5" is not a whole number (a whole number from 1 to 10 wanted)`},
		{[]string{"ask", "--k=abc", "minerals"}, `-k "abc" is not a whole number (a whole number from 1 to 10 wanted)`},
		{[]string{"ask", "-k", "99999999999999999999", "minerals"}, "-k 99999999999999999999 is too large (a whole number from 1 to 10 wanted)"},
		{[]string{"ask", "minerals", "-k"}, "-k needs a value: a whole number from 1 to 10"},
		{[]string{"eval", "--questions", "q.yaml", "-k", "-3"}, "-k -3 is out of range (1 to 10)"},
		{[]string{"insights", "--limit", "-5"}, "--limit -5 is out of range (1 to 1000)"},
		{[]string{"insights", "--limit", "many"}, `--limit "many" is not a whole number (a whole number from 1 to 1000 wanted)`},
		{[]string{"insights", "--limit"}, "--limit needs a value: a whole number from 1 to 1000"},
		{[]string{"ask", "--lang"}, "--lang needs a value"},
		{[]string{"ask", "minerals", "--lang", "--json"}, `--lang needs a value, and "--json" is a flag`},
		{[]string{"ask", "--lang", "-k", "3", "minerals"}, `--lang needs a value, and "-k" is a flag`},
		{[]string{"ask", "minerals", "-k", "--json"}, `-k needs a value: a whole number from 1 to 10, and "--json" is a flag`},
		{[]string{"insights", "--since", "-5d"}, "--since -5d is not an age (like 7d, 2w or 36h)"},
		{[]string{"ask", "--lang", "-fr", "minerals"}, `--lang "-fr" is not a language declbot answers in: use auto or one of en, fr, ru, ja`},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			code, out, errs := run(t, tt.args...)
			if code != 2 || out != "" || errs != "declbot: "+tt.want+"\n" {
				t.Errorf("exit %d, stdout %q, stderr %q; want 2, nothing, and %q", code, out, errs, tt.want)
			}
		})
	}
	t.Run("after --", func(t *testing.T) {
		code, out, errs := run(t, "ask", "--json", "--", "minerals", "-k", "-1")
		if code != 0 || !strings.Contains(out, `"question": "minerals -k -1"`) {
			t.Errorf("exit %d, stdout %q, stderr %q; want the words after -- as the question", code, out, errs)
		}
	})
}

// TestEmptyPath: an empty path given to a flag that takes one is said as
// such, exit 2, not as the working folder kong makes of it ("cannot
// read: is a directory"); after -- it is a question's words.
func TestEmptyPath(t *testing.T) {
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"--config", "", "about"}, "--config"},
		{[]string{"--config=", "about"}, "--config"},
		{[]string{"about", "--config", ""}, "--config"},
		{[]string{"ask", "water", "--config", ""}, "--config"},
		{[]string{"--config", ""}, "--config"},
		{[]string{"index", "--index", ""}, "--index"},
		{[]string{"index", "--source="}, "--source"},
	} {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			code, out, errs := run(t, tt.args...)
			want := "declbot: " + tt.want + " is empty: give a file's path, or leave the flag out\n"
			if code != 2 || out != "" || errs != want {
				t.Errorf("exit %d, stdout %q, stderr %q; want 2 and %q", code, out, errs, want)
			}
		})
	}
	if code, _, errs := run(t, "--config", os.DevNull, "ask", "--", "--config", ""); code != 0 {
		t.Errorf("a question after --: exit %d, %s", code, errs)
	}
}

// TestEvalNotApplicable: a figure of a kind of question the set does not
// have is n/a in the table and null in JSON, not 1.000 or 0.000.
func TestEvalNotApplicable(t *testing.T) {
	for _, tt := range []struct {
		name, yaml string
		row        string
		null       []string
	}{
		{"in scope only", "- q: critical minerals\n  lang: en\n  chapters: [4]\n", "all          1   1.000   1.000  1.000             n/a         0.000\n", []string{"abstain_correct"}},
		{"out of scope only", "- q: what is the weather on mars\n  lang: en\n", "all          1     n/a     n/a    n/a           1.000           n/a\n", []string{"hit_at_1", "hit_at_3", "mrr", "false_abstain"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			os.WriteFile(filepath.Join(dir, "q.yaml"), []byte(tt.yaml), 0o644)
			code, out, errs := runIn(t, dir, "eval", "--questions", "q.yaml")
			if code != 0 || !strings.Contains(out, tt.row) {
				t.Errorf("exit %d, stderr %q, stdout:\n%s\nwant the row %q", code, errs, out, tt.row)
			}
			code, out, errs = runIn(t, dir, "eval", "--questions", "q.yaml", "--json")
			var got map[string]any
			if err := json.Unmarshal([]byte(out), &got); code != 0 || err != nil {
				t.Fatalf("exit %d, %v: %s", code, err, errs)
			}
			for _, name := range []string{"hit_at_1", "hit_at_3", "mrr", "abstain_correct", "false_abstain"} {
				v, ok := got[name]
				if !ok || (v == nil) != slices.Contains(tt.null, name) {
					t.Errorf("%s: %v (present %v); want null %v", name, v, ok, slices.Contains(tt.null, name))
				}
			}
		})
	}
}
