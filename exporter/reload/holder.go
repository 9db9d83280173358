// Package reload holds the dataset being served and replaces it, whole and
// atomically, when a reload succeeds. Reloads come from SIGHUP, POST
// /-/reload, file changes (watch.go) and a schedule (schedule.go); all of
// them go through Holder.Reload.
package reload

import (
	"context"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promauto"

	"github.com/figures-exporter/figures_exporter/exporter/collector"
	"github.com/figures-exporter/figures_exporter/exporter/exposition"
	"github.com/figures-exporter/figures_exporter/exporter/figures"
)

// Triggers, as they appear in the reloads counter and in logs.
const (
	TriggerStartup  = "startup"
	TriggerSignal   = "signal"
	TriggerHTTP     = "http"
	TriggerWatch    = "watch"
	TriggerSchedule = "schedule"
)

// Results of a reload.
const (
	ResultSuccess   = "success"
	ResultFailure   = "failure"
	ResultUnchanged = "unchanged"
)

// Source says where the figures come from: files on disk, or the dataset
// embedded in the binary when no file is given.
type Source struct {
	Paths       []string
	MaxFileSize int64
	Embedded    *figures.RawFile
}

func (s Source) read() ([]figures.RawFile, figures.Diagnostics) {
	if len(s.Paths) == 0 && s.Embedded != nil {
		return []figures.RawFile{*s.Embedded}, nil
	}
	return figures.ReadFiles(s.Paths, s.MaxFileSize)
}

// Snapshot is what a successful reload publishes: the dataset and what was
// said about it. It is never modified once published.
type Snapshot struct {
	Dataset  *figures.Dataset
	Warnings figures.Diagnostics
	Loaded   time.Time
	// Exposition is the dataset's metrics, encoded for scrapes.
	Exposition *exposition.Exposition
}

// Status is the outcome of the latest reload attempt, for the status page.
type Status struct {
	At          time.Time
	Trigger     string
	Result      string
	Diagnostics figures.Diagnostics // errors of a failed attempt, or warnings of the dataset
}

// Holder owns the served snapshot and the reload metrics, in the manner of
// blackbox_exporter's SafeConfig: reloads are serialised and publish a new
// snapshot with one atomic store, so a scrape sees the old dataset or the
// new one, never a mix.
type Holder struct {
	source Source
	logger *slog.Logger

	mu      sync.Mutex      // serialises reloads
	parser  *figures.Parser // decodes only the files that changed
	current atomic.Pointer[Snapshot]
	status  atomic.Pointer[Status]

	lastSuccessful prometheus.Gauge
	lastSuccessTS  prometheus.Gauge
	reloads        *prometheus.CounterVec
}

// NewHolder makes a holder and registers its metrics on reg. Call Reload with
// TriggerStartup before serving.
func NewHolder(source Source, logger *slog.Logger, reg prometheus.Registerer) *Holder {
	metrics := promauto.With(reg) // a nil reg registers nothing
	h := &Holder{
		source: source,
		logger: logger,
		parser: figures.NewParser(),
		lastSuccessful: metrics.NewGauge(prometheus.GaugeOpts{
			Name: "figures_exporter_config_last_reload_successful",
			Help: "Whether the last attempt to load the figures files succeeded (1) or failed (0).",
		}),
		lastSuccessTS: metrics.NewGauge(prometheus.GaugeOpts{
			Name: "figures_exporter_config_last_reload_success_timestamp_seconds",
			Help: "Time of the last successful load of the figures files, in seconds since the Unix epoch.",
		}),
		reloads: metrics.NewCounterVec(prometheus.CounterOpts{
			Name: "figures_exporter_config_reloads_total",
			Help: "Attempts to load the figures files, by what triggered them and their result (success, failure, unchanged).",
		}, []string{"trigger", "result"}),
	}
	for _, t := range []string{TriggerStartup, TriggerSignal, TriggerHTTP, TriggerWatch, TriggerSchedule} {
		for _, r := range []string{ResultSuccess, ResultFailure, ResultUnchanged} {
			h.reloads.WithLabelValues(t, r)
		}
	}
	h.status.Store(&Status{})
	return h
}

