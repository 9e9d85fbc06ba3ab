package retrieval

import (
	"context"
	"path/filepath"
	"reflect"
	"testing"
)

// TestIndexFileSources checks that the sources an index was built from
// survive a write and a load, and that a file without them (as written
// before they were recorded) loads with none.
func TestIndexFileSources(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	tests := []struct {
		name string
		set  *Sources
	}{
		{"recorded", &Sources{Bundled: true, Paths: []string{"/srv/docs", "/srv/briefing.md"}}},
		{"not recorded", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ix := buildSynth(t, 4, 7)
			if tt.set != nil {
				ix.SetSources(*tt.set)
			}
			path := filepath.Join(dir, tt.name+".index")
			if err := WriteFile(path, ix); err != nil {
				t.Fatal(err)
			}
			got, hdr, err := LoadFile(ctx, path, ix.emb)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(hdr.Sources, tt.set) || !reflect.DeepEqual(got.Sources(), tt.set) {
				t.Errorf("sources %+v (header %+v), want %+v", got.Sources(), hdr.Sources, tt.set)
			}
		})
	}
}
