package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/declbot/declbot/bot/discord/discordtest"
	"github.com/declbot/declbot/bot/insights"
)

// browser starts Debian's chromium, headless, for the test, or skips the
// test when there is none; in CI (CI=true) a missing chromium fails it,
// since .ci/run installs it.
func browser(t *testing.T) context.Context {
	t.Helper()
	path, err := exec.LookPath("chromium")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("chromium is not installed: CI must run the browser tests (.ci/run installs it)")
		}
		t.Skip("no chromium on this machine (apt-get install chromium)")
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.NoSandbox, // CI runs as root
		chromedp.DisableGPU,
		chromedp.UserDataDir(t.TempDir()),
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	tctx, cancelTimeout := context.WithTimeout(ctx, 90*time.Second)
	t.Cleanup(func() { cancelTimeout(); cancel(); cancelAlloc() })
	return tctx
}

// consoleErrors collects what the page says is wrong: console errors and
// warnings, uncaught exceptions, and the browser's own error entries
// (failed loads, CSP refusals).
type consoleErrors struct {
	mu   sync.Mutex
	msgs []string
}

func (c *consoleErrors) listen(t *testing.T, ctx context.Context) {
	t.Helper()
	err := chromedp.Listen(ctx, func(ev any) {
		c.mu.Lock()
		defer c.mu.Unlock()
		switch e := ev.(type) {
		case *runtime.EventConsoleAPICalled:
			if e.Type == runtime.ConsoleAPICalledTypeError || e.Type == runtime.ConsoleAPICalledTypeWarning {
				var args []string
				for _, a := range e.Args {
					args = append(args, string(a.Value))
				}
				c.msgs = append(c.msgs, fmt.Sprintf("console.%s: %s", e.Type, strings.Join(args, " ")))
			}
		case *runtime.EventExceptionThrown:
			c.msgs = append(c.msgs, "exception: "+e.ExceptionDetails.Text)
		case *log.EventEntryAdded:
			if e.Entry.Level == log.EntryLevelError || e.Entry.Level == log.EntryLevelWarning {
				c.msgs = append(c.msgs, fmt.Sprintf("%s %s: %s (%s)", e.Entry.Source, e.Entry.Level, e.Entry.Text, e.Entry.URL))
			}
		}
	})
	if err != nil {
		t.Fatal(err)
	}
}

func (c *consoleErrors) check(t *testing.T) {
	t.Helper()
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, m := range c.msgs {
		t.Errorf("the page logged: %s", m)
	}
}

// shown is what the page shows, read from its DOM.
type shown struct {
	Questions    int      `json:"questions"`
	People       int      `json:"people"`
	Answered     int      `json:"answered"`
	Related      int      `json:"related"`
	NotAddressed int      `json:"not_addressed"`
	Up           int      `json:"up"`
	Down         int      `json:"down"`
	Unanswered   []string `json:"unanswered"`
	Comments     []string `json:"comments"`
	Paragraphs   []string `json:"paragraphs"`
	Days         []struct {
		Date         string  `json:"date"`
		Answered     int     `json:"answered"`
		Related      int     `json:"related"`
		NotAddressed int     `json:"not_addressed"`
		Rects        int     `json:"rects"`
		Height       float64 `json:"height"`
	} `json:"days"`
	ScrollWidth int `json:"scroll_width"`
	Width       int `json:"width"`
}

const readPage = `(() => {
	const num = id => parseInt(document.getElementById(id).textContent, 10);
	const rows = id => [...document.querySelectorAll('#' + id + ' tbody tr')].map(r => r.innerText.replace(/\s+/g, ' ').trim());
	return {
		questions: num('questions'), people: num('people'), answered: num('answered'),
		related: num('related'), not_addressed: num('not-addressed'), up: num('up'), down: num('down'),
		unanswered: rows('unanswered'), comments: rows('comments'), paragraphs: rows('paragraphs'),
		days: [...document.querySelectorAll('#chart g.day')].map(g => ({
			date: g.dataset.date, answered: +g.dataset.answered, related: +g.dataset.related,
			not_addressed: +g.dataset.notAddressed, rects: g.querySelectorAll('rect').length,
			height: [...g.querySelectorAll('rect')].reduce((h, r) => h + r.getBBox().height, 0),
		})),
		scroll_width: document.documentElement.scrollWidth, width: window.innerWidth,
	};
})()`

