package llm_test

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/declbot/declbot/bot/llm"
	"github.com/declbot/declbot/bot/llm/openaitest"
	"github.com/declbot/declbot/corpus"
	"github.com/declbot/declbot/retrieval"
)

// subjects is what the fake model knows: the chapter each text is about,
// for passages and the calibration questions; any other text is about
// nothing in the corpus (the last axis).
type subjects map[string]int

func (s subjects) vector(text string, dims int) []float32 {
	v := make([]float32, dims)
	c, ok := s[text]
	if !ok || c <= 0 || c >= dims-1 {
		c = dims - 1
	}
	v[c] = 1
	return v
}

func knownSubjects(t *testing.T, docs []*corpus.Document) subjects {
	t.Helper()
	s := subjects{}
	for _, d := range docs {
		for _, p := range d.Passages() {
			s[retrieval.EmbedText(p)] = p.Chapter
		}
	}
	names, err := filepath.Glob("../../retrieval/testdata/*_tune.yaml")
	if err != nil || len(names) == 0 {
		t.Fatalf("no tuning sets: %v", err)
	}
	for _, name := range names {
		data, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		qs, err := retrieval.ParseEvalQuestions(data)
		if err != nil {
			t.Fatal(err)
		}
		for _, q := range qs {
			if len(q.Chapters) > 0 {
				s[retrieval.CleanMessage(q.Q)] = q.Chapters[0]
			}
		}
	}
	return s
}

// TestModelSimilarityCalibrated builds the bundled index with a model
// (the fake server, through go-openai) whose embeddings know what each
// text is about. Building calibrates its similarity; then a question in
// words the corpus never uses, which the model places on chapter 4, is
// answered from chapter 4, while the built-in embedder abstains on it, and
// a question the model places on no chapter is not answered.
func TestModelSimilarityCalibrated(t *testing.T) {
	ctx := context.Background()
	docs, err := corpus.Bundled()
	if err != nil {
		t.Fatal(err)
	}
	known := knownSubjects(t, docs)
	const paraphrase = "zorblax frimbles for the gadgets, any word on that?"
	known[paraphrase] = 4
	srv := openaitest.New(t)
	srv.SetVectors(known.vector)
	emb, err := llm.NewEmbedder(llm.Config{BaseURL: srv.URL(), EmbeddingModel: "test-embed", EmbeddingDims: 16})
	if err != nil {
		t.Fatal(err)
	}
	ix, err := retrieval.Build(ctx, docs, emb)
	if err != nil {
		t.Fatal(err)
	}
	c := ix.Info().Calibration
	if c == nil || c.Weight <= 0 || c.ErrorsAfter >= c.ErrorsBefore {
		t.Fatalf("calibration %+v: want a weight and fewer errors", c)
	}
	builtIn, err := retrieval.Build(ctx, docs, retrieval.NewHashEmbedder(0))
	if err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name    string
		ix      *retrieval.Index
		q       string
		answers int // chapter of the first passage; 0: not answered
	}{
		{"model knows the subject", ix, paraphrase, 4},
		{"built-in embedder cannot", builtIn, paraphrase, 0},
		{"model knows it is off-topic", ix, "any tips for the weather in tokyo next week?", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := tt.ix.Search(ctx, tt.q, retrieval.SearchOptions{Lang: "en"})
			if err != nil {
				t.Fatal(err)
			}
			got := 0
			if res.Outcome == retrieval.Answered {
				got = res.Hits[0].Passage.Chapter
			}
			if got != tt.answers {
				t.Errorf("answered from chapter %d (outcome %s, confidence %.2f), want %d", got, res.Outcome, res.Confidence, tt.answers)
			}
		})
	}
}

// TestCalibrationFailureFailsBuild: a model server that fails while the
// calibration questions are embedded fails the build, with the cause, so
// that a reindex keeps the index it had rather than serve one half made.
func TestCalibrationFailureFailsBuild(t *testing.T) {
	docs, err := corpus.Bundled()
	if err != nil {
		t.Fatal(err)
	}
	srv := openaitest.New(t)
	emb, err := llm.NewEmbedder(llm.Config{BaseURL: srv.URL(), EmbeddingModel: "test-embed", EmbeddingDims: 16, MaxRetries: -1})
	if err != nil {
		t.Fatal(err)
	}
	// The passages fit one request; the calibration questions come next.
	srv.ScriptEmbeddings(openaitest.Reply{}, openaitest.Reply{Status: http.StatusBadRequest, Content: "input too long"})
	_, err = retrieval.Build(context.Background(), docs, emb)
	if err == nil || !strings.Contains(err.Error(), "calibrate") {
		t.Fatalf("Build = %v, want a calibration error", err)
	}
}
