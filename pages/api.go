package pages

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// The JSON API: /api/v1/figures and /api/v1/sources. docs/api.md documents
// every field; TestAPIMatchesDocs holds the two to each other. Every field
// is always present, null when the dataset has no value for it, so that
// consumers need no existence checks and a renamed field is noticed.

const (
	apiPerPage    = 1000
	apiMaxPerPage = 10000
	// apiFormat is part of the ETag: a change of this package's output for
	// the same dataset must change it.
	apiFormat = "v1.1"
)

type apiFigures struct {
	Revision string      `json:"revision"`
	Total    int         `json:"total"`
	Matched  int         `json:"matched"`
	Page     int         `json:"page"`
	Pages    int         `json:"pages"`
	PerPage  int         `json:"per_page"`
	Next     *string     `json:"next"`
	Figures  []apiFigure `json:"figures"`
}

type apiFigure struct {
	ID              string            `json:"id"`
	Family          string            `json:"family"`
	FamilyHelp      string            `json:"family_help"`
	Unit            string            `json:"unit"`
	Labels          map[string]string `json:"labels"`
	Value           float64           `json:"value"`
	ValueText       string            `json:"value_text"`
	Qualifier       string            `json:"qualifier"`
	Period          apiPeriod         `json:"period"`
	Source          string            `json:"source"`
	Quote           string            `json:"quote"`
	Curated         string            `json:"curated"`
	Revised         *string           `json:"revised"`
	Notes           *string           `json:"notes"`
	Derived         *apiDerived       `json:"derived"`
	PartOf          *string           `json:"part_of"`
	ShareOf         *apiShareOf       `json:"share_of"`
	Contradiction   *string           `json:"contradiction"`
	Credibility     *int              `json:"credibility"`
	CredibilityText string            `json:"credibility_text"`
	ClaimID         string            `json:"claim_id"`
	ClaimChain      []string          `json:"claim_chain"`
	ClaimGroup      []string          `json:"claim_group"`
	Flags           []string          `json:"flags"`
	PromQL          string            `json:"promql"`
	Links           apiFigureLinks    `json:"links"`
}

type apiPeriod struct {
	Start    *string `json:"start"`
	End      string  `json:"end"`
	Inferred *string `json:"inferred"`
	Text     string  `json:"text"`
	ISO      string  `json:"iso"`
}

type apiDerived struct {
	From   []string `json:"from"`
	Method string   `json:"method"`
}

type apiShareOf struct {
	Part  string `json:"part"`
	Whole string `json:"whole"`
}

type apiFigureLinks struct {
	Page       string  `json:"page"`
	SourcePage string  `json:"source_page"`
	Prometheus *string `json:"prometheus"`
}

type apiSources struct {
	Revision string      `json:"revision"`
	Total    int         `json:"total"`
	Matched  int         `json:"matched"`
	Sources  []apiSource `json:"sources"`
}

type apiSource struct {
	ID               string         `json:"id"`
	Title            string         `json:"title"`
	Publisher        *string        `json:"publisher"`
	Author           *string        `json:"author"`
	Published        *string        `json:"published"`
	URL              *string        `json:"url"`
	ArchiveURL       *string        `json:"archive_url"`
	Accessed         *string        `json:"accessed"`
	Language         *string        `json:"language"`
	OriginalTitle    *string        `json:"original_title"`
	OriginalLanguage *string        `json:"original_language"`
	Seed             string         `json:"seed"`
	SHA256           *string        `json:"sha256"`
	Reliability      *string        `json:"reliability"`
	ReliabilityText  string         `json:"reliability_text"`
	Chain            []string       `json:"chain"`
	Notes            *string        `json:"notes"`
	Excluded         []apiExclusion `json:"excluded"`
	Figures          []string       `json:"figures"`
	Links            apiSourceLinks `json:"links"`
}

type apiExclusion struct {
	Text   string `json:"text"`
	Reason string `json:"reason"`
}

type apiSourceLinks struct {
	Page    string `json:"page"`
	Figures string `json:"figures"`
}

type apiError struct {
	Error string `json:"error"`
}

func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func optionalDate(t *time.Time) *string {
	if t == nil {
		return nil
	}
	s := t.Format(time.DateOnly)
	return &s
}

