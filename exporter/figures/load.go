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
	"runtime"
	"strings"
	"sync"
	"time"

	"go.yaml.in/yaml/v3"
)

// DefaultMaxFileSize bounds how much of one file is read; a larger one is
// refused before it is parsed (see docs/reliability.md). 4 MiB holds some
// 16,000 figures (the curated dataset is 25 KiB), and the worst 4 MiB of
// YAML (millions of one-character nodes) parses in 0.5 GB and a few seconds.
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
	if maxSize <= 0 {
		maxSize = DefaultMaxFileSize
	}
	var files []RawFile
	var diags Diagnostics
	fail := func(name string, err error) {
		diags = append(diags, NewDiagnostic(Position{File: name, Line: 1, Column: 1}, Error, "%s", err))
	}
	seen := map[string]bool{}
	for _, p := range paths {
		names, err := expand(p)
		if err != nil {
			fail(p, err)
			continue
		}
		for _, name := range names {
			if abs, _ := filepath.Abs(name); !seen[abs] {
				seen[abs] = true
				if data, err := readCapped(name, maxSize); err != nil {
					fail(name, err)
				} else {
					files = append(files, RawFile{Name: name, Data: data})
				}
			}
		}
	}
	return files, diags
}

func expand(p string) ([]string, error) {
	info, err := os.Stat(p)
	if err != nil {
		return nil, DescribeFSError(err)
	}
	if !info.IsDir() {
		return []string{p}, nil
	}
	entries, err := os.ReadDir(p)
	if err != nil {
		return nil, DescribeFSError(err)
	}
	var names []string // in name order, as os.ReadDir sorts them
	for _, e := range entries {
		if n := e.Name(); !strings.HasPrefix(n, ".") && (strings.HasSuffix(n, ".yaml") || strings.HasSuffix(n, ".yml")) {
			names = append(names, filepath.Join(p, n))
		}
	}
	if len(names) == 0 {
		return nil, errors.New("directory holds no *.yaml or *.yml files")
	}
	return names, nil
}

// readCapped reads a file of at most maxSize bytes. It is checked before it
// is opened: opening a FIFO would wait for a writer.
func readCapped(name string, maxSize int64) ([]byte, error) {
	info, err := os.Stat(name)
	switch {
	case err != nil:
		return nil, DescribeFSError(err)
	case info.IsDir():
		return nil, errors.New("is a directory, not a figures file")
	case !info.Mode().IsRegular():
		return nil, fmt.Errorf("is not a regular file (%s)", info.Mode().Type())
	case info.Size() > maxSize:
		return nil, fmt.Errorf("file is %d bytes, larger than the limit of %d bytes (--figures.max-file-size)", info.Size(), maxSize)
	}
	f, err := os.Open(name)
	if err != nil {
		return nil, DescribeFSError(err)
	}
	defer f.Close()
	// The file may grow between Stat and Read: never read past the cap.
	data, err := io.ReadAll(io.LimitReader(f, maxSize+1))
	if err != nil {
		return nil, DescribeFSError(err)
	}
	if int64(len(data)) > maxSize {
		return nil, fmt.Errorf("file is larger than the limit of %d bytes (--figures.max-file-size)", maxSize)
	}
	return data, nil
}

// DescribeFSError words a file system error without the path it names,
// which the diagnostic's position or message already gives.
func DescribeFSError(err error) error {
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
func Parse(files []RawFile, now time.Time) (*Dataset, Diagnostics) {
	ds, diags, _ := NewParser().Parse(files, now)
	return ds, diags
}

// Load reads and parses paths; see ReadFiles and Parse.
func Load(paths []string, maxSize int64, now time.Time) (*Dataset, Diagnostics) {
	files, diags := ReadFiles(paths, maxSize)
	if diags.HasErrors() {
		return nil, diags
	}
	return Parse(files, now)
}

// Parser parses datasets like Parse and keeps each file it decoded under the
// hash of its name and bytes, so that a reload decodes only the files that
// changed (an edit touches one report's file). Checks across files run on
// every parse. A Parser is safe for concurrent use; the files it keeps are
// never modified once decoded, so datasets may share them.
type Parser struct {
	mu    sync.Mutex
	files map[[sha256.Size]byte]decodedFile // those of the last parse
}

type decodedFile struct {
	file  *File // nil when the file did not decode
	diags Diagnostics
}

// NewParser returns a Parser that has seen no file yet.
func NewParser() *Parser { return &Parser{} }

// Parse decodes and validates files as one dataset, like the package's Parse,
// and also returns how many of the files it took from the previous parse
// instead of decoding them again.
func (p *Parser) Parse(files []RawFile, now time.Time) (*Dataset, Diagnostics, int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	keys := make([][sha256.Size]byte, len(files))
	decoded := make([]decodedFile, len(files))
	kept := make(map[[sha256.Size]byte]decodedFile, len(files))
	reused := 0
	var wg sync.WaitGroup
	// Files decode on all cores; the first load of a large dataset is
	// parsed in a fraction of the time one core would take.
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	for i, rf := range files {
		h := sha256.New()
		fmt.Fprintf(h, "%d\x00%s", len(rf.Name), rf.Name)
		h.Write(rf.Data)
		h.Sum(keys[i][:0])
		if df, ok := p.files[keys[i]]; ok {
			decoded[i] = df
			reused++
			continue
		}
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			decoded[i] = parseFile(rf.Name, bytes.TrimPrefix(rf.Data, bom))
		})
	}
	wg.Wait()
	var diags Diagnostics
	var parsed []*File
	for i, df := range decoded {
		kept[keys[i]] = df
		diags = append(diags, df.diags...)
		if df.file != nil {
			parsed = append(parsed, df.file)
		}
	}
	p.files = kept
	if len(files) == 0 {
		diags = append(diags, NewDiagnostic(Position{File: "-", Line: 1, Column: 1}, Error, "no figures files given"))
	}
	v := validate(parsed, now)
	diags = append(diags, v.diags.list()...)
	diags.Sort()
	if diags.HasErrors() {
		return nil, diags, reused
	}
	return newDataset(files, v), diags, reused
}

// bom is the UTF-8 byte order mark: harmless, and editors on Windows add it.
var bom = []byte("\xef\xbb\xbf")

// parseFile decodes a whole file (without its BOM) with yaml.v3.
func parseFile(name string, data []byte) decodedFile {
	c := &problems{file: name}
	fail := func(d Diagnostic) decodedFile { return decodedFile{diags: Diagnostics{d}} }
	empty := NewDiagnostic(c.at(1, 1), Error, "file is empty")
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc, extra yaml.Node
	if err := dec.Decode(&doc); errors.Is(err, io.EOF) || len(bytes.TrimSpace(data)) == 0 {
		return fail(empty)
	} else if err != nil {
		return fail(syntaxError(c, data, err))
	}
	if err := dec.Decode(&extra); err == nil {
		return fail(NewDiagnostic(c.at(extra.Line, extra.Column), Error, "file holds more than one YAML document; put all figures in one document"))
	} else if !errors.Is(err, io.EOF) {
		return fail(syntaxError(c, data, err))
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) == 0 {
		return fail(empty)
	}
	return decodedFile{decodeFile(c, doc.Content[0]), c.list()}
}
