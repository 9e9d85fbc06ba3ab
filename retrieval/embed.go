package retrieval

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"math"
)

// EmbedderSpec names an embedder well enough to tell whether stored vectors
// can be reused: the same name, model and dimensions give the same vectors.
type EmbedderSpec struct {
	Name  string `json:"name"`
	Model string `json:"model"`
	Dims  int    `json:"dims"`
}

func (s EmbedderSpec) String() string {
	if s.Model == "" {
		return fmt.Sprintf("%s (%d dims)", s.Name, s.Dims)
	}
	return fmt.Sprintf("%s %s (%d dims)", s.Name, s.Model, s.Dims)
}

// Embedder turns texts into vectors. Implementations return one vector per
// text, each of Spec().Dims values and of unit length, since the vector
// store takes the dot product as cosine similarity. Embed may be called
// concurrently.
type Embedder interface {
	Spec() EmbedderSpec
	Embed(ctx context.Context, texts []string) ([][]float32, error)
}

// HashEmbedder is the built-in offline embedder: no network, no model file,
// the same vector for the same text on every machine. A text is analysed
// as the lexical index analyses it (folded, elided, stopwords dropped,
// stemmed in its detected language); each stem, and each character 4-gram
// of each word, is hashed with a random sign into one of Dims buckets
// (feature hashing), weighted by its sublinear term frequency, and the
// vector is L2-normalised.
//
// Term rarity (IDF) is deliberately left to the BM25 side of the ranking:
// a vector that depended on corpus statistics would change whenever any
// passage changed, and incremental reindexing could not keep it.
type HashEmbedder struct {
	dims int
}

// DefaultDims is the built-in embedder's dimension count. chromem-go
// compares a query with every stored vector, so the cost of a query grows
// with dimensions times passages: at 128, one query over 100,000 passages
// stays under 60 ms on two cores (256 took 45 ms for the vector side
// alone). The lexical side carries most of the ranking, and on the
// project's evaluation sets 128 dimensions rank as well as 256 once the
// character n-grams are weighted down (see gramWeight).
const DefaultDims = 128

// NewHashEmbedder returns the built-in embedder with dims dimensions
// (DefaultDims when dims <= 0).
func NewHashEmbedder(dims int) *HashEmbedder {
	if dims <= 0 {
		dims = DefaultDims
	}
	return &HashEmbedder{dims: dims}
}

// hashEmbedderName is the built-in embedder's name in its spec, and
// hashEmbedderModel its model: a new model whenever the vectors of a text
// change (its tokens, stems, stopwords or framing words), so that an index
// file built before is re-embedded rather than taken as up to date. v2:
// the Overview and Document words frame ("covers", "main", "points").
const (
	hashEmbedderName  = "hash"
	hashEmbedderModel = "fnv-stem-4gram-v2"
)

// Spec reports the embedder as "hash", model hashEmbedderModel.
func (h *HashEmbedder) Spec() EmbedderSpec {
	return EmbedderSpec{Name: hashEmbedderName, Model: hashEmbedderModel, Dims: h.dims}
}

// Embed returns one unit vector per text. A text with no content words
// (only stopwords or punctuation) gets the zero vector, which is similar to
// nothing.
func (h *HashEmbedder) Embed(ctx context.Context, texts []string) ([][]float32, error) {
	out := make([][]float32, len(texts))
	for i, t := range texts {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("hash embedder: %w", err)
		}
		out[i] = h.vector(t, DetectLang(t))
	}
	return out, nil
}

// gramWeight is the share of a word's weight given to its character
// n-grams as a group: enough to match a misspelt word or a variant form,
// not enough to outweigh an exact stem, nor to fill 128 buckets with
// colliding n-grams.
const gramWeight = 0.3

func (h *HashEmbedder) vector(text, lang string) []float32 {
	counts := map[string]float64{}
	t := defaultLangs()
	for _, w := range t.Tokens(fold(text)) {
		if t.IsStop(w, lang) || t.IsFraming(w) {
			continue
		}
		counts["s:"+t.Stem(w, lang)]++
		grams := charGrams(w, 4)
		for _, g := range grams {
			counts["g:"+g] += gramWeight / float64(len(grams))
		}
	}
	v := make([]float32, h.dims)
	for f, c := range counts {
		hf := fnv.New64a()
		hf.Write([]byte(f))
		x := hf.Sum64()
		w := 1 + math.Log(c)
		if c < 1 {
			w = c
		}
		if x>>63 == 1 {
			w = -w
		}
		v[int(x%uint64(h.dims))] += float32(w)
	}
	normalize(v)
	return v
}

// charGrams returns the n-grams of w framed by ^ and $, or w itself framed
// when it is shorter than n.
func charGrams(w string, n int) []string {
	rs := []rune("^" + w + "$")
	if len(rs) <= n {
		return []string{string(rs)}
	}
	out := make([]string, 0, len(rs)-n+1)
	for i := 0; i+n <= len(rs); i++ {
		out = append(out, string(rs[i:i+n]))
	}
	return out
}

// normalize scales v to unit length in place; the zero vector stays zero.
func normalize(v []float32) {
	var s float64
	for _, x := range v {
		s += float64(x) * float64(x)
	}
	if s == 0 {
		return
	}
	inv := float32(1 / math.Sqrt(s))
	for i := range v {
		v[i] *= inv
	}
}

// errDims is returned when an embedder breaks its own Spec.
var errDims = errors.New("embedder returned a vector of the wrong size")
