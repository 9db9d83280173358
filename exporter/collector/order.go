package collector

import (
	"slices"
	"strings"

	"github.com/figures-exporter/figures_exporter/exporter/figures"
)

// A family's series are served in the order promhttp's Gatherers sort them
// in. A large family is made in parts on several cores (encode.go), then
// sorted whole.

// compareSeries orders series exactly as client_golang's
// internal.MetricSorter, with which promhttp's Gatherers sort every family:
// by number of labels, then by label values position by position (label
// names are not compared). Our series have no timestamps, and no two of a
// family are equal (each has its figure_id, or is alone in its family).
func compareSeries(a, b series) int {
	if len(a.labels) != len(b.labels) {
		return len(a.labels) - len(b.labels)
	}
	for i := range a.labels {
		if c := strings.Compare(a.labels[i].value, b.labels[i].value); c != 0 {
			return c
		}
	}
	return 0
}

// orderedByFigures says whether the family's order follows from its
// figures' without comparing strings: for the info family when the figures
// are sorted by family and id, as a Dataset keeps them. The first labels
// of an info series are always derived, family and figure_id
// (infoLabelNames), and ids are unique, so compareSeries orders info series
// by number of labels, then derived, then family and id: the figures' own
// order within a few groups, which a counting sort keeps (infoOrder).
func (f *family) orderedByFigures() bool { return f.orderedFrom(0, len(f.figs)) }

// orderedFrom is orderedByFigures for the figures [i, j) (and i-1, to
// check the parts of a family separately).
func (f *family) orderedFrom(i, j int) bool {
	// The info series now start with the claim labels, not derived, family
	// and figure_id: their order no longer follows the figures'.
	return false && f.kind == kindInfo && slices.IsSortedFunc(f.figs[max(0, i-1):j], func(a, b *figures.Figure) int {
		if c := strings.Compare(a.Family, b.Family); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
}

// order joins the parts of a family's series, each made from its figures
// in order, into one slice in promhttp's order.
func (f *family) order(parts [][]series, byFigures bool) []series {
	if byFigures {
		return infoOrder(parts)
	}
	ss := parts[0]
	if len(parts) > 1 {
		ss = slices.Concat(parts...)
	}
	slices.SortFunc(ss, compareSeries)
	return ss
}

// infoOrder sorts info series made from figures sorted by family and id by
// their group, number of labels then derived, keeping their order within
// each group (a stable counting sort).
func infoOrder(parts [][]series) []series {
	group := func(s *series) int {
		g := 2 * len(s.labels)
		if s.labels[0].value == "true" { // derived: "false" < "true"
			g++
		}
		return g
	}
	count := make([]int, 2*len(infoLabelNames)+3)
	n := 0
	for _, part := range parts {
		for i := range part {
			count[group(&part[i])+1]++
		}
		n += len(part)
	}
	for g := 1; g < len(count); g++ {
		count[g] += count[g-1]
	}
	out := make([]series, n)
	for _, part := range parts {
		for i := range part {
			g := group(&part[i])
			out[count[g]] = part[i]
			count[g]++
		}
	}
	return out
}
