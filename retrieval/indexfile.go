package retrieval

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/declbot/declbot/corpus"
)

// An index file holds a built index so that the bot starts without
// parsing its sources or embedding anything. It is one file:
//
//	declbot-index 1\n           magic and format version, one line
//	{header JSON}\n             FileHeader, one line
//	uint64 n, n bytes           the documents, JSON
//	passages × dims float32     the vectors, little-endian, in passage order
//	uint64 payload length       bytes between the header line and here
//	[32]byte                    SHA-256 of everything before it
//
// The first two lines can be read with head(1). The checksum at the end
// catches a corrupt byte anywhere and a file cut short, which loses it.
// The vectors are stored rather than chromem-go's export because Assemble
// rebuilds the whole index (lexical side included) from documents and
// vectors, which is all a reader needs.

// FileFormat is the index file version this build writes and reads.
const FileFormat = 1

const fileMagic = "declbot-index"

// RebuildHint is what to run when an index file cannot be used.
const RebuildHint = "run: declbot index"

// FileHeader describes an index file without loading it.
type FileHeader struct {
	Format     int          `json:"format"`
	Embedder   EmbedderSpec `json:"embedder"`
	CorpusHash string       `json:"corpus_hash"`
	BuiltAt    time.Time    `json:"built_at"`
	Documents  int          `json:"documents"`
	Passages   int          `json:"passages"`
	// Hashes holds each passage's key and content hash, in passage
	// order, so a check can say what changed without the payload.
	Hashes []PassageHash `json:"hashes"`
	// Sources is what the index was built from (see Index.SetSources);
	// absent from files that predate it, which readers of format 1
	// accept either way.
	Sources *Sources `json:"sources,omitempty"`
	// Calibration is the index's (see Calibration), for a model
	// embedder; absent otherwise and from files that predate it.
	Calibration *Calibration `json:"calibration,omitempty"`
}

// PassageHash is a passage's key and the hash of the text it was embedded
// from (see ContentHash).
type PassageHash struct {
	Key  string `json:"key"`
	Hash string `json:"hash"`
}

// ContentHash is the hash of what is embedded for p: the same hash means
// the same vector from the same embedder, so the vector can be kept.
func ContentHash(p corpus.Passage) string {
	sum := sha256.Sum256([]byte(EmbedText(p)))
	return hex.EncodeToString(sum[:16])
}

// FileErrorKind says why an index file cannot be used.
type FileErrorKind int

const (
	// FileMissing: there is no file at the path.
	FileMissing FileErrorKind = iota + 1
	// FileNotIndex: the file is not a declbot index file at all.
	FileNotIndex
	// FileVersion: the file was written in another format version.
	FileVersion
	// FileTruncated: the file is shorter than it says.
	FileTruncated
	// FileCorrupt: the file's content does not match its checksum or
	// cannot be decoded.
	FileCorrupt
	// FileEmbedder: the file was built with another embedder (name,
	// model or dimensions) than the one configured.
	FileEmbedder
	// FileIO: the file could not be read or written.
	FileIO
)

// FileError is a problem with an index file. Its message names the file,
// says what is wrong and what to run; Kind lets a caller tell a missing
// file (build in memory) from a broken one (refuse to start).
type FileError struct {
	Path string
	Kind FileErrorKind
	Msg  string
	Err  error // underlying error, if any
	// writing says the file could not be written: rebuilding it is what
	// failed, so the hint is where to write it instead.
	writing bool
	// hint, when set, is what to do instead of RebuildHint or WriteHint.
	hint string
}

// WriteHint is what to do when an index file cannot be written.
const WriteHint = "index.path (or --index) must name a file in a folder declbot can write to"

func (e *FileError) Error() string {
	hint := RebuildHint
	switch {
	case e.hint != "":
		hint = e.hint
	case e.writing:
		hint = WriteHint
	}
	return fmt.Sprintf("index file %s: %s; %s", e.Path, e.Msg, hint)
}

func (e *FileError) Unwrap() error { return e.Err }

func fileErr(path string, kind FileErrorKind, err error, format string, args ...any) *FileError {
	return &FileError{Path: path, Kind: kind, Msg: fmt.Sprintf(format, args...), Err: err}
}

