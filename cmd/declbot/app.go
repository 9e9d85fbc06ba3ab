package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"
	"unicode/utf8"

	"github.com/alecthomas/kong"

	"github.com/declbot/declbot/bot"
	"github.com/declbot/declbot/bot/messages"
	"github.com/declbot/declbot/corpus"
	"github.com/declbot/declbot/corpus/lang"
	"github.com/declbot/declbot/retrieval"
)

// Exit statuses.
const (
	exitOK    = 0
	exitFail  = 1 // something broke, or `index --check` found a stale or broken index
	exitUsage = 2 // bad input: flags, question, reference, config
)

// App is the declbot program, minus the process: main gives it the
// standard streams and the environment, tests give it buffers.
type App struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	getenv         func(string) string
	// hangups, when set, starts delivering reload requests (SIGHUP, in
	// main, taken from the first instruction) and returns a function that
	// stops it; serve rebuilds the index on each, and other commands
	// ignore them.
	hangups func() (<-chan os.Signal, func())
	// memoryLimit, when set, gives the soft memory limit serve sets for
	// Go's collector (see cgroupMemoryLimit); main sets it, tests do not,
	// since the limit is the whole process's.
	memoryLimit func() (int64, bool)
	// now is the clock of the insights; nil means time.Now.
	now func() time.Time
}

// NewApp returns an App writing to stdout and stderr.
func NewApp(stdin io.Reader, stdout, stderr io.Writer, getenv func(string) string) *App {
	return &App{stdin: stdin, stdout: stdout, stderr: stderr, getenv: getenv}
}

// cli is the command line, as kong reads it.
type cli struct {
	Config string `help:"Configuration file (default: ./config.yaml when present)." type:"path" placeholder:"FILE"`

	Ask      askCmd      `cmd:"" help:"Answer a question with quoted, cited passages."`
	Chapters chaptersCmd `cmd:"" help:"List the chapters and their paragraph ids, document by document when several are indexed."`
	Cite     citeCmd     `cmd:"" help:"Show a chapter or a paragraph verbatim (4, 4.2, §4.2, ch4, chapitre 4; official:4.2 in another indexed document)."`
	About    aboutCmd    `cmd:"" help:"Say what the corpus is and how the index was built."`
	Eval     evalCmd     `cmd:"" help:"Measure retrieval on a questions file."`
	Index    indexCmd    `cmd:"" help:"Index the bundled corpus and corpus.sources into the index file, embedding only what changed."`
	Serve    serveCmd    `cmd:"" help:"Run the Discord bot until interrupted."`
	ConfigC  configCmd   `cmd:"" name:"config" help:"Check the configuration."`
	Insights insightsCmd `cmd:"" help:"Show what was asked and rated: outcomes, unanswered questions, comments, cited paragraphs."`
}

type askCmd struct {
	JSON     bool     `help:"Print one JSON object."`
	Lang     string   `help:"Language of the answer: auto (the question's) or one of ${langs}; the question is still read in its own where its words tell it." default:"auto"`
	K        *int     `short:"k" help:"Most passages to quote, 1 to 10 (default: retrieval.k from the config, 3)." placeholder:"N"`
	Question []string `arg:"" help:"The question; after -- nothing is read as a flag, for a question that starts with a dash."`
}

type chaptersCmd struct {
	Lang string `help:"Language: one of ${langs}." default:"en"`
	JSON bool   `help:"Print JSON."`
}

type citeCmd struct {
	Lang string   `help:"Language: one of ${langs}, or all." default:"en"`
	JSON bool     `help:"Print JSON."`
	Ref  []string `arg:"" help:"The reference: 4, 4.2, §4.2, ch4, chapitre 4; IV and ¶15 in a text with Roman chapters and paragraphs numbered straight through (any id chapters lists). With several documents indexed, prefix a document's name (see chapters or about): official:4.2, official:¶15; without one it is the first document."`
}

type aboutCmd struct {
	Lang string `help:"Language: one of ${langs}." default:"en"`
	JSON bool   `help:"Print JSON."`
}

type evalCmd struct {
	Questions string `required:"" help:"Questions file (YAML list of {q, lang, chapters})." placeholder:"FILE"`
	JSON      bool   `help:"Print JSON."`
	K         int    `short:"k" help:"Passages looked at per question, 1 to 10; hit@3 counts only those." default:"3" placeholder:"N"`
}