// TestInsightsPageInBrowser loads /insights from serve in chromium, on a
// phone-sized screen, through the login form that DECLBOT_INSIGHTS_TOKEN
// asks for: the page loads without a word in the console, the chart has
// one bar group per day, and every number equals `declbot insights
// --json` over the same window.
func TestInsightsPageInBrowser(t *testing.T) {
	ctx := browser(t)
	dir := t.TempDir()
	now := time.Now()
	cfgPath := insightsFixtureAt(t, dir, now)
	srv := discordtest.New(t, discordtest.Options{Token: serveToken})
	db := filepath.Join(dir, "declbot.insights")
	const token = "browser-test-token"
	s := startServe(t, srv, serveConfig(srv, "insights:\n  path: "+db+"\n"), map[string]string{insightsTokenEnv: token})

	code, out, errs := NewAppRun(t, "--config", cfgPath, "insights", "--since", "7d", "--json")
	if code != 0 {
		t.Fatalf("insights --json: exit %d: %s", code, errs)
	}
	var want insights.Report
	if err := json.Unmarshal([]byte(out), &want); err != nil {
		t.Fatal(err)
	}

	var console consoleErrors
	console.listen(t, ctx)
	page := "http://" + s.addr + "/insights?since=7d"
	err := chromedp.Do(ctx,
		chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(3)),
		chromedp.Navigate(page),
		chromedp.WaitVisible(chromedp.CSS(`#token`)),
		chromedp.SendKeys(chromedp.CSS(`#token`), token),
		chromedp.Submit(chromedp.CSS(`#token`)),
		chromedp.WaitVisible(chromedp.CSS(`#chart`)),
		// The login lands on the default window; ask for the same as
		// the command.
		chromedp.Navigate(page),
		chromedp.WaitVisible(chromedp.CSS(`#chart`)),
	)
	if err != nil {
		t.Fatalf("load the page: %v", err)
	}
	got, err := chromedp.Run(ctx, chromedp.Evaluate[shown](readPage))
	if err != nil {
		t.Fatal(err)
	}
	if shot, err := chromedp.Run(ctx, chromedp.FullScreenshot(100)); err == nil {
		os.WriteFile(filepath.Join(t.TempDir(), "insights.png"), shot, 0o644)
		if dir := os.Getenv("DECLBOT_SCREENSHOTS"); dir != "" {
			os.WriteFile(filepath.Join(dir, "insights-phone.png"), shot, 0o644)
		}
	}
	console.check(t)

	checks := []struct {
		name      string
		got, want any
	}{
		{"questions", got.Questions, want.Questions},
		{"people", got.People, want.People},
		{"answered", got.Answered, want.ByOutcome[insights.Answered]},
		{"related", got.Related, want.ByOutcome[insights.Related]},
		{"not addressed", got.NotAddressed, want.ByOutcome[insights.NotAddressed]},
		{"👍", got.Up, want.Ratings.Up},
		{"👎", got.Down, want.Ratings.Down},
		{"unanswered", len(got.Unanswered), len(want.Unanswered)},
		{"comments", len(got.Comments), len(want.Comments)},
		{"paragraphs", len(got.Paragraphs), len(want.TopParagraphs)},
		{"bar groups", len(got.Days), len(want.Days)},
	}
	for _, c := range checks {
		if fmt.Sprint(c.got) != fmt.Sprint(c.want) {
			t.Errorf("%s: page shows %v, insights --json says %v", c.name, c.got, c.want)
		}
	}
	for i, u := range want.Unanswered {
		if i < len(got.Unanswered) && got.Unanswered[i] != fmt.Sprintf("%d %s", u.Count, u.Text) {
			t.Errorf("unanswered row %d: %q, want %d %q", i, got.Unanswered[i], u.Count, u.Text)
		}
	}
	for i, c := range want.Comments {
		if i < len(got.Comments) && !strings.Contains(got.Comments[i], c.Text) {
			t.Errorf("comment row %d: %q, want the text %q", i, got.Comments[i], c.Text)
		}
	}
	tallest := 0.0
	for _, d := range got.Days {
		tallest = max(tallest, d.Height)
	}
	for i, d := range want.Days {
		if i >= len(got.Days) {
			break
		}
		g := got.Days[i]
		if g.Date != d.Date || g.Answered != d.Answered || g.Related != d.Related || g.NotAddressed != d.NotAddressed || g.Rects != 3 {
			t.Errorf("day %d: page %+v, insights --json %+v", i, g, d)
		}
		if d.Total() == 0 && g.Height != 0 || d.Total() > 0 && g.Height <= 0 {
			t.Errorf("day %s: bars %.1f high for %d questions", d.Date, g.Height, d.Total())
		}
	}
	if got.ScrollWidth > got.Width {
		t.Errorf("on a phone the page is %d px wide in a %d px screen: it scrolls sideways", got.ScrollWidth, got.Width)
	}
}

// NewAppRun runs declbot in-process on the real clock, from the package's
// folder, and returns its exit status and outputs.
func NewAppRun(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb strings.Builder
	code := NewApp(strings.NewReader(""), &out, &errb, func(string) string { return "" }).Run(context.Background(), args)
	return code, out.String(), errb.String()
}
