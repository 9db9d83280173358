// Command load scrapes a metrics endpoint the way a Prometheus 3 server does
// (its default Accept header with q-values, Accept-Encoding: gzip,
// keep-alive connections) from a number of concurrent scrapers for a fixed
// time, and reports throughput, latency percentiles and the server's CPU
// seconds per scrape and peak RSS read from /proc. Optionally it reloads the
// exporter continuously meanwhile, swapping the figures file between
// variants so that every reload really replaces the dataset.
//
// It prints one JSON object per run (see result), for bench/run.sh.
package main

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/figures-exporter/figures_exporter/bench/measure"
)

// prometheusAccept is what Prometheus 3.x sends by default (scrape.go's
// acceptHeader over config.DefaultScrapeProtocols, UTF-8 names allowed).
const prometheusAccept = "application/openmetrics-text;version=1.0.0;escaping=allow-utf-8;q=0.7," +
	"application/openmetrics-text;version=0.0.1;q=0.6," +
	"text/plain;version=1.0.0;escaping=allow-utf-8;q=0.5," +
	"text/plain;version=0.0.4;q=0.4,*/*;q=0.3"

// clockTicks is USER_HZ, the unit of utime and stime in /proc/PID/stat; it
// is 100 on every Linux architecture Go supports.
const clockTicks = 100

type result = measure.Run

func main() {
	var (
		url         = flag.String("url", "", "metrics URL")
		name        = flag.String("name", "", "name of the run in the output")
		concurrency = flag.Int("c", 1, "concurrent scrapers")
		duration    = flag.Duration("d", 10*time.Second, "how long to scrape")
		pids        = flag.String("pids", "", "comma-separated PIDs of the server's processes, for CPU and RSS")
		reloadURL   = flag.String("reload-url", "", "POST here continuously while scraping (figures_exporter /-/reload)")
		reloadFile  = flag.String("reload-file", "", "figures file the exporter reads; replaced by each variant in turn before each reload")
		variants    = flag.String("reload-variants", "", "comma-separated figures files to copy over -reload-file in turn")
		reloadOnly  = flag.Int("reloads", 0, "do not scrape: time this many reloads, one after the other")
	)
	flag.Parse()
	if *url == "" && *reloadOnly == 0 {
		fail("-url is required")
	}
	pidList := parsePIDs(*pids)
	res := result{Name: *name, Concurrency: *concurrency}
	client := &http.Client{
		Transport: &http.Transport{MaxIdleConnsPerHost: *concurrency + 1, DisableCompression: true},
		Timeout:   5 * time.Minute,
	}

	var reloader *reloads
	if *reloadURL != "" {
		reloader = &reloads{client: client, url: *reloadURL, target: *reloadFile, variants: strings.Split(*variants, ",")}
	}
	if *reloadOnly > 0 {
		cpu0 := cpuTicks(pidList)
		for range *reloadOnly {
			reloader.once()
		}
		res.Reloads = len(reloader.durations)
		res.ReloadP50ms, res.ReloadMaxMs = percentile(reloader.durations, 0.5), percentile(reloader.durations, 1)
		res.CPUPerScrMs = float64(cpuTicks(pidList)-cpu0) * 1000 / clockTicks / float64(max(1, res.Reloads))
		res.PeakRSSMB, res.RSSMB = memory(pidList)
		emit(res)
		return
	}

	// One checked scrape first: the body must decode, and its series are
	// counted so that the three servers are seen to serve the same data.
	res.BodyBytes, res.Series, res.ContentType = check(client, *url)

	var (
		mu        sync.Mutex
		latencies []float64
		scrapes   atomic.Int64
		errs      atomic.Int64
		stop      atomic.Bool
		wg        sync.WaitGroup
	)
	cpu0 := cpuTicks(pidList)
	start := time.Now()
	for range *concurrency {
		wg.Go(func() {
			var mine []float64
			for !stop.Load() {
				t0 := time.Now()
				if err := scrape(client, *url); err != nil {
					errs.Add(1)
					continue
				}
				mine = append(mine, float64(time.Since(t0).Microseconds())/1000)
				scrapes.Add(1)
			}
			mu.Lock()
			latencies = append(latencies, mine...)
			mu.Unlock()
		})
	}
	if reloader != nil {
		wg.Go(func() {
			for !stop.Load() {
				reloader.once()
			}
		})
	}
	time.Sleep(*duration)
	stop.Store(true)
	wg.Wait()
	elapsed := time.Since(start).Seconds()
	cpu := float64(cpuTicks(pidList)-cpu0) / clockTicks

	res.Seconds = elapsed
	res.Scrapes = scrapes.Load()
	res.Errors = errs.Load()
	res.PerSecond = float64(res.Scrapes) / elapsed
	res.P50ms, res.P99ms = percentile(latencies, 0.5), percentile(latencies, 0.99)
	if res.Scrapes > 0 {
		res.CPUPerScrMs = cpu * 1000 / float64(res.Scrapes)
	}
	res.PeakRSSMB, res.RSSMB = memory(pidList)
	if reloader != nil {
		res.Reloads = len(reloader.durations)
		res.ReloadP50ms, res.ReloadMaxMs = percentile(reloader.durations, 0.5), percentile(reloader.durations, 1)
	}
	emit(res)
}

