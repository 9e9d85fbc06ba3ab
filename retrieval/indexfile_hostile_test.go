package retrieval

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// TestIndexPathNotARegularFile checks that an index path naming a device,
// a FIFO or a folder is refused at once, by every reader, instead of being
// read until memory runs out (/dev/zero) or blocking (a FIFO).
func TestIndexPathNotARegularFile(t *testing.T) {
	dir := t.TempDir()
	zero := filepath.Join(dir, "zero.index")
	if err := os.Symlink("/dev/zero", zero); err != nil {
		t.Fatal(err)
	}
	fifo := filepath.Join(dir, "fifo.index")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	emb := NewHashEmbedder(0)
	readers := map[string]func(string) error{
		"LoadFile":       func(p string) error { _, _, err := LoadFile(context.Background(), p, emb); return err },
		"VerifyFile":     func(p string) error { _, err := VerifyFile(p, emb.Spec()); return err },
		"ReadFileHeader": func(p string) error { _, err := ReadFileHeader(p); return err },
	}
	for name, path := range map[string]string{"symlink to /dev/zero": zero, "FIFO": fifo, "folder": dir} {
		for reader, read := range readers {
			t.Run(name+"/"+reader, func(t *testing.T) {
				done := make(chan error, 1)
				go func() { done <- read(path) }()
				select {
				case err := <-done:
					var fe *FileError
					if !errors.As(err, &fe) || fe.Kind != FileNotIndex {
						t.Errorf("%s(%s) = %v, want a FileNotIndex error", reader, name, err)
					}
				case <-time.After(10 * time.Second):
					t.Fatalf("%s(%s) still reading after 10 s", reader, name)
				}
			})
		}
	}
}

// TestLoadFileCancelled checks that a load stops when its context ends
// (SIGTERM while serve loads its index).
func TestLoadFileCancelled(t *testing.T) {
	path := filepath.Join(t.TempDir(), "declbot.index")
	if err := WriteFile(path, buildSynth(t, 200, 1)); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, _, err := LoadFile(ctx, path, NewHashEmbedder(0)); !errors.Is(err, context.Canceled) {
		t.Errorf("LoadFile with a cancelled context = %v, want context.Canceled", err)
	}
}
