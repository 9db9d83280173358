package figures

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// DefaultMaxFileSize bounds how much of one file is read. The curated
// dataset is about 25 KiB; 4 MiB holds some 16,000 figures, and parsing the
// worst 4 MiB of YAML there is (millions of one-character nodes) takes about
// 0.5 GB and a few seconds, which is what the cap is for: anything larger is
// a mistake (or an attack) and is refused before it is parsed. See
// docs/reliability.md for the measurements.
const DefaultMaxFileSize = 4 << 20

// RawFile is one figures file as read from disk (or embedded).
type RawFile struct {
	Name string // as shown in messages: the path the user gave, or the embedded name
	Data []byte
}

// Revision identifies the content of a set of files: a SHA-256 over their
// bytes in order, so that an unchanged dataset is recognised before parsing
// and the same content has the same revision wherever it is loaded from.
func Revision(files []RawFile) string {
	h := sha256.New()
	for _, f := range files {
		fmt.Fprintf(h, "%d\x00", len(f.Data))
		h.Write(f.Data)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// ReadFiles reads the figures files named by paths. A path may be a file or a
// directory, whose *.yaml and *.yml files (not hidden ones, so that the
// ..data links of a Kubernetes ConfigMap are skipped) are read in name order.
func ReadFiles(paths []string, maxSize int64) ([]RawFile, Diagnostics) {
	return new(Reader).Read(paths, maxSize)
}

// Reader reads figures files like ReadFiles, into buffers it keeps for its
// next read of the same file: a reload of a 57 MB file then allocates no
// 57 MB buffer, whose collection would slow the scrapes served meanwhile.
// The data returned by Read is only valid until the next Read; nothing
// decoded from it refers to it (yaml.v3 copies every scalar). A Reader is
// not safe for concurrent use.
type Reader struct {
	bufs map[string][]byte
}

// Release drops the buffers kept for the next read, for the collector to
// take back; the next read allocates them again.
func (r *Reader) Release() { r.bufs = nil }

// Kept is how many buffers the reader keeps for its next read.
func (r *Reader) Kept() int { return len(r.bufs) }

// Read reads the figures files named by paths; see ReadFiles.
func (r *Reader) Read(paths []string, maxSize int64) ([]RawFile, Diagnostics) {
	if maxSize <= 0 {
		maxSize = DefaultMaxFileSize
	}
	var files []RawFile
	var diags Diagnostics
	fail := func(name, format string, args ...any) {
		diags = append(diags, Diagnostic{Pos: Position{File: name, Line: 1, Column: 1}, Severity: Error, Message: fmt.Sprintf(format, args...)})
	}
	seen := map[string]bool{}
	bufs := map[string][]byte{} // this read's, so that files gone are forgotten
	for _, p := range paths {
		names, err := expand(p)
		if err != nil {
			fail(p, "%s", err)
			continue
		}
		for _, name := range names {
			abs, _ := filepath.Abs(name)
			if seen[abs] {
				continue
			}
			seen[abs] = true
			data, err := readCapped(name, maxSize, r.bufs[name])
			if err != nil {
				fail(name, "%s", err)
				continue
			}
			files = append(files, RawFile{Name: name, Data: data})
			bufs[name] = data
		}
	}
	r.bufs = bufs
	return files, diags
}

func expand(p string) ([]string, error) {
	info, err := os.Stat(p)
	if err != nil {
		return nil, describeFSError(err)
	}
	if !info.IsDir() {
		return []string{p}, nil
	}
	entries, err := os.ReadDir(p)
	if err != nil {
		return nil, describeFSError(err)
	}
	var names []string
	for _, e := range entries {
		n := e.Name()
		if strings.HasPrefix(n, ".") || !(strings.HasSuffix(n, ".yaml") || strings.HasSuffix(n, ".yml")) {
			continue
		}
		names = append(names, filepath.Join(p, n))
	}
	if len(names) == 0 {
		return nil, errors.New("directory holds no *.yaml or *.yml files")
	}
	sort.Strings(names)
	return names, nil
}

// readCapped reads a file of at most maxSize bytes, into buf if it is large
// enough.
func readCapped(name string, maxSize int64, buf []byte) ([]byte, error) {
	info, err := os.Stat(name)
	if err != nil {
		return nil, describeFSError(err)
	}
	if info.IsDir() {
		return nil, errors.New("is a directory, not a figures file")
	}
	if !info.Mode().IsRegular() {
		return nil, fmt.Errorf("is not a regular file (%s)", info.Mode().Type())
	}
	if info.Size() > maxSize {
		return nil, fmt.Errorf("file is %d bytes, larger than the limit of %d bytes (--figures.max-file-size)", info.Size(), maxSize)
	}
	f, err := os.Open(name)
	if err != nil {
		return nil, describeFSError(err)
	}
	defer f.Close()
	// The file may grow between Stat and Read: never read past the cap.
	// The buffer is sized from Stat, so that a large file is read in place
	// rather than through a series of doubling copies.
	if size := min(info.Size(), maxSize) + bytes.MinRead; int64(cap(buf)) < size {
		buf = make([]byte, 0, size)
	}
	b := bytes.NewBuffer(buf[:0])
	_, err = b.ReadFrom(io.LimitReader(f, maxSize+1))
	data := b.Bytes()
	if err != nil {
		return nil, describeFSError(err)
	}
	if int64(len(data)) > maxSize {
		return nil, fmt.Errorf("file is larger than the limit of %d bytes (--figures.max-file-size)", maxSize)
	}
	return data, nil
}

func describeFSError(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return errors.New("no such file or directory")
	case errors.Is(err, fs.ErrPermission):
		return errors.New("permission denied")
	}
	return err
}

// Parse decodes and validates files as one dataset. It returns the dataset
// and its warnings, or nil and every problem found when any is an error.
//
// Files of the usual layout are decoded item by item, in batches on all
// cores, so that the parse of a large file never holds its whole node tree;
// a Parser also skips the items it has seen before.
func Parse(files []RawFile, now time.Time) (*Dataset, Diagnostics) {
	return parse(files, "", now, newParseRun())
}

// parse parses files whose Revision is revision ("" when not computed yet).
func parse(files []RawFile, revision string, now time.Time, run *parseRun) (*Dataset, Diagnostics) {
	var diags Diagnostics
	var decoded []*File
	for _, rf := range files {
		data := bytes.TrimPrefix(rf.Data, bom)
		if !run.whole {
			if f, ok := run.decodeItems(rf.Name, data); ok {
				decoded = append(decoded, f)
				continue
			}
		}
		run.stats.Whole++
		f, ds := parseFile(data)
		diags = append(diags, ds.withFile(rf.Name)...)
		if f != nil {
			decoded = append(decoded, f)
			stampFile(f, rf.Name)
		}
	}
	if len(files) == 0 {
		diags = append(diags, Diagnostic{Pos: Position{File: "-", Line: 1, Column: 1}, Severity: Error, Message: "no figures files given"})
	}
	diags = append(diags, validate(decoded, now)...)
	diags.Sort()
	if diags.HasErrors() {
		return nil, diags
	}
	if revision == "" {
		revision = Revision(files)
	}
	return newDataset(files, revision, decoded), diags
}

// Load reads and parses paths; see ReadFiles and Parse.
func Load(paths []string, maxSize int64, now time.Time) (*Dataset, Diagnostics) {
	files, diags := ReadFiles(paths, maxSize)
	if diags.HasErrors() {
		return nil, diags
	}
	return Parse(files, now)
}

var lineRE = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// bom is the UTF-8 byte order mark: harmless, and editors on Windows add it.
var bom = []byte("\xef\xbb\xbf")

// parseFile decodes a whole file (without its BOM) with yaml.v3.
func parseFile(data []byte) (*File, Diagnostics) {
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, Diagnostics{{Pos: Position{Line: 1, Column: 1}, Severity: Error, Message: "file is empty"}}
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); errors.Is(err, io.EOF) {
		return nil, Diagnostics{{Pos: Position{Line: 1, Column: 1}, Severity: Error, Message: "file is empty"}}
	} else if err != nil {
		return nil, Diagnostics{syntaxError(data, err)}
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); err == nil {
		return nil, Diagnostics{{Pos: Position{Line: extra.Line, Column: extra.Column}, Severity: Error, Message: "file holds more than one YAML document; put all figures in one document"}}
	} else if !errors.Is(err, io.EOF) {
		return nil, Diagnostics{syntaxError(data, err)}
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) == 0 {
		return nil, Diagnostics{{Pos: Position{Line: 1, Column: 1}, Severity: Error, Message: "file is empty"}}
	}
	var f File
	if err := doc.Content[0].Decode(&f); err != nil {
		var ds Diagnostics
		if !errors.As(err, &ds) {
			ds = Diagnostics{syntaxError(data, err)}
		}
		return &f, ds
	}
	return &f, nil
}

