package e2e

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/api"
	v1 "github.com/prometheus/client_golang/api/prometheus/v1"
	"github.com/prometheus/common/model"

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

// promSeries is one series of a query result: its labels and its last
// value (of an instant vector, or the last point of a range).
type promSeries struct {
	Metric model.Metric
	Value  model.SampleValue
}

// query runs a PromQL query with client_golang's Prometheus API client: an
// instant query, or a range query from start to now with a 1s step when
// start is not zero. Warnings are errors (a query the test runs must not
// need them); PromQL's informational annotations are not.
func query(promURL, expr string, start time.Time) ([]promSeries, error) {
	c, err := api.NewClient(api.Config{Address: promURL, Client: client})
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), client.Timeout)
	defer cancel()
	var v model.Value
	var warnings v1.Warnings
	if start.IsZero() {
		v, warnings, _, err = v1.NewAPI(c).Query(ctx, expr, time.Now())
	} else {
		v, warnings, _, err = v1.NewAPI(c).QueryRange(ctx, expr, v1.Range{Start: start, End: time.Now(), Step: time.Second})
	}
	if err != nil {
		return nil, fmt.Errorf("%q: %w", expr, err)
	}
	if len(warnings) > 0 {
		return nil, fmt.Errorf("%q: warnings %v", expr, warnings)
	}
	var out []promSeries
	switch r := v.(type) {
	case model.Vector:
		for _, s := range r {
			out = append(out, promSeries{Metric: s.Metric, Value: s.Value})
		}
	case model.Matrix:
		for _, s := range r {
			if len(s.Values) > 0 {
				out = append(out, promSeries{Metric: s.Metric, Value: s.Values[len(s.Values)-1].Value})
			}
		}
	default:
		return nil, fmt.Errorf("%q: result type %s, want vector or matrix", expr, v.Type())
	}
	return out, nil
}

// value returns an instant series' value as Prometheus prints it.
func (s promSeries) value() string { return s.Value.String() }

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
type webhook struct{ *jsonSink[notification] }

func newWebhook(t *testing.T) *webhook {
	return &webhook{newJSONSink(t, "", func(n *notification, _ []byte, arrived time.Time) { n.arrived = arrived })}
}

func (w *webhook) notifications() []notification { return w.received() }

// first returns the first alert with that status ("firing" or "resolved")
// named alertname (with that figure_id and cluster, when not empty) and when
// its notification arrived.
func (w *webhook) first(status, alertname, figureID, cluster string) (webhookAlert, time.Time, bool) {
	return w.firstWith(status, wantAlert{alertname: alertname, figureID: figureID, cluster: cluster})
}

// firstWith is first for an alert with want's name, figure_id, cluster (when
// not empty) and labels.
func (w *webhook) firstWith(status string, want wantAlert) (webhookAlert, time.Time, bool) {
	for _, n := range w.notifications() {
		for _, a := range n.Alerts {
			match := a.Status == status && a.Labels["alertname"] == want.alertname &&
				(want.figureID == "" || a.Labels["figure_id"] == want.figureID) && (want.cluster == "" || a.Labels["cluster"] == want.cluster)
			for k, v := range want.labels {
				match = match && a.Labels[k] == v
			}
			if match {
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
