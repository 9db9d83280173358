// Package collector turns a validated dataset into Prometheus metric families.
// The families are encoded once per reload (the data only changes then) and
// served as they are to every scrape until the next reload.
package collector

import (
	"math"
	"strconv"
	"time"

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
	dateLayout               = "2006-01-02"
	revisionLabelLength      = 12
	hashBits                 = 48 // fits a float64's 53-bit mantissa exactly
)

// Snapshot is one loaded dataset, ready to serve. It is never modified
// after Build returns (but for encodings in other formats, made on first
// use).
type Snapshot struct {
	Dataset  *figures.Dataset
	Warnings figures.Diagnostics
	LoadedAt time.Time

	exposition *Exposition // the families encoded once per format (exposition.go)
}

// Exposition returns the snapshot's families as scrapes serve them, with
// their cached encodings.
func (s *Snapshot) Exposition() *Exposition { return s.exposition }

// Families makes the snapshot's metric families, normalised as promhttp
// serves them (sorted by name, series sorted by label values). They are
// built from the dataset on each call, for the rare uses that need them
// (a name[] filter, tests): the snapshot keeps only their encodings.
func (s *Snapshot) Families() []*dto.MetricFamily { return s.exposition.families() }

// Revision is the short form of the dataset revision used in labels.
func (s *Snapshot) Revision() string { return ShortRevision(s.Dataset.Revision) }

// ShortRevision shortens a SHA-256 revision the way git shortens commits.
func ShortRevision(rev string) string {
	if len(rev) > revisionLabelLength {
		return rev[:revisionLabelLength]
	}
	return rev
}

// Build makes the snapshot of a dataset and encodes it, before it is
// swapped in, so that scrapes never wait for it: in the format Prometheus 3
// negotiates and in every format prev (the snapshot served until now, nil
// at startup) has been asked for. Runs of series whose content is unchanged
// since prev keep prev's compressed bytes; only the rest is encoded.
func Build(ds *figures.Dataset, warnings figures.Diagnostics, loadedAt time.Time, prev *Snapshot) *Snapshot {
	snap := &Snapshot{Dataset: ds, Warnings: warnings, LoadedAt: loadedAt, exposition: newExposition(ds, len(warnings))}
	var old *Exposition
	if prev != nil {
		old = prev.exposition
	}
	snap.exposition.prepare(old)
	return snap
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
