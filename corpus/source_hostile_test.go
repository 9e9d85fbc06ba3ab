package corpus

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

const oneParagraph = "---\ndocument: d\ntitle: D\nlanguage: en\nkind: digest\n---\n## 1. One\n\n[1.1] Text.\n"

// TestLoadRefusesLinksOutOfTheFolder checks that a symbolic link inside a
// source folder is read only when it stays inside the folder, and that
// files that are not regular are refused rather than read.
func TestLoadRefusesLinksOutOfTheFolder(t *testing.T) {
	outside := writeFiles(t, map[string]string{"secret.md": oneParagraph})
	for _, tt := range []struct {
		name   string
		link   func(dir string) error
		refuse string // "" when Load must succeed
	}{
		{"link inside the folder", func(dir string) error {
			return os.Symlink(filepath.Join(dir, "a.md"), filepath.Join(dir, "b.md"))
		}, ""},
		{"relative link inside the folder", func(dir string) error {
			return os.Symlink("a.md", filepath.Join(dir, "c.md"))
		}, ""},
		{"link out of the folder", func(dir string) error {
			return os.Symlink(filepath.Join(outside, "secret.md"), filepath.Join(dir, "b.md"))
		}, "outside the source folder"},
		{"relative link out of the folder", func(dir string) error {
			return os.Symlink(filepath.Join("..", filepath.Base(outside), "secret.md"), filepath.Join(dir, "b.md"))
		}, "outside the source folder"},
		{"link to a device", func(dir string) error {
			return os.Symlink("/dev/zero", filepath.Join(dir, "b.md"))
		}, "outside the source folder"},
		{"FIFO", func(dir string) error {
			return syscall.Mkfifo(filepath.Join(dir, "b.md"), 0o600)
		}, "b.md: not a regular file (a named pipe)"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			parent := t.TempDir()
			dir := filepath.Join(parent, "src")
			if err := os.Mkdir(dir, 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, "a.md"), []byte(strings.Replace(oneParagraph, "document: d", "document: a", 1)), 0o644); err != nil {
				t.Fatal(err)
			}
			if tt.name == "relative link out of the folder" {
				// The link climbs from src to a sibling of it.
				if err := os.Symlink(outside, filepath.Join(parent, filepath.Base(outside))); err != nil {
					t.Fatal(err)
				}
			}
			if err := tt.link(dir); err != nil {
				t.Fatal(err)
			}
			_, err := Load(dir)
			switch {
			case tt.refuse == "" && err != nil && !strings.Contains(err.Error(), "already used"):
				t.Errorf("Load = %v, want the link followed", err)
			case tt.refuse != "" && (err == nil || !strings.Contains(err.Error(), tt.refuse)):
				t.Errorf("Load = %v, want an error saying %q", err, tt.refuse)
			}
		})
	}
}

func TestLoadRefusesADeviceNamedDirectly(t *testing.T) {
	link := filepath.Join(t.TempDir(), "zero.md")
	if err := os.Symlink("/dev/zero", link); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(link); err == nil || !strings.HasSuffix(err.Error(), "zero.md: not a regular file (a device)") {
		t.Errorf("Load(symlink to /dev/zero) = %v, want it refused", err)
	}
}

// TestLoadRefusesASidecarNotAFile checks that a sidecar front matter
// ("a.md.yaml") that is a link to a device or a FIFO is refused as a
// source would be, naming it, instead of being read until memory runs out
// (/dev/zero) or for ever (a FIFO nobody writes to).
func TestLoadRefusesASidecarNotAFile(t *testing.T) {
	for _, tt := range []struct {
		name string
		make func(path string) error
		want string
	}{
		{"link to a device", func(p string) error { return os.Symlink("/dev/zero", p) }, "a.md.yaml: not a regular file (a device)"},
		{"FIFO", func(p string) error { return syscall.Mkfifo(p, 0o600) }, "a.md.yaml: not a regular file (a named pipe)"},
	} {
		for _, inFolder := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s, in a folder %v", tt.name, inFolder), func(t *testing.T) {
				dir := t.TempDir()
				doc := filepath.Join(dir, "a.md")
				if err := os.WriteFile(doc, []byte(strings.Replace(oneParagraph, "document: d", "document: a", 1)), 0o644); err != nil {
					t.Fatal(err)
				}
				if err := tt.make(doc + ".yaml"); err != nil {
					t.Fatal(err)
				}
				want, path := tt.want, doc
				if inFolder {
					path = dir
					if tt.name == "link to a device" {
						want = "outside the source folder"
					}
				}
				if _, err := Load(path); err == nil || !strings.Contains(err.Error(), want) {
					t.Errorf("Load = %v, want an error saying %q", err, want)
				}
			})
		}
	}
}
