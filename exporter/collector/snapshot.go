// Package collector turns a validated dataset into Prometheus metric families.
// The families are built once per reload (the data only changes then) and
// served as they are to every scrape until the next reload.
package collector

import (
	"math"
	"sort"
	"strconv"
	"time"

	dto "github.com/prometheus/client_model/go"
	"google.golang.org/protobuf/proto"

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
	dateLayout               = "2006-01-02"
	revisionLabelLength      = 12
	hashBits                 = 48 // fits a float64's 53-bit mantissa exactly
)

// Snapshot is one loaded dataset with its metric families, ready to serve.
// It is never modified after Build returns.
type Snapshot struct {
	Dataset  *figures.Dataset
	Warnings figures.Diagnostics
	LoadedAt time.Time
	Families []*dto.MetricFamily // sorted by name, as promhttp expects

	exposition *Exposition // the families encoded once per format (exposition.go)
}

// Exposition returns the snapshot's families as scrapes serve them, with
// their cached encodings.
func (s *Snapshot) Exposition() *Exposition { return s.exposition }

// Revision is the short form of the dataset revision used in labels.
func (s *Snapshot) Revision() string { return ShortRevision(s.Dataset.Revision) }

// ShortRevision shortens a SHA-256 revision the way git shortens commits.
func ShortRevision(rev string) string {
	if len(rev) > revisionLabelLength {
		return rev[:revisionLabelLength]
	}
	return rev
}

// Build makes the metric families of a dataset.
func Build(ds *figures.Dataset, warnings figures.Diagnostics, loadedAt time.Time) *Snapshot {
	byFamily := map[string]*dto.MetricFamily{}
	var fams []*dto.MetricFamily
	for _, fam := range ds.Families {
		mf := gaugeFamily(fam.Name, fam.Help)
		byFamily[fam.Name] = mf
		fams = append(fams, mf)
	}
	info := gaugeFamily(FigureInfo, "Provenance of each curated figure; join on figure_id. Always 1.")
	published := gaugeFamily(FigurePublishedTimestamp, "Publication date of the source of each figure, in seconds since the Unix epoch (absent when the source is undated).")
	revised := gaugeFamily(FigureRevisedTimestamp, "When each figure was last curated or revised, in seconds since the Unix epoch.")
	for _, fig := range ds.Figures {
		src := ds.Source(fig)
		fam := ds.Family(fig.Family)
		pairs := make([]*dto.LabelPair, 0, len(fig.Labels)+2)
		for _, l := range fig.Labels {
			pairs = append(pairs, labelPair(l.Name, l.Value))
		}
		pairs = append(pairs, labelPair(LabelFigureID, fig.ID), labelPair(LabelPeriod, figures.PeriodLabel(fig.Period)))
		byFamily[fig.Family].Metric = append(byFamily[fig.Family].Metric, gauge(pairs, fig.Value))

		id := []*dto.LabelPair{labelPair(LabelFigureID, fig.ID)}
		info.Metric = append(info.Metric, gauge(infoLabels(fig, fam, src), 1))
		if src.Published != nil {
			published.Metric = append(published.Metric, gauge(id, float64(src.Published.Unix())))
		}
		revised.Metric = append(revised.Metric, gauge(id, float64(fig.LastRevised().Unix())))
	}
	fams = append(fams, info, published, revised,
		single(DatasetInfo, "Revision (SHA-256 prefix) of the loaded dataset. Always 1.", []*dto.LabelPair{labelPair("revision", ShortRevision(ds.Revision))}, 1),
		single(DatasetHash, "Hash of the loaded dataset (first 48 bits of its SHA-256), for change detection.", nil, HashValue(ds.Revision)),
		single(DatasetFigures, "Number of figures in the loaded dataset.", nil, float64(len(ds.Figures))),
		single(DatasetWarnings, "Number of warnings the validator reported on the loaded dataset.", nil, float64(len(warnings))),
	)
	for _, mf := range fams {
		sortMetrics(mf)
	}
	sort.Slice(fams, func(i, j int) bool { return fams[i].GetName() < fams[j].GetName() })
	snap := &Snapshot{Dataset: ds, Warnings: warnings, LoadedAt: loadedAt, Families: fams, exposition: newExposition(fams)}
	// Encode and compress for Prometheus now, before the snapshot is
	// swapped in, so that scrapes never wait for it.
	snap.exposition.prepare()
	return snap
}

// infoLabels are the provenance labels of one figure. Empty values (an
// undated or unsigned source) are left out, as Prometheus treats an empty
// label as absent anyway.
func infoLabels(fig *figures.Figure, fam *figures.Family, src *figures.Source) []*dto.LabelPair {
	start := ""
	if fig.Period.Start != nil {
		start = fig.Period.Start.Format(dateLayout)
	}
	published := ""
	if src.Published != nil {
		published = src.Published.Format(dateLayout)
	}
	pairs := []*dto.LabelPair{}
	for _, kv := range [][2]string{
		{LabelFigureID, fig.ID},
		{"family", fig.Family},
		{"unit", string(fam.Unit)},
		{"qualifier", string(fig.Qualifier)},
		{"period_start", start},
		{"period_end", fig.Period.End.Format(dateLayout)},
		{"derived", strconv.FormatBool(fig.Derived != nil)},
		{"source_id", src.ID},
		{"source_title", src.Title},
		{"publisher", src.Publisher},
		{"published", published},
		{"url", src.URL},
		{"seed", src.Seed},
	} {
		if kv[1] != "" {
			pairs = append(pairs, labelPair(kv[0], kv[1]))
		}
	}
	return pairs
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

func gaugeFamily(name, help string) *dto.MetricFamily {
	return &dto.MetricFamily{Name: proto.String(name), Help: proto.String(help), Type: dto.MetricType_GAUGE.Enum()}
}

func single(name, help string, labels []*dto.LabelPair, v float64) *dto.MetricFamily {
	mf := gaugeFamily(name, help)
	mf.Metric = []*dto.Metric{gauge(labels, v)}
	return mf
}

func gauge(labels []*dto.LabelPair, v float64) *dto.Metric {
	sort.Slice(labels, func(i, j int) bool { return labels[i].GetName() < labels[j].GetName() })
	return &dto.Metric{Label: labels, Gauge: &dto.Gauge{Value: proto.Float64(v)}}
}

func labelPair(name, value string) *dto.LabelPair {
	return &dto.LabelPair{Name: proto.String(name), Value: proto.String(value)}
}

// sortMetrics orders series by their label values so that the exposition is
// stable (and golden files compare byte for byte).
func sortMetrics(mf *dto.MetricFamily) {
	sort.SliceStable(mf.Metric, func(i, j int) bool {
		a, b := mf.Metric[i].Label, mf.Metric[j].Label
		for k := 0; k < len(a) && k < len(b); k++ {
			if a[k].GetName() != b[k].GetName() {
				return a[k].GetName() < b[k].GetName()
			}
			if a[k].GetValue() != b[k].GetValue() {
				return a[k].GetValue() < b[k].GetValue()
			}
		}
		return len(a) < len(b)
	})
}
