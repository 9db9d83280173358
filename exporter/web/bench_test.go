package web

import (
	"bytes"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"runtime"
	"runtime/metrics"
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

var benchData = map[[2]int][]byte{}

// benchDataset is the YAML of the synthetic dataset of n figures; variants
// 0 and 1 differ in the value of one figure.
func benchDataset(b *testing.B, n, variant int) []byte {
	b.Helper()
	if d, ok := benchData[[2]int{n, variant}]; ok {
		return d
	}
	var buf bytes.Buffer
	if err := synth.Generate(&buf, n, variant); err != nil {
		b.Fatal(err)
	}
	benchData[[2]int{n, variant}] = buf.Bytes()
	return buf.Bytes()
}

var benchNow = time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC)

func benchParse(b *testing.B, n, variant int) (*figures.Dataset, figures.Diagnostics) {
	b.Helper()
	return benchParseWith(b, figures.Parse, n, variant)
}

// benchParseWith is benchParse with a parser's Parse, such as a
// figures.Parser's, which remembers the objects of the previous parse.
func benchParseWith(b *testing.B, parse func([]figures.RawFile, time.Time) (*figures.Dataset, figures.Diagnostics), n, variant int) (*figures.Dataset, figures.Diagnostics) {
	b.Helper()
	ds, diags := parse([]figures.RawFile{{Name: "synthetic.yaml", Data: benchDataset(b, n, variant)}}, benchNow)
	if ds == nil {
		b.Fatal(diags)
	}
	return ds, diags
}

// benchServer is /metrics as the exporter command wires it (serve.go): the
// holder's gauges, build info, Go and process collectors on the registry.
func benchServer(b *testing.B, n int, cached bool) http.Handler {
	b.Helper()
	reg := prometheus.NewRegistry()
	reg.MustRegister(versioncollector.NewCollector("figures_exporter"), collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	holder := reload.NewHolder(reload.Source{Embedded: &figures.RawFile{Name: "synthetic.yaml", Data: benchDataset(b, n, 0)}}, slog.New(slog.DiscardHandler), reg)
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

// BenchmarkBuild measures making a snapshot from a parsed dataset at
// startup (no previous snapshot): the series of every family, their
// OpenMetrics encoding and its compression, on all cores. It reports the
// heap the snapshot keeps beside the dataset (snapshot-MB) and the
// dataset's own (dataset-MB).
func BenchmarkBuild(b *testing.B) {
	for _, n := range benchSizes {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			ds, diags := benchParse(b, n, 0)
			b.ReportAllocs()
			for b.Loop() {
				collector.Build(ds, diags, benchNow, nil)
			}
			b.StopTimer()
			b.ReportMetric(heapKept(func() any { return collector.Build(ds, diags, benchNow, nil) }), "snapshot-MB")
			b.ReportMetric(heapPeak(func() any { return collector.Build(ds, diags, benchNow, nil) }), "peak-MB")
			ds = nil
			b.ReportMetric(heapKept(func() any { d, _ := benchParse(b, n, 0); return d }), "dataset-MB")
		})
	}
}

// BenchmarkRebuild measures a reload's snapshot: the dataset differs from
// the served one in one figure's value, so every run but a few is taken,
// compressed, from the previous snapshot. Both datasets are parsed by one
// figures.Parser, as the holder parses them: the unchanged figures are the
// same objects. Scrapes are served meanwhile, so it runs on half the
// cores.
func BenchmarkRebuild(b *testing.B) {
	for _, n := range benchSizes {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			parser := figures.NewParser()
			old, oldDiags := benchParseWith(b, twoResults(parser.Parse), n, 0)
			prev := collector.Build(old, oldDiags, benchNow, nil)
			ds, diags := benchParseWith(b, twoResults(parser.Parse), n, 1)
			b.ReportAllocs()
			for b.Loop() {
				collector.Build(ds, diags, benchNow, prev)
			}
			b.StopTimer()
			var snap *collector.Snapshot
			b.ReportMetric(heapKept(func() any { snap = collector.Build(ds, diags, benchNow, prev); return snap }), "snapshot-MB")
			b.ReportMetric(heapPeak(func() any { return collector.Build(ds, diags, benchNow, prev) }), "peak-MB")
			runtime.KeepAlive(prev) // measured beside the snapshot it replaces
			enc, err := snap.Exposition().Encoding(collector.PrometheusFormat())
			if err != nil {
				b.Fatal(err)
			}
			total, reused := enc.Runs()
			b.ReportMetric(float64(total-reused), "runs-encoded")
		})
	}
}

// heapKept returns how many MB of heap what build returns keeps alive.
// Two collections before each reading empty the sync.Pools (buffers and
// compressors) of the builds before, which would blur the difference.
func heapKept(build func() any) float64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.GC()
	runtime.ReadMemStats(&before)
	v := build()
	runtime.GC()
	runtime.GC()
	runtime.ReadMemStats(&after)
	runtime.KeepAlive(v)
	return (float64(after.HeapAlloc) - float64(before.HeapAlloc)) / (1 << 20)
}

// heapPeak returns how many MB the heap grows by at most while build runs
// (what it keeps and the garbage it makes before a collection frees it),
// sampled every millisecond from runtime/metrics, which does not stop the
// world.
func heapPeak(build func() any) float64 {
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	heap := func() uint64 { metrics.Read(sample); return sample[0].Value.Uint64() }
	runtime.GC()
	runtime.GC()
	base, peak := heap(), uint64(0)
	stop, stopped := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(stopped)
		for {
			peak = max(peak, heap())
			select {
			case <-stop:
				return
			case <-time.After(time.Millisecond):
			}
		}
	}()
	v := build()
	close(stop)
	<-stopped
	runtime.KeepAlive(v)
	return (float64(peak) - float64(base)) / (1 << 20)
}

// twoResults adapts a Parser's Parse, which also counts the files it reused.
func twoResults(parse func([]figures.RawFile, time.Time) (*figures.Dataset, figures.Diagnostics, int)) func([]figures.RawFile, time.Time) (*figures.Dataset, figures.Diagnostics) {
	return func(files []figures.RawFile, now time.Time) (*figures.Dataset, figures.Diagnostics) {
		ds, diags, _ := parse(files, now)
		return ds, diags
	}
}
