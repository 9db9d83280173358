// Package release tests the release configuration (.goreleaser.yaml): that
// the pinned goreleaser accepts it, and that a snapshot release of one
// target gives archives with the licence, docs, rules and dashboards, a
// binary that says which version, commit, branch and date it was built
// from, checksums, and the Helm chart beside them.
package release

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/figures-exporter/figures_exporter/internal/testtools"
)

// config is the part of .goreleaser.yaml the fast test reads.
type config struct {
	Builds []struct {
		Main    string
		Goos    []string
		Goarch  []string
		Ldflags []string
	}
	Archives []struct {
		Files []string
	}
	Release struct {
		ExtraFiles []struct{ Glob string } `yaml:"extra_files"`
	}
}

// archiveFiles are what every archive must hold besides the binary.
var archiveFiles = []string{"LICENSE", "README.md", "CHANGELOG.md", "rules/*.yml", "dashboards/*.json"}

// TestConfig reads .goreleaser.yaml without goreleaser (it runs in -short):
// the six targets, every archive file present in the repository, and the
// version variables prometheus/common/version has.
func TestConfig(t *testing.T) {
	root := testtools.RepoRoot(t)
	var c config
	testtools.ReadYAML(t, filepath.Join(root, ".goreleaser.yaml"), &c)
	if len(c.Builds) != 1 || len(c.Archives) != 1 {
		t.Fatalf("want one build and one archive, got %d and %d", len(c.Builds), len(c.Archives))
	}
	b := c.Builds[0]
	if b.Main != "./cmd/figures_exporter" || !slices.Equal(b.Goos, []string{"linux", "darwin", "windows"}) || !slices.Equal(b.Goarch, []string{"amd64", "arm64"}) {
		t.Errorf("build: main %q, goos %v, goarch %v", b.Main, b.Goos, b.Goarch)
	}
	ldflags := strings.Join(b.Ldflags, " ")
	for _, v := range []string{"Version", "Revision", "Branch", "BuildUser", "BuildDate"} {
		if !strings.Contains(ldflags, "-X github.com/prometheus/common/version."+v+"=") {
			t.Errorf("ldflags do not set version.%s: %s", v, ldflags)
		}
	}
	if !slices.Equal(c.Archives[0].Files, archiveFiles) {
		t.Errorf("archive files %v, want %v", c.Archives[0].Files, archiveFiles)
	}
	for _, glob := range archiveFiles {
		if m, _ := filepath.Glob(filepath.Join(root, glob)); len(m) == 0 {
			t.Errorf("archive file %s matches nothing in the repository", glob)
		}
	}
	var extra []string
	for _, e := range c.Release.ExtraFiles {
		extra = append(extra, e.Glob)
	}
	if want := []string{"build/release/*.tgz", "rules/*.yml", "dashboards/*.json"}; !slices.Equal(extra, want) {
		t.Errorf("release assets %v, want %v", extra, want)
	}
}

