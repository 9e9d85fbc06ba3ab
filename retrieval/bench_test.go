package retrieval

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"

	"github.com/declbot/declbot/corpus"
)

// BenchmarkSearch answers one question on the bundled corpus: analyse,
// embed, vector query, BM25, fusion, relevance.
func BenchmarkSearch(b *testing.B) {
	ix := bundledIndex(b)
	ctx := context.Background()
	qs := []string{
		"What does the declaration say about critical minerals?",
		"Que dit la déclaration sur les minéraux critiques ?",
		"What is the capital of Australia?",
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if _, err := ix.Search(ctx, qs[i%len(qs)], SearchOptions{}); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// BenchmarkSearchByLanguage is BenchmarkSearch for a question in each
// language of the bundled corpus, one about its subject and one not.
func BenchmarkSearchByLanguage(b *testing.B) {
	ix := bundledIndex(b)
	ctx := context.Background()
	byLang := map[string][]string{
		"en": {"anything on rare metals for batteries?", "best ramen place near shibuya?"},
		"fr": {"ils disent quoi sur l'afghanistan ?", "c'est quoi la recette des crêpes ?"},
		"ru": {"что там про редкие металлы для батареек?", "какая завтра погода в москве?"},
		"ja": {"アフガニスタンについて何か書いてある？", "明日の東京の天気は？"},
	}
	for _, code := range []string{"en", "fr", "ru", "ja"} {
		qs := byLang[code]
		b.Run(code, func(b *testing.B) {
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				if _, err := ix.Search(ctx, qs[i%len(qs)], SearchOptions{Lang: code}); err != nil {
					b.Fatal(err)
				}
				i++
			}
		})
	}
}

// BenchmarkBuildBundled builds the index of the bundled corpus in memory,
// as `declbot ask` does at start when there is no index file.
func BenchmarkBuildBundled(b *testing.B) {
	docs, err := corpus.Bundled()
	if err != nil {
		b.Fatal(err)
	}
	emb := NewHashEmbedder(0)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Build(context.Background(), docs, emb); err != nil {
			b.Fatal(err)
		}
	}
}

// syntheticDocs makes n passages of 60 to 120 words drawn from the bundled
// corpus's own words, in ten-paragraph chapters, so that term statistics
// look like a large declaration's.
func syntheticDocs(tb testing.TB, n int) []*corpus.Document {
	tb.Helper()
	bundled, err := corpus.Bundled()
	if err != nil {
		tb.Fatal(err)
	}
	var words []string
	for _, p := range bundled[0].Passages() {
		words = append(words, strings.Fields(p.Text)...)
	}
	r := rand.New(rand.NewPCG(1, 2))
	d := &corpus.Document{Name: "synthetic", Title: "Synthetic", Lang: English, Kind: corpus.Other}
	made := 0
	for c := 1; made < n; c++ {
		ch := corpus.Chapter{Number: c, Title: fmt.Sprintf("Chapter %d", c)}
		for p := 1; p <= 10 && made < n; p++ {
			made++
			k := 60 + r.IntN(61)
			ws := make([]string, k)
			for i := range ws {
				ws[i] = words[r.IntN(len(words))]
			}
			ch.Passages = append(ch.Passages, corpus.Passage{
				Doc: d.Name, ID: fmt.Sprintf("%d.%d", c, p), Chapter: c, ChapterTitle: ch.Title,
				Lang: English, Text: strings.Join(ws, " "),
			})
		}
		d.Chapters = append(d.Chapters, ch)
	}
	return []*corpus.Document{d}
}

var (
	bigOnce  sync.Once
	bigIndex *Index
	bigErr   error
)

// BenchmarkSearch100k answers one question over 100,000 synthetic
// passages. The index is built once, outside the timing.
func BenchmarkSearch100k(b *testing.B) {
	bigOnce.Do(func() {
		bigIndex, bigErr = Build(context.Background(), syntheticDocs(b, 100_000), NewHashEmbedder(0))
		if bigErr == nil {
			// The first search computes what the index keeps for every
			// later one (sorted stems, summary scores): a cost once per
			// process, measured apart by BenchmarkSummaries100k.
			_, bigErr = bigIndex.Search(context.Background(), "warm up", SearchOptions{})
		}
	})
	if bigErr != nil {
		b.Fatal(bigErr)
	}
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := bigIndex.Search(ctx, "supply chains of critical minerals and economic security", SearchOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSummaries100k measures what the first search of a process
// adds on a corpus of 100,000 paragraphs: the summary scores of every
// group (see Index.summarise).
func BenchmarkSummaries100k(b *testing.B) {
	bigOnce.Do(func() {
		bigIndex, bigErr = Build(context.Background(), syntheticDocs(b, 100_000), NewHashEmbedder(0))
	})
	if bigErr != nil {
		b.Fatal(bigErr)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		bigIndex.summaries()
	}
}
