// Package collector is where a figure becomes a series: Collector is a
// prometheus.Collector over one loaded dataset, in the manner of
// json_exporter's collector. Every figure of a curated family becomes one
// gauge sample of that family, plus one figures_figure_info series with its
// provenance and its revision (and publication) timestamps; four series
// describe the dataset itself.
package collector

import (
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"

	"github.com/figures-exporter/figures_exporter/exporter/figures"
)

// Names of the per-figure and per-dataset series the exporter adds beside the
// curated families. They are part of the product's interface: the rules and
// dashboards join on them.
const (
	FigureInfo               = "figures_figure_info"
	FigurePublishedTimestamp = "figures_figure_published_timestamp_seconds"
	FigureRevisedTimestamp   = "figures_figure_revised_timestamp_seconds"
	DatasetInfo              = "figures_exporter_dataset_info"
	DatasetHash              = "figures_exporter_dataset_hash"
	DatasetFigures           = "figures_exporter_dataset_figures"
	DatasetWarnings          = "figures_exporter_dataset_warnings"
	LabelFigureID            = "figure_id"
	LabelPeriod              = "period"
	revisionLabelLength      = 12
	hashBits                 = 48 // fits a float64's 53-bit mantissa exactly
)

// The descriptors of the families that are not curated, with their label
// names (the samples share them).
var (
	figureID      = []string{LabelFigureID}
	publishedDesc = prometheus.NewDesc(FigurePublishedTimestamp,
		"Publication date of the source of each figure, in seconds since the Unix epoch (absent when the source is undated).",
		figureID, nil)
	revisedDesc = prometheus.NewDesc(FigureRevisedTimestamp,
		"When each figure was last curated or revised, in seconds since the Unix epoch.",
		figureID, nil)
	revision        = []string{"revision"}
	datasetInfoDesc = prometheus.NewDesc(DatasetInfo,
		"Revision (SHA-256 prefix) of the loaded dataset. Always 1.", revision, nil)
	datasetHashDesc = prometheus.NewDesc(DatasetHash,
		"Hash of the loaded dataset (first 48 bits of its SHA-256), for change detection.", nil, nil)
	datasetFiguresDesc = prometheus.NewDesc(DatasetFigures,
		"Number of figures in the loaded dataset.", nil, nil)
	datasetWarningsDesc = prometheus.NewDesc(DatasetWarnings,
		"Number of warnings the validator reported on the loaded dataset.", nil, nil)
)

const infoHelp = "Provenance of each curated figure; join on figure_id. Always 1."

// Collector serves one validated dataset. The dataset is immutable, so
// Collect needs no lock and always yields the same metrics.
type Collector struct {
	ds       *figures.Dataset
	warnings int
}

// New returns the collector of a dataset the validator reported warnings
// warnings on.
func New(ds *figures.Dataset, warnings int) *Collector {
	return &Collector{ds: ds, warnings: warnings}
}

// Describe sends no descriptor, which makes the collector unchecked: the
// series of figures_figure_info do not all have the same label names (an
// empty provenance value is left out, as Prometheus treats an empty label as
// absent), and a registry accepts several label sets under one name only
// from an unchecked collector. The registry still checks every collected
// metric against its own descriptor, and names and label values when it
// gathers.
func (c *Collector) Describe(chan<- *prometheus.Desc) {}

// Collect sends every series of the dataset.
func (c *Collector) Collect(ch chan<- prometheus.Metric) {
	for _, f := range c.Families() {
		f.Collect(ch)
	}
}

// Families splits the collector into one collector per metric family,
// sorted by name. Gathered one at a time, they hold the client_model structs
// of one family at once instead of all (at 100k figures, those of
// figures_figure_info alone take some 100 MB).
func (c *Collector) Families() []prometheus.Collector {
	ds := c.ds
	type named struct {
		name string
		c    family
	}
	var fams []named
	// ds.Figures is sorted by family: each family's figures are a stretch.
	for figs := ds.Figures; len(figs) > 0; {
		n := 1
		for n < len(figs) && figs[n].Family == figs[0].Family {
			n++
		}
		if fam := ds.Family(figs[0].Family); fam != nil {
			fams = append(fams, named{fam.Name, curated(ds, fam, figs[:n])})
		}
		figs = figs[n:]
	}
	fams = append(fams,
		named{FigureInfo, c.info},
		named{FigurePublishedTimestamp, c.published},
		named{FigureRevisedTimestamp, c.revised},
		named{DatasetInfo, func(ch chan<- prometheus.Metric) {
			ch <- newSample(datasetInfoDesc, 1, revision, []string{ShortRevision(ds.Revision)})
		}},
		named{DatasetHash, func(ch chan<- prometheus.Metric) { ch <- newSample(datasetHashDesc, HashValue(ds.Revision), nil, nil) }},
		named{DatasetFigures, func(ch chan<- prometheus.Metric) {
			ch <- newSample(datasetFiguresDesc, float64(len(ds.Figures)), nil, nil)
		}},
		named{DatasetWarnings, func(ch chan<- prometheus.Metric) { ch <- newSample(datasetWarningsDesc, float64(c.warnings), nil, nil) }},
	)
	slices.SortFunc(fams, func(a, b named) int { return strings.Compare(a.name, b.name) })
	cs := make([]prometheus.Collector, len(fams))
	for i, f := range fams {
		cs[i] = f.c
	}
	return cs
}

