package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/figures-exporter/figures_exporter/exporter/figures"
	"github.com/figures-exporter/figures_exporter/internal/testtools"
)

// coverageFile is a dataset of one figure quoting seed a.txt; %s is the
// source's `excluded:` list, %quote% the figure's quote.
const coverageFile = `families:
  - name: figures_attacks_daily_average
    help: Attacks detected per day.
    unit: count
    labels: [target_country]
sources:
  - id: src
    seed: a.txt
    title: A report
    published: 2023-07-20
%s
figures:
  - id: daily
    family: figures_attacks_daily_average
    labels: {target_country: KR}
    value: 1.37e6
    qualifier: none
    period: {start: 2023-01-01, end: 2023-06-30}
    source: src
    quote: "%quote%"
    curated: 2024-01-01
`

func TestCoverageDiagnostics(t *testing.T) {
	for _, tc := range []struct {
		name     string
		seed     string
		excluded string
		quote    string // the figure's quote; default "a daily average of 1.37 million"
		strict   bool
		want     []string // diagnostics, in order
	}{
		{
			name: "every number curated",
			seed: "They saw a daily\naverage of 1.37 million attacks in 2023.",
		},
		{
			name: "a number neither curated nor excluded",
			seed: "They saw a daily average of 1.37 million attacks.\nPolice arrested four people.",
			want: []string{`a.txt:2:17: warning: number "four" is neither curated nor excluded`},
		},
		{
			name:   "strict makes it an error",
			seed:   "Police arrested four people.",
			strict: true,
			want:   []string{`a.txt:1:17: error: number "four" is neither curated nor excluded`},
		},
		{
			name:  "a quote covers the figure it states, not the other numbers in it",
			seed:  "It was a daily average of 1.37 million, seen by four agencies.",
			quote: "It was a daily average of 1.37 million, seen by four agencies.",
			want:  []string{`a.txt:1:49: warning: number "four" is neither curated nor excluded`},
		},
		{
			name:     "an exclusion holding the number",
			seed:     "It was a daily average of 1.37 million. Police arrested four people.",
			excluded: `    excluded: [{text: "arrested four people", reason: "not cyber operations"}]`,
		},
		{
			name:     "an exclusion inside the number",
			seed:     "It was a daily average of 1.37 million. Losses reached $3.4 billion.",
			excluded: `    excluded: [{text: "3.4", reason: "not cyber operations"}]`,
		},
		{
			name: "the same number outside the quote is not covered by it",
			seed: "a daily average of 1.37 million\n\nHeadline: 1.37 million attacks a day",
			want: []string{`a.txt:3:11: warning: number "1.37 million" is neither curated nor excluded`},
		},
		{
			name:     "an exclusion found nowhere",
			seed:     "a daily average of 1.37 million",
			excluded: `    excluded: [{text: "four people", reason: "typo"}]`,
			want:     []string{`warning: source src: excluded text "four people" does not appear in seed a.txt`},
		},
		{
			name: "Korean",
			seed: "a daily average of 1.37 million\n하루 평균 162만 건의 공격이 있었다.",
			want: []string{`a.txt:2:7: warning: number "162만 건" is neither curated nor excluded`},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			file := filepath.Join(t.TempDir(), "figures.yaml")
			quote := tc.quote
			if quote == "" {
				quote = "a daily average of 1.37 million"
			}
			if err := os.WriteFile(file, []byte(strings.NewReplacer("%s", tc.excluded, "%quote%", quote).Replace(coverageFile)), 0o644); err != nil {
				t.Fatal(err)
			}
			ds, diags := figures.Load([]string{file}, 0, time.Now())
			if ds == nil {
				t.Fatalf("the test dataset does not load:\n%v", diags)
			}
			got := coverageDiagnostics(ds, fstest.MapFS{"a.txt": {Data: []byte(tc.seed)}}, tc.strict)
			if len(got) != len(tc.want) {
				t.Fatalf("got %d diagnostics, want %d:\n%v", len(got), len(tc.want), got)
			}
			for i, w := range tc.want {
				if !strings.Contains(got[i].String(), w) {
					t.Errorf("diagnostic %d is %q, want it to contain %q", i, got[i], w)
				}
			}
		})
	}
}

// TestCoverageOfTheSeeds checks the curated dataset against the real
// articles: with the `excluded:` entries proposed in
// internal/extract/testdata/exclusions.yaml (for the sources whose entry in
// figures.yaml has none yet) and the proposed source of seed 004, every
// number the extractor finds in the five seeds is curated or excluded.
func TestCoverageOfTheSeeds(t *testing.T) {
	root := testtools.RepoRoot(t)
	seeds := testtools.Seeds(t)
	testdata := filepath.Join(root, "internal", "extract", "testdata")
	files := []string{filepath.Join(root, "figures.yaml")}
	ds, diags := figures.Load(files, 0, time.Now())
	if ds == nil {
		t.Fatalf("figures.yaml does not load:\n%v", diags)
	}
	source004 := filepath.Join(testdata, "source-004.yaml")
	if !citesSeed(ds, "004_e3b2d32f48f2a477.txt") {
		files = append(files, source004)
		if ds, diags = figures.Load(files, 0, time.Now()); ds == nil {
			t.Fatalf("figures.yaml with source-004.yaml does not load:\n%v", diags)
		}
	}
	var proposed map[string][]struct{ Text, Reason string }
	testtools.ReadYAML(t, filepath.Join(testdata, "exclusions.yaml"), &proposed)
	for id, list := range proposed {
		src := ds.Sources[id]
		if src == nil {
			t.Errorf("exclusions.yaml: no source %s in the dataset", id)
			continue
		}
		if len(src.Excluded) > 0 {
			continue // figures.yaml has its own list: that one is checked
		}
		for _, e := range list {
			if strings.TrimSpace(e.Reason) == "" {
				t.Errorf("exclusions.yaml: %s: %q has no reason", id, e.Text)
			}
			src.Excluded = append(src.Excluded, figures.Exclusion{Text: e.Text, Reason: e.Reason, Pos: figures.Position{File: "exclusions.yaml", Line: 1, Column: 1}})
		}
	}
	for _, d := range coverageDiagnostics(ds, os.DirFS(seeds), true) {
		t.Error(d)
	}
	// The proposal for seed 004 is a valid source entry.
	var entry struct {
		Sources []map[string]any `yaml:"sources"`
	}
	testtools.ReadYAML(t, source004, &entry)
	if len(entry.Sources) != 1 || entry.Sources[0]["seed"] != "004_e3b2d32f48f2a477.txt" {
		t.Errorf("source-004.yaml: want one source citing seed 004, got %v", entry.Sources)
	}
}

func citesSeed(ds *figures.Dataset, seed string) bool {
	for _, s := range ds.Sources {
		if s.Seed == seed {
			return true
		}
	}
	return false
}
