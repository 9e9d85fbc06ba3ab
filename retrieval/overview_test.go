package retrieval

import (
	"context"
	"testing"
)

// TestOverview asks for the whole text in each language and in chat's
// shorthand: the reply is the bundled digest's paragraph that sets out
// the three priority areas and what each covers (¶2.2), then its closing
// summary (¶9.3), in the question's language. A question about one subject, or about someone, framed by the
// same words, is searched as before.
func TestOverview(t *testing.T) {
	ix := bundledIndex(t)
	tests := []struct {
		q, lang  string
		overview bool
	}{
		{"tl;dr?", "", true},
		{"what does the declaration say?", "", true},
		{"give me a summary of the declaration", "", true},
		{"key points pls", "", true},
		{"de quoi parle la déclaration ?", "", true},
		{"résume le texte stp", "", true},
		{"о чём эта декларация?", "", true},
		{"вкратце, что в декларации?", "", true},
		{"この宣言は何について？", "", true},
		{"宣言の要点を教えて", "", true},
		{"hey. tldr of the declaration?", "", true},
		{"what's this about?", "", true}, // stopwords and chat only, but "about"
		{"ça parle de quoi ?", "", true},
		{"de quoi s'agit-il ?", "", true},                                 // "il s'agit de", it is about
		{"j'ai vu le mot « catalyseur ». de quoi s'agit-il ?", "", false}, // asks about the word before
		{"これは何について？", "", true},
		{"what?", "", false},
		{"fais moi un résumé", "", true}, // everyday words the text lacks
		{"о чём это?", "", true},
		{"まとめてください", "", true},
		{"my prof told me to read it. tl;dr?", "", true},      // a summary after context
		{"my dad is a trucker. what does it say?", "", false}, // asks about the context
		{"c'est quand la déclaration ?", "", false},           // asks for one fact
		{"what does it say about people?", "", false},         // people are in the text
		{"what does the declaration say about energy?", "", false},
		{"who are the parties to the declaration?", "", false},
		{"in a nutshell, what about Afghanistan?", "", false},
		{"les points clés sur le climat ?", "", false},
		{"what is the Tokyo Initiative?", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.q, func(t *testing.T) {
			res, err := ix.Search(context.Background(), tt.q, SearchOptions{Lang: tt.lang})
			if err != nil {
				t.Fatal(err)
			}
			if res.Overview != tt.overview {
				t.Fatalf("overview = %v, want %v (hits %v)", res.Overview, tt.overview, hitIDs(res.Hits))
			}
			if !tt.overview {
				return
			}
			if res.Outcome != Answered || res.Abstained {
				t.Errorf("outcome %s, abstained %v; want answered", res.Outcome, res.Abstained)
			}
			if got := hitIDs(res.Hits); len(got) != 2 || got[0] != "2.2" || got[1] != "9.3" {
				t.Errorf("hits %v, want [2.2 9.3]", got)
			}
			for _, h := range res.Hits {
				if h.Passage.Lang != res.Lang {
					t.Errorf("hit %s in %s, want the question's %s", h.Passage.ID, h.Passage.Lang, res.Lang)
				}
			}
		})
	}
}

// TestOverviewGroups builds a small document: the paragraph that shares
// its words with every other one sums it up, ahead of those about one
// subject each, and a document of one paragraph is its own overview.
func TestOverviewGroups(t *testing.T) {
	ctx := context.Background()
	text := "Tokyo, 20 December 2025\n\nI. Subjects\n\n" +
		"1. The leaders agreed to strengthen cooperation on energy and water.\n\n" +
		"2. The leaders agreed to strengthen cooperation on transport and railways.\n\n" +
		"3. The leaders agreed to strengthen cooperation on education and scholarships.\n\n" +
		"4. The leaders agreed to strengthen cooperation on health and hospitals.\n\n" +
		"5. The leaders agreed to strengthen cooperation on disasters and floods.\n\n" +
		"II. Conclusion\n\n" +
		"6. In sum, the leaders cover energy, water, transport, railways, education, health and disasters.\n\n" +
		"7. The ministers thanked Japan for its hospitality in Tokyo.\n"
	ix := textIndex(t, text)
	if got := ix.overviewGroups(); len(got) != overviewShown || got[0] != "official/6" {
		t.Errorf("overview %v, want official/6 first", got)
	}
	ix = textIndex(t, "Tokyo, 20 December 2025\n\nI. All\n\n1. The leaders agreed on cooperation in energy.\n")
	if got := ix.overviewGroups(); len(got) != 1 || got[0] != "official/1" {
		t.Errorf("overview of one paragraph %v, want [official/1]", got)
	}
	res, err := ix.Search(ctx, "summary?", SearchOptions{})
	if err != nil || len(res.Hits) != 1 || !res.Overview {
		t.Errorf("search: %+v, %v; want the one paragraph as overview", res, err)
	}
}

// TestHubGivesWay: centrality runs from 0 to 1, the first overview
// paragraph's; and a paragraph on the area asked about comes before those
// that name every area (¶3.3, ¶2.2), though they hold the same words.
func TestHubGivesWay(t *testing.T) {
	ix := bundledIndex(t)
	if c := ix.centrality(ix.overviewGroups()[0]); c != 1 {
		t.Errorf("centrality of the first overview group = %v, want 1", c)
	}
	for _, key := range ix.groupKey {
		if c := ix.centrality(key); c < 0 || c > 1 {
			t.Errorf("centrality(%s) = %v, want it in [0, 1]", key, c)
		}
	}
	res, err := ix.Search(context.Background(), "green transition and resilience", SearchOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Hits) < 2 || res.Hits[0].Passage.Chapter != 4 || res.Hits[1].Passage.Chapter != 4 {
		t.Errorf("hits %v, want two of chapter 4 first", hitIDs(res.Hits))
	}
}
