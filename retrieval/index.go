package retrieval

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"sync"
	"time"

	chromem "github.com/philippgille/chromem-go"

	"github.com/declbot/declbot/corpus"
	"github.com/declbot/declbot/corpus/lang"
)

// Index answers searches over a fixed set of documents. It is immutable
// once built and safe for concurrent use; a reindex builds a new Index and
// swaps it in.
type Index struct {
	docs     []*corpus.Document
	passages []corpus.Passage
	vectors  [][]float32
	byKey    map[string]int             // Passage.Key -> index
	aligned  map[string]versions        // AlignKey -> its passages by language
	groupOf  []int                      // passage index -> aligned group number
	groupKey []string                   // aligned group number -> AlignKey
	vocab    map[string]map[string]bool // lang -> stems its passages hold
	families map[string]string          // lang -> its family (see lang.Table.Family)
	coll     *chromem.Collection
	lex      *bm25
	lexicon  *lexicon
	langs    *lang.Table
	emb      Embedder
	info     Info
	scoring  scoring
	// calibration counts vector similarity in relevance, for a model
	// embedder (see Calibration); nil for the built-in one.
	calibration *Calibration
	sources     *Sources // what it was built from, when the builder said
	// overview holds the groups that best sum up the corpus (see
	// overviewGroups), and central how well each does (see centrality),
	// computed once.
	overviewOnce sync.Once
	overview     []string
	central      map[string]float64
	// terms keeps the analysed terms of the passages a phrase was looked
	// for in (see passageTerms); numbered, whether a passage shown for a
	// question that asks for a number states one (see holdsNumber).
	terms    passageMemo[[]string]
	numbered passageMemo[bool]
	// sorted holds each language's stems in order (see sortedVocab).
	sortedOnce sync.Once
	sorted     map[string][]string
}

// Info describes an index for `declbot about` and the index file.
type Info struct {
	Documents  int          `json:"documents"`
	Passages   int          `json:"passages"`
	Embedder   EmbedderSpec `json:"embedder"`
	BuiltAt    time.Time    `json:"built_at"`
	CorpusHash string       `json:"corpus_hash"`
	// Calibration is how vector similarity counts in relevance, when the
	// embedder is a model's (see Calibration).
	Calibration *Calibration `json:"calibration,omitempty"`
}

// ErrEmptyQuery is returned by Search for a query with no text.
var ErrEmptyQuery = errors.New("empty query")

// Build analyses and embeds every passage of docs and returns the index.
// It fails if docs hold no passage, if two passages share a key, or if the
// embedder fails or returns vectors of the wrong size.
func Build(ctx context.Context, docs []*corpus.Document, emb Embedder, opts ...Option) (*Index, error) {
	var passages []corpus.Passage
	for _, d := range docs {
		passages = append(passages, d.Passages()...)
	}
	texts := make([]string, len(passages))
	for i, p := range passages {
		texts[i] = EmbedText(p)
	}
	vecs, err := emb.Embed(ctx, texts)
	if err != nil {
		return nil, fmt.Errorf("embed %d passages: %w", len(texts), err)
	}
	ix, err := Assemble(ctx, docs, emb, vecs, opts...)
	if err != nil {
		return nil, err
	}
	if err := ix.calibrate(ctx); err != nil {
		return nil, fmt.Errorf("build index: %w", err)
	}
	return ix, nil
}

// versions are the passages of one aligned group, one a language, by
// index in the passages: a slice rather than a map, since a group holds
// one to a few languages and a large corpus has tens of thousands of
// groups (a map each took 300 bytes).
type versions []version

type version struct {
	lang string
	i    int
}

func (vs versions) get(lang string) (int, bool) {
	for _, v := range vs {
		if v.lang == lang {
			return v.i, true
		}
	}
	return 0, false
}

func (vs versions) set(lang string, i int) versions {
	for j := range vs {
		if vs[j].lang == lang {
			vs[j].i = i
			return vs
		}
	}
	return append(vs, version{lang, i})
}

// Option adjusts an index being built.
type Option func(*Index)

// WithLanguages analyses passages and questions by t instead of the
// default language table (lang.Default), for a corpus in a language that
// table lacks.
func WithLanguages(t *lang.Table) Option {
	return func(ix *Index) { ix.langs = t }
}

// EmbedText is the text embedded for a passage: its chapter title, then
// its text. Callers that cache embeddings key them on this text.
func EmbedText(p corpus.Passage) string {
	if p.ChapterTitle == "" {
		return p.Text
	}
	return p.ChapterTitle + "\n" + p.Text
}

