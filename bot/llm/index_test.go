package llm_test

import (
	"context"
	"slices"
	"testing"

	"github.com/declbot/declbot/bot/llm"
	"github.com/declbot/declbot/bot/llm/openaitest"
	"github.com/declbot/declbot/corpus"
	"github.com/declbot/declbot/retrieval"
)

// TestIndexWithModelEmbeddings builds the bundled corpus's index with model
// embeddings, then does what a restart does with an index file: a new
// embedder (Spec known without any request) and the stored vectors
// assembled again. The restart must cost no embeddings request; a query
// costs one, and asking it again none.
func TestIndexWithModelEmbeddings(t *testing.T) {
	ctx := context.Background()
	srv := openaitest.New(t)
	cfg := llm.Config{BaseURL: srv.URL(), EmbeddingModel: "test-embed", EmbeddingDims: 16}
	docs, err := corpus.Bundled()
	if err != nil {
		t.Fatal(err)
	}
	var texts []string
	for _, d := range docs {
		for _, p := range d.Passages() {
			texts = append(texts, retrieval.EmbedText(p))
		}
	}

	first, err := llm.NewEmbedder(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ix, err := retrieval.Build(ctx, docs, first)
	if err != nil {
		t.Fatal(err)
	}
	wantSpec := retrieval.EmbedderSpec{Name: "openai", Model: "test-embed", Dims: 16}
	if got := ix.Info().Embedder; got != wantSpec {
		t.Errorf("index records %+v, want %+v", got, wantSpec)
	}
	built := srv.Count(openaitest.EmbeddingsPath)
	// Building embeds the passages, then the calibration questions.
	passageReqs := 0
	for _, r := range srv.EmbeddingRequests() {
		if slices.Contains(texts, r.Input[0]) {
			passageReqs++
		}
	}
	if want := (len(texts) + llm.MaxBatch - 1) / llm.MaxBatch; passageReqs != want {
		t.Errorf("build made %d embeddings requests for %d passages, want %d", passageReqs, len(texts), want)
	}
	// What an index file stores: the vectors, here taken from the cache.
	stored, err := first.Embed(ctx, texts)
	if err != nil {
		t.Fatal(err)
	}
	if srv.Count(openaitest.EmbeddingsPath) != built {
		t.Fatal("embedding known texts made a request")
	}

	// Restart.
	second, err := llm.NewEmbedder(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if second.Spec() != ix.Info().Embedder {
		t.Fatalf("Spec after restart %+v differs from the index's %+v: the index would be rebuilt", second.Spec(), ix.Info().Embedder)
	}
	ix2, err := retrieval.Assemble(ctx, docs, second, stored)
	if err != nil {
		t.Fatal(err)
	}
	if n := srv.Count(openaitest.EmbeddingsPath) - built; n != 0 {
		t.Errorf("restart made %d embeddings requests, want 0", n)
	}
	for range 2 {
		if _, err := ix2.Search(ctx, "critical minerals supply chains", retrieval.SearchOptions{K: 3}); err != nil {
			t.Fatal(err)
		}
	}
	if n := srv.Count(openaitest.EmbeddingsPath) - built; n != 1 {
		t.Errorf("one query asked twice made %d requests, want 1", n)
	}
}
