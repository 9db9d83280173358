// Package measure is the record bench/load writes, one JSON line per run,
// and bench/report reads back into tables.
package measure

// Run is the outcome of one load run against one server (or one series of
// reloads), or one of the measurements bench/run.sh makes itself: a
// startup (Seconds, PeakRSSMB), the production lines of a build (Lines),
// a run of the test command (Seconds, ExitCode).
type Run struct {
	Name        string  `json:"name"`
	Concurrency int     `json:"concurrency"`
	Seconds     float64 `json:"seconds"`
	Scrapes     int64   `json:"scrapes"`
	Errors      int64   `json:"errors"`
	PerSecond   float64 `json:"scrapes_per_second"`
	P50ms       float64 `json:"p50_ms"`
	P99ms       float64 `json:"p99_ms"`
	CPUPerScrMs float64 `json:"cpu_ms_per_scrape"`
	PeakRSSMB   float64 `json:"peak_rss_mb"`
	RSSMB       float64 `json:"rss_mb"`
	BodyBytes   int64   `json:"body_bytes"`
	Series      int     `json:"series"`
	ContentType string  `json:"content_type"`
	Reloads     int     `json:"reloads,omitempty"`
	ReloadP50ms float64 `json:"reload_p50_ms,omitempty"`
	ReloadMaxMs float64 `json:"reload_max_ms,omitempty"`
	Lines       int     `json:"lines,omitempty"`
	ExitCode    int     `json:"exit_code,omitempty"`
}
