package figures

import (
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestMergeFiles loads several files, and directories of files, as one
// dataset: references resolve across files and duplicates are caught across
// files, each message naming both places.
func TestMergeFiles(t *testing.T) {
	dir := filepath.Join("..", "..", "testdata", "merge")
	for _, tc := range []struct {
		name        string
		paths       []string
		wantFigures int
		wantErrors  []string
	}{
		{name: "directory split in two files", paths: []string{filepath.Join(dir, "good")}, wantFigures: 2},
		{name: "the same files named one by one", paths: []string{filepath.Join(dir, "good", "1-families-and-sources.yaml"), filepath.Join(dir, "good", "2-figures.yml")}, wantFigures: 2},
		{name: "a file named twice is read once", paths: []string{filepath.Join(dir, "good"), filepath.Join(dir, "good", "2-figures.yml")}, wantFigures: 2},
		{
			name:  "duplicates across files",
			paths: []string{filepath.Join(dir, "duplicate")},
			wantErrors: []string{
				"b.yaml:3:5: error: family figures_attacks_daily_average is already defined at ",
				"b.yaml:8:5: error: figure daily is already defined at ",
			},
		},
		{name: "figures without their families", paths: []string{filepath.Join(dir, "good", "2-figures.yml")}, wantErrors: []string{`family "figures_attacks_daily_average" is not defined`, `source "src" is not defined`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ds, diags := Load(tc.paths, 0, time.Now())
			if len(tc.wantErrors) == 0 {
				if ds == nil {
					t.Fatalf("refused: %v", diags)
				}
				if len(ds.Figures) != tc.wantFigures {
					t.Errorf("%d figures, want %d", len(ds.Figures), tc.wantFigures)
				}
				return
			}
			if ds != nil {
				t.Fatal("dataset with duplicates was accepted")
			}
			for _, want := range tc.wantErrors {
				if !strings.Contains(diags.Error(), want) {
					t.Errorf("diagnostics lack %q:\n%v", want, diags)
				}
			}
		})
	}
}
