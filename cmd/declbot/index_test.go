package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"

	"github.com/declbot/declbot/bot"
	"github.com/declbot/declbot/bot/discord/discordtest"
	"github.com/declbot/declbot/corpus"
	"github.com/declbot/declbot/retrieval"
)

// bundledCounts returns how many documents (one per language) and passages
// the bundled digest holds, so that the tests follow it as languages are
// added.
func bundledCounts(t *testing.T) (docs, passages int) {
	t.Helper()
	ds, err := corpus.Bundled()
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range ds {
		passages += len(d.Passages())
	}
	return len(ds), passages
}

// runIn runs declbot in-process in dir (made the working directory).
func runIn(t *testing.T, dir string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	t.Chdir(dir)
	code := NewApp(strings.NewReader(""), &out, &errb, func(string) string { return "" }).Run(context.Background(), args)
	return code, out.String(), errb.String()
}

const officialText = `Example Declaration of the Summit Leaders

We, the leaders, met in Tokyo and adopted this declaration on cooperation in the region.

1. Overview

1. The leaders reviewed thirty years of relations and the achievements of the dialogue.

2. They affirmed the dialogue as a catalyst of partnership founded on mutual trust.

2. Water

3. The leaders agreed to cooperate on the management of transboundary water resources in the Aral Sea basin.
`

func indexJSON(t *testing.T, dir string, args ...string) IndexReport {
	t.Helper()
	code, out, errs := runIn(t, dir, append([]string{"index", "--json"}, args...)...)
	if code != 0 {
		t.Fatalf("index exit %d: %s", code, errs)
	}
	var keys map[string]any
	if err := json.Unmarshal([]byte(out), &keys); err != nil {
		t.Fatalf("not one JSON object: %v\n%s", err, out)
	}
	var names []string
	for k := range keys {
		names = append(names, k)
	}
	want := []string{"added", "changed", "documents", "duration_ms", "embedded", "index", "passages", "removed", "unchanged", "warnings", "written"}
	if strings.Join(sorted(names), " ") != strings.Join(want, " ") {
		t.Fatalf("JSON keys %v, want %v", sorted(names), want)
	}
	var rep IndexReport
	json.Unmarshal([]byte(out), &rep)
	rep.DurationMS = 0
	return rep
}

func sorted(s []string) []string {
	out := append([]string(nil), s...)
	for i := range out {
		for j := i + 1; j < len(out); j++ {
			if out[j] < out[i] {
				out[i], out[j] = out[j], out[i]
			}
		}
	}
	return out
}

func TestIndexIncremental(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "official.en.txt")
	write := func(s string) {
		if err := os.WriteFile(src, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(officialText)
	cfg := "corpus:\n  sources: [" + src + "]\nindex:\n  path: " + filepath.Join(dir, "x.index") + "\n"
	os.WriteFile(filepath.Join(dir, "config.yaml"), []byte(cfg), 0o644)

	first := indexJSON(t, dir)
	digestDocs, digest := bundledCounts(t)
	if first.Documents != digestDocs+1 || first.Passages != digest+4 || first.Added != digest+4 || first.Embedded != digest+4 {
		t.Fatalf("first index: %+v", first)
	}

	steps := []struct {
		name string
		text string
		want IndexReport
	}{
		{"nothing changed", officialText, IndexReport{Unchanged: digest + 4}},
		{"edit a paragraph", strings.Replace(officialText, "thirty years", "thirty-three years", 1),
			IndexReport{Changed: 1, Unchanged: digest + 3, Embedded: 1}},
		{"add a paragraph", strings.Replace(officialText, "thirty years", "thirty-three years", 1) + "\n4. They will meet again in Astana.\n",
			IndexReport{Added: 1, Unchanged: digest + 4, Embedded: 1}},
		{"delete a paragraph", strings.Replace(strings.Replace(officialText, "thirty years", "thirty-three years", 1),
			"2. They affirmed the dialogue as a catalyst of partnership founded on mutual trust.\n\n", "", 1),
			IndexReport{Removed: 2, Unchanged: digest + 3}}, // paragraph 4 goes with it
	}
	for _, s := range steps {
		t.Run(s.name, func(t *testing.T) {
			write(s.text)
			code, out, _ := runIn(t, dir, "index", "--check")
			stale := s.name != "nothing changed"
			if (code == 1) != stale {
				t.Errorf("--check exit %d before reindexing, want stale=%v:\n%s", code, stale, out)
			}
			got := indexJSON(t, dir)
			if got.Written != stale {
				t.Errorf("written %v, want %v", got.Written, stale)
			}
			got.Documents, got.Passages, got.Index, got.Warnings, got.Written = 0, 0, "", nil, false
			if !reflect.DeepEqual(got, s.want) {
				t.Errorf("got  %+v\nwant %+v", got, s.want)
			}
			if code, out, _ := runIn(t, dir, "index", "--check"); code != 0 {
				t.Errorf("--check after reindexing: exit %d\n%s", code, out)
			}
		})
	}
}

func TestIndexUsedByAsk(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "official.en.txt"), []byte(officialText), 0o644)
	if code, _, errs := runIn(t, dir, "index", "--source", "official.en.txt"); code != 0 {
		t.Fatal(errs)
	}
	if _, err := os.Stat(filepath.Join(dir, DefaultIndexPath)); err != nil {
		t.Fatalf("default index file not written: %v", err)
	}
	// The source is gone: ask answers from the index file alone.
	os.Remove(filepath.Join(dir, "official.en.txt"))
	code, out, errs := runIn(t, dir, "ask", "Aral Sea water resources")
	if code != 0 || !strings.Contains(out, "Aral Sea") {
		t.Errorf("ask exit %d, out %q, err %q", code, out, errs)
	}
	code, out, _ = runIn(t, dir, "about", "--json")
	_, digest := bundledCounts(t)
	if code != 0 || !strings.Contains(out, fmt.Sprintf(`"passages": %d`, digest+4)) {
		t.Errorf("about does not describe the index file: %s", out)
	}
}

