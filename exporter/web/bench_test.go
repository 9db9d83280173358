package web

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"runtime"
	"testing"
	"time"

	"github.com/figures-exporter/figures_exporter/exporter/collector"
	"github.com/figures-exporter/figures_exporter/exporter/exposition"
	"github.com/figures-exporter/figures_exporter/exporter/figures"
	"github.com/figures-exporter/figures_exporter/exporter/reload"
)

// benchSizes are the dataset sizes of bench/run.sh, in files of one report
// each as a curator splits them.
var benchSizes = []int{1000, 10000, 100000}

func benchDataset(b *testing.B, n int) (*figures.Dataset, figures.Diagnostics) {
	b.Helper()
	paths := writeSynthetic(b, b.TempDir(), n, 6, 0)
	ds, diags := figures.Load(paths, 0, time.Now())
	if ds == nil {
		b.Fatal(diags)
	}
	return ds, diags
}

// discard is a ResponseWriter that only counts.
type discard struct {
	h http.Header
	n int64
}

func (w *discard) Header() http.Header         { return w.h }
func (w *discard) WriteHeader(int)             {}
func (w *discard) Write(p []byte) (int, error) { w.n += int64(len(p)); return len(p), nil }

// BenchmarkScrape: one scrape as Prometheus 3 makes it (its Accept header,
// gzip), through the exporter's handler with the exporter's own families,
// and through plain promhttp over the same families where that takes less
// than seconds.
func BenchmarkScrape(b *testing.B) {
	for _, n := range benchSizes {
		srv := newServer(b, reload.Source{Paths: writeSynthetic(b, b.TempDir(), n, 6, 0)}, 0)
		for _, h := range []struct {
			name    string
			handler http.Handler
		}{{"cached", srv.cached}, {"promhttp", srv.plain}} {
			if h.name == "promhttp" && n > 10000 {
				continue
			}
			b.Run(fmt.Sprintf("%d/%s", n, h.name), func(b *testing.B) {
				req := httptest.NewRequest(http.MethodGet, "/metrics", nil)
				req.Header.Set("Accept", exposition.PrometheusAccept)
				req.Header.Set("Accept-Encoding", "gzip")
				w := &discard{h: http.Header{}}
				for b.Loop() {
					clear(w.h)
					h.handler.ServeHTTP(w, req)
				}
				b.ReportMetric(float64(w.n)/float64(b.N), "body-bytes")
			})
		}
	}
}

// BenchmarkBuild: what a reload spends on the exposition: gathering the
// dataset's families and encoding and compressing them in the format
// Prometheus gets.
func BenchmarkBuild(b *testing.B) {
	for _, n := range benchSizes {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			ds, diags := benchDataset(b, n)
			runtime.GC()
			for b.Loop() {
				exposition.New(collector.New(ds, len(diags)).Families()...)
			}
		})
	}
}
