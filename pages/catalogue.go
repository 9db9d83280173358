package pages

import (
	"net/http"

	"github.com/figures-exporter/figures_exporter/exporter/figures"
)

// catalogueData is what / shows: the page of selected figures, grouped by
// report, and what the filter form offers.
type catalogueData struct {
	Sel       selection
	Total     int
	Groups    []group
	Problems  []string
	Families  []*figures.Family
	Countries []option
	// Unfigured are the reports read that record no figure (every number
	// in them excluded), listed when nothing is filtered.
	Unfigured  []*srcView
	Prev, Next string // permalinks of the neighbouring pages ("" at the ends)
	// PageLinks are the first, the last and the pages near the current one;
	// a zero N marks a gap.
	PageLinks []pageLink
}

type pageLink struct {
	N       int
	Href    string
	Current bool
}

// pageLinks lists pages 1, last and current±2, with gaps between.
func pageLinks(f filter, current, pages int) []pageLink {
	var out []pageLink
	for p := 1; p <= pages; p++ {
		if p != 1 && p != pages && (p < current-2 || p > current+2) {
			if len(out) > 0 && out[len(out)-1].N != 0 {
				out = append(out, pageLink{})
			}
			continue
		}
		out = append(out, pageLink{N: p, Href: "./" + f.query(p), Current: p == current})
	}
	return out
}

// group is a run of shown figures of one report. Continued: the report's
// earlier figures are on the previous page.
type group struct {
	Src       *srcView
	Figs      []*figView
	Continued bool
}

type option struct{ Value, Words string }

func (s *Server) catalogue(w http.ResponseWriter, r *http.Request) {
	v := s.view()
	if v == nil {
		s.notLoaded(w, r, "./")
		return
	}
	f, problems := parseFilter(r.URL.Query())
	sel := v.selectFigures(f, pageSize)
	d := catalogueData{Sel: sel, Total: len(v.figs), Problems: problems, Families: v.families}
	for _, c := range v.countries {
		d.Countries = append(d.Countries, option{c, countryWords(c)})
	}
	d.Groups = groupBySource(sel)
	if !f.Active() && sel.Page == sel.Pages {
		for _, sv := range v.srcs {
			if len(sv.Figs) == 0 {
				d.Unfigured = append(d.Unfigured, sv)
			}
		}
	}
	if sel.Pages > 1 {
		d.PageLinks = pageLinks(f, sel.Page, sel.Pages)
	}
	if sel.Page > 1 {
		d.Prev = "./" + f.query(sel.Page-1)
	}
	if sel.Page < sel.Pages {
		d.Next = "./" + f.query(sel.Page+1)
	}
	s.render(w, r, http.StatusOK, "catalogue", page{Title: "Figures", Root: "./", Banner: bannerFor(s.holder.Status(), v.snap), Body: d})
}

// groupBySource cuts the shown figures into runs of one report each; the
// catalogue order keeps a report's figures together, so each report
// appears once per page.
func groupBySource(sel selection) []group {
	var out []group
	for i, fv := range sel.Shown {
		if len(out) == 0 || out[len(out)-1].Src != fv.Src {
			cont := i == 0 && sel.First > 1 && sel.Matched[sel.First-2].Src == fv.Src
			out = append(out, group{Src: fv.Src, Continued: cont})
		}
		out[len(out)-1].Figs = append(out[len(out)-1].Figs, fv)
	}
	return out
}
