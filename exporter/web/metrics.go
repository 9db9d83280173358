// Package web holds the exporter's HTTP handlers: /metrics, the lifecycle
// endpoints (/-/reload, /-/healthy, /-/ready) and the landing page.
package web

import (
	"log/slog"
	"net/http"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	dto "github.com/prometheus/client_model/go"

	"github.com/figures-exporter/figures_exporter/exporter/reload"
)

// snapshotGatherer hands out the metric families of the served snapshot. It
// reads the snapshot pointer once per scrape, so one scrape never mixes two
// datasets; the families were built at reload and are only read here.
type snapshotGatherer struct{ holder *reload.Holder }

func (g snapshotGatherer) Gather() ([]*dto.MetricFamily, error) {
	if s := g.holder.Snapshot(); s != nil {
		return s.Families, nil
	}
	return nil, nil
}

// MetricsHandler serves the figures of the current snapshot together with
// the exporter's own metrics from reg (reload state, build info, Go and
// process collectors). Content negotiation (text, OpenMetrics), gzip and the
// in-flight limit are promhttp's.
func MetricsHandler(holder *reload.Holder, reg *prometheus.Registry, maxRequests int, logger *slog.Logger) http.Handler {
	gatherers := prometheus.Gatherers{reg, snapshotGatherer{holder}}
	h := promhttp.HandlerFor(gatherers, promhttp.HandlerOpts{
		ErrorLog:            slog.NewLogLogger(logger.Handler(), slog.LevelError),
		ErrorHandling:       promhttp.ContinueOnError,
		MaxRequestsInFlight: maxRequests,
		EnableOpenMetrics:   true,
		Registry:            reg,
	})
	return promhttp.InstrumentMetricHandler(reg, h)
}
