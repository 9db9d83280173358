package main

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/figures-exporter/figures_exporter/internal/testtools"
)

// exporterProc is a real figures_exporter process started by a test.
type exporterProc struct {
	*testtools.Process
	addr   string
	scheme string
	client *http.Client
}

func (p *exporterProc) url(path string) string { return p.scheme + "://" + p.addr + path }

// startExporter runs the binary with args plus a free listen address and
// waits until it is ready. The process is stopped when the test ends.
func startExporter(t *testing.T, client *http.Client, scheme string, args ...string) *exporterProc {
	t.Helper()
	if client == nil {
		client = &http.Client{Timeout: 10 * time.Second}
	}
	p := &exporterProc{addr: testtools.FreeAddr(t), scheme: scheme, client: client}
	p.Process = testtools.Start(t, "figures_exporter", testtools.Exporter(t), append([]string{"--web.listen-address=" + p.addr, "--log.level=debug"}, args...)...)
	// Ready once it logs that it listens and accepts a connection: with a web
	// config every path wants credentials, so no HTTP answer is required.
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		if p.Exited() {
			t.Fatalf("exporter exited early:\n%s", p.Log())
		}
		if strings.Contains(p.Log(), "Listening on") {
			if c, err := net.DialTimeout("tcp", p.addr, time.Second); err == nil {
				c.Close()
				return p
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("exporter not listening after 30s:\n%s", p.Log())
	return nil
}

// get fetches path and returns status and body.
func (p *exporterProc) get(t *testing.T, path string) (int, string) {
	t.Helper()
	resp, err := p.client.Get(p.url(path))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

// metrics scrapes and parses /metrics.
func (p *exporterProc) metrics(t *testing.T) map[string]*dto.MetricFamily {
	t.Helper()
	status, body := p.get(t, "/metrics")
	if status != http.StatusOK {
		t.Fatalf("/metrics: %d %s", status, body)
	}
	parser := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := parser.TextToMetricFamilies(strings.NewReader(body))
	if err != nil {
		t.Fatalf("parsing /metrics: %v", err)
	}
	return fams
}

// sample returns the value of the series of family name whose labels include
// all of match, and whether there is one.
func sample(fams map[string]*dto.MetricFamily, name string, match map[string]string) (float64, bool) {
	mf := fams[name]
	if mf == nil {
		return 0, false
	}
	for _, m := range mf.Metric {
		ok := true
		for k, v := range match {
			found := false
			for _, l := range m.Label {
				if l.GetName() == k && l.GetValue() == v {
					found = true
				}
			}
			ok = ok && found
		}
		if ok {
			if m.Gauge != nil {
				return m.Gauge.GetValue(), true
			}
			return m.Counter.GetValue(), true
		}
	}
	return 0, false
}

// waitFor polls cond until it holds or the deadline passes.
func waitFor(t *testing.T, what string, timeout time.Duration, cond func() bool) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	for {
		if cond() {
			return
		}
		select {
		case <-ctx.Done():
			t.Fatalf("timed out after %s waiting for %s", timeout, what)
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// copyTestdata copies a file of the repo to a temp dir and returns its path.
func copyFile(t *testing.T, rel string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(testtools.RepoRoot(t), rel))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), filepath.Base(rel))
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func replaceInFile(t *testing.T, path, old, new string) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(data, []byte(old)) {
		t.Fatalf("%s does not contain %q", path, old)
	}
	// Write to a temp file and rename, as editors do, so that no reader sees
	// a half-written file in tests that are not about that.
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, bytes.Replace(data, []byte(old), []byte(new), 1), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, path); err != nil {
		t.Fatal(err)
	}
}
