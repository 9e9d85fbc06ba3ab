package retrieval

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/declbot/declbot/corpus"
)

// words for synthetic passages: enough variety for distinct vectors.
var synthWords = strings.Fields(`leaders dialogue cooperation connectivity transport corridor minerals
energy climate resilience disaster digital artificial intelligence human resources exchange students
region security economy trade investment summit declaration partnership friendship trust water food
health education culture tourism agriculture logistics railway port customs border afghanistan nations`)

// synthDocs returns one English document of n passages in chapters of 50,
// its text drawn deterministically from seed.
func synthDocs(n int, seed int64) []*corpus.Document {
	r := rand.New(rand.NewSource(seed))
	d := &corpus.Document{Name: "synth", Title: "Synthetic", Lang: "en", Kind: corpus.Other, Path: "synth"}
	for i := 0; i < n; i++ {
		c := i/50 + 1
		if len(d.Chapters) < c {
			d.Chapters = append(d.Chapters, corpus.Chapter{Number: c, Title: fmt.Sprintf("Chapter %d", c)})
		}
		var w []string
		for range 40 + r.Intn(30) {
			w = append(w, synthWords[r.Intn(len(synthWords))])
		}
		ch := &d.Chapters[c-1]
		ch.Passages = append(ch.Passages, corpus.Passage{
			Doc: "synth", ID: fmt.Sprintf("%d.%d", c, len(ch.Passages)+1), Chapter: c,
			ChapterTitle: ch.Title, Lang: "en", Text: strings.Join(w, " ") + ".",
		})
	}
	return []*corpus.Document{d}
}

func buildSynth(t testing.TB, n int, seed int64) *Index {
	t.Helper()
	ix, err := Build(context.Background(), synthDocs(n, seed), NewHashEmbedder(0))
	if err != nil {
		t.Fatal(err)
	}
	return ix
}

func TestIndexFileRoundTrip(t *testing.T) {
	ctx := context.Background()
	ix := bundledIndex(t)
	path := filepath.Join(t.TempDir(), "declbot.index")
	if err := WriteFile(path, ix); err != nil {
		t.Fatal(err)
	}
	got, hdr, err := LoadFile(ctx, path, NewHashEmbedder(0))
	if err != nil {
		t.Fatal(err)
	}
	if hdr.Passages != ix.Info().Passages || hdr.CorpusHash != ix.Info().CorpusHash || hdr.Embedder != ix.Info().Embedder {
		t.Errorf("header %+v does not describe the index %+v", hdr, ix.Info())
	}
	if !got.Info().BuiltAt.Equal(ix.Info().BuiltAt) {
		t.Errorf("built at %v, want %v", got.Info().BuiltAt, ix.Info().BuiltAt)
	}
	for i, v := range ix.Vectors() {
		for j := range v {
			// Assemble normalises again: allow for the last bit.
			if d := got.Vectors()[i][j] - v[j]; d > 1e-6 || d < -1e-6 {
				t.Fatalf("vector %d differs after reload", i)
			}
		}
	}
	for _, q := range []string{"critical minerals", "minéraux critiques", "Afghanistan"} {
		a, _ := ix.Search(ctx, q, SearchOptions{})
		b, _ := got.Search(ctx, q, SearchOptions{})
		if fmt.Sprint(a) != fmt.Sprint(b) {
			t.Errorf("search %q differs after reload:\n%v\n%v", q, a, b)
		}
	}
	if _, err := VerifyFile(path, NewHashEmbedder(0).Spec()); err != nil {
		t.Errorf("VerifyFile: %v", err)
	}
	h, err := ReadFileHeader(path)
	if err != nil || h.CorpusHash != hdr.CorpusHash || len(h.Hashes) != hdr.Passages {
		t.Errorf("ReadFileHeader = %+v, %v", h.Embedder, err)
	}
}

