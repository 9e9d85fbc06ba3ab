package bot_test

import (
	"context"
	"strings"
	"testing"

	"github.com/declbot/declbot/bot"
	"github.com/declbot/declbot/bot/llm"
	"github.com/declbot/declbot/bot/llm/openaitest"
)

// assistModel answers the search-query and judgement requests of a
// question the search did not answer with query and verdict, and writes
// answers as goodAnswer does.
func assistModel(query, verdict string) func(openaitest.ChatRequest) openaitest.Reply {
	return func(req openaitest.ChatRequest) openaitest.Reply {
		system := req.Messages[0].Content
		switch {
		case strings.Contains(system, "short search query"):
			return openaitest.Reply{Content: query}
		case strings.Contains(system, "You judge whether passages"):
			return openaitest.Reply{Content: verdict}
		}
		return goodAnswer(req)
	}
}

// TestModelAssistsSearch: with a model, a question the search alone does
// not answer is searched again with the model's query, and what the model,
// shown the passages, says answers it becomes the answer; the model can
// name only passages it was shown, and a model that fails or finds
// nothing leaves the search's own outcome.
func TestModelAssistsSearch(t *testing.T) {
	const question = "my kid asks what stuff they dig out of the ground for phone batteries, anything on that"
	alone, err := bot.New(bundledIndex(t), bot.Options{}).Answer(context.Background(), bot.Question{Text: question})
	if err != nil || alone.Outcome == bot.OutcomeAnswered {
		t.Fatalf("without a model: outcome %q, err %v; the test needs a question the search does not answer", alone.Outcome, err)
	}
	for _, tc := range []struct {
		name    string
		query   string
		verdict string
		chat    []openaitest.Reply // scripted instead, when set
		want    string             // outcome
		first   string             // first passage when answered
	}{
		{name: "rescued", query: "critical minerals supply chains", verdict: "[4.2]", want: bot.OutcomeAnswered, first: "4.2"},
		{name: "judge names several, best first", query: "critical minerals", verdict: "[4.2] [3.3]", want: bot.OutcomeAnswered, first: "4.2"},
		{name: "judge finds none", query: "critical minerals", verdict: "NONE", want: alone.Outcome},
		{name: "judge names passages it was not shown", query: "critical minerals", verdict: "[9.9] [4.2.1] [digest/4.2]", want: alone.Outcome},
		{name: "judge writes prose", query: "critical minerals", verdict: "The passage about minerals answers it.", want: alone.Outcome},
		{name: "model down", chat: []openaitest.Reply{{Status: 500}, {Status: 500}, {Status: 500}, {Status: 500}}, want: alone.Outcome},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b, srv := newModelBot(t, llm.Config{MaxRetries: 1})
			if tc.chat != nil {
				srv.ScriptChat(tc.chat...)
			} else {
				srv.OnChat(assistModel(tc.query, tc.verdict))
			}
			r, err := b.Answer(context.Background(), bot.Question{Text: question})
			if err != nil {
				t.Fatal(err)
			}
			if r.Outcome != tc.want {
				t.Fatalf("outcome %q, want %q (passages %v)", r.Outcome, tc.want, ids(r.Passages))
			}
			if tc.first != "" && (len(r.Passages) == 0 || r.Passages[0].ID != tc.first) {
				t.Errorf("passages %v, want %s first", ids(r.Passages), tc.first)
			}
			for _, q := range r.Passages {
				p, ok := bundledIndex(t).Aligned(q.AlignKey(), q.Lang)
				if !ok || p.Text != q.Text {
					t.Errorf("passage %s is not the corpus text", q.ID)
				}
			}
		})
	}
}

// TestModelNotAskedWhenAnswered: a question the search answers costs no
// extra model call before the written answer.
func TestModelNotAskedWhenAnswered(t *testing.T) {
	b, srv := newModelBot(t, llm.Config{})
	srv.OnChat(assistModel("x", "NONE"))
	if _, err := b.Answer(context.Background(), bot.Question{Text: "What does the declaration say about critical minerals?"}); err != nil {
		t.Fatal(err)
	}
	for _, req := range srv.ChatRequests() {
		if s := req.Messages[0].Content; strings.Contains(s, "short search query") || strings.Contains(s, "You judge whether") {
			t.Errorf("the model was asked to assist a question already answered")
		}
	}
}
