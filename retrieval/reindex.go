package retrieval

import (
	"context"
	"fmt"

	"github.com/declbot/declbot/corpus"
)

// Changes counts what a rebuild did, passage by passage (a passage is
// known by its key: document, language and id).
type Changes struct {
	// Added passages have a key the previous index lacked; Removed ones
	// are gone; Changed ones kept their key but not their text;
	// Unchanged ones kept both.
	Added     int `json:"added"`
	Changed   int `json:"changed"`
	Removed   int `json:"removed"`
	Unchanged int `json:"unchanged"`
	// Embedded is how many texts were sent to the embedder: new or
	// changed text not found anywhere in the previous index.
	Embedded int `json:"embedded"`
}

// Compare counts how a corpus of passages differs from an index whose
// passages had the hashes old (FileHeader.Hashes): Embedded is how many
// distinct texts a rebuild from that index would embed. It is what
// `declbot index --check` reports without loading the index.
func Compare(old []PassageHash, passages []corpus.Passage) Changes {
	var ch Changes
	oldHash := map[string]string{}
	known := map[string]bool{}
	for _, h := range old {
		oldHash[h.Key] = h.Hash
		known[h.Hash] = true
	}
	seen := map[string]bool{}
	for _, p := range passages {
		h, k := ContentHash(p), p.Key()
		seen[k] = true
		switch prev, ok := oldHash[k]; {
		case !ok:
			ch.Added++
		case prev != h:
			ch.Changed++
		default:
			ch.Unchanged++
		}
		if !known[h] {
			known[h] = true
			ch.Embedded++
		}
	}
	for k := range oldHash {
		if !seen[k] {
			ch.Removed++
		}
	}
	return ch
}

// Progress is told how many of the texts to embed are done.
type Progress func(done, total int)

// embedBatch is how many texts go to the embedder at once, and so how
// often progress is reported.
const embedBatch = 128

// Rebuild builds an index over docs, reusing the vectors of prev for every
// passage whose embedded text (ContentHash) is unchanged, so that only new
// or changed text is embedded. prev may be nil (everything is embedded);
// its vectors are reused only when it was built with the same embedder
// spec as emb. progress, when not nil, is called after each batch.
//
// prev is only read: a running bot can keep answering from it.
func Rebuild(ctx context.Context, docs []*corpus.Document, emb Embedder, prev *Index, progress Progress) (*Index, Changes, error) {
	var ch Changes
	if emb == nil {
		return nil, ch, fmt.Errorf("rebuild index: no embedder")
	}
	var passages []corpus.Passage
	for _, d := range docs {
		passages = append(passages, d.Passages()...)
	}

	known := map[string][]float32{} // content hash -> vector
	var old []PassageHash
	if prev != nil {
		reuse := sameEmbedder(prev.Info().Embedder, emb.Spec())
		if reuse {
			emb = withDims(emb, prev.Info().Embedder.Dims)
		}
		vecs := prev.Vectors()
		for i, p := range prev.Passages() {
			h := ContentHash(p)
			old = append(old, PassageHash{Key: p.Key(), Hash: h})
			if reuse {
				known[h] = vecs[i]
			}
		}
	}
	ch = Compare(old, passages)
	ch.Embedded = 0 // counted below: what is actually embedded

	hashes := make([]string, len(passages))
	vecs := make([][]float32, len(passages))
	var todo []int            // passages whose text must be embedded
	first := map[string]int{} // content hash -> first passage to embed it
	for i, p := range passages {
		h := ContentHash(p)
		hashes[i] = h
		if v, ok := known[h]; ok {
			vecs[i] = v
		} else if _, ok := first[h]; !ok {
			first[h] = i
			todo = append(todo, i)
		}
	}

	if progress != nil {
		progress(0, len(todo))
	}
	for start := 0; start < len(todo); start += embedBatch {
		batch := todo[start:min(start+embedBatch, len(todo))]
		texts := make([]string, len(batch))
		for j, i := range batch {
			texts[j] = EmbedText(passages[i])
		}
		out, err := emb.Embed(ctx, texts)
		if err != nil {
			return nil, ch, fmt.Errorf("embed passages: %w", err)
		}
		if len(out) != len(batch) {
			return nil, ch, fmt.Errorf("embed passages: %d vectors for %d texts", len(out), len(batch))
		}
		for j, i := range batch {
			vecs[i] = out[j]
		}
		ch.Embedded += len(batch)
		if progress != nil {
			progress(ch.Embedded, len(todo))
		}
	}
	for i := range vecs { // same text twice in the corpus: embedded once
		if vecs[i] == nil {
			vecs[i] = vecs[first[hashes[i]]]
		}
	}
	ix, err := Assemble(ctx, docs, emb, vecs)
	if err != nil {
		return nil, ch, err
	}
	if err := ix.calibrate(ctx); err != nil {
		return nil, ch, err
	}
	return ix, ch, nil
}
