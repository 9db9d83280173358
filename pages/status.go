package pages

import (
	"net/http"
	"regexp"
	"runtime"

	"github.com/prometheus/common/version"

	"github.com/figures-exporter/figures_exporter/exporter/collector"
	"github.com/figures-exporter/figures_exporter/exporter/figures"
	"github.com/figures-exporter/figures_exporter/exporter/reload"
)

// statusData is what /status shows operators.
type statusData struct {
	Status   reload.Status
	Snap     *reload.Snapshot
	Revision string
	// Errors are the problems of the last reload when it failed; Warnings
	// those of the dataset being served.
	Errors, Warnings []diagView
	// MoreErrors, MoreWarnings: how many are not listed (maxDiags).
	MoreErrors, MoreWarnings int
	// Acknowledged: how many warnings are contradictions of the sources a
	// figure records (see acknowledged).
	Acknowledged int
	Build        []keyValue
}

// maxDiags bounds the problems a status page lists, so that a dataset with
// thousands of warnings gives a page that loads; the log has them all.
const maxDiags = 100

type keyValue struct{ Key, Value string }

// diagView is a diagnostic in readable form: where in words, the message
// with its exponent-form numbers written out and its figure ids linked,
// and the FILE:LINE:COL form for editors.
type diagView struct {
	File      string
	Line, Col int
	Severity  string
	Parts     []msgPart
	Raw       string
}

type msgPart struct{ Text, FigureID string }

func (s *Server) status(w http.ResponseWriter, r *http.Request) {
	st := s.holder.Status()
	d := statusData{Status: st}
	v := s.view()
	if v != nil {
		d.Snap = v.snap
		d.Revision = collector.ShortRevision(v.ds.Revision)
		d.Warnings, d.MoreWarnings = diagViews(v, v.snap.Warnings)
		d.Acknowledged = len(v.snap.Warnings) - unacknowledged(v.snap.Warnings)
	}
	if st.Result == reload.ResultFailure {
		d.Errors, d.MoreErrors = diagViews(v, st.Diagnostics)
	}
	d.Build = []keyValue{
		{"Version", version.Version}, {"Revision", version.Revision}, {"Branch", version.Branch},
		{"Build user", version.BuildUser}, {"Build date", version.BuildDate},
		{"Go", version.GoVersion}, {"Platform", runtime.GOOS + "/" + runtime.GOARCH},
	}
	s.render(w, r, http.StatusOK, "status", page{Title: "Status", Root: "./", Body: d})
}

// idRE finds words shaped like figure ids in messages.
var idRE = regexp.MustCompile(`[a-z0-9][a-z0-9._-]*[a-z0-9]`)

// linkIDs cuts s into text and the figure ids it names, so that a page can
// link them; words rewrites the text between ids.
func (v *view) linkIDs(s string, words func(string) string) []msgPart {
	var parts []msgPart
	at := 0
	for _, m := range idRE.FindAllStringIndex(s, -1) {
		if v == nil || v.byID[s[m[0]:m[1]]] == nil {
			continue
		}
		if m[0] > at {
			parts = append(parts, msgPart{Text: words(s[at:m[0]])})
		}
		parts = append(parts, msgPart{Text: s[m[0]:m[1]], FigureID: s[m[0]:m[1]]})
		at = m[1]
	}
	if at < len(s) {
		parts = append(parts, msgPart{Text: words(s[at:])})
	}
	return parts
}

func diagViews(v *view, diags figures.Diagnostics) ([]diagView, int) {
	more := max(0, len(diags)-maxDiags)
	diags = diags[:len(diags)-more]
	out := make([]diagView, 0, len(diags))
	for _, dg := range diags {
		dv := diagView{File: dg.Pos.File, Line: dg.Pos.Line, Col: dg.Pos.Column, Severity: dg.Severity.String(), Raw: dg.String()}
		// Numbers are written out only in the words between figure ids (an
		// id may hold "1e-3").
		dv.Parts = v.linkIDs(dg.Message, plainNumbers)
		out = append(out, dv)
	}
	return out, more
}
