package web

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	versioncollector "github.com/prometheus/client_golang/prometheus/collectors/version"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"google.golang.org/protobuf/encoding/prototext"

	figuresexporter "github.com/figures-exporter/figures_exporter"
	"github.com/figures-exporter/figures_exporter/bench/synth"
	"github.com/figures-exporter/figures_exporter/exporter/collector"
	"github.com/figures-exporter/figures_exporter/exporter/exposition"
	"github.com/figures-exporter/figures_exporter/exporter/figures"
	"github.com/figures-exporter/figures_exporter/exporter/reload"
	"github.com/figures-exporter/figures_exporter/internal/testtools"
)

// accepts are Accept headers of the clients the exporter meets, one per
// format and escaping scheme a client can negotiate, and a few odd ones.
var accepts = []struct{ name, accept string }{
	{"prometheus3", exposition.PrometheusAccept},
	{"none", ""},
	{"any", "*/*"},
	{"openmetrics-1.0.0", "application/openmetrics-text;version=1.0.0"},
	{"openmetrics-0.0.1", "application/openmetrics-text; version=0.0.1; charset=utf-8"},
	{"openmetrics-underscores", "application/openmetrics-text;version=1.0.0;escaping=underscores"},
	{"text-0.0.4", "text/plain;version=0.0.4"},
	{"text-1.0.0-utf8", "text/plain;version=1.0.0;escaping=allow-utf-8"},
	{"text-dots", "text/plain;version=1.0.0;escaping=dots"},
	{"protobuf", "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited"},
	{"protobuf-text", "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=text"},
	{"protobuf-compact", "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=compact-text"},
	{"unknown", "application/json"},
}

// acceptEncodings are Accept-Encoding headers: q-values, ties, refusals,
// wildcards, codings promhttp does not offer and lines its parser gives up
// on.
var acceptEncodings = []string{
	"", "gzip", "identity", "gzip, deflate, br", "br;q=1.0, gzip;q=0.8, *;q=0.1",
	"gzip;q=0", "identity;q=0", "gzip;q=0.5, identity;q=0.9", "gzip;q=0.5, identity;q=0.5",
	"*;q=0", "zstd", "GZIP", "gzip;level=9", "x y, gzip ,identity;q=0.1",
}

// ownRegistry is the exporter's own registry as serve.go fills it (the
// holder adds its reload metrics), plus a collector of the kinds of families
// the real ones do not cover: a histogram, a summary, a counter without
// created timestamp and a label value that needs escaping.
func ownRegistry() *prometheus.Registry {
	reg := prometheus.NewRegistry()
	reg.MustRegister(versioncollector.NewCollector("figures_exporter"), collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}), kindsCollector{})
	return reg
}

type kindsCollector struct{}

var (
	histDesc    = prometheus.NewDesc("a_duration_seconds", "A histogram.", nil, nil)
	summaryDesc = prometheus.NewDesc("zz_latency_seconds", "A summary.", nil, prometheus.Labels{"quote": "a \"quoted\" value\n"})
	counterDesc = prometheus.NewDesc("m_events_total", "A counter.", []string{"kind"}, nil)
)

func (kindsCollector) Describe(ch chan<- *prometheus.Desc) {
	prometheus.DescribeByCollect(kindsCollector{}, ch)
}

func (kindsCollector) Collect(ch chan<- prometheus.Metric) {
	ch <- prometheus.MustNewConstHistogram(histDesc, 3, 1.5, map[float64]uint64{0.1: 1, 1: 2})
	ch <- prometheus.MustNewConstSummary(summaryDesc, 2, 0.5, map[float64]float64{0.5: 0.25, 0.9: 0.4})
	ch <- prometheus.MustNewConstMetric(counterDesc, prometheus.CounterValue, 7, "startup")
}

// server is the /metrics handler under test and promhttp's over the same
// families, sharing one registry as they would in the exporter.
type server struct {
	holder        *reload.Holder
	cached, plain http.Handler
}

