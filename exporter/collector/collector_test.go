package collector

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
	"github.com/prometheus/common/expfmt"

	"github.com/figures-exporter/figures_exporter/exporter/figures"
	"github.com/figures-exporter/figures_exporter/internal/testtools"
)

var update = flag.Bool("update", false, "rewrite the golden exposition files from the current output")

// load parses figures files of the repository.
func load(t *testing.T, paths ...string) (*figures.Dataset, figures.Diagnostics) {
	t.Helper()
	root := testtools.RepoRoot(t)
	for i, p := range paths {
		paths[i] = filepath.Join(root, p)
	}
	ds, diags := figures.Load(paths, 0, time.Now())
	if ds == nil {
		t.Fatal(diags)
	}
	return ds, diags
}

// TestGoldenExposition gathers the collector through a pedantic registry
// (which checks every metric against its descriptor and the families for
// duplicate series), renders the text format and compares it with a golden
// file byte for byte, in the manner of node_exporter's textfile collector
// tests. The curated figures.yaml is one of the inputs: a curation change
// shows up here as a reviewable diff of what users will scrape.
func TestGoldenExposition(t *testing.T) {
	for _, tc := range []struct {
		name, input, golden string
	}{
		{"minimal", "testdata/good/minimal.yaml", "testdata/golden/minimal.prom"},
		{"curated dataset", "figures.yaml", "testdata/golden/figures.prom"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ds, diags := load(t, tc.input)
			reg := prometheus.NewPedanticRegistry()
			reg.MustRegister(New(ds, len(diags)))
			mfs, err := reg.Gather()
			if err != nil {
				t.Fatal(err)
			}
			var buf bytes.Buffer
			enc := expfmt.NewEncoder(&buf, expfmt.NewFormat(expfmt.TypeTextPlain))
			for _, mf := range mfs {
				if err := enc.Encode(mf); err != nil {
					t.Fatal(err)
				}
			}
			golden := filepath.Join(testtools.RepoRoot(t), tc.golden)
			if *update {
				if err := os.WriteFile(golden, buf.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run with -update to create it, then review it)", err)
			}
			if !bytes.Equal(buf.Bytes(), want) {
				t.Errorf("exposition differs from %s; run with -update and review the diff\n--- got\n%s", tc.golden, buf.String())
			}
			// The same through client_golang's own comparison, which
			// parses the golden text.
			if err := testutil.GatherAndCompare(reg, bytes.NewReader(want)); err != nil {
				t.Error(err)
			}
		})
	}
}
