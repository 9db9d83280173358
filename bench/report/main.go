// Command report turns the JSON lines of a bench/run.sh run into the
// Markdown tables of BENCHMARKS.md: every measurement, the ratios between
// the servers, and the targets with the exporter built from the
// commit measured beside ("before") and from the working tree ("after").
//
// Names are SIZE/SERVER/cC (a scrape run), SIZE/EXPORTER/reload,
// SIZE/EXPORTER/reload-under-load and SIZE/EXPORTER/startup, plus
// lines/EXPORTER and tests/cold, tests/warm.
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"

	"github.com/figures-exporter/figures_exporter/bench/measure"
)

type result = measure.Run

const (
	after  = "figures_exporter"
	before = "figures_exporter_before"
)

var servers = []string{after, before, "node_exporter", "nginx"}

// runs are the results of one run by name.
type runs map[string]result

func (rs runs) get(format string, args ...any) (result, bool) {
	r, ok := rs[fmt.Sprintf(format, args...)]
	return r, ok
}

func main() {
	rs := runs{}
	var sizes, concs []int
	sc := bufio.NewScanner(os.Stdin)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		var r result
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			fmt.Fprintln(os.Stderr, "report:", err)
			os.Exit(1)
		}
		rs[r.Name] = r
		parts := strings.Split(r.Name, "/")
		if n, err := strconv.Atoi(parts[0]); err == nil && !slices.Contains(sizes, n) {
			sizes = append(sizes, n)
		}
		if c, err := strconv.Atoi(strings.TrimPrefix(parts[len(parts)-1], "c")); err == nil && strings.HasPrefix(parts[len(parts)-1], "c") && !slices.Contains(concs, c) {
			concs = append(concs, c)
		}
	}
	slices.Sort(sizes)
	slices.Sort(concs)
	exporters := []string{after}
	if _, ok := rs["lines/"+before]; ok {
		exporters = append(exporters, before)
	}

	fmt.Print("### Scrapes\n\n")
	fmt.Println("| figures | server | concurrency | scrapes/s | p50 ms | p99 ms | CPU ms/scrape | peak RSS MB | RSS MB at end | gzip body bytes | figure series | errors |")
	fmt.Println("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
	for _, n := range sizes {
		for _, s := range servers {
			for _, c := range concs {
				if r, ok := rs.get("%d/%s/c%d", n, s, c); ok {
					fmt.Printf("| %d | %s | %d | %.1f | %.2f | %.2f | %.3f | %.0f | %.0f | %d | %d | %d |\n",
						n, label(s), c, r.PerSecond, r.P50ms, r.P99ms, r.CPUPerScrMs, r.PeakRSSMB, r.RSSMB, r.BodyBytes, r.Series, r.Errors)
				}
			}
		}
	}

	fmt.Print("\n### Ratios\n\n")
	fmt.Println("| figures | concurrency | exporter | throughput ÷ node_exporter | throughput ÷ nginx | CPU/scrape ÷ nginx | p99 ÷ nginx |")
	fmt.Println("|---:|---:|---|---:|---:|---:|---:|")
	for _, n := range sizes {
		for _, c := range concs {
			ne, okN := rs.get("%d/node_exporter/c%d", n, c)
			ng, okG := rs.get("%d/nginx/c%d", n, c)
			for _, e := range exporters {
				if r, ok := rs.get("%d/%s/c%d", n, e, c); ok && okN && okG {
					fmt.Printf("| %d | %d | %s | %s | %s | %s | %s |\n", n, c, label(e),
						ratio(r.PerSecond, ne.PerSecond), ratio(r.PerSecond, ng.PerSecond), ratio(r.CPUPerScrMs, ng.CPUPerScrMs), ratio(r.P99ms, ng.P99ms))
				}
			}
		}
	}

	fmt.Print("\n### Startup and reloads (POST /-/reload after one value changed in one report's file)\n\n")
	fmt.Println("| figures | exporter | startup s | peak RSS MB at ready | reload p50 ms | reload max ms | CPU ms/reload | scrape p99 ms without reloads (c=1) | during back-to-back reloads | ratio | reloads during the run | peak RSS MB over the run |")
	fmt.Println("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
	for _, n := range sizes {
		for _, e := range exporters {
			st, _ := rs.get("%d/%s/startup", n, e)
			rl, ok := rs.get("%d/%s/reload", n, e)
			if !ok {
				continue
			}
			base, _ := rs.get("%d/%s/c1", n, e)
			under, _ := rs.get("%d/%s/reload-under-load", n, e)
			fmt.Printf("| %d | %s | %.2f | %.0f | %.0f | %.0f | %.0f | %.2f | %.2f | %s | %d | %.0f |\n", n, label(e), st.Seconds, st.PeakRSSMB,
				rl.ReloadP50ms, rl.ReloadMaxMs, rl.CPUPerScrMs, base.P99ms, under.P99ms, ratio(under.P99ms, base.P99ms), under.Reloads, rs.peak(n, e))
		}
	}

	fmt.Print("\n### Targets (issue 9)\n\n")
	fmt.Println("| target | before | after | met |")
	fmt.Println("|---|---:|---:|---|")
	// each prints the row of a target: f measured on the before and after
	// exporters, and whether after meets it (met is given before's value,
	// NaN if there is none).
	each := func(what string, f func(e string) (float64, bool), format string, met func(a, b float64) bool) {
		a, okA := f(after)
		b, okB := f(before)
		if !okA {
			return
		}
		bs := "–"
		if okB {
			bs = fmt.Sprintf(format, b)
		} else {
			b = math.NaN()
		}
		fmt.Printf("| %s | %s | %s | %s |\n", what, bs, fmt.Sprintf(format, a), yes(met(a, b)))
	}
	under := func(limit float64) func(a, b float64) bool { return func(a, _ float64) bool { return a <= limit } }
	over := func(limit float64) func(a, b float64) bool { return func(a, _ float64) bool { return a >= limit } }
	each("production Go lines under exporter/ ≤ 3,000", func(e string) (float64, bool) {
		r, ok := rs.get("lines/%s", e)
		return float64(r.Lines), ok
	}, "%.0f", under(3000))
	for _, n := range sizes {
		for _, c := range concs {
			cpu := func(e string) (float64, bool) {
				r, ok := rs.get("%d/%s/c%d", n, e, c)
				return r.CPUPerScrMs, ok
			}
			if n >= 100000 {
				ng, _ := rs.get("%d/nginx/c%d", n, c)
				each(fmt.Sprintf("CPU per scrape ÷ nginx gzip_static, %d figures, c=%d: ≤ 1.5×", n, c), func(e string) (float64, bool) {
					v, ok := cpu(e)
					return v / ng.CPUPerScrMs, ok
				}, "%.2f×", under(1.5))
			} else {
				each(fmt.Sprintf("CPU ms per scrape, %d figures, c=%d: no higher than before", n, c), cpu, "%.3f", func(a, b float64) bool { return a <= b })
			}
		}
	}
	for _, n := range sizes {
		limit := 100.0
		if n < 10000 {
			limit = 50
		}
		for _, c := range concs {
			ne, _ := rs.get("%d/node_exporter/c%d", n, c)
			each(fmt.Sprintf("throughput ÷ node_exporter textfile, %d figures, c=%d: ≥ %.0f×", n, c, limit), func(e string) (float64, bool) {
				r, ok := rs.get("%d/%s/c%d", n, e, c)
				return r.PerSecond / ne.PerSecond, ok
			}, "%.0f×", over(limit))
		}
	}
	for _, n := range sizes {
		if n < 10000 {
			continue
		}
		each(fmt.Sprintf("scrape p99 during back-to-back reloads ÷ without, %d figures: ≤ 2×", n), func(e string) (float64, bool) {
			base, ok := rs.get("%d/%s/c1", n, e)
			under, ok2 := rs.get("%d/%s/reload-under-load", n, e)
			return under.P99ms / base.P99ms, ok && ok2
		}, "%.2f×", under(2))
	}
	for _, n := range sizes {
		limit := map[bool]float64{true: 100, false: 1000}[n < 10000]
		if n >= 100000 {
			limit = 3000
		}
		each(fmt.Sprintf("reload after one value changes, %d figures (p50): ≤ %.0f ms", n, limit), func(e string) (float64, bool) {
			r, ok := rs.get("%d/%s/reload", n, e)
			return r.ReloadP50ms, ok
		}, "%.0f ms", under(limit))
	}
	for _, n := range sizes {
		limit := map[bool]float64{true: 150, false: 600}[n < 100000]
		if n < 10000 {
			continue
		}
		each(fmt.Sprintf("peak RSS, startup included, %d figures: ≤ %.0f MB", n, limit), func(e string) (float64, bool) {
			p := rs.peak(n, e)
			return p, p > 0
		}, "%.0f MB", under(limit))
	}
	for _, t := range []struct {
		name  string
		limit float64
	}{{"cold", 600}, {"warm", 90}} {
		if r, ok := rs.get("tests/%s", t.name); ok {
			fmt.Printf("| `go test -race -timeout 60m ./...`, %s caches: ≤ %.0f s | – | %.0f s (exit %d) | %s |\n", t.name, t.limit, r.Seconds, r.ExitCode, yes(r.Seconds <= t.limit && r.ExitCode == 0))
		}
	}
}

// peak is the highest VmHWM of an exporter at n figures over the run.
func (rs runs) peak(n int, e string) float64 {
	peak := 0.0
	for name, r := range rs {
		if strings.HasPrefix(name, fmt.Sprintf("%d/%s/", n, e)) {
			peak = max(peak, r.PeakRSSMB)
		}
	}
	return peak
}

func label(server string) string {
	switch server {
	case after:
		return "figures_exporter (after)"
	case before:
		return "figures_exporter (before)"
	}
	return server
}

func yes(ok bool) string {
	if ok {
		return "yes"
	}
	return "**no**"
}

func ratio(a, b float64) string {
	if b == 0 {
		return "–"
	}
	return fmt.Sprintf("%.2f", a/b)
}
