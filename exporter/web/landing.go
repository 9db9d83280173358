package web

import (
	_ "embed"
	"html/template"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/prometheus/common/version"

	"github.com/figures-exporter/figures_exporter/exporter/collector"
	"github.com/figures-exporter/figures_exporter/exporter/figures"
	"github.com/figures-exporter/figures_exporter/exporter/reload"
)

//go:embed landing.html
var landingHTML string

var landingTemplate = template.Must(template.New("landing").Funcs(template.FuncMap{
	"date": func(t *time.Time) string {
		if t == nil {
			return "undated"
		}
		return t.Format("2006-01-02")
	},
	"day":    func(t time.Time) string { return t.Format("2006-01-02") },
	"period": figures.PeriodLabel,
	"labels": func(ls []figures.Label) string {
		parts := make([]string, len(ls))
		for i, l := range ls {
			parts[i] = l.Name + "=" + l.Value
		}
		return strings.Join(parts, ", ")
	},
	"readable": func(ds *figures.Dataset, f *figures.Figure) string {
		return figures.Readable(f.Value, ds.Family(f.Family).Unit, f.Qualifier)
	},
	"classname": func(s string) string { return strings.ReplaceAll(s, " ", "-") },
	"raw":       func(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) },
	// The markers of doubt that are on, as words ("period inferred").
	"flags": func(ds *figures.Dataset, f *figures.Figure) []string {
		var on []string
		for _, fl := range ds.Flags(f) {
			if fl.On {
				on = append(on, strings.ReplaceAll(fl.Name, "_", " "))
			}
		}
		return on
	},
	"chain": func(src *figures.Source, f *figures.Figure) string { return strings.Join(f.ClaimChain(src), " → ") },
	"credibility": func(g int) string {
		if g == 0 {
			return ""
		}
		return strconv.Itoa(g) + ": " + figures.Credibilities[g]
	},
	"reliability": func(g string) string {
		if g == "" {
			return ""
		}
		return g + ": " + figures.Reliabilities[g]
	},
}).Parse(landingHTML))

// landingData is what the landing page shows.
type landingData struct {
	Version       string
	TelemetryPath string
	Status        reload.Status
	Dataset       *figures.Dataset
	Revision      string
	LoadedAt      time.Time
}

// LandingHandler shows the served dataset to a person: every figure with its
// provenance, the reload status and links to the metrics.
func LandingHandler(holder *reload.Holder, telemetryPath string, logger *slog.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/" {
			http.NotFound(w, r)
			return
		}
		data := landingData{Version: version.Info(), TelemetryPath: telemetryPath, Status: holder.Status()}
		if s := holder.Snapshot(); s != nil {
			data.Dataset, data.Revision, data.LoadedAt = s.Dataset, collector.ShortRevision(s.Dataset.Revision), s.Loaded
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		if err := landingTemplate.Execute(w, data); err != nil {
			logger.Error("rendering landing page", "err", err)
		}
	})
}
