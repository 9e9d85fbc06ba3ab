package main

import (
	"bytes"
	"io/fs"
	"math/rand"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestIndexSourceFlagCounts checks that --source is a source: with
// corpus.include_bundled false and no corpus.sources, it is all there is
// to index.
func TestIndexSourceFlagCounts(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "official.en.txt"), []byte(officialText), 0o644)
	os.WriteFile(filepath.Join(dir, "config.yaml"), []byte("corpus:\n  include_bundled: false\n"), 0o644)
	rep := indexJSON(t, dir, "--source", "official.en.txt")
	if rep.Documents != 1 || rep.Passages != 4 {
		t.Errorf("indexed %d documents, %d passages; want the one source's 1 and 4", rep.Documents, rep.Passages)
	}
	// Nothing at all is still a clear usage error.
	os.Remove(filepath.Join(dir, DefaultIndexPath))
	code, _, errs := runIn(t, dir, "index")
	if code != 2 || !strings.Contains(errs, "nothing to index") || !strings.Contains(errs, "--source") {
		t.Errorf("index with nothing: exit %d, %q; want 2 and what to give", code, errs)
	}
}

// TestIndexSourceGivenTwice checks that a configured source given again
// with --source, or a file inside a configured folder, is read once,
// not reported as a name clash with itself.
func TestIndexSourceGivenTwice(t *testing.T) {
	dir := t.TempDir()
	docs := filepath.Join(dir, "docs")
	os.Mkdir(docs, 0o755)
	src := filepath.Join(docs, "official.en.txt")
	os.WriteFile(src, []byte(officialText), 0o644)
	for name, tt := range map[string]struct{ config, flag string }{
		"same file":      {src, src},
		"relative again": {src, "docs/official.en.txt"},
		"file in folder": {docs, src},
	} {
		t.Run(name, func(t *testing.T) {
			os.WriteFile(filepath.Join(dir, "config.yaml"), []byte("corpus:\n  sources: ["+tt.config+"]\n"), 0o644)
			rep := indexJSON(t, dir, "--source", tt.flag)
			if docs, _ := bundledCounts(t); rep.Documents != docs+1 {
				t.Errorf("%d documents, want the digest's %d and the source's 1", rep.Documents, docs)
			}
		})
	}
}

// TestIndexCheckUsesLastBuild checks that after `index --source src`, a
// plain `index --check` compares with the sources of that build, says
// so, and when they changed names the command that rebuilds them all.
func TestIndexCheckUsesLastBuild(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "official.en.txt")
	os.WriteFile(src, []byte(officialText), 0o644)
	indexJSON(t, dir, "--source", "official.en.txt")

	code, out, errs := runIn(t, dir, "index", "--check")
	if code != 0 {
		t.Fatalf("--check after index --source: exit %d\n%s%s", code, out, errs)
	}
	if !strings.Contains(out, "compared with the sources of the last build: the bundled digest, "+src) {
		t.Errorf("--check does not say what it compared:\n%s", out)
	}

	os.WriteFile(src, []byte(strings.Replace(officialText, "thirty years", "thirty-three years", 1)), 0o644)
	code, out, _ = runIn(t, dir, "index", "--check")
	if code != 1 || !strings.Contains(out, "run: declbot index --source "+src) {
		t.Errorf("stale: exit %d, want 1 and the command that keeps the source:\n%s", code, out)
	}

	// Told otherwise: --source names what to compare with.
	code, out, _ = runIn(t, dir, "index", "--check", "--source", src)
	if code != 1 || !strings.Contains(out, "compared with the configuration and --source: the bundled digest, "+src) {
		t.Errorf("--check --source: exit %d:\n%s", code, out)
	}
}

// TestIndexUnchangedWritesNothing checks that a reindex with nothing
// changed leaves the file and its .prev as they were.
func TestIndexUnchangedWritesNothing(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "official.en.txt")
	os.WriteFile(src, []byte(officialText), 0o644)
	indexJSON(t, dir, "--source", "official.en.txt")
	os.WriteFile(src, []byte(strings.Replace(officialText, "thirty years", "thirty-three years", 1)), 0o644)
	if rep := indexJSON(t, dir, "--source", "official.en.txt"); !rep.Written { // now there is a .prev
		t.Fatal("a changed source did not rewrite the index")
	}
	path := filepath.Join(dir, DefaultIndexPath)
	stat := func(p string) time.Time {
		st, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		return st.ModTime()
	}
	old := time.Now().Add(-time.Hour)
	os.Chtimes(path, old, old)
	os.Chtimes(path+".prev", old, old)
	code, out, errs := runIn(t, dir, "index", "--source", "official.en.txt")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if !stat(path).Equal(old) || !stat(path+".prev").Equal(old) {
		t.Errorf("the index file or its .prev was rewritten though nothing changed")
	}
	if !strings.Contains(out, "nothing changed") {
		t.Errorf("the report does not say nothing was written:\n%s", out)
	}
}

