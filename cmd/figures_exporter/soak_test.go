package main

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	figuresexporter "github.com/figures-exporter/figures_exporter"
	"github.com/figures-exporter/figures_exporter/exporter/collector"
	"github.com/figures-exporter/figures_exporter/exporter/figures"
)

// soakDuration is how long TestSoak runs: 8 s by default (3 s with -short),
// or FIGURES_SOAK_DURATION (a Go duration, at most 60 s) for the long run
// the Reliability section reports:
//
//	FIGURES_SOAK_DURATION=60s go test ./cmd/figures_exporter -run TestSoak -v
func soakDuration(t *testing.T) time.Duration {
	t.Helper()
	if s := os.Getenv("FIGURES_SOAK_DURATION"); s != "" {
		d, err := time.ParseDuration(s)
		if err != nil || d <= 0 || d > time.Minute {
			t.Fatalf("FIGURES_SOAK_DURATION=%q: want a duration up to 60s", s)
		}
		return d
	}
	if testing.Short() {
		return 3 * time.Second
	}
	return 8 * time.Second
}

const (
	soakScrapers = 32
	soakInterval = 20 * time.Millisecond
)

// soakExpectation is what a scrape of one revision must show: every sample
// line of the snapshot's families, as the text format writes it. Comparing
// lines rather than parsing each scrape keeps the 32 race-instrumented
// scrapers cheap enough to keep the exporter busy on a 2-core machine.
type soakExpectation struct {
	lines map[string]bool
}

func soakValue(m *dto.Metric) float64 {
	if m.GetGauge() != nil {
		return m.GetGauge().GetValue()
	}
	if m.GetCounter() != nil {
		return m.GetCounter().GetValue()
	}
	return m.GetUntyped().GetValue()
}

func soakExpect(t *testing.T, data []byte) (string, soakExpectation, map[string]bool) {
	t.Helper()
	ds, diags := figures.Parse([]figures.RawFile{{Name: "figures.yaml", Data: data}}, time.Now())
	if ds == nil {
		t.Fatalf("soak dataset does not load:\n%v", diags)
	}
	reg := prometheus.NewPedanticRegistry()
	reg.MustRegister(collector.New(ds, len(diags.Warnings())))
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	exp := soakExpectation{lines: map[string]bool{}}
	names := map[string]bool{}
	var buf bytes.Buffer
	enc := expfmt.NewEncoder(&buf, expfmt.NewFormat(expfmt.TypeTextPlain))
	for _, mf := range mfs {
		names[mf.GetName()] = true
		if err := enc.Encode(mf); err != nil {
			t.Fatal(err)
		}
	}
	for _, line := range strings.Split(buf.String(), "\n") {
		if line != "" && !strings.HasPrefix(line, "#") {
			exp.lines[line] = true
		}
	}
	return collector.ShortRevision(ds.Revision), exp, names
}

