package corpus

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func writeFiles(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, body := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestLoadFolder(t *testing.T) {
	html, _ := os.ReadFile("testdata/page.html")
	pdf, _ := os.ReadFile("testdata/sample.pdf")
	dir := writeFiles(t, map[string]string{
		"official.en.html":     string(html),
		"official.fr.txt":      "1. Aperçu\n\n" + corps + "\n\n2. Domaines\n\n" + corps,
		"sample.pdf":           string(pdf),
		"notes/extra.md":       "# Notes\n\n" + body,
		"README":               "not read: no known extension",
		".hidden/secret.txt":   body,
		"image.png":            "\x89PNG",
		"digest.en.md":         "---\ndocument: digest\ntitle: D\nlanguage: en\nkind: digest\n---\n## 1. One\n\n[1.1] Text.\n",
		"sub/declaration.text": body,
	})
	docs, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, d := range docs {
		got = append(got, d.Name+"/"+d.Lang)
	}
	want := "digest/en extra/en official/en official/fr sample/en declaration/en"
	if strings.Join(got, " ") != want {
		t.Errorf("documents = %s, want %s", strings.Join(got, " "), want)
	}
	keys := map[string]bool{}
	for _, d := range docs {
		for _, p := range d.Passages() {
			if keys[p.Key()] {
				t.Errorf("passage key %s appears twice", p.Key())
			}
			keys[p.Key()] = true
		}
	}
}

func TestLoadErrorsNameTheFile(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		want  []string
	}{
		{"same name and language", map[string]string{"a/decl.en.txt": body, "b/decl.txt": body},
			[]string{"decl.txt", "decl.en.txt", `document name "decl" (en)`, "rename"}},
		{"bad project file", map[string]string{"digest.md": "---\ndocument: digest\ntitle: D\nlanguage: en\n---\n[1.1] Text.\n"},
			[]string{"digest.md:6:", "outside a chapter"}},
		{"empty file", map[string]string{"empty.txt": "\n\n"}, []string{"empty.txt:1: no text found"}},
		{"broken pdf", map[string]string{"broken.pdf": "%PDF-1.4\nnot really"}, []string{"broken.pdf:1: PDF:"}},
		{"bad front matter", map[string]string{"x.txt": "---\nlanguage: de\n---\nText."}, []string{"x.txt:1:", `"de"`}},
		{"no documents", map[string]string{"x.png": "png"}, []string{"no documents", ".pdf"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := writeFiles(t, tt.files)
			_, err := Load(dir)
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
		})
	}
	if _, err := Load(filepath.Join(t.TempDir(), "missing.pdf")); err == nil || !strings.Contains(err.Error(), "missing.pdf") {
		t.Errorf("missing file: error %v does not name it", err)
	}
}

func TestParseFileSniffs(t *testing.T) {
	pdf, _ := os.ReadFile("testdata/sample.pdf")
	html, _ := os.ReadFile("testdata/page.html")
	tests := []struct {
		name string
		data []byte
		want string // title
	}{
		{"download", pdf, "Tokyo Declaration of the Example Dialogue Summit"},
		{"page", html, "Tokyo Declaration (example)"},
		{"notes", []byte("# Heading One\n\n" + body), "Heading One"},
	}
	for _, tt := range tests {
		d, err := ParseFile(tt.name, tt.data)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if d.Title != tt.want {
			t.Errorf("%s: title %q, want %q", tt.name, d.Title, tt.want)
		}
	}
	if _, err := ParseFile("blob", []byte("\x00\x01\x02binary")); err == nil || !strings.Contains(err.Error(), "blob: not a format") {
		t.Errorf("binary: got %v", err)
	}
}

func TestCheckNamesBundledAndOfficial(t *testing.T) {
	digest := &Document{Name: "digest", Lang: "en", Path: "bundled digest"}
	official := &Document{Name: "tokyo-declaration", Lang: "en", Path: "tokyo-declaration.pdf"}
	if err := CheckNames([]*Document{digest, official}); err != nil {
		t.Errorf("digest and official collide: %v", err)
	}
	clash := &Document{Name: "digest", Lang: "en", Path: "digest.txt"}
	if err := CheckNames([]*Document{digest, clash}); err == nil || !strings.Contains(err.Error(), "digest.txt") {
		t.Errorf("clash: got %v", err)
	}
}

func TestLoadSidecar(t *testing.T) {
	pdf, _ := os.ReadFile("testdata/sample.pdf")
	dir := writeFiles(t, map[string]string{
		"decl.pdf": string(pdf),
		"decl.pdf.yaml": "document: tokyo-declaration\ntitle: Tokyo Declaration (official)\nlanguage: en\n" +
			"kind: official\nsource: https://example.org/decl.pdf\ndate: 2025-12-20\n",
	})
	docs, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(docs) != 1 {
		t.Fatalf("%d documents, want 1 (the sidecar is not a document)", len(docs))
	}
	d := docs[0]
	if d.Name != "tokyo-declaration" || d.Kind != Official || d.Title != "Tokyo Declaration (official)" ||
		d.Source != "https://example.org/decl.pdf" || d.Date != "2025-12-20" {
		t.Errorf("sidecar not applied: %+v", d)
	}
	for _, p := range d.Passages() {
		if p.Doc != "tokyo-declaration" || p.Lang != "en" {
			t.Fatalf("passage %s keeps doc %q lang %q", p.ID, p.Doc, p.Lang)
		}
	}

	// Saved with a byte order mark, as Windows editors do, it reads the same.
	bom := writeFiles(t, map[string]string{"decl.pdf": string(pdf), "decl.pdf.yaml": "\ufeffdocument: tokyo-declaration\nkind: official\n"})
	if docs, err := Load(bom); err != nil || len(docs) != 1 || docs[0].Name != "tokyo-declaration" || docs[0].Kind != Official {
		t.Errorf("sidecar with a byte order mark: %v", err)
	}

	bad := writeFiles(t, map[string]string{"decl.pdf": string(pdf), "decl.pdf.yaml": "kind: secret\n"})
	if _, err := Load(bad); err == nil || !strings.Contains(err.Error(), "decl.pdf.yaml:1:") || !strings.Contains(err.Error(), `kind "secret"`) {
		t.Errorf("bad sidecar: %v", err)
	}
}
