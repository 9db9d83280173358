// Package reload holds the dataset being served and replaces it, whole and
// atomically, when a reload succeeds. Reloads come from SIGHUP, POST
// /-/reload, file changes and a schedule (see triggers.go); all of them go
// through Holder.Reload.
package reload

import (
	"log/slog"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/figures-exporter/figures_exporter/exporter/collector"
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

func (s Source) read(r *figures.Reader) ([]figures.RawFile, figures.Diagnostics) {
	if len(s.Paths) == 0 && s.Embedded != nil {
		return []figures.RawFile{*s.Embedded}, nil
	}
	return r.Read(s.Paths, s.MaxFileSize)
}

// Status is the outcome of the latest reload attempt, for the landing page.
type Status struct {
	At          time.Time
	Trigger     string
	Result      string
	Diagnostics figures.Diagnostics // errors of a failed attempt, or warnings of the dataset
}

// Holder owns the served snapshot, in the manner of blackbox_exporter's
// SafeConfig: reloads are serialised by a mutex and publish a new snapshot
// with one atomic store, so a scrape sees either the old dataset or the new
// one, never a mix. It also owns the reload gauges.
type Holder struct {
	source Source
	logger *slog.Logger
	now    func() time.Time

	mu     sync.Mutex      // serialises reloads
	parser *figures.Parser // remembers the items of the last good load
	reader figures.Reader  // reuses its buffers from one reload to the next
	// idle drops the reader's buffers once no reload came for
	// keepBuffersFor: they are worth keeping while reloads come one after
	// another, not between the rare edits of a curated dataset.
	idle    *time.Timer
	current atomic.Pointer[collector.Snapshot]
	status  atomic.Pointer[Status]

	lastSuccessful prometheus.Gauge
	lastSuccessTS  prometheus.Gauge
	reloads        *prometheus.CounterVec
}

// NewHolder makes a holder and registers its metrics on reg. Call Reload with
// TriggerStartup before serving.
func NewHolder(source Source, logger *slog.Logger, reg prometheus.Registerer) *Holder {
	h := &Holder{
		source: source,
		logger: logger,
		now:    time.Now,
		parser: figures.NewParser(),
		lastSuccessful: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "figures_exporter_config_last_reload_successful",
			Help: "Whether the last attempt to load the figures files succeeded (1) or failed (0).",
		}),
		lastSuccessTS: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "figures_exporter_config_last_reload_success_timestamp_seconds",
			Help: "Time of the last successful load of the figures files, in seconds since the Unix epoch.",
		}),
		reloads: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "figures_exporter_config_reloads_total",
			Help: "Attempts to load the figures files, by what triggered them and their result (success, failure, unchanged).",
		}, []string{"trigger", "result"}),
	}
	for _, t := range []string{TriggerStartup, TriggerSignal, TriggerHTTP, TriggerWatch, TriggerSchedule} {
		for _, r := range []string{ResultSuccess, ResultFailure, ResultUnchanged} {
			h.reloads.WithLabelValues(t, r)
		}
	}
	if reg != nil {
		reg.MustRegister(h.lastSuccessful, h.lastSuccessTS, h.reloads)
	}
	return h
}

// Snapshot returns the dataset being served (nil before the first success).
func (h *Holder) Snapshot() *collector.Snapshot { return h.current.Load() }

// Status returns the outcome of the latest reload attempt.
func (h *Holder) Status() Status {
	if s := h.status.Load(); s != nil {
		return *s
	}
	return Status{}
}

