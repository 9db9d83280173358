package e2e

import (
	"context"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/prometheus/client_golang/api"
	v1 "github.com/prometheus/client_golang/api/prometheus/v1"
	"github.com/prometheus/common/model"

	"github.com/figures-exporter/figures_exporter/dashboards"
	"github.com/figures-exporter/figures_exporter/exporter/figures"
	"github.com/figures-exporter/figures_exporter/internal/testtools"
)

// TestBackfill puts every figure of figures.yaml on its reported date in a
// real Prometheus, the way docs/backfill.md tells a user to: `figures_exporter
// export` writes OpenMetrics with a timestamp per figure, `promtool tsdb
// create-blocks-from openmetrics` turns it into blocks, and a Prometheus
// started on them answers queries at each figure's period end, and a range
// query over the report periods returns a family's values on a time axis.
func TestBackfill(t *testing.T) {
	if testing.Short() {
		t.Skip("needs the pinned Prometheus and promtool")
	}
	root := testtools.RepoRoot(t)
	dir := t.TempDir()
	openMetrics := filepath.Join(dir, "figures.om")
	data := filepath.Join(dir, "data")

	out, err := exec.Command(testtools.Exporter(t), "export", "--label", "job=figures", "--label", "instance=backfill", filepath.Join(root, "figures.yaml")).Output()
	if err != nil {
		t.Fatalf("figures_exporter export: %v", err)
	}
	if err := os.WriteFile(openMetrics, out, 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(testtools.Tool(t, "promtool"), "tsdb", "create-blocks-from", "openmetrics", openMetrics, data).CombinedOutput(); err != nil {
		t.Fatalf("promtool tsdb create-blocks-from openmetrics: %v\n%s", err, out)
	}

	config := filepath.Join(dir, "prometheus.yml")
	if err := os.WriteFile(config, []byte("global: {}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	addr := testtools.FreeAddr(t)
	prom := testtools.Start(t, "prometheus", testtools.Tool(t, "prometheus"),
		"--config.file="+config, "--storage.tsdb.path="+data, "--web.listen-address="+addr,
		// Retention counts back from the newest sample: the default 15 days
		// would drop every report but the last.
		"--storage.tsdb.retention.time=100y")
	waitHTTP(t, prom, "http://"+addr+"/-/ready")
	client, err := api.NewClient(api.Config{Address: "http://" + addr})
	if err != nil {
		t.Fatal(err)
	}
	promAPI := v1.NewAPI(client)
	ctx := context.Background()

	ds, diags := figures.Load([]string{filepath.Join(root, "figures.yaml")}, 0, time.Now())
	if ds == nil {
		t.Fatal(diags)
	}
	t.Run("each figure at its date", func(t *testing.T) {
		for _, f := range ds.Figures {
			v, _, _, err := promAPI.Query(ctx, `{job="figures", figure_id="`+f.ID+`"}`, f.Period.End)
			if err != nil {
				t.Fatalf("%s: %v", f.ID, err)
			}
			vec, ok := v.(model.Vector)
			if !ok || len(vec) != 1 || float64(vec[0].Value) != f.Value || string(vec[0].Metric["__name__"]) != f.Family {
				t.Errorf("%s at %s: %v, want %s = %g", f.ID, f.Period.End.Format(time.DateOnly), v, f.Family, f.Value)
			}
			// Before its period ends, the figure is not there yet.
			if v, _, _, err := promAPI.Query(ctx, `{job="figures", figure_id="`+f.ID+`"}`, f.Period.End.Add(-time.Hour)); err != nil || len(v.(model.Vector)) != 0 {
				t.Errorf("%s an hour before its period ends: %v %v", f.ID, v, err)
			}
		}
	})

	// The threat dashboard's panel that charts one family across report
	// periods (drawn as points, one per report), with its variables as
	// Grafana's "All": each figure is on the chart at its period's end.
	t.Run("a family across periods", func(t *testing.T) {
		const family, panel = "figures_stolen_digital_assets_usd", "Stolen digital assets across report periods"
		queries, err := dashboards.Queries(filepath.Join(root, "dashboards"))
		if err != nil {
			t.Fatal(err)
		}
		i := slices.IndexFunc(queries, func(q dashboards.Query) bool { return q.Panel == panel })
		if i < 0 {
			t.Fatalf("no panel %q in dashboards/", panel)
		}
		r := v1.Range{Start: time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC), End: time.Date(2024, 12, 31, 0, 0, 0, 0, time.UTC), Step: 24 * time.Hour}
		v, _, _, err := promAPI.QueryRange(ctx, queries[i].Expr, r)
		if err != nil {
			t.Fatal(err)
		}
		matrix, ok := v.(model.Matrix)
		if !ok {
			t.Fatalf("%v, want a matrix", v)
		}
		points := map[string]map[time.Time]float64{}
		for _, s := range matrix {
			id := string(s.Metric["figure_id"])
			points[id] = map[time.Time]float64{}
			for _, p := range s.Values {
				points[id][p.Timestamp.Time().UTC()] = float64(p.Value)
			}
		}
		n := 0
		for _, f := range ds.Figures {
			if f.Family != family {
				continue
			}
			n++
			if got, ok := points[f.ID][f.Period.End]; !ok || got != f.Value {
				t.Errorf("%s: %v at %s on the chart, want %g (points: %v)", f.ID, got, f.Period.End.Format(time.DateOnly), f.Value, points[f.ID])
			}
		}
		if n < 2 || len(matrix) != n {
			t.Errorf("%d series on the chart for %d figures of %s, want one per figure and at least two periods", len(matrix), n, family)
		}
	})
}

// waitHTTP waits until url answers 200, or fails the test if p exits first.
func waitHTTP(t *testing.T, p *testtools.Process, url string) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		if p.Exited() {
			t.Fatalf("%s exited before %s answered", p.Name, url)
		}
		if resp, err := http.Get(url); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		time.Sleep(200 * time.Millisecond)
	}
	t.Fatalf("%s did not answer 200 within 60s", url)
}