func newServer(t testing.TB, source reload.Source, maxRequests int) server {
	t.Helper()
	reg := ownRegistry()
	holder := reload.NewHolder(source, slog.New(slog.DiscardHandler), reg)
	if r, d := holder.Reload(reload.TriggerStartup); r != reload.ResultSuccess {
		t.Fatalf("loading the figures: %s %v", r, d)
	}
	return server{
		holder: holder,
		cached: MetricsHandler(holder, reg, maxRequests, slog.New(slog.DiscardHandler)),
		plain: promhttp.InstrumentMetricHandler(reg, promhttp.HandlerFor(prometheus.Gatherers{reg, snapshotGatherer(holder)}, promhttp.HandlerOpts{
			ErrorHandling:     promhttp.ContinueOnError,
			EnableOpenMetrics: true,
			Registry:          reg,
		})),
	}
}

// curated serves the dataset embedded in the binary.
func curated(t *testing.T) server {
	return newServer(t, reload.Source{Embedded: &figures.RawFile{Name: "figures.yaml", Data: figuresexporter.DefaultFigures}}, 0)
}

// synthetic serves n synthetic figures, split into files of per figures
// (so that several files make one dataset, as a curator splits by report).
func synthetic(t *testing.T, n, per int) server {
	t.Helper()
	return newServer(t, reload.Source{Paths: writeSynthetic(t, t.TempDir(), n, per, 0)}, 0)
}

// writeSynthetic writes the synthetic dataset of n figures into dir, in
// files of at most per figures each, and returns their paths.
func writeSynthetic(t testing.TB, dir string, n, per, variant int) []string {
	t.Helper()
	paths, err := synth.WriteFiles(dir, n, per, variant)
	if err != nil {
		t.Fatal(err)
	}
	return paths
}

type response struct {
	status int
	header http.Header
	raw    []byte // as sent
	body   []byte // decompressed
}

func serve(t *testing.T, h http.Handler, method, target string, header http.Header) response {
	t.Helper()
	req := httptest.NewRequest(method, target, nil)
	req.Header = header.Clone()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	res := response{status: rec.Code, header: rec.Header(), raw: rec.Body.Bytes(), body: rec.Body.Bytes()}
	if res.header.Get("Content-Encoding") == "gzip" && method != http.MethodHead {
		res.body = gunzip(t, res.raw)
	}
	return res
}

// gunzip decompresses one gzip member with Go's reader, which checks the
// CRC-32 and length of the trailer, and fails if anything follows it: a
// client that reads one member must get the whole body.
func gunzip(t *testing.T, data []byte) []byte {
	t.Helper()
	br := bytes.NewReader(data)
	zr, err := gzip.NewReader(br)
	if err != nil {
		t.Fatalf("not gzip: %v", err)
	}
	zr.Multistream(false)
	body, err := io.ReadAll(zr)
	if err != nil {
		t.Fatalf("reading the gzip body: %v", err)
	}
	if br.Len() != 0 {
		t.Fatalf("%d bytes after the gzip member", br.Len())
	}
	return body
}

// family is what a scraper reads of one metric family.
type family struct {
	help, typ, unit string
	series          []string // each sample's labels and value, sorted; only labels where the values vary by nature (see varies)
}

// decode parses a body in format into its families by name: with expfmt,
// but for OpenMetrics (expfmt parses no OpenMetrics: its text parser takes
// a counter's "# HELP x" and a gauge's "# HELP x" as one family twice) and
// the protobuf text formats (which it does not decode; they are prototext
// messages one after the other).
func decode(t *testing.T, format expfmt.Format, body []byte) map[string]family {
	t.Helper()
	fams := map[string]family{}
	add := func(mf *dto.MetricFamily) {
		if _, ok := fams[mf.GetName()]; ok {
			t.Fatalf("family %s twice", mf.GetName())
		}
		f := family{help: mf.GetHelp(), typ: mf.GetType().String(), unit: mf.GetUnit()}
		for _, m := range mf.Metric {
			var b strings.Builder
			for _, l := range m.Label {
				fmt.Fprintf(&b, "%s=%q,", l.GetName(), l.GetValue())
			}
			if !varies(mf.GetName()) {
				fmt.Fprintf(&b, " %s", sample(m))
			}
			f.series = append(f.series, b.String())
		}
		slices.Sort(f.series)
		fams[mf.GetName()] = f
	}
	switch format.FormatType() {
	case expfmt.TypeOpenMetrics:
		return decodeOpenMetrics(t, body)
	case expfmt.TypeProtoText, expfmt.TypeProtoCompact:
		// A family's name is the only field at the start of a line that
		// starts one (nested fields are indented or on the same line).
		for _, msg := range splitBefore(string(body), "name:") {
			mf := &dto.MetricFamily{}
			if err := prototext.Unmarshal([]byte(msg), mf); err != nil {
				t.Fatalf("%s: %v\n%s", format, err, msg)
			}
			add(mf)
		}
	default:
		dec := expfmt.NewDecoder(bytes.NewReader(body), format)
		for {
			mf := &dto.MetricFamily{}
			if err := dec.Decode(mf); err == io.EOF {
				break
			} else if err != nil {
				t.Fatalf("%s: %v", format, err)
			}
			add(mf)
		}
	}
	return fams
}

