// Package web holds the exporter's HTTP handlers: /metrics, the lifecycle
// endpoints (/-/reload, /-/healthy, /-/ready); the pages people read are in pages/.
package web

import (
	"bytes"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"

	"github.com/figures-exporter/figures_exporter/exporter/reload"
)

// MetricsHandler serves the figures of the current snapshot together with
// the exporter's own metrics from reg (reload state, build info, Go and
// process collectors, promhttp's own).
//
// The snapshot's families are encoded at reload (exposition.Exposition); a
// scrape encodes only reg's and appends them. A client gets what
// promhttp.HandlerFor over Gatherers{reg, snapshot} would send, families
// in another order (the tests compare the two): the format and coding
// promhttp negotiates (negotiator asks it), OpenMetrics, in-flight limit
// and error counter, plus a Content-Length. What the cache does not cover
// (a name[] filter, no snapshot yet, a family in both, a failed encoding)
// goes to that handler.
func MetricsHandler(holder *reload.Holder, reg *prometheus.Registry, maxRequests int, logger *slog.Logger) http.Handler {
	errorLog := slog.NewLogLogger(logger.Handler(), slog.LevelError)
	// The fallback shares the in-flight limit below, so it has none itself.
	plain := promhttp.HandlerFor(prometheus.Gatherers{reg, snapshotGatherer(holder)}, promhttp.HandlerOpts{
		ErrorLog:          errorLog,
		ErrorHandling:     promhttp.ContinueOnError,
		EnableOpenMetrics: true,
		Registry:          reg,
	})
	h := &metricsHandler{holder: holder, reg: reg, plain: plain, errorLog: errorLog, negotiator: negotiator{
		ask:     promhttp.HandlerFor(prometheus.Gatherers{}, promhttp.HandlerOpts{EnableOpenMetrics: true}),
		answers: map[[2]string]negotiated{},
	}}
	// HandlerFor registered promhttp_metric_handler_errors_total on reg;
	// this gets that same counter.
	var are prometheus.AlreadyRegisteredError
	if err := reg.Register(prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "promhttp_metric_handler_errors_total",
		Help: "Total number of internal errors encountered by the promhttp metric handler.",
	}, []string{"cause"})); !errors.As(err, &are) {
		panic(fmt.Sprintf("promhttp_metric_handler_errors_total is not promhttp's: %v", err))
	}
	h.errCnt = are.ExistingCollector.(*prometheus.CounterVec)
	if maxRequests > 0 {
		h.inFlight = make(chan struct{}, maxRequests)
	}
	return promhttp.InstrumentMetricHandler(reg, h)
}

// snapshotGatherer gathers the served snapshot's families afresh, for the
// promhttp fallback.
func snapshotGatherer(holder *reload.Holder) prometheus.Gatherer {
	return prometheus.GathererFunc(func() ([]*dto.MetricFamily, error) {
		if s := holder.Snapshot(); s != nil && s.Exposition != nil {
			return s.Exposition.Gatherer().Gather()
		}
		return nil, nil
	})
}

type metricsHandler struct {
	holder   *reload.Holder
	reg      prometheus.Gatherer
	plain    http.Handler
	inFlight chan struct{} // nil: no limit
	errorLog interface{ Println(...any) }
	errCnt   *prometheus.CounterVec
	negotiator
}

var tails = sync.Pool{New: func() any { return new(bytes.Buffer) }}