// link is the URL of a page: absolute under --web.external-url, else a
// path from the server's root.
func (s *Server) link(elem ...string) string {
	if s.opts.ExternalURL != nil {
		return s.opts.ExternalURL.JoinPath(elem...).String()
	}
	return (&url.URL{Path: "/" + strings.Join(elem, "/")}).String()
}

func (s *Server) apiFigure(fv *figView) apiFigure {
	f, src := fv.F, fv.Src.S
	a := apiFigure{
		ID: f.ID, Family: f.Family, FamilyHelp: fv.Fam.Help, Unit: string(fv.Fam.Unit),
		Labels: make(map[string]string, len(f.Labels)),
		Value:  f.Value, ValueText: fv.Value(), Qualifier: string(f.Qualifier),
		Period: apiPeriod{Start: optionalDate(f.Period.Start), End: f.Period.End.Format(time.DateOnly), Inferred: optional(f.Period.Inferred), Text: fv.Period(), ISO: isoPeriod(f.Period)},
		Source: src.ID, Quote: f.Quote, Curated: f.Curated.Format(time.DateOnly), Revised: optionalDate(f.Revised),
		Notes: optional(f.Notes), PartOf: optional(f.PartOf), Contradiction: optional(f.Contradiction),
		CredibilityText: credibilityWords(f.Credibility),
		ClaimID:         f.ClaimID(), ClaimChain: fv.Chain, ClaimGroup: []string{}, Flags: []string{},
		PromQL: promQL(fv),
		Links:  apiFigureLinks{Page: s.link("figures", f.ID), SourcePage: s.link("sources", src.ID)},
	}
	for _, l := range f.Labels {
		a.Labels[l.Name] = l.Value
	}
	if f.Derived != nil {
		a.Derived = &apiDerived{From: f.Derived.From, Method: f.Derived.Method}
	}
	if f.ShareOf != nil {
		a.ShareOf = &apiShareOf{Part: f.ShareOf.Part, Whole: f.ShareOf.Whole}
	}
	if f.Credibility != 0 {
		g := f.Credibility
		a.Credibility = &g
	}
	for _, o := range fv.Claim {
		if o != fv {
			a.ClaimGroup = append(a.ClaimGroup, o.F.ID)
		}
	}
	for _, fl := range fv.Flags {
		a.Flags = append(a.Flags, fl.Name)
	}
	if p := s.opts.PrometheusURL; p != nil {
		u := prometheusGraphURL(p, a.PromQL)
		a.Links.Prometheus = &u
	}
	return a
}

func (s *Server) apiSource(sv *srcView) apiSource {
	src := sv.S
	a := apiSource{
		ID: src.ID, Title: src.Title, Publisher: optional(src.Publisher), Author: optional(src.Author),
		Published: optionalDate(src.Published), URL: optional(src.URL), ArchiveURL: optional(src.ArchiveURL),
		Accessed: optionalDate(src.Accessed), Language: optional(src.Language),
		OriginalTitle: optional(src.OriginalTitle), OriginalLanguage: optional(src.OriginalLanguage),
		Seed: src.Seed, SHA256: optional(src.SHA256), Reliability: optional(src.Reliability),
		ReliabilityText: reliabilityWords(src.Reliability), Chain: sv.Chain, Notes: optional(src.Notes),
		Excluded: []apiExclusion{}, Figures: []string{},
		Links: apiSourceLinks{Page: s.link("sources", src.ID), Figures: s.link("api", "v1", "figures") + "?source=" + url.QueryEscape(src.ID)},
	}
	for _, e := range src.Excluded {
		a.Excluded = append(a.Excluded, apiExclusion{Text: e.Text, Reason: e.Reason})
	}
	for _, fv := range sv.Figs {
		a.Figures = append(a.Figures, fv.F.ID)
	}
	return a
}

