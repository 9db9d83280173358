package reload_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/figures-exporter/figures_exporter/exporter/collector"
	"github.com/figures-exporter/figures_exporter/exporter/figures"
	"github.com/figures-exporter/figures_exporter/exporter/reload"
	"github.com/figures-exporter/figures_exporter/internal/testtools"
)

// logRecorder keeps the JSON records a holder logs.
type logRecorder struct{ testtools.Buffer }

// records returns the records logged so far and forgets them.
func (l *logRecorder) records(t *testing.T) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, line := range bytes.Split(l.Take(), []byte("\n")) {
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		var rec map[string]any
		if err := json.Unmarshal(line, &rec); err != nil {
			t.Fatalf("log line is not JSON: %q", line)
		}
		out = append(out, rec)
	}
	return out
}

// testHolder is a holder on files in a temporary directory, with its
// registry and log.
type testHolder struct {
	*reload.Holder
	reg *prometheus.Registry
	log *logRecorder
}

func newHolder(t *testing.T, source reload.Source) *testHolder {
	t.Helper()
	rec := &logRecorder{}
	reg := prometheus.NewRegistry()
	h := reload.NewHolder(source, slog.New(slog.NewJSONHandler(rec, &slog.HandlerOptions{Level: slog.LevelDebug})), reg)
	return &testHolder{Holder: h, reg: reg, log: rec}
}

// metric returns the value of the series of name whose labels include want,
// and whether there is one.
func (h *testHolder) metric(t *testing.T, name string, want map[string]string) (float64, bool) {
	t.Helper()
	mfs, err := h.reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() != name {
			continue
		}
	series:
		for _, m := range mf.GetMetric() {
			for k, v := range want {
				found := false
				for _, lp := range m.GetLabel() {
					if lp.GetName() == k && lp.GetValue() == v {
						found = true
					}
				}
				if !found {
					continue series
				}
			}
			if m.GetGauge() != nil {
				return m.GetGauge().GetValue(), true
			}
			return m.GetCounter().GetValue(), true
		}
	}
	return 0, false
}

func (h *testHolder) lastReloadSuccessful(t *testing.T) float64 {
	t.Helper()
	v, ok := h.metric(t, "figures_exporter_config_last_reload_successful", nil)
	if !ok {
		t.Fatal("no figures_exporter_config_last_reload_successful")
	}
	return v
}

func (h *testHolder) revision() string {
	if s := h.Snapshot(); s != nil {
		return s.Dataset.Revision
	}
	return ""
}

