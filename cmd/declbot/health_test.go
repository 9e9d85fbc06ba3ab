package main

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/declbot/declbot/bot/discord/discordtest"
)

// TestServeHealthAndMetrics checks the operator's endpoints of a running
// serve: alive, ready once connected and not while the gateway is down,
// and metrics that follow questions, reloads and reconnections.
func TestServeHealthAndMetrics(t *testing.T) {
	srv := discordtest.New(t, discordtest.Options{Token: serveToken})
	s := startServe(t, srv, serveConfig(srv, ""), nil)
	state := func() string { _, b := s.get(t, "/readyz"); return strings.TrimSpace(b) }

	if code, body := s.get(t, "/healthz"); code != 200 || body != "ok\n" {
		t.Errorf("/healthz: %d %q", code, body)
	}
	waitFor(t, 10*time.Second, state, func() bool { code, _ := s.get(t, "/readyz"); return code == 200 })
	if got := s.metric(t, "declbot_index_passages"); got == "0" {
		t.Errorf("declbot_index_passages is 0")
	}

	sent := srv.SendCommand(asker(1), "ask", discordtest.String("question", "What does the declaration say about critical minerals?"))
	srv.MustWait(t, 10*time.Second, 1, discordtest.And(discordtest.ForInteraction(sent.Token), discordtest.OriginalEdits))
	sent = srv.SendCommand(asker(1), "ask", discordtest.String("question", "Who won the 2022 football world cup?"))
	srv.MustWait(t, 10*time.Second, 1, discordtest.And(discordtest.ForInteraction(sent.Token), discordtest.OriginalEdits))
	// A question is counted once its reply is delivered, just after the
	// edit the fake recorded.
	counted := func() string { return s.metric(t, `declbot_answer_duration_seconds_count`) }
	waitFor(t, 10*time.Second, counted, func() bool { return counted() == "2" })
	for series, want := range map[string]string{
		`declbot_questions_total{outcome="answered",source="slash"}`:  "1",
		`declbot_questions_total{outcome="abstained",source="slash"}`: "1",
		`declbot_retrieval_duration_seconds_count`:                    "2",
		`declbot_answer_duration_seconds_count`:                       "2",
	} {
		if got := s.metric(t, series); got != want {
			t.Errorf("%s = %s, want %s", series, got, want)
		}
	}

	// SIGHUP rebuilds the index; so does /reindex from a maintainer.
	s.hangup <- nil
	runs := func() string { return s.metric(t, `declbot_reindex_runs_total{result="ok"}`) }
	waitFor(t, 10*time.Second, runs, func() bool { return runs() == "1" })
	inv := asker(999 - 1) // maintainer's id
	inv.UserID = maintainer
	sent = srv.SendCommand(inv, "reindex")
	srv.MustWait(t, 10*time.Second, 1, discordtest.And(discordtest.ForInteraction(sent.Token), discordtest.OriginalEdits))
	if got := runs(); got != "2" {
		t.Errorf("reindex runs = %s after SIGHUP and /reindex, want 2", got)
	}

	// While the gateway is down, not ready; ready again once resumed.
	srv.DropConnection()
	var down string
	waitFor(t, 10*time.Second, state, func() bool {
		code, body := s.get(t, "/readyz")
		down = strings.TrimSpace(body)
		return code == http.StatusServiceUnavailable
	})
	if down != "gateway not connected" {
		t.Errorf("/readyz says %q while disconnected", down)
	}
	waitFor(t, 20*time.Second, state, func() bool { code, _ := s.get(t, "/readyz"); return code == 200 })
	if got := s.metric(t, "declbot_gateway_reconnects_total"); got != "1" {
		t.Errorf("declbot_gateway_reconnects_total = %s, want 1", got)
	}

	s.stop(t)
	if _, err := http.Get("http://" + s.addr + "/healthz"); err == nil {
		t.Error("the health listener is still up after serve returned")
	}
}