// Assemble builds an index from documents whose passages are already
// embedded: vecs[i] belongs to the i-th passage in document order. It is
// how an index is loaded from disk or rebuilt incrementally without
// embedding unchanged passages again. Vectors are normalised here, whatever
// the embedder did. It does not calibrate (see Calibration): the caller
// that embeds (Build, Reindex) does, and a loaded file brings its own.
func Assemble(ctx context.Context, docs []*corpus.Document, emb Embedder, vecs [][]float32, opts ...Option) (*Index, error) {
	if emb == nil {
		return nil, errors.New("build index: no embedder")
	}
	ix := &Index{
		docs:    docs,
		byKey:   map[string]int{},
		aligned: map[string]versions{},
		vocab:   map[string]map[string]bool{},
		emb:     emb,
		scoring: defaultScoring,
		langs:   defaultLangs(),
	}
	for _, o := range opts {
		o(ix)
	}
	for _, d := range docs {
		ix.passages = append(ix.passages, d.Passages()...)
	}
	if len(ix.passages) == 0 {
		return nil, errors.New("build index: the corpus has no passages")
	}
	if len(vecs) != len(ix.passages) {
		return nil, fmt.Errorf("build index: %d vectors for %d passages", len(vecs), len(ix.passages))
	}
	dims := emb.Spec().Dims
	lexDocs := make([][]string, len(ix.passages))
	stems := stemCache{}
	for i, p := range ix.passages {
		k := p.Key()
		if _, dup := ix.byKey[k]; dup {
			return nil, fmt.Errorf("build index: passage %s appears twice", k)
		}
		ix.byKey[k] = i
		ak := p.AlignKey()
		vs, seen := ix.aligned[ak]
		if !seen {
			ix.groupKey = append(ix.groupKey, ak)
		}
		ix.aligned[ak] = vs.set(p.Lang, i)
		if len(vecs[i]) != dims {
			return nil, fmt.Errorf("build index: passage %s: %w (%d, want %d)", k, errDims, len(vecs[i]), dims)
		}
		v := append([]float32(nil), vecs[i]...)
		normalize(v)
		vecs[i] = v
		lexDocs[i] = stems.terms(ix.langs, EmbedText(p), p.Lang)
		if ix.vocab[p.Lang] == nil {
			ix.vocab[p.Lang] = map[string]bool{}
		}
		for _, t := range lexDocs[i] {
			ix.vocab[p.Lang][t] = true
		}
	}
	ix.vectors = vecs
	lexLangs := make([]string, len(ix.passages))
	for i, p := range ix.passages {
		lexLangs[i] = ix.langs.Family(p.Lang)
	}
	ix.lex = newBM25(lexDocs, lexLangs)
	groupNum := make(map[string]int, len(ix.groupKey))
	for g, k := range ix.groupKey {
		groupNum[k] = g
	}
	ix.groupOf = make([]int, len(ix.passages))
	for i, p := range ix.passages {
		ix.groupOf[i] = groupNum[p.AlignKey()]
	}
	// One entry a language, not a passage: a large corpus has tens of
	// thousands of passages in a handful of languages.
	ix.families = map[string]string{}
	for _, l := range ix.langs.Codes() {
		ix.families[l] = ix.langs.Family(l)
	}

	lx, err := parseLexicon(lexiconYAML, ix.langs)
	if err != nil {
		return nil, err
	}
	ix.lexicon = lx

	// The collection's embedding function is never used: queries are
	// embedded here and passed as vectors. It must still be set, since a
	// nil function makes chromem-go fall back to OpenAI.
	refuse := func(context.Context, string) ([]float32, error) {
		return nil, errors.New("chromem-go asked to embed: vectors are supplied by retrieval")
	}
	coll, err := chromem.NewDB().CreateCollection("passages", nil, refuse)
	if err != nil {
		return nil, fmt.Errorf("build index: create collection: %w", err)
	}
	cdocs := make([]chromem.Document, len(ix.passages))
	for i, p := range ix.passages {
		cdocs[i] = chromem.Document{ID: p.Key(), Embedding: vecs[i]}
	}
	if err := coll.AddDocuments(ctx, cdocs, 2); err != nil {
		return nil, fmt.Errorf("build index: add passages: %w", err)
	}
	ix.coll = coll
	ix.info = Info{
		Documents:  len(docs),
		Passages:   len(ix.passages),
		Embedder:   emb.Spec(),
		BuiltAt:    time.Now().UTC(),
		CorpusHash: CorpusHash(ix.passages),
	}
	return ix, nil
}

