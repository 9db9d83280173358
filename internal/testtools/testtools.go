// Package testtools gives tests the real binaries they run: the exporter
// built from this checkout, and the Prometheus-ecosystem tools pinned in the
// tools modules (promtool, prometheus, alertmanager, dashboard-linter), built
// by `go tool` on first use and cached by the Go build cache after that.
package testtools

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"

	"go.yaml.in/yaml/v3"
)

// toolModules says which tools module pins each tool (relative to the repo).
var toolModules = map[string]string{
	"promtool":         "tools",
	"prometheus":       "tools",
	"alertmanager":     "tools/alertmanager",
	"amtool":           "tools/alertmanager",
	"chartcheck":       "tools/helm",
	"compose":          "tools/compose",
	"dashboard-linter": "tools/dashboard-linter",
	"etcd":             "tools/kube-apiserver",
	"goreleaser":       "tools/goreleaser",
	"jsonnet":          "tools/jsonnet",
	"jsonnet-lint":     "tools/jsonnet",
	"jsonnetfmt":       "tools/jsonnet",
	"kube-apiserver":   "tools/kube-apiserver",
	"rulecheck":        "tools/jsonnet",
	"scrapejob":        "tools/prometheus-operator",
}

var (
	mu    sync.Mutex
	paths = map[string]string{}
)

// RepoRoot returns the root of this repository (the directory of the main
// module's go.mod), found by walking up from the working directory.
func RepoRoot(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if data, err := os.ReadFile(filepath.Join(dir, "go.mod")); err == nil && strings.Contains(string(data), "module github.com/figures-exporter/figures_exporter\n") {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("cannot find the repository root (go.mod of github.com/figures-exporter/figures_exporter)")
		}
		dir = parent
	}
}

// Seeds returns the repository's seeds/ directory: the source articles the
// curated dataset cites, the copies of ../shared/seeds that the binary embeds
// (embed_test.go checks that they equal the originals where those exist), so
// that the tests of the articles run on any clone.
func Seeds(t testing.TB) string {
	t.Helper()
	return filepath.Join(RepoRoot(t), "seeds")
}

// Tool returns the path of a pinned tool's binary, building it if needed.
// The first build of promtool and prometheus takes minutes on a cold cache.
func Tool(t testing.TB, name string) string {
	t.Helper()
	mod, ok := toolModules[name]
	if !ok {
		t.Fatalf("unknown tool %q", name)
	}
	mu.Lock()
	defer mu.Unlock()
	if p, ok := paths[name]; ok {
		return p
	}
	// `go test ./...` runs several test binaries at once; without a lock each
	// would build the same tool in parallel (minutes of CPU and ~3 GB each on
	// a cold cache). With it, the first builds and the others hit the cache.
	// The lock is the checkout's tools directory itself: another checkout
	// on the machine builds its own tools without waiting, and no lock file
	// is left behind.
	unlock := lockFile(t, filepath.Join(RepoRoot(t), "tools"))
	defer unlock()
	cmd := exec.Command("go", "-C", filepath.Join(RepoRoot(t), mod), "tool", "-n", name)
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod")
	out, err := cmd.Output()
	if err != nil {
		msg := ""
		if ee, ok := err.(*exec.ExitError); ok {
			msg = string(ee.Stderr)
		}
		t.Fatalf("building %s from %s: %v\n%s", name, mod, err, msg)
	}
	p := strings.TrimSpace(string(out))
	paths[name] = p
	return p
}

var (
	exporterOnce sync.Once
	exporterDir  string
	exporterPath string
	exporterErr  error
	exporterOut  []byte
)

// Exporter builds the figures_exporter binary of this checkout once per test
// process and returns its path. With race set in the environment variable
// FIGURES_TEST_RACE=1 it is built with -race. A package whose tests call it
// runs them through Main, which removes the binary at the end.
func Exporter(t testing.TB) string {
	t.Helper()
	exporterOnce.Do(func() {
		dir, err := os.MkdirTemp("", "figures_exporter-bin-")
		if err != nil {
			exporterErr = err
			return
		}
		exporterDir = dir
		exporterPath = filepath.Join(dir, "figures_exporter")
		args := []string{"build", "-o", exporterPath}
		if os.Getenv("FIGURES_TEST_RACE") == "1" {
			args = append(args, "-race")
		}
		args = append(args, "./cmd/figures_exporter")
		cmd := exec.Command("go", args...)
		cmd.Dir = RepoRoot(t)
		exporterOut, exporterErr = cmd.CombinedOutput()
	})
	if exporterErr != nil {
		t.Fatalf("building figures_exporter: %v\n%s", exporterErr, exporterOut)
	}
	return exporterPath
}

// Main runs a package's tests (call it from TestMain) and then removes what
// the helpers of this package built for them.
func Main(m *testing.M) {
	code := m.Run()
	if exporterDir != "" {
		os.RemoveAll(exporterDir)
	}
	os.Exit(code)
}

// lockFile takes an exclusive lock on an existing file or directory, shared
// by all processes of this machine.
func lockFile(t testing.TB, path string) func() {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
		f.Close()
		t.Fatal(err)
	}
	return func() {
		syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
		f.Close()
	}
}

// ReadYAML decodes a YAML file of the repository (a config the tests check)
// into v, failing the test with the file's name on any error.
func ReadYAML(t testing.TB, file string, v any) {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal(data, v); err != nil {
		t.Fatalf("%s: %v", file, err)
	}
}
