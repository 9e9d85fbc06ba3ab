//go:build ignore

// breakmap spoils the font maps of a PDF in qpdf's QDF form: in every
// ToUnicode map, each glyph points into the Private Use Area instead of at
// its letter, as a converter that loses the map leaves a file. Text is
// still selectable, but reads as nothing.
//
//	go run breakmap.go IN.qdf.pdf OUT.qdf.pdf
package main

import (
	"fmt"
	"os"
	"regexp"
)

var (
	bfchar = regexp.MustCompile(`(?s)beginbfchar.*?endbfchar`)
	pair   = regexp.MustCompile(`(<[0-9A-Fa-f]+>\s*)<([0-9A-Fa-f]{4})>`)
)

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: go run breakmap.go IN OUT")
		os.Exit(2)
	}
	data, err := os.ReadFile(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	n := 0
	data = bfchar.ReplaceAllFunc(data, func(b []byte) []byte {
		return pair.ReplaceAllFunc(b, func(p []byte) []byte {
			n++
			m := pair.FindSubmatch(p)
			return append(append([]byte{}, m[1]...), []byte("<E0"+string(m[2][2:])+">")...)
		})
	})
	if n == 0 {
		fmt.Fprintln(os.Stderr, "breakmap: no ToUnicode entries found")
		os.Exit(1)
	}
	if err := os.WriteFile(os.Args[2], data, 0o644); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
