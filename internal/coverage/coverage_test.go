package coverage

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	figuresexporter "github.com/figures-exporter/figures_exporter"
	"github.com/figures-exporter/figures_exporter/exporter/figures"
)

// dataset is a source citing a.txt with three figures: 1.37 million
// (quoted by "daily" and "daily-copy", the same claim recorded twice), $3.4
// billion, and a derived figure quoting "four agencies" whose value (8) the
// article does not state. %excluded% is the source's `excluded:` entry.
const dataset = `families:
  - name: figures_attacks_daily_average
    help: Attacks detected per day.
    unit: count
    labels: [target_country, copy]
  - name: figures_losses_usd
    help: Losses.
    unit: usd
    labels: [target_country]
  - name: figures_agencies
    help: Agencies.
    unit: count
    labels: [target_country]
sources:
  - id: src
    seed: a.txt
    title: A report
    published: 2023-07-20
%excluded%
  - id: other
    seed: b.txt
    title: Another report
    published: 2023-07-21
figures:
  - id: daily
    family: figures_attacks_daily_average
    labels: {target_country: KR, copy: "no"}
    value: 1.37e6
    qualifier: none
    period: {start: 2023-01-01, end: 2023-06-30}
    source: src
    quote: "a daily average of 1.37 million"
    curated: 2024-01-01
  - id: daily-copy
    family: figures_attacks_daily_average
    labels: {target_country: KR, copy: "yes"}
    value: 1.37e6
    qualifier: none
    period: {start: 2023-01-01, end: 2023-06-30}
    source: src
    quote: "daily average of 1.37 million attacks"
    curated: 2024-01-01
  - id: losses
    family: figures_losses_usd
    labels: {target_country: KR}
    value: 3.4e9
    qualifier: none
    period: {start: 2023-01-01, end: 2023-06-30}
    source: src
    quote: "losses of $3.4 billion and 12 cases"
    curated: 2024-01-01
  - id: agencies
    family: figures_agencies
    labels: {target_country: KR}
    value: 8
    qualifier: none
    period: {start: 2023-01-01, end: 2023-06-30}
    source: src
    quote: "four agencies"
    curated: 2024-01-01
    derived: {from: [daily], method: twice the four agencies}
  - id: elsewhere
    family: figures_agencies
    labels: {target_country: JP}
    value: 4
    qualifier: none
    period: {start: 2023-01-01, end: 2023-06-30}
    source: other
    quote: "four"
    curated: 2024-01-01
`

func load(t *testing.T, excluded string) *figures.Dataset {
	t.Helper()
	file := filepath.Join(t.TempDir(), "figures.yaml")
	if err := os.WriteFile(file, []byte(strings.ReplaceAll(dataset, "%excluded%", excluded)), 0o644); err != nil {
		t.Fatal(err)
	}
	ds, diags := figures.Load([]string{file}, 0, time.Now())
	if ds == nil {
		t.Fatalf("the test dataset does not load:\n%v", diags)
	}
	return ds
}

// want is a mark as the table states it: the number, its kind, and the
// figures or the reason.
type want struct {
	text   string
	kind   Kind
	figs   []string
	reason string
}

func TestClassify(t *testing.T) {
	for _, tc := range []struct {
		name     string
		text     string
		excluded string
		want     []want
	}{
		{
			name: "no number",
			text: "Nothing counted here.",
		},
		{
			name: "a curated number, recorded by two figures whose quotes overlap",
			text: "They saw a daily average of 1.37 million attacks.",
			want: []want{{text: "1.37 million", kind: Curated, figs: []string{"daily", "daily-copy"}}},
		},
		{
			name: "white space folded between the quote's words",
			text: "They saw a daily\n  average of 1.37\tmillion.",
			want: []want{{text: "1.37\tmillion", kind: Curated, figs: []string{"daily"}}},
		},
		{
			name: "a quote covers the figure it states, not the other numbers in it",
			text: "Reported losses of $3.4 billion and 12 cases.",
			want: []want{{text: "$3.4 billion", kind: Curated, figs: []string{"losses"}}, {text: "12", kind: Unmarked}},
		},
		{
			name: "a derived figure covers its quote's numbers by place alone",
			text: "Seen by four agencies.",
			want: []want{{text: "four", kind: Curated, figs: []string{"agencies"}}},
		},
		{
			name: "the same number outside the quote is unmarked",
			text: "a daily average of 1.37 million\n\nHeadline: 1.37 million attacks a day",
			want: []want{{text: "1.37 million", kind: Curated, figs: []string{"daily"}}, {text: "1.37 million", kind: Unmarked}},
		},
		{
			name:     "an exclusion holding the number",
			text:     "Police arrested four people.",
			excluded: `    excluded: [{text: "arrested four people", reason: "not cyber operations"}]`,
			want:     []want{{text: "four", kind: Excluded, reason: "not cyber operations"}},
		},
		{
			name:     "an exclusion inside the number",
			text:     "Fines reached $5.5 billion.",
			excluded: `    excluded: [{text: "5.5", reason: "fines, not losses"}]`,
			want:     []want{{text: "$5.5 billion", kind: Excluded, reason: "fines, not losses"}},
		},
		{
			name:     "the first exclusion that names the number gives the reason",
			text:     "Police arrested four people.",
			excluded: `    excluded: [{text: "nowhere", reason: "typo"}, {text: "four people", reason: "first"}, {text: "arrested four", reason: "second"}]`,
			want:     []want{{text: "four", kind: Excluded, reason: "first"}},
		},
		{
			name:     "curated wins over excluded",
			text:     "They saw a daily average of 1.37 million attacks.",
			excluded: `    excluded: [{text: "1.37 million", reason: "double"}]`,
			want:     []want{{text: "1.37 million", kind: Curated, figs: []string{"daily", "daily-copy"}}},
		},
		{
			name: "another source's figure covers nothing here",
			text: "Police arrested four people.",
			want: []want{{text: "four", kind: Unmarked}},
		},
		{
			name: "Korean, with byte offsets past multi-byte characters",
			text: "공격: a daily average of 1.37 million\n하루 평균 162만 건의 공격이 있었다.",
			want: []want{{text: "1.37 million", kind: Curated, figs: []string{"daily"}}, {text: "162만 건", kind: Unmarked}},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ds := load(t, tc.excluded)
			got := Classify(ds, ds.Sources["src"], tc.text)
			if len(got) != len(tc.want) {
				t.Fatalf("got %d marks, want %d: %+v", len(got), len(tc.want), got)
			}
			for i, w := range tc.want {
				m := got[i]
				if m.Text != w.text || m.Kind != w.kind || !reflect.DeepEqual(m.FigureIDs, w.figs) || m.Reason != w.reason {
					t.Errorf("mark %d is %+v, want %+v", i, m, w)
				}
				// The offsets are bytes of the text, the position its
				// lines and characters.
				if tc.text[m.Start:m.End] != m.Text {
					t.Errorf("mark %d: text[%d:%d] is %q, not %q", i, m.Start, m.End, tc.text[m.Start:m.End], m.Text)
				}
				if line, col := position(tc.text, m.Start); m.Line != line || m.Col != col {
					t.Errorf("mark %d at %d:%d, want %d:%d", i, m.Line, m.Col, line, col)
				}
				if i > 0 && got[i-1].Start >= m.Start {
					t.Errorf("marks %d and %d are out of order", i-1, i)
				}
			}
		})
	}
}

