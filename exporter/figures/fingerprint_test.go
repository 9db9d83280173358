package figures

import (
	"testing"
	"time"
)

// TestContentHash: every field a change notification tells of changes a
// figure's content hash, and what is no revision of the figure (notes,
// curation dates, where it is written) does not.
func TestContentHash(t *testing.T) {
	day := func(s string) *time.Time {
		d, err := time.Parse(time.DateOnly, s)
		if err != nil {
			t.Fatal(err)
		}
		return &d
	}
	base := func() (*Figure, *Source) {
		src := &Source{ID: "s", Title: "Report", Publisher: "Outlet", URL: "https://example.com/r", Published: day("2023-07-20"), Reliability: "B"}
		fig := &Figure{ID: "f", Family: "figures_attacks_daily_average", Labels: []Label{{Name: "country", Value: "KR"}},
			Value: 1.37e6, Qualifier: QualifierAbout, Period: Period{Start: day("2023-01-01"), End: *day("2023-06-30")},
			Source: "s", Quote: "1.37 million a day", Curated: *day("2026-01-01"), Credibility: 2}
		return fig, src
	}
	hash := func(fig *Figure, src *Source) float64 {
		return (&Dataset{Sources: map[string]*Source{src.ID: src}}).ContentHash(fig)
	}
	fig, src := base()
	want := hash(fig, src)
	if want <= 0 || want >= 1<<48 || want != float64(uint64(want)) {
		t.Fatalf("hash %v is not a 48-bit integer", want)
	}
	for _, tc := range []struct {
		name    string
		edit    func(*Figure, *Source)
		changes bool
	}{
		{"value", func(f *Figure, _ *Source) { f.Value = 1.5e6 }, true},
		{"hedge", func(f *Figure, _ *Source) { f.Qualifier = QualifierAtLeast }, true},
		{"period end", func(f *Figure, _ *Source) { f.Period.End = *day("2023-06-29") }, true},
		{"period start gone", func(f *Figure, _ *Source) { f.Period.Start = nil }, true},
		{"label value", func(f *Figure, _ *Source) { f.Labels[0].Value = "KP" }, true},
		{"label name", func(f *Figure, _ *Source) { f.Labels[0].Name = "target_country" }, true},
		{"quote", func(f *Figure, _ *Source) { f.Quote = "1.37 million per day" }, true},
		{"credibility", func(f *Figure, _ *Source) { f.Credibility = 3 }, true},
		{"claim chain", func(f *Figure, _ *Source) { f.Claim = &Claim{Chain: []string{"NIS"}} }, true},
		{"claim id", func(f *Figure, _ *Source) { f.Claim = &Claim{ID: "nis-daily"} }, true},
		{"family", func(f *Figure, _ *Source) { f.Family = "figures_attacks_total" }, true},
		{"source title", func(_ *Figure, s *Source) { s.Title = "Report 2" }, true},
		{"source title and publisher shifted", func(_ *Figure, s *Source) { s.Title, s.Publisher = "ReportOut", "let" }, true},
		{"source URL", func(_ *Figure, s *Source) { s.URL = "https://example.com/r2" }, true},
		{"source date", func(_ *Figure, s *Source) { s.Published = nil }, true},
		{"source grade", func(_ *Figure, s *Source) { s.Reliability = "C" }, true},
		{"notes", func(f *Figure, s *Source) { f.Notes, s.Notes = "checked", "checked" }, false},
		{"curation dates", func(f *Figure, _ *Source) { f.Curated, f.Revised = *day("2026-02-01"), day("2026-03-01") }, false},
		{"position", func(f *Figure, s *Source) { f.Pos, s.Pos = Position{File: "b.yaml", Line: 9}, Position{Line: 3} }, false},
		{"archive", func(_ *Figure, s *Source) { s.ArchiveURL = "https://archive.example/r" }, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fig, src := base()
			tc.edit(fig, src)
			if got := hash(fig, src); (got != want) != tc.changes {
				t.Errorf("hash %v after the edit, %v before; want changed = %v", got, want, tc.changes)
			}
		})
	}
}