// Reload reads, parses and validates the figures and, if they are valid and
// differ from the served ones, swaps them in. On failure the served snapshot
// stays as it was. It returns the result and, on failure, every problem.
func (h *Holder) Reload(trigger string) (string, figures.Diagnostics) {
	h.mu.Lock()
	defer h.mu.Unlock()
	defer h.releaseBuffersWhenIdle()
	now := h.now()
	start := time.Now()

	raw, diags := h.source.read(&h.reader)
	if !diags.HasErrors() {
		revision := figures.Revision(raw)
		if cur := h.current.Load(); cur != nil && cur.Dataset.Revision == revision {
			// Unchanged content: nothing to parse, nothing to swap; the files
			// are the served (valid) dataset, so the last reload is good.
			h.finish(trigger, ResultUnchanged, now, cur.Warnings)
			h.logger.Debug("figures unchanged", "trigger", trigger, "revision", cur.Revision())
			return ResultUnchanged, nil
		}
		startup := h.current.Load() == nil
		if startup {
			defer lowerGCPercent(startupGCPercent)()
		}
		var ds *figures.Dataset
		ds, diags = h.parser.ParseRevision(raw, revision, now)
		if ds != nil && startup {
			// The parse's garbage goes before the build makes its own, so
			// that the two do not add up to the process's peak.
			debug.FreeOSMemory()
		}
		if ds != nil {
			snap := collector.Build(ds, diags, now, h.current.Load())
			h.current.Store(snap)
			st := h.parser.Stats()
			if st.Whole > 0 || st.Items-st.Reused > st.Items/4 {
				// Only after a parse of much of the data: the garbage of a
				// reload that changed a few items is the GC's ordinary
				// work, and a forced collection each time would compete
				// with scrapes for the CPU.
				releaseParseMemory()
			}
			h.lastSuccessTS.Set(float64(now.UnixNano()) / 1e9)
			h.finish(trigger, ResultSuccess, now, diags)
			for _, d := range diags {
				h.logger.Warn("figures warning", "file", d.Pos.File, "line", d.Pos.Line, "column", d.Pos.Column, "problem", d.Message)
			}
			h.logger.Info("figures loaded", "trigger", trigger, "revision", snap.Revision(), "figures", len(ds.Figures), "families", len(ds.Families), "warnings", len(diags),
				"items_reused", st.Reused, "items", st.Items, "files_parsed_whole", st.Whole, "duration", time.Since(start).Round(time.Millisecond))
			return ResultSuccess, diags
		}
	}
	releaseParseMemory()
	h.finish(trigger, ResultFailure, now, diags)
	for _, d := range diags {
		h.logger.Error("figures error", "file", d.Pos.File, "line", d.Pos.Line, "column", d.Pos.Column, "severity", d.Severity.String(), "problem", d.Message)
	}
	kept := "none"
	if cur := h.current.Load(); cur != nil {
		kept = cur.Revision()
	}
	h.logger.Error("reloading figures failed; serving the last good dataset", "trigger", trigger, "errors", len(diags.Errors()), "kept_revision", kept)
	return ResultFailure, diags
}

// releaseParseMemory returns the garbage of a reload to the operating system.
// A cold parse allocates several times the size of the dataset it yields
// (yaml.v3 node trees, if only a batch at a time); left to the runtime, that
// garbage stays the process's resident memory for minutes. The forced
// collection takes a while on a large heap, so it runs in the background,
// once at a time: the reload it follows has already answered.
func releaseParseMemory() {
	if releasing.CompareAndSwap(false, true) {
		go func() {
			defer releasing.Store(false)
			debug.FreeOSMemory()
		}()
	}
}

// startupGCPercent is the garbage collector's target while the first
// dataset loads. Nothing is served yet, so collecting four times as often
// as by default costs nothing a user waits for, and it lowers the peak of
// the process: 439 MB -> 339 MB at 100k figures (VmHWM at startup, with the
// forced collection between parse and build).
const startupGCPercent = 25

// lowerGCPercent sets the collector's target to p, unless it is lower
// already or off (GOGC=off: the user's choice), and returns what restores
// it.
func lowerGCPercent(p int) (restore func()) {
	old := debug.SetGCPercent(p)
	if old < 0 || old <= p {
		debug.SetGCPercent(old)
		return func() {}
	}
	return func() { debug.SetGCPercent(old) }
}

// keepBuffersFor is how long the file buffers of a reload are kept for the
// next one (a 100k-figure file is 57 MB).
var keepBuffersFor = time.Minute

// releaseBuffersWhenIdle (re)starts the countdown to dropping the reader's
// buffers. Call it with h.mu held.
func (h *Holder) releaseBuffersWhenIdle() {
	if h.idle != nil {
		h.idle.Stop()
	}
	h.idle = time.AfterFunc(keepBuffersFor, func() {
		h.mu.Lock()
		defer h.mu.Unlock()
		if h.reader.Kept() > 0 {
			h.reader.Release()
			releaseParseMemory()
		}
	})
}

// releasing is set while a release runs.
var releasing atomic.Bool

func (h *Holder) finish(trigger, result string, at time.Time, diags figures.Diagnostics) {
	if result == ResultFailure {
		h.lastSuccessful.Set(0)
	} else {
		h.lastSuccessful.Set(1)
	}
	h.reloads.WithLabelValues(trigger, result).Inc()
	h.status.Store(&Status{At: at, Trigger: trigger, Result: result, Diagnostics: diags})
}
