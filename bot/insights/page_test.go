package insights

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"
)

// serve sends one request to the page as if from remote.
func serve(h http.Handler, method, target, remote string, body io.Reader, edit func(*http.Request)) *httptest.ResponseRecorder {
	r := httptest.NewRequest(method, target, body)
	r.RemoteAddr = remote
	if body != nil {
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if edit != nil {
		edit(r)
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

func TestPageAccess(t *testing.T) {
	s := openSQLite(t, KeepAll)
	sample(t, s)
	open := Page(s, PageOptions{Now: fixedClock(day0)})
	locked := Page(s, PageOptions{Token: "s3cret", Now: fixedClock(day0)})
	bearer := func(tok string) func(*http.Request) {
		return func(r *http.Request) { r.Header.Set("Authorization", "Bearer "+tok) }
	}
	tests := []struct {
		name   string
		h      http.Handler
		remote string
		edit   func(*http.Request)
		want   int
	}{
		{"loopback v4", open, "127.0.0.1:5000", nil, 200},
		{"loopback v6", open, "[::1]:5000", nil, 200},
		{"elsewhere", open, "192.0.2.7:5000", nil, 403},
		{"through a proxy", open, "127.0.0.1:5000", func(r *http.Request) { r.Header.Set("X-Forwarded-For", "192.0.2.7") }, 403},
		{"token: none given", locked, "127.0.0.1:5000", nil, 303}, // to the form
		{"token: right bearer", locked, "192.0.2.7:5000", bearer("s3cret"), 200},
		{"token: wrong bearer", locked, "192.0.2.7:5000", bearer("guess"), 401},
		{"token: forged cookie", locked, "192.0.2.7:5000", func(r *http.Request) { r.AddCookie(&http.Cookie{Name: cookieName, Value: "s3cret"}) }, 303},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := serve(tt.h, "GET", PagePath, tt.remote, nil, tt.edit)
			if w.Code != tt.want {
				t.Errorf("status %d, want %d", w.Code, tt.want)
			}
			if w.Code == 401 && !strings.Contains(w.Body.String(), `<form class="login"`) {
				t.Error("401 without the login form")
			}
		})
	}
}

func TestPageLogin(t *testing.T) {
	s := openSQLite(t, KeepAll)
	h := Page(s, PageOptions{Token: "s3cret", Now: fixedClock(day0)})
	w := serve(h, "POST", PagePath+"/login", "192.0.2.7:5000", strings.NewReader(url.Values{"token": {"nope"}}.Encode()), nil)
	if w.Code != 401 || len(w.Result().Cookies()) != 0 || !strings.Contains(w.Body.String(), "not the one") {
		t.Errorf("wrong token: %d, cookies %v", w.Code, w.Result().Cookies())
	}
	w = serve(h, "POST", PagePath+"/login", "192.0.2.7:5000", strings.NewReader(url.Values{"token": {"s3cret"}}.Encode()), nil)
	cookies := w.Result().Cookies()
	if w.Code != http.StatusSeeOther || len(cookies) != 1 || !cookies[0].HttpOnly || strings.Contains(cookies[0].Value, "s3cret") {
		t.Fatalf("right token: %d, cookies %v", w.Code, cookies)
	}
	w = serve(h, "GET", PagePath, "192.0.2.7:5000", nil, func(r *http.Request) { r.AddCookie(cookies[0]) })
	if w.Code != 200 {
		t.Errorf("with the cookie: %d", w.Code)
	}
}

func TestPageShowsReport(t *testing.T) {
	s := openSQLite(t, KeepAll)
	sample(t, s)
	hostile := `<script>alert("x")</script><img src=x onerror=alert(1)> @everyone`
	if err := s.Write(context.Background(), nil, []Vote{{QuestionID: "n1", Voter: "v9", Comment: hostile, At: day0}}); err != nil {
		t.Fatal(err)
	}
	w := serve(Page(s, PageOptions{Now: fixedClock(day0)}), "GET", PagePath+"?since=7d", "127.0.0.1:1", nil, nil)
	body := w.Body.String()
	if w.Code != 200 {
		t.Fatalf("status %d: %s", w.Code, body)
	}
	if strings.Contains(body, "<script>alert") || strings.Contains(body, "<img src=x") {
		t.Error("the comment's markup reached the page unescaped")
	}
	if !strings.Contains(body, "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;") {
		t.Error("the comment is not shown, escaped")
	}
	groups := regexp.MustCompile(`<g class="day" data-date="([0-9-]+)" data-answered="(\d+)" data-related="(\d+)" data-not-addressed="(\d+)"`).FindAllStringSubmatch(body, -1)
	if len(groups) != 7 {
		t.Fatalf("%d bar groups, want 7", len(groups))
	}
	if last := groups[6]; fmt.Sprint(last[1:]) != "[2026-03-10 2 1 2]" {
		t.Errorf("today's bars %v", last[1:])
	}
	if csp := w.Header().Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'none'") {
		t.Errorf("CSP %q", csp)
	}
	for _, bad := range []string{"?since=forever", "?since=0d", "?since=-5h"} {
		if w := serve(Page(s, PageOptions{}), "GET", PagePath+bad, "127.0.0.1:1", nil, nil); w.Code != 400 {
			t.Errorf("%s: status %d, want 400", bad, w.Code)
		}
	}
}

