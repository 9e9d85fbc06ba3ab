package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/mattn/go-isatty"
	"github.com/schollz/progressbar/v3"

	"github.com/declbot/declbot/corpus"
	"github.com/declbot/declbot/retrieval"
)

// DefaultIndexPath is where `declbot index` writes when neither --index
// nor index.path says otherwise, and what the other commands load when it
// is present.
const DefaultIndexPath = "declbot.index"

type indexCmd struct {
	Source []string `help:"A document or folder to index, in addition to corpus.sources (repeatable)." type:"path" placeholder:"PATH"`
	Index  string   `help:"Index file to write (default: index.path from the config, else ./declbot.index)." type:"path" placeholder:"FILE"`
	JSON   bool     `help:"Print one JSON object."`
	Check  bool     `help:"Write nothing: verify the index file against its sources, exit 1 when stale or broken."`
}

// IndexReport is what `declbot index` prints, and what /reindex tells a
// maintainer.
type IndexReport struct {
	Index      string   `json:"index"`
	Documents  int      `json:"documents"`
	Passages   int      `json:"passages"`
	Added      int      `json:"added"`
	Changed    int      `json:"changed"`
	Removed    int      `json:"removed"`
	Unchanged  int      `json:"unchanged"`
	Embedded   int      `json:"embedded"`
	DurationMS int64    `json:"duration_ms"`
	Warnings   []string `json:"warnings"`
	// Written says whether the index file was written: not by --check,
	// nor when nothing changed.
	Written bool `json:"written"`
	// ComparedWith, for --check, says which sources the file was compared
	// with and where that list came from.
	ComparedWith string `json:"compared_with,omitempty"`

	docs []*corpus.Document // for the text report
}

// Summary is a one-line account of the report, for a chat reply or a log.
func (r IndexReport) Summary() string {
	s := fmt.Sprintf("%d document versions, %d passages: %d added, %d changed, %d removed, %d unchanged; %d embedded in %s",
		r.Documents, r.Passages, r.Added, r.Changed, r.Removed, r.Unchanged, r.Embedded,
		(time.Duration(r.DurationMS) * time.Millisecond).String())
	if len(r.Warnings) > 0 {
		s += fmt.Sprintf(" (%s)", countNoun(len(r.Warnings), "1 warning", "%d warnings"))
	}
	if r.Index != "" && !r.Written && r.ComparedWith == "" {
		s += "; nothing changed, the index file is left as it was"
	}
	return s
}

func (r *IndexReport) setChanges(c retrieval.Changes) {
	r.Added, r.Changed, r.Removed, r.Unchanged, r.Embedded = c.Added, c.Changed, c.Removed, c.Unchanged, c.Embedded
}

// indexPath is the index file to use: flag, then config, then the
// default. explicit says whether the user named it.
func indexPath(cfg Config, flag string) (path string, explicit bool) {
	switch {
	case flag != "":
		return flag, true
	case cfg.Index.Path != "":
		return cfg.Index.Path, true
	}
	return DefaultIndexPath, false
}

// sourcesOf returns what cfg and extra (the --source flags) name: the
// bundled digest unless corpus.include_bundled is false, then every
// configured source and every extra one, made absolute, each once.
func sourcesOf(cfg Config, extra []string) retrieval.Sources {
	src := retrieval.Sources{Bundled: cfg.Corpus.IncludeBundled}
	seen := map[string]bool{}
	for _, p := range append(append([]string(nil), cfg.Corpus.Sources...), extra...) {
		if abs, err := filepath.Abs(p); err == nil {
			p = abs
		}
		if !seen[p] {
			seen[p] = true
			src.Paths = append(src.Paths, p)
		}
	}
	return src
}

// describeSources says what src holds, for a report.
func describeSources(src retrieval.Sources) string {
	var parts []string
	if src.Bundled {
		parts = append(parts, "the bundled digest")
	}
	parts = append(parts, src.Paths...)
	if len(parts) == 0 {
		return "nothing"
	}
	return strings.Join(parts, ", ")
}