func TestWriteFileKeepsPrevious(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "x.index")
	a, b := buildSynth(t, 60, 1), buildSynth(t, 70, 2)
	if err := WriteFile(path, a); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path + ".prev"); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("first write made a .prev: %v", err)
	}
	// A killed writer's leftovers are cleaned by the next write.
	os.WriteFile(filepath.Join(dir, "x.index.tmp-123"), []byte("half"), 0o644)
	if err := WriteFile(path, b); err != nil {
		t.Fatal(err)
	}
	cur, _, err := LoadFile(ctx, path, NewHashEmbedder(0))
	if err != nil || cur.Info().Passages != 70 {
		t.Fatalf("current: %v", err)
	}
	prev, _, err := LoadFile(ctx, path+".prev", NewHashEmbedder(0))
	if err != nil || prev.Info().Passages != 60 {
		t.Fatalf("previous: %v", err)
	}
	left, _ := filepath.Glob(filepath.Join(dir, "*tmp*"))
	if len(left) != 0 {
		t.Errorf("temporary files left: %v", left)
	}

	// A writer killed between its two renames leaves .prev and the index
	// as two links to one file: the next write must still work cleanly.
	os.Remove(path + ".prev")
	if err := os.Link(path, path+".prev"); err != nil {
		t.Skip("no hard links here")
	}
	if err := WriteFile(path, a); err != nil {
		t.Fatal(err)
	}
	if left, _ := filepath.Glob(filepath.Join(dir, "*tmp*")); len(left) != 0 {
		t.Errorf("temporary files left after a write over linked files: %v", left)
	}
	if prev, _, err := LoadFile(ctx, path+".prev", NewHashEmbedder(0)); err != nil || prev.Info().Passages != 70 {
		t.Errorf("previous after a write over linked files: %v", err)
	}
}

// TestWriteFileKeepsOtherFiles: a file at the index's path, or at its
// .prev, that does not start as an index file is never replaced; an
// index file, even a broken or empty one, is.
func TestWriteFileKeepsOtherFiles(t *testing.T) {
	for _, tt := range []struct {
		name        string
		at, content string
		refused     bool
	}{
		{"document", "", "# notes\n", true},
		{"document as .prev", ".prev", "# notes\n", true},
		{"magic alone", "", "declbot-index\n", true},
		{"broken index", "", "declbot-index 1\n{", false},
		{"cut in the magic", "", "declbot-ind", false},
		{"empty", "", "", false},
		{"broken .prev", ".prev", "declbot-index 7\n", false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "x.index")
			if tt.at == ".prev" {
				if err := WriteFile(path, buildSynth(t, 10, 1)); err != nil {
					t.Fatal(err)
				}
			}
			os.WriteFile(path+tt.at, []byte(tt.content), 0o644)
			err := WriteFile(path, buildSynth(t, 10, 2))
			var fe *FileError
			if got := errors.As(err, &fe) && fe.Kind == FileNotIndex && fe.Path == path+tt.at; got != tt.refused {
				t.Fatalf("WriteFile: %v; want refused %v", err, tt.refused)
			}
			if !tt.refused {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if !strings.HasSuffix(err.Error(), NotIndexHint) {
				t.Errorf("error %q does not end with %q", err, NotIndexHint)
			}
			if got, _ := os.ReadFile(path + tt.at); string(got) != tt.content {
				t.Errorf("%s now holds %.40q", path+tt.at, got)
			}
		})
	}
}

func TestWriteFileMakesFolder(t *testing.T) {
	path := filepath.Join(t.TempDir(), "var", "lib", "declbot", "x.index")
	if err := WriteFile(path, buildSynth(t, 10, 1)); err != nil {
		t.Fatal(err)
	}
	if _, err := VerifyFile(path, NewHashEmbedder(0).Spec()); err != nil {
		t.Error(err)
	}
}

