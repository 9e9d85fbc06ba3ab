package discord

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
)

// rewriter redirects requests addressed to Discord's default REST base to
// another base URL. discordgo computes its endpoint strings at package
// init, so reassigning its EndpointAPI would redirect only some calls;
// rewriting on the way out catches them all, gateway lookup included.
type rewriter struct {
	base *url.URL // with a trailing slash
	next http.RoundTripper
}

func newRewriter(apiURL string, next http.RoundTripper) (http.RoundTripper, error) {
	if !strings.HasSuffix(apiURL, "/") {
		apiURL += "/"
	}
	if apiURL == DefaultAPIURL {
		return next, nil
	}
	u, err := url.Parse(apiURL)
	if err != nil {
		return nil, err
	}
	return &rewriter{base: u, next: next}, nil
}

func (rw *rewriter) RoundTrip(req *http.Request) (*http.Response, error) {
	s := req.URL.String()
	if !strings.HasPrefix(s, DefaultAPIURL) {
		return rw.next.RoundTrip(req)
	}
	rest := strings.TrimPrefix(s, DefaultAPIURL)
	u, err := rw.base.Parse(strings.TrimLeft(rest, "/"))
	if err != nil {
		return nil, err
	}
	// A RoundTripper must not modify the request it was given.
	r := req.Clone(req.Context())
	r.URL = u
	r.Host = ""
	return rw.next.RoundTrip(r)
}

// redactHandler is a slog.Handler that removes the token from every
// message and string attribute before they reach the real handler: errors
// from the REST layer may quote a server's answer, and a server may echo
// the token.
type redactHandler struct {
	secret string
	next   slog.Handler
}

func (h redactHandler) Enabled(ctx context.Context, l slog.Level) bool {
	return h.next.Enabled(ctx, l)
}

func (h redactHandler) Handle(ctx context.Context, r slog.Record) error {
	out := slog.NewRecord(r.Time, r.Level, redact(r.Message, h.secret), r.PC)
	r.Attrs(func(a slog.Attr) bool {
		out.AddAttrs(h.redactAttr(a))
		return true
	})
	return h.next.Handle(ctx, out)
}

func (h redactHandler) redactAttr(a slog.Attr) slog.Attr {
	v := a.Value.Resolve()
	switch v.Kind() {
	case slog.KindString:
		return slog.String(a.Key, redact(v.String(), h.secret))
	case slog.KindGroup:
		attrs := v.Group()
		out := make([]any, len(attrs))
		for i, g := range attrs {
			out[i] = h.redactAttr(g)
		}
		return slog.Group(a.Key, out...)
	case slog.KindAny:
		if err, ok := v.Any().(error); ok {
			return slog.String(a.Key, redact(err.Error(), h.secret))
		}
		return slog.String(a.Key, redact(v.String(), h.secret))
	}
	return slog.Attr{Key: a.Key, Value: v}
}

func (h redactHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	red := make([]slog.Attr, len(attrs))
	for i, a := range attrs {
		red[i] = h.redactAttr(a)
	}
	return redactHandler{secret: h.secret, next: h.next.WithAttrs(red)}
}

func (h redactHandler) WithGroup(name string) slog.Handler {
	return redactHandler{secret: h.secret, next: h.next.WithGroup(name)}
}

func redact(s, secret string) string {
	if secret == "" || !strings.Contains(s, secret) {
		return s
	}
	return strings.ReplaceAll(s, secret, "[token]")
}

// redactErr hides the token in an error that may quote it. The result
// does not unwrap to the original, which still holds it.
func redactErr(err error, secret string) error {
	if err == nil {
		return nil
	}
	msg := err.Error()
	if secret == "" || !strings.Contains(msg, secret) {
		return err
	}
	return errors.New(redact(msg, secret))
}