// corpusDocs reads the documents src names. A file read twice (given
// again with --source, or inside a folder also given) counts once. It
// returns them with warnings about what was read (documents in which no
// structure was found, languages guessed).
func corpusDocs(src retrieval.Sources) ([]*corpus.Document, []string, error) {
	var docs []*corpus.Document
	var warnings []string
	if src.Bundled {
		b, err := corpus.Bundled()
		if err != nil {
			return nil, nil, err
		}
		docs = append(docs, b...)
	}
	read := map[string]bool{}
	for _, path := range src.Paths {
		ds, err := corpus.Load(path)
		if err != nil {
			return nil, nil, sourceError(err)
		}
		for _, d := range ds {
			key := d.Path
			if abs, err := filepath.Abs(key); err == nil {
				key = abs
			}
			if read[key+"\x00"+d.Lang] {
				continue
			}
			read[key+"\x00"+d.Lang] = true
			for _, w := range d.Warnings {
				warnings = append(warnings, d.Path+": "+w)
			}
			if len(d.Chapters) == 1 && d.Chapters[0].Number == 0 {
				warnings = append(warnings, fmt.Sprintf("%s: no chapters found; %s cited by number alone", d.Path, countNoun(len(d.Chapters[0].Passages), "its passage is", "its %d passages are")))
			}
			docs = append(docs, d)
		}
	}
	if len(docs) == 0 {
		return nil, nil, &usageError{"nothing to index: corpus.include_bundled is false and no source is given (set corpus.sources, or give --source PATH)"}
	}
	if err := corpus.CheckNames(docs); err != nil {
		return nil, nil, err
	}
	// Language versions of one document should number their paragraphs
	// alike, or a passage cannot be shown in the other language.
	if err := corpus.Align(docs...); err != nil {
		warnings = append(warnings, "language versions differ: "+err.Error())
	}
	return docs, warnings, nil
}

// sourceError is a source that cannot be indexed as a usageError (exit
// 2: the path or the file is wrong, and a restart of serve would find it
// as wrong), in one line: the file and what is wrong with it, without the
// system call that found it ("stat", "open").
func sourceError(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return &usageError{fmt.Sprintf("corpus source %s: %s", pe.Path, pe.Err)}
	}
	return &usageError{firstLine(err.Error())}
}

// countNoun words a count: one form for 1, a format with %d for the rest.
func countNoun(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return fmt.Sprintf(many, n)
}