// decodeOpenMetrics reads an OpenMetrics body line by line: the metadata
// lines of each family and its sample lines (without the values of the
// families whose values vary by nature), after checking that "# EOF" ends
// the body, once.
func decodeOpenMetrics(t *testing.T, body []byte) map[string]family {
	t.Helper()
	text, ok := bytes.CutSuffix(body, []byte("# EOF\n"))
	if !ok || bytes.Contains(text, []byte("# EOF")) {
		t.Fatalf("the OpenMetrics body does not end with one # EOF:\n%s", body[max(0, len(body)-300):])
	}
	fams := map[string]family{}
	name := ""
	for _, line := range strings.Split(strings.TrimSuffix(string(text), "\n"), "\n") {
		if meta, ok := strings.CutPrefix(line, "# "); ok {
			kind, rest, _ := strings.Cut(meta, " ")
			var value string
			name, value, _ = strings.Cut(rest, " ")
			f := fams[name]
			switch kind {
			case "HELP":
				f.help = value
			case "TYPE":
				f.typ = value
			case "UNIT":
				f.unit = value
			default:
				t.Fatalf("unknown metadata line %q", line)
			}
			fams[name] = f
			continue
		}
		if name == "" || !strings.HasPrefix(line, name) {
			t.Fatalf("sample %q outside its family (%s)", line, name)
		}
		if varies(name) {
			line = line[:strings.LastIndexByte(line, ' ')]
		}
		f := fams[name]
		f.series = append(f.series, line)
		fams[name] = f
	}
	for name, f := range fams {
		slices.Sort(f.series)
		fams[name] = f
	}
	return fams
}

// splitBefore splits s before each line that starts with prefix.
func splitBefore(s, prefix string) []string {
	var parts []string
	for s != "" {
		i := strings.Index(s[1:], "\n"+prefix)
		if i < 0 {
			return append(parts, s)
		}
		parts, s = append(parts, s[:i+2]), s[i+2:]
	}
	return parts
}

// varies says whether the values of a family change from one scrape to the
// next by nature, so that two scrapes cannot agree on them.
func varies(name string) bool {
	return strings.HasPrefix(name, "go_") || strings.HasPrefix(name, "process_") ||
		strings.HasPrefix(name, "promhttp_metric_handler_requests")
}

// differences lists how two expositions differ in what a scraper reads
// from them: the families, their HELP, TYPE and unit, their series and the
// series' values (but those of the families that vary by nature). A unit
// only counts where want has one: promhttp's reference serves through
// prometheus.Gatherers, which drops the units of the families it merges
// (client_golang v1.25.0), while the exporter keeps those its registry
// gives (the Go collector's, as it did before the cache was rewritten).
func differences(got, want map[string]family) []string {
	var diffs []string
	names := slices.Sorted(maps.Keys(got))
	for n := range want {
		if _, ok := got[n]; !ok {
			names = append(names, n)
		}
	}
	for _, name := range names {
		g, gok := got[name]
		w, wok := want[name]
		switch {
		case !wok:
			diffs = append(diffs, "extra family "+name)
			continue
		case !gok:
			diffs = append(diffs, "missing family "+name)
			continue
		case g.help != w.help || g.typ != w.typ || (w.unit != "" && g.unit != w.unit):
			diffs = append(diffs, fmt.Sprintf("%s: HELP %q TYPE %s UNIT %q, want %q %s %q", name, g.help, g.typ, g.unit, w.help, w.typ, w.unit))
		}
		if !slices.Equal(g.series, w.series) {
			diffs = append(diffs, fmt.Sprintf("%s: series\n  %s\nwant\n  %s", name, strings.Join(g.series, "\n  "), strings.Join(w.series, "\n  ")))
		}
	}
	return diffs
}