// TestWriteFileUnwritable: a file that cannot be written says where to
// write it instead, not to run the indexing that just failed.
func TestWriteFileUnwritable(t *testing.T) {
	notDir := filepath.Join(t.TempDir(), "a-file")
	if err := os.WriteFile(notDir, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	err := WriteFile(filepath.Join(notDir, "x.index"), buildSynth(t, 10, 1))
	var fe *FileError
	if !errors.As(err, &fe) || fe.Kind != FileIO {
		t.Fatalf("got %v, want a FileIO *FileError", err)
	}
	if msg := err.Error(); !strings.Contains(msg, WriteHint) || strings.Contains(msg, RebuildHint) {
		t.Errorf("%q: want the write hint, not %q", msg, RebuildHint)
	}
}

func TestWriteFileLocked(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.index")
	unlock, err := lockFile(path + ".lock")
	if err != nil {
		t.Fatal(err)
	}
	defer unlock()
	// flock locks belong to the open file: a second open in the same
	// process conflicts as another process would.
	err = WriteFile(path, buildSynth(t, 10, 1))
	if err == nil || !strings.Contains(err.Error(), "another declbot is writing it") {
		t.Errorf("got %v, want a lock error", err)
	}
}

// TestBrokenIndexFiles damages a good file every way the issue names and
// checks each gives a *FileError of the right kind, naming the file and
// what to run, and never a panic.
func TestBrokenIndexFiles(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	good := filepath.Join(dir, "good.index")
	if err := WriteFile(good, buildSynth(t, 40, 3)); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(good)
	hdrEnd := strings.Index(string(data), "\n") + 1
	hdrEnd += strings.Index(string(data[hdrEnd:]), "\n") + 1

	flip := func(at int) []byte {
		d := append([]byte(nil), data...)
		d[at] ^= 0x20
		return d
	}
	tests := []struct {
		name string
		data []byte
		emb  Embedder
		kind FileErrorKind
		msg  string
	}{
		{"empty", nil, nil, FileTruncated, "is empty"},
		{"cut in the magic", data[:5], nil, FileTruncated, "truncated"},
		{"cut in the header", data[:hdrEnd-10], nil, FileTruncated, "truncated"},
		{"cut after the header", data[:hdrEnd], nil, FileTruncated, "truncated"},
		{"cut in the payload", data[:hdrEnd+(len(data)-hdrEnd)/2], nil, FileTruncated, "truncated"},
		{"cut in the checksum", data[:len(data)-5], nil, FileTruncated, "truncated"},
		{"byte flipped in the header", flip(hdrEnd - 20), nil, FileCorrupt, "corrupt"},
		{"byte flipped in the documents", flip(hdrEnd + 100), nil, FileCorrupt, "checksum mismatch"},
		{"byte flipped in the vectors", flip(len(data) - 200), nil, FileCorrupt, "checksum mismatch"},
		{"byte flipped in the checksum", flip(len(data) - 1), nil, FileCorrupt, "checksum mismatch"},
		{"other version", []byte(strings.Replace(string(data), "declbot-index 1\n", "declbot-index 7\n", 1)), nil, FileVersion, "format version 7; this declbot reads version 1"},
		{"not an index", []byte("%PDF-1.4 something else"), nil, FileNotIndex, "is not a declbot index file"},
		{"other dimensions", data, NewHashEmbedder(64), FileEmbedder, fmt.Sprintf("built with embedder hash %[2]s (%[1]d dims), but the configuration uses hash %[2]s (64 dims)", DefaultDims, hashEmbedderModel)},
		{"other embedder", data, fakeEmbedder{}, FileEmbedder, "other-model"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(dir, strings.ReplaceAll(tt.name, " ", "-")+".index")
			if err := os.WriteFile(path, tt.data, 0o644); err != nil {
				t.Fatal(err)
			}
			emb := tt.emb
			if emb == nil {
				emb = NewHashEmbedder(0)
			}
			for _, load := range []func() error{
				func() error { _, _, err := LoadFile(ctx, path, emb); return err },
				func() error { _, err := VerifyFile(path, emb.Spec()); return err },
			} {
				err := load()
				var fe *FileError
				if !errors.As(err, &fe) {
					t.Fatalf("got %v, want a *FileError", err)
				}
				if fe.Kind != tt.kind {
					t.Errorf("kind %d, want %d (%v)", fe.Kind, tt.kind, err)
				}
				hint := RebuildHint
				if tt.kind == FileNotIndex {
					hint = NotIndexHint // rebuilding would destroy it
				}
				for _, want := range []string{path, tt.msg, hint} {
					if !strings.Contains(err.Error(), want) {
						t.Errorf("error %q lacks %q", err, want)
					}
				}
			}
		})
	}
	_, _, err := LoadFile(ctx, filepath.Join(dir, "missing.index"), NewHashEmbedder(0))
	var fe *FileError
	if !errors.As(err, &fe) || fe.Kind != FileMissing || !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: %v", err)
	}
}

type fakeEmbedder struct{}

func (fakeEmbedder) Spec() EmbedderSpec {
	return EmbedderSpec{Name: "fake", Model: "other-model", Dims: DefaultDims}
}
func (fakeEmbedder) Embed(_ context.Context, texts []string) ([][]float32, error) {
	return NewHashEmbedder(0).Embed(context.Background(), texts)
}

