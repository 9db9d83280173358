package reload

import (
	"bytes"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/figures-exporter/figures_exporter/exporter/collector"
	"github.com/figures-exporter/figures_exporter/internal/testtools"
)

func readTestdata(t *testing.T, rel string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "..", "testdata", rel))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// newTestHolder returns a holder on a temporary copy of content, and a buffer
// holding its log.
func newTestHolder(t *testing.T, content []byte) (*Holder, string, *testtools.Buffer) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "figures.yaml")
	if err := os.WriteFile(path, content, 0o644); err != nil {
		t.Fatal(err)
	}
	logBuf := &testtools.Buffer{}
	h := NewHolder(Source{Paths: []string{path}}, slog.New(slog.NewTextHandler(logBuf, nil)), prometheus.NewRegistry())
	return h, path, logBuf
}

// TestReloadSequence walks a holder through the outcomes a user meets: a
// good start, a broken edit (the last good set stays served), a fix back to
// the same content (unchanged, healthy again) and a real change.
func TestReloadSequence(t *testing.T) {
	good := readTestdata(t, "good/minimal.yaml")
	broken := readTestdata(t, "bad/value-is-text.yaml")
	changed := bytes.Replace(good, []byte("value: 1.37e6"), []byte("value: 1.5e6"), 1)

	h, path, logBuf := newTestHolder(t, good)
	steps := []struct {
		name        string
		content     []byte
		wantResult  string
		wantGauge   float64
		wantServed  []byte // content whose revision must be served afterwards
		wantLogPart string
	}{
		{"start", nil, ResultSuccess, 1, good, "figures loaded"},
		{"broken edit keeps the last good set", broken, ResultFailure, 0, good, "figures.yaml line=21 column=12"},
		{"the last good content again is logged as a recovery", good, ResultUnchanged, 1, good, "level=INFO msg=\"figures unchanged\" trigger=http revision=" + collector.ShortRevision(revisionOf(good)) + " recovered=true"},
		{"same content once more is quiet", good, ResultUnchanged, 1, good, ""},
		{"real change is swapped in", changed, ResultSuccess, 1, changed, "figures loaded"},
	}
	for _, step := range steps {
		t.Run(step.name, func(t *testing.T) {
			if step.content != nil {
				if err := os.WriteFile(path, step.content, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			logBuf.Take()
			result, diags := h.Reload(TriggerHTTP)
			if result != step.wantResult {
				t.Fatalf("result = %s, want %s (diagnostics: %v)", result, step.wantResult, diags)
			}
			if got := testutil.ToFloat64(h.lastSuccessful); got != step.wantGauge {
				t.Errorf("last_reload_successful = %v, want %v", got, step.wantGauge)
			}
			want := revisionOf(step.wantServed)
			if got := h.Snapshot().Dataset.Revision; got != want {
				t.Errorf("served revision %s, want %s", got, want)
			}
			if h.Status().Result != step.wantResult {
				t.Errorf("status result = %q, want %q", h.Status().Result, step.wantResult)
			}
			if !strings.Contains(logBuf.String(), step.wantLogPart) {
				t.Errorf("log lacks %q:\n%s", step.wantLogPart, logBuf.String())
			}
			// A no-op reload while healthy logs nothing at info.
			if step.wantLogPart == "" && logBuf.String() != "" {
				t.Errorf("want no log line, got:\n%s", logBuf.String())
			}
		})
	}
	if got := testutil.ToFloat64(h.reloads.WithLabelValues(TriggerHTTP, ResultFailure)); got != 1 {
		t.Errorf("failed reloads counted %v, want 1", got)
	}
}

func TestStartupFailureServesNothing(t *testing.T) {
	h, _, _ := newTestHolder(t, readTestdata(t, "bad/syntax-tab-indent.yaml"))
	if result, diags := h.Reload(TriggerStartup); result != ResultFailure || !diags.HasErrors() {
		t.Fatalf("result %s, diagnostics %v", result, diags)
	}
	if h.Snapshot() != nil {
		t.Fatal("a failed first load must not serve a dataset")
	}
}

func TestEmbeddedSource(t *testing.T) {
	good := readTestdata(t, "good/minimal.yaml")
	h := NewHolder(Source{Embedded: &embeddedFile{Name: "embedded.yaml", Data: good}}, slog.New(slog.DiscardHandler), nil)
	if result, diags := h.Reload(TriggerStartup); result != ResultSuccess {
		t.Fatalf("result %s: %v", result, diags)
	}
	if got := len(h.Snapshot().Dataset.Figures); got != 2 {
		t.Errorf("figures = %d, want 2", got)
	}
	if result, _ := h.Reload(TriggerSignal); result != ResultUnchanged {
		t.Errorf("reloading the embedded dataset: %s, want unchanged", result)
	}
}