// NotIndexHint is what to do about a file at the index's path that is
// not a declbot index file: rebuilding would destroy it.
const NotIndexHint = "declbot will not overwrite it: choose another --index path (or index.path), or remove the file"

// notIndexErr is the error for a file that is not a declbot index file
// at all: it lacks the magic line.
func notIndexErr(path, format string, args ...any) *FileError {
	e := fileErr(path, FileNotIndex, nil, format, args...)
	e.hint = NotIndexHint
	return e
}

// CheckReplaceable returns a *FileError of kind FileNotIndex when path,
// or the copy of the previous index kept as path+".prev", is a regular
// file that does not start as an index file does (the magic line, or a
// part of it in a file cut short; an empty file counts as one). Such a
// file is someone's document given as the index's path by mistake, or
// kept as .prev by a declbot that did not check: WriteFile would replace
// it. A missing file, or one that is not regular, is not refused here.
func CheckReplaceable(path string) error {
	for _, p := range []string{path, path + ".prev"} {
		ok, err := startsAsIndex(p)
		if err != nil || ok {
			continue // WriteFile says what is wrong with a file it cannot read
		}
		if p == path {
			return notIndexErr(p, "is not a declbot index file")
		}
		return notIndexErr(p, "is not a declbot index file, though kept as the previous copy of %s", filepath.Base(path))
	}
	return nil
}

// startsAsIndex reports whether the file at path is missing, not regular,
// or starts as an index file does: see CheckReplaceable.
func startsAsIndex(path string) (bool, error) {
	fi, err := os.Stat(path)
	if errors.Is(err, fs.ErrNotExist) || (err == nil && !fi.Mode().IsRegular()) {
		return true, nil
	}
	if err != nil {
		return false, err
	}
	f, err := os.Open(path)
	if err != nil {
		return false, err
	}
	defer f.Close()
	magic := fileMagic + " "
	b := make([]byte, len(magic))
	n, err := io.ReadFull(f, b)
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, io.ErrUnexpectedEOF) {
		return false, err
	}
	return strings.HasPrefix(magic, string(b[:n])), nil
}

// writeErr is fileErr for a file that could not be written.
func writeErr(path string, err error, format string, args ...any) *FileError {
	e := fileErr(path, FileIO, err, format, args...)
	e.writing = true
	return e
}

// header returns the file header of ix.
func fileHeader(ix *Index) FileHeader {
	info := ix.Info()
	h := FileHeader{
		Format:      FileFormat,
		Embedder:    info.Embedder,
		CorpusHash:  info.CorpusHash,
		BuiltAt:     info.BuiltAt.UTC(),
		Documents:   info.Documents,
		Passages:    info.Passages,
		Sources:     ix.sources,
		Calibration: info.Calibration,
	}
	for _, p := range ix.Passages() {
		h.Hashes = append(h.Hashes, PassageHash{Key: p.Key(), Hash: ContentHash(p)})
	}
	return h
}

// WriteFile saves ix to path atomically (refusing, as CheckReplaceable
// does, to replace a file that is not an index file): it writes a temporary file in the
// same folder, syncs it, keeps the current file (if any) as path+".prev",
// renames the new file over path and syncs the folder. Whenever the
// process stops, path holds either the old index or the new one, whole.
// Another process writing the same index makes it fail at once rather
// than wait. The folder is created if needed. Temporary files left by a writer that was killed are removed.
func WriteFile(path string, ix *Index) (err error) {
	if ix == nil {
		return errors.New("write index file: no index")
	}
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return writeErr(path, err, "cannot create its folder: %s", plainErr(err))
	}
	unlock, err := lockFile(path + ".lock")
	if err != nil {
		return writeErr(path, err, "cannot write: %s", plainErr(err))
	}
	defer unlock()
	if err := CheckReplaceable(path); err != nil {
		return err
	}
	removeStale(dir, base)

	tmp, err := os.CreateTemp(dir, base+".tmp-*")
	if err != nil {
		return writeErr(path, err, "cannot write: %s", plainErr(err))
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	// CreateTemp makes the file private; an index holds public text.
	if err := tmp.Chmod(0o644); err != nil {
		return writeErr(path, err, "cannot write %s: %s", tmp.Name(), plainErr(err))
	}
	if err := encodeFile(tmp, ix); err != nil {
		return writeErr(path, err, "cannot write %s: %s", tmp.Name(), plainErr(err))
	}
	if err := tmp.Sync(); err != nil {
		return writeErr(path, err, "cannot sync %s: %s", tmp.Name(), plainErr(err))
	}
	if err := tmp.Close(); err != nil {
		return writeErr(path, err, "cannot write %s: %s", tmp.Name(), plainErr(err))
	}
	if err := keepPrevious(path); err != nil {
		return writeErr(path, err, "cannot keep the previous index as %s.prev: %s", path, plainErr(err))
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return writeErr(path, err, "cannot replace: %s", plainErr(err))
	}
	if err := syncDir(dir); err != nil {
		return writeErr(path, err, "cannot sync folder %s: %s", dir, plainErr(err))
	}
	return nil
}

