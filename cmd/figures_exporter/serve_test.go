package main

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/figures-exporter/figures_exporter/internal/testtools"
)

const dailyFigure = "kr-attacks-daily-2023-h1"

// TestEmbeddedDatasetServesEveryFigure runs the exporter as the README's
// first command does, with no flags and no files.
func TestEmbeddedDatasetServesEveryFigure(t *testing.T) {
	p := startExporter(t, nil, "http")
	fams := p.metrics(t)
	info := fams["figures_figure_info"]
	if info == nil || len(info.Metric) < 20 {
		t.Fatalf("figures_figure_info has too few series: %v", info)
	}
	for _, m := range info.Metric {
		var id, family string
		for _, l := range m.Label {
			switch l.GetName() {
			case "figure_id":
				id = l.GetValue()
			case "family":
				family = l.GetValue()
			}
		}
		if _, ok := sample(fams, family, map[string]string{"figure_id": id}); !ok {
			t.Errorf("figure %s has provenance but no series in %s", id, family)
		}
	}
	if v, _ := sample(fams, "figures_exporter_dataset_figures", nil); int(v) != len(info.Metric) {
		t.Errorf("dataset_figures = %v, info series = %d", v, len(info.Metric))
	}
	for path, want := range map[string]string{"/-/healthy": "Healthy", "/-/ready": "Ready", "/": dailyFigure} {
		if status, body := p.get(t, path); status != http.StatusOK || !strings.Contains(body, want) {
			t.Errorf("GET %s: %d, want 200 with %q", path, status, want)
		}
	}
}

// TestReloadTriggers changes the figures file and reloads it by each trigger
// in turn; the new value must be served and the reload counted under its
// trigger.
func TestReloadTriggers(t *testing.T) {
	for _, tc := range []struct {
		trigger string
		args    []string
		fire    func(t *testing.T, p *exporterProc)
	}{
		{"signal", []string{"--no-figures.watch"}, func(t *testing.T, p *exporterProc) {
			if err := p.Cmd.Process.Signal(syscall.SIGHUP); err != nil {
				t.Fatal(err)
			}
		}},
		{"http", []string{"--no-figures.watch", "--web.enable-lifecycle"}, func(t *testing.T, p *exporterProc) {
			resp, err := p.client.Post(p.url("/-/reload"), "", nil)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK || !strings.HasPrefix(string(body), "success") {
				t.Fatalf("POST /-/reload: %d %s", resp.StatusCode, body)
			}
		}},
		{"watch", nil, func(*testing.T, *exporterProc) {}},
		{"schedule", []string{"--no-figures.watch", "--figures.reload-schedule=@every 1s"}, func(*testing.T, *exporterProc) {}},
	} {
		t.Run(tc.trigger, func(t *testing.T) {
			path := copyFile(t, "figures.yaml")
			p := startExporter(t, nil, "http", append([]string{"--figures.file=" + path}, tc.args...)...)
			if v, _ := sample(p.metrics(t), "figures_cyberattacks_daily_average", map[string]string{"figure_id": dailyFigure}); v != 1.37e6 {
				t.Fatalf("before: %v", v)
			}
			replaceInFile(t, path, "value: 1.37e6", "value: 1.42e6")
			tc.fire(t, p)
			waitFor(t, "the revised value", 20*time.Second, func() bool {
				fams := p.metrics(t)
				v, _ := sample(fams, "figures_cyberattacks_daily_average", map[string]string{"figure_id": dailyFigure})
				n, _ := sample(fams, "figures_exporter_config_reloads_total", map[string]string{"trigger": tc.trigger, "result": "success"})
				return v == 1.42e6 && n >= 1
			})
		})
	}
}

// TestFailedReloadKeepsServing breaks the file under a running exporter: the
// last good figures stay served, the reload gauge drops to 0, and the log
// names file, line and column. Fixing the file recovers.
func TestFailedReloadKeepsServing(t *testing.T) {
	path := copyFile(t, "figures.yaml")
	p := startExporter(t, nil, "http", "--figures.file="+path, "--no-figures.watch", "--web.enable-lifecycle")
	replaceInFile(t, path, "value: 1.37e6", "value: 1.37 million")
	resp, err := p.client.Post(p.url("/-/reload"), "", nil)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusInternalServerError || !strings.Contains(string(body), "value must be a number") {
		t.Errorf("POST /-/reload on a broken file: %d %s", resp.StatusCode, body)
	}
	if strings.Contains(string(body), "families:") {
		t.Errorf("the error page echoes the file's contents:\n%s", body)
	}
	fams := p.metrics(t)
	if v, _ := sample(fams, "figures_exporter_config_last_reload_successful", nil); v != 0 {
		t.Errorf("last_reload_successful = %v after a failed reload", v)
	}
	if v, _ := sample(fams, "figures_cyberattacks_daily_average", map[string]string{"figure_id": dailyFigure}); v != 1.37e6 {
		t.Errorf("the last good value is not served: %v", v)
	}
	if log := p.Log(); !strings.Contains(log, "figures.yaml line=") || !strings.Contains(log, "column=") || !strings.Contains(log, "value must be a number") {
		t.Errorf("log does not name file, line and column:\n%s", log)
	}
	replaceInFile(t, path, "value: 1.37 million", "value: 1.37e6")
	if err := p.Cmd.Process.Signal(syscall.SIGHUP); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "recovery", 10*time.Second, func() bool {
		v, _ := sample(p.metrics(t), "figures_exporter_config_last_reload_successful", nil)
		return v == 1
	})
}

