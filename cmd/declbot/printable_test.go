package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// steers reports a character that acts on a terminal instead of
// printing: a control other than newline and tab, or a bidirectional
// embedding, override or isolate.
func steers(s string) bool {
	return strings.ContainsFunc(s, func(r rune) bool {
		return r < 0x20 && r != '\n' && r != '\t' || r >= 0x7F && r <= 0x9F ||
			r >= 0x202A && r <= 0x202E || r >= 0x2066 && r <= 0x2069
	})
}

// TestOutputShowsControlsEscaped runs commands whose errors, warnings and
// reports echo what a user gave, holding terminal escape sequences or
// running to 100,000 characters: what they print holds no control
// character (each is shown as U+FFFD) and no line longer than a screen
// can take.
func TestOutputShowsControlsEscaped(t *testing.T) {
	const evil = "\x1b]0;PWN\a\x1b[2J\x1b[31m\u202e"
	tests := []struct {
		name  string
		files map[string]string
		args  []string
		code  int
		want  string // in stdout or stderr
	}{
		{"unknown config key", map[string]string{"config.yaml": "\"\\e[31mred\\e[0m\": 1\n"},
			[]string{"chapters"}, 2, "\uFFFD[31mred\uFFFD[0m: unknown key"},
		{"index path in a warning", map[string]string{"config.yaml": "index:\n  path: \"\\e]0;PWN\\a\"\n"},
			[]string{"chapters"}, 0, "index file \uFFFD]0;PWN\uFFFD does not exist yet"},
		{"a long reference", nil, []string{"cite", strings.Repeat("4", 100000)}, 2, `"` + strings.Repeat("4", 39) + `…" is not a reference`},
		{"a long flag", nil, []string{"ask", "--" + strings.Repeat("x", 100000), "water"}, 2, "unknown flag --" + strings.Repeat("x", 37) + "…" + strings.Repeat("x", 40) + " ("},
		{"a reference with escapes", nil, []string{"cite", "hello" + evil}, 2, "is not a reference"},
		{"an unknown flag", nil, []string{"ask", "--x" + evil, "water"}, 2, "unknown flag --x\uFFFD]0;PWN\uFFFD\uFFFD[2J"},
		{"eval misses", map[string]string{"q.yaml": "- {q: \"bananas " + strings.ReplaceAll(evil, "\x1b", "\\e") + " and ships\", lang: en, chapters: [4]}\n"},
			[]string{"eval", "--questions", "q.yaml"}, 0, "[en] bananas \uFFFD]0;PWN\uFFFD\uFFFD[2J\uFFFD[31m\uFFFD and ships"},
		{"index warnings", map[string]string{"config.yaml": "corpus:\n  include_bundled: false\n", "notes" + evil + ".en.txt": "Notes on water.\n\nThe leaders spoke of water and of the rivers that the region shares.\n"},
			[]string{"index", "--source", "."}, 0, "notes\uFFFD]0;PWN\uFFFD\uFFFD[2J\uFFFD[31m\uFFFD.en.txt: no chapters found"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			for name, body := range tt.files {
				if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			code, out, errs := runIn(t, dir, tt.args...)
			if code != tt.code {
				t.Errorf("exit %d, want %d; stderr %q", code, tt.code, errs)
			}
			if !strings.Contains(out+errs, tt.want) {
				t.Errorf("stdout %q\nstderr %q\nwant either to contain %q", out, errs, tt.want)
			}
			for _, s := range []string{out, errs} {
				if steers(s) {
					t.Errorf("printed a control character: %q", s)
				}
			}
			for _, l := range strings.Split(errs, "\n") {
				if len([]rune(l)) > maxShownLine+len("declbot: ") {
					t.Errorf("stderr has a line of %d characters: %.100q…", len([]rune(l)), l)
				}
			}
		})
	}
}

func TestSafeMessage(t *testing.T) {
	long := strings.Repeat("x", 200)
	tests := []struct{ name, in, want string }{
		{"plain", "index file declbot.index does not exist yet", "index file declbot.index does not exist yet"},
		{"escape sequences", "\x1b]0;PWN\a\x1b[31mred", "\uFFFD]0;PWN\uFFFD\uFFFD[31mred"},
		{"newline, tab, C1 and bidi", "a\nb\tc\u009bd\u202ee\u2066f", "a\uFFFDb\uFFFDc\uFFFDd\uFFFDe\uFFFDf"},
		{"a long word cut in its middle", `"` + long + `" is not a reference`, `"` + strings.Repeat("x", 38) + "…" + strings.Repeat("x", 39) + `" is not a reference`},
		{"a word of 80 kept", strings.Repeat("y", 80), strings.Repeat("y", 80)},
		{"a long line cut", strings.Repeat("ab ", 200), strings.Repeat("ab ", 133) + "…"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := safeMessage(tt.in); got != tt.want {
				t.Errorf("safeMessage(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}
