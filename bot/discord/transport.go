package discord

import (
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/declbot/declbot/bot/logging"
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

// redactErr hides the token in an error that may quote it. The result
// does not unwrap to the original, which still holds it.
func redactErr(err error, secret string) error {
	if err == nil {
		return nil
	}
	msg := err.Error()
	if red := logging.Redact(msg, secret); red != msg {
		return errors.New(red)
	}
	return err
}