func TestReloadEndpointMethods(t *testing.T) {
	for _, tc := range []struct {
		name      string
		lifecycle bool
		method    string
		want      int
	}{
		{"GET is not allowed", true, http.MethodGet, http.StatusMethodNotAllowed},
		{"PUT is not allowed", true, http.MethodPut, http.StatusMethodNotAllowed},
		{"POST without --web.enable-lifecycle", false, http.MethodPost, http.StatusForbidden},
		{"POST with --web.enable-lifecycle", true, http.MethodPost, http.StatusOK},
	} {
		t.Run(tc.name, func(t *testing.T) {
			args := []string{"--no-figures.watch"}
			if tc.lifecycle {
				args = append(args, "--web.enable-lifecycle")
			}
			p := startExporter(t, nil, "http", args...)
			req, _ := http.NewRequest(tc.method, p.url("/-/reload"), nil)
			resp, err := p.client.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != tc.want {
				t.Errorf("%s /-/reload: %d, want %d", tc.method, resp.StatusCode, tc.want)
			}
		})
	}
}

// TestContentNegotiation asks for what Prometheus 3 asks for: OpenMetrics
// with gzip; and for the plain text format.
func TestContentNegotiation(t *testing.T) {
	p := startExporter(t, nil, "http")
	for _, tc := range []struct {
		accept, wantType string
		gzip             bool
		wantTail         string
	}{
		{"application/openmetrics-text;version=1.0.0;escaping=allow-utf-8;q=0.6,application/openmetrics-text;version=0.0.1;q=0.5,text/plain;version=1.0.0;escaping=allow-utf-8;q=0.4,text/plain;version=0.0.4;q=0.3,*/*;q=0.2", "application/openmetrics-text", true, "# EOF\n"},
		{"text/plain;version=0.0.4", "text/plain", false, "\n"},
	} {
		req, _ := http.NewRequest(http.MethodGet, p.url("/metrics"), nil)
		req.Header.Set("Accept", tc.accept)
		if tc.gzip {
			req.Header.Set("Accept-Encoding", "gzip")
		}
		// A Transport that does not add or strip gzip by itself.
		resp, err := (&http.Transport{DisableCompression: true}).RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		var body io.Reader = resp.Body
		if tc.gzip {
			if resp.Header.Get("Content-Encoding") != "gzip" {
				t.Fatalf("Content-Encoding = %q, want gzip", resp.Header.Get("Content-Encoding"))
			}
			zr, err := gzip.NewReader(resp.Body)
			if err != nil {
				t.Fatal(err)
			}
			body = zr
		}
		data, err := io.ReadAll(body)
		resp.Body.Close()
		if err != nil {
			t.Fatal(err)
		}
		if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, tc.wantType) {
			t.Errorf("Content-Type = %q, want %s", ct, tc.wantType)
		}
		if !bytes.HasSuffix(data, []byte(tc.wantTail)) || !bytes.Contains(data, []byte(dailyFigure)) {
			t.Errorf("%s body does not end in %q or lacks the figures", tc.wantType, tc.wantTail)
		}
	}
}

// TestPromtoolCheckMetrics lints the real exposition with the real promtool.
func TestPromtoolCheckMetrics(t *testing.T) {
	if testing.Short() {
		t.Skip("builds promtool")
	}
	promtool := testtools.Tool(t, "promtool")
	p := startExporter(t, nil, "http")
	_, body := p.get(t, "/metrics")
	cmd := exec.Command(promtool, "check", "metrics")
	cmd.Stdin = strings.NewReader(body)
	out, err := cmd.CombinedOutput()
	if err != nil || len(bytes.TrimSpace(out)) != 0 {
		t.Fatalf("promtool check metrics: %v\n%s", err, out)
	}
}
