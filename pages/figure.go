package pages

import (
	"net/http"
	"net/url"
	"strconv"
)

// figureData is what /figures/{id} shows.
type figureData struct {
	Fig *figView
	// Paragraphs are the article's lines that hold the quote, the quote
	// marked; nil when the article is not shown (Problem says why) or the
	// quote is not found in it.
	Paragraphs []paragraph
	Problem    string
	Derived    []*figView // the figures a derived value is computed from
	// Claim and Parts are the figure's claim group and parts, at most
	// maxListed of each; the More fields say how many are not listed.
	Claim, Parts                      []*figView
	MoreDerived, MoreClaim, MoreParts int
	PartOf                            *figView
	SharePart                         *figView
	ShareWhole                        *figView
	PromQL                            string
	// PrometheusLink opens PromQL in --web.prometheus-url's UI ("" without).
	PrometheusLink string
}

func (s *Server) figure(w http.ResponseWriter, r *http.Request) {
	v, fv := lookup(s, w, r, func(v *view) map[string]*figView { return v.byID })
	if fv == nil {
		return
	}
	f := fv.F
	d := figureData{Fig: fv, PromQL: promQL(fv)}
	if f.Derived != nil {
		for _, id := range f.Derived.From {
			if in := v.byID[id]; in != nil {
				d.Derived = append(d.Derived, in)
			}
		}
	}
	d.Derived, d.MoreDerived = bounded(d.Derived, maxListed)
	d.Claim, d.MoreClaim = bounded(fv.Claim, maxListed)
	d.Parts, d.MoreParts = bounded(fv.Parts, maxListed)
	d.PartOf = v.byID[f.PartOf]
	if f.ShareOf != nil {
		d.SharePart, d.ShareWhole = v.byID[f.ShareOf.Part], v.byID[f.ShareOf.Whole]
	}
	art := s.article(v, fv.Src.S)
	d.Problem = art.problem
	if d.Problem == "" {
		d.Paragraphs = quoteParagraphs(art.text, f.Quote)
	}
	if p := s.opts.PrometheusURL; p != nil {
		d.PrometheusLink = prometheusGraphURL(p, d.PromQL)
	}
	s.render(w, r, http.StatusOK, "figure", page{Title: fv.Value() + " · " + f.ID, Root: "../", Body: d})
}

// promQL is the query that charts the figure: its family's series with its
// figure_id, the label every figure's series carries.
func promQL(fv *figView) string {
	return fv.F.Family + `{figure_id=` + strconv.Quote(fv.F.ID) + `}`
}

// prometheusGraphURL links to the expression in a Prometheus UI. /graph
// with g0.* parameters is what Prometheus 2 serves and Prometheus 3
// redirects to its /query page with the same parameters.
func prometheusGraphURL(base *url.URL, expr string) string {
	u := base.JoinPath("graph")
	u.RawQuery = url.Values{"g0.expr": {expr}, "g0.tab": {"0"}, "g0.range_input": {"4w"}}.Encode()
	return u.String()
}
