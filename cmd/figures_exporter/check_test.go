package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/figures-exporter/figures_exporter/internal/testtools"
)

// TestCheckCommand runs `figures_exporter check` in-process on the curated
// dataset (it must pass, listing the articles' contradictions as warnings),
// on bad files (it must fail with positioned messages) and on a directory.
func TestCheckCommand(t *testing.T) {
	root := testtools.RepoRoot(t)
	seeds := filepath.Join(root, "..", "shared", "seeds")
	if _, err := os.Stat(seeds); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("the source articles must sit beside the repo in CI: %v", err)
		}
		seeds = ""
	}
	for _, tc := range []struct {
		name     string
		args     []string
		wantCode int
		want     []string
	}{
		{
			name:     "curated dataset",
			args:     []string{"check", filepath.Join(root, "figures.yaml")},
			wantCode: 0,
			want:     []string{"warning: figure kp-illicit-revenue-cyber-2017-2023: part 1.355e+10 is larger than its whole", "warning: figure kp-illicit-revenue-cyber-share-2017-2023: stated share 0.2146 disagrees", "SUCCESS: 26 figures", "2 warning(s)"},
		},
		{
			name:     "bad files together",
			args:     []string{"check", filepath.Join(root, "testdata/bad/value-nan.yaml"), filepath.Join(root, "testdata/bad/bad-date.yaml")},
			wantCode: 1,
			want:     []string{"value-nan.yaml:30:12: error: figure share-kp: value must be a finite number, got .nan", "bad-date.yaml:26:14: error:", "FAILED:"},
		},
		{
			name:     "missing file",
			args:     []string{"check", filepath.Join(root, "testdata/no-such-file.yaml")},
			wantCode: 1,
			want:     []string{"no-such-file.yaml:1:1: error: no such file or directory"},
		},
		{
			name:     "directory of files",
			args:     []string{"check", filepath.Join(root, "testdata/good")},
			wantCode: 0,
			want:     []string{"SUCCESS: 2 figures"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out bytes.Buffer
			if code := run(tc.args, &out, &out); code != tc.wantCode {
				t.Errorf("exit code %d, want %d\n%s", code, tc.wantCode, out.String())
			}
			for _, w := range tc.want {
				if !strings.Contains(out.String(), w) {
					t.Errorf("output lacks %q:\n%s", w, out.String())
				}
			}
		})
	}
	if seeds != "" {
		t.Run("quotes match the articles", func(t *testing.T) {
			var out bytes.Buffer
			if code := run([]string{"check", "--seeds.dir", seeds, filepath.Join(root, "figures.yaml")}, &out, &out); code != 0 {
				t.Errorf("exit %d:\n%s", code, out.String())
			}
		})
	}
}
