package figures

// The label and hash values of a figure's series, for the collector, the
// pages and the validator's duplicate check alike. The metric names and the
// revision label are the collector's.

import (
	"cmp"
	"crypto/sha256"
	"encoding/binary"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
)

// InfoLabels are the labels of a figure's figures_figure_info series, sorted
// by name: its provenance, who stated it (claimant first, claim_chain to
// the outlet, claim_id shared by the figures of one claim) and the markers
// of doubt, always "true" or "false". A label whose value would be empty
// (an ungraded figure) is left out: Prometheus treats it as absent.
func (d *Dataset) InfoLabels(f *Figure) []Label {
	src := d.Source(f)
	chain := f.ClaimChain(src)
	credibility := ""
	if f.Credibility != 0 {
		credibility = strconv.Itoa(f.Credibility)
	}
	all := []Label{
		{Name: "claim_chain", Value: strings.Join(chain, " > ")},
		{Name: "claim_id", Value: f.ClaimID()},
		{Name: "claimant", Value: chain[0]},
		{Name: "credibility", Value: credibility},
		{Name: "family", Value: f.Family},
		{Name: "figure_id", Value: f.ID},
		{Name: "language", Value: src.Language},
		{Name: "period_end", Value: day(&f.Period.End)},
		{Name: "period_start", Value: day(f.Period.Start)},
		{Name: "published", Value: day(src.Published)},
		{Name: "publisher", Value: src.Publisher},
		{Name: "qualifier", Value: string(f.Qualifier)},
		{Name: "reliability", Value: src.Reliability},
		{Name: "seed", Value: src.Seed},
		{Name: "source_id", Value: src.ID},
		{Name: "source_title", Value: src.Title},
		{Name: "unit", Value: string(d.Family(f.Family).Unit)},
		{Name: "url", Value: src.URL},
	}
	for _, fl := range d.Flags(f) {
		all = append(all, Label{Name: fl.Name, Value: strconv.FormatBool(fl.On)})
	}
	all = slices.DeleteFunc(all, func(l Label) bool { return l.Value == "" })
	slices.SortFunc(all, func(a, b Label) int { return strings.Compare(a.Name, b.Name) })
	return all
}

// Flag is a marker of doubt on a figure or its source.
type Flag struct {
	Name string // as the info label is named: contradiction, derived, period_inferred, undated, translated
	On   bool
}

// Flags are the markers of doubt of a figure, in a fixed order: info labels,
// and on the pages the ones that are on.
func (d *Dataset) Flags(f *Figure) []Flag {
	src := d.Source(f)
	return []Flag{
		{"contradiction", f.Contradiction != ""},
		{"derived", f.Derived != nil},
		{"period_inferred", f.Period.Inferred != ""},
		{"undated", src.Published == nil},
		{"translated", src.OriginalTitle != "" || src.OriginalLanguage != ""},
	}
}

// PeriodLabel renders a period as an ISO 8601 interval, with ".." for an
// open start: 2023-01-01/2023-06-30, ../2023-07-19.
func PeriodLabel(p Period) string { return cmp.Or(day(p.Start), "..") + "/" + day(&p.End) }

// day formats an optional date, "" when there is none.
func day(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.Format(dateLayout)
}

// contentHashBits fit a float64's 53-bit mantissa exactly, so that the gauge
// carrying a hash compares equal exactly when the prefixes are equal.
const contentHashBits = 48

// ContentHash is the first 48 bits of a SHA-256 of what a curator can revise
// in a figure and a change notification tells: its family, value, hedge,
// period, labels, quote, claim, grade, and its source's title, publisher,
// URL, publication date and grade. Alerting rules so notice a revision that
// leaves the value alone (a corrected period, a regraded source); notes,
// curation dates and the layout of the files are left out, so that
// reformatting a file is no revision. Each field is written after its
// length, so that no two contents hash the same bytes ("a"+"bc", "ab"+"c").
func (d *Dataset) ContentHash(f *Figure) float64 {
	h := sha256.New()
	var n [8]byte
	put := func(s string) {
		binary.BigEndian.PutUint64(n[:], uint64(len(s)))
		h.Write(n[:])
		h.Write([]byte(s))
	}
	src := d.Source(f)
	put(f.Family)
	put(strconv.FormatUint(math.Float64bits(f.Value), 16))
	put(string(f.Qualifier))
	put(PeriodLabel(f.Period))
	put(strconv.Itoa(len(f.Labels)))
	for _, l := range f.Labels { // sorted by name
		put(l.Name)
		put(l.Value)
	}
	put(f.Quote)
	put(f.ClaimID())
	chain := f.ClaimChain(src)
	put(strconv.Itoa(len(chain)))
	for _, c := range chain {
		put(c)
	}
	put(strconv.Itoa(f.Credibility))
	put(src.ID)
	put(src.Title)
	put(src.Publisher)
	put(src.URL)
	put(day(src.Published))
	put(src.Reliability)
	sum := h.Sum(nil)
	return float64(binary.BigEndian.Uint64(sum[:8]) >> (64 - contentHashBits))
}
