// Package metrics is declbot's window for operators: Prometheus metrics,
// every series named declbot_*, and the HTTP endpoints a supervisor
// polls (/healthz, /readyz, /metrics). It is the only package that imports
// the Prometheus client library.
//
// A *Metrics satisfies the observer interfaces its consumers declare
// (bot.Observer, discord.Observer); the program hands it to them.
package metrics

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
)

// Label values the question counter is initialised with, so that every
// series exists (at zero) from the start, as alerting rules expect. They
// are the values bot/discord reports, plus "cli".
var (
	sources  = []string{"slash", "mention", "dm", "cli"}
	outcomes = []string{"answered", "abstained", "refused", "error", "failed"}
)

// Metrics holds declbot's series in a registry of its own: no global
// state, so tests and several bots in one process do not collide.
type Metrics struct {
	reg *prometheus.Registry

	questions       *prometheus.CounterVec
	answerLatency   prometheus.Histogram
	searchLatency   prometheus.Histogram
	modelCalls      prometheus.Counter
	modelFailures   prometheus.Counter
	verifyFailures  prometheus.Counter
	rateLimited     *prometheus.CounterVec
	discord429      prometheus.Counter
	reindexRuns     *prometheus.CounterVec
	reindexDuration prometheus.Histogram
	passages        prometheus.Gauge
	reconnects      prometheus.Counter
	commands        prometheus.Gauge
	insightsDropped prometheus.Counter
	feedback        *prometheus.CounterVec
}

// New returns the metrics, registered with the Go runtime and process
// collectors (memory, goroutines, open files, CPU).
func New() *Metrics {
	const ns = "declbot"
	m := &Metrics{
		reg: prometheus.NewRegistry(),
		questions: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: ns, Name: "questions_total",
			Help: "Questions received, by source (slash, mention, dm, cli) and outcome (answered, abstained, refused, error, failed: the reply could not be delivered).",
		}, []string{"source", "outcome"}),
		answerLatency: prometheus.NewHistogram(prometheus.HistogramOpts{
			Namespace: ns, Name: "answer_duration_seconds",
			Help: "Time to answer a question, from the question to the reply to send, excluding Discord's round trips.",
			// Extractive answers take about a millisecond; written ones
			// seconds, up to the model timeout.
			Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30, 60},
		}),
		searchLatency: prometheus.NewHistogram(prometheus.HistogramOpts{
			Namespace: ns, Name: "retrieval_duration_seconds",
			Help:    "Time to search the index for one question (embedding included).",
			Buckets: []float64{.0001, .00025, .0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5},
		}),
		modelCalls: prometheus.NewCounter(prometheus.CounterOpts{
			Namespace: ns, Name: "model_calls_total",
			Help: "Calls to the chat model (written answers and follow-up rewrites).",
		}),
		modelFailures: prometheus.NewCounter(prometheus.CounterOpts{
			Namespace: ns, Name: "model_failures_total",
			Help: "Calls to the chat model that failed: error, timeout, refusal or empty answer.",
		}),
		verifyFailures: prometheus.NewCounter(prometheus.CounterOpts{
			Namespace: ns, Name: "verification_failures_total",
			Help: "Written answers that failed the check of their quotes and citations.",
		}),
		rateLimited: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: ns, Name: "rate_limited_total",
			Help: "Questions refused because their asker was over the per-user rate limit, by source.",
		}, []string{"source"}),
		discord429: prometheus.NewCounter(prometheus.CounterOpts{
			Namespace: ns, Name: "discord_rate_limited_total",
			Help: "Discord REST calls answered with 429 Too Many Requests (retried after retry_after).",
		}),
		reindexRuns: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: ns, Name: "reindex_runs_total",
			Help: "Index rebuilds (/reindex or SIGHUP), by result (ok, error).",
		}, []string{"result"}),
		reindexDuration: prometheus.NewHistogram(prometheus.HistogramOpts{
			Namespace: ns, Name: "reindex_duration_seconds",
			Help:    "Time to rebuild and swap the index.",
			Buckets: []float64{.01, .05, .1, .25, .5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600},
		}),
		passages: prometheus.NewGauge(prometheus.GaugeOpts{
			Namespace: ns, Name: "index_passages",
			Help: "Passages in the index answering now.",
		}),
		reconnects: prometheus.NewCounter(prometheus.CounterOpts{
			Namespace: ns, Name: "gateway_reconnects_total",
			Help: "Discord gateway connections after the first (resumed or identified anew).",
		}),
		commands: prometheus.NewGauge(prometheus.GaugeOpts{
			Namespace: ns, Name: "slash_commands_registered",
			Help: "1 when the slash commands are registered, 0 while only mentions and DMs are answered (registration refused; retried).",
		}),
		insightsDropped: prometheus.NewCounter(prometheus.CounterOpts{
			Namespace: ns, Name: "insights_dropped_total",
			Help: "Insights records (questions, votes) not stored: the recording queue was full, or the store failed.",
		}),
		feedback: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: ns, Name: "feedback_total",
			Help: "Ratings of answers, by vote (up, down); a changed vote counts again.",
		}, []string{"vote"}),
	}
	m.reg.MustRegister(
		m.questions, m.answerLatency, m.searchLatency, m.modelCalls, m.modelFailures,
		m.verifyFailures, m.rateLimited, m.discord429, m.reindexRuns, m.reindexDuration,
		m.passages, m.reconnects, m.commands, m.insightsDropped, m.feedback,
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
	)
	for _, s := range sources {
		for _, o := range outcomes {
			m.questions.WithLabelValues(s, o)
		}
		m.rateLimited.WithLabelValues(s)
	}
	m.feedback.WithLabelValues("up")
	m.feedback.WithLabelValues("down")
	m.reindexRuns.WithLabelValues("ok")
	m.reindexRuns.WithLabelValues("error")
	return m
}