// Run runs one command line and returns the exit status. Errors are
// printed to stderr as one line; a user's mistake exits 2, anything else 1.
func (a *App) Run(ctx context.Context, args []string) int {
	// kong would quietly turn invalid bytes into U+FFFD: refuse them here.
	for _, arg := range args {
		if !utf8.ValidString(arg) {
			a.complain("the command line is not valid UTF-8 text")
			return exitUsage
		}
	}
	var c cli
	exited := -1
	parser, err := kong.New(&c,
		kong.Name("declbot"),
		kong.Description("Answers questions about the Tokyo Declaration of the first \"Central Asia + Japan\" Dialogue Summit with quoted, chapter-cited passages."),
		kong.Writers(a.stdout, a.stderr),
		kong.Exit(func(code int) { exited = code }),
		kong.UsageOnError(),
		kong.Vars{"langs": strings.Join(lang.Default().Codes(), ",")},
	)
	if err != nil {
		a.complain("%v", err)
		return exitFail
	}
	args = flagsFirst(parser.Model, args)
	if flag := emptyPath(parser.Model, args); flag != "" {
		a.complain("%s is empty: give a file's path, or leave the flag out", flag)
		return exitUsage
	}
	kctx, err := parser.Parse(gluedNumbers(parser.Model, langTags(args, lang.Default().Codes())))
	if exited >= 0 { // --help
		return exited
	}
	if err != nil {
		msg := flagValueMessage(firstLine(err.Error()))
		switch {
		case len(args) > 0 && args[0] == "ask" && strings.HasPrefix(msg, "unknown flag"):
			msg += " (a question that starts with a dash goes after --: declbot ask -- \"-5 degrees?\")"
		case strings.HasPrefix(msg, "unexpected argument"), strings.HasPrefix(msg, "expected one of"):
			msg += " (see declbot --help)" // a mistyped or missing command
		}
		a.complain("%s", msg)
		return exitUsage
	}
	if err := a.dispatch(ctx, kctx.Command(), &c); err != nil {
		var code exitCode
		if st := stopStatus(ctx); st != exitFail && !errors.As(err, &code) {
			// A signal cut the command short: say so, not "context canceled".
			a.complain("interrupted")
			return st
		}
		return a.fail(err)
	}
	return exitOK
}

// usageError is a mistake in what the user typed or configured, which
// running the command again as it stands would not fix.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

// fail prints err as one line (or one per config problem) and returns the
// exit status it deserves.
func (a *App) fail(err error) int {
	var ce *ConfigError
	if errors.As(err, &ce) {
		for _, p := range ce.Problems {
			a.complain("%s", p)
		}
		return exitUsage
	}
	var ue *usageError
	if msg, ok := bot.IsInputError(err); ok {
		a.complain("%s", msg)
		return exitUsage
	}
	if errors.As(err, &ue) {
		a.complain("%s", ue.msg)
		return exitUsage
	}
	var ec exitCode
	if errors.As(err, &ec) {
		return int(ec)
	}
	a.complain("%s", firstLine(err.Error()))
	return exitFail
}

// stopSignal is the cause main gives the context when a signal asks the
// program to stop.
type stopSignal struct{ sig syscall.Signal }

func (s stopSignal) Error() string { return s.sig.String() + " received" }

// stopStatus is the exit status of a command that ctx's end cut short:
// what a shell reports for a process the signal killed, 128 plus its
// number (130 for SIGINT, 143 for SIGTERM), or exitFail when ctx ended
// otherwise.
func stopStatus(ctx context.Context) int {
	var s stopSignal
	if errors.As(context.Cause(ctx), &s) {
		return 128 + int(s.sig)
	}
	return exitFail
}

// exitCode is an error that carries only an exit status, for commands that
// have printed their own report.
type exitCode int

func (e exitCode) Error() string { return fmt.Sprintf("exit status %d", int(e)) }