// keepPrevious makes path+".prev" a copy of path, if path exists, without
// ever leaving path absent: a hard link renamed into place (a copy where
// links are not supported).
func keepPrevious(path string) error {
	cur, err := os.Stat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	// A writer killed between its two renames leaves .prev and path the
	// same file; rename(2) between two links of one file does nothing
	// and would leave the temporary link behind.
	if prev, err := os.Stat(path + ".prev"); err == nil && os.SameFile(cur, prev) {
		return nil
	}
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	tmp := filepath.Join(dir, base+".prev.tmp-"+strconv.Itoa(os.Getpid()))
	os.Remove(tmp)
	if err := os.Link(path, tmp); err != nil {
		if err := copyFile(path, tmp); err != nil {
			os.Remove(tmp)
			return err
		}
	}
	err = os.Rename(tmp, path+".prev")
	os.Remove(tmp) // gone after a rename, unless the rename did nothing
	return err
}

func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(to)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	if err := out.Sync(); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// removeStale deletes temporary files a killed writer of base left in
// dir. It runs under the lock, so no live writer owns them.
func removeStale(dir, base string) {
	for _, pattern := range []string{base + ".tmp-*", base + ".prev.tmp-*"} {
		matches, _ := filepath.Glob(filepath.Join(dir, pattern))
		for _, m := range matches {
			os.Remove(m)
		}
	}
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Sync(); err != nil && !errors.Is(err, os.ErrInvalid) {
		return err
	}
	return nil
}

func plainErr(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

// encodeFile writes the whole file format to w.
func encodeFile(w io.Writer, ix *Index) error {
	sum := sha256.New()
	bw := bufio.NewWriterSize(io.MultiWriter(w, sum), 1<<20)
	hdr, err := json.Marshal(fileHeader(ix))
	if err != nil {
		return err
	}
	fmt.Fprintf(bw, "%s %d\n", fileMagic, FileFormat)
	bw.Write(hdr)
	bw.WriteByte('\n')

	// The documents are written passage by passage, twice: once to learn
	// their length, which comes first, then for real. Marshalled whole,
	// 60,000 passages took a 40 MB buffer grown by doubling, on top of
	// the two indexes a reindex holds.
	var count countingWriter
	if err := writeDocs(&count, ix.Documents()); err != nil {
		return err
	}
	var n [8]byte
	binary.LittleEndian.PutUint64(n[:], uint64(count))
	bw.Write(n[:])
	if err := writeDocs(bw, ix.Documents()); err != nil {
		return err
	}
	payload := uint64(8 + count)
	var f [4]byte
	for _, v := range ix.Vectors() {
		for _, x := range v {
			binary.LittleEndian.PutUint32(f[:], math.Float32bits(x))
			bw.Write(f[:])
		}
		payload += uint64(4 * len(v))
	}
	binary.LittleEndian.PutUint64(n[:], payload)
	bw.Write(n[:])
	if err := bw.Flush(); err != nil {
		return err
	}
	_, err = w.Write(sum.Sum(nil))
	return err
}

// countingWriter counts what is written to it and keeps none of it.
type countingWriter int64

func (c *countingWriter) Write(p []byte) (int, error) {
	*c += countingWriter(len(p))
	return len(p), nil
}

// writeDocs writes the JSON of docs to w as json.Marshal would, one
// passage at a time, so that no buffer holds them all.
func writeDocs(w io.Writer, docs []*corpus.Document) error {
	if docs == nil {
		_, err := io.WriteString(w, "null")
		return err
	}
	io.WriteString(w, "[")
	for i, d := range docs {
		if i > 0 {
			io.WriteString(w, ",")
		}
		shell := *d
		shell.Chapters = nil
		err := writeAround(w, shell, `"Chapters":null`, d.Chapters == nil, func() error {
			io.WriteString(w, `"Chapters":[`)
			for j, c := range d.Chapters {
				if j > 0 {
					io.WriteString(w, ",")
				}
				cs := c
				cs.Passages = nil
				err := writeAround(w, cs, `"Passages":null`, c.Passages == nil, func() error {
					io.WriteString(w, `"Passages":[`)
					for k, p := range c.Passages {
						if k > 0 {
							io.WriteString(w, ",")
						}
						b, err := json.Marshal(p)
						if err != nil {
							return err
						}
						w.Write(b)
					}
					_, err := io.WriteString(w, "]")
					return err
				})
				if err != nil {
					return err
				}
			}
			_, err := io.WriteString(w, "]")
			return err
		})
		if err != nil {
			return err
		}
	}
	_, err := io.WriteString(w, "]")
	return err
}

// writeAround marshals v, whose list field is empty and marshals as
// field (`"Chapters":null`), and writes it with inner in place of that
// field; when isNil, the null stays. A string value cannot hold field
// unescaped, so its first occurrence is the key.
func writeAround(w io.Writer, v any, field string, isNil bool, inner func() error) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	i := bytes.Index(b, []byte(field))
	if i < 0 {
		return fmt.Errorf("encode documents: %s not found in %T", field, v)
	}
	if isNil {
		_, err := w.Write(b)
		return err
	}
	w.Write(b[:i])
	if err := inner(); err != nil {
		return err
	}
	_, err = w.Write(b[i+len(field):])
	return err
}

