// Command report turns the JSON lines of bench/load runs (as bench/run.sh
// names them: NAME is SIZE/SERVER/cC, SIZE/exporter/reload or
// SIZE/exporter/reload-under-load) into the Markdown tables of
// BENCHMARKS.md: every measurement, the ratios between the servers and
// the targets at the largest size.
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"strconv"
	"strings"

	"github.com/figures-exporter/figures_exporter/bench/measure"
)

type result = measure.Run

var servers = []string{"figures_exporter", "node_exporter", "nginx"}

func main() {
	byName := map[string]result{}
	sizes := map[int]bool{}
	concs := map[int]bool{}
	sc := bufio.NewScanner(os.Stdin)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		var r result
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			fmt.Fprintln(os.Stderr, "report:", err)
			os.Exit(1)
		}
		byName[r.Name] = r
		parts := strings.Split(r.Name, "/")
		n, _ := strconv.Atoi(parts[0])
		sizes[n] = true
		if strings.HasPrefix(parts[len(parts)-1], "c") {
			c, _ := strconv.Atoi(strings.TrimPrefix(parts[len(parts)-1], "c"))
			concs[c] = true
		}
	}
	sizeList, concList := keys(sizes), keys(concs)
	// run looks up the run of server at n figures and concurrency c.
	run := func(n int, server string, c int) (result, bool) {
		r, ok := byName[fmt.Sprintf("%d/%s/c%d", n, server, c)]
		return r, ok
	}

	fmt.Println("### Scrapes")
	fmt.Println()
	fmt.Println("| figures | server | concurrency | scrapes/s | p50 ms | p99 ms | CPU ms/scrape | peak RSS MB | RSS MB at end | gzip body bytes | figure series | errors |")
	fmt.Println("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
	for _, n := range sizeList {
		for _, s := range servers {
			for _, c := range concList {
				r, ok := run(n, s, c)
				if !ok {
					continue
				}
				fmt.Printf("| %d | %s | %d | %.1f | %.2f | %.2f | %.3f | %.0f | %.0f | %d | %d | %d |\n",
					n, s, c, r.PerSecond, r.P50ms, r.P99ms, r.CPUPerScrMs, r.PeakRSSMB, r.RSSMB, r.BodyBytes, r.Series, r.Errors)
			}
		}
	}
	fmt.Println()
	fmt.Println("### Ratios")
	fmt.Println()
	fmt.Println("| figures | concurrency | throughput exporter ÷ node_exporter | throughput exporter ÷ nginx | CPU/scrape exporter ÷ nginx | CPU/scrape node_exporter ÷ nginx | p99 exporter ÷ nginx |")
	fmt.Println("|---:|---:|---:|---:|---:|---:|---:|")
	for _, n := range sizeList {
		for _, c := range concList {
			e, okE := run(n, "figures_exporter", c)
			ne, okN := run(n, "node_exporter", c)
			ng, okG := run(n, "nginx", c)
			if !okE || !okN || !okG {
				continue
			}
			fmt.Printf("| %d | %d | %s | %s | %s | %s | %s |\n", n, c,
				ratio(e.PerSecond, ne.PerSecond), ratio(e.PerSecond, ng.PerSecond),
				ratio(e.CPUPerScrMs, ng.CPUPerScrMs), ratio(ne.CPUPerScrMs, ng.CPUPerScrMs), ratio(e.P99ms, ng.P99ms))
		}
	}
	fmt.Println()
	fmt.Println("### Reloads (figures_exporter, POST /-/reload of a changed file: read, parse, validate, build, encode, compress, swap)")
	fmt.Println()
	fmt.Println("| figures | reload p50 ms | reload max ms | CPU ms/reload | peak RSS MB | scrape p99 ms without reloads (c=1) | scrape p99 ms during continuous reloads (c=1) | ratio | reloads during the run |")
	fmt.Println("|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
	for _, n := range sizeList {
		rl, ok := byName[fmt.Sprintf("%d/figures_exporter/reload", n)]
		if !ok {
			continue
		}
		base := byName[fmt.Sprintf("%d/figures_exporter/c1", n)]
		under := byName[fmt.Sprintf("%d/figures_exporter/reload-under-load", n)]
		fmt.Printf("| %d | %.0f | %.0f | %.0f | %.0f | %.2f | %.2f | %s | %d |\n", n, rl.ReloadP50ms, rl.ReloadMaxMs, rl.CPUPerScrMs, rl.PeakRSSMB, base.P99ms, under.P99ms, ratio(under.P99ms, base.P99ms), under.Reloads)
	}

	if len(sizeList) == 0 {
		return
	}
	n := sizeList[len(sizeList)-1]
	fmt.Println()
	fmt.Printf("### Targets at %d figures\n\n", n)
	fmt.Println("| target | measured | met |")
	fmt.Println("|---|---|---|")
	for _, c := range concList {
		e := byName[fmt.Sprintf("%d/figures_exporter/c%d", n, c)]
		ne := byName[fmt.Sprintf("%d/node_exporter/c%d", n, c)]
		ng := byName[fmt.Sprintf("%d/nginx/c%d", n, c)]
		target(fmt.Sprintf("scrape throughput ≥ 10× node_exporter textfile (c=%d)", c), e.PerSecond/ne.PerSecond, ">=", 10)
		target(fmt.Sprintf("CPU per scrape ≤ 1.5× nginx gzip_static (c=%d)", c), e.CPUPerScrMs/ng.CPUPerScrMs, "<=", 1.5)
	}
	rl := byName[fmt.Sprintf("%d/figures_exporter/reload", n)]
	fmt.Printf("| reload (parse, validate, swap) < 1 s | %.0f ms (p50) | %s |\n", rl.ReloadP50ms, yes(rl.ReloadP50ms < 1000))
	peak := 0.0
	for _, r := range byName {
		if strings.HasPrefix(r.Name, fmt.Sprintf("%d/figures_exporter/", n)) && r.PeakRSSMB > peak {
			peak = r.PeakRSSMB
		}
	}
	fmt.Printf("| peak RSS < 150 MB | %.0f MB | %s |\n", peak, yes(peak < 150))
	base := byName[fmt.Sprintf("%d/figures_exporter/c1", n)]
	under := byName[fmt.Sprintf("%d/figures_exporter/reload-under-load", n)]
	target("p99 scrape latency during continuous reloads ≤ 2× p99 without", under.P99ms/base.P99ms, "<=", 2)
}

func target(what string, v float64, op string, limit float64) {
	ok := v >= limit
	if op == "<=" {
		ok = v <= limit
	}
	fmt.Printf("| %s | %.2f× | %s |\n", what, v, yes(ok))
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

func keys(m map[int]bool) []int {
	var out []int
	for k := range m {
		out = append(out, k)
	}
	sort.Ints(out)
	return out
}
