package web

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"google.golang.org/protobuf/encoding/prototext"

	figuresexporter "github.com/figures-exporter/figures_exporter"
	"github.com/figures-exporter/figures_exporter/bench/synth"
	"github.com/figures-exporter/figures_exporter/exporter/collector"
	"github.com/figures-exporter/figures_exporter/exporter/figures"
	"github.com/figures-exporter/figures_exporter/exporter/reload"
)

// fixedCollector exposes families that never change between scrapes (no
// created timestamps either), whose names fall before, between and after the
// snapshot's, so that the cached handler has to splice them in at every
// kind of place.
type fixedCollector struct{}

var (
	firstDesc = prometheus.NewDesc("a_first_gauge", "Sorts before every figure family.", nil, nil)
	midDesc   = prometheus.NewDesc("figures_exporter_config_reloads_total", "Sorts between figure families.", []string{"trigger", "result"}, nil)
	histDesc  = prometheus.NewDesc("go_fake_duration_seconds", "A histogram among the Go families.", nil, nil)
	lastDesc  = prometheus.NewDesc("zz_last_seconds", "Sorts after everything.", nil, prometheus.Labels{"quote": "a \"quoted\" value\n"})
)

func (fixedCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{firstDesc, midDesc, histDesc, lastDesc} {
		ch <- d
	}
}

func (fixedCollector) Collect(ch chan<- prometheus.Metric) {
	ch <- prometheus.MustNewConstMetric(firstDesc, prometheus.GaugeValue, 1)
	ch <- prometheus.MustNewConstMetric(midDesc, prometheus.CounterValue, 3, "startup", "success")
	ch <- prometheus.MustNewConstMetric(midDesc, prometheus.CounterValue, 1, "http", "failure")
	ch <- prometheus.MustNewConstHistogram(histDesc, 1, 0.5, map[float64]uint64{0.1: 0, 1: 1})
	ch <- prometheus.MustNewConstSummary(lastDesc, 1, 0.25, map[float64]float64{0.5: 0.25})
}

func fixedRegistry() *prometheus.Registry {
	reg := prometheus.NewRegistry()
	reg.MustRegister(fixedCollector{})
	return reg
}

func holderFor(t *testing.T, name string, data []byte) *reload.Holder {
	t.Helper()
	h := reload.NewHolder(reload.Source{Embedded: &figures.RawFile{Name: name, Data: data}}, slog.New(slog.DiscardHandler), nil)
	if r, d := h.Reload(reload.TriggerStartup); r != reload.ResultSuccess {
		t.Fatalf("loading %s: %s %v", name, r, d)
	}
	return h
}

// plainHandler is /metrics as promhttp serves it without any cache: the
// reference the cached handler must match.
func plainHandler(holder *reload.Holder, reg *prometheus.Registry) http.Handler {
	return promhttp.InstrumentMetricHandler(reg, promhttp.HandlerFor(prometheus.Gatherers{reg, snapshotGatherer{holder}}, promhttp.HandlerOpts{
		ErrorHandling:     promhttp.ContinueOnError,
		EnableOpenMetrics: true,
		Registry:          reg,
	}))
}

type response struct {
	status int
	header http.Header
	body   []byte // decompressed
	raw    []byte
}

func serve(t *testing.T, h http.Handler, method, target string, header http.Header) response {
	t.Helper()
	req := httptest.NewRequest(method, target, nil)
	req.Header = header.Clone()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	res := response{status: rec.Code, header: rec.Header(), raw: rec.Body.Bytes(), body: rec.Body.Bytes()}
	if rec.Header().Get("Content-Encoding") == "gzip" && method != http.MethodHead {
		zr, err := gzip.NewReader(bytes.NewReader(res.raw))
		if err != nil {
			t.Fatalf("%s: not gzip: %v", target, err)
		}
		// One gzip member, as any gzip client expects, not a multistream.
		zr.Multistream(false)
		if res.body, err = io.ReadAll(zr); err != nil {
			t.Fatalf("%s: reading gzip body: %v", target, err)
		}
		if rest, _ := io.ReadAll(zr); len(rest) != 0 {
			t.Fatalf("gzip body holds more than one member")
		}
	}
	return res
}