// ReadFileHeader reads the header of the index file at path, without
// reading or verifying the rest: for reports and quick checks. Use
// VerifyFile or LoadFile to know the file is whole.
func ReadFileHeader(path string) (FileHeader, error) {
	f, _, err := openRegular(path)
	if err != nil {
		return FileHeader{}, err
	}
	defer f.Close()
	// A header line is a few kilobytes per thousand passages; the limit
	// keeps a file of one endless line from being read whole.
	br := bufio.NewReaderSize(io.LimitReader(f, MaxFileSize), 1<<16)
	hdr, _, err := readHeader(path, br, nil)
	return hdr, err
}

// MaxFileSize is the largest index file read: 60,000 passages of 3,072
// dimensions (a large model embedder's) take 740 MB.
const MaxFileSize = 4 << 30

// openRegular opens the file at path for reading when it is a regular
// file (a symbolic link to one is followed) of at most MaxFileSize bytes,
// and returns its size. A device, a FIFO or a folder is refused before
// it is read: /dev/zero would be read until memory ran out, and opening
// a FIFO blocks until someone writes to it.
func openRegular(path string) (*os.File, int64, error) {
	if fi, err := os.Stat(path); err != nil {
		return nil, 0, openErr(path, err)
	} else if !fi.Mode().IsRegular() {
		return nil, 0, fileErr(path, FileNotIndex, nil, "is not a regular file (%s)", fi.Mode().Type())
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, 0, openErr(path, err)
	}
	fi, err := f.Stat() // what was opened, should the path have changed
	switch {
	case err != nil:
		f.Close()
		return nil, 0, openErr(path, err)
	case !fi.Mode().IsRegular():
		f.Close()
		return nil, 0, fileErr(path, FileNotIndex, nil, "is not a regular file (%s)", fi.Mode().Type())
	case fi.Size() > MaxFileSize:
		f.Close()
		return nil, 0, fileErr(path, FileNotIndex, nil, "is %d bytes, over the %d an index file may have", fi.Size(), int64(MaxFileSize))
	}
	return f, fi.Size(), nil
}

// readAll reads f, of the size given, in chunks, giving up when ctx ends
// or the file turns out longer than it was.
func readAll(ctx context.Context, path string, f *os.File, size int64) ([]byte, error) {
	const chunk = 4 << 20
	data := make([]byte, 0, size)
	for {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("read index file %s: %w", path, err)
		}
		if int64(len(data)) > size {
			return nil, fileErr(path, FileCorrupt, nil, "grew while it was read")
		}
		if cap(data)-len(data) < chunk {
			data = append(data, make([]byte, chunk)...)[:len(data)]
		}
		n, err := f.Read(data[len(data):min(cap(data), len(data)+chunk)])
		data = data[:len(data)+n]
		if err == io.EOF {
			return data, nil
		}
		if err != nil {
			return nil, openErr(path, err)
		}
	}
}