// TestBrokenIndexFileMessages checks that a broken index file stops every
// command that loads it, serve included (it does not rebuild in memory),
// with exit status 2, which the systemd unit does not restart on, and a
// line saying what is wrong and what to run; and that index replaces it.
func TestBrokenIndexFileMessages(t *testing.T) {
	dir := t.TempDir()
	if code, _, errs := runIn(t, dir, "index"); code != 0 {
		t.Fatal(errs)
	}
	path := filepath.Join(dir, DefaultIndexPath)
	data, _ := os.ReadFile(path)
	flipped := bytes.Clone(data)
	flipped[len(flipped)/2] ^= 0xff
	// serve is given a fake Discord, never reached when the file is refused.
	srv := discordtest.New(t, discordtest.Options{Token: serveToken})
	cfg := filepath.Join(t.TempDir(), "config.yaml")
	os.WriteFile(cfg, []byte("discord:\n  api_url: "+srv.URL()+"\nindex:\n  path: "+path+"\n"), 0o600)
	token := func(k string) string {
		if k == tokenEnv {
			return serveToken
		}
		return ""
	}
	for _, tt := range []struct {
		name, want, hint string
		content          []byte
	}{
		{"truncated", "is truncated", retrieval.RebuildHint, data[:len(data)/2]},
		// Not an index file at all: declbot index would refuse to replace it.
		{"garbage", "is not a declbot index file", retrieval.NotIndexHint, []byte("\x00\x01 what a mess\n")},
		{"empty", "is empty", retrieval.RebuildHint, nil},
		{"bad checksum", "is corrupt: checksum mismatch", retrieval.RebuildHint, flipped},
	} {
		os.WriteFile(path, tt.content, 0o644)
		for _, args := range [][]string{{"ask", "critical minerals"}, {"cite", "4.2"}, {"about"}, {"serve"}} {
			t.Run(tt.name+"/"+args[0], func(t *testing.T) {
				var out, errb bytes.Buffer
				code := NewApp(strings.NewReader(""), &out, &errb, token).Run(context.Background(), append(args, "--config", cfg))
				errs := errb.String()
				if code != 2 || !strings.Contains(errs, "declbot: index file "+path+": "+tt.want) || !strings.HasSuffix(errs, "; "+tt.hint+"\n") {
					t.Errorf("exit %d, stderr %q; want 2 and a line saying the file %s and %q", code, errs, tt.want, tt.hint)
				}
			})
		}
	}
	if n := len(srv.Calls(nil)) + srv.Stats().Connections; n != 0 {
		t.Errorf("serve reached Discord (%d calls and connections) with a broken index file", n)
	}

	os.WriteFile(path, data[:len(data)/2], 0o644)
	code, out, _ := runIn(t, dir, "index", "--check", "--json")
	if code != 1 || !strings.Contains(out, "broken: index file declbot.index") {
		t.Errorf("--check on a truncated index: exit %d, %s", code, out)
	}
	// Reindexing replaces the broken file, with a warning.
	rep := indexJSON(t, dir)
	if _, digest := bundledCounts(t); len(rep.Warnings) != 1 || !strings.Contains(rep.Warnings[0], "could not be read") || rep.Embedded != digest {
		t.Errorf("reindex over a broken file: %+v", rep)
	}
	if code, _, _ := runIn(t, dir, "index", "--check"); code != 0 {
		t.Errorf("--check after reindexing: exit %d", code)
	}
}

