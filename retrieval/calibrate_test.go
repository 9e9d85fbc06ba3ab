package retrieval

import (
	"context"
	"math"
	"path/filepath"
	"testing"

	"github.com/declbot/declbot/corpus"
)

func TestFitCalibration(t *testing.T) {
	// Each question's candidates: lexical relevance, vector similarity.
	lexicalMisses := [][]candidate{
		{{0.35, 0.9}, {0.1, 0.2}}, // in scope, lexically weak, near in vectors
		{{0.40, 0.8}},             // in scope, same
		{{0.80, 0.9}},             // in scope, found both ways
		{{0.50, 0.1}, {0.2, 0.1}}, // out of scope, shares words, far in vectors
		{{0.10, 0.2}},             // out of scope
	}
	scope := []bool{true, true, true, false, false}
	tests := []struct {
		name       string
		near       [][]candidate
		inScope    []bool
		wantWeight bool // whether vectors should count at all
		wantAfter  int
	}{
		{"vectors tell what words miss", lexicalMisses, scope, true, 0},
		{"vectors say nothing", [][]candidate{{{0.35, 0.5}}, {{0.8, 0.5}}, {{0.5, 0.5}}}, []bool{true, true, false}, false, 2},
		{"lexical alone is right", [][]candidate{{{0.9, 0.1}}, {{0.1, 0.9}}}, []bool{true, false}, false, 0},
		{"nothing embedded", [][]candidate{nil, nil}, []bool{true, false}, false, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var sims []float64
			for _, cs := range tt.near {
				for _, c := range cs {
					sims = append(sims, c.similarity)
				}
			}
			c := fitCalibration(tt.near, tt.inScope, sims)
			if (c.Weight > 0) != tt.wantWeight {
				t.Errorf("weight %.2f, want weight > 0: %v", c.Weight, tt.wantWeight)
			}
			if c.ErrorsAfter != tt.wantAfter || c.ErrorsAfter > c.ErrorsBefore {
				t.Errorf("errors %d -> %d, want %d after", c.ErrorsBefore, c.ErrorsAfter, tt.wantAfter)
			}
			if c.Questions != len(tt.near) || !c.valid() {
				t.Errorf("calibration %+v: wrong count or out of range", c)
			}
		})
	}
}

func TestCalibrationValid(t *testing.T) {
	tests := []struct {
		c    Calibration
		want bool
	}{
		{Calibration{Centre: 0.3, Weight: 1}, true},
		{Calibration{}, true},
		{Calibration{Centre: 0.3, Weight: maxCalibrationWeight + 0.1}, false},
		{Calibration{Centre: 0.3, Weight: -1}, false},
		{Calibration{Centre: 2, Weight: 1}, false},
		{Calibration{Centre: math.NaN(), Weight: 1}, false},
		{Calibration{Centre: 0, Weight: math.Inf(1)}, false},
	}
	for _, tt := range tests {
		if got := tt.c.valid(); got != tt.want {
			t.Errorf("%+v valid = %v, want %v", tt.c, got, tt.want)
		}
	}
}

// topicEmbedder is a model that knows each text's subject: a passage's
// vector is its chapter's axis, a calibration question's the axis of the
// chapter that answers it, and anything else an axis no passage is on.
type topicEmbedder struct{ chapter map[string]int }

const topicDims = 16

func (e topicEmbedder) Spec() EmbedderSpec {
	return EmbedderSpec{Name: "topics", Model: "oracle", Dims: topicDims}
}

func (e topicEmbedder) Embed(_ context.Context, texts []string) ([][]float32, error) {
	out := make([][]float32, len(texts))
	for i, t := range texts {
		v := make([]float32, topicDims)
		c, ok := e.chapter[t]
		if !ok || c <= 0 || c >= topicDims-1 {
			c = topicDims - 1
		}
		v[c] = 1
		out[i] = v
	}
	return out, nil
}

func newTopicEmbedder(t *testing.T, docs []*corpus.Document) topicEmbedder {
	t.Helper()
	e := topicEmbedder{chapter: map[string]int{}}
	for _, d := range docs {
		for _, p := range d.Passages() {
			e.chapter[EmbedText(p)] = p.Chapter
		}
	}
	names, err := filepath.Glob("testdata/*_tune.yaml")
	if err != nil || len(names) == 0 {
		t.Fatalf("no tuning sets: %v", err)
	}
	for _, name := range names {
		for _, q := range loadQuestions(t, name) {
			if len(q.Chapters) > 0 {
				e.chapter[CleanMessage(q.Q)] = q.Chapters[0]
			}
		}
	}
	return e
}

// TestCalibrationFollowsEmbedder builds the bundled index with a model
// that knows subjects: calibration must give its similarity weight, fewer
// wrong outcomes on the calibration questions, and survive the index file.
// The built-in embedder is not calibrated.
func TestCalibrationFollowsEmbedder(t *testing.T) {
	ctx := context.Background()
	docs, err := corpus.Bundled()
	if err != nil {
		t.Fatal(err)
	}
	if c := bundledIndex(t).Info().Calibration; c != nil {
		t.Errorf("built-in embedder calibrated: %+v", c)
	}
	emb := newTopicEmbedder(t, docs)
	ix, err := Build(ctx, docs, emb)
	if err != nil {
		t.Fatal(err)
	}
	c := ix.Info().Calibration
	if c == nil || c.Weight <= 0 || c.ErrorsAfter >= c.ErrorsBefore || c.Questions < 100 {
		t.Fatalf("calibration %+v: want a weight and fewer errors on at least 100 questions", c)
	}
	t.Logf("calibration on %d questions: weight %.2f centre %.2f, errors %d -> %d", c.Questions, c.Weight, c.Centre, c.ErrorsBefore, c.ErrorsAfter)

	path := filepath.Join(t.TempDir(), "index.bin")
	if err := WriteFile(path, ix); err != nil {
		t.Fatal(err)
	}
	loaded, _, err := LoadFile(ctx, path, emb)
	if err != nil {
		t.Fatal(err)
	}
	if got := loaded.Info().Calibration; got == nil || *got != *c {
		t.Errorf("calibration after the file: %+v, want %+v", got, c)
	}
}
