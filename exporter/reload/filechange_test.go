package reload_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/figures-exporter/figures_exporter/exporter/figures"
	"github.com/figures-exporter/figures_exporter/exporter/reload"
)

// testDebounce is short so that the tests run fast; the real default
// (reload.DefaultDebounce) only groups events over a longer window.
const testDebounce = 100 * time.Millisecond

// datasets for the file-change tests: the curated dataset (a), the same with
// one value changed (b), and b cut inside a quoted string: what a reader sees
// when a writer has flushed only part of the file.
type datasets struct{ a, b, bHead, bTail []byte }

func changeDatasets(t *testing.T) datasets {
	t.Helper()
	a := repoFile(t, "figures.yaml")
	b := append(bytes.Clone(a), []byte("\n# edited\n")...)
	// Cut b right after the opening quote of a quote in its middle, so that
	// the first half is invalid YAML whatever the dataset holds.
	i := bytes.Index(b[len(b)/2:], []byte(`quote: "`))
	if i < 0 {
		t.Fatal("figures.yaml has no quoted quote in its second half")
	}
	cut := len(b)/2 + i + len(`quote: "`)
	return datasets{a: a, b: b, bHead: b[:cut], bTail: b[cut:]}
}

func rev(data ...[]byte) string {
	var raw []figures.RawFile
	for _, d := range data {
		raw = append(raw, figures.RawFile{Data: d})
	}
	return figures.Revision(raw)
}

// step is one change on disk and what the watch must make of it.
type step struct {
	name   string
	do     func(t *testing.T, dir string)
	result string // reload.ResultSuccess or reload.ResultFailure
	rev    string // revision served afterwards
	reason string // for a failure: a piece of the error message
}