func repoFile(t *testing.T, rel string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(testtools.RepoRoot(t), filepath.FromSlash(rel)))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func writeFile(t *testing.T, path string, data []byte) {
	t.Helper()
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// golden is one line of a testdata/bad/*.yaml.err file.
type golden struct {
	line, column int
	severity     string
	message      string
}

var goldenRE = regexp.MustCompile(`^[^:]+:(\d+):(\d+): (error|warning): (.*)$`)

func readGolden(t *testing.T, path string) []golden {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var out []golden
	for _, l := range strings.Split(strings.TrimRight(string(data), "\n"), "\n") {
		m := goldenRE.FindStringSubmatch(l)
		if m == nil {
			t.Fatalf("%s: unexpected golden line %q", path, l)
		}
		line, _ := strconv.Atoi(m[1])
		col, _ := strconv.Atoi(m[2])
		out = append(out, golden{line, col, m[3], m[4]})
	}
	return out
}

func hasError(gs []golden) bool {
	for _, g := range gs {
		if g.severity == "error" {
			return true
		}
	}
	return false
}

// badFiles returns the corpus: every testdata/bad file whose golden holds an
// error (a few hold only warnings and load).
func badFiles(t *testing.T) []string {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join(testtools.RepoRoot(t), "testdata", "bad", "*.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, p := range paths {
		if hasError(readGolden(t, p+".err")) {
			out = append(out, p)
		}
	}
	if len(out) < 50 {
		t.Fatalf("the corpus holds %d refused files, want at least 50", len(out))
	}
	return out
}

// TestBadReloadKeepsLastGood swaps every file of the bad corpus in place of a
// served dataset and reloads: each reload must fail without a panic, keep the
// last good dataset served, drop the reload gauge to 0 and log every problem
// with file, line and column exactly as `figures_exporter check` reports it
// (the golden .err file). Putting the good file back makes the gauge 1 again.
// Each reload's wall time and allocations are logged; the bound asserted is
// loose (the point is that no input makes the loader run away).
func TestBadReloadKeepsLastGood(t *testing.T) {
	good := repoFile(t, "figures.yaml")
	path := filepath.Join(t.TempDir(), "figures.yaml")
	writeFile(t, path, good)
	h := newHolder(t, reload.Source{Paths: []string{path}})
	if result, diags := h.Reload(reload.TriggerStartup); result != reload.ResultSuccess {
		t.Fatalf("startup: %s\n%v", result, diags)
	}
	served := h.revision()
	h.log.records(t)

	var slowest time.Duration
	var slowestName string
	var mostAlloc uint64
	var mostAllocName string
	for _, bad := range badFiles(t) {
		name := filepath.Base(bad)
		t.Run(strings.TrimSuffix(name, ".yaml"), func(t *testing.T) {
			want := readGolden(t, bad+".err")
			writeFile(t, path, repoFile(t, "testdata/bad/"+name))

			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			start := time.Now()
			result, _ := reloadWithin(t, h, reload.TriggerSignal, time.Minute)
			took := time.Since(start)
			runtime.ReadMemStats(&after)
			if took > slowest {
				slowest, slowestName = took, name
			}
			if a := after.TotalAlloc - before.TotalAlloc; a > mostAlloc {
				mostAlloc, mostAllocName = a, name
			}

			if result != reload.ResultFailure {
				t.Fatalf("reload of %s: %s, want %s", name, result, reload.ResultFailure)
			}
			if got := h.revision(); got != served {
				t.Fatalf("served revision changed to %s after a failed reload", got)
			}
			if v := h.lastReloadSuccessful(t); v != 0 {
				t.Errorf("figures_exporter_config_last_reload_successful = %v after a failed reload, want 0", v)
			}
			for i := range want {
				want[i].message = strings.ReplaceAll(want[i].message, "testdata/bad/"+name, path)
			}
			checkLogged(t, h.log.records(t), path, want)

			writeFile(t, path, good)
			if result, diags := h.Reload(reload.TriggerSignal); result != reload.ResultUnchanged {
				t.Fatalf("reload of the good file again: %s, want %s\n%v", result, reload.ResultUnchanged, diags)
			}
			if v := h.lastReloadSuccessful(t); v != 1 {
				t.Errorf("figures_exporter_config_last_reload_successful = %v after the good file is back, want 1", v)
			}
			h.log.records(t)
		})
	}
	t.Logf("slowest reload: %s (%v); most allocation: %s (%.1f MiB)", slowestName, slowest.Round(time.Millisecond), mostAllocName, float64(mostAlloc)/(1<<20))
	if mostAlloc > 512<<20 {
		t.Errorf("reloading %s allocated %d MiB; the loader must stay bounded", mostAllocName, mostAlloc>>20)
	}
}

// reloadWithin runs a reload and fails the test if it does not return in
// time: a hostile file must end in an error, never in a hang.
func reloadWithin(t *testing.T, h *testHolder, trigger string, limit time.Duration) (string, figures.Diagnostics) {
	t.Helper()
	type outcome struct {
		result string
		diags  figures.Diagnostics
	}
	done := make(chan outcome, 1)
	go func() {
		r, d := h.Reload(trigger)
		done <- outcome{r, d}
	}()
	select {
	case o := <-done:
		return o.result, o.diags
	case <-time.After(limit):
		t.Fatalf("reload did not return within %v", limit)
		return "", nil
	}
}

// diagnosticRecords are the message and level a diagnostic is logged with,
// by severity: a warning is logged as one whether the reload failed or not.
var diagnosticRecords = map[string]struct{ msg, level string }{
	"error":   {"figures error", "ERROR"},
	"warning": {"figures warning", "WARN"},
}

// checkLogged asserts that every golden diagnostic was logged as one record
// naming the file, line and column, with the message and level of its
// severity (diagnosticRecords).
func checkLogged(t *testing.T, recs []map[string]any, path string, want []golden) {
	t.Helper()
	var got []golden
	failed := false
	for _, r := range recs {
		switch r["msg"] {
		case "figures error", "figures warning":
			if r["file"] != path {
				t.Errorf("logged file %v, want %s", r["file"], path)
			}
			line, _ := r["line"].(float64)
			col, _ := r["column"].(float64)
			sev, _ := r["severity"].(string)
			msg, _ := r["problem"].(string)
			if rec, ok := diagnosticRecords[sev]; !ok || r["msg"] != rec.msg || r["level"] != rec.level {
				t.Errorf("a diagnostic of severity %q logged as %v at %v, want %q at %s", sev, r["msg"], r["level"], rec.msg, rec.level)
			}
			got = append(got, golden{int(line), int(col), sev, msg})
		case "reloading figures failed; serving the last good dataset":
			failed = true
		}
	}
	if !failed {
		t.Errorf("no record says the reload failed and the last good dataset is kept")
	}
	if len(got) != len(want) {
		t.Errorf("logged %d diagnostics, the golden file has %d", len(got), len(want))
	}
	for i := 0; i < len(got) && i < len(want); i++ {
		if got[i] != want[i] {
			t.Errorf("logged diagnostic %d differs from the golden file\n got: %v\nwant: %v", i, got[i], want[i])
			break
		}
	}
}

// TestReloadRefusesWhatIsNotAFile covers what cannot be committed to
// testdata: a directory, a FIFO, an endless device, a dangling symlink, a
// symlink loop, a missing file, an unreadable file and files beyond the size cap (a sparse
// file just over the default cap, and the real dataset under a tiny cap).
// Each reload fails with a message naming the path, and the good dataset
// stays served.
func TestReloadRefusesWhatIsNotAFile(t *testing.T) {
	good := repoFile(t, "figures.yaml")
	tests := []struct {
		name    string
		setup   func(t *testing.T, path string)
		maxSize int64
		want    string
		root    bool // whether the case works when running as root
	}{
		{"directory without yaml", func(t *testing.T, path string) {
			mustRemove(t, path)
			if err := os.Mkdir(path, 0o755); err != nil {
				t.Fatal(err)
			}
		}, 0, "directory holds no *.yaml or *.yml files", true},
		{"fifo", func(t *testing.T, path string) {
			mustRemove(t, path)
			if err := syscall.Mkfifo(path, 0o644); err != nil {
				t.Skipf("mkfifo: %v", err)
			}
		}, 0, "is not a regular file", true},
		{"symlink to /dev/zero", func(t *testing.T, path string) {
			if _, err := os.Stat("/dev/zero"); err != nil {
				t.Skip("no /dev/zero")
			}
			mustRemove(t, path)
			if err := os.Symlink("/dev/zero", path); err != nil {
				t.Fatal(err)
			}
		}, 0, "is not a regular file", true},
		{"dangling symlink", func(t *testing.T, path string) {
			mustRemove(t, path)
			if err := os.Symlink(path+".gone", path); err != nil {
				t.Fatal(err)
			}
		}, 0, "no such file or directory", true},
		{"symlink loop", func(t *testing.T, path string) {
			mustRemove(t, path)
			if err := os.Symlink(path, path); err != nil {
				t.Fatal(err)
			}
		}, 0, "too many levels of symbolic links", true},
		{"missing", func(t *testing.T, path string) { mustRemove(t, path) }, 0, "no such file or directory", true},
		{"unreadable", func(t *testing.T, path string) {
			if err := os.Chmod(path, 0); err != nil {
				t.Fatal(err)
			}
		}, 0, "permission denied", false},
		{"sparse file over the default cap", func(t *testing.T, path string) {
			if err := os.Truncate(path, figures.DefaultMaxFileSize+1); err != nil {
				t.Fatal(err)
			}
		}, 0, fmt.Sprintf("larger than the limit of %d bytes (--figures.max-file-size)", figures.DefaultMaxFileSize), true},
		{"dataset over a small cap", func(t *testing.T, path string) {}, 1024, "larger than the limit of 1024 bytes (--figures.max-file-size)", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !tt.root && os.Geteuid() == 0 {
				t.Skip("root reads files whatever their mode")
			}
			path := filepath.Join(t.TempDir(), "figures.yaml")
			writeFile(t, path, good)
			h := newHolder(t, reload.Source{Paths: []string{path}, MaxFileSize: tt.maxSize})
			if tt.maxSize == 0 {
				if result, diags := h.Reload(reload.TriggerStartup); result != reload.ResultSuccess {
					t.Fatalf("startup: %s\n%v", result, diags)
				}
			}
			served := h.revision()
			tt.setup(t, path)
			result, diags := reloadWithin(t, h, reload.TriggerWatch, time.Minute)
			if result != reload.ResultFailure {
				t.Fatalf("reload: %s, want failure", result)
			}
			if h.revision() != served {
				t.Errorf("served revision changed after a failed reload")
			}
			if v := h.lastReloadSuccessful(t); v != 0 {
				t.Errorf("figures_exporter_config_last_reload_successful = %v, want 0", v)
			}
			if len(diags) == 0 || !strings.Contains(diags[0].Message, tt.want) || !strings.HasPrefix(diags[0].Pos.File, path) || diags[0].Pos.Line < 1 || diags[0].Pos.Column < 1 {
				t.Errorf("diagnostics %q, want one naming %s at a line and column, saying %q", diags.Error(), path, tt.want)
			}
		})
	}
}