// syntaxError turns a yaml.v3 error into a diagnostic. yaml.v3 reports the
// line of a syntax error but not its column; we point at the first character
// of that line that is not blank, where the offending token usually starts.
func syntaxError(data []byte, err error) Diagnostic {
	msg := err.Error()
	line, col := 1, 1
	if m := lineRE.FindStringSubmatch(msg); m != nil {
		line, _ = strconv.Atoi(m[1])
		msg = m[2]
		col = firstColumn(data, line)
	} else {
		msg = strings.TrimPrefix(msg, "yaml: ")
		if off := offendingByte(data, msg); off >= 0 {
			line, col = lineColumn(data, off)
		}
	}
	return Diagnostic{Pos: Position{Line: line, Column: col}, Severity: Error, Message: message("invalid YAML: %s", msg)}
}

var anchorRE = regexp.MustCompile(`^unknown anchor '(.*)' referenced$`)

// offendingByte finds, for the yaml.v3 errors that carry no line (those of
// its reader, and unknown anchors), the offset of the byte they are about,
// or -1.
func offendingByte(data []byte, msg string) int {
	switch {
	case strings.Contains(msg, "UTF-8"):
		for i := 0; i < len(data); {
			r, size := utf8.DecodeRune(data[i:])
			if r == utf8.RuneError && size == 1 {
				return i
			}
			i += size
		}
	case strings.Contains(msg, "control characters are not allowed"):
		for i, r := range string(data) {
			if !allowedRune(r) {
				return i
			}
		}
	default:
		if m := anchorRE.FindStringSubmatch(msg); m != nil {
			return bytes.Index(data, []byte("*"+m[1]))
		}
	}
	return -1
}