// TestFileChanges makes the changes that really happen to a watched file —
// an editor's save, a delete and recreate, a Kubernetes ConfigMap update, a
// file written in two steps, a file removed for good — and checks that the
// watch reloads (or refuses) as it should: a good change is served, a bad or
// missing file leaves the last good dataset served with the reload gauge at
// 0 and a message naming the problem.
func TestFileChanges(t *testing.T) {
	ds := changeDatasets(t)
	revA, revB := rev(ds.a), rev(ds.b)
	write := func(name string, data []byte) func(t *testing.T, dir string) {
		return func(t *testing.T, dir string) { writeFile(t, filepath.Join(dir, name), data) }
	}
	remove := func(name string) func(t *testing.T, dir string) {
		return func(t *testing.T, dir string) { mustRemove(t, filepath.Join(dir, name)) }
	}
	// configMapUpdate swaps in a new version the way the kubelet's
	// AtomicWriter does: a new timestamped directory, a ..data_tmp symlink
	// to it renamed over ..data, and the old directory removed.
	configMapUpdate := func(version string, data []byte) func(t *testing.T, dir string) {
		return func(t *testing.T, dir string) {
			ts := filepath.Join(dir, "..2026_11_22_"+version)
			if err := os.Mkdir(ts, 0o755); err != nil {
				t.Fatal(err)
			}
			writeFile(t, filepath.Join(ts, "figures.yaml"), data)
			old, err := os.Readlink(filepath.Join(dir, "..data"))
			if err != nil {
				t.Fatal(err)
			}
			if err := os.Symlink(filepath.Base(ts), filepath.Join(dir, "..data_tmp")); err != nil {
				t.Fatal(err)
			}
			if err := os.Rename(filepath.Join(dir, "..data_tmp"), filepath.Join(dir, "..data")); err != nil {
				t.Fatal(err)
			}
			if err := os.RemoveAll(filepath.Join(dir, old)); err != nil {
				t.Fatal(err)
			}
		}
	}
	configMap := func(t *testing.T, dir string) {
		ts := filepath.Join(dir, "..2026_11_22_v1")
		if err := os.Mkdir(ts, 0o755); err != nil {
			t.Fatal(err)
		}
		writeFile(t, filepath.Join(ts, "figures.yaml"), ds.a)
		for link, target := range map[string]string{"..data": filepath.Base(ts), "figures.yaml": "..data/figures.yaml"} {
			if err := os.Symlink(target, filepath.Join(dir, link)); err != nil {
				t.Fatal(err)
			}
		}
	}
	// The dataset split in two files: families and sources, then figures.
	split := bytes.Index(ds.a, []byte("\nfigures:\n"))
	if split < 0 {
		t.Fatal("figures.yaml has no top-level figures key")
	}
	head, figs := ds.a[:split+1], ds.a[split+1:]

	tests := []struct {
		name  string
		setup func(t *testing.T, dir string)
		paths []string // relative to the directory; "." is the directory
		start string   // revision served at start
		steps []step
	}{
		{
			name:  "editor writes a temporary file and renames it over",
			setup: write("figures.yaml", ds.a), paths: []string{"figures.yaml"}, start: revA,
			steps: []step{{name: "save", do: func(t *testing.T, dir string) {
				tmp := filepath.Join(dir, ".figures.yaml.swp")
				writeFile(t, tmp, ds.b)
				if err := os.Rename(tmp, filepath.Join(dir, "figures.yaml")); err != nil {
					t.Fatal(err)
				}
			}, result: reload.ResultSuccess, rev: revB}},
		},
		{
			name:  "editor renames the old file away and writes a new one",
			setup: write("figures.yaml", ds.a), paths: []string{"figures.yaml"}, start: revA,
			steps: []step{{name: "save", do: func(t *testing.T, dir string) {
				if err := os.Rename(filepath.Join(dir, "figures.yaml"), filepath.Join(dir, "figures.yaml~")); err != nil {
					t.Fatal(err)
				}
				writeFile(t, filepath.Join(dir, "figures.yaml"), ds.b)
			}, result: reload.ResultSuccess, rev: revB}},
		},
		{
			name:  "delete then recreate",
			setup: write("figures.yaml", ds.a), paths: []string{"figures.yaml"}, start: revA,
			steps: []step{
				{name: "delete", do: remove("figures.yaml"), result: reload.ResultFailure, rev: revA, reason: "no such file or directory"},
				{name: "recreate", do: write("figures.yaml", ds.b), result: reload.ResultSuccess, rev: revB},
			},
		},
		{
			name:  "ConfigMap update, file path given",
			setup: configMap, paths: []string{"figures.yaml"}, start: revA,
			steps: []step{
				{name: "..data swap", do: configMapUpdate("v2", ds.b), result: reload.ResultSuccess, rev: revB},
				{name: "..data swap to a broken file", do: configMapUpdate("v3", ds.bHead), result: reload.ResultFailure, rev: revB, reason: "invalid YAML"},
				{name: "..data swap back", do: configMapUpdate("v4", ds.a), result: reload.ResultSuccess, rev: revA},
			},
		},
		{
			name:  "ConfigMap update, directory given",
			setup: configMap, paths: []string{"."}, start: revA,
			steps: []step{{name: "..data swap", do: configMapUpdate("v2", ds.b), result: reload.ResultSuccess, rev: revB}},
		},
		{
			name:  "truncated, then written in two steps",
			setup: write("figures.yaml", ds.a), paths: []string{"figures.yaml"}, start: revA,
			steps: []step{
				{name: "truncate and write the first part", do: write("figures.yaml", ds.bHead), result: reload.ResultFailure, rev: revA, reason: "invalid YAML"},
				{name: "append the rest", do: func(t *testing.T, dir string) {
					f, err := os.OpenFile(filepath.Join(dir, "figures.yaml"), os.O_APPEND|os.O_WRONLY, 0)
					if err != nil {
						t.Fatal(err)
					}
					if _, err := f.Write(ds.bTail); err != nil {
						t.Fatal(err)
					}
					if err := f.Close(); err != nil {
						t.Fatal(err)
					}
				}, result: reload.ResultSuccess, rev: revB},
			},
		},
		{
			name:  "truncated to nothing",
			setup: write("figures.yaml", ds.a), paths: []string{"figures.yaml"}, start: revA,
			steps: []step{{name: "truncate", do: func(t *testing.T, dir string) {
				if err := os.Truncate(filepath.Join(dir, "figures.yaml"), 0); err != nil {
					t.Fatal(err)
				}
			}, result: reload.ResultFailure, rev: revA, reason: "file is empty"}},
		},
		{
			name:  "file removed for good",
			setup: write("figures.yaml", ds.a), paths: []string{"figures.yaml"}, start: revA,
			steps: []step{{name: "remove", do: remove("figures.yaml"), result: reload.ResultFailure, rev: revA, reason: "no such file or directory"}},
		},
		{
			name: "one file of a directory removed, then the other",
			setup: func(t *testing.T, dir string) {
				writeFile(t, filepath.Join(dir, "a.yaml"), head)
				writeFile(t, filepath.Join(dir, "b.yaml"), figs)
			},
			paths: []string{"."}, start: rev(head, figs),
			steps: []step{
				// A directory is the set of its files: removing one is a
				// change like any other, and the rest is served.
				{name: "remove the figures", do: remove("b.yaml"), result: reload.ResultSuccess, rev: rev(head)},
				{name: "remove the last file", do: remove("a.yaml"), result: reload.ResultFailure, rev: rev(head), reason: "directory holds no *.yaml or *.yml files"},
				{name: "restore both", do: func(t *testing.T, dir string) {
					writeFile(t, filepath.Join(dir, "b.yaml"), figs)
					writeFile(t, filepath.Join(dir, "a.yaml"), head)
				}, result: reload.ResultSuccess, rev: rev(head, figs)},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			tt.setup(t, dir)
			var paths []string
			for _, p := range tt.paths {
				paths = append(paths, filepath.Join(dir, p))
			}
			h := newHolder(t, reload.Source{Paths: paths})
			if result, diags := h.Reload(reload.TriggerStartup); result != reload.ResultSuccess {
				t.Fatalf("startup: %s\n%v", result, diags)
			}
			if h.revision() != tt.start {
				t.Fatalf("serving %s at start, want %s", h.revision(), tt.start)
			}
			ctx, cancel := context.WithCancel(context.Background())
			t.Cleanup(cancel)
			if err := reload.Watch(ctx, h.Holder, testDebounce); err != nil {
				t.Fatal(err)
			}
			for _, s := range tt.steps {
				since := time.Now()
				s.do(t, dir)
				var st reload.Status
				waitFor(t, 30*time.Second, s.name+": a watch reload ending in "+s.result, func() bool {
					st = h.Status()
					if st.Trigger != reload.TriggerWatch || st.At.Before(since) {
						return false
					}
					if s.result == reload.ResultFailure {
						return st.Result == reload.ResultFailure
					}
					return st.Result != reload.ResultFailure && h.revision() == s.rev
				})
				if h.revision() != s.rev {
					t.Fatalf("%s: serving %.12s, want %.12s", s.name, h.revision(), s.rev)
				}
				wantGauge := 1.0
				if s.result == reload.ResultFailure {
					wantGauge = 0
					if msg := st.Diagnostics.Error(); !strings.Contains(msg, s.reason) {
						t.Errorf("%s: reload failed with %q, want a message saying %q", s.name, msg, s.reason)
					}
				}
				if v := h.lastReloadSuccessful(t); v != wantGauge {
					t.Errorf("%s: figures_exporter_config_last_reload_successful = %v, want %v", s.name, v, wantGauge)
				}
			}
		})
	}
}