// Registry returns the registry the series live in, to gather them.
func (m *Metrics) Registry() *prometheus.Registry { return m.reg }

// Asked counts a question by source and outcome, and observes how long
// answering took when it was answered at all (took > 0).
func (m *Metrics) Asked(source, outcome string, took time.Duration) {
	m.questions.WithLabelValues(source, outcome).Inc()
	if took > 0 {
		m.answerLatency.Observe(took.Seconds())
	}
}

// RateLimited counts a question refused by the per-user rate limit.
func (m *Metrics) RateLimited(source string) { m.rateLimited.WithLabelValues(source).Inc() }

// DiscordRateLimited counts a 429 from Discord.
func (m *Metrics) DiscordRateLimited() { m.discord429.Inc() }

// Reconnected counts a gateway reconnection.
func (m *Metrics) Reconnected() { m.reconnects.Inc() }

// CommandsRegistered records whether the slash commands are registered.
func (m *Metrics) CommandsRegistered(ok bool) {
	if ok {
		m.commands.Set(1)
	} else {
		m.commands.Set(0)
	}
}

// Searched observes one search's duration.
func (m *Metrics) Searched(took time.Duration) { m.searchLatency.Observe(took.Seconds()) }

// ModelCalled counts a model call, and a failure when err is not nil.
func (m *Metrics) ModelCalled(err error) {
	m.modelCalls.Inc()
	if err != nil {
		m.modelFailures.Inc()
	}
}

// VerificationFailed counts a written answer that failed verification.
func (m *Metrics) VerificationFailed() { m.verifyFailures.Inc() }

// Reindexed counts an index rebuild and observes its duration; err is nil
// when the new index was swapped in.
func (m *Metrics) Reindexed(took time.Duration, err error) {
	result := "ok"
	if err != nil {
		result = "error"
	}
	m.reindexRuns.WithLabelValues(result).Inc()
	m.reindexDuration.Observe(took.Seconds())
}

// SetPassages records how many passages the index answering now holds.
func (m *Metrics) SetPassages(n int) { m.passages.Set(float64(n)) }

// InsightsDropped counts an insights record that was not stored.
func (m *Metrics) InsightsDropped() { m.insightsDropped.Inc() }

// Rated counts a rating of an answer: up or down.
func (m *Metrics) Rated(up bool) {
	vote := "down"
	if up {
		vote = "up"
	}
	m.feedback.WithLabelValues(vote).Inc()
}