// TestCachedMetricsEqualPromhttp proves that the cached /metrics sends the
// bytes promhttp would send for the same families, for every format and
// encoding a client can negotiate, on GET and HEAD.
func TestCachedMetricsEqualPromhttp(t *testing.T) {
	var synthetic bytes.Buffer
	if err := synth.Generate(&synthetic, 300, 0); err != nil {
		t.Fatal(err)
	}
	datasets := []struct {
		name   string
		holder func(t *testing.T) *reload.Holder
	}{
		{"curated", func(t *testing.T) *reload.Holder { return holderFor(t, "curated", figuresexporter.DefaultFigures) }},
		{"synthetic-300", func(t *testing.T) *reload.Holder { return holderFor(t, "synthetic", synthetic.Bytes()) }},
		// Served in every format, then reloaded with one value changed:
		// the snapshot is rebuilt from the runs of the previous one.
		{"synthetic-300-reloaded", func(t *testing.T) *reload.Holder { return reloadedHolder(t, 300, acceptHeaders) }},
	}
	encodings := []struct{ name, value string }{
		{"none", ""},
		{"gzip", "gzip"},
		{"prometheus-zstd-gzip", "zstd,gzip"},
		{"curl", "deflate, gzip, br, zstd"},
		{"gzip-refused", "gzip;q=0"},
		{"identity-refused", "identity;q=0, gzip;q=0.5"},
		{"star", "*"},
		{"all-refused", "*;q=0"},
		{"unknown", "br"},
	}
	for _, ds := range datasets {
		holder := ds.holder(t)
		for _, a := range acceptHeaders {
			for _, e := range encodings {
				for _, method := range []string{http.MethodGet, http.MethodHead} {
					t.Run(fmt.Sprintf("%s/%s/%s/%s", ds.name, a.name, e.name, method), func(t *testing.T) {
						header := http.Header{}
						if a.accept != "" {
							header.Set("Accept", a.accept)
						}
						if e.value != "" {
							header.Set("Accept-Encoding", e.value)
						}
						regC, regP := fixedRegistry(), fixedRegistry()
						got := serve(t, MetricsHandler(holder, regC, 0, slog.New(slog.DiscardHandler)), method, "/metrics", header)
						want := serve(t, plainHandler(holder, regP), method, "/metrics", header)
						if got.status != want.status {
							t.Fatalf("status %d, promhttp %d", got.status, want.status)
						}
						for _, k := range []string{"Content-Type", "Content-Encoding"} {
							if got.header.Get(k) != want.header.Get(k) {
								t.Errorf("%s %q, promhttp %q", k, got.header.Get(k), want.header.Get(k))
							}
						}
						if g, w := strings.Join(got.header.Values("Vary"), ","), strings.Join(want.header.Values("Vary"), ","); g != w {
							t.Errorf("Vary %q, promhttp %q", g, w)
						}
						if method == http.MethodHead {
							if len(got.raw) != 0 {
								t.Errorf("HEAD sent a body of %d bytes", len(got.raw))
							}
							if got.header.Get("Content-Length") == "" {
								t.Errorf("HEAD sent no Content-Length")
							}
							return
						}
						if cl := got.header.Get("Content-Length"); cl != fmt.Sprint(len(got.raw)) {
							t.Errorf("Content-Length %s, body %d bytes", cl, len(got.raw))
						}
						// promhttp's own counters carry their creation
						// time in the protobuf formats, which differs
						// between the two registries.
						g, w := withoutCreated(t, got), withoutCreated(t, want)
						if !bytes.Equal(g, w) {
							t.Fatalf("body differs from promhttp's:\n%s", firstDifference(g, w))
						}
						if len(got.body) < 1000 {
							t.Fatalf("suspiciously short body: %q", got.body)
						}
					})
				}
			}
		}
	}
}

