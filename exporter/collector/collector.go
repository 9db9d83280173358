// Package collector is where a figure becomes a series: Collector is a
// prometheus.Collector over one loaded dataset, in the manner of
// json_exporter's collector. Every figure of a curated family becomes one
// gauge sample of that family, plus one figures_figure_info series with its
// provenance and its revision (and publication) timestamps; four series
// describe the dataset itself.
package collector

import (
	"maps"
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
	FigureContentHash        = "figures_figure_content_hash"
	FigureQuoteInfo          = "figures_figure_quote_info"
	FamilyInfo               = "figures_family_info"
	LabelFigureID            = "figure_id"
	LabelPeriod              = "period"
	revisionLabelLength      = 12
	hashBits                 = 48 // fits a float64's 53-bit mantissa exactly
)

// The descriptors of the families that are not curated.
var (
	figureID      = []string{LabelFigureID}
	publishedDesc = prometheus.NewDesc(FigurePublishedTimestamp,
		"Publication date of the source of each figure, in seconds since the Unix epoch (absent when the source is undated).",
		figureID, nil)
	revisedDesc = prometheus.NewDesc(FigureRevisedTimestamp,
		"When each figure was last curated or revised, in seconds since the Unix epoch.",
		figureID, nil)
	datasetInfoDesc = prometheus.NewDesc(DatasetInfo,
		"Revision (SHA-256 prefix) of the loaded dataset. Always 1.", []string{"revision"}, nil)
	datasetHashDesc = prometheus.NewDesc(DatasetHash,
		"Hash of the loaded dataset (first 48 bits of its SHA-256), for change detection.", nil, nil)
	datasetFiguresDesc = prometheus.NewDesc(DatasetFigures,
		"Number of figures in the loaded dataset.", nil, nil)
	datasetWarningsDesc = prometheus.NewDesc(DatasetWarnings,
		"Number of warnings the validator reported on the loaded dataset.", nil, nil)
	// For the change notifications (mixin's FiguresDatasetRevised): what
	// changed in a figure, its quote and what its family counts, before
	// and after a revision.
	contentHashDesc = prometheus.NewDesc(FigureContentHash,
		"First 48 bits of a SHA-256 of each figure's curated content (value, hedge, period, labels, quote, source, grades, claim), for change detection.", figureID, nil)
	quoteInfoDesc = prometheus.NewDesc(FigureQuoteInfo,
		"The sentence of its source each figure quotes; join on figure_id. Always 1.", []string{LabelFigureID, "quote"}, nil)
	familyInfoDesc = prometheus.NewDesc(FamilyInfo,
		"What each curated family counts (its HELP text) and its unit; join on family. Always 1.", []string{"family", "help", "unit"}, nil)
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
// empty value is left out), which a registry accepts only from an unchecked
// collector. It still checks every metric against its own descriptor, and
// names and label values when it gathers.
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
	fams := map[string]family{
		FigureInfo: c.info,
		FigurePublishedTimestamp: func(ch chan<- prometheus.Metric) {
			for _, fig := range ds.Figures {
				if p := ds.Source(fig).Published; p != nil { // an undated source has none
					ch <- newSample(publishedDesc, float64(p.Unix()), []*dto.LabelPair{idPair(fig)})
				}
			}
		},
		FigureRevisedTimestamp: func(ch chan<- prometheus.Metric) {
			for _, fig := range ds.Figures {
				ch <- newSample(revisedDesc, float64(fig.LastRevised().Unix()), []*dto.LabelPair{idPair(fig)})
			}
		},
		DatasetInfo:     gauge(datasetInfoDesc, 1, pair("revision", ShortRevision(ds.Revision))),
		DatasetHash:     gauge(datasetHashDesc, hashValue(ds.Revision)),
		DatasetFigures:  gauge(datasetFiguresDesc, float64(len(ds.Figures))),
		DatasetWarnings: gauge(datasetWarningsDesc, float64(c.warnings)),
		FigureContentHash: func(ch chan<- prometheus.Metric) {
			for _, fig := range ds.Figures {
				ch <- newSample(contentHashDesc, ds.ContentHash(fig), []*dto.LabelPair{idPair(fig)})
			}
		},
		FigureQuoteInfo: func(ch chan<- prometheus.Metric) {
			for _, fig := range ds.Figures {
				ch <- newSample(quoteInfoDesc, 1, []*dto.LabelPair{idPair(fig), pair("quote", fig.Quote)})
			}
		},
		FamilyInfo: func(ch chan<- prometheus.Metric) {
			for _, fam := range ds.Families {
				ch <- newSample(familyInfoDesc, 1, []*dto.LabelPair{pair("family", fam.Name), pair("help", fam.Help), pair("unit", string(fam.Unit))})
			}
		},
	}
	// ds.Figures is sorted by family: each family's figures are a stretch.
	for figs := ds.Figures; len(figs) > 0; {
		n := 1
		for n < len(figs) && figs[n].Family == figs[0].Family {
			n++
		}
		if fam := ds.Family(figs[0].Family); fam != nil {
			fams[fam.Name] = curated(ds, fam, figs[:n])
		}
		figs = figs[n:]
	}
	var cs []prometheus.Collector
	for _, name := range slices.Sorted(maps.Keys(fams)) {
		cs = append(cs, fams[name])
	}
	return cs
}

