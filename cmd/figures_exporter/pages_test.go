package main

import (
	"context"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/figures-exporter/figures_exporter/internal/testtools"
)

// TestPagesFlags runs the binary with each way of getting the article text
// and with --web.prometheus-url, and reads the pages they change.
func TestPagesFlags(t *testing.T) {
	const report = "/sources/nis-pangyo-conference-2023-07-20"
	const figure = "/figures/" + dailyFigure
	seeds := filepath.Join(testtools.RepoRoot(t), "seeds")
	for _, tc := range []struct {
		name string
		args func(t *testing.T) []string
		path string
		want string
	}{
		{"embedded dataset, embedded seeds", func(*testing.T) []string { return nil }, report, `data-kind="curated"`},
		{"file without --seeds.dir", func(t *testing.T) []string { return []string{"--figures.file=" + copyFile(t, "figures.yaml")} }, report, "the exporter was started without --seeds.dir"},
		{"file with --seeds.dir", func(t *testing.T) []string {
			return []string{"--figures.file=" + copyFile(t, "figures.yaml"), "--seeds.dir=" + seeds}
		}, report, `data-kind="excluded"`},
		{"quote in its paragraph", func(*testing.T) []string { return nil }, figure, `<mark class="quote">`},
		{"--web.prometheus-url", func(*testing.T) []string { return []string{"--web.prometheus-url=http://prometheus.example:9090/"} }, figure, `href="http://prometheus.example:9090/graph?g0.expr=`},
		{"status", func(*testing.T) []string { return nil }, "/status", `id="revision"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := startExporter(t, nil, "http", tc.args(t)...)
			status, body := p.get(t, tc.path)
			if status != 200 || !strings.Contains(body, tc.want) {
				t.Errorf("GET %s: %d, want 200 with %q", tc.path, status, tc.want)
			}
		})
	}
}

// TestPagesFlagErrors: a bad pages flag stops the start with a message
// naming it.
func TestPagesFlagErrors(t *testing.T) {
	bin := testtools.Exporter(t)
	for _, tc := range []struct{ arg, want string }{
		{"--web.prometheus-url=ftp://prometheus", "--web.prometheus-url"},
		{"--web.external-url=not a url", "--web.external-url"},
		{"--seeds.dir=" + filepath.Join(t.TempDir(), "none"), "--seeds.dir"},
	} {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		out, err := exec.CommandContext(ctx, bin, "--web.listen-address="+testtools.FreeAddr(t), tc.arg).CombinedOutput()
		cancel()
		if exitErr, ok := err.(*exec.ExitError); !ok || exitErr.ExitCode() != 1 || !strings.Contains(string(out), tc.want) {
			t.Errorf("%s: %v, want exit 1 naming %s:\n%s", tc.arg, err, tc.want, out)
		}
	}
}