// CorpusHash is a digest of every passage's key and text, in order: two
// corpora with the same hash index to the same passages. A printed
// chapter label counts (a reindex that only learns "IV" rewrites the
// file); passages without one hash as they did before labels existed.
func CorpusHash(ps []corpus.Passage) string {
	h := sha256.New()
	for _, p := range ps {
		fmt.Fprintf(h, "%s\x00%s\x00%d\x00%s\x00%s\x01", p.Key(), p.ChapterTitle, p.Chapter, p.Text, p.Doc)
		if p.ChapterLabel != "" {
			fmt.Fprintf(h, "\x02%s\x01", p.ChapterLabel)
		}
	}
	return hex.EncodeToString(h.Sum(nil))
}

// Documents returns the indexed documents. Callers must not modify them.
func (ix *Index) Documents() []*corpus.Document { return ix.docs }

// Passages returns every indexed passage in document order, and Vectors
// their normalised embeddings; callers must not modify either.
func (ix *Index) Passages() []corpus.Passage { return ix.passages }

// Vectors returns the stored embedding of each passage, aligned with Passages.
func (ix *Index) Vectors() [][]float32 { return ix.vectors }

// Embedder returns the embedder the index was built with.
func (ix *Index) Embedder() Embedder { return ix.emb }

// Languages returns the language table the index analyses text by.
func (ix *Index) Languages() *lang.Table { return ix.langs }

// Info describes the index.
func (ix *Index) Info() Info { return ix.info }

// SetBuiltAt records when the index was built, for an index loaded from a
// file that knows better than the clock at load time.
func (ix *Index) SetBuiltAt(t time.Time) { ix.info.BuiltAt = t }

// Sources records what an index was built from, as its builder named it,
// so that a later check can read the same sources again.
type Sources struct {
	// Bundled says whether the bundled corpus was included.
	Bundled bool `json:"bundled"`
	// Paths are the files and folders read, absolute.
	Paths []string `json:"paths"`
}

// SetSources records what the index was built from; WriteFile stores it.
func (ix *Index) SetSources(s Sources) { ix.sources = &s }

// Sources returns what the index was built from, or nil when that is not
// known (an index file written before sources were recorded).
func (ix *Index) Sources() *Sources { return ix.sources }

// Aligned returns the version of the paragraph with alignKey (Doc/ID) in
// lang, if the document has one.
func (ix *Index) Aligned(alignKey, lang string) (corpus.Passage, bool) {
	i, ok := ix.aligned[alignKey].get(lang)
	if !ok {
		return corpus.Passage{}, false
	}
	return ix.passages[i], true
}

// SearchOptions tunes one search.
type SearchOptions struct {
	// Lang is the language of the question and of the passages returned:
	// "en", "fr", or "" (or "auto") to detect it from the question.
	Lang string
	// K is the most passages to return; 0 means DefaultK.
	K int
}

// DefaultK is how many passages a search returns unless asked otherwise.
const DefaultK = 3

// Outcome says how well a search answers its question.
type Outcome string

// Outcomes of a search.
const (
	// Answered: the passages found answer the question.
	Answered Outcome = "answered"
	// Related: nothing answers the question directly, but some passages
	// are near it; they are offered under a hedge, never as the answer.
	Related Outcome = "related"
	// NotAddressed: nothing in the corpus is relevant.
	NotAddressed Outcome = "not_addressed"
)

// Result is what a search found.
type Result struct {
	// Lang is the language the question was taken to be in.
	Lang string
	// Outcome says whether Hits answer the question, or Related only
	// come near it, or nothing is relevant.
	Outcome Outcome
	// Abstained is true unless the Outcome is Answered.
	Abstained bool
	// Hits are the passages that answer, best first; empty unless the
	// Outcome is Answered.
	Hits []Hit
	// Related are the passages nearest a question not answered, best
	// first; empty unless the Outcome is Related.
	Related []Hit
	// Confidence is the relevance of the best passage, from 0 to 1, the
	// figure abstention is decided on.
	Confidence float64
	// Overview says the question asked for the whole text ("tl;dr?"): Hits
	// are the passages that best sum it up, each of Score 1.
	Overview bool
}

// Hit is one passage found, in the question's language when the document
// has a version in it.
type Hit struct {
	Passage corpus.Passage
	// Score is the passage's relevance from 0 to 1: the share of the
	// question's meaningful words it holds, weighted by their rarity; a
	// word it holds only through a spelling correction or a lexicon term
	// counts for part of its weight.
	Score float64
}
