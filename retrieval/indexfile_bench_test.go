package retrieval

import (
	"context"
	"path/filepath"
	"testing"
)

// BenchmarkBuild1000 is the time to build an index of 1,000 passages with
// the built-in embedder, everything embedded (a first `declbot index`).
func BenchmarkBuild1000(b *testing.B) {
	docs := synthDocs(1000, 1)
	ctx := context.Background()
	for b.Loop() {
		if _, _, err := Rebuild(ctx, docs, NewHashEmbedder(0), nil, nil); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkReindex1000Unchanged is the time of a reindex of 1,000
// passages where nothing changed: nothing is embedded.
func BenchmarkReindex1000Unchanged(b *testing.B) {
	docs := synthDocs(1000, 1)
	ctx := context.Background()
	prev, err := Build(ctx, docs, NewHashEmbedder(0))
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, _, err := Rebuild(ctx, docs, NewHashEmbedder(0), prev, nil); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkLoadFile100k is the time to load (read, verify, decode and
// assemble) an index file of 100,000 passages.
func BenchmarkLoadFile100k(b *testing.B) {
	path := filepath.Join(b.TempDir(), "big.index")
	if err := WriteFile(path, buildSynth(b, 100_000, 1)); err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	emb := NewHashEmbedder(0)
	b.ResetTimer()
	for b.Loop() {
		if _, _, err := LoadFile(ctx, path, emb); err != nil {
			b.Fatal(err)
		}
	}
}
