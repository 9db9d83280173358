package e2e

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/figures-exporter/figures_exporter/internal/testtools"
)

// client is the HTTP client of every request the test makes; each request
// is bounded.
var client = &http.Client{Timeout: 10 * time.Second}

// pollInterval is how often waits look again.
const pollInterval = 200 * time.Millisecond

// proc is a server process the test started; see testtools.Start.
type proc = testtools.Process

// waitFor polls cond until it holds, failing the test after timeout. cond
// returns a description of what it last saw, for the failure message.
func waitFor(t *testing.T, what string, timeout time.Duration, cond func() (bool, string)) time.Duration {
	t.Helper()
	begin := time.Now()
	deadline := begin.Add(timeout)
	for {
		ok, seen := cond()
		if ok {
			return time.Since(begin)
		}
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %v waiting for %s; last seen: %s", timeout, what, seen)
		}
		time.Sleep(pollInterval)
	}
}

// waitReady waits until GET url answers 200, or the process exits.
func waitReady(t *testing.T, p *proc, url string, timeout time.Duration) {
	t.Helper()
	waitFor(t, p.Name+" to be ready", timeout, func() (bool, string) {
		if p.Exited() {
			t.Fatalf("%s exited while starting:\n%s", p.Name, p.Log())
		}
		resp, err := client.Get(url)
		if err != nil {
			return false, err.Error()
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return resp.StatusCode == http.StatusOK, fmt.Sprintf("%d %s", resp.StatusCode, body)
	})
}

func post(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := client.Post(url, "text/plain", nil)
	if err != nil {
		t.Fatalf("POST %s: %v", url, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := client.Get(url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

// promSeries is one series of a Prometheus API query result.
type promSeries struct {
	Metric map[string]string `json:"metric"`
	Value  []any             `json:"value"`  // instant: [ts, "v"]
	Values [][]any           `json:"values"` // range: [[ts, "v"], ...]
}

// query runs a PromQL query against the Prometheus HTTP API: an instant
// query, or a range query from start to now with a 1s step when start is
// not zero.
func query(promURL, expr string, start time.Time) ([]promSeries, error) {
	params := url.Values{"query": {expr}}
	endpoint := "/api/v1/query"
	if !start.IsZero() {
		endpoint = "/api/v1/query_range"
		params.Set("start", fmt.Sprintf("%d", start.Unix()))
		params.Set("end", fmt.Sprintf("%d", time.Now().Unix()))
		params.Set("step", "1")
	}
	resp, err := client.PostForm(promURL+endpoint, params)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	var r struct {
		Status string `json:"status"`
		Error  string `json:"error"`
		Data   struct {
			ResultType string       `json:"resultType"`
			Result     []promSeries `json:"result"`
		} `json:"data"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&r); err != nil {
		return nil, fmt.Errorf("%s: decoding the response (HTTP %d): %w", endpoint, resp.StatusCode, err)
	}
	if r.Status != "success" {
		return nil, fmt.Errorf("%s %q: %s", endpoint, expr, r.Error)
	}
	if r.Data.ResultType != "vector" && r.Data.ResultType != "matrix" {
		return nil, fmt.Errorf("%s %q: result type %s, want vector or matrix", endpoint, expr, r.Data.ResultType)
	}
	return r.Data.Result, nil
}

// value returns an instant series' value as a string.
func (s promSeries) value() string {
	if len(s.Value) == 2 {
		if v, ok := s.Value[1].(string); ok {
			return v
		}
	}
	return ""
}

// webhookAlert is one alert of an Alertmanager webhook notification.
type webhookAlert struct {
	Status       string            `json:"status"`
	Labels       map[string]string `json:"labels"`
	Annotations  map[string]string `json:"annotations"`
	StartsAt     time.Time         `json:"startsAt"`
	EndsAt       time.Time         `json:"endsAt"`
	GeneratorURL string            `json:"generatorURL"`
	Fingerprint  string            `json:"fingerprint"`
}

// key names an alert by its labels.
func (a webhookAlert) key() string {
	names := make([]string, 0, len(a.Labels))
	for k := range a.Labels {
		names = append(names, k)
	}
	sort.Strings(names)
	var b strings.Builder
	b.WriteString("{")
	for i, k := range names {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "%s=%q", k, a.Labels[k])
	}
	b.WriteString("}")
	return b.String()
}

// notification is one webhook notification (Alertmanager's webhook payload,
// version 4) and when it arrived.
type notification struct {
	Version  string         `json:"version"`
	Status   string         `json:"status"`
	Receiver string         `json:"receiver"`
	Alerts   []webhookAlert `json:"alerts"`
	arrived  time.Time
}

// webhook is the receiver Alertmanager notifies: an HTTP server inside the
// test that records every notification.
type webhook struct {
	srv *httptest.Server
	mu  sync.Mutex
	got []notification
}

func newWebhook(t *testing.T) *webhook {
	t.Helper()
	w := &webhook{}
	w.srv = httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		var n notification
		if err := json.NewDecoder(r.Body).Decode(&n); err != nil {
			http.Error(rw, err.Error(), http.StatusBadRequest)
			return
		}
		n.arrived = time.Now()
		w.mu.Lock()
		w.got = append(w.got, n)
		w.mu.Unlock()
	}))
	t.Cleanup(w.srv.Close)
	return w
}

func (w *webhook) notifications() []notification {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]notification(nil), w.got...)
}

// firing returns the first firing alert named alertname (with that
// figure_id, when not empty) and when its notification arrived.
func (w *webhook) firing(alertname, figureID string) (webhookAlert, time.Time, bool) {
	for _, n := range w.notifications() {
		for _, a := range n.Alerts {
			if a.Status == "firing" && a.Labels["alertname"] == alertname && (figureID == "" || a.Labels["figure_id"] == figureID) {
				return a, n.arrived, true
			}
		}
	}
	return webhookAlert{}, time.Time{}, false
}

// summary lists the alerts received so far, for failure messages.
func (w *webhook) summary() string {
	var lines []string
	for _, n := range w.notifications() {
		for _, a := range n.Alerts {
			lines = append(lines, fmt.Sprintf("%s %s %s", n.arrived.Format("15:04:05.000"), a.Status, a.key()))
		}
	}
	if len(lines) == 0 {
		return "no notification"
	}
	return strings.Join(lines, "; ")
}

// writeAtomically replaces file with data the way editors and config
// management do: a temporary file in the same directory renamed over it.
func writeAtomically(t *testing.T, file string, data []byte) {
	t.Helper()
	tmp, err := os.CreateTemp(filepath.Dir(file), ".tmp-"+filepath.Base(file)+"-")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tmp.Write(data); err != nil {
		t.Fatal(err)
	}
	if err := tmp.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp.Name(), file); err != nil {
		t.Fatal(err)
	}
}

// replaceOnce replaces old, which must occur exactly once, by new.
func replaceOnce(t *testing.T, s, old, new string) string {
	t.Helper()
	if n := strings.Count(s, old); n != 1 {
		t.Fatalf("the figures file has %d occurrences of %q, want exactly 1", n, old)
	}
	return strings.Replace(s, old, new, 1)
}

// squash collapses runs of white space to one space, as YAML's folded
// scalars do with line breaks, so that descriptions compare on words.
func squash(s string) string { return strings.Join(strings.Fields(s), " ") }