// TestReindexSwapUnderLoad swaps the index of a bot answering questions
// from many goroutines; run with -race. Nobody sees an error, a second
// reindex during the first is refused, and a failing one keeps the index.
func TestReindexSwapUnderLoad(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "official.en.txt")
	os.WriteFile(src, []byte(officialText), 0o644)
	cfg := DefaultConfig()
	cfg.Corpus.Sources = []string{src}
	cfg.Index.Path = filepath.Join(dir, "x.index")

	ctx := context.Background()
	var stderr bytes.Buffer
	a := NewApp(strings.NewReader(""), &bytes.Buffer{}, &stderr, func(string) string { return "" })
	ix, err := a.loadIndex(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	b := bot.New(ix, bot.Options{Version: "test"})
	r, err := a.NewReindexer(cfg, ix, func(ix *retrieval.Index) { b.SetIndex(ix) })
	if err != nil {
		t.Fatal(err)
	}

	_, digest := bundledCounts(t)
	stop := make(chan struct{})
	var wg sync.WaitGroup
	var answered, failed atomic.Int64
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			qs := []string{"Aral Sea water", "critical minerals", "minéraux critiques", "Afghanistan"}
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				if _, err := b.Answer(ctx, bot.Question{Text: qs[(g+i)%len(qs)]}); err != nil {
					failed.Add(1)
					t.Errorf("answer during reindex: %v", err)
				}
				answered.Add(1)
			}
		}()
	}
	for i := range 4 {
		text := officialText + strings.Repeat("\n9. An added paragraph about railways and ports.\n", i%2)
		os.WriteFile(src, []byte(text), 0o644)
		rep, err := r.Reindex(ctx)
		if err != nil {
			t.Fatalf("reindex %d: %v", i, err)
		}
		if want := digest + 4 + i%2; b.About("en").Passages != want || rep.Passages != want {
			t.Errorf("reindex %d: bot has %d passages, report %d, want %d", i, b.About("en").Passages, rep.Passages, want)
		}
	}

	// A second request while one runs is told so.
	r.running.Lock()
	_, err = r.Reindex(ctx)
	r.running.Unlock()
	if !errors.Is(err, ErrReindexRunning) || !strings.Contains(err.Error(), "already running") {
		t.Errorf("concurrent reindex: %v", err)
	}

	// A failing rebuild keeps the index in place and says why.
	before := b.About("en")
	os.WriteFile(src, []byte("\n\n"), 0o644)
	_, err = r.Reindex(ctx)
	if err == nil || !strings.Contains(err.Error(), "current index is kept") || !strings.Contains(err.Error(), "no text found") {
		t.Errorf("failing reindex: %v", err)
	}
	if after := b.About("en"); after.Passages != before.Passages || !after.BuiltAt.Equal(before.BuiltAt) {
		t.Errorf("failing reindex changed the index: %+v -> %+v", before, after)
	}
	close(stop)
	wg.Wait()
	if answered.Load() == 0 || failed.Load() > 0 {
		t.Errorf("%d answered, %d failed", answered.Load(), failed.Load())
	}
	// The file on disk is the last good index.
	if _, err := retrieval.VerifyFile(cfg.Index.Path, retrieval.NewHashEmbedder(0).Spec()); err != nil {
		t.Error(err)
	}
}

func TestReindexerWatch(t *testing.T) {
	dir := t.TempDir()
	cfg := DefaultConfig()
	cfg.Index.Path = filepath.Join(dir, "x.index")
	a := NewApp(strings.NewReader(""), &bytes.Buffer{}, &bytes.Buffer{}, func(string) string { return "" })
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ix, err := a.loadIndex(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	swapped := make(chan *retrieval.Index, 1)
	r, err := a.NewReindexer(cfg, ix, func(ix *retrieval.Index) { swapped <- ix })
	if err != nil {
		t.Fatal(err)
	}
	sig := make(chan os.Signal, 1)
	reports := make(chan error, 1)
	go r.Watch(ctx, sig, func(_ IndexReport, err error) { reports <- err })
	sig <- syscall.SIGHUP
	if err := <-reports; err != nil {
		t.Fatal(err)
	}
	if got := <-swapped; got == nil || got == ix {
		t.Error("SIGHUP did not swap in a new index")
	}
}

func TestIndexWarnsOnUnalignedVersions(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "decl.en.txt"), []byte(officialText), 0o644)
	fr := strings.Replace(officialText, "3. The leaders agreed", "4. The leaders agreed", 1)
	os.WriteFile(filepath.Join(dir, "decl.fr.txt"), []byte(fr), 0o644)
	rep := indexJSON(t, dir, "--source", dir)
	if len(rep.Warnings) != 2 || !strings.Contains(rep.Warnings[0], "jump from 2 to 4") ||
		!strings.Contains(rep.Warnings[1], "language versions differ") || !strings.Contains(rep.Warnings[1], "paragraph 3") {
		t.Errorf("warnings %q", rep.Warnings)
	}
}

