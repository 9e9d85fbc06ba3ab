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

// Bundled returns the bundled digest of the Tokyo Declaration, English
// first, then French. The files are checked at build time by the tests, so
// an error here means the binary was built from a broken tree.
func Bundled() ([]*Document, error) {
	names, err := fs.Glob(digestFS, "digest/*.md")
	if err != nil {
		return nil, fmt.Errorf("list bundled corpus: %w", err)
	}
	sort.Strings(names) // en.md before fr.md
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
