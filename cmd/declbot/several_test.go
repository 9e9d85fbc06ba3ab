package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// severalConfig writes a configuration that indexes the bundled digest
// and testdata/several (a document with chapters, "briefing", and one of
// a single passage without chapters, "note") and returns its path.
func severalConfig(t *testing.T) string {
	t.Helper()
	src, err := filepath.Abs(filepath.Join("testdata", "several"))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "config.yaml")
	if err := os.WriteFile(path, []byte("corpus:\n  sources: ["+src+"]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestGoldenSeveralDocuments checks chapters, cite, about and an
// abstention with several documents indexed, and about in French.
func TestGoldenSeveralDocuments(t *testing.T) {
	config := severalConfig(t)
	tests := []struct {
		name string
		args []string
	}{
		{"several-chapters", []string{"chapters"}},
		{"several-chapters-fr", []string{"chapters", "--lang", "fr"}},
		{"several-cite-briefing", []string{"cite", "briefing:¶1"}},
		{"several-cite-note", []string{"cite", "note:1"}},
		{"several-about", []string{"about"}},
		{"several-abstain", []string{"ask", "best ramen near shibuya station?"}},
		{"about-fr", []string{"about", "--lang", "fr"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := tt.args
			if tt.name != "about-fr" {
				args = append([]string{"--config", config}, args...)
			}
			code, out, errs := run(t, args...)
			if code != 0 || errs != "" {
				t.Fatalf("exit %d, stderr %q", code, errs)
			}
			golden(t, tt.name, out)
		})
	}
}

// TestSeveralDocuments checks what is said about documents in words, not
// golden text: no empty chapter line, no other source named in an
// abstention, an unknown document named as such with the known ones.
func TestSeveralDocuments(t *testing.T) {
	config := severalConfig(t)
	t.Run("chapters names each document", func(t *testing.T) {
		_, out, _ := run(t, "--config", config, "chapters")
		for _, w := range []string{"digest: Tokyo Declaration of the First", "\nbriefing: Briefing on the Example Summit\n", "\nnote: Note on the meeting\n"} {
			if !strings.HasPrefix(out, w) && !strings.Contains(out, w) {
				t.Errorf("chapters lacks %q:\n%s", w, out)
			}
		}
		if strings.Contains(out, "\n0. ") || strings.HasPrefix(out, "0. ") {
			t.Errorf("chapters prints a chapter 0:\n%s", out)
		}
	})
	t.Run("abstention names no other source", func(t *testing.T) {
		_, out, _ := run(t, "--config", config, "ask", "best ramen near shibuya station?")
		if strings.Contains(out, "Also quoted") || strings.Contains(out, "indexed document") {
			t.Errorf("an abstention names a source it did not quote:\n%s", out)
		}
	})
	t.Run("about counts documents", func(t *testing.T) {
		_, out, _ := run(t, "--config", config, "about")
		if !strings.Contains(out, "Documents: 3\n") || !strings.Contains(out, "1 passage)") || !strings.Contains(out, "34 passages)") {
			t.Errorf("about:\n%s", out)
		}
		_, out, _ = run(t, "about")
		if !strings.Contains(out, "Documents: 1\n") {
			t.Errorf("about counts the digest's two languages as two documents:\n%s", out)
		}
	})
	t.Run("about in French", func(t *testing.T) {
		_, out, _ := run(t, "about", "--lang", "fr")
		for _, en := range []string{"Kind:", "Embedder:", "built "} {
			if strings.Contains(out, en) {
				t.Errorf("about --lang fr shows %q:\n%s", en, out)
			}
		}
	})
	for _, tt := range []struct {
		name string
		args []string
		want []string
	}{
		{"unknown document", []string{"cite", "nosuch:1.1"}, []string{`There is no indexed document "nosuch"`, `"digest", "briefing", "note"`}},
		{"unknown document fr", []string{"cite", "--lang", "fr", "nosuch:1.1"}, []string{`Aucun document indexé ne s'appelle "nosuch"`}},
		{"long unknown document", []string{"cite", strings.Repeat("x", 5000) + ":1.1"}, []string{"…"}},
		{"no such chapter", []string{"cite", "briefing:7"}, []string{"There is no chapter 7"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errs := run(t, append([]string{"--config", config}, tt.args...)...)
			if code != 2 || out != "" {
				t.Errorf("exit %d, stdout %q; want 2 and nothing", code, out)
			}
			for _, w := range tt.want {
				if !strings.Contains(errs, w) {
					t.Errorf("stderr %q, want %q", errs, w)
				}
			}
			if len(errs) > 400 {
				t.Errorf("stderr is %d bytes long", len(errs))
			}
		})
	}
}

// TestHelpNamesDocumentRefs checks that cite's help tells of
// document-qualified references.
func TestHelpNamesDocumentRefs(t *testing.T) {
	_, out, _ := run(t, "cite", "--help")
	if !strings.Contains(out, "official:4.2") {
		t.Errorf("cite --help does not mention document:ref:\n%s", out)
	}
}
