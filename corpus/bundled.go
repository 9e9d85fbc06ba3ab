package corpus

import (
	"embed"
	"fmt"
	"io/fs"
	"sort"
)

// digestFS holds the bundled digest, one file per language.
//
//go:embed digest/*.md
var digestFS embed.FS

// Bundled returns the bundled digest of the Tokyo Declaration, one
// document per language in the order of the language table (English,
// French, Russian, Japanese), aligned paragraph by paragraph. The files
// are checked at build time by the tests, so an error here means the
// binary was built from a broken tree.
func Bundled() ([]*Document, error) {
	names, err := fs.Glob(digestFS, "digest/*.md")
	if err != nil {
		return nil, fmt.Errorf("list bundled corpus: %w", err)
	}
	var docs []*Document
	for _, name := range names {
		data, err := digestFS.ReadFile(name)
		if err != nil {
			return nil, fmt.Errorf("read bundled corpus: %w", err)
		}
		d, err := ParseMarkdown("corpus/"+name, data)
		if err != nil {
			return nil, fmt.Errorf("bundled corpus: %w", err)
		}
		docs = append(docs, d)
	}
	order := map[string]int{}
	for i, code := range languages().Codes() {
		order[code] = i
	}
	sort.SliceStable(docs, func(i, j int) bool { return order[docs[i].Lang] < order[docs[j].Lang] })
	if err := Align(docs...); err != nil {
		return nil, fmt.Errorf("bundled corpus: %w", err)
	}
	return docs, nil
}

// BundledFiles returns the raw bundled files by name, for hashing and for
// maintainers who want to start an official corpus from them.
func BundledFiles() (map[string][]byte, error) {
	out := map[string][]byte{}
	err := fs.WalkDir(digestFS, "digest", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := digestFS.ReadFile(path)
		out["corpus/"+path] = b
		return err
	})
	return out, err
}
