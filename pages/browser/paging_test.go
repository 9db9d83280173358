package browser_test

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/figures-exporter/figures_exporter/bench/synth"
	"github.com/figures-exporter/figures_exporter/exporter/figures"
)

// testPaging serves a synthetic dataset larger than one catalogue page and
// follows the pages' "next" links, as a reader does: every figure is shown
// exactly once over the pages, no page holds more than a few hundred, the
// count line tells the total, a filter pages the same way, and a full page
// still fits a phone's width.
func testPaging(t *testing.T, browser context.Context) {
	const n = 450
	file := filepath.Join(t.TempDir(), "synth.yaml")
	f, err := os.Create(file)
	if err != nil {
		t.Fatal(err)
	}
	if err := synth.Generate(f, n, 0); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	ds, diags := figures.Load([]string{file}, 0, time.Now())
	if ds == nil || len(ds.Figures) != n {
		t.Fatalf("the synthetic dataset does not load with %d figures:\n%v", n, diags)
	}
	base := startExporter(t, "--figures.file="+file)
	tb := newTab(t, browser)

	var all []string
	for _, f := range ds.Figures {
		all = append(all, f.ID)
	}
	// The filter is the country most figures hold, so that it pages too.
	byCountry := map[string][]string{}
	country := ""
	for _, f := range ds.Figures {
		for _, c := range slices.Compact(slices.Sorted(slices.Values(countriesOf(f)))) {
			byCountry[c] = append(byCountry[c], f.ID)
			if len(byCountry[c]) > len(byCountry[country]) {
				country = c
			}
		}
	}
	for _, tc := range []struct {
		query string
		want  []string
	}{
		{"", all},
		{"?country=" + country, byCountry[country]},
	} {
		pages := 0
		got := selectedPages(t, tb, base, tc.query, func(ids []string) {
			pages++
			if len(ids) > 300 {
				t.Errorf("%q: a page shows %d figures", tc.query, len(ids))
			}
		})
		if dup := duplicates(got); len(dup) > 0 {
			t.Errorf("%q: figures shown on more than one page: %v", tc.query, dup)
		}
		slices.Sort(got)
		want := slices.Sorted(slices.Values(tc.want))
		if !slices.Equal(slices.Compact(got), want) {
			t.Errorf("%q: the pages show %d figures, want %d", tc.query, len(got), len(want))
		}
		if len(want) > 300 && pages < 2 { // pages hold at most a few hundred
			t.Errorf("%q: %d figures on %d page", tc.query, len(want), pages)
		}
		t.Logf("%q: %d figures on %d pages", tc.query, len(want), pages)
	}

	tb.open(t, viewports[0], base+"/")
	checkLayout(t, tb, viewports[0])
}
