package web

import (
	"bytes"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"runtime"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	versioncollector "github.com/prometheus/client_golang/prometheus/collectors/version"

	"github.com/figures-exporter/figures_exporter/bench/synth"
	"github.com/figures-exporter/figures_exporter/exporter/collector"
	"github.com/figures-exporter/figures_exporter/exporter/figures"
	"github.com/figures-exporter/figures_exporter/exporter/reload"
)

// Benchmarks of serving a scrape and of building a snapshot, on synthetic
// datasets (bench/synth) of 1k, 10k and 100k figures. bench/run.sh measures
// the same over HTTP against node_exporter and nginx; see BENCHMARKS.md.
//
//	go test -run XXX -bench . -benchmem ./exporter/web/

var benchSizes = []int{1000, 10000, 100000}

var benchData = map[int][]byte{}

func benchDataset(b *testing.B, n int) []byte {
	b.Helper()
	if d, ok := benchData[n]; ok {
		return d
	}
	var buf bytes.Buffer
	if err := synth.Generate(&buf, n, 0); err != nil {
		b.Fatal(err)
	}
	benchData[n] = buf.Bytes()
	return buf.Bytes()
}

// benchServer is /metrics as the exporter command wires it (serve.go): the
// holder's gauges, build info, Go and process collectors on the registry.
func benchServer(b *testing.B, n int, cached bool) http.Handler {
	b.Helper()
	reg := prometheus.NewRegistry()
	reg.MustRegister(versioncollector.NewCollector("figures_exporter"), collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	holder := reload.NewHolder(reload.Source{Embedded: &figures.RawFile{Name: "synthetic.yaml", Data: benchDataset(b, n)}}, slog.New(slog.DiscardHandler), reg)
	if r, d := holder.Reload(reload.TriggerStartup); r != reload.ResultSuccess {
		b.Fatal(r, d)
	}
	if cached {
		return MetricsHandler(holder, reg, 40, slog.New(slog.DiscardHandler))
	}
	return plainHandler(holder, reg)
}

// discardWriter is a ResponseWriter that counts and drops the body, so that
// the benchmark measures the handler, not a recorder's buffer.
type discardWriter struct {
	h http.Header
	n int64
}

func (w *discardWriter) Header() http.Header         { return w.h }
func (w *discardWriter) WriteHeader(int)             {}
func (w *discardWriter) Write(p []byte) (int, error) { w.n += int64(len(p)); return len(p), nil }

// BenchmarkScrape serves one scrape with Prometheus 3's headers, from the
// cache and (for comparison) through plain promhttp.
func BenchmarkScrape(b *testing.B) {
	for _, n := range benchSizes {
		for _, handler := range []string{"cached", "promhttp"} {
			for _, enc := range []string{"gzip", "identity"} {
				b.Run(fmt.Sprintf("%d/%s/%s", n, handler, enc), func(b *testing.B) {
					h := benchServer(b, n, handler == "cached")
					req := httptest.NewRequest(http.MethodGet, "/metrics", nil)
					req.Header.Set("Accept", collector.PrometheusAccept)
					req.Header.Set("Accept-Encoding", enc)
					w := &discardWriter{h: http.Header{}}
					h.ServeHTTP(w, req) // the first scrape of a format may encode it
					b.ReportAllocs()
					b.ResetTimer()
					var bytes int64
					for b.Loop() {
						w.n = 0
						clear(w.h)
						h.ServeHTTP(w, req)
						bytes = w.n
					}
					b.ReportMetric(float64(bytes), "body-bytes")
				})
			}
		}
	}
}

// BenchmarkBuild measures making a snapshot from a parsed dataset: the
// metric families, their OpenMetrics encoding and its compression, all done
// at reload. It reports the heap the snapshot keeps.
func BenchmarkBuild(b *testing.B) {
	now := time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC)
	for _, n := range benchSizes {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			raw := []figures.RawFile{{Name: "synthetic.yaml", Data: benchDataset(b, n)}}
			ds, diags := figures.Parse(raw, now)
			if ds == nil {
				b.Fatal(diags)
			}
			raw = nil
			var snap *collector.Snapshot
			b.ReportAllocs()
			for b.Loop() {
				snap = collector.Build(ds, diags, now)
			}
			b.StopTimer()
			var before, after runtime.MemStats
			snap = nil
			runtime.GC()
			runtime.ReadMemStats(&before)
			snap = collector.Build(ds, diags, now)
			runtime.GC()
			runtime.ReadMemStats(&after)
			b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/(1<<20), "snapshot-MB")
			runtime.KeepAlive(snap)
			// And the dataset itself, with the snapshot.
			ds = nil
			runtime.GC()
			runtime.ReadMemStats(&before)
			ds, _ = figures.Parse([]figures.RawFile{{Name: "synthetic.yaml", Data: benchDataset(b, n)}}, now)
			runtime.GC()
			runtime.ReadMemStats(&after)
			b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/(1<<20), "dataset-MB")
			runtime.KeepAlive(ds)
		})
	}
}
