package figuresexporter

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"testing"
	"time"

	"github.com/figures-exporter/figures_exporter/exporter/figures"
	"github.com/figures-exporter/figures_exporter/internal/coverage"
	"github.com/figures-exporter/figures_exporter/internal/testtools"
)

// TestDefaultSeeds: the default binary carries exactly the articles its
// dataset cites, each the bytes its source's sha256 names, so that the
// seeds check of the embedded pair is clean; and the copies under seeds/
// are the articles beside the repository, byte for byte, where those are.
func TestDefaultSeeds(t *testing.T) {
	ds, diags := figures.Parse([]figures.RawFile{{Name: DefaultFiguresName, Data: DefaultFigures}}, time.Now())
	if ds == nil {
		t.Fatalf("the embedded dataset does not parse:\n%v", diags)
	}
	cited := map[string]bool{}
	for _, src := range ds.Sources {
		cited[src.Seed] = true
		data, err := fs.ReadFile(DefaultSeeds, src.Seed)
		if err != nil {
			t.Errorf("source %s: seed %s is not embedded: %v", src.ID, src.Seed, err)
			continue
		}
		sum := sha256.Sum256(data)
		if got := hex.EncodeToString(sum[:]); src.SHA256 == "" || got != src.SHA256 {
			t.Errorf("source %s: embedded seed %s has sha256 %s, figures.yaml records %q", src.ID, src.Seed, got, src.SHA256)
		}
	}
	if len(cited) == 0 {
		t.Fatal("the embedded dataset cites no seed")
	}
	// The whole seeds check (files, sums, every quote verbatim) finds
	// nothing to say about the embedded pair.
	for _, d := range coverage.CheckSeeds(ds, DefaultSeeds) {
		t.Errorf("seeds check of the embedded dataset: %v", d)
	}
	embedded, err := fs.Glob(DefaultSeeds, "*")
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(embedded)
	for _, name := range embedded {
		if !cited[name] {
			t.Errorf("seed %s is embedded but no source of figures.yaml cites it", name)
		}
	}

	shared := filepath.Join(testtools.RepoRoot(t), "..", "shared", "seeds")
	if _, err := os.Stat(shared); err != nil {
		t.Logf("no seeds beside the repository (%v): the copies are checked against the sums only", err)
		return
	}
	for _, name := range embedded {
		orig, err := os.ReadFile(filepath.Join(shared, name))
		if err != nil {
			t.Errorf("seed %s is not beside the repository: %v", name, err)
			continue
		}
		if data, _ := fs.ReadFile(DefaultSeeds, name); !bytes.Equal(data, orig) {
			t.Errorf("seeds/%s differs from the original beside the repository", name)
		}
	}
}
