package retrieval

import (
	"slices"
	"testing"
)

func TestAnalyzerMatchesTerms(t *testing.T) {
	a := NewAnalyzer()
	for _, tt := range []struct{ text, lang string }{
		{"The leaders affirmed their commitment to cooperation on water resources.", English},
		{"Les dirigeants ont affirmé leur engagement en faveur de la coopération.", French},
		{"The leaders affirmed it again: cooperation, cooperating, cooperated.", English},
		{"L'Asie centrale et le Japon", French},
	} {
		if got, want := a.Terms(tt.text, tt.lang), Terms(tt.text, tt.lang); !slices.Equal(got, want) {
			t.Errorf("Analyzer.Terms(%q) = %q, want %q", tt.text, got, want)
		}
	}
}

func TestAnalyzerClaim(t *testing.T) {
	a := NewAnalyzer()
	for _, tt := range []struct {
		text, lang string
		want       []string
	}{
		{"The parties want to diversify supply chains.", English, nil},
		{"Japan does not want them and never will.", English, []string{"not", "never"}},
		{"They don't; rare earths are banned.", English, []string{"t", "banned"}},
		{"Le Japon n'en veut pas et rejette les minerais.", French, []string{"pas", "rejette"}},
		{"Стороны не хотят этого и отвергают сырьё.", "ru", []string{"не", "отвергают"}},
		{"日本は望んでいない。レアアースは禁止されている。", "ja", []string{"んでいない", "禁止"}},
	} {
		terms, neg := a.Claim(tt.text, tt.lang)
		if !slices.Equal(neg, tt.want) {
			t.Errorf("Claim(%q) negations = %q, want %q", tt.text, neg, tt.want)
		}
		if want := Terms(tt.text, tt.lang); !slices.Equal(terms, want) {
			t.Errorf("Claim(%q) terms = %q, want Terms' %q", tt.text, terms, want)
		}
	}
}

// TestTopicOfCasing: a word's casing in the message changes how topical it
// counts: a capitalised word inside a sentence that the corpus lacks is a
// name, and an acronym is topical even when its letters spell an everyday
// word of some language ("AI", French "ai").
func TestTopicOfCasing(t *testing.T) {
	ix := bundledIndex(t)
	tests := []struct {
		q, term string
		min     float64
	}{
		{"is there an AI partnership", "ai", 1},
		{"is there an ai partnership", "ai", 0},
		{"did they mention Australia at all", "australia", namedTopic},
	}
	for _, tt := range tests {
		got := -1.0
		for _, w := range ix.analyse(tt.q, "en").own {
			if w.term == tt.term {
				got = w.topic
			}
		}
		if got < tt.min || tt.min == 0 && got != 0 {
			t.Errorf("%q: topic of %q = %.2f, want %v", tt.q, tt.term, got, tt.min)
		}
	}
}