// FuzzLoadFile feeds damaged index files to LoadFile: it must return an
// error or an index, never panic.
func FuzzLoadFile(f *testing.F) {
	path := filepath.Join(f.TempDir(), "seed.index")
	if err := WriteFile(path, buildSynth(f, 3, 1)); err != nil {
		f.Fatal(err)
	}
	data, _ := os.ReadFile(path)
	f.Add(data)
	f.Add(data[:len(data)/2])
	f.Fuzz(func(t *testing.T, data []byte) {
		p := filepath.Join(t.TempDir(), "f.index")
		os.WriteFile(p, data, 0o644)
		LoadFile(context.Background(), p, NewHashEmbedder(0))
	})
}

const childEnv = "DECLBOT_TEST_REINDEX_CHILD"

// TestReindexChild is the subprocess of TestKilledReindexKeepsOldIndex: it
// loads the index, rebuilds it with changed text and writes the results,
// over and over, until it is killed.
func TestReindexChild(t *testing.T) {
	path := os.Getenv(childEnv)
	if path == "" {
		t.Skip("runs only as the subprocess of TestKilledReindexKeepsOldIndex")
	}
	ctx := context.Background()
	old, _, err := LoadFile(ctx, path, NewHashEmbedder(0))
	if err != nil {
		fmt.Println("load:", err)
		os.Exit(3)
	}
	fmt.Println("ready")
	// Two reindexes with a changed passage, then their results written in
	// turn: kills land in the rebuild, in a write or between writes.
	var built [2]*Index
	for i := range built {
		docs := synthDocs(3000, 99)
		docs[0].Chapters[0].Passages[0].Text = fmt.Sprintf("Variant %d of the first passage.", i)
		ix, _, err := Rebuild(ctx, docs, NewHashEmbedder(0), old, nil)
		if err != nil {
			fmt.Println("rebuild:", err)
			os.Exit(3)
		}
		built[i] = ix
	}
	for i := 0; ; i++ {
		if err := WriteFile(path, built[i%2]); err != nil {
			fmt.Println("write:", err)
			os.Exit(3)
		}
	}
}

// TestKilledReindexKeepsOldIndex kills a reindexing subprocess with
// SIGKILL at random moments and checks, each time, that the index file
// (and its .prev) still loads and holds a whole corpus.
func TestKilledReindexKeepsOldIndex(t *testing.T) {
	if testing.Short() {
		t.Skip("subprocesses")
	}
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "declbot.index")
	first := buildSynth(t, 3000, 99)
	if err := WriteFile(path, first); err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewSource(time.Now().UnixNano()))
	midWrite := 0
	const rounds = 10
	for round := range rounds {
		cmd := exec.Command(os.Args[0], "-test.run=^TestReindexChild$")
		cmd.Env = append(os.Environ(), childEnv+"="+path)
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		line, _ := bufio.NewReader(out).ReadString('\n')
		if line != "ready\n" {
			cmd.Process.Kill()
			cmd.Wait()
			t.Fatalf("round %d: child said %q", round, line)
		}
		time.Sleep(time.Duration(r.Intn(1500)) * time.Millisecond)
		cmd.Process.Signal(syscall.SIGKILL)
		cmd.Wait()

		if left, _ := filepath.Glob(path + ".tmp-*"); len(left) > 0 {
			midWrite++
			if round%2 == 0 { // leave the rest for WriteFile to clean
				for _, f := range left {
					os.Remove(f)
				}
			}
		}
		for _, p := range []string{path, path + ".prev"} {
			ix, _, err := LoadFile(ctx, p, NewHashEmbedder(0))
			if errors.Is(err, os.ErrNotExist) && p != path {
				continue
			}
			if err != nil {
				t.Fatalf("round %d: after SIGKILL, %v", round, err)
			}
			if n := ix.Info().Passages; n != 3000 {
				t.Fatalf("round %d: %s holds %d passages, want 3000", round, p, n)
			}
		}
	}
	t.Logf("%d of %d kills found a half-written temporary file (some may be left from the round before)", midWrite, rounds)
	// The next write clears what the killed writers left.
	if err := WriteFile(path, first); err != nil {
		t.Fatal(err)
	}
	if left, _ := filepath.Glob(filepath.Join(dir, "*tmp*")); len(left) > 0 {
		t.Errorf("temporary files left after a clean write: %v", left)
	}
}

// lazyEmbedder knows its dimensions only after its first call, as a model
// server's embedder for a model it has never seen.
type lazyEmbedder struct {
	called atomic.Bool
}

func (l *lazyEmbedder) Spec() EmbedderSpec {
	s := EmbedderSpec{Name: "lazy", Model: "m"}
	if l.called.Load() {
		s.Dims = DefaultDims
	}
	return s
}

