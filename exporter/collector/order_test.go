package collector

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/figures-exporter/figures_exporter/exporter/figures"
)

// TestSeriesOrder: every family's series come in compareSeries' order,
// whether the info family takes the counting sort (figures in the
// Dataset's order) or the comparison sort (figures in any other order),
// and both give the same series.
func TestSeriesOrder(t *testing.T) {
	if !slices.IsSorted(infoLabelNames[:]) {
		t.Fatalf("infoLabelNames are not sorted: %v", infoLabelNames)
	}
	syn, synDiags := synthetic(t, 3000, 0)
	cur, curDiags := curated(t)
	for _, tc := range []struct {
		name     string
		ds       *figures.Dataset
		warnings int
	}{{"synthetic", syn, len(synDiags)}, {"curated", cur, len(curDiags)}} {
		t.Run(tc.name, func(t *testing.T) {
			shuffled := *tc.ds
			shuffled.Figures = slices.Clone(tc.ds.Figures)
			rand.New(rand.NewPCG(1, 2)).Shuffle(len(shuffled.Figures), func(i, j int) {
				shuffled.Figures[i], shuffled.Figures[j] = shuffled.Figures[j], shuffled.Figures[i]
			})
			sorted, unsorted := familiesOf(tc.ds, tc.warnings), familiesOf(&shuffled, tc.warnings)
			if len(sorted) != len(unsorted) {
				t.Fatalf("%d families, shuffled %d", len(sorted), len(unsorted))
			}
			for i, f := range sorted {
				if f.kind == kindInfo && (!f.orderedByFigures() || unsorted[i].orderedByFigures()) {
					t.Fatal("the info family does not take both ways of sorting")
				}
				got, other := f.series(tc.ds), unsorted[i].series(&shuffled)
				if !slices.IsSortedFunc(got, compareSeries) {
					t.Errorf("%s: series out of order", f.name)
				}
				if !slices.EqualFunc(got, other, func(a, b series) bool {
					return compareSeries(a, b) == 0 && a.value == b.value && a.id == b.id && slices.Equal(a.labels, b.labels)
				}) {
					t.Errorf("%s: the shuffled figures give other series", f.name)
				}
				for k := 1; k < len(got); k++ {
					if compareSeries(got[k-1], got[k]) == 0 {
						t.Errorf("%s: two series compare equal: %v", f.name, got[k].labels)
					}
				}
			}
		})
	}
}

// TestInfoLabels: the info labels leave out empty values and are sorted
// by name, as client_golang sorts a metric's labels.
func TestInfoLabels(t *testing.T) {
	ds, _ := curated(t)
	dates := newDateFormatter()
	for _, fig := range ds.Figures {
		labels := appendInfoLabels(nil, fig, ds, dates)
		if !slices.IsSortedFunc(labels, func(a, b labelPair) int { return strings.Compare(a.name, b.name) }) {
			t.Fatalf("%s: labels not sorted: %v", fig.ID, labels)
		}
		for _, l := range labels {
			if l.value == "" {
				t.Errorf("%s: empty label %s", fig.ID, l.name)
			}
		}
		if labels[0].name != "derived" || labels[2].value != fig.ID {
			t.Errorf("%s: the first labels are %v, infoOrder needs derived, family, figure_id", fig.ID, labels[:3])
		}
	}
}