// Snapshot returns the dataset being served (nil before the first success).
func (h *Holder) Snapshot() *Snapshot { return h.current.Load() }

// Revision is the served dataset's short revision (collector.ShortRevision),
// or "none" before the first success.
func (h *Holder) Revision() string {
	if s := h.Snapshot(); s != nil {
		return collector.ShortRevision(s.Dataset.Revision)
	}
	return "none"
}

// Status returns the outcome of the latest reload attempt (the zero Status
// before the first).
func (h *Holder) Status() Status { return *h.status.Load() }

// Reload reads, parses and validates the figures and, if they are valid and
// differ from the served ones, swaps them in. On failure the served snapshot
// stays as it was. It returns the result and, on failure, every problem.
func (h *Holder) Reload(trigger string) (string, figures.Diagnostics) {
	h.mu.Lock()
	defer h.mu.Unlock()
	now := time.Now()
	recovered := h.Status().Result == ResultFailure

	raw, diags := h.source.read()
	cur := h.current.Load()
	if !diags.HasErrors() && cur != nil && cur.Dataset.Revision == figures.Revision(raw) {
		// Nothing to parse or swap; after a failure it is news (the files
		// are good again), logged where a user reading the errors looks.
		h.finish(trigger, ResultUnchanged, now, cur.Warnings)
		log := h.logger.Debug
		if recovered {
			log = h.logger.Info
		}
		log("figures unchanged", "trigger", trigger, "revision", collector.ShortRevision(cur.Dataset.Revision), "recovered", recovered)
		return ResultUnchanged, nil
	}
	var ds *figures.Dataset
	reused := 0
	if !diags.HasErrors() {
		ds, diags, reused = h.parser.Parse(raw, now)
	}
	if ds == nil {
		h.finish(trigger, ResultFailure, now, diags)
		// A warning is no error, even beside those that refused the files.
		for _, d := range diags {
			level, msg := slog.LevelError, "figures error"
			if d.Severity == figures.Warning {
				level, msg = slog.LevelWarn, "figures warning"
			}
			h.logger.Log(context.Background(), level, msg, "file", d.Pos.File, "line", d.Pos.Line, "column", d.Pos.Column, "severity", d.Severity.String(), "problem", d.Message)
		}
		h.logger.Error("reloading figures failed; serving the last good dataset", "trigger", trigger, "errors", len(diags.Errors()), "kept_revision", h.Revision())
		return ResultFailure, diags
	}
	// Encoded before the swap, so that no scrape waits for it.
	exp := exposition.New(collector.New(ds, len(diags)).Families()...)
	h.current.Store(&Snapshot{Dataset: ds, Warnings: diags, Loaded: now, Exposition: exp})
	h.lastSuccessTS.Set(float64(now.UnixNano()) / 1e9)
	h.finish(trigger, ResultSuccess, now, diags)
	for _, d := range diags {
		h.logger.Warn("figures warning", "file", d.Pos.File, "line", d.Pos.Line, "column", d.Pos.Column, "problem", d.Message)
	}
	h.logger.Info("figures loaded", "trigger", trigger, "revision", collector.ShortRevision(ds.Revision), "figures", len(ds.Figures), "families", len(ds.Families),
		"warnings", len(diags), "files", len(raw), "files_reused", reused, "recovered", recovered, "duration", time.Since(now).Round(time.Millisecond))
	return ResultSuccess, diags
}

func (h *Holder) finish(trigger, result string, at time.Time, diags figures.Diagnostics) {
	h.lastSuccessful.Set(map[bool]float64{true: 0, false: 1}[result == ResultFailure])
	h.reloads.WithLabelValues(trigger, result).Inc()
	h.status.Store(&Status{At: at, Trigger: trigger, Result: result, Diagnostics: diags})
}
