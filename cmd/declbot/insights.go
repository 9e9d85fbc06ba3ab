package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/declbot/declbot/bot"
	"github.com/declbot/declbot/bot/discord"
	"github.com/declbot/declbot/bot/insights"
	"github.com/declbot/declbot/bot/metrics"
)

// insightsFile is the insights store's name when insights.path is empty:
// beside the index file.
const insightsFile = "declbot.insights"

// insightsPath returns the SQLite file the configuration names:
// insights.path, else declbot.insights in the index file's folder.
func insightsPath(cfg Config) string {
	if cfg.Insights.Path != "" {
		return cfg.Insights.Path
	}
	idx := cfg.Index.Path
	if idx == "" {
		idx = DefaultIndexPath
	}
	return filepath.Join(filepath.Dir(idx), insightsFile)
}

// errNoInsights is returned by openInsights when the store is not there
// and was not to be created.
var errNoInsights = errors.New("no insights store")

// openInsights opens the store the configuration names. With create
// false, a SQLite file that does not exist is errNoInsights rather than
// made: `ask` and `insights` read or add to what `serve` keeps, and do
// not leave a database behind where none was.
func (a *App) openInsights(ctx context.Context, cfg Config, create bool) (*insights.Store, error) {
	opts := insights.Options{Database: cfg.Insights.Database, Questions: insights.Policy(cfg.Insights.Questions), Now: a.clock}
	if cfg.Insights.Database == "" {
		opts.Path = insightsPath(cfg)
		if !create {
			if _, err := os.Stat(opts.Path); errors.Is(err, fs.ErrNotExist) {
				return nil, fmt.Errorf("%w at %s", errNoInsights, opts.Path)
			}
		}
	}
	return insights.Open(ctx, opts)
}

// clock returns the time now, as the insights see it.
func (a *App) clock() time.Time {
	if a.now != nil {
		return a.now()
	}
	return time.Now()
}

// retention is how long records are kept.
func retention(cfg Config) time.Duration {
	return time.Duration(cfg.Insights.RetentionDays) * 24 * time.Hour
}

// servedInsights is what serve keeps of the insights: the store and its
// recorder when they opened, and what /readyz says when they did not.
type servedInsights struct {
	store *insights.Store
	rec   *insights.Recorder
	note  string
}

// startInsights opens the store and starts recording into it. A store
// that cannot be opened costs the records, never the answers: it is said
// once in the log and in /readyz's body, and serve goes on.
func (a *App) startInsights(ctx context.Context, cfg Config, log *slog.Logger, m *metrics.Metrics) *servedInsights {
	si := &servedInsights{}
	if !cfg.Insights.Enabled {
		return si
	}
	st, err := a.openInsights(ctx, cfg, true)
	if err != nil {
		log.Error("insights store not available: answering without recording questions or ratings", "err", err)
		si.note = "insights: not recording (" + firstLine(err.Error()) + ")"
		return si
	}
	si.store = st
	si.rec = insights.NewRecorder(st, insights.RecorderOptions{
		Retention: retention(cfg),
		Dropped:   m.InsightsDropped,
		Log:       log,
	})
	log.Info("recording insights", "store", st.Where(), "questions", cfg.Insights.Questions, "retention_days", cfg.Insights.RetentionDays)
	return si
}

// close writes what is queued, for at most a few seconds, and closes the
// store.
func (si *servedInsights) close(log *slog.Logger) {
	if si.rec != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		pending := si.rec.Pending()
		if err := si.rec.Close(ctx); err != nil {
			log.Warn("insights records lost at shutdown", "err", err, "pending", pending)
		}
	}
	if si.store != nil {
		si.store.Close()
	}
}

// recorder adapts the insights recorder to what the Discord adapter
// records, and counts the votes.
type recorder struct {
	rec *insights.Recorder
	m   *metrics.Metrics
}

var _ discord.Recorder = recorder{}

func (r recorder) Answered(a discord.Answer) {
	r.rec.Question(questionRecord(a.ID, a.Source, a.User, a.Question, a.Reply, a.Took))
}

func (r recorder) Rated(v discord.Rating) {
	if !v.Form {
		r.m.Rated(v.Up)
	}
	r.rec.Vote(insights.Vote{QuestionID: v.AnswerID, Voter: v.User, Up: v.Up, Comment: v.Comment, At: time.Now()})
}

// questionRecord is what the insights keep of a reply.
func questionRecord(id, source, user, question string, r bot.Reply, took time.Duration) insights.Question {
	outcome := r.Outcome
	if outcome == "" {
		outcome = insights.Answered
		if r.Abstained {
			outcome = insights.NotAddressed
		}
	}
	paras := make([]string, 0, len(r.Passages))
	for _, p := range r.Passages {
		paras = append(paras, p.Doc+"/"+p.ID)
	}
	return insights.Question{
		ID: id, At: time.Now(), Source: source, Lang: r.Lang, Outcome: outcome,
		Paragraphs: paras, Latency: took,
		ModelWritten: r.Mode == bot.ModeLLM,
		VerifyFailed: r.Verification != nil && r.Verification.Failed > 0,
		Asker:        user, Text: question,
	}
}