// apiRequest parses the filter of an API request, answering 400 (with
// every problem) or 503 itself; ok is false when it has answered.
func (s *Server) apiRequest(w http.ResponseWriter, r *http.Request) (*view, filter, int, bool) {
	v := s.view()
	if v == nil {
		writeJSONError(w, http.StatusServiceUnavailable, "no figures loaded yet")
		return nil, filter{}, 0, false
	}
	q := r.URL.Query()
	f, problems := parseFilter(q)
	perPage := apiPerPage
	if p := q.Get("per_page"); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > apiMaxPerPage {
			problems = append(problems, "per_page must be a number from 1 to "+strconv.Itoa(apiMaxPerPage))
		} else {
			perPage = n
		}
	}
	if len(problems) > 0 {
		writeJSONError(w, http.StatusBadRequest, strings.Join(problems, "; "))
		return nil, filter{}, 0, false
	}
	return v, f, perPage, true
}

func (s *Server) apiFigures(w http.ResponseWriter, r *http.Request) {
	v, f, perPage, ok := s.apiRequest(w, r)
	if !ok {
		return
	}
	sel := v.selectFigures(f, perPage)
	out := apiFigures{Revision: v.ds.Revision, Total: len(v.figs), Matched: len(sel.Matched), Page: sel.Page, Pages: sel.Pages, PerPage: perPage, Figures: make([]apiFigure, 0, len(sel.Shown))}
	if sel.Page < sel.Pages {
		q := f.values()
		q.Set("page", strconv.Itoa(sel.Page+1))
		if perPage != apiPerPage {
			q.Set("per_page", strconv.Itoa(perPage))
		}
		next := s.link("api", "v1", "figures") + "?" + q.Encode()
		out.Next = &next
	}
	for _, fv := range sel.Shown {
		out.Figures = append(out.Figures, s.apiFigure(fv))
	}
	s.writeJSON(w, r, v, out)
}

func (s *Server) apiSources(w http.ResponseWriter, r *http.Request) {
	v, f, _, ok := s.apiRequest(w, r)
	if !ok {
		return
	}
	out := apiSources{Revision: v.ds.Revision, Total: len(v.srcs), Sources: []apiSource{}}
	terms := f.terms()
	for _, sv := range v.srcs {
		if v.sourceMatches(sv, f, terms) {
			out.Sources = append(out.Sources, s.apiSource(sv))
		}
	}
	out.Matched = len(out.Sources)
	s.writeJSON(w, r, v, out)
}

// sourceMatches: with no filter every report; with one, the reports one of
// whose figures it selects, and a report without figures when the filter
// names nothing only figures have (it matches by id, reliability and
// title).
func (v *view) sourceMatches(sv *srcView, f filter, terms []string) bool {
	if !f.Active() {
		return true
	}
	for _, fv := range sv.Figs {
		if f.match(fv, terms) {
			return true
		}
	}
	if len(sv.Figs) > 0 || f.Family != "" || f.Country != "" || len(f.Flags) > 0 || f.Credibility != 0 || f.ID != "" || f.Claim != "" {
		return false
	}
	src := sv.S
	if (f.Source != "" && src.ID != f.Source) || (f.Reliability != "" && (src.Reliability == "" || src.Reliability > f.Reliability)) {
		return false
	}
	for _, t := range terms {
		if !strings.Contains(sv.search, t) {
			return false
		}
	}
	return true
}

// writeJSON sends an API answer with the dataset's revision as its ETag;
// http.ServeContent answers If-None-Match with 304 (and HEAD, and ranges).
func (s *Server) writeJSON(w http.ResponseWriter, r *http.Request, v *view, body any) {
	buf := buffers.Get().(*bytes.Buffer)
	buf.Reset()
	defer buffers.Put(buf)
	if err := json.NewEncoder(buf).Encode(body); err != nil {
		s.opts.Logger.Error("encoding API answer", "path", r.URL.Path, "err", err)
		writeJSONError(w, http.StatusInternalServerError, "the answer could not be encoded; the error is in the exporter's log")
		return
	}
	out, gzipped, done := answer(w, r, "application/json; charset=utf-8", buf.Bytes())
	defer done()
	// Each coding is a representation of its own (RFC 9110 8.8.3): a
	// cache must not answer a plain request with the gzip bytes' tag.
	etag := `"` + v.ds.Revision + "-" + apiFormat
	if gzipped {
		etag += "-gzip"
	}
	w.Header().Set("ETag", etag+`"`)
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(out))
}

func writeJSONError(w http.ResponseWriter, status int, msg string) {
	securityHeaders(w.Header())
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(apiError{Error: msg})
}