// TestIndexRefusesBinarySource checks that a source of random bytes
// fails the build with one short line naming it, and that the index
// built before stays as it was.
func TestIndexRefusesBinarySource(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "official.en.txt"), []byte(officialText), 0o644)
	os.WriteFile(filepath.Join(dir, "config.yaml"), []byte("corpus:\n  include_bundled: false\n"), 0o644)
	indexJSON(t, dir, "--source", "official.en.txt")
	before, err := os.ReadFile(filepath.Join(dir, DefaultIndexPath))
	if err != nil {
		t.Fatal(err)
	}
	random := make([]byte, 200000)
	rand.New(rand.NewSource(1)).Read(random)
	os.WriteFile(filepath.Join(dir, "random.en.txt"), random, 0o644)
	code, out, errs := runIn(t, dir, "index", "--source", "random.en.txt")
	if code == 0 || !strings.Contains(errs, "random.en.txt: not a text file") || strings.Count(errs, "\n") != 1 || len(errs) > 200 {
		t.Errorf("index of random bytes: exit %d, stdout %q, stderr %q; want a failure in one short line naming the file", code, out, errs)
	}
	if after, _ := os.ReadFile(filepath.Join(dir, DefaultIndexPath)); !bytes.Equal(after, before) {
		t.Error("the index built before was replaced")
	}
}

// TestIndexBadSource checks that a source that cannot be indexed is
// refused, exit 2 (a wrong path or file, which running again would not
// fix), in one line naming it without the system call that found it, and
// that the index built before is left as it was and still answers.
func TestIndexBadSource(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "official.en.txt"), []byte(officialText), 0o644)
	indexJSON(t, dir)
	path := filepath.Join(dir, DefaultIndexPath)
	before, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, "empty.en.pdf"), nil, 0o644)
	random := make([]byte, 5000)
	rand.New(rand.NewSource(2)).Read(random)
	os.WriteFile(filepath.Join(dir, "random.en.txt"), random, 0o644)
	os.Mkdir(filepath.Join(dir, "nothing"), 0o755)
	os.WriteFile(filepath.Join(dir, "nothing", "notes.bin"), []byte("x"), 0o644)
	tests := []struct {
		name, source, want string
	}{
		{"missing", "missing.en.md", "/missing.en.md: no such file or directory\n"},
		{"empty PDF", "empty.en.pdf", "not a PDF file"},
		{"random bytes", "random.en.txt", "random.en.txt: not a text file"},
		{"folder without documents", "nothing", "/nothing: no documents (want .htm, "},
		{"device", "/dev/null", "declbot: corpus source /dev/null: not a regular file (a device)\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errs := runIn(t, dir, "index", "--source", tt.source)
			if code != 2 || out != "" || !strings.Contains(errs, tt.want) || strings.Count(errs, "\n") != 1 || strings.Contains(errs, "stat ") {
				t.Errorf("exit %d, stdout %q, stderr %q; want 2, nothing, and one line with %q", code, out, errs, tt.want)
			}
			if after, _ := os.ReadFile(path); !bytes.Equal(after, before) {
				t.Fatal("the index built before was changed")
			}
			if code, out, errs := runIn(t, dir, "cite", "--json", "4.2"); code != 0 || !strings.Contains(out, `"id": "4.2"`) {
				t.Errorf("the index built before no longer answers: exit %d, %s%s", code, out, errs)
			}
		})
	}
}

// TestIndexPathNotAFile checks that index refuses an --index that is a
// folder, a named pipe or a device, exit 2, and leaves it as it was: the
// file is replaced by a rename, and as root `index --index /dev/null`
// once put an index file in the device's place.
func TestIndexPathNotAFile(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "pipe.index")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	folder := filepath.Join(dir, "folder.index")
	os.Mkdir(folder, 0o755)
	tests := []struct {
		name, path, want string
		mode             fs.FileMode
	}{
		{"named pipe", fifo, "index file " + fifo + " is not a regular file", fs.ModeNamedPipe},
		{"folder", folder, "index file " + folder + " is a folder", fs.ModeDir},
	}
	for _, tt := range tests {
		for _, check := range []bool{false, true} {
			args := []string{"index", "--index", tt.path}
			if check {
				args = append(args, "--check")
			}
			t.Run(strings.Join(args[1:], " "), func(t *testing.T) {
				code, out, errs := runIn(t, dir, args...)
				if code != 2 || out != "" || !strings.HasPrefix(errs, "declbot: "+tt.want+" (the path of the index file wanted") || strings.Count(errs, "\n") != 1 {
					t.Errorf("exit %d, stdout %q, stderr %q; want 2, nothing, and %q", code, out, errs, tt.want)
				}
				fi, err := os.Lstat(tt.path)
				if err != nil || fi.Mode().Type() != tt.mode {
					t.Errorf("%s is now %v (%v), want it left as it was", tt.path, fi.Mode(), err)
				}
				if _, err := os.Lstat(tt.path + ".prev"); err == nil {
					t.Errorf("%s.prev was made", tt.path)
				}
			})
		}
	}
}
