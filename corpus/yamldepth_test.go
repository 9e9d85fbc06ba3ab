package corpus

import (
	"strings"
	"testing"
)

// TestYAMLTooDeep checks what counts as one level of nesting: a bracket, an
// indentation deeper than the line above, a "- " or "? " a line starts
// with; and what does not: quoted text, comments, document markers,
// negative numbers, a line back at a shallower indentation.
func TestYAMLTooDeep(t *testing.T) {
	tests := []struct {
		name string
		yaml string
		line int // 0: not too deep
	}{
		{"example config", "discord:\n  maintainers:\n    users: [\"1\"]\n    roles:\n      - \"2\"\n", 0},
		{"questions", "- {q: x, lang: en, chapters: [4]}\n- q: y\n  chapters: [1, 2]\n", 0},
		{"32 compact", strings.Repeat("- ", 31) + "x\n", 0},
		{"33 compact", strings.Repeat("- ", 32) + "x\n", 1},
		{"compact, tabs", "a: 1\n" + strings.Repeat("-\t", 33) + "x\n", 2},
		{"compact keys", strings.Repeat("? ", 33) + "x\n", 1},
		{"compact then brackets", strings.Repeat("- ", 20) + strings.Repeat("[", 13) + "\n", 1},
		{"brackets alone", strings.Repeat("[", 31) + strings.Repeat("]", 31) + "\n", 0},
		{"brackets, the line a level too", strings.Repeat("[", 32) + "\n", 1},
		{"indentation", "a:\n" + nestedKeys(31), 0},
		{"indentation deep", "a:\n" + nestedKeys(32), 33},
		{"siblings", strings.Repeat("a:\n  b:\n    c: 1\n", 100), 0},
		{"back out and in", "a:\n" + nestedKeys(20) + "b:\n" + nestedKeys(20), 0},
		{"dashes quoted", "a: \"" + strings.Repeat("- ", 40) + "\"\n", 0},
		{"dashes in a quoted string over lines", "a: \"x\n" + strings.Repeat("- ", 40) + "\"\n", 0},
		{"dashes in a comment", "# " + strings.Repeat("- ", 40) + "\n", 0},
		{"document markers and numbers", "---\na: -5\n...\n" + strings.Repeat("-5 ", 40) + "\n", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			line, deep := YAMLTooDeep([]byte(tt.yaml), 32)
			if deep != (tt.line > 0) || line != tt.line {
				t.Errorf("YAMLTooDeep = line %d, deep %v; want line %d, deep %v", line, deep, tt.line, tt.line > 0)
			}
		})
	}
}

// nestedKeys returns n mappings, each the value of the one above it, one
// more indentation deep per line.
func nestedKeys(n int) string {
	var b strings.Builder
	for i := range n {
		b.WriteString(strings.Repeat("  ", i+1) + "k:\n")
	}
	return b.String()
}