func openErr(path string, err error) error {
	if errors.Is(err, fs.ErrNotExist) {
		return fileErr(path, FileMissing, err, "does not exist")
	}
	return fileErr(path, FileIO, err, "cannot read: %s", plainErr(err))
}

// readHeader reads the magic line and the header line from br, feeding
// both to sum when it is not nil. It returns the header and the number of
// bytes read.
func readHeader(path string, br *bufio.Reader, sum hash.Hash) (FileHeader, int64, error) {
	var hdr FileHeader
	line, err := br.ReadString('\n')
	if !strings.HasPrefix(line, fileMagic+" ") {
		switch {
		case line == "" && err != nil:
			return hdr, 0, fileErr(path, FileTruncated, err, "is empty")
		case err != nil && strings.HasPrefix(fileMagic+" ", line):
			return hdr, 0, fileErr(path, FileTruncated, err, "is truncated (%d bytes)", len(line))
		}
		return hdr, 0, notIndexErr(path, "is not a declbot index file")
	}
	if err != nil {
		return hdr, 0, fileErr(path, FileTruncated, err, "is truncated in its first line")
	}
	v, err := strconv.Atoi(strings.TrimSpace(strings.TrimPrefix(line, fileMagic+" ")))
	if err != nil {
		return hdr, 0, fileErr(path, FileCorrupt, err, "has an unreadable format version %q", strings.TrimSpace(line))
	}
	if v != FileFormat {
		return hdr, 0, fileErr(path, FileVersion, nil, "is in format version %d; this declbot reads version %d", v, FileFormat)
	}
	hline, err := br.ReadBytes('\n')
	if err != nil {
		return hdr, 0, fileErr(path, FileTruncated, err, "is truncated in its header")
	}
	if err := json.Unmarshal(hline, &hdr); err != nil {
		return hdr, 0, fileErr(path, FileCorrupt, err, "has a corrupt header (%v)", err)
	}
	if hdr.Format != FileFormat || hdr.Passages != len(hdr.Hashes) || hdr.Passages <= 0 || hdr.Embedder.Dims <= 0 || hdr.Embedder.Dims > 1<<16 {
		return hdr, 0, fileErr(path, FileCorrupt, nil, "has an inconsistent header")
	}
	if sum != nil {
		sum.Write([]byte(line))
		sum.Write(hline)
	}
	return hdr, int64(len(line) + len(hline)), nil
}

// VerifyFile checks that the index file at path is whole (magic, version,
// checksum) and built with spec, without decoding it, and returns its
// header. Errors are *FileError.
func VerifyFile(path string, spec EmbedderSpec) (FileHeader, error) {
	hdr, _, err := readVerified(context.Background(), path, spec)
	return hdr, err
}

// readVerified reads the whole file, checks it and returns the header and
// the payload (documents and vectors). It stops when ctx ends.
func readVerified(ctx context.Context, path string, spec EmbedderSpec) (FileHeader, []byte, error) {
	f, size, err := openRegular(path)
	if err != nil {
		return FileHeader{}, nil, err
	}
	data, err := readAll(ctx, path, f, size)
	f.Close()
	if err != nil {
		return FileHeader{}, nil, err
	}
	br := bufio.NewReader(bytes.NewReader(data))
	hdr, off, err := readHeader(path, br, nil)
	if err != nil {
		return hdr, nil, err
	}
	rest := int64(len(data)) - off
	if rest < 8+32 {
		return hdr, nil, fileErr(path, FileTruncated, nil, "is truncated (%d bytes)", len(data))
	}
	want := binary.LittleEndian.Uint64(data[len(data)-40 : len(data)-32])
	expected := uint64(8+4*hdr.Passages*hdr.Embedder.Dims) + 8 // at least the lengths and the vectors
	switch {
	case want < expected || want > uint64(math.MaxInt64):
		// The length field is not what a whole file ends with: most
		// likely the end is missing.
		return hdr, nil, fileErr(path, FileTruncated, nil, "is truncated or corrupt: it does not end with a valid checksum")
	case uint64(rest-40) < want:
		return hdr, nil, fileErr(path, FileTruncated, nil, "is truncated (%d bytes missing)", want-uint64(rest-40))
	case uint64(rest-40) > want:
		return hdr, nil, fileErr(path, FileCorrupt, nil, "is corrupt: %d bytes more than its payload", uint64(rest-40)-want)
	}
	sum := sha256.Sum256(data[:len(data)-32])
	if !bytes.Equal(sum[:], data[len(data)-32:]) {
		return hdr, nil, fileErr(path, FileCorrupt, nil, "is corrupt: checksum mismatch")
	}
	if !sameEmbedder(hdr.Embedder, spec) {
		return hdr, nil, fileErr(path, FileEmbedder, nil, "was built with embedder %s, but the configuration uses %s", hdr.Embedder, spec)
	}
	return hdr, data[off : len(data)-40], nil
}

