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
	Build                    []keyValue
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

func diagViews(v *view, diags figures.Diagnostics) ([]diagView, int) {
	more := max(0, len(diags)-maxDiags)
	diags = diags[:len(diags)-more]
	out := make([]diagView, 0, len(diags))
	for _, dg := range diags {
		dv := diagView{File: dg.Pos.File, Line: dg.Pos.Line, Col: dg.Pos.Column, Severity: dg.Severity.String(), Raw: dg.String()}
		// Figure ids are found first, so that the numbers are written out
		// only in the words between them (an id may hold "1e-3").
		msg, at := dg.Message, 0
		for _, m := range idRE.FindAllStringIndex(msg, -1) {
			if v == nil || v.byID[msg[m[0]:m[1]]] == nil {
				continue
			}
			if m[0] > at {
				dv.Parts = append(dv.Parts, msgPart{Text: plainNumbers(msg[at:m[0]])})
			}
			dv.Parts = append(dv.Parts, msgPart{Text: msg[m[0]:m[1]], FigureID: msg[m[0]:m[1]]})
			at = m[1]
		}
		if at < len(msg) {
			dv.Parts = append(dv.Parts, msgPart{Text: plainNumbers(msg[at:])})
		}
		out = append(out, dv)
	}
	return out, more
}
