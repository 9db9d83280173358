package figures

import (
	"bytes"
	"reflect"
	"strings"
	"testing"
	"time"
)

var parseNow = time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC)

// splitFiles is a small dataset in three files, as a curator splits one by
// report: the families, then one file per source with its figures.
var splitFiles = []RawFile{
	{Name: "families.yaml", Data: []byte(`families:
  - name: figures_attacks_daily_average
    help: Attacks detected per day.
    unit: count
    labels: [origin_country]
`)},
	{Name: "report-a.yaml", Data: []byte(`sources:
  - {id: a, seed: a.txt, title: Report A, published: 2023-07-20}
figures:
  - id: daily-kp
    family: figures_attacks_daily_average
    labels: {origin_country: KP}
    value: 2000
    qualifier: about
    period: {start: 2023-01-01, end: 2023-06-30}
    source: a
    quote: "2,000 attacks a day"
    curated: 2026-01-15
`)},
	{Name: "report-b.yaml", Data: []byte(`sources:
  - {id: b, seed: b.txt, title: Report B, published: 2023-07-21}
figures:
  - id: daily-cn
    family: figures_attacks_daily_average
    labels: {origin_country: CN}
    value: 500
    qualifier: none
    period: {start: 2023-01-01, end: 2023-06-30}
    source: b
    quote: "500 attacks a day"
    curated: 2026-01-15
`)},
}

// TestParserReusesUnchangedFiles parses a split dataset, then edited versions
// of it with the same Parser: files whose name and bytes did not change are
// taken as they were (the very objects), the others decoded again, and the
// result is always what a fresh parse gives.
func TestParserReusesUnchangedFiles(t *testing.T) {
	edit := func(name, old, new string) []RawFile {
		out := make([]RawFile, len(splitFiles))
		for i, f := range splitFiles {
			out[i] = RawFile{Name: f.Name, Data: bytes.Clone(f.Data)}
			if f.Name == name {
				out[i].Data = []byte(strings.Replace(string(f.Data), old, new, 1))
			}
		}
		return out
	}
	for _, tc := range []struct {
		name       string
		files      []RawFile
		wantReused int
		wantSame   []string // figures that must be the very same objects
	}{
		{name: "unchanged", files: edit("", "", ""), wantReused: 3, wantSame: []string{"daily-kp", "daily-cn"}},
		{name: "one value changed", files: edit("report-b.yaml", "value: 500", "value: 600"), wantReused: 2, wantSame: []string{"daily-kp"}},
		{name: "a comment added", files: edit("report-a.yaml", "sources:", "# checked again\nsources:"), wantReused: 2, wantSame: []string{"daily-cn"}},
		{name: "a file renamed", files: append(edit("", "", "")[:2], RawFile{Name: "report-c.yaml", Data: splitFiles[2].Data}), wantReused: 2, wantSame: []string{"daily-kp"}},
		{name: "a file removed", files: edit("", "", "")[:2], wantReused: 2, wantSame: []string{"daily-kp"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := NewParser()
			first, diags, reused := p.Parse(splitFiles, parseNow)
			if first == nil || reused != 0 {
				t.Fatalf("first parse: reused %d, %v", reused, diags)
			}
			got, diags, reused := p.Parse(tc.files, parseNow)
			if got == nil {
				t.Fatal(diags)
			}
			if reused != tc.wantReused {
				t.Errorf("%d files reused, want %d", reused, tc.wantReused)
			}
			want, _ := Parse(tc.files, parseNow)
			if !reflect.DeepEqual(got, want) {
				t.Errorf("the reusing parse differs from a fresh one")
			}
			for _, id := range tc.wantSame {
				if figure(got, id) != figure(first, id) {
					t.Errorf("figure %s was decoded again", id)
				}
			}
			again, _ := Parse(splitFiles, parseNow)
			if !reflect.DeepEqual(first, again) {
				t.Errorf("the first dataset changed")
			}
		})
	}
}

// TestParserAfterFailure: a failed parse reports every problem, and the
// good files of it are not decoded again by the next parse.
func TestParserAfterFailure(t *testing.T) {
	p := NewParser()
	if ds, diags, _ := p.Parse(splitFiles, parseNow); ds == nil {
		t.Fatal(diags)
	}
	bad := []RawFile{splitFiles[0], splitFiles[1], {Name: "report-b.yaml", Data: bytes.Replace(splitFiles[2].Data, []byte("value: 500"), []byte("value: lots"), 1)}}
	ds, diags, reused := p.Parse(bad, parseNow)
	if ds != nil || reused != 2 {
		t.Fatalf("a broken file was accepted (reused %d)", reused)
	}
	if got := diags.Errors().Error(); !strings.HasPrefix(got, "report-b.yaml:7:12: error: figure daily-cn: value must be a number") {
		t.Errorf("diagnostics: %s", got)
	}
	// The broken file is remembered with its problems, and the good
	// files of the failed parse are kept.
	if _, diags, reused := p.Parse(bad, parseNow); reused != 3 || !diags.HasErrors() {
		t.Errorf("again: reused %d, errors %v", reused, diags.HasErrors())
	}
	if ds, diags, reused := p.Parse(splitFiles, parseNow); ds == nil || reused != 2 {
		t.Errorf("back to the good files: reused %d, %v", reused, diags)
	}
}

func figure(ds *Dataset, id string) *Figure {
	for _, f := range ds.Figures {
		if f.ID == id {
			return f
		}
	}
	return nil
}

// TestCodes: country and currency codes are checked against the ISO lists
// golang.org/x/text carries, not by their shape.
func TestCodes(t *testing.T) {
	for _, tc := range []struct {
		code           string
		country, money bool
	}{
		{"KR", true, false}, {"KP", true, false}, {"CN", true, false}, {"XK", true, false},
		{"XX", false, false}, {"ZZ", false, false}, {"EU", false, false}, {"kr", false, false}, {"KOR", false, false}, {"UK", false, false},
		{"usd", false, true}, {"krw", false, true}, {"chf", false, true}, {"xau", false, true},
		{"USD", false, false}, {"btc", false, false}, {"xxx", false, false}, {"xts", false, false}, {"us", false, false},
	} {
		if got := isCountryCode(tc.code); got != tc.country {
			t.Errorf("isCountryCode(%q) = %v, want %v", tc.code, got, tc.country)
		}
		if got := isCurrencyCode(tc.code); got != tc.money {
			t.Errorf("isCurrencyCode(%q) = %v, want %v", tc.code, got, tc.money)
		}
	}
}
