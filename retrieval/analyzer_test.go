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