// TestSoak: 32 scrapers scrape /metrics without pause while the figures
// file alternates every 20 ms between two valid datasets and a broken one,
// each change reloaded with POST /-/reload. Every scrape must succeed and be
// internally consistent: all series of the dataset's families belong to the
// revision the scrape's figures_exporter_dataset_info names (and its hash
// and figure count agree). Before and after, the exporter's own
// go_goroutines and heap metrics are read: they must come back to where
// they were (the numbers are logged for docs/reliability.md).
func TestSoak(t *testing.T) {
	duration := soakDuration(t)
	a := figuresexporter.DefaultFigures
	// b differs from a in every figure's curated date (so in every
	// figures_figure_revised_timestamp_seconds series of figures without a
	// revision date) and in its revision.
	b := regexp.MustCompile(`(?m)^(\s+curated: )\d{4}-\d{2}-\d{2}\s*$`).ReplaceAll(a, []byte("${1}2025-01-01"))
	b = append(b, "\n# soak dataset b\n"...)
	broken := append(bytes.Clone(a), "\n  - id: [unclosed\n"...)

	revA, expA, names := soakExpect(t, a)
	revB, expB, _ := soakExpect(t, b)
	if revA == revB {
		t.Fatal("the two soak datasets have the same revision")
	}
	expected := map[string]soakExpectation{revA: expA, revB: expB}

	path := filepath.Join(t.TempDir(), "figures.yaml")
	if err := os.WriteFile(path, a, 0o644); err != nil {
		t.Fatal(err)
	}
	p := startExporter(t, nil, "http", "--figures.file="+path, "--no-figures.watch", "--web.enable-lifecycle")
	base := "http://" + p.addr

	// The exporter's own view of itself, read on a connection of its own.
	self := func() (goroutines, heap, rss float64) {
		c := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}}
		resp, err := c.Get(base + "/metrics")
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		parser := expfmt.NewTextParser(model.UTF8Validation)
		fams, err := parser.TextToMetricFamilies(resp.Body)
		if err != nil {
			t.Fatal(err)
		}
		get := func(name string) float64 {
			if mf := fams[name]; mf != nil && len(mf.GetMetric()) > 0 {
				return soakValue(mf.GetMetric()[0])
			}
			t.Fatalf("/metrics lacks %s", name)
			return 0
		}
		return get("go_goroutines"), get("go_memstats_heap_alloc_bytes"), get("process_resident_memory_bytes")
	}
	// A short warm-up so that the baseline includes what the first scrapes
	// and reloads allocate once (buffers, pools, the HTTP server's state).
	warm := &http.Client{Timeout: 10 * time.Second}
	for i := 0; i < 20; i++ {
		resp, err := warm.Post(base+"/-/reload", "text/plain", nil)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		r, err := warm.Get(base + "/metrics")
		if err != nil {
			t.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, r.Body)
		r.Body.Close()
	}
	warm.CloseIdleConnections()
	time.Sleep(200 * time.Millisecond)
	g0, h0, rss0 := self()

	var (
		scrapes, failures, inconsistent atomic.Int64
		seenMu                          sync.Mutex
		seen                            = map[string]int{}
		firstProblem                    atomic.Value
	)
	problem := func(format string, args ...any) {
		firstProblem.CompareAndSwap(nil, fmt.Sprintf(format, args...))
	}
	transport := &http.Transport{MaxIdleConnsPerHost: soakScrapers, DisableCompression: true}
	client := &http.Client{Timeout: 30 * time.Second, Transport: transport}
	deadline := time.Now().Add(duration)
	var wg sync.WaitGroup
	for i := 0; i < soakScrapers; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for time.Now().Before(deadline) {
				scrapes.Add(1)
				resp, err := client.Get(base + "/metrics")
				if err != nil {
					failures.Add(1)
					problem("scrape: %v", err)
					continue
				}
				body, err := io.ReadAll(resp.Body)
				resp.Body.Close()
				if err != nil || resp.StatusCode != http.StatusOK {
					failures.Add(1)
					problem("scrape: %d %v %.200s", resp.StatusCode, err, body)
					continue
				}
				rev, err := soakCheck(body, expected, names)
				if err != nil {
					inconsistent.Add(1)
					problem("inconsistent scrape: %v", err)
					continue
				}
				seenMu.Lock()
				seen[rev]++
				seenMu.Unlock()
			}
		}()
	}

	// The reloader: a, broken, b, broken, … every 20 ms, each swapped in by
	// rename (so that no reload reads a half-written file) and signalled with
	// SIGHUP, which does not wait for the reload: a slow reload under load
	// does not stretch the interval (signals arriving during a reload are
	// merged into one; the reload counters say how many ran).
	cycle := [][]byte{a, broken, b, broken}
	tick := time.NewTicker(soakInterval)
	changes := 0
	for ; time.Now().Before(deadline); changes++ {
		<-tick.C
		tmp := path + ".tmp"
		if err := os.WriteFile(tmp, cycle[changes%len(cycle)], 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Rename(tmp, path); err != nil {
			t.Fatal(err)
		}
		if err := p.Cmd.Process.Signal(syscall.SIGHUP); err != nil {
			t.Fatal(err)
		}
	}
	tick.Stop()
	wg.Wait()
	transport.CloseIdleConnections()

	// Back at rest, goroutines must return to the baseline (HTTP connection
	// goroutines end when the connections close; allow a few stragglers).
	reloads := p.reloadCounts(t)
	var g1, h1, rss1 float64
	settle := time.Now().Add(10 * time.Second)
	for {
		g1, h1, rss1 = self()
		if g1 <= g0 || time.Now().After(settle) {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Logf("soak: %v, %d scrapers, %d scrapes (%.0f/s), %d failed, %d inconsistent; %d file changes every %v, reloads by result %v; scrapes per revision: %v",
		duration, soakScrapers, scrapes.Load(), float64(scrapes.Load())/duration.Seconds(), failures.Load(), inconsistent.Load(), changes, soakInterval, reloads, seen)
	t.Logf("exporter at rest before/after: go_goroutines %.0f -> %.0f; go_memstats_heap_alloc_bytes %.1f -> %.1f MiB; process_resident_memory_bytes %.1f -> %.1f MiB",
		g0, g1, h0/(1<<20), h1/(1<<20), rss0/(1<<20), rss1/(1<<20))

	if v := firstProblem.Load(); v != nil {
		t.Errorf("first problem: %s", v)
	}
	if failures.Load() != 0 || inconsistent.Load() != 0 {
		t.Errorf("%d failed and %d inconsistent scrapes, want none", failures.Load(), inconsistent.Load())
	}
	if reloads["success"] == 0 || reloads["failure"] == 0 {
		t.Errorf("reloads by result %v: want both successes and failures", reloads)
	}
	if seen[revA] == 0 || seen[revB] == 0 {
		t.Errorf("scrapes saw revisions %v; want both %s and %s", seen, revA, revB)
	}
	if g1 > g0+2 {
		t.Errorf("goroutines grew from %.0f to %.0f", g0, g1)
	}
	// The heap of a Go program at rest varies with GC timing; growth beyond
	// twice the baseline plus a margin would be a leak.
	if h1 > 2*h0+16<<20 {
		t.Errorf("heap grew from %.1f to %.1f MiB", h0/(1<<20), h1/(1<<20))
	}
}

// soakCheck checks one scrape against the expectation of the revision its
// figures_exporter_dataset_info names, and returns that revision: every
// sample line of the dataset's families must be one of that revision's, and
// all of them must be there.
func soakCheck(body []byte, expected map[string]soakExpectation, names map[string]bool) (string, error) {
	text := string(body)
	const infoPrefix = collector.DatasetInfo + `{revision="`
	i := strings.Index(text, "\n"+infoPrefix)
	if i < 0 {
		return "", fmt.Errorf("no %s series", collector.DatasetInfo)
	}
	rest := text[i+1+len(infoPrefix):]
	rev := rest[:strings.IndexByte(rest, '"')]
	exp, ok := expected[rev]
	if !ok {
		return "", fmt.Errorf("revision %q is neither soak dataset", rev)
	}
	n := 0
	for _, line := range strings.Split(text, "\n") {
		if line == "" || line[0] == '#' {
			continue
		}
		end := strings.IndexAny(line, "{ ")
		if end < 0 || !names[line[:end]] {
			continue
		}
		if !exp.lines[line] {
			return "", fmt.Errorf("revision %s: line %q is not of this revision", rev, line)
		}
		n++
	}
	if n != len(exp.lines) {
		return "", fmt.Errorf("revision %s: %d sample lines of the dataset, want %d", rev, n, len(exp.lines))
	}
	return rev, nil
}

// reloadCounts reads figures_exporter_config_reloads_total{trigger="signal"}
// by result.
func (p *exporterProc) reloadCounts(t *testing.T) map[string]float64 {
	t.Helper()
	fams := p.metrics(t)
	out := map[string]float64{}
	for _, m := range fams["figures_exporter_config_reloads_total"].GetMetric() {
		labels := map[string]string{}
		for _, l := range m.GetLabel() {
			labels[l.GetName()] = l.GetValue()
		}
		if labels["trigger"] == "signal" {
			out[labels["result"]] = m.GetCounter().GetValue()
		}
	}
	return out
}
