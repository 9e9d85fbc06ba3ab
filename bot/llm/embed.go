package llm

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strings"
	"sync/atomic"

	lru "github.com/hashicorp/golang-lru/v2"
	openai "github.com/sashabaranov/go-openai"

	"github.com/declbot/declbot/retrieval"
)

// EmbedderName is the name an index records for this embedder.
const EmbedderName = "openai"

// MaxBatch is the largest number of inputs sent in one embeddings request.
const MaxBatch = 256

// knownDims are the vector sizes of OpenAI's embedding models, so that Spec
// is right before any call.
var knownDims = map[string]int{
	"text-embedding-3-small": 1536,
	"text-embedding-3-large": 3072,
	"text-embedding-ada-002": 1536,
}

var _ retrieval.Embedder = (*Embedder)(nil)

// Embedder embeds texts with a model server. Vectors are L2-normalised.
// Every text's vector is kept in an LRU cache, so that a query asked again
// costs no request. It is safe for concurrent use.
type Embedder struct {
	cfg    Config
	client *openai.Client
	cache  *lru.Cache[string, []float32]
	// dims is known from the model or configuration, or else learned from
	// the first vectors returned.
	dims atomic.Int64
	// sendDims: the dimensions were configured for a model that can shorten
	// its vectors, so they are asked for.
	sendDims bool
}

// NewEmbedder returns an embedder for cfg (EmbeddingModel, EmbeddingBaseURL
// or BaseURL, APIKey, EmbeddingDims). It makes no request.
func NewEmbedder(cfg Config) (*Embedder, error) {
	return newEmbedder(cfg, nil)
}

func newEmbedder(cfg Config, sleep sleepFunc) (*Embedder, error) {
	cfg = cfg.withDefaults()
	c, err := newClient(cfg, cfg.EmbeddingBaseURL, sleep)
	if err != nil {
		return nil, err
	}
	cache, err := lru.New[string, []float32](cfg.CacheSize)
	if err != nil {
		return nil, err
	}
	e := &Embedder{cfg: cfg, client: c, cache: cache}
	known := knownDims[cfg.EmbeddingModel]
	e.dims.Store(int64(known))
	if cfg.EmbeddingDims > 0 {
		e.sendDims = known != 0 && cfg.EmbeddingDims != known &&
			strings.HasPrefix(cfg.EmbeddingModel, "text-embedding-3")
		e.dims.Store(int64(cfg.EmbeddingDims))
	}
	return e, nil
}

// Spec returns the embedder's name ("openai"), model and dimensions. For a
// model this package does not know, with EmbeddingDims not set, Dims is 0
// until the first vectors come back.
func (e *Embedder) Spec() retrieval.EmbedderSpec {
	return retrieval.EmbedderSpec{Name: EmbedderName, Model: e.cfg.EmbeddingModel, Dims: int(e.dims.Load())}
}

// Embed returns one L2-normalised vector per text, in order. Texts are sent
// in batches of at most MaxBatch, cached ones not at all. It fails on an
// empty text, on a server error (after retries), on a timeout, or when the
// server returns vectors of the wrong number or size.
func (e *Embedder) Embed(ctx context.Context, texts []string) ([][]float32, error) {
	out := make([][]float32, len(texts))
	var missing []string        // distinct texts not cached
	where := map[string][]int{} // text -> positions in texts
	for i, t := range texts {
		if strings.TrimSpace(t) == "" {
			return nil, fmt.Errorf("embed: text %d is empty", i)
		}
		if v, ok := e.cache.Get(e.key(t)); ok {
			out[i] = v
			continue
		}
		if _, seen := where[t]; !seen {
			missing = append(missing, t)
		}
		where[t] = append(where[t], i)
	}
	for start := 0; start < len(missing); start += MaxBatch {
		batch := missing[start:min(start+MaxBatch, len(missing))]
		vecs, err := e.embedBatch(ctx, batch)
		if err != nil {
			return nil, err
		}
		for j, t := range batch {
			e.cache.Add(e.key(t), vecs[j])
			for _, i := range where[t] {
				out[i] = vecs[j]
			}
		}
	}
	return out, nil
}

func (e *Embedder) key(text string) string { return e.cfg.EmbeddingModel + "\x00" + text }

func (e *Embedder) embedBatch(ctx context.Context, batch []string) ([][]float32, error) {
	ctx, cancel := context.WithTimeout(ctx, e.cfg.Timeout)
	defer cancel()
	req := openai.EmbeddingRequestStrings{Input: batch, Model: openai.EmbeddingModel(e.cfg.EmbeddingModel)}
	if e.sendDims {
		req.Dimensions = int(e.dims.Load())
	}
	resp, err := e.client.CreateEmbeddings(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("embed %d texts with %s: %w", len(batch), e.cfg.EmbeddingModel, timeoutErr(ctx, err))
	}
	if len(resp.Data) != len(batch) {
		return nil, fmt.Errorf("embed with %s: %d vectors for %d texts", e.cfg.EmbeddingModel, len(resp.Data), len(batch))
	}
	vecs := make([][]float32, len(batch))
	for _, d := range resp.Data {
		if d.Index < 0 || d.Index >= len(batch) || vecs[d.Index] != nil {
			return nil, fmt.Errorf("embed with %s: bad or repeated index %d", e.cfg.EmbeddingModel, d.Index)
		}
		e.dims.CompareAndSwap(0, int64(len(d.Embedding)))
		if want := int(e.dims.Load()); len(d.Embedding) != want {
			return nil, fmt.Errorf("embed with %s: got %d dimensions, want %d (set the embedding dimensions to match the model)",
				e.cfg.EmbeddingModel, len(d.Embedding), want)
		}
		v, err := normalize(d.Embedding)
		if err != nil {
			return nil, fmt.Errorf("embed with %s: text %d: %w", e.cfg.EmbeddingModel, d.Index, err)
		}
		vecs[d.Index] = v
	}
	return vecs, nil
}

// normalize returns v scaled to unit length, computing in float64.
func normalize(v []float32) ([]float32, error) {
	if len(v) == 0 {
		return nil, errors.New("empty vector")
	}
	var sum float64
	for _, x := range v {
		sum += float64(x) * float64(x)
	}
	if sum == 0 || math.IsNaN(sum) || math.IsInf(sum, 0) {
		return nil, errors.New("vector has no direction")
	}
	n := math.Sqrt(sum)
	out := make([]float32, len(v))
	for i, x := range v {
		out[i] = float32(float64(x) / n)
	}
	return out, nil
}