func (l *lazyEmbedder) Embed(ctx context.Context, texts []string) ([][]float32, error) {
	l.called.Store(true)
	return NewHashEmbedder(0).Embed(ctx, texts)
}

func TestLoadFileEmbedderLearningItsDims(t *testing.T) {
	ctx := context.Background()
	docs := synthDocs(20, 1)
	ix, err := Build(ctx, docs, &lazyEmbedder{})
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "x.index")
	if err := WriteFile(path, ix); err != nil {
		t.Fatal(err)
	}
	fresh := &lazyEmbedder{} // a new process: dimensions not known yet
	loaded, _, err := LoadFile(ctx, path, fresh)
	if err != nil {
		t.Fatalf("load with an embedder that has not been called: %v", err)
	}
	_, ch, err := Rebuild(ctx, docs, &lazyEmbedder{}, loaded, nil)
	if err != nil || ch.Embedded != 0 {
		t.Errorf("rebuild: %+v, %v; want nothing embedded", ch, err)
	}
	if _, _, err := LoadFile(ctx, path, NewHashEmbedder(0)); err == nil {
		t.Error("a file of another embedder loaded")
	}
}

// TestIndexFileKeepsPrintedChapters writes and reloads an official text
// whose chapters are printed as Roman numerals: the labels come back on
// the documents and on the passages, for citations ("Ch. IV, ¶15").
func TestIndexFileKeepsPrintedChapters(t *testing.T) {
	ctx := context.Background()
	long := " The leaders reviewed the cooperation of the dialogue and its achievements since the first meeting of foreign ministers."
	text := "Tokyo, 20 December 2025" + long + "\n\nI. Overview\n\n1." + long + "\n\n2." + long +
		"\n\nII. Priority Areas\n\n3." + long + "\n\n4." + long
	ix := textIndex(t, text)
	path := filepath.Join(t.TempDir(), "declbot.index")
	if err := WriteFile(path, ix); err != nil {
		t.Fatal(err)
	}
	got, _, err := LoadFile(ctx, path, NewHashEmbedder(0))
	if err != nil {
		t.Fatal(err)
	}
	var labels []string
	for _, c := range got.Documents()[0].Chapters {
		labels = append(labels, c.Name())
	}
	if got, want := strings.Join(labels, " "), "0 I II"; got != want {
		t.Errorf("chapters after reload %q, want %q", got, want)
	}
	for _, p := range got.Passages() {
		if want := map[int]string{1: "I", 2: "II"}[p.Chapter]; p.ChapterLabel != want {
			t.Errorf("¶%s: chapter label %q after reload, want %q", p.ID, p.ChapterLabel, want)
		}
	}
	plain := append([]corpus.Passage(nil), ix.Passages()...)
	for i := range plain {
		plain[i].ChapterLabel = ""
	}
	if CorpusHash(plain) == ix.Info().CorpusHash {
		t.Error("the corpus hash ignores printed chapter labels: a reindex that learns them would not rewrite the file")
	}
}

// TestWriteDocsAsMarshal checks that the documents streamed into an
// index file are the bytes json.Marshal gives, whatever they hold.
func TestWriteDocsAsMarshal(t *testing.T) {
	bundled, err := corpus.Bundled()
	if err != nil {
		t.Fatal(err)
	}
	tricky := &corpus.Document{Name: "x", Title: `"Chapters":null`, Notice: `a "Passages":null b`, Chapters: []corpus.Chapter{
		{Number: 1, Label: "I", Title: `"Passages":null`, Passages: []corpus.Passage{{ID: "1", Text: `"Passages":null</script>&`}}},
		{Number: 2},
		{Number: 3, Passages: []corpus.Passage{}},
	}}
	for _, tt := range []struct {
		name string
		docs []*corpus.Document
	}{
		{"bundled", bundled},
		{"synthetic", synthDocs(200, 3)},
		{"tricky", []*corpus.Document{tricky, {Name: "empty"}, {Name: "none", Chapters: []corpus.Chapter{}}}},
		{"no documents", []*corpus.Document{}},
		{"nil", nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			want, err := json.Marshal(tt.docs)
			if err != nil {
				t.Fatal(err)
			}
			var got bytes.Buffer
			if err := writeDocs(&got, tt.docs); err != nil {
				t.Fatal(err)
			}
			if got.String() != string(want) {
				t.Errorf("streamed documents differ from json.Marshal:\n got %.300s\nwant %.300s", got.String(), want)
			}
		})
	}
}
