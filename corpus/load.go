package corpus

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
)

// parsers by file extension. Project-format Markdown is told from general
// Markdown by its content, see parseMarkdownFile.
var parsers = map[string]func(string, []byte) (*Document, error){
	".md":       parseMarkdownFile,
	".markdown": parseMarkdownFile,
	".txt":      ParseText,
	".text":     ParseText,
	".html":     ParseHTML,
	".htm":      ParseHTML,
	".xhtml":    ParseHTML,
	".pdf":      ParsePDF,
}

// knownExt reports whether Load reads files ending in ext. It does not
// consult parsers, which would make an initialisation cycle.
func knownExt(ext string) bool {
	switch strings.ToLower(ext) {
	case ".md", ".markdown", ".txt", ".text", ".html", ".htm", ".xhtml", ".pdf":
		return true
	}
	return false
}

// Formats lists the file extensions Load reads in a folder.
func Formats() []string {
	var out []string
	for ext := range parsers {
		out = append(out, ext)
	}
	sort.Strings(out)
	return out
}

var projectPara = regexp.MustCompile(`(?m)^\[\d+\.\d+\]\s`)

// parseMarkdownFile reads the project's corpus format when the file has
// front matter and [N.M] paragraph ids, and general Markdown otherwise.
func parseMarkdownFile(path string, data []byte) (*Document, error) {
	if bytes.HasPrefix(bytes.TrimPrefix(data, []byte("\ufeff")), []byte("---")) && projectPara.Match(data) {
		return ParseMarkdown(path, data)
	}
	return ParseGeneralMarkdown(path, data)
}

// ParseFile parses data as the format its name or, failing that, its
// content says: PDF, HTML, Markdown or plain text. It returns an error
// naming the file when the format is not one declbot reads.
//
// A source in a text format that looks binary (see notText) is refused
// with an error naming the file, rather than indexed as passages of
// garbage; a PDF is binary by nature and is left to ParsePDF.
func ParseFile(path string, data []byte) (*Document, error) {
	ext := strings.ToLower(filepath.Ext(path))
	p, ok := parsers[ext]
	if !ok {
		head := bytes.ToLower(bytes.TrimSpace(bytes.TrimPrefix(data[:min(len(data), 512)], []byte("\ufeff"))))
		switch {
		case bytes.HasPrefix(head, []byte("%pdf-")):
			ext, p = ".pdf", ParsePDF
		case bytes.HasPrefix(head, []byte("<!doctype html")), bytes.HasPrefix(head, []byte("<html")),
			bytes.HasPrefix(head, []byte("<?xml")) && bytes.Contains(head, []byte("<html")):
			p = ParseHTML
		case bytes.IndexByte(data[:min(len(data), 8000)], 0) >= 0:
			return nil, fmt.Errorf("%s: not a format declbot reads (want %s)", path, strings.Join(Formats(), ", "))
		default:
			p = parseMarkdownFile
		}
	}
	if ext != ".pdf" {
		if why := notText(data); why != "" {
			return nil, fmt.Errorf("%s: not a text file: %s", path, why)
		}
	}
	return p(path, data)
}

// Load reads one file, or every file of a supported format under a
// folder (hidden files and folders skipped, files in name order). Errors
// name the file. It fails when two files give the same document name in
// the same language, since their passage ids would collide.
func Load(path string) ([]*Document, error) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("corpus source: %w", err)
	}
	var files []string
	root := "" // the folder whose files these are, symlinks resolved
	if !info.IsDir() {
		files = []string{path}
	} else {
		if root, err = filepath.EvalSymlinks(path); err != nil {
			return nil, fmt.Errorf("corpus source: %w", err)
		}
		err := filepath.WalkDir(path, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if p != path && strings.HasPrefix(d.Name(), ".") {
				if d.IsDir() {
					return filepath.SkipDir
				}
				return nil
			}
			if !d.IsDir() && knownExt(filepath.Ext(p)) {
				files = append(files, p)
			}
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("corpus source %s: %w", path, err)
		}
		if len(files) == 0 {
			return nil, fmt.Errorf("corpus source %s: no documents (want %s)", path, strings.Join(Formats(), ", "))
		}
	}
	var docs []*Document
	for _, f := range files {
		data, err := readSource(root, f)
		if err != nil {
			return nil, err
		}
		d, err := ParseFile(f, data)
		if err != nil {
			var pe *ParseError
			if errors.As(err, &pe) || strings.HasPrefix(err.Error(), f) {
				return nil, err
			}
			return nil, fmt.Errorf("%s: %w", f, err)
		}
		if err := applySidecar(d, root, f+".yaml"); err != nil {
			return nil, err
		}
		docs = append(docs, d)
	}
	if err := CheckNames(docs); err != nil {
		return nil, err
	}
	return docs, nil
}

