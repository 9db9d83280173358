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
	seeds := testtools.Seeds(t)
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
			want:     []string{"warning: figure kp-illicit-revenue-cyber-2017-2023: part 1.355e+10 is larger than its whole", "warning: figure kp-illicit-revenue-cyber-share-2017-2023: stated share 0.2146 disagrees", "SUCCESS: 27 figures", "2 warning(s)"},
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
	t.Run("quotes and sums match the articles", func(t *testing.T) {
		var out bytes.Buffer
		if code := run([]string{"check", "--seeds.dir", seeds, filepath.Join(root, "figures.yaml")}, &out, &out); code != 0 || strings.Contains(out.String(), "sha256") {
			t.Errorf("exit %d:\n%s", code, out.String())
		}
	})
	t.Run("every number of every article is curated or excluded", func(t *testing.T) {
		var out bytes.Buffer
		if code := run([]string{"check", "--seeds.dir", seeds, "--coverage", "--strict", filepath.Join(root, "figures.yaml")}, &out, &out); code != 0 || strings.Contains(out.String(), "neither curated nor excluded") {
			t.Errorf("exit %d:\n%s", code, out.String())
		}
	})
	t.Run("a number left out without a reason is found", func(t *testing.T) {
		data, err := os.ReadFile(filepath.Join(root, "figures.yaml"))
		if err != nil {
			t.Fatal(err)
		}
		const exclusion = "      - text: \"just six months away\"\n        reason: \"time left until the general election, not a figure\"\n"
		if !bytes.Contains(data, []byte(exclusion)) {
			t.Fatalf("figures.yaml lacks the exclusion %q", exclusion)
		}
		file := filepath.Join(t.TempDir(), "figures.yaml")
		if err := os.WriteFile(file, bytes.Replace(data, []byte(exclusion), nil, 1), 0o644); err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct {
			strict   bool
			wantCode int
			want     string
		}{{false, 0, `: warning: number "six" is neither curated nor excluded`}, {true, 1, `: error: number "six" is neither curated nor excluded`}} {
			args := []string{"check", "--seeds.dir", seeds, "--coverage", file}
			if tc.strict {
				args = append(args[:1], append([]string{"--strict"}, args[1:]...)...)
			}
			var out bytes.Buffer
			if code := run(args, &out, &out); code != tc.wantCode || !strings.Contains(out.String(), "000_87d2ab48fe696c67.txt:28:233"+tc.want) {
				t.Errorf("strict=%v: exit %d, want %d and %q:\n%s", tc.strict, code, tc.wantCode, tc.want, out.String())
			}
		}
	})
	t.Run("a changed article is noticed", func(t *testing.T) {
		changed := t.TempDir()
		entries, err := os.ReadDir(seeds)
		if err != nil {
			t.Fatal(err)
		}
		for i, e := range entries {
			data, err := os.ReadFile(filepath.Join(seeds, e.Name()))
			if err != nil {
				t.Fatal(err)
			}
			if i == 1 { // one word edited, every quote still in place
				data = bytes.Replace(data, []byte(" the "), []byte(" a "), 1)
			}
			if err := os.WriteFile(filepath.Join(changed, e.Name()), data, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		var out bytes.Buffer
		code := run([]string{"check", "--seeds.dir", changed, filepath.Join(root, "figures.yaml")}, &out, &out)
		if want := ": error: source "; code != 1 || !strings.Contains(out.String(), want) || !strings.Contains(out.String(), "has changed since it was curated: its sha256 is ") {
			t.Errorf("exit %d, want 1 and a sha256 error:\n%s", code, out.String())
		}
	})

}