// TestSnapshotRelease runs the pinned goreleaser: `check` on the
// repository's configuration, then `release --snapshot` of the current
// platform in a copy of the working tree committed to a fresh git
// repository (so that the test sees uncommitted changes to the
// configuration and knows the commit and branch the binary must report).
func TestSnapshotRelease(t *testing.T) {
	if testing.Short() {
		t.Skip("builds goreleaser, helm and a release (minutes on a cold cache)")
	}
	root := testtools.RepoRoot(t)
	gr := testtools.Tool(t, "goreleaser")
	run(t, root, gr, "check")

	src := filepath.Join(t.TempDir(), "src")
	copyTree(t, root, src)
	// One target: the platform the test runs on, so that its binary runs.
	cfgPath := filepath.Join(src, ".goreleaser.yaml")
	cfg, err := os.ReadFile(cfgPath)
	if err != nil {
		t.Fatal(err)
	}
	one := strings.NewReplacer("goos: [linux, darwin, windows]", "goos: ["+runtime.GOOS+"]", "goarch: [amd64, arm64]", "goarch: ["+runtime.GOARCH+"]").Replace(string(cfg))
	if strings.Count(one, runtime.GOOS+"]") == 0 || one == string(cfg) {
		t.Fatal("the targets of .goreleaser.yaml are not the lines this test narrows to one platform")
	}
	if err := os.WriteFile(cfgPath, []byte(one), 0o644); err != nil {
		t.Fatal(err)
	}
	const branch = "release-test"
	run(t, src, "git", "init", "-q", "-b", branch)
	run(t, src, "git", "add", "-A")
	run(t, src, "git", "-c", "user.name=test", "-c", "user.email=test@example.invalid", "commit", "-q", "-m", "snapshot")
	commit := strings.TrimSpace(run(t, src, "git", "rev-parse", "HEAD"))
	// goreleaser reads the remote (for the release's repository) and the
	// last tag (the snapshot is the next patch after it).
	run(t, src, "git", "remote", "add", "origin", "https://github.com/figures-exporter/figures_exporter.git")
	run(t, src, "git", "tag", "v0.1.0")

	run(t, src, gr, "release", "--snapshot", "--clean", "--parallelism", "1")
	dist := filepath.Join(src, "dist")

	version := "0.1.1-snapshot.g" + strings.TrimSpace(run(t, src, "git", "rev-parse", "--short", "HEAD"))
	ext := ".tar.gz"
	if runtime.GOOS == "windows" {
		ext = ".zip"
	}
	dir := "figures_exporter-" + version + "." + runtime.GOOS + "-" + runtime.GOARCH
	archive := filepath.Join(dist, dir+ext)
	if _, err := os.Stat(archive); err != nil {
		made, _ := filepath.Glob(filepath.Join(dist, "*"))
		t.Fatalf("no archive %s; dist holds %v", filepath.Base(archive), made)
	}
	files := readArchive(t, archive)
	for _, want := range []string{"LICENSE", "README.md", "CHANGELOG.md", "rules/figures.rules.yml", "rules/figures.alerts.yml", "dashboards/figures-threat.json", "dashboards/figures-exporter-health.json"} {
		got, ok := files[dir+"/"+want]
		if !ok {
			t.Errorf("%s lacks %s (has %v)", filepath.Base(archive), want, keys(files))
			continue
		}
		if orig, err := os.ReadFile(filepath.Join(root, want)); err != nil || !bytes.Equal(got, orig) {
			t.Errorf("%s: %s differs from the repository's (%v)", filepath.Base(archive), want, err)
		}
	}
	if lic := files[dir+"/LICENSE"]; !bytes.Contains(lic, []byte("Apache License\n                           Version 2.0, January 2004")) {
		t.Errorf("LICENSE in the archive is not the Apache-2.0 text")
	}

	// The binary of the archive says what it was built from.
	bin := filepath.Join(t.TempDir(), "figures_exporter")
	if err := os.WriteFile(bin, files[dir+"/figures_exporter"], 0o755); err != nil {
		t.Fatal(err)
	}
	out := run(t, src, bin, "--version")
	t.Logf("%s --version:\n%s", filepath.Base(archive), out)
	for _, re := range []string{
		`^figures_exporter, version ` + regexp.QuoteMeta(version) + ` \(branch: ` + branch + `, revision: ` + commit + `\)`,
		`build user:\s+goreleaser`,
		`build date:\s+\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d`,
		`platform:\s+` + runtime.GOOS + `/` + runtime.GOARCH,
	} {
		if !regexp.MustCompile(`(?m)` + re).MatchString(out) {
			t.Errorf("--version does not match %s:\n%s", re, out)
		}
	}

	// Checksums of the archive and of the assets beside it: the Helm chart
	// at the release's version and the mixin's plain files.
	sums := map[string]string{}
	data, err := os.ReadFile(filepath.Join(dist, "sha256sums.txt"))
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		sum, name, ok := strings.Cut(line, "  ")
		if !ok {
			t.Fatalf("sha256sums.txt: %q", line)
		}
		sums[name] = sum
	}
	for name, path := range map[string]string{
		filepath.Base(archive):                 archive,
		"figures-exporter-" + version + ".tgz": filepath.Join(src, "build", "release", "figures-exporter-"+version+".tgz"),
		"figures.rules.yml":                    filepath.Join(root, "rules", "figures.rules.yml"),
		"figures.alerts.yml":                   filepath.Join(root, "rules", "figures.alerts.yml"),
		"figures-threat.json":                  filepath.Join(root, "dashboards", "figures-threat.json"),
		"figures-exporter-health.json":         filepath.Join(root, "dashboards", "figures-exporter-health.json"),
	} {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		sum := sha256.Sum256(data)
		if got := sums[name]; got != hex.EncodeToString(sum[:]) {
			t.Errorf("sha256sums.txt has %q for %s, want %x", got, name, sum)
		}
	}
	chart := readArchive(t, filepath.Join(src, "build", "release", "figures-exporter-"+version+".tgz"))
	if !bytes.Contains(chart["figures-exporter/Chart.yaml"], []byte("\nversion: "+version+"\n")) || !bytes.Contains(chart["figures-exporter/Chart.yaml"], []byte("appVersion: "+version+"\n")) {
		t.Errorf("the packaged chart is not at the release's version:\n%s", chart["figures-exporter/Chart.yaml"])
	}
	if _, ok := chart["figures-exporter/files/figures.yaml"]; !ok {
		t.Errorf("the packaged chart lacks files/figures.yaml (has %v)", keys(chart))
	}
}

