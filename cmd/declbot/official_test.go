package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// officialConfig writes a configuration that indexes only an official
// text as governments publish it (Roman chapters, paragraphs numbered 1
// to 34 straight through, an unnumbered preamble), produced by
// LibreOffice: the fixture corpus/testdata/official keeps.
func officialConfig(t *testing.T) string {
	t.Helper()
	src, err := filepath.Abs(filepath.Join("..", "..", "corpus", "testdata", "official", "en", "libreoffice-plain.en.pdf"))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "config.yaml")
	if err := os.WriteFile(path, []byte("corpus:\n  include_bundled: false\n  sources: ["+src+"]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestGoldenOfficialText checks that the chapters as printed ("IV.") and
// the official paragraph numbers reach chapters and citations, and that
// every id chapters lists is citable as listed.
func TestGoldenOfficialText(t *testing.T) {
	config := officialConfig(t)
	for _, tt := range []struct {
		name string
		args []string
	}{
		{"official-chapters", []string{"chapters"}},
		{"official-cite-chapter", []string{"cite", "IV"}},
		{"official-cite-paragraph", []string{"cite", "15"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errs := run(t, append([]string{"--config", config}, tt.args...)...)
			if code != 0 || errs != "" {
				t.Fatalf("exit %d, stderr %q", code, errs)
			}
			golden(t, tt.name, out)
		})
	}
	_, out, _ := run(t, "--config", config, "chapters")
	ids := regexp.MustCompile(`(?m)^   (.+)$`).FindAllStringSubmatch(out, -1)
	n := 0
	for _, line := range ids {
		for _, id := range strings.Fields(line[1]) {
			n++
			code, got, errs := run(t, "--config", config, "cite", id)
			if code != 0 || !strings.Contains(got, "¶"+id+"\n") {
				t.Errorf("cite %s: exit %d, stderr %q, output:\n%s", id, code, errs, got)
			}
		}
	}
	if n != 35 {
		t.Errorf("chapters lists %d ids, want 35 (a preamble and 34 paragraphs):\n%s", n, out)
	}
}

// TestIndexReportPerDocument checks the line index prints for each
// document: counts and nouns, no formatting debris.
func TestIndexReportPerDocument(t *testing.T) {
	code, out, errs := run(t, "--config", officialConfig(t), "index", "--index", "declbot.index")
	if code != 0 {
		t.Fatalf("exit %d, stderr %q", code, errs)
	}
	if strings.Contains(out, "%!") || !regexp.MustCompile(`libreoffice-plain +en other +9 chapters +35 passages`).MatchString(out) {
		t.Errorf("index report:\n%s", out)
	}
}
