package reload

import (
	"bytes"
	"log/slog"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

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
		{"same content again is a no-op", good, ResultUnchanged, 1, good, ""},
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

// TestStartupGCPercent: the first load lowers the collector's target for its
// duration and restores the user's afterwards, whether it succeeds or
// fails; a lower target or GOGC=off is left alone.
func TestStartupGCPercent(t *testing.T) {
	defer debug.SetGCPercent(debug.SetGCPercent(100))
	for _, tc := range []struct {
		name    string
		setting int
		file    string
	}{
		{name: "default, good file", setting: 100, file: "good/minimal.yaml"},
		{name: "default, broken file", setting: 100, file: "bad/syntax-tab-indent.yaml"},
		{name: "GOGC=400", setting: 400, file: "good/minimal.yaml"},
		{name: "lower than the startup target", setting: 10, file: "good/minimal.yaml"},
		{name: "GOGC=off", setting: -1, file: "good/minimal.yaml"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			debug.SetGCPercent(tc.setting)
			h, _, _ := newTestHolder(t, readTestdata(t, tc.file))
			h.Reload(TriggerStartup)
			if got := debug.SetGCPercent(tc.setting); got != tc.setting {
				t.Errorf("GC percent after the first load: %d, want %d", got, tc.setting)
			}
		})
	}
	debug.SetGCPercent(100)
	restore := lowerGCPercent(startupGCPercent)
	if got := debug.SetGCPercent(startupGCPercent); got != startupGCPercent {
		t.Errorf("GC percent during the first load: %d, want %d", got, startupGCPercent)
	}
	restore()
	if got := debug.SetGCPercent(100); got != 100 {
		t.Errorf("GC percent restored to %d, want 100", got)
	}
}

// TestReaderBuffersReleasedWhenIdle: the file buffers kept for the next
// reload are dropped once no reload came for keepBuffersFor, and a reload
// after that still reads the file.
func TestReaderBuffersReleasedWhenIdle(t *testing.T) {
	defer func(d time.Duration) { keepBuffersFor = d }(keepBuffersFor)
	keepBuffersFor = 50 * time.Millisecond
	h, _, _ := newTestHolder(t, readTestdata(t, "good/minimal.yaml"))
	if result, diags := h.Reload(TriggerStartup); result != ResultSuccess {
		t.Fatalf("result %s: %v", result, diags)
	}
	deadline := time.Now().Add(5 * time.Second)
	for h.keepsBuffers() && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if h.keepsBuffers() {
		t.Fatal("buffers still kept after the idle time")
	}
	if result, _ := h.Reload(TriggerSignal); result != ResultUnchanged {
		t.Errorf("reload after the release: %s, want unchanged", result)
	}
	if !h.keepsBuffers() {
		t.Error("a reload must keep its buffers for the next one")
	}
}

func (h *Holder) keepsBuffers() bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.reader.Kept() > 0
}