func (a *App) dispatch(ctx context.Context, command string, c *cli) error {
	cfg, err := LoadConfig(c.Config)
	if err != nil {
		return err
	}
	switch {
	case strings.HasPrefix(command, "ask"):
		return a.ask(ctx, cfg, &c.Ask)
	case command == "chapters":
		if err := checkLang(c.Chapters.Lang); err != nil {
			return err
		}
		return a.withBot(ctx, cfg, func(b *bot.Bot) error { return a.chapters(b, &c.Chapters) })
	case strings.HasPrefix(command, "cite"):
		if err := checkLang(c.Cite.Lang, "all"); err != nil {
			return err
		}
		return a.withBot(ctx, cfg, func(b *bot.Bot) error { return a.cite(b, &c.Cite) })
	case command == "about":
		if err := checkLang(c.About.Lang); err != nil {
			return err
		}
		return a.withBot(ctx, cfg, func(b *bot.Bot) error { return a.about(b, &c.About) })
	case command == "eval":
		return a.eval(ctx, cfg, &c.Eval)
	case command == "index":
		return a.index(ctx, cfg, &c.Index)
	case command == "config check":
		return a.configCheck(cfg, c)
	case command == "insights":
		return a.insightsReport(ctx, cfg, &c.Insights)
	case command == "serve":
		return a.serve(ctx, cfg, &c.Serve)
	}
	return fmt.Errorf("unknown command %q", command)
}

// checkLang returns a usageError, naming the choices, unless code (the
// value of --lang, made a code by langTags) is a language of the table or
// one of also ("auto" for ask, "all" for cite). Every command refuses a
// language in these words, before building anything.
func checkLang(code string, also ...string) error {
	langs := lang.Default()
	if langs.Has(code) || slices.Contains(also, code) {
		return nil
	}
	choices := "one of " + strings.Join(langs.Codes(), ", ")
	if len(also) > 0 {
		choices = strings.Join(also, ", ") + " or " + choices
	}
	return &usageError{fmt.Sprintf("--lang %q is not a language declbot answers in: use %s", code, choices)}
}

// loadIndex returns the index the configuration asks for: the index file
// when there is one, else the bundled corpus and the configured sources
// built in memory (see openIndex).
func (a *App) loadIndex(ctx context.Context, cfg Config) (*retrieval.Index, error) {
	emb, err := a.embedder(cfg)
	if err != nil {
		return nil, err
	}
	return a.openIndex(ctx, cfg, emb)
}

func (a *App) newBot(ctx context.Context, cfg Config) (*bot.Bot, error) {
	idx, err := a.loadIndex(ctx, cfg)
	if err != nil {
		return nil, err
	}
	opts, err := a.botOptions(cfg)
	if err != nil {
		return nil, err
	}
	return bot.New(idx, opts), nil
}

func (a *App) withBot(ctx context.Context, cfg Config, f func(*bot.Bot) error) error {
	b, err := a.newBot(ctx, cfg)
	if err != nil {
		return err
	}
	return f(b)
}

func (a *App) ask(ctx context.Context, cfg Config, c *askCmd) error {
	question := strings.Join(c.Question, " ")
	k := cfg.Retrieval.K
	if c.K != nil {
		if err := checkK(*c.K); err != nil {
			return err
		}
		k = *c.K
	}
	// Before building anything: the language, then the question, each
	// refusal said in the question's language.
	langs := lang.Default()
	if err := checkLang(c.Lang, "auto"); err != nil {
		return err
	}
	if _, err := bot.CheckQuestion(question); err != nil {
		var ie *bot.InputError
		if errors.As(err, &ie) {
			speak := c.Lang
			if speak == "auto" {
				speak = langs.Fallback().Code
				if utf8.ValidString(question) && strings.TrimSpace(question) != "" {
					speak = langs.Detect(question)
				}
			}
			return &usageError{ie.In(messages.Default(), speak)}
		}
		return err
	}
	b, err := a.newBot(ctx, cfg)
	if err != nil {
		return err
	}
	start := time.Now()
	r, err := b.Answer(ctx, bot.Question{Text: question, Lang: c.Lang, K: k})
	took := time.Since(start)
	if err != nil {
		return err
	}
	if err := a.printReply(r, c.JSON); err != nil {
		return err
	}
	a.recordAsked(ctx, cfg, question, r, took)
	return nil
}