// MaxSourceFile is the largest source file read, in bytes.
const MaxSourceFile = 256 << 20

// readSource reads a source file: a regular file of at most MaxSourceFile
// bytes and, when it lies in the folder root (symlinks resolved; "" for a
// file named on its own), one that stays inside it once symbolic links
// are followed. A link out of the folder would index whatever file it
// names, and a device or FIFO would be read for ever.
func readSource(root, f string) ([]byte, error) {
	if root != "" {
		real, err := filepath.EvalSymlinks(f)
		if err != nil {
			return nil, fmt.Errorf("corpus source: %w", err)
		}
		if rel, err := filepath.Rel(root, real); err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			return nil, fmt.Errorf("corpus source %s: a symbolic link to %s, outside the source folder: copy the file in instead", f, real)
		}
	}
	fi, err := os.Stat(f)
	if err != nil {
		return nil, fmt.Errorf("corpus source: %w", err)
	}
	if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("corpus source %s: not a regular file (%s)", f, fileKind(fi.Mode()))
	}
	if fi.Size() > MaxSourceFile {
		return nil, fmt.Errorf("corpus source %s: %d bytes, over the limit of %d", f, fi.Size(), MaxSourceFile)
	}
	fh, err := os.Open(f)
	if err != nil {
		return nil, fmt.Errorf("corpus source: %w", err)
	}
	defer fh.Close()
	data, err := io.ReadAll(io.LimitReader(fh, MaxSourceFile+1))
	if err != nil {
		return nil, fmt.Errorf("corpus source: %w", err)
	}
	if len(data) > MaxSourceFile {
		return nil, fmt.Errorf("corpus source %s: over the limit of %d bytes", f, MaxSourceFile)
	}
	return data, nil
}

// fileKind names what a file that is not a regular one is, as a person
// says it ("a device"), not as fs.FileMode prints it ("Dc---------").
func fileKind(m fs.FileMode) string {
	switch {
	case m&fs.ModeDir != 0:
		return "a folder"
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeDevice != 0:
		return "a device"
	}
	return "a special file"
}

// CheckNames reports two documents with the same name and language, whose
// passages would share ids; the message names both files and the fix.
func CheckNames(docs []*Document) error {
	seen := map[string]*Document{}
	for _, d := range docs {
		k := d.Name + "/" + d.Lang
		if prev, ok := seen[k]; ok {
			return fmt.Errorf("%s: document name %q (%s) is already used by %s: rename one file, or set \"document:\" in its front matter",
				d.Path, d.Name, d.Lang, prev.Path)
		}
		seen[k] = d
	}
	return nil
}

// applySidecar reads path, when it exists, as the front matter of the
// document d was parsed from: a PDF or a web page cannot carry its own, so
// "declaration.en.pdf.yaml" beside "declaration.en.pdf" says that it is
// the official text, its title, source and date. Keys are those of the
// project format's front matter; those set override what was found.
func applySidecar(d *Document, root, path string) error {
	// Read as a source is (see readSource): a sidecar linked to
	// /dev/zero or made a FIFO was read until memory ran out, or for ever.
	data, err := readSource(root, path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	data = bytes.TrimPrefix(data, []byte("\ufeff")) // as a document's own front matter
	lines := append(append([]string{"---"}, strings.Split(strings.ReplaceAll(string(data), "\r\n", "\n"), "\n")...), "---")
	_, m, _, err := prepare(path, []byte(strings.Join(lines, "\n")))
	if err != nil {
		var pe *ParseError
		if errors.As(err, &pe) {
			pe.Line = max(pe.Line-1, 1) // the "---" added above
		}
		return err
	}
	if m.name != "" {
		d.Name = m.name
	}
	if m.lang != "" {
		d.Lang = m.lang
	}
	if m.title != "" {
		d.Title = m.title
	}
	if m.kind != "" {
		d.Kind = m.kind
	}
	if m.source != "" {
		d.Source = m.source
	}
	if m.date != "" {
		d.Date = m.date
	}
	if m.notice != "" {
		d.Notice = m.notice
	}
	for ci := range d.Chapters {
		c := &d.Chapters[ci]
		if c.Number == 0 && isPreambleTitle(c.Title) {
			c.Title = preambleTitle(d)
		}
		for pi := range c.Passages {
			c.Passages[pi].Doc, c.Passages[pi].Lang, c.Passages[pi].ChapterTitle = d.Name, d.Lang, c.Title
		}
	}
	return nil
}

// isPreambleTitle reports whether title is the one the parsers give the
// text before the first chapter, in any language of the table.
func isPreambleTitle(title string) bool {
	for _, l := range languages().All() {
		if l.Preamble != "" && title == l.Preamble {
			return true
		}
	}
	return false
}
