package testtools

import (
	"archive/tar"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// Missing skips a test that needs something this machine lacks, with the
// way to install it, and fails it under CI (CI set), where .ci/run installs
// everything the tests need: a green CI run must not hide a skipped test.
func Missing(t testing.TB, msg string) {
	t.Helper()
	if os.Getenv("CI") != "" {
		t.Fatal(msg)
	}
	t.Skip(msg)
}

// Chromium returns the path of Debian's headless-capable Chromium, or skips
// the test (fails it under CI) when it is not installed.
func Chromium(t testing.TB) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	Missing(t, "headless Chromium is needed for the browser tests: apt-get install -y chromium")
	return ""
}

// The pinned axe-core: the version fetched from npm and the SHA-256 of its
// axe.min.js (npm checks the tarball against the registry's integrity
// hash; the sum pins the script itself, in the cache too).
const (
	axeVersion = "4.11.0"
	axeSHA256  = "e9e5863c33a874f09bc01acd9234b7e3c871479f5eef8802fa582544465e6d01"
)

// AxeCore returns the source of axe-core's axe.min.js, the pinned version,
// for a browser test to inject into a page. It is fetched with
// `npm pack axe-core@VERSION` on first use and kept in the user's cache
// directory (figures_exporter/axe-core-VERSION/axe.min.js under
// os.UserCacheDir), checked against its pinned SHA-256 on every use.
// `go clean -cache` does not remove it: delete that directory to refetch. The
// test is skipped (failed under CI) when npm is missing or cannot fetch it.
func AxeCore(t testing.TB) string {
	t.Helper()
	// Without a cache directory (no HOME), the script is fetched into the
	// test's temporary directory, removed when the test ends.
	dir := t.TempDir()
	if cache, err := os.UserCacheDir(); err == nil {
		dir = filepath.Join(cache, "figures_exporter", "axe-core-"+axeVersion)
	}
	file := filepath.Join(dir, "axe.min.js")
	if data, err := os.ReadFile(file); err == nil && sum(data) == axeSHA256 {
		return string(data)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	// Test binaries of several packages may fetch at once: one does, the
	// others then read its file.
	mu.Lock()
	defer mu.Unlock()
	unlock := lockFile(t, dir)
	defer unlock()
	if data, err := os.ReadFile(file); err == nil && sum(data) == axeSHA256 {
		return string(data)
	}
	npm, err := exec.LookPath("npm")
	if err != nil {
		Missing(t, "npm is needed to fetch axe-core "+axeVersion+" for the accessibility checks: apt-get install -y npm")
	}
	tmp := t.TempDir()
	cmd := exec.Command(npm, "pack", "--silent", "--pack-destination", tmp, "axe-core@"+axeVersion)
	cmd.Dir = tmp
	if out, err := cmd.CombinedOutput(); err != nil {
		Missing(t, "npm pack axe-core@"+axeVersion+": "+err.Error()+"\n"+string(out))
	}
	data, err := untarFile(filepath.Join(tmp, "axe-core-"+axeVersion+".tgz"), "package/axe.min.js")
	if err != nil {
		t.Fatalf("axe-core %s: %v", axeVersion, err)
	}
	if got := sum(data); got != axeSHA256 {
		t.Fatalf("axe-core %s: axe.min.js has sha256 %s, pinned %s", axeVersion, got, axeSHA256)
	}
	// Written whole, then renamed: a reader never sees half a script.
	part := file + ".part"
	if err := os.WriteFile(part, data, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(part, file); err != nil {
		t.Fatal(err)
	}
	return string(data)
}

func sum(data []byte) string {
	s := sha256.Sum256(data)
	return hex.EncodeToString(s[:])
}

// untarFile returns the content of the named member of a .tgz file.
func untarFile(tgz, name string) ([]byte, error) {
	f, err := os.Open(tgz)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return nil, err
	}
	tr := tar.NewReader(zr)
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return nil, errors.New(tgz + " has no " + name)
		}
		if err != nil {
			return nil, err
		}
		if h.Name == name {
			return io.ReadAll(io.LimitReader(tr, 16<<20))
		}
	}
}
