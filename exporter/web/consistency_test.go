package web

import (
	"bytes"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/figures-exporter/figures_exporter/exporter/collector"
	"github.com/figures-exporter/figures_exporter/exporter/figures"
	"github.com/figures-exporter/figures_exporter/exporter/reload"
)

// TestScrapesSeeWholeDatasets scrapes while the dataset is swapped back and
// forth between two versions (and a broken file in between): every scrape
// must show the figures of exactly one version, the one named by the
// revision it exposes in the same response.
func TestScrapesSeeWholeDatasets(t *testing.T) {
	good, err := os.ReadFile(filepath.Join("..", "..", "testdata", "good", "minimal.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	versions := [][]byte{good, bytes.Replace(good, []byte("value: 1.37e6"), []byte("value: 2.5e6"), 1)}
	wantValue := map[string]float64{} // short revision -> value of figure "daily"
	for i, v := range versions {
		wantValue[collector.ShortRevision(figures.Revision([]figures.RawFile{{Data: v}}))] = []float64{1.37e6, 2.5e6}[i]
	}
	broken := bytes.Replace(good, []byte("value: 0.7"), []byte("value: [0.7]"), 1)

	path := filepath.Join(t.TempDir(), "figures.yaml")
	if err := os.WriteFile(path, versions[0], 0o644); err != nil {
		t.Fatal(err)
	}
	reg := prometheus.NewRegistry()
	holder := reload.NewHolder(reload.Source{Paths: []string{path}}, slog.New(slog.DiscardHandler), reg)
	if r, d := holder.Reload(reload.TriggerStartup); r != reload.ResultSuccess {
		t.Fatalf("start: %s %v", r, d)
	}
	srv := httptest.NewServer(MetricsHandler(holder, reg, 0, slog.New(slog.DiscardHandler)))
	defer srv.Close()

	const scrapers, reloads = 8, 150
	var done atomic.Bool
	var scrapes atomic.Int64
	seen := sync.Map{}
	errs := make(chan error, scrapers)
	var wg sync.WaitGroup
	for i := 0; i < scrapers; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for !done.Load() {
				rev, value, err := scrapeRevisionAndValue(srv.URL)
				if err != nil {
					errs <- err
					return
				}
				if want, ok := wantValue[rev]; !ok || want != value {
					errs <- fmt.Errorf("scrape mixes datasets: revision %s with daily=%g (want %g)", rev, value, want)
					return
				}
				seen.Store(rev, true)
				scrapes.Add(1)
			}
		}()
	}
	for i := 0; i < reloads; i++ {
		content := versions[i%2]
		if i%5 == 4 {
			content = broken
		}
		if err := os.WriteFile(path, content, 0o644); err != nil {
			t.Fatal(err)
		}
		holder.Reload(reload.TriggerWatch)
	}
	done.Store(true)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	n := 0
	seen.Range(func(any, any) bool { n++; return true })
	if n != 2 {
		t.Errorf("scrapes saw %d revisions, want both", n)
	}
	t.Logf("%d scrapes during %d reloads", scrapes.Load(), reloads)
}

func scrapeRevisionAndValue(url string) (string, float64, error) {
	resp, err := http.Get(url)
	if err != nil {
		return "", 0, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		return "", 0, fmt.Errorf("scrape: status %d, %v", resp.StatusCode, err)
	}
	parser := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := parser.TextToMetricFamilies(bytes.NewReader(body))
	if err != nil {
		return "", 0, err
	}
	info, daily := fams[collector.DatasetInfo], fams["figures_attacks_daily_average"]
	if info == nil || daily == nil || len(info.Metric) != 1 || len(daily.Metric) != 1 {
		return "", 0, fmt.Errorf("scrape lacks the dataset revision or the figure:\n%s", body)
	}
	rev := ""
	for _, l := range info.Metric[0].Label {
		if l.GetName() == "revision" {
			rev = l.GetValue()
		}
	}
	return rev, daily.Metric[0].GetGauge().GetValue(), nil
}