// position is the 1-based line and character column of byte off.
func position(text string, off int) (int, int) {
	before := text[:off]
	line := strings.Count(before, "\n") + 1
	return line, len([]rune(before[strings.LastIndex(before, "\n")+1:])) + 1
}

func TestQuoteSpans(t *testing.T) {
	for _, tc := range []struct {
		name, text, quote string
		want              [][2]int
	}{
		{name: "exact", text: "one two three", quote: "two", want: [][2]int{{4, 7}}},
		{name: "white space folded in the text", text: "one\n two\t\tthree", quote: "one two three", want: [][2]int{{0, 15}}},
		{name: "white space folded in the quote", text: "one two three", quote: " two\n three ", want: [][2]int{{4, 13}}},
		{name: "every place, overlapping ones too", text: "aa aa aa", quote: "aa aa", want: [][2]int{{0, 5}, {3, 8}}},
		{name: "multi-byte", text: "하루 평균 162만 건", quote: "162만 건", want: [][2]int{{14, 24}}},
		{name: "absent", text: "one two", quote: "three"},
		{name: "empty quote", text: "one two", quote: " "},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := QuoteSpans(tc.text, tc.quote); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("QuoteSpans(%q, %q) = %v, want %v", tc.text, tc.quote, got, tc.want)
			}
		})
	}
}

// TestSeeds classifies the real articles (the copies the binary embeds)
// with the shipped dataset: each curated number names a figure of that
// source whose quote holds it, and the unmarked numbers are exactly those
// `check --coverage` reports. (A source may cite an article none of whose
// numbers is curated: seed 004's are all excluded.)
func TestSeeds(t *testing.T) {
	seeds := figuresexporter.DefaultSeeds
	ds, diags := figures.Parse([]figures.RawFile{{Name: figuresexporter.DefaultFiguresName, Data: figuresexporter.DefaultFigures}}, time.Now())
	if ds == nil {
		t.Fatalf("figures.yaml does not parse:\n%v", diags)
	}
	byID := map[string]*figures.Figure{}
	cites := map[string]bool{}
	for _, f := range ds.Figures {
		byID[f.ID] = f
		cites[f.Source] = true
	}
	unmarked := 0
	for _, src := range ds.Sources {
		text, err := SeedText(seeds, src)
		if err != nil {
			t.Errorf("source %s: %v", src.ID, err)
			continue
		}
		kinds := map[Kind]int{}
		for _, m := range Classify(ds, src, text) {
			kinds[m.Kind]++
			for _, id := range m.FigureIDs {
				f := byID[id]
				if f == nil || f.Source != src.ID {
					t.Errorf("%s: %q names figure %s of another source", src.Seed, m.Text, id)
					continue
				}
				held := false
				for _, p := range QuoteSpans(text, f.Quote) {
					held = held || p[0] <= m.Start && m.End <= p[1]
				}
				if !held {
					t.Errorf("%s: %q is not inside the quote of %s", src.Seed, m.Text, id)
				}
			}
		}
		if kinds[Curated] == 0 && cites[src.ID] {
			t.Errorf("%s: no curated number, yet figures cite it", src.Seed)
		}
		unmarked += kinds[Unmarked]
		t.Logf("%s: %v", src.Seed, kinds)
	}
	n := 0
	for _, d := range Diagnostics(ds, seeds, false) {
		if strings.Contains(d.Message, "neither curated nor excluded") {
			n++
		}
	}
	if n != unmarked {
		t.Errorf("check --coverage reports %d numbers, Classify leaves %d unmarked", n, unmarked)
	}
}
