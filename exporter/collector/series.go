package collector

import (
	"sync"

	dto "github.com/prometheus/client_model/go"
	"google.golang.org/protobuf/proto"
)

// A snapshot keeps no client_model structs: at 100k figures they took
// 260 MB of heap. Series are made from the dataset when a family is
// encoded, in this light form, and turned into client_model structs only
// for the runs that expfmt must encode (and for Snapshot.Families).

// labelPair is one label of a series.
type labelPair struct{ name, value string }

// series is one sample of a gauge family.
type series struct {
	labels []labelPair // sorted by name
	value  float64
	id     string // the figure it belongs to ("" for a dataset series); cuts runs (runs.go)
	fig    int32  // the index of that figure in the figures it was made from (layout.go)
}

// sortLabels sorts a series' few labels by name, as client_golang sorts
// the labels of a metric. They come nearly sorted (a figure's labels are,
// the info labels are made in order), which insertion sort checks in one
// pass.
func sortLabels(ls []labelPair) {
	for i := 1; i < len(ls); i++ {
		for j := i; j > 0 && ls[j].name < ls[j-1].name; j-- {
			ls[j], ls[j-1] = ls[j-1], ls[j]
		}
	}
}

// metricFamily makes the client_model family of the series ss of f, for
// expfmt. The label strings are the series' own.
func (f *family) metricFamily(ss []series) *dto.MetricFamily {
	return f.metricFamilyIn(&dtoSlabs{}, ss)
}

// dtoSlabs hold the client_model structs of a family, allocated together
// and, for the runs a pass encodes, reused from run to run: a cold build
// of 100k figures would otherwise allocate some 150 MB of them.
type dtoSlabs struct {
	pairs      []dto.LabelPair
	pairPtrs   []*dto.LabelPair
	metrics    []dto.Metric
	metricPtrs []*dto.Metric
	gauges     []dto.Gauge
}

// pooledPairs bounds the slabs worth keeping in dtoPool: a run's, not a
// whole large family's (the protobuf formats encode a family in one run).
const pooledPairs = 1 << 16

var dtoPool = sync.Pool{New: func() any { return new(dtoSlabs) }}

// release clears the slabs (they point into series that are done with)
// and pools them, unless they are too large to keep.
func (d *dtoSlabs) release() {
	if cap(d.pairs) > pooledPairs {
		return
	}
	clear(d.pairs)
	clear(d.pairPtrs)
	clear(d.metrics)
	clear(d.metricPtrs)
	clear(d.gauges)
	dtoPool.Put(d)
}

// sized returns s with length n, reusing its memory if it can (the
// elements are zero: fresh, or cleared by release).
func sized[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n)
	}
	return s[:n]
}

// metricFamilyIn is metricFamily with its structs in d.
func (f *family) metricFamilyIn(d *dtoSlabs, ss []series) *dto.MetricFamily {
	n := 0
	for i := range ss {
		n += len(ss[i].labels)
	}
	d.pairs, d.pairPtrs = sized(d.pairs, n), sized(d.pairPtrs, n)
	d.metrics, d.metricPtrs, d.gauges = sized(d.metrics, len(ss)), sized(d.metricPtrs, len(ss)), sized(d.gauges, len(ss))
	k := 0
	for i := range ss {
		s := &ss[i]
		start := k
		for j := range s.labels {
			d.pairs[k].Name, d.pairs[k].Value = &s.labels[j].name, &s.labels[j].value
			d.pairPtrs[k] = &d.pairs[k]
			k++
		}
		d.gauges[i].Value = &s.value
		d.metrics[i].Label = d.pairPtrs[start:k:k]
		d.metrics[i].Gauge = &d.gauges[i]
		d.metricPtrs[i] = &d.metrics[i]
	}
	return &dto.MetricFamily{
		Name:   proto.String(f.name),
		Help:   proto.String(f.help),
		Type:   dto.MetricType_GAUGE.Enum(),
		Metric: d.metricPtrs,
	}
}
