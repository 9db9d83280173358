package pages

import (
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/figures-exporter/figures_exporter/exporter/figures"
)

// filter is a selection of figures, as the query parameters of / and of
// /api/v1/figures write it: the page and the API read the same parameters
// with the same parser, so a permalink of the page and the API URL with the
// same query select the same figures.
type filter struct {
	Family      string   // family: the metric name
	Country     string   // country: a code that any country label holds (CN+KP holds CN and KP)
	Flags       []string // flag: every one must be on (repeatable)
	Credibility int      // credibility: the lowest grade accepted, 1-6 (1 best); ungraded figures are left out
	Reliability string   // reliability: the lowest source grade accepted, A-F (A best); ungraded sources are left out
	Source      string   // source: a source id
	ID          string   // id: a figure id
	Claim       string   // claim: a claim id (figures reporting one claim)
	Q           string   // q: words that must all appear in the id, quote or title (any case)
	Page        int      // page: 1-based
}

// maxQuery bounds the free text, so that a request cannot make every
// figure's text be scanned for a megabyte-long needle.
const maxQuery = 200

// parseFilter reads a filter from query parameters. Invalid values are
// dropped and reported in words, so that a page can say what it ignored
// and the API can refuse the request.
func parseFilter(q url.Values) (filter, []string) {
	var f filter
	var problems []string
	f.Family = strings.TrimSpace(q.Get("family"))
	f.Country = strings.ToUpper(strings.TrimSpace(q.Get("country")))
	for _, fl := range q["flag"] {
		if fl == "" {
			continue
		}
		if _, ok := flagByName[fl]; !ok {
			problems = append(problems, fmt.Sprintf("flag %q is not one of %s; ignored", truncateWords(fl, 40), flagNames()))
			continue
		}
		if !slices.Contains(f.Flags, fl) {
			f.Flags = append(f.Flags, fl)
		}
	}
	slices.Sort(f.Flags)
	if c := q.Get("credibility"); c != "" {
		g, err := strconv.Atoi(c)
		if err != nil || figures.Credibilities[g] == "" {
			problems = append(problems, "credibility must be a grade from 1 (confirmed) to 6 (cannot be judged); ignored")
		} else {
			f.Credibility = g
		}
	}
	if r := strings.ToUpper(q.Get("reliability")); r != "" {
		if figures.Reliabilities[r] == "" {
			problems = append(problems, "reliability must be a grade from A (completely reliable) to F (cannot be judged); ignored")
		} else {
			f.Reliability = r
		}
	}
	f.Source = strings.TrimSpace(q.Get("source"))
	f.ID = strings.TrimSpace(q.Get("id"))
	f.Claim = strings.TrimSpace(q.Get("claim"))
	f.Q = strings.TrimSpace(q.Get("q"))
	if len(f.Q) > maxQuery {
		problems = append(problems, fmt.Sprintf("the search text is longer than %d bytes; ignored", maxQuery))
		f.Q = ""
	}
	f.Page = 1
	if p := q.Get("page"); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 {
			problems = append(problems, "page must be a number from 1; showing page 1")
		} else {
			f.Page = n
		}
	}
	return f, problems
}

func flagNames() string {
	names := make([]string, len(flagLegend))
	for i, fl := range flagLegend {
		names[i] = fl.Name
	}
	return strings.Join(names, ", ")
}

// truncateWords shortens s for a message that quotes a parameter.
func truncateWords(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return strings.ToValidUTF8(s[:n], "") + "…"
}

// active reports whether the filter selects anything less than everything.
func (f filter) Active() bool {
	return f.Family != "" || f.Country != "" || len(f.Flags) > 0 || f.Credibility != 0 || f.Reliability != "" || f.Source != "" || f.ID != "" || f.Claim != "" || f.Q != ""
}

// values are the filter as query parameters, without the page: the part of
// a permalink that says what is selected.
func (f filter) values() url.Values {
	v := url.Values{}
	set := func(k, s string) {
		if s != "" {
			v.Set(k, s)
		}
	}
	set("family", f.Family)
	set("country", f.Country)
	v["flag"] = f.Flags
	if len(f.Flags) == 0 {
		delete(v, "flag")
	}
	if f.Credibility != 0 {
		v.Set("credibility", strconv.Itoa(f.Credibility))
	}
	set("reliability", f.Reliability)
	set("source", f.Source)
	set("id", f.ID)
	set("claim", f.Claim)
	set("q", f.Q)
	return v
}

// query is the permalink query of the filter at page p ("" for none).
func (f filter) query(p int) string {
	v := f.values()
	if p > 1 {
		v.Set("page", strconv.Itoa(p))
	}
	if len(v) == 0 {
		return ""
	}
	return "?" + v.Encode()
}

// terms are the free-text words, lower-cased.
func (f filter) terms() []string { return strings.Fields(strings.ToLower(f.Q)) }

// match reports whether the figure is selected; terms is f.terms().
func (f filter) match(fv *figView, terms []string) bool {
	switch {
	case f.Family != "" && fv.F.Family != f.Family,
		f.Source != "" && fv.F.Source != f.Source,
		f.ID != "" && fv.F.ID != f.ID,
		f.Claim != "" && fv.F.ClaimID() != f.Claim,
		f.Country != "" && !slices.Contains(fv.countries, f.Country),
		f.Credibility != 0 && (fv.F.Credibility == 0 || fv.F.Credibility > f.Credibility),
		f.Reliability != "" && (fv.Src.S.Reliability == "" || fv.Src.S.Reliability > f.Reliability):
		return false
	}
	for _, want := range f.Flags {
		if !slices.ContainsFunc(fv.Flags, func(fl flagInfo) bool { return fl.Name == want }) {
			return false
		}
	}
	for _, t := range terms {
		if !strings.Contains(fv.search, t) && !strings.Contains(fv.Src.search, t) {
			return false
		}
	}
	return true
}

// selection is the figures a filter selects, and the page of them shown.
type selection struct {
	Filter  filter
	Matched []*figView // every match, in catalogue order
	Shown   []*figView // the page's slice of Matched
	Page    int        // the page shown, clamped to [1, Pages]
	Pages   int
	PerPage int
	First   int // 1-based position of Shown[0] in Matched (0 when none)
}

// selectFigures applies f to the view and cuts the page of perPage figures.
func (v *view) selectFigures(f filter, perPage int) selection {
	terms := f.terms()
	var matched []*figView
	if f.Active() {
		for _, fv := range v.figs {
			if f.match(fv, terms) {
				matched = append(matched, fv)
			}
		}
	} else {
		matched = v.figs
	}
	s := selection{Filter: f, Matched: matched, PerPage: perPage}
	s.Pages = max(1, (len(matched)+perPage-1)/perPage)
	s.Page = min(max(f.Page, 1), s.Pages)
	lo := (s.Page - 1) * perPage
	hi := min(lo+perPage, len(matched))
	s.Shown = matched[lo:hi]
	if len(s.Shown) > 0 {
		s.First = lo + 1
	}
	return s
}

// Permalink is the query of the filter's first page ("" when unfiltered).
func (f filter) Permalink() string { return f.query(1) }

// Narrowed reports whether a filter other than the free text is set (the
// form then shows its other fields open).
func (f filter) Narrowed() bool {
	g := f
	g.Q = ""
	return g.Active()
}
