package collector

import (
	"bytes"
	"sort"
	"testing"
	"time"

	"github.com/prometheus/common/expfmt"

	"github.com/figures-exporter/figures_exporter/exporter/figures"
)

// TestRebuildReusesRuns: a snapshot built with the previous one reuses the
// compressed runs whose content did not change and encodes the others, in
// every format the previous snapshot was asked for. Whatever changed, its
// bytes are those of a snapshot built from nothing (compressed bytes
// included) and those promhttp sends; and only the runs around the change
// are encoded again.
func TestRebuildReusesRuns(t *testing.T) {
	withRuns(t, 4, 32) // several runs per family at 120 figures
	// One format of each kind (the escapings are TestExpositionRuns').
	formats := []expfmt.Format{PrometheusFormat(), expfmt.FmtOpenMetrics_0_0_1, expfmt.FmtText + "; escaping=underscores", expfmt.FmtProtoDelim}
	base, _ := synthetic(t, 120, 0)
	citing := figuresCiting(base, base.Figures[42].Source)
	for _, tc := range []struct {
		name   string
		change func(ds *figures.Dataset)
		// at most this many runs encoded again, in formats that split
		// families and in those that do not (a run per family)
		split, whole int
	}{
		// The same dataset parsed again: every run is reused.
		{"unchanged", func(ds *figures.Dataset) {}, 0, 0},
		// Below, the dataset's revision changes too, as it does with any
		// change of the files: figures_exporter_dataset_info and _hash.
		{"one value", func(ds *figures.Dataset) { ds.Figures[60].Value *= 3 }, 1 + 2, 1 + 2},
		{"family help", func(ds *figures.Dataset) { ds.Families[7].Help += " Revised." }, 1 + 2, 1 + 2},
		// A figure's series are in its family, info, revised and (dated)
		// published: the run each falls in, or two where it cuts one; and
		// the figure count.
		{"inserted figure", func(ds *figures.Dataset) {
			fig := *ds.Figures[90]
			fig.ID += "-copy"
			ds.Figures = append(ds.Figures, &fig)
		}, 4*2 + 3, 4 + 3},
		{"removed figure", func(ds *figures.Dataset) {
			ds.Figures = append(ds.Figures[:90:90], ds.Figures[91:]...)
		}, 4*2 + 3, 4 + 3},
		// A source's title is in the info series of each of its figures.
		{"source title", func(ds *figures.Dataset) {
			ds.Source(ds.Figures[42]).Title += " (updated)"
		}, citing + 2, 1 + 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			old, oldDiags := synthetic(t, 120, 0)
			prev := Build(old, oldDiags, time.Unix(0, 0), nil)
			for _, format := range formats {
				encoding(t, prev, format) // asked for by scrapes
			}
			ds, diags := synthetic(t, 120, 0)
			tc.change(ds)
			if tc.name != "unchanged" {
				ds.Revision = "0123456789abcdef" + ds.Revision[16:]
			}
			sortFigures(ds)
			cold := Build(ds, diags, time.Unix(0, 0), nil)
			rebuilt := Build(ds, diags, time.Unix(0, 0), prev)
			sameAsCold(t, rebuilt, cold, formats) // layout_test.go
			for _, format := range formats {
				enc, _ := encoding(t, rebuilt, format)
				coldEnc, _ := encoding(t, cold, format)
				total, reused := enc.Runs()
				limit := tc.whole
				if splitsFamilies(format) {
					limit = tc.split
				}
				if encoded := total - reused; encoded > limit || (limit > 0 && encoded == 0) {
					t.Errorf("%s: %d of %d runs encoded again, want 1 to %d", format, encoded, total, limit)
				}
				if _, coldReused := coldEnc.Runs(); coldReused != 0 {
					t.Errorf("%s: a build without a previous snapshot reused %d runs", format, coldReused)
				}
			}
		})
	}
}

func figuresCiting(ds *figures.Dataset, source string) int {
	n := 0
	for _, fig := range ds.Figures {
		if fig.Source == source {
			n++
		}
	}
	return n
}

// sortFigures restores the order a Dataset keeps its figures in.
func sortFigures(ds *figures.Dataset) {
	sort.SliceStable(ds.Figures, func(i, j int) bool {
		a, b := ds.Figures[i], ds.Figures[j]
		if a.Family != b.Family {
			return a.Family < b.Family
		}
		return a.ID < b.ID
	})
}

// TestRebuildKeepsServedFormats: Build encodes the Prometheus 3 format and
// every format the previous snapshot served, not the others; a run is only
// reused in its own format (its key does not hold the format).
func TestRebuildKeepsServedFormats(t *testing.T) {
	ds, diags := synthetic(t, 100, 0)
	prev := Build(ds, diags, time.Unix(0, 0), nil)
	text := expfmt.NewFormat(expfmt.TypeTextPlain)
	encoding(t, prev, text)
	rebuilt := Build(ds, diags, time.Unix(0, 0), prev)
	for _, tc := range []struct {
		format   expfmt.Format
		prepared bool
	}{{PrometheusFormat(), true}, {text, true}, {expfmt.FmtProtoDelim, false}, {expfmt.FmtOpenMetrics_0_0_1, false}} {
		t.Run(string(tc.format), func(t *testing.T) {
			if prepared := rebuilt.exposition.byFormat[tc.format] != nil; prepared != tc.prepared {
				t.Fatalf("prepared by Build: %v, want %v", prepared, tc.prepared)
			}
			enc, got := encoding(t, rebuilt, tc.format)
			total, reused := enc.Runs()
			if tc.prepared && reused != total {
				t.Errorf("%d of %d runs reused, want all", reused, total)
			} else if !tc.prepared && reused != 0 {
				t.Errorf("%d runs reused in a format first asked for now", reused)
			}
			if want, _ := reference(t, rebuilt, tc.format); !bytes.Equal(got, want) {
				t.Errorf("differs from promhttp's:\n%s", firstDifference(got, want))
			}
		})
	}
}