// sample renders a sample's value (or buckets, quantiles, count and sum),
// without its created timestamp, which the text formats do not carry.
func sample(m *dto.Metric) string {
	switch {
	case m.Gauge != nil:
		return fmt.Sprint("gauge ", m.GetGauge().GetValue())
	case m.Counter != nil:
		return fmt.Sprint("counter ", m.GetCounter().GetValue())
	case m.Untyped != nil:
		return fmt.Sprint("untyped ", m.GetUntyped().GetValue())
	case m.Histogram != nil:
		h := m.GetHistogram()
		s := fmt.Sprint("histogram count=", h.GetSampleCount(), " sum=", h.GetSampleSum())
		for _, b := range h.Bucket {
			s += fmt.Sprint(" le", b.GetUpperBound(), "=", b.GetCumulativeCount())
		}
		return s
	case m.Summary != nil:
		sm := m.GetSummary()
		s := fmt.Sprint("summary count=", sm.GetSampleCount(), " sum=", sm.GetSampleSum())
		for _, q := range sm.Quantile {
			s += fmt.Sprint(" q", q.GetQuantile(), "=", q.GetValue())
		}
		return s
	}
	return "?"
}

// TestMetricsLikePromhttp serves every negotiable format in every content
// coding, on GET and HEAD, and compares each response with promhttp's for
// the same request: the same status and headers, a Content-Length that is
// the body's, a gzip body that Go's reader reads as one member, and a body
// that decodes to the same families, HELP, TYPE, series and values. The
// body depends on the format and whether it is gzipped, not on how
// Accept-Encoding said so: it is decoded once per format and coding.
func TestMetricsLikePromhttp(t *testing.T) {
	for _, ds := range []struct {
		name      string
		srv       server
		encodings []string
		methods   []string
	}{
		{"curated", curated(t), acceptEncodings, []string{http.MethodGet, http.MethodHead}},
		// 500 figures in 5 files: every format, gzip and identity.
		{"synthetic", synthetic(t, 500, 100), []string{"gzip", ""}, []string{http.MethodGet}},
	} {
		for _, a := range accepts {
			decoded := map[string]bool{} // by Content-Encoding
			for _, ae := range ds.encodings {
				for _, method := range ds.methods {
					t.Run(fmt.Sprintf("%s/%s/%s/%s", ds.name, a.name, ae, method), func(t *testing.T) {
						header := http.Header{}
						if a.accept != "" {
							header.Set("Accept", a.accept)
						}
						if ae != "" {
							header.Set("Accept-Encoding", ae)
						}
						got := serve(t, ds.srv.cached, method, "/metrics", header)
						want := serve(t, ds.srv.plain, method, "/metrics", header)
						coding := got.header.Get("Content-Encoding")
						compare(t, got, want, method, !decoded[coding])
						decoded[coding] = decoded[coding] || method == http.MethodGet
					})
				}
			}
		}
	}
}

// compare fails unless got (the cached handler's response to a request
// with method) is what a client reads in want (promhttp's), comparing the
// decoded bodies of a GET if bodies is set.
func compare(t *testing.T, got, want response, method string, bodies bool) {
	t.Helper()
	if got.status != want.status {
		t.Fatalf("status %d, promhttp %d", got.status, want.status)
	}
	for _, h := range []string{"Content-Type", "Content-Encoding", "Vary"} {
		if g, w := got.header.Values(h), want.header.Values(h); !slices.Equal(g, w) {
			t.Errorf("%s: %q, promhttp %q", h, g, w)
		}
	}
	if length := got.header.Get("Content-Length"); method == http.MethodHead {
		// HEAD: no body, but the length a GET would have.
		if len(got.raw) != 0 || length == "" || length == "0" {
			t.Errorf("HEAD: %d bytes of body, Content-Length %q", len(got.raw), length)
		}
		return
	} else if length != fmt.Sprint(len(got.raw)) {
		t.Errorf("Content-Length %s for %d bytes", length, len(got.raw))
	}
	if bodies {
		format := expfmt.Format(got.header.Get("Content-Type"))
		for _, d := range differences(decode(t, format, got.body), decode(t, format, want.body)) {
			t.Error(d)
		}
	}
}

