package figures_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/common/expfmt"

	figuresexporter "github.com/figures-exporter/figures_exporter"
	"github.com/figures-exporter/figures_exporter/exporter/collector"
	"github.com/figures-exporter/figures_exporter/exporter/figures"
)

// maxMessageLen bounds one diagnostic message: messages quote what they
// complain about, but never more than a short excerpt of it, so that neither
// the log nor a /-/reload answer echoes a file's contents back.
const maxMessageLen = 1024

// fuzzNow is fixed so that a crasher replays the same way on any day.
var fuzzNow = time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC)

// FuzzLoad feeds arbitrary bytes to the parser and validator as one figures
// file. Its seed corpus is every file of testdata/bad (the hostile and broken
// inputs), the curated dataset and the crashers found so far
// (testdata/fuzz/FuzzLoad), so it runs on every `go test`; a long run is
//
//	go test ./exporter/figures -run '^$' -fuzz FuzzLoad -fuzztime 10m
//
// It asserts what must hold for any input: no panic; every diagnostic names
// the file, a line and a column, and is one short line of valid UTF-8; a
// dataset comes back exactly when there is no error; and an accepted dataset
// turns into metric families that client_golang gathers without complaint
// (valid names, valid UTF-8 label values, no duplicate series) and that
// encode in the text format.
func FuzzLoad(f *testing.F) {
	seeds, err := filepath.Glob(filepath.Join("..", "..", "testdata", "bad", "*.yaml"))
	if err != nil {
		f.Fatal(err)
	}
	if len(seeds) < 50 {
		f.Fatalf("want the corpus of testdata/bad (at least 50 files), found %d", len(seeds))
	}
	for _, path := range seeds {
		data, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add(figuresexporter.DefaultFigures)
	f.Add([]byte("figures: []\n"))
	f.Add([]byte("a: &a [*a]\n"))

	f.Fuzz(func(t *testing.T, data []byte) {
		const name = "fuzz.yaml"
		ds, diags := figures.Parse([]figures.RawFile{{Name: name, Data: data}}, fuzzNow)
		if (ds == nil) != diags.HasErrors() {
			t.Fatalf("dataset returned = %v, but errors = %v:\n%v", ds != nil, diags.HasErrors(), diags)
		}
		for _, d := range diags {
			checkDiagnostic(t, name, d)
		}
		if ds == nil {
			return
		}
		checkGathers(t, ds, diags)
	})
}

func checkDiagnostic(t *testing.T, name string, d figures.Diagnostic) {
	t.Helper()
	if d.Pos.File != name || d.Pos.Line < 1 || d.Pos.Column < 1 {
		t.Errorf("diagnostic without a proper position: %q", d)
	}
	switch {
	case d.Message == "":
		t.Errorf("empty message: %q", d)
	case len(d.Message) > maxMessageLen:
		t.Errorf("message is %d bytes long, more than %d: %.200q…", len(d.Message), maxMessageLen, d.Message)
	case !utf8.ValidString(d.Message):
		t.Errorf("message is not valid UTF-8: %q", d.Message)
	case strings.IndexFunc(d.Message, unicode.IsControl) >= 0:
		t.Errorf("message holds a control character (a diagnostic is one line): %q", d.Message)
	}
}

// checkGathers turns an accepted dataset into its metric families as a
// scrape does, and fails unless client_golang gathers them without complaint
// and they encode in the text format.
func checkGathers(t *testing.T, ds *figures.Dataset, diags figures.Diagnostics) {
	t.Helper()
	reg := prometheus.NewPedanticRegistry()
	if err := reg.Register(collector.New(ds, len(diags.Warnings()))); err != nil {
		t.Fatalf("an accepted dataset does not register: %v", err)
	}
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatalf("an accepted dataset does not gather: %v", err)
	}
	var b strings.Builder
	enc := expfmt.NewEncoder(&b, expfmt.NewFormat(expfmt.TypeTextPlain))
	for _, mf := range mfs {
		if err := enc.Encode(mf); err != nil {
			t.Fatalf("an accepted dataset does not encode: %v", err)
		}
	}
}