// acceptHeaders are Accept headers of every format a client can negotiate.
var acceptHeaders = []struct{ name, accept string }{
	{"prometheus3", collector.PrometheusAccept},
	{"none", ""},
	{"any", "*/*"},
	{"text-0.0.4", "text/plain;version=0.0.4"},
	{"text-1.0.0-underscores", "text/plain;version=1.0.0;escaping=underscores"},
	{"openmetrics-0.0.1", "application/openmetrics-text;version=0.0.1"},
	{"openmetrics-1.0.0-values", "application/openmetrics-text;version=1.0.0;escaping=values"},
	{"protobuf", "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited;q=0.7,text/plain;version=0.0.4;q=0.3"},
	{"protobuf-text", "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=text"},
	{"protobuf-compact", "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=compact-text"},
	{"browser", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"},
}

// reloadedHolder serves the synthetic dataset of n figures, asked for once
// in each of accepts, then reloaded with one value changed: its snapshot
// was built from the previous one's runs, in each of those formats.
func reloadedHolder(t *testing.T, n int, accepts []struct{ name, accept string }) *reload.Holder {
	t.Helper()
	path := filepath.Join(t.TempDir(), "figures.yaml")
	writeSynthetic(t, path, n, 0)
	holder := reload.NewHolder(reload.Source{Paths: []string{path}}, slog.New(slog.DiscardHandler), nil)
	if r, d := holder.Reload(reload.TriggerStartup); r != reload.ResultSuccess {
		t.Fatal(r, d)
	}
	h := MetricsHandler(holder, prometheus.NewRegistry(), 0, slog.New(slog.DiscardHandler))
	for _, a := range accepts {
		serve(t, h, http.MethodGet, "/metrics", http.Header{"Accept": {a.accept}})
	}
	writeSynthetic(t, path, n, 1)
	if r, d := holder.Reload(reload.TriggerHTTP); r != reload.ResultSuccess {
		t.Fatal(r, d)
	}
	enc, err := holder.Snapshot().Exposition.Exposition().Encoding(collector.PrometheusFormat())
	if err != nil {
		t.Fatal(err)
	}
	if total, reused := enc.Runs(); reused == 0 || reused == total {
		t.Fatalf("the reload reused %d of %d runs; want all but the changed ones", reused, total)
	}
	return holder
}

var createdRE = regexp.MustCompile(`created_timestamp:\s*\{[^}]*\}`)

// withoutCreated drops the created timestamps of a protobuf exposition (text
// forms, or the delimited binary form decoded and re-encoded).
func withoutCreated(t *testing.T, r response) []byte {
	t.Helper()
	format := expfmt.Format(r.header.Get("Content-Type"))
	switch format.FormatType() {
	case expfmt.TypeProtoText, expfmt.TypeProtoCompact:
		return createdRE.ReplaceAll(r.body, nil)
	case expfmt.TypeProtoDelim:
		dec := expfmt.NewDecoder(bytes.NewReader(r.body), format)
		var out bytes.Buffer
		for {
			var mf dto.MetricFamily
			if err := dec.Decode(&mf); err == io.EOF {
				break
			} else if err != nil {
				t.Fatalf("decoding protobuf exposition: %v", err)
			}
			for _, m := range mf.Metric {
				if m.Counter != nil {
					m.Counter.CreatedTimestamp = nil
				}
			}
			fmt.Fprintln(&out, prototext.Format(&mf))
		}
		return out.Bytes()
	}
	return r.body
}

func firstDifference(a, b []byte) string {
	n := 0
	for n < len(a) && n < len(b) && a[n] == b[n] {
		n++
	}
	from := max(0, n-200)
	return fmt.Sprintf("at byte %d:\ncached:  %q\npromhttp: %q", n, a[from:min(len(a), n+200)], b[from:min(len(b), n+200)])
}

// TestCachedMetricsTextParses decodes the cached text exposition and checks
// it holds every figure series once, beside the registry's families.
func TestCachedMetricsTextParses(t *testing.T) {
	holder := holderFor(t, "curated", figuresexporter.DefaultFigures)
	reg := fixedRegistry()
	res := serve(t, MetricsHandler(holder, reg, 0, slog.New(slog.DiscardHandler)), http.MethodGet, "/metrics", http.Header{"Accept-Encoding": {"gzip"}, "Accept": {"text/plain;version=0.0.4"}})
	parser := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := parser.TextToMetricFamilies(bytes.NewReader(res.body))
	if err != nil {
		t.Fatalf("cached text exposition does not parse: %v", err)
	}
	snap := holder.Snapshot().Exposition
	for _, mf := range snap.Families() {
		if len(mf.Metric) == 0 {
			continue
		}
		got, ok := fams[mf.GetName()]
		if !ok {
			t.Errorf("family %s missing", mf.GetName())
			continue
		}
		if len(got.Metric) != len(mf.Metric) {
			t.Errorf("family %s: %d series, want %d", mf.GetName(), len(got.Metric), len(mf.Metric))
		}
	}
	for _, name := range []string{"a_first_gauge", "figures_exporter_config_reloads_total", "zz_last_seconds", "promhttp_metric_handler_requests_total", "promhttp_metric_handler_errors_total"} {
		if _, ok := fams[name]; !ok {
			t.Errorf("registry family %s missing", name)
		}
	}
}

// TestCachedMetricsFallbacks: requests the cache does not serve go to
// promhttp and still get its answer.
func TestCachedMetricsFallbacks(t *testing.T) {
	holder := holderFor(t, "curated", figuresexporter.DefaultFigures)
	for _, tc := range []struct{ name, target string }{
		{"name filter", "/metrics?name[]=figures_exporter_dataset_figures&name[]=a_first_gauge"},
		{"name filter absent", "/metrics?name[]=no_such_metric"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := serve(t, MetricsHandler(holder, fixedRegistry(), 0, slog.New(slog.DiscardHandler)), http.MethodGet, tc.target, http.Header{})
			want := serve(t, plainHandler(holder, fixedRegistry()), http.MethodGet, tc.target, http.Header{})
			if got.status != want.status || !bytes.Equal(got.body, want.body) {
				t.Fatalf("got %d %q, promhttp %d %q", got.status, got.body, want.status, want.body)
			}
		})
	}
	t.Run("no snapshot", func(t *testing.T) {
		empty := reload.NewHolder(reload.Source{Embedded: &figures.RawFile{Name: "bad", Data: []byte("families: [")}}, slog.New(slog.DiscardHandler), nil)
		empty.Reload(reload.TriggerStartup)
		got := serve(t, MetricsHandler(empty, fixedRegistry(), 0, slog.New(slog.DiscardHandler)), http.MethodGet, "/metrics", http.Header{})
		want := serve(t, plainHandler(empty, fixedRegistry()), http.MethodGet, "/metrics", http.Header{})
		if got.status != http.StatusOK || !bytes.Equal(got.body, want.body) {
			t.Fatalf("got %d %q, promhttp %d %q", got.status, got.body, want.status, want.body)
		}
	})
}