func TestPageUnavailable(t *testing.T) {
	w := serve(Page(nil, PageOptions{Unavailable: "Insights are not recorded: disk <full>"}), "GET", PagePath, "127.0.0.1:1", nil, nil)
	if w.Code != 503 || !strings.Contains(w.Body.String(), "disk &lt;full&gt;") {
		t.Errorf("%d: %s", w.Code, w.Body.String())
	}
}

// fill writes n questions spread over the last days days, with votes on
// one in ten and a few distinct unanswered questions.
func fill(tb testing.TB, s *Store, n, days int) {
	tb.Helper()
	outcomes := []string{Answered, Answered, Answered, Related, NotAddressed}
	const batch = 5000
	for start := 0; start < n; start += batch {
		var qs []Question
		var vs []Vote
		for i := start; i < min(n, start+batch); i++ {
			id := fmt.Sprintf("q%07d", i)
			qs = append(qs, Question{
				ID: id, At: day0.Add(-time.Duration(i%(days*24)) * time.Hour), Source: []string{"slash", "mention", "dm"}[i%3],
				Lang: []string{"en", "fr"}[i%2], Outcome: outcomes[i%5], Paragraphs: []string{fmt.Sprintf("digest/%d.%d", i%7+1, i%5+1)},
				Latency: time.Millisecond, Asker: fmt.Sprint(i % 500), Text: fmt.Sprintf("question number %d", i%300),
			})
			if i%10 == 0 {
				vs = append(vs, Vote{QuestionID: id, Voter: fmt.Sprint(i % 500), Up: i%20 == 0, Comment: "not quite", At: qs[len(qs)-1].At})
			}
		}
		if err := s.Write(context.Background(), qs, vs); err != nil {
			tb.Fatal(err)
		}
	}
}

// BenchmarkPage renders the page over 100,000 questions recorded in the
// last 90 days, asking for all of them.
func BenchmarkPage(b *testing.B) {
	s := openSQLite(b, KeepUnanswered)
	fill(b, s, 100000, 90)
	h := Page(s, PageOptions{Now: fixedClock(day0)})
	b.ResetTimer()
	for b.Loop() {
		w := serve(h, "GET", PagePath+"?since=90d", "127.0.0.1:1", nil, nil)
		if w.Code != 200 {
			b.Fatal(w.Code)
		}
	}
}

func FuzzParseAge(f *testing.F) {
	for _, s := range []string{"7d", "2w", "36h", "90m", "0d", "-5h", "forever", "99999999999999999999d", "3650d", "3651d"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, ok := ParseAge(s)
		if ok && (d <= 0 || d > 3650*24*time.Hour) {
			t.Errorf("ParseAge(%q) = %v, accepted", s, d)
		}
	})
}

func TestParseAge(t *testing.T) {
	tests := []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"7d", 7 * 24 * time.Hour, true},
		{"2w", 14 * 24 * time.Hour, true},
		{"36h", 36 * time.Hour, true},
		{"0d", 0, false},
		{"-5h", 0, false},
		{"d", 0, false},
		{"3651d", 0, false},
		{"99999999999999999999d", 0, false},
	}
	for _, tt := range tests {
		got, ok := ParseAge(tt.in)
		if ok != tt.ok || (ok && got != tt.want) {
			t.Errorf("ParseAge(%q) = %v, %v; want %v, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}
