package main

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"google.golang.org/protobuf/proto"

	"github.com/figures-exporter/figures_exporter/exporter/collector"
	"github.com/figures-exporter/figures_exporter/exporter/figures"
)

// exportFlags are the flags of `figures_exporter export`.
type exportFlags struct {
	files       []string
	maxFileSize int64
	format      string
	labels      map[string]string
}

// runExport writes every figure as a sample at its period's end, in
// OpenMetrics for `promtool tsdb create-blocks-from openmetrics`, so that a
// family's values across report periods plot on a time axis. The live
// exporter serves every figure at "now" (its value is what the reports say
// today); the export puts each report's figure at the date it describes.
//
// A figure's history is its reports: each period a report gives is its own
// figure (with its own period label), so the model keeps no list of earlier
// values; a corrected value replaces the wrong one, as git keeps the old.
//
// Samples are at 00:00 UTC of the period's end date. extra labels (such as
// job="figures") are added to every series so that the dashboards'
// selectors find the backfilled data beside the scraped.
func runExport(ef exportFlags, stdout, stderr io.Writer) int {
	ds, diags := loadDatasetOrEmbedded(ef.files, ef.maxFileSize)
	if ds == nil {
		for _, d := range diags {
			fmt.Fprintln(stderr, d)
		}
		return 1
	}
	mfs, err := exportFamilies(ds, ef.labels)
	if err != nil {
		fmt.Fprintln(stderr, "export:", err)
		return 1
	}
	enc := expfmt.NewEncoder(stdout, expfmt.NewFormat(expfmt.TypeOpenMetrics))
	for _, mf := range mfs {
		if err := enc.Encode(mf); err != nil {
			fmt.Fprintln(stderr, "export:", err)
			return 1
		}
	}
	if c, ok := enc.(expfmt.Closer); ok {
		if err := c.Close(); err != nil {
			fmt.Fprintln(stderr, "export:", err)
			return 1
		}
	}
	return 0
}

// exportFamilies gathers the dataset's figure families from the exporter's
// own collector, so that each series has exactly the labels the exporter
// serves it with, and stamps every sample with its figure's period end.
// extra labels are added to every series.
func exportFamilies(ds *figures.Dataset, extra map[string]string) ([]*dto.MetricFamily, error) {
	reg := prometheus.NewPedanticRegistry()
	if err := reg.Register(collector.New(ds, 0)); err != nil {
		return nil, err
	}
	mfs, err := reg.Gather()
	if err != nil {
		return nil, err
	}
	ends := make(map[string]int64, len(ds.Figures))
	for _, f := range ds.Figures {
		ends[f.ID] = f.Period.End.UnixMilli()
	}
	var out []*dto.MetricFamily
	for _, mf := range mfs {
		if ds.Family(mf.GetName()) == nil {
			continue // the exporter's own families: no date to put them at
		}
		for _, m := range mf.Metric {
			for _, l := range m.Label {
				if l.GetName() == "figure_id" {
					m.TimestampMs = proto.Int64(ends[l.GetValue()])
				}
			}
			for name, value := range extra {
				m.Label = append(m.Label, &dto.LabelPair{Name: proto.String(name), Value: proto.String(value)})
			}
			slices.SortFunc(m.Label, func(a, b *dto.LabelPair) int { return strings.Compare(a.GetName(), b.GetName()) })
		}
		out = append(out, mf)
	}
	return out, nil
}