// allowedRune reports whether YAML allows r in a file: tab, line feed,
// carriage return, NEL and printable characters (see yaml_parser_update_buffer
// in yaml.v3's reader).
func allowedRune(r rune) bool {
	return r == '\t' || r == '\n' || r == '\r' || r == 0x85 || !(r < 0x20 || (r >= 0x7f && r < 0xa0) || r == 0xfffe || r == 0xffff)
}

// lineColumn turns a byte offset into a 1-based line and column (in
// characters, as yaml.v3 counts them).
func lineColumn(data []byte, off int) (int, int) {
	line := 1 + bytes.Count(data[:off], []byte("\n"))
	start := bytes.LastIndexByte(data[:off], '\n') + 1
	return line, 1 + utf8.RuneCount(data[start:off])
}

func firstColumn(data []byte, line int) int {
	lines := bytes.Split(data, []byte("\n"))
	if line < 1 || line > len(lines) {
		return 1
	}
	l := lines[line-1]
	return len(l) - len(bytes.TrimLeft(l, " ")) + 1
}

// stampFile records the file name on every object decoded from it.
func stampFile(f *File, name string) {
	for _, fam := range f.Families {
		stamp(fam, name)
	}
	for _, s := range f.Sources {
		stamp(s, name)
	}
	for _, fig := range f.Figures {
		stamp(fig, name)
	}
}