func request(url string) *http.Request {
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		fail(err.Error())
	}
	req.Header.Set("Accept", prometheusAccept)
	req.Header.Set("Accept-Encoding", "gzip")
	req.Header.Set("User-Agent", "Prometheus/3.0.0 (figures_exporter bench/load)")
	req.Header.Set("X-Prometheus-Scrape-Timeout-Seconds", "10")
	return req
}

func scrape(client *http.Client, url string) error {
	resp, err := client.Do(request(url))
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if _, err := io.Copy(io.Discard, resp.Body); err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("status %s", resp.Status)
	}
	return nil
}

// check scrapes once and returns the size of the (compressed) body, the
// number of figures_figure_info series or, when there is none (the
// textfile holds only the curated families too), of samples, and the
// content type.
func check(client *http.Client, url string) (int64, int, string) {
	resp, err := client.Do(request(url))
	if err != nil {
		fail(err.Error())
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		fail(fmt.Sprintf("checking %s: %v %s", url, err, resp.Status))
	}
	body := raw
	if resp.Header.Get("Content-Encoding") == "gzip" {
		zr, err := gzip.NewReader(bytes.NewReader(raw))
		if err != nil {
			fail(fmt.Sprintf("checking %s: %v", url, err))
		}
		if body, err = io.ReadAll(zr); err != nil {
			fail(fmt.Sprintf("checking %s: %v", url, err))
		}
	} else {
		fail(fmt.Sprintf("checking %s: the response is not gzip-compressed", url))
	}
	series := 0
	for _, l := range bytes.Split(body, []byte("\n")) {
		if bytes.HasPrefix(l, []byte("figures_figure_info{")) {
			series++
		}
	}
	return int64(len(raw)), series, resp.Header.Get("Content-Type")
}

type reloads struct {
	client    *http.Client
	url       string
	target    string
	variants  []string
	next      int
	durations []float64
}

// once puts the next variant in place (atomically, by rename) and times a
// POST to the reload endpoint: read, parse, validate, build and swap.
func (r *reloads) once() {
	src := r.variants[r.next%len(r.variants)]
	r.next++
	data, err := os.ReadFile(src)
	if err != nil {
		fail(err.Error())
	}
	tmp := filepath.Join(filepath.Dir(r.target), ".next-"+filepath.Base(r.target))
	if err := os.WriteFile(tmp, data, 0o644); err != nil {
		fail(err.Error())
	}
	if err := os.Rename(tmp, r.target); err != nil {
		fail(err.Error())
	}
	t0 := time.Now()
	resp, err := r.client.Post(r.url, "text/plain", nil)
	if err != nil {
		fail(err.Error())
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(string(body), "success") {
		fail(fmt.Sprintf("reload: %s %s", resp.Status, body))
	}
	r.durations = append(r.durations, float64(time.Since(t0).Microseconds())/1000)
}

func parsePIDs(s string) []int {
	var out []int
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f == "" {
			continue
		}
		pid, err := strconv.Atoi(f)
		if err != nil {
			fail("bad pid " + f)
		}
		out = append(out, pid)
	}
	return out
}

// cpuTicks sums utime and stime (fields 14 and 15 of /proc/PID/stat) over
// the processes.
func cpuTicks(pids []int) int64 {
	var total int64
	for _, pid := range pids {
		data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
		if err != nil {
			fail(err.Error())
		}
		// The command name (field 2) may hold spaces; fields after it are
		// counted from the closing parenthesis.
		fields := strings.Fields(string(data[bytes.LastIndexByte(data, ')')+1:]))
		utime, _ := strconv.ParseInt(fields[11], 10, 64)
		stime, _ := strconv.ParseInt(fields[12], 10, 64)
		total += utime + stime
	}
	return total
}

// memory sums VmHWM (peak RSS since the process started) and VmRSS (RSS
// now) over the processes, in MB.
func memory(pids []int) (peak, now float64) {
	var hwm, rss int64
	for _, pid := range pids {
		data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
		if err != nil {
			fail(err.Error())
		}
		for _, l := range strings.Split(string(data), "\n") {
			k, v, _ := strings.Cut(l, ":")
			n, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			switch k {
			case "VmHWM":
				hwm += n
			case "VmRSS":
				rss += n
			}
		}
	}
	return float64(hwm) / 1024, float64(rss) / 1024
}

func percentile(xs []float64, p float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	i := int(p*float64(len(s))+0.5) - 1
	return s[max(0, min(i, len(s)-1))]
}

func emit(r result) {
	if err := json.NewEncoder(os.Stdout).Encode(r); err != nil {
		fail(err.Error())
	}
}

func fail(msg string) {
	fmt.Fprintln(os.Stderr, "load:", msg)
	os.Exit(1)
}