// family is an unchecked collector of one metric family (see Describe).
type family func(ch chan<- prometheus.Metric)

func (f family) Describe(chan<- *prometheus.Desc)    {}
func (f family) Collect(ch chan<- prometheus.Metric) { f(ch) }

// curated collects a curated family: one series per figure, labelled with
// the family's labels, figure_id and period.
func curated(ds *figures.Dataset, fam *figures.Family, figs []*figures.Figure) family {
	return func(ch chan<- prometheus.Metric) {
		names := slices.Sorted(slices.Values(append(slices.Clip(fam.Labels), LabelFigureID, LabelPeriod)))
		desc := prometheus.NewDesc(fam.Name, fam.Help, names, nil)
		for _, fig := range figs {
			values := make([]string, len(names))
			for i, name := range names {
				switch name {
				case LabelFigureID:
					values[i] = fig.ID
				case LabelPeriod:
					values[i] = figures.PeriodLabel(fig.Period)
				default:
					values[i] = fig.LabelValue(name)
				}
			}
			ch <- newSample(desc, fig.Value, names, values)
		}
	}
}

// info collects figures_figure_info: the provenance of each figure, as
// figures.Dataset.InfoLabels gives it.
func (c *Collector) info(ch chan<- prometheus.Metric) {
	type labelSet struct {
		desc  *prometheus.Desc
		names []string
	}
	sets := map[string]labelSet{} // by label names, comma-separated
	var key []byte
	for _, fig := range c.ds.Figures {
		labels := c.ds.InfoLabels(fig) // sorted by name
		key = key[:0]
		for _, l := range labels {
			key = append(append(key, l.Name...), ',')
		}
		set, ok := sets[string(key)]
		if !ok {
			set.names = make([]string, len(labels))
			for i, l := range labels {
				set.names[i] = l.Name
			}
			set.desc = prometheus.NewDesc(FigureInfo, infoHelp, set.names, nil)
			sets[string(key)] = set
		}
		values := make([]string, len(labels))
		for i, l := range labels {
			values[i] = l.Value
		}
		ch <- newSample(set.desc, 1, set.names, values)
	}
}

// published collects the publication date of each figure's source, for the
// figures whose source is dated.
func (c *Collector) published(ch chan<- prometheus.Metric) {
	for _, fig := range c.ds.Figures {
		if p := c.ds.Source(fig).Published; p != nil {
			ch <- newSample(publishedDesc, float64(p.Unix()), figureID, []string{fig.ID})
		}
	}
}

// revised collects when each figure was last curated or revised.
func (c *Collector) revised(ch chan<- prometheus.Metric) {
	for _, fig := range c.ds.Figures {
		ch <- newSample(revisedDesc, float64(fig.LastRevised().Unix()), figureID, []string{fig.ID})
	}
}

// sample is a gauge sample, like a const metric but with its
// client_model labels made in two allocations instead of two per label:
// at 100k figures a build makes some two million labels (up to 23 a
// figures_figure_info series), and NewConstMetric's allocations took most
// of its time. The registry checks the labels as it checks a const
// metric's (names, UTF-8, duplicates; against the descriptor when
// pedantic).
type sample struct {
	desc   *prometheus.Desc
	labels []*dto.LabelPair // sorted by name
	value  float64
	gauge  dto.Gauge
}

// newSample makes a sample of desc with the labels names (sorted, as in
// desc) set to values. It keeps both slices.
func newSample(desc *prometheus.Desc, v float64, names, values []string) *sample {
	pairs := make([]dto.LabelPair, len(names))
	s := &sample{desc: desc, labels: make([]*dto.LabelPair, len(names)), value: v}
	for i := range pairs {
		pairs[i].Name, pairs[i].Value = &names[i], &values[i]
		s.labels[i] = &pairs[i]
	}
	s.gauge.Value = &s.value
	return s
}

func (s *sample) Desc() *prometheus.Desc { return s.desc }

func (s *sample) Write(m *dto.Metric) error {
	m.Label, m.Gauge = s.labels, &s.gauge
	return nil
}

// ShortRevision shortens a SHA-256 revision the way git shortens commits,
// for the revision label and for logs.
func ShortRevision(rev string) string {
	if len(rev) > revisionLabelLength {
		return rev[:revisionLabelLength]
	}
	return rev
}

// HashValue turns a hex SHA-256 into a gauge value that is exact in float64.
func HashValue(rev string) float64 {
	if len(rev) < hashBits/4 {
		return 0
	}
	v, err := strconv.ParseUint(rev[:hashBits/4], 16, 64)
	if err != nil {
		return math.NaN()
	}
	return float64(v)
}