// chapters prints the table of contents. With several documents indexed
// each is named, by the name a document-qualified reference uses
// ("official:4.2"), before its chapters; a document without chapters
// lists its passage ids.
func (a *App) chapters(b *bot.Bot, c *chaptersCmd) error {
	cs, err := b.Chapters(c.Lang)
	if err != nil {
		return err
	}
	if c.JSON {
		return a.printJSON(cs)
	}
	msgs := b.Messages()
	several := false
	for _, ch := range cs {
		several = several || ch.Doc != cs[0].Doc
	}
	last := ""
	for _, ch := range cs {
		if several && ch.Doc != last {
			if last != "" {
				fmt.Fprintln(a.stdout)
			}
			fmt.Fprintf(a.stdout, "%s: %s\n", ch.Doc, ch.DocTitle)
			last = ch.Doc
		}
		if ch.Number == 0 {
			label := msgs.Say(c.Lang, "chapters_none")
			for _, o := range cs {
				if o.Doc == ch.Doc && o.Number > 0 {
					label = msgs.Say(c.Lang, "chapters_preamble")
				}
			}
			fmt.Fprintf(a.stdout, "%s\n   %s\n", label, strings.Join(ch.IDs, " "))
			continue
		}
		fmt.Fprintf(a.stdout, "%s. %s\n   %s\n", ch.Name(), ch.Title, strings.Join(ch.IDs, " "))
	}
	return nil
}

func (a *App) cite(b *bot.Bot, c *citeCmd) error {
	r, err := b.Cite(strings.Join(c.Ref, " "), c.Lang)
	if err != nil {
		return err
	}
	return a.printReply(r, c.JSON)
}

// about prints what the corpus is, in the language asked for: the
// documents (one line each, all its language versions together), then
// how the index was built.
func (a *App) about(b *bot.Bot, c *aboutCmd) error {
	ab := b.About(c.Lang)
	if c.JSON {
		return a.printJSON(ab)
	}
	msgs, code := b.Messages(), c.Lang
	say := func(key string, args ...any) string { return msgs.Say(code, key, args...) }
	l := newLabels(msgs, code, "about_kind", "about_date", "about_source", "about_documents", "about_passages", "about_embedder", "about_index", "about_version")
	fmt.Fprintf(a.stdout, "%s\n\n%s\n\n", ab.Title, ab.Notice)
	fmt.Fprintf(a.stdout, "%s%s\n", l.get("about_kind"), b.KindName(ab.Kind, code))
	fmt.Fprintf(a.stdout, "%s%s\n", l.get("about_date"), ab.Date)
	fmt.Fprintf(a.stdout, "%s%s\n", l.get("about_source"), ab.Source)
	fmt.Fprintf(a.stdout, "%s%d\n", l.get("about_documents"), ab.Documents)
	for _, d := range ab.Docs {
		count := say("passages_many", "n", d.Passages)
		if d.Passages == 1 {
			count = say("passages_one")
		}
		fmt.Fprintf(a.stdout, "  %s\n", say("about_doc_line", "name", d.Name, "kind", b.KindName(d.Kind, code),
			"langs", strings.Join(d.Langs, ", "), "count", count, "title", d.Title))
	}
	fmt.Fprintf(a.stdout, "%s%d\n", l.get("about_passages"), ab.Passages)
	fmt.Fprintf(a.stdout, "%s%s\n", l.get("about_embedder"), ab.Embedder)
	fmt.Fprintf(a.stdout, "%s%s\n", l.get("about_index"), say("about_built", "time", ab.BuiltAt.Format("2006-01-02 15:04:05 MST")))
	fmt.Fprintf(a.stdout, "%s%s\n", l.get("about_version"), ab.Version)
	return nil
}