// gauge collects one sample of desc.
func gauge(desc *prometheus.Desc, v float64, labels ...*dto.LabelPair) family {
	return func(ch chan<- prometheus.Metric) { ch <- newSample(desc, v, labels) }
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
		pairs := labelPairs{}
		for _, fig := range figs {
			labels := make([]*dto.LabelPair, len(names))
			for i, name := range names {
				switch name {
				case LabelFigureID:
					labels[i] = idPair(fig)
				case LabelPeriod:
					labels[i] = pairs.get(name, figures.PeriodLabel(fig.Period))
				default:
					labels[i] = pairs.get(name, fig.LabelValue(name))
				}
			}
			ch <- newSample(desc, fig.Value, labels)
		}
	}
}

// info collects figures_figure_info: the provenance of each figure, as
// figures.Dataset.InfoLabels gives it.
func (c *Collector) info(ch chan<- prometheus.Metric) {
	descs := map[string]*prometheus.Desc{} // by label names, each after a comma
	pairs := labelPairs{}
	var key []byte
	for _, fig := range c.ds.Figures {
		infos := c.ds.InfoLabels(fig) // sorted by name
		key = key[:0]
		labels := make([]*dto.LabelPair, len(infos))
		for i, l := range infos {
			key = append(append(key, ','), l.Name...)
			if l.Name == LabelFigureID {
				labels[i] = idPair(fig)
			} else {
				labels[i] = pairs.get(l.Name, l.Value)
			}
		}
		desc := descs[string(key)]
		if desc == nil { // label names hold no comma
			desc = prometheus.NewDesc(FigureInfo, infoHelp, strings.Split(string(key[1:]), ","), nil)
			descs[string(key)] = desc
		}
		ch <- newSample(desc, 1, labels)
	}
}

// sample is a gauge sample, like a const metric but with labels made by
// the collector: NewConstMetric makes two allocations per label, and 100k
// figures have some two million. The registry checks them as it checks a
// const metric's (names, UTF-8, duplicates; the descriptor when pedantic).
type sample struct {
	desc   *prometheus.Desc
	labels []*dto.LabelPair // sorted by name
	value  float64
	gauge  dto.Gauge
}

// newSample makes a sample of desc with labels, sorted by name as in desc.
func newSample(desc *prometheus.Desc, v float64, labels []*dto.LabelPair) *sample {
	s := &sample{desc: desc, labels: labels, value: v}
	s.gauge.Value = &s.value
	return s
}

func (s *sample) Desc() *prometheus.Desc { return s.desc }

func (s *sample) Write(m *dto.Metric) error {
	m.Label, m.Gauge = s.labels, &s.gauge
	return nil
}

// labelPairs makes the label pairs of one family's samples, each distinct
// pair once, shared by the samples (client_golang and expfmt only read
// them): but for figure_id most labels repeat (a source's title, a unit,
// "false"). At 100k figures, figures_figure_info's take 30 MB, not 130 MB.
type labelPairs map[[2]string]*dto.LabelPair

func (lp labelPairs) get(name, value string) *dto.LabelPair {
	p := lp[[2]string{name, value}]
	if p == nil {
		p = pair(name, value)
		lp[[2]string{name, value}] = p
	}
	return p
}

func pair(name, value string) *dto.LabelPair { return &dto.LabelPair{Name: &name, Value: &value} }

// idPair is a figure's figure_id label; its value is the figure's own ID.
func idPair(fig *figures.Figure) *dto.LabelPair {
	return &dto.LabelPair{Name: &labelFigureID, Value: &fig.ID}
}

var labelFigureID = LabelFigureID

// ShortRevision shortens a SHA-256 revision the way git shortens commits,
// for the revision label and for logs.
func ShortRevision(rev string) string { return rev[:min(len(rev), revisionLabelLength)] }

// hashValue turns a dataset's revision (hex SHA-256) into a gauge value
// that is exact in float64.
func hashValue(rev string) float64 {
	v, _ := strconv.ParseUint(rev[:hashBits/4], 16, 64) // 48 bits of hex digits
	return float64(v)
}
