package collector

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/prometheus/common/expfmt"

	"github.com/figures-exporter/figures_exporter/exporter/figures"
)

var update = flag.Bool("update", false, "rewrite the golden exposition files from the current output")

// TestGoldenExposition renders the figure series of a dataset in the text
// exposition format and compares them with a golden file, byte for byte, in
// the manner of node_exporter's textfile collector tests. The curated
// figures.yaml is one of the inputs: a curation change shows up here as a
// reviewable diff of what users will scrape. The families are encoded by
// expfmt, and the cached encoding scrapes are served from must be the same
// bytes.
func TestGoldenExposition(t *testing.T) {
	root := filepath.Join("..", "..")
	for _, tc := range []struct {
		name, input, golden string
	}{
		{"minimal", "testdata/good/minimal.yaml", "testdata/golden/minimal.prom"},
		{"curated dataset", "figures.yaml", "testdata/golden/figures.prom"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			raw, diags := figures.ReadFiles([]string{filepath.Join(root, tc.input)}, 0)
			if diags.HasErrors() {
				t.Fatal(diags)
			}
			ds, diags := figures.Parse(raw, time.Now())
			if ds == nil {
				t.Fatal(diags)
			}
			snap := Build(ds, diags, time.Unix(0, 0), nil)
			var buf bytes.Buffer
			enc := expfmt.NewEncoder(&buf, expfmt.NewFormat(expfmt.TypeTextPlain))
			for _, mf := range snap.Families() {
				if err := enc.Encode(mf); err != nil {
					t.Fatal(err)
				}
			}
			text := expfmt.NewFormat(expfmt.TypeTextPlain)
			if _, cached := encoding(t, snap, text); !bytes.Equal(cached, buf.Bytes()) {
				t.Errorf("the cached text encoding differs from expfmt's:\n%s", firstDifference(cached, buf.Bytes()))
			}
			golden := filepath.Join(root, tc.golden)
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
		})
	}
}

// TestEveryFigureIsServed checks that each curated figure yields exactly one
// value series, one info series and one revision timestamp.
func TestEveryFigureIsServed(t *testing.T) {
	ds, diags := figures.Load([]string{filepath.Join("..", "..", "figures.yaml")}, 0, time.Now())
	if ds == nil {
		t.Fatal(diags)
	}
	snap := Build(ds, diags, time.Now(), nil)
	count := map[string]map[string]int{} // family -> figure_id -> series
	for _, mf := range snap.Families() {
		for _, m := range mf.Metric {
			for _, l := range m.Label {
				if l.GetName() == LabelFigureID {
					if count[mf.GetName()] == nil {
						count[mf.GetName()] = map[string]int{}
					}
					count[mf.GetName()][l.GetValue()]++
				}
			}
		}
	}
	for _, fig := range ds.Figures {
		for _, family := range []string{fig.Family, FigureInfo, FigureRevisedTimestamp} {
			if n := count[family][fig.ID]; n != 1 {
				t.Errorf("figure %s: %d series in %s, want 1", fig.ID, n, family)
			}
		}
	}
	if len(ds.Figures) < 20 {
		t.Errorf("only %d curated figures", len(ds.Figures))
	}
}