// TestMetricsCurlAndPromtool reads the cached handler's responses with the
// clients users have: curl --compressed (and without), and the pinned
// promtool's `check metrics` on the text formats.
func TestMetricsCurlAndPromtool(t *testing.T) {
	curl, err := exec.LookPath("curl")
	if err != nil {
		t.Skip("no curl on this machine")
	}
	promtool := testtools.Tool(t, "promtool")
	srv := synthetic(t, 300, 100)
	ts := httptest.NewServer(srv.cached)
	defer ts.Close()
	for _, a := range accepts {
		for _, compressed := range []bool{true, false} {
			t.Run(fmt.Sprintf("%s/compressed=%v", a.name, compressed), func(t *testing.T) {
				args := []string{"-sS", "--fail", "-D", "-", "-H", "Accept: " + a.accept, ts.URL + "/metrics"}
				if compressed {
					args = append(args, "--compressed")
				}
				out, err := exec.Command(curl, args...).Output()
				if err != nil {
					t.Fatalf("curl: %v", err)
				}
				head, body, ok := bytes.Cut(out, []byte("\r\n\r\n"))
				if !ok {
					t.Fatalf("no headers in curl's output")
				}
				gzipped := bytes.Contains(bytes.ToLower(head), []byte("content-encoding: gzip"))
				if gzipped != compressed {
					t.Fatalf("gzip %v, asked %v:\n%s", gzipped, compressed, head)
				}
				header := http.Header{"Accept": {a.accept}}
				if compressed {
					header.Set("Accept-Encoding", "gzip")
				}
				want := serve(t, srv.plain, http.MethodGet, "/metrics", header)
				format := expfmt.Format(want.header.Get("Content-Type"))
				for _, d := range differences(decode(t, format, body), decode(t, format, want.body)) {
					t.Error(d)
				}
				if format.FormatType() != expfmt.TypeTextPlain || !compressed {
					return
				}
				cmd := exec.Command(promtool, "check", "metrics")
				cmd.Stdin = bytes.NewReader(body)
				if out, err := cmd.CombinedOutput(); err != nil {
					t.Errorf("promtool check metrics: %v\n%s", err, out)
				}
			})
		}
	}
}

// TestMetricsFallbacks: what the cache does not serve goes to promhttp
// itself: a name[] filter, scrapes before the first load, and an own
// family with the name of a dataset family.
func TestMetricsFallbacks(t *testing.T) {
	srv := curated(t)
	for _, target := range []string{
		"/metrics?name[]=figures_exporter_dataset_figures&name[]=m_events_total",
		"/metrics?name[]=no_such_metric",
	} {
		t.Run(target, func(t *testing.T) {
			got := serve(t, srv.cached, http.MethodGet, target, http.Header{})
			want := serve(t, srv.plain, http.MethodGet, target, http.Header{})
			if !bytes.Equal(got.body, want.body) {
				t.Fatalf("got %q, promhttp %q", got.body, want.body)
			}
		})
	}
	t.Run("no snapshot", func(t *testing.T) {
		reg := ownRegistry()
		empty := reload.NewHolder(reload.Source{Embedded: &figures.RawFile{Name: "bad.yaml", Data: []byte("families: [")}}, slog.New(slog.DiscardHandler), reg)
		empty.Reload(reload.TriggerStartup)
		got := serve(t, MetricsHandler(empty, reg, 0, slog.New(slog.DiscardHandler)), http.MethodGet, "/metrics", http.Header{})
		fams := decode(t, expfmt.Format(got.header.Get("Content-Type")), got.body)
		if _, info := fams[collector.DatasetInfo]; got.status != http.StatusOK || fams["figures_exporter_config_last_reload_successful"].typ == "" || info {
			t.Fatalf("got %d:\n%s", got.status, got.body)
		}
	})
	t.Run("name in both", func(t *testing.T) {
		reg := ownRegistry()
		reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: collector.DatasetFigures, Help: "Number of figures in the loaded dataset."}, func() float64 { return 1 }))
		holder := reload.NewHolder(reload.Source{Embedded: &figures.RawFile{Name: "figures.yaml", Data: figuresexporter.DefaultFigures}}, slog.New(slog.DiscardHandler), reg)
		holder.Reload(reload.TriggerStartup)
		got := serve(t, MetricsHandler(holder, reg, 0, slog.New(slog.DiscardHandler)), http.MethodGet, "/metrics", http.Header{})
		// Gatherers refuses the second series of the same labels; promhttp
		// serves the rest and logs the error.
		fams := decode(t, expfmt.Format(got.header.Get("Content-Type")), got.body)
		if len(fams[collector.DatasetFigures].series) != 1 || len(fams[collector.FigureInfo].series) != len(holder.Snapshot().Dataset.Figures) {
			t.Fatalf("got %d:\n%s", got.status, got.body)
		}
	})
}