func (a *App) eval(ctx context.Context, cfg Config, c *evalCmd) error {
	if err := checkK(c.K); err != nil {
		return err
	}
	data, err := readInput(c.Questions)
	if err != nil {
		return &usageError{fmt.Sprintf("cannot read questions file %s: %s", c.Questions, plainIOError(err))}
	}
	if line, deep := corpus.YAMLTooDeep(data, maxNestDepth); deep {
		return &usageError{fmt.Sprintf("%s:%d: lists or mappings nested more than %d deep (a questions file needs 4)", c.Questions, line, maxNestDepth)}
	}
	// The file is read node by node first, as a configuration is, so that
	// a mistake is said with its line and key in our words, not go-yaml's
	// ("cannot unmarshal string into Go struct field").
	var shape []retrieval.EvalQuestion
	d := decoder{lines: map[string]int{}}
	d.file(data, &shape)
	if len(d.probs) > 0 {
		return &usageError{questionsProblem(c.Questions, d, d.probs[0])}
	}
	qs, err := retrieval.ParseEvalQuestions(data)
	if err != nil {
		return &usageError{fmt.Sprintf("%s: %s", c.Questions, err)}
	}
	idx, err := a.loadIndex(ctx, cfg)
	if err != nil {
		return err
	}
	if err := retrieval.CheckEvalChapters(idx, qs); err != nil {
		var ce *retrieval.EvalChapterError
		if errors.As(err, &ce) {
			return &usageError{questionsProblem(c.Questions, d, Problem{Path: fmt.Sprintf("[%d].chapters[%d]", ce.Item, ce.At), Msg: ce.Error()})}
		}
		return fmt.Errorf("eval: %w", err)
	}
	rep, err := retrieval.Evaluate(ctx, idx, qs, c.K)
	if err != nil {
		return err
	}
	if c.JSON {
		return a.printJSON(rep)
	}
	row := func(name string, r *retrieval.EvalReport) {
		fmt.Fprintf(a.stdout, "%-4s %9d %7s %7s %6s %15s %13s\n", name, r.Questions, r.HitAt1, r.HitAt3, r.MRR, r.AbstainCorrect, r.FalseAbstain)
	}
	fmt.Fprintf(a.stdout, "%-4s %9s %7s %7s %6s %15s %13s\n", "", "questions", "hit@1", "hit@3", "mrr", "abstain_correct", "false_abstain")
	row("all", rep)
	for _, l := range lang.Default().Codes() {
		if r := rep.ByLang[l]; r != nil {
			row(l, r)
		}
	}
	if len(rep.Misses) > 0 {
		fmt.Fprintf(a.stdout, "\nmisses:\n")
		for _, m := range rep.Misses {
			fmt.Fprintf(a.stdout, "  [%s] %s  want %v, got %v (rank %d, abstained %v, confidence %.2f)\n", m.Lang, printable(m.Q), m.Want, m.Got, m.Rank, m.Abstain, m.Evidence)
		}
	}
	return nil
}

// questionsProblem words a problem of the questions file at path as
// "path:line: item 2: chapters[0]: what is wrong", the items counted
// from 1 as ParseEvalQuestions counts them.
func questionsProblem(path string, d decoder, p Problem) string {
	where := p.Path
	if rest, ok := strings.CutPrefix(where, "["); ok {
		if n, tail, ok := strings.Cut(rest, "]"); ok {
			if i, err := strconv.Atoi(n); err == nil {
				where = fmt.Sprintf("item %d", i+1)
				if tail = strings.TrimPrefix(tail, "."); tail != "" {
					where += ": " + tail
				}
			}
		}
	}
	msg := p.Msg
	if where != "" {
		msg = where + ": " + msg
	}
	line := p.Line
	if line == 0 {
		line = d.line(p.Path)
	}
	if line > 0 {
		return fmt.Sprintf("%s:%d: %s", path, line, msg)
	}
	return path + ": " + msg
}

// checkK refuses a -k that retrieval would not honour as given.
func checkK(k int) error {
	if k < 1 || k > 10 {
		return &usageError{fmt.Sprintf("-k %d is out of range (1 to 10)", k)}
	}
	return nil
}

// printReply prints a reply as a user reads it, the answer then its
// notes, or as one JSON object.
func (a *App) printReply(r bot.Reply, asJSON bool) error {
	if asJSON {
		return a.printJSON(r)
	}
	fmt.Fprintln(a.stdout, r.Answer)
	for _, n := range r.Notes {
		fmt.Fprintf(a.stdout, "\n%s\n", n)
	}
	return nil
}

func (a *App) printJSON(v any) error {
	enc := json.NewEncoder(a.stdout)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

// version is the module version the binary was built from, or "dev".
func version() string {
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "dev"
}

// maxInputFile bounds what declbot reads of a file the user names: a
// questions file, a configuration. Either is a few kilobytes; a bigger
// one is a mistake (a wrong path, /dev/zero) that should not take the
// machine's memory.
const maxInputFile = 1 << 20

// errTooLarge is returned by readInput for a file over maxInputFile.
var errTooLarge = fmt.Errorf("it is larger than %d MiB", maxInputFile>>20)

// readInput reads a file the user names, at most maxInputFile bytes of
// it: a longer one is errTooLarge. Devices and pipes are read as files
// (--config /dev/null means the defaults), only never past the bound. A
// leading UTF-8 byte order mark is dropped.
func readInput(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxInputFile+1))
	if err != nil {
		return nil, err
	}
	if len(data) > maxInputFile {
		return nil, errTooLarge
	}
	// Editors on Windows save UTF-8 with a byte order mark, which YAML
	// would take as the start of the first key.
	return bytes.TrimPrefix(data, []byte("\ufeff")), nil
}
