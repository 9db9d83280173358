package collector

import (
	"bytes"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"

	figuresexporter "github.com/figures-exporter/figures_exporter"
	"github.com/figures-exporter/figures_exporter/bench/synth"
	"github.com/figures-exporter/figures_exporter/exporter/figures"
)

// parseTime is "now" for parsing the test datasets (their dates must not
// be in the future).
var parseTime = time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC)

// testFormats are the formats a client can negotiate (expfmt's
// OpenMetrics-enabled offers, with the escapings that change bytes).
var testFormats = []expfmt.Format{
	PrometheusFormat(),
	expfmt.NewFormat(expfmt.TypeOpenMetrics),
	expfmt.FmtOpenMetrics_0_0_1,
	expfmt.NewFormat(expfmt.TypeTextPlain),
	expfmt.FmtText + "; escaping=underscores",
	expfmt.FmtProtoDelim,
	expfmt.FmtProtoText,
	expfmt.FmtProtoCompact,
}

// synthetic parses the synthetic dataset of n figures (bench/synth).
func synthetic(t testing.TB, n, variant int) (*figures.Dataset, figures.Diagnostics) {
	t.Helper()
	var data bytes.Buffer
	if err := synth.Generate(&data, n, variant); err != nil {
		t.Fatal(err)
	}
	ds, diags := figures.Parse([]figures.RawFile{{Name: "synthetic.yaml", Data: data.Bytes()}}, parseTime)
	if ds == nil {
		t.Fatal(diags)
	}
	return ds, diags
}

// curated parses the dataset embedded in the binary.
func curated(t testing.TB) (*figures.Dataset, figures.Diagnostics) {
	t.Helper()
	ds, diags := figures.Parse([]figures.RawFile{{Name: "figures.yaml", Data: figuresexporter.DefaultFigures}}, parseTime)
	if ds == nil {
		t.Fatal(diags)
	}
	return ds, diags
}

// withRuns sets the run lengths of every kind of family for one test.
func withRuns(t *testing.T, every uint64, longest int) {
	t.Helper()
	old := runLength
	for k := range runLength {
		runLength[k].every, runLength[k].longest = every, longest
	}
	t.Cleanup(func() { runLength = old })
}

// reference is what promhttp sends for the snapshot's families in format:
// the families as Gatherers normalise (and check) them, each encoded by
// expfmt. ends[i] is where family i ends.
func reference(t *testing.T, snap *Snapshot, format expfmt.Format) (body []byte, ends []int) {
	t.Helper()
	mfs, err := prometheus.Gatherers{prometheus.GathererFunc(func() ([]*dto.MetricFamily, error) {
		return snap.Families(), nil
	})}.Gather()
	if err != nil {
		t.Fatalf("promhttp's Gatherers reject the families: %v", err)
	}
	var buf bytes.Buffer
	e := expfmt.NewEncoder(&buf, format)
	ends = []int{0}
	for _, mf := range mfs {
		if err := e.Encode(mf); err != nil {
			t.Fatal(err)
		}
		ends = append(ends, buf.Len())
	}
	return buf.Bytes(), ends
}

// encoding returns the snapshot's encoding in format, whole and inflated.
func encoding(t *testing.T, snap *Snapshot, format expfmt.Format) (*Encoding, []byte) {
	t.Helper()
	enc, err := snap.Exposition().Encoding(format)
	if err != nil {
		t.Fatal(err)
	}
	return enc, enc.Raw(0, len(snap.Exposition().Names()))
}
