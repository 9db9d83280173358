package pages

import (
	"strings"
	"testing"
	"time"

	"github.com/figures-exporter/figures_exporter/exporter/figures"
	"github.com/figures-exporter/figures_exporter/internal/coverage"
)

func day(s string) *time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return &t
}

func TestPeriodWords(t *testing.T) {
	for _, tc := range []struct {
		start, end, want string
	}{
		{"2023-01-01", "2023-12-31", "2023"},
		{"2017-01-01", "2023-12-31", "2017–2023"},
		{"2023-01-01", "2023-06-30", "H1 2023"},
		{"2023-07-01", "2023-12-31", "H2 2023"},
		{"2023-04-01", "2023-06-30", "Q2 2023"},
		{"2023-02-01", "2023-02-28", "Feb 2023"},
		{"2024-02-01", "2024-02-29", "Feb 2024"},
		{"2023-07-19", "2023-07-19", "19 Jul 2023"},
		{"2023-01-01", "2023-11-01", "1 Jan – 1 Nov 2023"},
		{"2022-03-01", "2023-11-01", "1 Mar 2022 – 1 Nov 2023"},
		{"2023-03-01", "2023-08-31", "1 Mar – 31 Aug 2023"}, // whole months, but no half or quarter
		{"2023-02-01", "2023-04-30", "1 Feb – 30 Apr 2023"}, // three months, not a quarter
		{"2022-07-01", "2023-06-30", "1 Jul 2022 – 30 Jun 2023"},
		{"", "2023-07-19", "as of 19 Jul 2023"},
	} {
		p := figures.Period{End: *day(tc.end)}
		if tc.start != "" {
			p.Start = day(tc.start)
		}
		if got := periodWords(p); got != tc.want {
			t.Errorf("%s/%s: %q, want %q", tc.start, tc.end, got, tc.want)
		}
	}
}

func TestNumbersInWords(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"part 1.355e+10 is larger than 6.29e+09", "part 13,550,000,000 is larger than 6,290,000,000"},
		{"share 0.2146 of 2.154", "share 0.2146 of 2.154"},
		{"tiny 1e-09", "tiny 1e-09"},
	} {
		if got := plainNumbers(tc.in); got != tc.want {
			t.Errorf("plainNumbers(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	for v, want := range map[float64]string{1.355e10: "13,550,000,000", 0.2146: "0.2146", 1370000: "1,370,000", 1e25: "1e+25", 0: "0"} {
		if got := baseUnits(v); got != want {
			t.Errorf("baseUnits(%g) = %q, want %q", v, got, want)
		}
	}
	for code, want := range map[string]string{"KP": "North Korea", "CN+KP": "China + North Korea", "KR": "South Korea", "XK": "Kosovo"} {
		if got := countryWords(code); got != want {
			t.Errorf("countryWords(%s) = %q, want %q", code, got, want)
		}
	}
}

// TestParagraphs: the article is cut into its non-blank lines and each
// mark into the lines it covers; the text is kept byte for byte.
func TestParagraphs(t *testing.T) {
	text := "Title 1\n\nThe 12 and\nthe 3 go.\n  \nEnd 7"
	marks := []coverage.Mark{
		{Start: 6, End: 7, Kind: coverage.Unmarked},
		{Start: 13, End: 15, Kind: coverage.Curated, FigureIDs: []string{"a"}},
		{Start: 16, End: 23, Kind: "quote"}, // "and\nthe": across a line end
		{Start: 37, End: 38, Kind: coverage.Excluded, Reason: "r"},
	}
	var got []string
	for _, p := range paragraphs(text, marks) {
		var b strings.Builder
		for _, s := range p {
			if s.Kind == "" {
				b.WriteString(s.Text)
			} else {
				b.WriteString("[" + s.Kind + ":" + s.Text + "]")
			}
		}
		got = append(got, b.String())
	}
	want := []string{"Title [unmarked:1]", "The [curated:12] [quote:and]", "[quote:the] 3 go.", "End [excluded:7]"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("paragraphs:\n%q\nwant\n%q", got, want)
	}
	q := quoteParagraphs("First line.\nThe quoted words\nrun on here.\nLast.", "quoted words run on")
	if len(q) != 2 || q[0][1].Kind != "quote" || q[0][1].Text != "quoted words" || q[1][0].Text != "run on" {
		t.Errorf("quoteParagraphs: %+v", q)
	}
}

func TestCardHelp(t *testing.T) {
	for in, want := range map[string]string{
		"Share of cyberattacks attributed to the origin country (or countries, joined with +).": "Share of cyberattacks attributed to the origin country.",
		"Relative change in cyberattacks (0.15 is +15 %).":                                      "Relative change in cyberattacks.",
		"Value of digital assets (cryptocurrency) stolen, in US dollars.":                       "Value of digital assets stolen, in US dollars.",
		"(only an aside)":   "(only an aside)",
		"Attacks per day.":  "Attacks per day.",
		"Nested (a (b) c).": "Nested (a c).",
	} {
		if got := cardHelp(in); got != want {
			t.Errorf("cardHelp(%q) = %q, want %q", in, got, want)
		}
	}
}