// noun is one or many, by n, for a count printed beside it.
func noun(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// rebuild builds the index of docs, read from src, reusing prev's
// vectors, and writes it to path when path is not empty and something
// changed: the same passages from the same sources with the same
// embedder leave the file and its .prev untouched. The report counts
// what changed against prev.
func rebuild(ctx context.Context, docs []*corpus.Document, src retrieval.Sources, emb retrieval.Embedder, prev *retrieval.Index, path string, progress retrieval.Progress) (*retrieval.Index, IndexReport, error) {
	start := time.Now()
	rep := IndexReport{Index: path, docs: docs}
	ix, ch, err := retrieval.Rebuild(ctx, docs, emb, prev, progress)
	if err != nil {
		return nil, rep, err
	}
	ix.SetSources(src)
	rep.setChanges(ch)
	rep.Documents, rep.Passages = ix.Info().Documents, ix.Info().Passages
	if path != "" && !sameBuild(prev, ix, ch, path) {
		if err := retrieval.WriteFile(path, ix); err != nil {
			return nil, rep, err
		}
		rep.Written = true
	}
	rep.DurationMS = time.Since(start).Milliseconds()
	return ix, rep, nil
}

// index builds the index file. Cut short by a signal, it says the index
// was not changed (the file is replaced only once whole) and exits with
// the signal's status (see stopStatus).
func (a *App) index(ctx context.Context, cfg Config, c *indexCmd) (err error) {
	start := time.Now()
	path, _ := indexPath(cfg, c.Index)
	// The file is replaced by a rename, its old self kept as .prev: run
	// as root on /dev/null, that would put an index file in the device's
	// place. index.path is checked with the configuration; --index here.
	if fi, err := os.Stat(path); err == nil && !fi.Mode().IsRegular() {
		what := "is not a regular file"
		if fi.IsDir() {
			what = "is a folder"
		}
		return &usageError{fmt.Sprintf("index file %s %s (the path of the index file wanted: one declbot index built, or a new one)", path, what)}
	}
	// Nor is someone's document at that path replaced (README.md given as
	// --index by mistake), nor one kept as .prev by an older declbot.
	if err := retrieval.CheckReplaceable(path); err != nil {
		return &usageError{err.Error()}
	}
	emb, err := a.embedder(cfg)
	if err != nil {
		return err
	}
	if c.Check {
		return a.checkIndex(cfg, c, path, emb, start)
	}
	defer func() {
		if err != nil && ctx.Err() != nil {
			a.complain("interrupted: the index was not changed")
			err = exitCode(stopStatus(ctx))
		}
	}()
	src := sourcesOf(cfg, c.Source)
	docs, warnings, err := corpusDocs(src)
	if err != nil {
		return err
	}

	prev, _, err := retrieval.LoadFile(ctx, path, emb)
	var fe *retrieval.FileError
	switch {
	case err == nil:
	case errors.As(err, &fe) && fe.Kind == retrieval.FileMissing:
	case errors.As(err, &fe) && fe.Kind == retrieval.FileEmbedder:
		warnings = append(warnings, fmt.Sprintf("%s was built with another embedder: every passage is embedded again", path))
	case errors.As(err, &fe):
		warnings = append(warnings, fmt.Sprintf("%s could not be read (%s): every passage is embedded again; the file is replaced", path, fe.Msg))
	default:
		return err
	}

	bar := a.progressBar(c.JSON)
	var progress retrieval.Progress
	if bar != nil {
		progress = func(done, total int) {
			if bar.GetMax() != total {
				bar.ChangeMax(total)
			}
			bar.Set(done)
		}
	}
	_, rep, err := rebuild(ctx, docs, src, emb, prev, path, progress)
	if bar != nil {
		bar.Finish()
		bar.Exit()
	}
	if errors.As(err, &fe) && fe.Kind == retrieval.FileNotIndex {
		return &usageError{err.Error()} // exit 2: another path is wanted
	}
	if err != nil {
		return err
	}
	rep.Warnings = warnings
	rep.DurationMS = time.Since(start).Milliseconds()
	if c.JSON {
		return a.printJSON(rep.jsonReady())
	}
	title := "Indexed " + path
	if !rep.Written {
		title = path + ": nothing changed, the file is left as it was"
	}
	a.printIndexReport(rep, title)
	return nil
}

// checkIndex compares the index file with what its sources hold now: the
// sources of its last build, as the file records them, unless --source
// is given (then the configuration's and those) or the file predates the
// record (then the configuration's). It says which, and returns
// exitCode 1 when the file is broken or stale.
func (a *App) checkIndex(cfg Config, c *indexCmd, path string, emb retrieval.Embedder, start time.Time) error {
	src, from := sourcesOf(cfg, c.Source), "the configuration"
	if len(c.Source) > 0 {
		from = "the configuration and --source"
	} else if hdr, err := retrieval.ReadFileHeader(path); err == nil {
		if hdr.Sources != nil {
			src, from = *hdr.Sources, "the sources of the last build"
		} else {
			from = "the configuration (the index file does not record its sources)"
		}
	}
	docs, warnings, err := corpusDocs(src)
	if err != nil {
		return err
	}
	rep := IndexReport{Index: path, docs: docs, ComparedWith: from + ": " + describeSources(src)}
	var passages []corpus.Passage
	for _, d := range docs {
		passages = append(passages, d.Passages()...)
	}
	rep.Documents, rep.Passages = len(docs), len(passages)
	ok := true
	hdr, err := retrieval.VerifyFile(path, emb.Spec())
	if err != nil {
		ok = false
		warnings = append(warnings, "broken: "+err.Error())
		rep.setChanges(retrieval.Compare(nil, passages))
	} else {
		rep.setChanges(retrieval.Compare(hdr.Hashes, passages))
		if hdr.CorpusHash != retrieval.CorpusHash(passages) {
			ok = false
			warnings = append(warnings, fmt.Sprintf("stale: the sources differ from %s (built %s); %s", path, hdr.BuiltAt.Format(time.RFC3339), rebuildHint(cfg, src)))
		}
	}
	rep.Warnings = warnings
	rep.DurationMS = time.Since(start).Milliseconds()
	if c.JSON {
		if err := a.printJSON(rep.jsonReady()); err != nil {
			return err
		}
	} else {
		verdict := path + " is up to date"
		if !ok {
			verdict = path + " is NOT up to date"
		}
		a.printIndexReport(rep, verdict)
	}
	if !ok {
		return exitCode(exitFail)
	}
	return nil
}

// sameBuild reports whether ix, just built, is what the file at path
// already holds as prev: nothing added, changed or removed, the same
// sources, the same embedder, the same corpus hash.
func sameBuild(prev, ix *retrieval.Index, ch retrieval.Changes, path string) bool {
	if prev == nil || ch.Added+ch.Changed+ch.Removed+ch.Embedded > 0 {
		return false
	}
	if _, err := os.Stat(path); err != nil {
		return false
	}
	p, n := prev.Info(), ix.Info()
	ps, ns := prev.Sources(), ix.Sources()
	return p.CorpusHash == n.CorpusHash && p.Embedder == n.Embedder &&
		ps != nil && ns != nil && ps.Bundled == ns.Bundled && slices.Equal(ps.Paths, ns.Paths)
}

// jsonReady makes Warnings an empty list rather than null.
func (r IndexReport) jsonReady() IndexReport {
	if r.Warnings == nil {
		r.Warnings = []string{}
	}
	return r
}

// rebuildHint is the command that rebuilds the index from src: the
// configured sources, plus --source for each path the configuration
// does not name.
func rebuildHint(cfg Config, src retrieval.Sources) string {
	configured := sourcesOf(cfg, nil)
	hint := retrieval.RebuildHint
	for _, p := range src.Paths {
		if !slices.Contains(configured.Paths, p) {
			hint += " --source " + p
		}
	}
	return hint
}

func (a *App) printIndexReport(r IndexReport, title string) {
	fmt.Fprintf(a.stdout, "%s: %d document versions, %d passages (%s)\n", title, r.Documents, r.Passages,
		(time.Duration(r.DurationMS) * time.Millisecond).Round(time.Millisecond))
	if r.ComparedWith != "" {
		fmt.Fprintf(a.stdout, "  compared with %s\n", r.ComparedWith)
	}
	fmt.Fprintf(a.stdout, "  added %d, changed %d, removed %d, unchanged %d; embedded %d\n",
		r.Added, r.Changed, r.Removed, r.Unchanged, r.Embedded)
	const most = 12
	for i, d := range r.docs {
		if i == most {
			fmt.Fprintf(a.stdout, "  ... and %d more documents\n", len(r.docs)-most)
			break
		}
		chapters := 0
		for _, c := range d.Chapters {
			if c.Number > 0 {
				chapters++
			}
		}
		n := len(d.Passages())
		fmt.Fprintf(a.stdout, "  %-24s %s %-8s %3d %-8s %5d %-8s  %s\n", d.Name, d.Lang, d.Kind,
			chapters, noun(chapters, "chapter", "chapters"), n, noun(n, "passage", "passages"), clip(d.Title, 40))
	}
	for _, w := range r.Warnings {
		fmt.Fprintf(a.stdout, "warning: %s\n", safeMessage(w))
	}
}

func clip(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}

// progressBar returns a bar drawn on stderr when stderr is a terminal and
// the output is not JSON; nil otherwise, so scripts and logs stay clean.
func (a *App) progressBar(jsonOut bool) *progressbar.ProgressBar {
	f, ok := a.stderr.(*os.File)
	if jsonOut || !ok || !(isatty.IsTerminal(f.Fd()) || isatty.IsCygwinTerminal(f.Fd())) {
		return nil
	}
	return progressbar.NewOptions(1,
		progressbar.OptionSetWriter(f),
		progressbar.OptionSetDescription("embedding"),
		progressbar.OptionShowCount(),
		progressbar.OptionSetItsString("passages"),
		progressbar.OptionShowIts(),
		progressbar.OptionSetPredictTime(true),
		progressbar.OptionThrottle(100*time.Millisecond),
		progressbar.OptionClearOnFinish(),
	)
}

// openIndex returns the index the other commands answer from: the index
// file when one is configured or ./declbot.index is present, else an
// index built in memory from the bundled corpus and corpus.sources. A
// configured file that does not exist yet is built in memory with a
// warning; a file that exists but is broken or built with another
// embedder is a usageError that says what to run (exit 2: restarting
// serve would find it as broken), and one that cannot be read an error.
func (a *App) openIndex(ctx context.Context, cfg Config, emb retrieval.Embedder) (*retrieval.Index, error) {
	path, explicit := indexPath(cfg, "")
	ix, _, err := retrieval.LoadFile(ctx, path, emb)
	var fe *retrieval.FileError
	switch {
	case err == nil:
		return ix, nil
	case errors.As(err, &fe) && fe.Kind == retrieval.FileMissing:
		if explicit {
			a.complain("index file %s does not exist yet: building the index in memory (%s)", path, retrieval.RebuildHint)
		}
	case errors.As(err, &fe) && fe.Kind != retrieval.FileIO && ctx.Err() == nil:
		return nil, &usageError{fe.Error()}
	default:
		return nil, err
	}
	src := sourcesOf(cfg, nil)
	docs, _, err := corpusDocs(src)
	if err != nil {
		return nil, err
	}
	ix, err = retrieval.Build(ctx, docs, emb)
	if err != nil {
		return nil, err
	}
	ix.SetSources(src)
	return ix, nil
}

// ErrReindexRunning is returned by Reindexer.Reindex while another
// rebuild runs.
var ErrReindexRunning = errors.New("a reindex is already running; try again when it has finished")

// Reindexer rebuilds the index of a running bot from its sources and
// swaps it in, for /reindex and SIGHUP. One rebuild runs at a time;
// questions keep being answered from the current index until the swap,
// and a rebuild that fails leaves it in place.
type Reindexer struct {
	running sync.Mutex // held for the length of a rebuild
	cfg     Config
	path    string // index file to write; "" to keep the index in memory
	emb     retrieval.Embedder
	swap    func(*retrieval.Index)
	current *retrieval.Index // guarded by running
	log     io.Writer
}

// NewReindexer returns a Reindexer that rebuilds from cfg's sources,
// reusing the vectors of current, writes the index file when cfg names
// one (or ./declbot.index is in use), and hands each new index to swap
// (typically the bot's SetIndex).
func (a *App) NewReindexer(cfg Config, current *retrieval.Index, swap func(*retrieval.Index)) (*Reindexer, error) {
	emb, err := a.embedder(cfg)
	if err != nil {
		return nil, err
	}
	path, explicit := indexPath(cfg, "")
	if !explicit {
		if _, err := os.Stat(path); err != nil {
			path = ""
		}
	}
	if path != "" {
		if abs, err := filepath.Abs(path); err == nil {
			path = abs // the bot's working folder may change; the file must not
		}
	}
	return &Reindexer{cfg: cfg, path: path, emb: emb, swap: swap, current: current, log: a.stderr}, nil
}

// Reindex rebuilds and swaps the index. It returns ErrReindexRunning at
// once when another rebuild is running, and any other error with the
// current index kept in place.
func (r *Reindexer) Reindex(ctx context.Context) (IndexReport, error) {
	if !r.running.TryLock() {
		return IndexReport{}, ErrReindexRunning
	}
	defer r.running.Unlock()
	src := sourcesOf(r.cfg, nil)
	docs, warnings, err := corpusDocs(src)
	if err != nil {
		return IndexReport{}, fmt.Errorf("reindex failed, the current index is kept: %w", err)
	}
	ix, rep, err := rebuild(ctx, docs, src, r.emb, r.current, r.path, nil)
	if err != nil {
		return rep, fmt.Errorf("reindex failed, the current index is kept: %w", err)
	}
	rep.Warnings = warnings
	r.swap(ix)
	r.current = ix
	return rep, nil
}

// Watch reindexes each time a value arrives on signals (serve passes a
// channel given to signal.Notify for SIGHUP) until ctx is done, and
// hands each outcome to report. A signal during a reindex is answered
// with ErrReindexRunning, as /reindex is.
func (r *Reindexer) Watch(ctx context.Context, signals <-chan os.Signal, report func(IndexReport, error)) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-signals:
			go func() { report(r.Reindex(ctx)) }()
		}
	}
}
