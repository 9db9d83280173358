package pages

import (
	"net/http"
)

// sourceData is what /sources/{id} shows.
type sourceData struct {
	Src        *srcView
	Paragraphs []paragraph
	// Problem says why the article is not shown ("" when it is).
	Problem string
	// Pending: the article is shown but its numbers are still being
	// classified (see classifyTimeout).
	Pending bool
	Counts  map[string]int // by coverage.Kind
	// Figs are the report's figures a page lists (at most pageSize: a
	// report may hold thousands); MoreFigs how many are left to /?source=.
	Figs     []*figView
	MoreFigs int
	// Excluded are the source's exclusions (at most maxListed) with the
	// figure ids of their reasons linked.
	Excluded     []exclusionView
	MoreExcluded int
}

// maxListed bounds the lists a page shows beside its main one.
const maxListed = 50

// bounded cuts a list to its first n elements and says how many are left.
func bounded[T any](list []T, n int) ([]T, int) {
	if len(list) <= n {
		return list, 0
	}
	return list[:n], len(list) - n
}

type exclusionView struct {
	Text   string
	Reason []msgPart
}

func (s *Server) source(w http.ResponseWriter, r *http.Request) {
	v, sv := lookup(s, w, r, func(v *view) map[string]*srcView { return v.srcByID })
	if sv == nil {
		return
	}
	d := sourceData{Src: sv, Counts: map[string]int{}}
	d.Figs, d.MoreFigs = bounded(sv.Figs, pageSize)
	excluded, more := bounded(sv.S.Excluded, maxListed)
	d.MoreExcluded = more
	for _, e := range excluded {
		d.Excluded = append(d.Excluded, exclusionView{Text: e.Text, Reason: v.linkIDs(e.Reason, func(s string) string { return s })})
	}
	art := s.article(v, sv.S)
	d.Problem = art.problem
	if d.Problem == "" {
		marks, ok := art.marksWithin(classifyTimeout)
		d.Pending = !ok
		for _, m := range marks {
			d.Counts[string(m.Kind)]++
		}
		d.Paragraphs = paragraphs(art.text, marks)
	}
	s.render(w, r, http.StatusOK, "source", page{Title: sv.S.Title, Root: "../", Body: d})
}