func mustRemove(t *testing.T, path string) {
	t.Helper()
	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
}

// TestCheckCommandOnCorpus runs `figures_exporter check` on every file of
// testdata/bad, from the repository root as a user would: its output must be
// the golden diagnostics followed by the summary line, and it must exit 1
// exactly when the golden holds an error.
func TestCheckCommandOnCorpus(t *testing.T) {
	bin := testtools.Exporter(t)
	root := testtools.RepoRoot(t)
	paths, err := filepath.Glob(filepath.Join(root, "testdata", "bad", "*.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range paths {
		rel := "testdata/bad/" + filepath.Base(p)
		t.Run(strings.TrimSuffix(filepath.Base(p), ".yaml"), func(t *testing.T) {
			want, err := os.ReadFile(p + ".err")
			if err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			cmd := exec.CommandContext(ctx, bin, "check", rel)
			cmd.Dir = root
			var stdout, stderr bytes.Buffer
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			err = cmd.Run()
			code := 0
			if ee, ok := err.(*exec.ExitError); ok {
				code = ee.ExitCode()
			} else if err != nil {
				t.Fatal(err)
			}
			wantCode := 0
			if strings.Contains(string(want), ": error: ") {
				wantCode = 1
			}
			if code != wantCode {
				t.Errorf("exit code %d, want %d\nstderr: %s", code, wantCode, stderr.String())
			}
			out := stdout.String()
			i := strings.LastIndex(strings.TrimRight(out, "\n"), "\n")
			body, summary := out[:i+1], out[i+1:]
			if body != string(want) {
				t.Errorf("output differs from %s.err\n--- got\n%s--- want\n%s", rel, body, want)
			}
			if !strings.HasPrefix(summary, "FAILED: ") && wantCode == 1 {
				t.Errorf("summary line %q, want FAILED: …", summary)
			}
			if stderr.Len() != 0 {
				t.Errorf("check wrote to stderr (a panic?): %s", stderr.String())
			}
		})
	}
}

// TestSIGHUPReloadOfBadFiles runs the real binary and sends it SIGHUP after
// swapping in a few bad files: the log (JSON) must carry file, line and
// column of the first problem, at its severity's level, /metrics must show the reload gauge at 0 and
// still serve the last good revision, and a good file brings the gauge back
// to 1.
func TestSIGHUPReloadOfBadFiles(t *testing.T) {
	bin := testtools.Exporter(t)
	good := repoFile(t, "figures.yaml")
	dir := t.TempDir()
	path := filepath.Join(dir, "figures.yaml")
	writeFile(t, path, good)
	addr := testtools.FreeAddr(t)
	proc := testtools.Start(t, "figures_exporter", bin, "--figures.file="+path, "--no-figures.watch", "--web.listen-address="+addr, "--log.format=json")
	cmd, logs := proc.Cmd, jsonLog{proc}
	base := "http://" + addr
	waitFor(t, 30*time.Second, "exporter ready", func() bool {
		resp, err := http.Get(base + "/-/ready")
		if err != nil {
			return false
		}
		resp.Body.Close()
		return resp.StatusCode == http.StatusOK
	})
	servedRev := collector.ShortRevision(figures.Revision([]figures.RawFile{{Data: good}}))
	for i, name := range []string{"syntax-unclosed-single-quote.yaml", "hostile-invalid-utf8.yaml", "hostile-alias-bomb.yaml", "sem-parts-exceed-whole.yaml", "hostile-long-unknown-value.yaml"} {
		t.Run(strings.TrimSuffix(name, ".yaml"), func(t *testing.T) {
			want := readGolden(t, filepath.Join(testtools.RepoRoot(t), "testdata", "bad", name+".err"))[0]
			writeFile(t, path, repoFile(t, "testdata/bad/"+name))
			if err := cmd.Process.Signal(syscall.SIGHUP); err != nil {
				t.Fatal(err)
			}
			wantFailures := fmt.Sprintf(`figures_exporter_config_reloads_total{result="failure",trigger="signal"} %d`, i+1)
			var body string
			waitFor(t, 30*time.Second, "the failed reload to show in /metrics", func() bool {
				body = get(t, base+"/metrics")
				return strings.Contains(body, wantFailures+"\n")
			})
			for _, s := range []string{
				"figures_exporter_config_last_reload_successful 0\n",
				fmt.Sprintf(`figures_exporter_dataset_info{revision="%s"} 1`, servedRev),
			} {
				if !strings.Contains(body, s) {
					t.Errorf("/metrics lacks %q", s)
				}
			}
			var rec map[string]any
			wantRec := diagnosticRecords[want.severity]
			waitFor(t, 10*time.Second, "the problem to be logged", func() bool {
				rec = logs.find(func(r map[string]any) bool {
					return r["msg"] == wantRec.msg && r["file"] == path && r["line"] == float64(want.line) && r["column"] == float64(want.column)
				})
				return rec != nil
			})
			if rec["problem"] != want.message || rec["level"] != wantRec.level || rec["severity"] != want.severity {
				t.Errorf("logged problem %q at %v, severity %v; want %q at %s, severity %s", rec["problem"], rec["level"], rec["severity"], want.message, wantRec.level, want.severity)
			}
			if len(logs.String()) > 1<<20 {
				t.Errorf("the log grew past 1 MiB")
			}
		})
	}
	writeFile(t, path, good)
	if err := cmd.Process.Signal(syscall.SIGHUP); err != nil {
		t.Fatal(err)
	}
	waitFor(t, 30*time.Second, "the good file to make the reload gauge 1 again", func() bool {
		return strings.Contains(get(t, base+"/metrics"), "figures_exporter_config_last_reload_successful 1\n")
	})
	if strings.Contains(logs.String(), "goroutine ") || strings.Contains(logs.String(), "panic") {
		t.Errorf("the exporter's log shows a panic:\n%s", logs.String())
	}
}

// jsonLog reads a process's JSON log records.
type jsonLog struct{ *testtools.Process }

func (l jsonLog) String() string { return l.Log() }

func (l jsonLog) find(match func(map[string]any) bool) map[string]any {
	sc := bufio.NewScanner(strings.NewReader(l.String()))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		var rec map[string]any
		if json.Unmarshal(sc.Bytes(), &rec) == nil && match(rec) {
			return rec
		}
	}
	return nil
}

func get(t *testing.T, url string) string {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		return ""
	}
	defer resp.Body.Close()
	var b bytes.Buffer
	_, _ = b.ReadFrom(resp.Body)
	return b.String()
}

// waitFor polls cond until it holds, failing the test after limit.
func waitFor(t *testing.T, limit time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(limit)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %v waiting for %s", limit, what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
