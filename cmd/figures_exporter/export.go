package main

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"google.golang.org/protobuf/proto"

	figuresexporter "github.com/figures-exporter/figures_exporter"
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
	var ds *figures.Dataset
	var diags figures.Diagnostics
	if len(ef.files) == 0 {
		ds, diags = figures.Parse([]figures.RawFile{{Name: figuresexporter.DefaultFiguresName, Data: figuresexporter.DefaultFigures}}, time.Now())
	} else {
		ds, diags = figures.Load(ef.files, ef.maxFileSize, time.Now())
	}
	if ds == nil {
		for _, d := range diags {
			fmt.Fprintln(stderr, d)
		}
		return 1
	}
	enc := expfmt.NewEncoder(stdout, expfmt.NewFormat(expfmt.TypeOpenMetrics))
	for _, mf := range exportFamilies(ds, ef.labels) {
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

// exportFamilies makes one gauge family per dataset family, each figure a
// sample at its period's end, with the labels the exporter serves it with.
func exportFamilies(ds *figures.Dataset, extra map[string]string) []*dto.MetricFamily {
	var out []*dto.MetricFamily
	for _, fam := range ds.Families {
		mf := &dto.MetricFamily{Name: proto.String(fam.Name), Help: proto.String(fam.Help), Type: dto.MetricType_GAUGE.Enum()}
		for _, fig := range ds.Figures {
			if fig.Family != fam.Name {
				continue
			}
			labels := []*dto.LabelPair{
				{Name: proto.String("figure_id"), Value: proto.String(fig.ID)},
				{Name: proto.String("period"), Value: proto.String(figures.PeriodLabel(fig.Period))},
			}
			for _, l := range fig.Labels {
				labels = append(labels, &dto.LabelPair{Name: proto.String(l.Name), Value: proto.String(l.Value)})
			}
			for name, value := range extra {
				labels = append(labels, &dto.LabelPair{Name: proto.String(name), Value: proto.String(value)})
			}
			slices.SortFunc(labels, func(a, b *dto.LabelPair) int { return strings.Compare(a.GetName(), b.GetName()) })
			mf.Metric = append(mf.Metric, &dto.Metric{
				Label:       labels,
				Gauge:       &dto.Gauge{Value: proto.Float64(fig.Value)},
				TimestampMs: proto.Int64(fig.Period.End.UnixMilli()),
			})
		}
		if len(mf.Metric) > 0 {
			out = append(out, mf)
		}
	}
	return out
}