// recordAsked adds a question asked on the command line to the insights
// store serve keeps, when there is one; it never makes one, and a failure
// is not the user's: it goes to stderr only with the answer printed.
func (a *App) recordAsked(ctx context.Context, cfg Config, question string, r bot.Reply, took time.Duration) {
	if !cfg.Insights.Enabled {
		return
	}
	st, err := a.openInsights(ctx, cfg, false)
	if errors.Is(err, errNoInsights) {
		return
	}
	if err != nil {
		a.complain("question not recorded: %s", firstLine(err.Error()))
		return
	}
	defer st.Close()
	b := make([]byte, 8)
	rand.Read(b)
	q := questionRecord("cli-"+hex.EncodeToString(b), "cli", "", question, r, took)
	if err := st.Write(ctx, []insights.Question{q}, nil); err != nil {
		a.complain("question not recorded: %s", firstLine(err.Error()))
	}
}

type insightsCmd struct {
	Since string `help:"How far back: 7d (today and the six days before), 24h, 2w." default:"7d" placeholder:"AGE"`
	JSON  bool   `help:"Print one JSON object."`
	Limit int    `help:"Most entries of each list." default:"20" placeholder:"N"`
}

// insightsReport runs `declbot insights`: what was asked and rated since
// --since, as text or JSON.
func (a *App) insightsReport(ctx context.Context, cfg Config, c *insightsCmd) error {
	since, ok := insights.ParseAge(c.Since)
	if !ok {
		return &usageError{fmt.Sprintf("--since %s is not an age (like 7d, 2w or 36h)", c.Since)}
	}
	if c.Limit < 1 || c.Limit > 1000 {
		return &usageError{fmt.Sprintf("--limit %d is out of range (1 to 1000)", c.Limit)}
	}
	st, err := a.openInsights(ctx, cfg, false)
	if errors.Is(err, errNoInsights) {
		return &usageError{err.Error() + " (serve makes it; see insights.path)"}
	}
	if err != nil {
		return err
	}
	defer st.Close()
	r, err := st.Report(ctx, insights.Window(a.clock(), since), c.Limit)
	if err != nil {
		return err
	}
	if c.JSON {
		return a.printJSON(r)
	}
	a.printInsights(r)
	return nil
}

func (a *App) printInsights(r insights.Report) {
	w := a.stdout
	fmt.Fprintf(w, "Insights from %s to %s (UTC)\n\n", r.Since.Format("2006-01-02 15:04"), r.Until.Format("2006-01-02 15:04"))
	fmt.Fprintf(w, "Questions:    %d from %s", r.Questions, countNoun(r.People, "1 person", "%d people"))
	fmt.Fprintf(w, " (%d written by the model, %d failed verification)\n", r.ModelWritten, r.VerifyFailed)
	fmt.Fprintf(w, "By outcome:   answered %d · related %d · not addressed %d\n",
		r.ByOutcome[insights.Answered], r.ByOutcome[insights.Related], r.ByOutcome[insights.NotAddressed])
	fmt.Fprintf(w, "By language:  %s\n", counts(r.ByLanguage))
	fmt.Fprintf(w, "By source:    %s\n", counts(r.BySource))
	fmt.Fprintf(w, "Ratings:      👍 %d · 👎 %d\n", r.Ratings.Up, r.Ratings.Down)

	fmt.Fprintf(w, "\nUnanswered, most asked first:\n")
	if len(r.Unanswered) == 0 {
		fmt.Fprintln(w, "  none")
	}
	for _, u := range r.Unanswered {
		fmt.Fprintf(w, "  %5d  %s\n", u.Count, printable(u.Text))
	}
	fmt.Fprintf(w, "\nComments on answers, newest first:\n")
	if len(r.Comments) == 0 {
		fmt.Fprintln(w, "  none")
	}
	for _, c := range r.Comments {
		fmt.Fprintf(w, "  %s  %s\n", c.At.Format("2006-01-02 15:04"), printable(c.Text))
		if c.Question != "" {
			fmt.Fprintf(w, "                    on: %s\n", printable(c.Question))
		}
	}
	fmt.Fprintf(w, "\nMost cited paragraphs:\n")
	if len(r.TopParagraphs) == 0 {
		fmt.Fprintln(w, "  none")
	}
	for _, p := range r.TopParagraphs {
		fmt.Fprintf(w, "  %5d  %s\n", p.Count, printable(p.Paragraph))
	}
}

// counts lists a map's counts by key: "en 4 · fr 2", or "none".
func counts(m map[string]int) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	if len(keys) == 0 {
		return "none"
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s %d", printable(k), m[k])
	}
	return strings.Join(parts, " · ")
}

// insightsTokenEnv holds the token that opens the /insights page to
// addresses other than loopback.
const insightsTokenEnv = "DECLBOT_INSIGHTS_TOKEN"

// serverHandler serves the operator's endpoints and the maintainers'
// page on server.listen. /readyz's body says when insights are not
// recorded.
func (a *App) serverHandler(m *metrics.Metrics, ready func() error, si *servedInsights, log *slog.Logger) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("/", m.Handler(ready, func() string { return si.note }))
	unavailable := "Insights are not recorded: " + strings.TrimPrefix(si.note, "insights: ")
	if si.note == "" {
		unavailable = "Insights are off (insights.enabled is false)."
	}
	page := insights.Page(si.store, insights.PageOptions{Token: a.getenv(insightsTokenEnv), Unavailable: unavailable, Log: log, Now: a.clock})
	mux.Handle(insights.PagePath, page)
	mux.Handle(insights.PagePath+"/", page)
	return mux
}
