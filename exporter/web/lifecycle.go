package web

import (
	"fmt"
	"net/http"

	"github.com/figures-exporter/figures_exporter/exporter/reload"
)

// ReloadHandler serves POST /-/reload as Prometheus does: 405 for other
// methods, 403 unless the lifecycle API is enabled, 500 with the problems
// when the new figures are invalid (the old ones stay served).
func ReloadHandler(holder *reload.Holder, enabled bool) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			w.Header().Set("Allow", http.MethodPost)
			http.Error(w, "This endpoint requires a POST request.", http.StatusMethodNotAllowed)
			return
		}
		if !enabled {
			http.Error(w, "Lifecycle API is not enabled (--web.enable-lifecycle).", http.StatusForbidden)
			return
		}
		result, diags := holder.Reload(reload.TriggerHTTP)
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		if result == reload.ResultFailure {
			// Diagnostics name file, line, column and the problem; they never
			// echo the file's raw contents back.
			w.WriteHeader(http.StatusInternalServerError)
			fmt.Fprintf(w, "failed to reload figures; still serving revision %s\n%s\n", holder.Revision(), diags.Errors().Error())
			return
		}
		fmt.Fprintf(w, "%s: serving revision %s\n", result, holder.Revision())
	})
}

// HealthyHandler answers 200 while the process serves HTTP.
func HealthyHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintln(w, "Healthy.")
	})
}

// ReadyHandler answers 200 once a dataset is loaded, 503 before.
func ReadyHandler(holder *reload.Holder) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if holder.Snapshot() == nil {
			http.Error(w, "No figures loaded yet.", http.StatusServiceUnavailable)
			return
		}
		fmt.Fprintln(w, "Ready.")
	})
}
