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
	"value":  formatValue,
	"labels": func(ls []figures.Label) string {
		parts := make([]string, len(ls))
		for i, l := range ls {
			parts[i] = l.Name + "=" + l.Value
		}
		return strings.Join(parts, ", ")
	},
	"qualifier": func(q figures.Qualifier) string {
		if q == figures.QualifierNone {
			return ""
		}
		return strings.ReplaceAll(string(q), "_", " ")
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
			data.Dataset, data.Revision, data.LoadedAt = s.Dataset, reload.ShortRevision(s.Dataset.Revision), s.Loaded
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		if err := landingTemplate.Execute(w, data); err != nil {
			logger.Error("rendering landing page", "err", err)
		}
	})
}

// formatValue shows a value as a person reads it: 1.7e9 as 1,700,000,000 and
// ratios as they are.
func formatValue(v float64) string {
	if v == float64(int64(v)) && v < 1e15 && v > -1e15 {
		s := strconv.FormatInt(int64(v), 10)
		neg := strings.HasPrefix(s, "-")
		s = strings.TrimPrefix(s, "-")
		var b strings.Builder
		for i, r := range s {
			if i > 0 && (len(s)-i)%3 == 0 {
				b.WriteByte(',')
			}
			b.WriteRune(r)
		}
		if neg {
			return "-" + b.String()
		}
		return b.String()
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}