// LoadFile reads the index file at path, checks it and returns the index
// it holds, built with emb, and its header. It fails with a *FileError
// when the file is missing, not an index file, of another format version,
// truncated, corrupt, or built with another embedder than emb; it never
// panics, whatever the file holds.
func LoadFile(ctx context.Context, path string, emb Embedder) (*Index, FileHeader, error) {
	if emb == nil {
		return nil, FileHeader{}, errors.New("load index file: no embedder")
	}
	hdr, payload, err := readVerified(ctx, path, emb.Spec())
	if err != nil {
		return nil, hdr, err
	}
	if len(payload) < 8 {
		return nil, hdr, fileErr(path, FileCorrupt, nil, "has no documents")
	}
	n := binary.LittleEndian.Uint64(payload[:8])
	vecBytes := uint64(4 * hdr.Passages * hdr.Embedder.Dims)
	if n > uint64(len(payload)-8) || uint64(len(payload)-8)-n != vecBytes {
		return nil, hdr, fileErr(path, FileCorrupt, nil, "has payload sections of the wrong size")
	}
	var docs []*corpus.Document
	if err := json.Unmarshal(payload[8:8+n], &docs); err != nil {
		return nil, hdr, fileErr(path, FileCorrupt, err, "has unreadable documents (%v)", err)
	}
	raw := payload[8+n:]
	dims := hdr.Embedder.Dims
	flat := make([]float32, hdr.Passages*dims)
	for i := range flat {
		flat[i] = math.Float32frombits(binary.LittleEndian.Uint32(raw[4*i:]))
	}
	vecs := make([][]float32, hdr.Passages)
	for i := range vecs {
		vecs[i] = flat[i*dims : (i+1)*dims : (i+1)*dims]
	}
	ix, err := Assemble(ctx, docs, withDims(emb, dims), vecs)
	if err != nil {
		return nil, hdr, fileErr(path, FileCorrupt, err, "does not hold a valid index (%v)", err)
	}
	if got := ix.Info().CorpusHash; got != hdr.CorpusHash {
		return nil, hdr, fileErr(path, FileCorrupt, nil, "holds passages that do not match its corpus hash")
	}
	ix.SetBuiltAt(hdr.BuiltAt)
	ix.sources = hdr.Sources
	if c := hdr.Calibration; c != nil {
		if !c.valid() {
			return nil, hdr, fileErr(path, FileCorrupt, nil, "holds a calibration out of range")
		}
		ix.calibration, ix.info.Calibration = c, c
	}
	return ix, hdr, nil
}

// sameEmbedder reports whether vectors made by the embedder described in
// a file can serve one configured as cfg. A configured embedder that does
// not know its dimensions yet (a model server's, before its first call)
// matches on name and model.
func sameEmbedder(file, cfg EmbedderSpec) bool {
	return file == cfg || cfg.Dims == 0 && file.Name == cfg.Name && file.Model == cfg.Model
}

// withDims returns emb reporting dims for as long as it does not know its
// own dimensions, so that vectors stored with those dimensions can be
// assembled before the embedder has been called.
func withDims(emb Embedder, dims int) Embedder {
	if emb.Spec().Dims != 0 {
		return emb
	}
	return dimsKnown{emb, dims}
}

type dimsKnown struct {
	Embedder
	dims int
}

func (d dimsKnown) Spec() EmbedderSpec {
	s := d.Embedder.Spec()
	if s.Dims == 0 {
		s.Dims = d.dims
	}
	return s
}
