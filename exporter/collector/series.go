package collector

import (
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
// expfmt. The structs are allocated in a few slabs, and the label strings
// are the series' own.
func (f *family) metricFamily(ss []series) *dto.MetricFamily {
	n := 0
	for i := range ss {
		n += len(ss[i].labels)
	}
	pairs := make([]dto.LabelPair, n)
	pairPtrs := make([]*dto.LabelPair, n)
	metrics := make([]dto.Metric, len(ss))
	gauges := make([]dto.Gauge, len(ss))
	mf := &dto.MetricFamily{
		Name:   proto.String(f.name),
		Help:   proto.String(f.help),
		Type:   dto.MetricType_GAUGE.Enum(),
		Metric: make([]*dto.Metric, len(ss)),
	}
	k := 0
	for i := range ss {
		s := &ss[i]
		start := k
		for j := range s.labels {
			pairs[k].Name, pairs[k].Value = &s.labels[j].name, &s.labels[j].value
			pairPtrs[k] = &pairs[k]
			k++
		}
		gauges[i].Value = &s.value
		metrics[i].Label = pairPtrs[start:k:k]
		metrics[i].Gauge = &gauges[i]
		mf.Metric[i] = &metrics[i]
	}
	return mf
}
