package pages

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
)

// discard is a ResponseWriter that only counts what is written.
type discard struct {
	h      http.Header
	n      int64
	status int
}

func (w *discard) Header() http.Header         { return w.h }
func (w *discard) WriteHeader(s int)           { w.status = s }
func (w *discard) Write(p []byte) (int, error) { w.n += int64(len(p)); return len(p), nil }

// BenchmarkPages: the server time and size of the pages on the benchmarks'
// synthetic datasets (bench/synth), after the view of the snapshot is built
// (once per reload; BenchmarkView). The targets of issue 15: / at 1k
// figures at most 20 ms and 200 kB; 10k figures paged at most 50 ms. Each
// page is measured plain and gzipped.
func BenchmarkPages(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		ts := newTestServer(b, synthetic(b, n), Options{})
		for _, target := range []string{"/", "/?page=7", "/?q=hackers+stole&credibility=3", "/?country=KP&flag=derived", "/api/v1/figures?per_page=100", "/figures/" + ts.pages.view().figs[n/2].F.ID, "/status"} {
			// plain: a script without Accept-Encoding; gzip: a browser.
			for _, coding := range []string{"plain", "gzip"} {
				b.Run(fmt.Sprintf("%d%s/%s", n, target, coding), func(b *testing.B) {
					req := httptest.NewRequest(http.MethodGet, target, nil)
					if coding == "gzip" {
						req.Header.Set("Accept-Encoding", "gzip, deflate, br, zstd")
					}
					w := &discard{h: http.Header{}}
					for b.Loop() {
						clear(w.h)
						w.n = 0
						ts.handler.ServeHTTP(w, req)
					}
					if w.status != 0 && w.status != http.StatusOK {
						b.Fatalf("GET %s: %d", target, w.status)
					}
					b.ReportMetric(float64(w.n), "body-bytes")
				})
			}
		}
	}
}

// BenchmarkView: what the first page after a reload spends indexing the
// snapshot (100k figures: the largest dataset bench/run.sh loads).
func BenchmarkView(b *testing.B) {
	for _, n := range []int{1000, 10000, 100000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			ts := newTestServer(b, synthetic(b, n), Options{})
			snap := ts.holder.Snapshot()
			for b.Loop() {
				newView(snap)
			}
		})
	}
}