// blockingCollector holds a scrape until released, to fill the in-flight
// limit.
type blockingCollector struct{ entered, release chan struct{} }

func (c blockingCollector) Describe(chan<- *prometheus.Desc) {}
func (c blockingCollector) Collect(chan<- prometheus.Metric) {
	c.entered <- struct{}{}
	<-c.release
}

// TestMetricsMaxRequests: beyond --web.max-requests scrapes get promhttp's
// 503, and promhttp's own metrics count them.
func TestMetricsMaxRequests(t *testing.T) {
	reg := ownRegistry()
	block := blockingCollector{entered: make(chan struct{}, 1), release: make(chan struct{})}
	reg.MustRegister(block)
	holder := reload.NewHolder(reload.Source{Embedded: &figures.RawFile{Name: "figures.yaml", Data: figuresexporter.DefaultFigures}}, slog.New(slog.DiscardHandler), reg)
	holder.Reload(reload.TriggerStartup)
	h := MetricsHandler(holder, reg, 1, slog.New(slog.DiscardHandler))
	first := make(chan response, 1)
	go func() { first <- serve(t, h, http.MethodGet, "/metrics", http.Header{}) }()
	select {
	case <-block.entered:
	case <-time.After(30 * time.Second):
		t.Fatal("the first scrape never gathered")
	}
	if got := serve(t, h, http.MethodGet, "/metrics", http.Header{}); got.status != http.StatusServiceUnavailable ||
		string(got.body) != "Limit of concurrent requests reached (1), try again later.\n" {
		t.Errorf("second scrape: %d %q, want 503", got.status, got.body)
	}
	close(block.release)
	var res response
	select {
	case res = <-first:
	case <-time.After(30 * time.Second):
		t.Fatal("the first scrape never finished")
	}
	if res.status != http.StatusOK {
		t.Fatalf("first scrape: %d", res.status)
	}
	// The slot is free again, and promhttp's counter has the 503.
	go func() { <-block.entered }()
	res = serve(t, h, http.MethodGet, "/metrics", http.Header{})
	for _, code := range []string{"200", "503"} {
		if want := `promhttp_metric_handler_requests_total{code="` + code + `"} 1`; res.status != http.StatusOK || !bytes.Contains(res.body, []byte(want+"\n")) {
			t.Errorf("third scrape: %d, no %s in\n%s", res.status, want, res.body)
		}
	}
}

// TestMetricsFollowReloads: after a reload the cache serves the new
// snapshot, in the formats asked for before it and after.
func TestMetricsFollowReloads(t *testing.T) {
	dir := t.TempDir()
	paths := writeSynthetic(t, dir, 200, 100, 0)
	srv := newServer(t, reload.Source{Paths: paths}, 0)
	for variant := range 3 {
		if variant > 0 {
			writeSynthetic(t, dir, 200, 100, variant)
			if r, d := srv.holder.Reload(reload.TriggerHTTP); r != reload.ResultSuccess {
				t.Fatal(r, d)
			}
		}
		want := fmt.Sprintf(`figures_exporter_dataset_info{revision="%s"} 1`, collector.ShortRevision(srv.holder.Snapshot().Dataset.Revision))
		for _, a := range accepts[:7] {
			got := serve(t, srv.cached, http.MethodGet, "/metrics", http.Header{"Accept": {a.accept}, "Accept-Encoding": {"gzip"}})
			if !bytes.Contains(got.body, []byte(want)) {
				t.Fatalf("variant %d, %s: no %s in\n%s", variant, a.name, want, got.body)
			}
		}
	}
}
