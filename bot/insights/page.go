package insights

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"embed"
	"encoding/hex"
	"html/template"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"
)

// The page's template, parsed once; html/template escapes everything the
// store holds, so that a comment full of markup shows as text.
//
//go:embed templates/page.html
var templates embed.FS

var pageTemplate = template.Must(template.ParseFS(templates, "templates/page.html"))

// PageOptions configure the maintainers' page.
type PageOptions struct {
	// Token, when set, is what a request must present, as a bearer token
	// or through the login form (which sets a cookie); when empty the page
	// answers requests from loopback addresses only.
	Token string
	// Unavailable, when the store is nil, is what the page says instead.
	Unavailable string
	// Log is told of failed queries. Nil discards.
	Log *slog.Logger
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// PagePath is where the page is served; its login form is at
// PagePath+"/login", where a browser without the cookie is sent.
const PagePath = "/insights"

// cookieName holds the page's session: a keyed hash of the token, never
// the token itself.
const cookieName = "declbot_insights"

// defaultWindow is the page's window when ?since is not given.
const defaultWindow = "30d"

// windows are the windows the page links to.
var windows = []string{"7d", "30d", "90d"}

// Page serves the maintainers' page on GET PagePath and its login form on
// POST PagePath/login. st may be nil: the page then says
// opts.Unavailable, behind the same gate.
func Page(st *Store, opts PageOptions) http.Handler {
	if opts.Log == nil {
		opts.Log = slog.New(slog.DiscardHandler)
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	p := &page{st: st, opts: opts}
	if opts.Token != "" {
		m := hmac.New(sha256.New, []byte(opts.Token))
		m.Write([]byte("declbot insights session"))
		p.session = hex.EncodeToString(m.Sum(nil))
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET "+PagePath, p.show)
	mux.HandleFunc("GET "+PagePath+"/login", p.loginForm)
	mux.HandleFunc("POST "+PagePath+"/login", p.login)
	return mux
}

type page struct {
	st      *Store
	opts    PageOptions
	session string // the cookie's value when a token is set
}

// headers are sent with every answer: nothing to run, nothing to embed
// the page elsewhere, nothing cached.
func headers(w http.ResponseWriter) {
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Cache-Control", "no-store")
}

// allowed reports whether r may see the page: with a token, when it
// carries it (bearer) or the session cookie; without, when it comes from
// loopback and not through a proxy (whose forwarding headers say the
// asker is elsewhere).
func (p *page) allowed(r *http.Request) bool {
	if p.opts.Token == "" {
		host, _, err := net.SplitHostPort(r.RemoteAddr)
		ip := net.ParseIP(host)
		proxied := r.Header.Get("X-Forwarded-For") != "" || r.Header.Get("Forwarded") != ""
		return err == nil && ip != nil && ip.IsLoopback() && !proxied
	}
	if bearer, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer "); ok {
		return equal(strings.TrimSpace(bearer), p.opts.Token)
	}
	if c, err := r.Cookie(cookieName); err == nil {
		return equal(c.Value, p.session)
	}
	return false
}

func equal(a, b string) bool { return subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1 }

func (p *page) show(w http.ResponseWriter, r *http.Request) {
	headers(w)
	if !p.allowed(r) {
		if p.opts.Token != "" && r.Header.Get("Authorization") == "" {
			// A browser without the cookie: to the form, which is a page
			// of its own rather than an error.
			http.Redirect(w, r, PagePath+"/login", http.StatusSeeOther)
			return
		}
		p.refuse(w, false)
		return
	}
	if p.st == nil {
		w.WriteHeader(http.StatusServiceUnavailable)
		p.render(w, view{Unavailable: p.opts.Unavailable})
		return
	}
	since := r.URL.Query().Get("since")
	if since == "" {
		since = defaultWindow
	}
	d, ok := ParseAge(since)
	if !ok {
		http.Error(w, "since: an age like 7d, 30d or 36h wanted", http.StatusBadRequest)
		return
	}
	now := p.opts.Now()
	rep, err := p.st.Report(r.Context(), Window(now, d), 0)
	if err != nil {
		p.opts.Log.Error("insights page", "err", err)
		w.WriteHeader(http.StatusInternalServerError)
		p.render(w, view{Unavailable: "The insights could not be read; the log says why."})
		return
	}
	p.render(w, view{
		Report: &rep, Chart: chartOf(rep.Days), Windows: windows,
		From: rep.Since.Format("2006-01-02 15:04"), To: rep.Until.Format("2006-01-02 15:04"),
	})
}

// refuse answers a request that may not see the page: the login form
// when a token is set, else a plain refusal.
func (p *page) refuse(w http.ResponseWriter, failed bool) {
	if p.opts.Token == "" {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.WriteHeader(http.StatusForbidden)
		w.Write([]byte("The insights page answers loopback addresses only; set DECLBOT_INSIGHTS_TOKEN to reach it from elsewhere.\n"))
		return
	}
	w.Header().Set("WWW-Authenticate", `Bearer realm="declbot insights"`)
	w.WriteHeader(http.StatusUnauthorized)
	p.render(w, view{Login: true, Failed: failed, LoginPath: PagePath + "/login"})
}

// loginForm shows the login form, when a token is set.
func (p *page) loginForm(w http.ResponseWriter, r *http.Request) {
	headers(w)
	if p.opts.Token == "" {
		p.refuse(w, false)
		return
	}
	p.render(w, view{Login: true, LoginPath: PagePath + "/login"})
}

// maxLoginBody bounds the login form's body.
const maxLoginBody = 4 << 10

func (p *page) login(w http.ResponseWriter, r *http.Request) {
	headers(w)
	if p.opts.Token == "" {
		p.refuse(w, false)
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxLoginBody)
	if err := r.ParseForm(); err != nil || !equal(r.PostForm.Get("token"), p.opts.Token) {
		// A moment's pause makes guessing slow.
		time.Sleep(250 * time.Millisecond)
		p.refuse(w, true)
		return
	}
	http.SetCookie(w, &http.Cookie{
		Name: cookieName, Value: p.session, Path: PagePath,
		MaxAge: 30 * 24 * 3600, HttpOnly: true, Secure: r.TLS != nil, SameSite: http.SameSiteStrictMode,
	})
	http.Redirect(w, r, PagePath, http.StatusSeeOther)
}

// render writes the page, rendered whole first so that a template error
// is never half a page.
func (p *page) render(w http.ResponseWriter, v view) {
	var b bytes.Buffer
	if err := pageTemplate.Execute(&b, v); err != nil {
		p.opts.Log.Error("insights page template", "err", err)
		return
	}
	w.Write(b.Bytes())
}

// view is what the template shows.
type view struct {
	Login       bool
	Failed      bool
	LoginPath   string
	Unavailable string
	Report      *Report
	Chart       chart
	Windows     []string
	From, To    string
}

// chart lays out the bars of the questions-per-day chart: one group per
// day, its outcomes stacked, in the SVG's own units.
type chart struct {
	Width, Height, Base, LabelY int
	Bars                        []bar
}

type bar struct {
	Date                            string
	Answered, Related, NotAddressed int
	X, W                            int
	YAnswered, HAnswered            float64
	YRelated, HRelated              float64
	YNot, HNot                      float64
	Label                           string
	LabelX                          int
}

// Chart geometry, in SVG units, which are CSS pixels at the chart's
// narrowest: the chart is at least chartMin wide, each day's step between
// stepMin and stepMax, and wider than the screen it scrolls sideways in
// its own box, never the page.
const (
	chartMin  = 340
	stepMin   = 8
	stepMax   = 48
	plotTop   = 8
	plotH     = 160
	labelRoom = 20
	labelW    = 40 // room a "03-10" label needs
)

func chartOf(days []Day) chart {
	n := max(len(days), 1)
	step := min(max(chartMin/n, stepMin), stepMax)
	width := max(n*step, chartMin)
	step = width / n
	c := chart{Width: width, Base: plotTop + plotH}
	c.Height, c.LabelY = c.Base+labelRoom, c.Base+15
	most := 1
	for _, d := range days {
		most = max(most, d.Total())
	}
	scale := float64(plotH) / float64(most)
	barW := max(step*3/4, 1)
	every := max(1, (labelW+step-1)/step) // labels that never overlap
	for i, d := range days {
		b := bar{Date: d.Date, Answered: d.Answered, Related: d.Related, NotAddressed: d.NotAddressed,
			X: i*step + (step-barW)/2, W: barW}
		y := float64(c.Base)
		b.HAnswered = float64(d.Answered) * scale
		y -= b.HAnswered
		b.YAnswered = y
		b.HRelated = float64(d.Related) * scale
		y -= b.HRelated
		b.YRelated = y
		b.HNot = float64(d.NotAddressed) * scale
		y -= b.HNot
		b.YNot = y
		// From the newest day back, so that today is always labelled.
		if (len(days)-1-i)%every == 0 {
			b.Label, b.LabelX = d.Date[5:], i*step+step/2
		}
		c.Bars = append(c.Bars, b)
	}
	return c
}

// ParseAge reads an age as `declbot insights --since` and the page's
// ?since take it: whole days (7d) or weeks (2w), or a Go duration (36h),
// up to ten years.
func ParseAge(s string) (time.Duration, bool) {
	s = strings.TrimSpace(s)
	units := map[byte]time.Duration{'d': 24 * time.Hour, 'w': 7 * 24 * time.Hour}
	if len(s) > 1 {
		if unit, ok := units[s[len(s)-1]]; ok {
			n := 0
			for _, c := range s[:len(s)-1] {
				if c < '0' || c > '9' || n > 3650 {
					return 0, false
				}
				n = n*10 + int(c-'0')
			}
			d := time.Duration(n) * unit
			return d, n > 0 && d <= 3650*24*time.Hour
		}
	}
	d, err := time.ParseDuration(s)
	return d, err == nil && d > 0 && d <= 3650*24*time.Hour
}
