package retrieval

import (
	"context"
	"slices"
	"testing"

	"github.com/declbot/declbot/corpus"
)

// countingEmbedder counts the texts it embeds.
type countingEmbedder struct {
	*HashEmbedder
	texts int
}

func (c *countingEmbedder) Embed(ctx context.Context, texts []string) ([][]float32, error) {
	c.texts += len(texts)
	return c.HashEmbedder.Embed(ctx, texts)
}

// cloneDocs deep-copies docs so a test can edit them.
func cloneDocs(docs []*corpus.Document) []*corpus.Document {
	var out []*corpus.Document
	for _, d := range docs {
		c := *d
		c.Chapters = nil
		for _, ch := range d.Chapters {
			ch.Passages = slices.Clone(ch.Passages)
			c.Chapters = append(c.Chapters, ch)
		}
		out = append(out, &c)
	}
	return out
}

func TestRebuildCounts(t *testing.T) {
	ctx := context.Background()
	base, err := corpus.Bundled()
	if err != nil {
		t.Fatal(err)
	}
	total := 0
	for _, d := range base {
		total += len(d.Passages())
	}
	prev, err := Build(ctx, base, NewHashEmbedder(0))
	if err != nil {
		t.Fatal(err)
	}

	edit := cloneDocs(base)
	edit[0].Chapters[3].Passages[1].Text += " Edited."

	add := cloneDocs(base)
	ch := &add[1].Chapters[0]
	ch.Passages = append(ch.Passages, corpus.Passage{Doc: ch.Passages[0].Doc, ID: "1.99", Chapter: ch.Number,
		ChapterTitle: ch.Title, Lang: ch.Passages[0].Lang, Text: "Un paragraphe ajouté sur la coopération."})

	del := cloneDocs(base)
	del[0].Chapters[2].Passages = del[0].Chapters[2].Passages[1:]

	// The same text under a new id: counted as added and removed, but
	// its vector is reused.
	move := cloneDocs(base)
	move[0].Chapters[0].Passages[0].ID = "1.98"

	tests := []struct {
		name string
		docs []*corpus.Document
		want Changes
	}{
		{"nothing changed", base, Changes{Unchanged: total}},
		{"edit a paragraph", edit, Changes{Changed: 1, Unchanged: total - 1, Embedded: 1}},
		{"add a paragraph", add, Changes{Added: 1, Unchanged: total, Embedded: 1}},
		{"delete a paragraph", del, Changes{Removed: 1, Unchanged: total - 1}},
		{"renumber a paragraph", move, Changes{Added: 1, Removed: 1, Unchanged: total - 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			emb := &countingEmbedder{HashEmbedder: NewHashEmbedder(0)}
			ix, got, err := Rebuild(ctx, tt.docs, emb, prev, nil)
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("changes = %+v, want %+v", got, tt.want)
			}
			if emb.texts != tt.want.Embedded {
				t.Errorf("embedder saw %d texts, want %d", emb.texts, tt.want.Embedded)
			}
			// Reused vectors give the same index as a full build.
			full, err := Build(ctx, tt.docs, NewHashEmbedder(0))
			if err != nil {
				t.Fatal(err)
			}
			if full.Info().CorpusHash != ix.Info().CorpusHash {
				t.Errorf("corpus hash differs from a full build")
			}
			for i, v := range full.Vectors() {
				for j := range v {
					if d := v[j] - ix.Vectors()[i][j]; d > 1e-6 || d < -1e-6 {
						t.Fatalf("passage %d: reused vector differs from a fresh one", i)
					}
				}
			}
		})
	}
}

func TestRebuildOtherEmbedderReusesNothing(t *testing.T) {
	ctx := context.Background()
	docs := synthDocs(30, 1)
	prev, err := Build(ctx, docs, NewHashEmbedder(64))
	if err != nil {
		t.Fatal(err)
	}
	_, ch, err := Rebuild(ctx, docs, NewHashEmbedder(0), prev, nil)
	if err != nil {
		t.Fatal(err)
	}
	if ch.Embedded != 30 || ch.Unchanged != 30 {
		t.Errorf("changes = %+v, want all 30 embedded again", ch)
	}
}

func TestRebuildProgress(t *testing.T) {
	var calls [][2]int
	_, _, err := Rebuild(context.Background(), synthDocs(300, 1), NewHashEmbedder(0), nil,
		func(done, total int) { calls = append(calls, [2]int{done, total}) })
	if err != nil {
		t.Fatal(err)
	}
	want := [][2]int{{0, 300}, {128, 300}, {256, 300}, {300, 300}}
	if !slices.Equal(calls, want) {
		t.Errorf("progress calls %v, want %v", calls, want)
	}
}