func (h *metricsHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if h.inFlight != nil {
		select {
		case h.inFlight <- struct{}{}:
			defer func() { <-h.inFlight }()
		default:
			// promhttp's MaxRequestsInFlight answer.
			http.Error(w, fmt.Sprintf("Limit of concurrent requests reached (%d), try again later.", cap(h.inFlight)), http.StatusServiceUnavailable)
			return
		}
	}
	snap := h.holder.Snapshot()
	if snap == nil || snap.Exposition == nil || (r.URL != nil && r.URL.Query().Has("name[]")) {
		h.plain.ServeHTTP(w, r)
		return
	}
	exp := snap.Exposition
	neg := h.negotiate(r)
	format, gz := neg.format, neg.gzip

	mfs, err := h.reg.Gather()
	if err != nil {
		// promhttp.ContinueOnError: serve what was gathered (the snapshot
		// always has families, so there is always something).
		h.errorLog.Println("error gathering metrics:", err)
		h.errCnt.WithLabelValues("gathering").Inc()
	}
	tail := tails.Get().(*bytes.Buffer)
	tail.Reset()
	defer tails.Put(tail)
	enc := expfmt.NewEncoder(tail, format)
	for _, mf := range mfs {
		if exp.Has(mf.GetName()) {
			// Gatherers would merge or reject the two; leave that to it.
			h.plain.ServeHTTP(w, r)
			return
		}
		if err := enc.Encode(mf); err != nil {
			h.errorLog.Println("error encoding and sending metric family:", err)
			h.errCnt.WithLabelValues("encoding").Inc()
		}
	}
	_ = enc.(expfmt.Closer).Close() // writes to a bytes.Buffer do not fail

	body, err := exp.Body(format, gz, tail.Bytes())
	if err != nil {
		h.errorLog.Println("error encoding the figures snapshot, serving it uncached:", err)
		h.plain.ServeHTTP(w, r)
		return
	}
	defer body.Close()
	hdr := w.Header()
	hdr.Add("Vary", "Accept")
	hdr.Add("Vary", "Accept-Encoding")
	hdr.Set("Content-Type", string(format))
	if gz {
		hdr.Set("Content-Encoding", "gzip")
	}
	hdr.Set("Content-Length", strconv.FormatInt(body.Len(), 10))
	if r.Method == http.MethodHead {
		return
	}
	if _, err := body.WriteTo(w); err != nil {
		// The client went away; promhttp counts this as an encoding error.
		h.errCnt.WithLabelValues("encoding").Inc()
	}
}

// negotiator tells the format and coding promhttp answers a request with,
// by asking it: ask is a HandlerFor over no families, whose answer's headers
// it reads. An answer depends on the Accept and Accept-Encoding lines only;
// asking resets a pooled gzip.Writer (measured: 4 to 10 % more per scrape,
// 30 to 50 µs), so the answers are kept by those lines, as a scraper sends
// the same ones every time: at most maxAnswers, for lines of at most maxKey
// bytes, so that odd requests cannot make it grow.
type negotiator struct {
	ask     http.Handler
	mu      sync.RWMutex
	answers map[[2]string]negotiated
}

type negotiated struct {
	format expfmt.Format
	gzip   bool
}

const maxAnswers, maxKey = 64, 1024

func (n *negotiator) negotiate(r *http.Request) negotiated {
	key := [2]string{strings.Join(r.Header.Values("Accept"), "\n"), strings.Join(r.Header.Values("Accept-Encoding"), "\n")}
	n.mu.RLock()
	a, ok := n.answers[key]
	n.mu.RUnlock()
	if ok {
		return a
	}
	w := headerOnly{http.Header{}}
	n.ask.ServeHTTP(w, r)
	a = negotiated{expfmt.Format(w.h.Get("Content-Type")), w.h.Get("Content-Encoding") == "gzip"}
	n.mu.Lock()
	if len(n.answers) < maxAnswers && len(key[0])+len(key[1]) <= maxKey {
		n.answers[key] = a
	}
	n.mu.Unlock()
	return a
}

// headerOnly is a ResponseWriter that keeps the headers and drops the rest.
type headerOnly struct{ h http.Header }

func (w headerOnly) Header() http.Header         { return w.h }
func (w headerOnly) Write(p []byte) (int, error) { return len(p), nil }
func (w headerOnly) WriteHeader(int)             {}