// blockingCollector holds a scrape until released, to fill the in-flight
// limit.
type blockingCollector struct {
	entered chan struct{}
	release chan struct{}
}

func (c blockingCollector) Describe(ch chan<- *prometheus.Desc) {}
func (c blockingCollector) Collect(ch chan<- prometheus.Metric) {
	c.entered <- struct{}{}
	<-c.release
}

// TestCachedMetricsMaxRequests: beyond --web.max-requests scrapes get 503.
func TestCachedMetricsMaxRequests(t *testing.T) {
	holder := holderFor(t, "curated", figuresexporter.DefaultFigures)
	reg := prometheus.NewRegistry()
	block := blockingCollector{entered: make(chan struct{}, 1), release: make(chan struct{})}
	reg.MustRegister(block)
	h := MetricsHandler(holder, reg, 1, slog.New(slog.DiscardHandler))
	first := make(chan int, 1)
	go func() {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
		first <- rec.Code
	}()
	select {
	case <-block.entered:
	case <-time.After(30 * time.Second):
		t.Fatal("first scrape never gathered")
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	if rec.Code != http.StatusServiceUnavailable || !strings.Contains(rec.Body.String(), "Limit of concurrent requests reached (1)") {
		t.Errorf("second scrape: %d %q, want 503", rec.Code, rec.Body.String())
	}
	close(block.release)
	select {
	case code := <-first:
		if code != http.StatusOK {
			t.Errorf("first scrape: %d", code)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("first scrape never finished")
	}
	// With the slot free again, scrapes succeed.
	block.release = make(chan struct{})
	close(block.release)
	go func() { <-block.entered }()
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	if rec.Code != http.StatusOK {
		t.Errorf("third scrape: %d", rec.Code)
	}
}

// TestCachedMetricsFollowReloads: after a reload the cache serves the new
// snapshot, encoded once, not the old one.
func TestCachedMetricsFollowReloads(t *testing.T) {
	path := filepath.Join(t.TempDir(), "figures.yaml")
	writeSynthetic(t, path, 200, 0)
	holder := reload.NewHolder(reload.Source{Paths: []string{path}}, slog.New(slog.DiscardHandler), nil)
	if r, d := holder.Reload(reload.TriggerStartup); r != reload.ResultSuccess {
		t.Fatal(r, d)
	}
	h := MetricsHandler(holder, prometheus.NewRegistry(), 0, slog.New(slog.DiscardHandler))
	header := http.Header{"Accept": {collector.PrometheusAccept}, "Accept-Encoding": {"gzip"}}
	revisionLine := func() string {
		body := serve(t, h, http.MethodGet, "/metrics", header).body
		for _, l := range strings.Split(string(body), "\n") {
			if strings.HasPrefix(l, "figures_exporter_dataset_info{") {
				return l
			}
		}
		t.Fatal("no figures_exporter_dataset_info")
		return ""
	}
	for variant := range 3 {
		writeSynthetic(t, path, 200, variant)
		if variant > 0 {
			if r, d := holder.Reload(reload.TriggerHTTP); r != reload.ResultSuccess {
				t.Fatal(r, d)
			}
		}
		want := fmt.Sprintf(`figures_exporter_dataset_info{revision="%s"} 1.0`, holder.Snapshot().Exposition.Revision())
		if got := revisionLine(); got != want {
			t.Fatalf("variant %d: %s, want %s", variant, got, want)
		}
	}
}

// writeSynthetic writes the synthetic dataset of n figures to path.
func writeSynthetic(t *testing.T, path string, n, variant int) {
	t.Helper()
	var b bytes.Buffer
	if err := synth.Generate(&b, n, variant); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}
