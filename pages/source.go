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
}

func (s *Server) source(w http.ResponseWriter, r *http.Request) {
	v, sv := lookup(s, w, r, func(v *view) map[string]*srcView { return v.srcByID })
	if sv == nil {
		return
	}
	d := sourceData{Src: sv, Counts: map[string]int{}}
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