// run runs a command in dir and returns its output, failing the test with
// the output when it fails.
func run(t *testing.T, dir, name string, args ...string) string {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", filepath.Base(name), strings.Join(args, " "), err, out)
	}
	return string(out)
}

// copyTree copies the files git tracks or would track (not ignored) from
// the repository to dst, as they are in the working tree.
func copyTree(t *testing.T, root, dst string) {
	t.Helper()
	list := run(t, root, "git", "ls-files", "-z", "--cached", "--others", "--exclude-standard")
	for _, name := range strings.Split(strings.TrimRight(list, "\x00"), "\x00") {
		from := filepath.Join(root, name)
		info, err := os.Lstat(from)
		if os.IsNotExist(err) {
			continue // deleted in the working tree
		}
		if err != nil {
			t.Fatal(err)
		}
		to := filepath.Join(dst, name)
		if err := os.MkdirAll(filepath.Dir(to), 0o755); err != nil {
			t.Fatal(err)
		}
		if info.Mode()&os.ModeSymlink != 0 {
			target, err := os.Readlink(from)
			if err != nil {
				t.Fatal(err)
			}
			if err := os.Symlink(target, to); err != nil {
				t.Fatal(err)
			}
			continue
		}
		data, err := os.ReadFile(from)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(to, data, info.Mode().Perm()); err != nil {
			t.Fatal(err)
		}
	}
}

// readArchive returns the regular files of a .tar.gz/.tgz or .zip by name.
func readArchive(t *testing.T, path string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	if strings.HasSuffix(path, ".zip") {
		zr, err := zip.OpenReader(path)
		if err != nil {
			t.Fatal(err)
		}
		defer zr.Close()
		for _, f := range zr.File {
			rc, err := f.Open()
			if err != nil {
				t.Fatal(err)
			}
			data, err := io.ReadAll(rc)
			rc.Close()
			if err != nil {
				t.Fatal(err)
			}
			files[strings.TrimSuffix(f.Name, ".exe")] = data
		}
		return files
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	tr := tar.NewReader(zr)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return files
		}
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		if h.Typeflag != tar.TypeReg {
			continue
		}
		data, err := io.ReadAll(tr)
		if err != nil {
			t.Fatal(err)
		}
		files[h.Name] = data
	}
}

func keys(m map[string][]byte) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}
