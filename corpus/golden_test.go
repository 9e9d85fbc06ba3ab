package corpus

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

var update = flag.Bool("update", false, "rewrite golden files under testdata/golden")

// render prints a document as the golden files hold it. With clip > 0,
// passage texts are cut to clip runes (for third-party text).
func render(d *Document, clip int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "name: %s\ntitle: %s\nlang: %s\nkind: %s\nsource: %s\n", d.Name, d.Title, d.Lang, d.Kind, d.Source)
	for _, c := range d.Chapters {
		fmt.Fprintf(&b, "\n== chapter %d: %s\n", c.Number, c.Title)
		for _, p := range c.Passages {
			text := p.Text
			if clip > 0 && utf8.RuneCountInString(text) > clip {
				text = string([]rune(text)[:clip]) + "…"
			}
			fmt.Fprintf(&b, "[%s] (%d chars) %s\n", p.ID, utf8.RuneCountInString(p.Text), strings.ReplaceAll(text, "\n", "\n    | "))
		}
	}
	return b.String()
}

// checkGolden compares got with testdata/golden/name, or rewrites it.
func checkGolden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name)
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
		t.Errorf("%s differs from golden (go test -run %s -update to accept):\n--- got\n%s\n--- want\n%s", path, t.Name(), got, want)
	}
}