// TestIndexRefusesOtherFiles gives index a path that holds someone's
// document: it is refused with exit 2 and left as it was, however often
// index runs, and a .prev that holds one (kept by an older declbot) is
// never overwritten either. A damaged index file is rebuilt, as
// TestBrokenIndexFileMessages shows.
func TestIndexRefusesOtherFiles(t *testing.T) {
	notes := []byte("# My notes\n\nNothing to do with an index.\n")
	for _, tt := range []struct {
		name    string
		content []byte
	}{
		{"markdown", notes},
		{"magic without version", []byte("declbot-index\n{}\n")},
		{"one byte off", []byte("declbot-indey 1\n")},
	} {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "mynotes.md")
			os.WriteFile(path, tt.content, 0o644)
			for run := 1; run <= 2; run++ {
				for _, args := range [][]string{{"index", "--index", path}, {"index", "--index", path, "--json"}, {"index", "--index", path, "--check"}} {
					code, out, errs := runIn(t, dir, append([]string{"--config", os.DevNull}, args...)...)
					want := "declbot: index file " + path + ": is not a declbot index file; declbot will not overwrite it: choose another --index path (or index.path), or remove the file\n"
					if code != 2 || errs != want || out != "" {
						t.Errorf("run %d %v: exit %d, stdout %q, stderr %q; want 2 and %q", run, args, code, out, errs, want)
					}
				}
			}
			if got, _ := os.ReadFile(path); !bytes.Equal(got, tt.content) {
				t.Errorf("the file now holds %.40q", got)
			}
			if _, err := os.Stat(path + ".prev"); err == nil {
				t.Error("a .prev was written")
			}
		})
	}

	t.Run("prev holds a document", func(t *testing.T) {
		dir := t.TempDir()
		path := filepath.Join(dir, "x.index")
		if code, _, errs := runIn(t, dir, "--config", os.DevNull, "index", "--index", path); code != 0 {
			t.Fatal(errs)
		}
		os.WriteFile(path+".prev", notes, 0o644)
		os.WriteFile(path, []byte("declbot-index 1\ndamaged"), 0o644) // an index file, broken: rebuilt
		code, _, errs := runIn(t, dir, "--config", os.DevNull, "index", "--index", path)
		if code != 2 || !strings.Contains(errs, "index file "+path+".prev: is not a declbot index file") {
			t.Errorf("exit %d, stderr %q; want 2 and the .prev refused", code, errs)
		}
		if got, _ := os.ReadFile(path + ".prev"); !bytes.Equal(got, notes) {
			t.Errorf(".prev now holds %.40q", got)
		}
		os.Remove(path + ".prev")
		if code, _, errs := runIn(t, dir, "--config", os.DevNull, "index", "--index", path); code != 0 {
			t.Errorf("with the .prev removed: exit %d, %s", code, errs)
		}
	})
}

// TestCheckExitDocumented: index --check exits 1 for a stale or a broken
// index file (run declbot index, either way), as its --help and README
// say; a file that is not an index at all is a wrong path, exit 2.
func TestCheckExitDocumented(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join("..", "..", "README.md")) // before runIn changes folder
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if code, _, errs := runIn(t, dir, "index"); code != 0 {
		t.Fatal(errs)
	}
	data, _ := os.ReadFile(filepath.Join(dir, DefaultIndexPath))
	os.WriteFile(filepath.Join(dir, DefaultIndexPath), data[:len(data)-10], 0o644)
	if code, out, _ := runIn(t, dir, "index", "--check"); code != 1 || !strings.Contains(out, "warning: broken: ") {
		t.Errorf("--check on a broken index file: exit %d, %s; want 1", code, out)
	}
	_, help, _ := runIn(t, dir, "index", "--help")
	for _, w := range []struct{ where, text, want string }{
		{"index --help", help, "exit 1 when stale or broken"},
		{"README.md", string(readme), "`declbot index --check` exits 1 when the index file is stale or broken"},
	} {
		if !strings.Contains(strings.Join(strings.Fields(w.text), " "), w.want) {
			t.Errorf("%s does not say %q", w.where, w.want)
		}
	}
}
