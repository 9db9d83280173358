package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/figures-exporter/figures_exporter/internal/testtools"
)

// TestCheckStrictGrades: `check --strict` refuses a figure without
// credibility and a cited source without reliability, at the figure's and
// the source's positions, which plain `check` reports as warnings; the
// shipped dataset is graded throughout and passes.
func TestCheckStrictGrades(t *testing.T) {
	root := testtools.RepoRoot(t)
	t.Chdir(root) // messages name files as the user gave them
	for _, tc := range []struct {
		args     []string
		wantCode int
		golden   string // the expected diagnostics
	}{
		{[]string{"check", "testdata/bad/grades-missing.yaml"}, 0, "testdata/bad/grades-missing.yaml.err"},
		{[]string{"check", "--strict", "testdata/bad/grades-missing.yaml"}, 1, "testdata/bad/grades-missing.yaml.strict.err"},
		{[]string{"check", "--strict", "testdata/bad/grades-todo.yaml"}, 1, "testdata/bad/grades-todo.yaml.err"},
		{[]string{"check", "--strict", "figures.yaml"}, 0, ""},
	} {
		t.Run(strings.Join(tc.args[1:], " "), func(t *testing.T) {
			var want []byte
			if tc.golden != "" {
				var err error
				if want, err = os.ReadFile(filepath.FromSlash(tc.golden)); err != nil {
					t.Fatal(err)
				}
			}
			var out bytes.Buffer
			if code := run(tc.args, &out, &out); code != tc.wantCode {
				t.Errorf("exit code %d, want %d\n%s", code, tc.wantCode, out.String())
			}
			lines := strings.SplitAfter(out.String(), "\n")
			diags := strings.Join(lines[:len(lines)-2], "")
			// The curated dataset's acknowledged contradictions stay
			// warnings: --strict refuses missing grades, not them.
			if tc.golden == "" {
				if strings.Contains(diags, ": error: ") || !strings.HasPrefix(lines[len(lines)-2], "SUCCESS: ") {
					t.Errorf("the shipped dataset does not pass check --strict:\n%s", out.String())
				}
				return
			}
			if diags != string(want) {
				t.Errorf("output differs from %s\n--- got\n%s--- want\n%s", tc.golden, out.String(), want)
			}
		})
	}
}
