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

	"github.com/figures-exporter/figures_exporter/exporter/exposition"
	"github.com/figures-exporter/figures_exporter/exporter/reload"
)

// MetricsHandler serves the figures of the current snapshot together with
// the exporter's own metrics from reg (reload state, build info, Go and
// process collectors, promhttp's own).
//
// The snapshot's families are encoded at reload (exposition.Exposition); a
// scrape encodes only reg's and appends them. A client gets what
// promhttp.HandlerFor over Gatherers{reg, snapshot} would send, families
// in another order (the tests compare the two): the same negotiation, gzip
// or identity, OpenMetrics, in-flight limit and error counter, plus a
// Content-Length. What the cache does not cover (a name[] filter, no
// snapshot yet, a family in both, a failed encoding) goes to that handler.
func MetricsHandler(holder *reload.Holder, reg *prometheus.Registry, maxRequests int, logger *slog.Logger) http.Handler {
	errorLog := slog.NewLogLogger(logger.Handler(), slog.LevelError)
	// The fallback shares the in-flight limit below, so it has none itself.
	plain := promhttp.HandlerFor(prometheus.Gatherers{reg, snapshotGatherer(holder)}, promhttp.HandlerOpts{
		ErrorLog:          errorLog,
		ErrorHandling:     promhttp.ContinueOnError,
		EnableOpenMetrics: true,
		Registry:          reg,
	})
	h := &metricsHandler{holder: holder, reg: reg, plain: plain, errorLog: errorLog}
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
	format := exposition.Negotiate(r.Header)

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
	if err := enc.(expfmt.Closer).Close(); err != nil {
		h.errorLog.Println("error encoding and sending metric family:", err)
		h.errCnt.WithLabelValues("encoding").Inc()
	}

	gz := acceptsGzip(r.Header)
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

// acceptsGzip says whether promhttp would gzip a response to a request with
// header h. promhttp offers identity then gzip and takes the offer with the
// highest q-value in Accept-Encoding (by name or "*"), the first on a tie,
// and identity when that q-value is 0; it offers no other coding (zstd, br)
// unless built with zstd. This reads the header as its parser (gddo's
// httputil/header) does, which stops reading a line at the first element
// it cannot parse.
func acceptsGzip(h http.Header) bool {
	qIdentity, qGzip := -1.0, -1.0
	for _, s := range h.Values("Accept-Encoding") {
		for {
			n := 0
			for n < len(s) && isTokenOrSlash(s[n]) {
				n++
			}
			coding, q := s[:n], 1.0
			if coding == "" {
				break
			}
			s = strings.TrimLeft(s[n:], space)
			if rest, ok := strings.CutPrefix(s, ";"); ok {
				if rest, ok = strings.CutPrefix(strings.TrimLeft(rest, space), "q="); !ok {
					break
				}
				if q, s = quality(rest); q < 0 {
					break
				}
			}
			if coding == "identity" || coding == "*" {
				qIdentity = max(qIdentity, q)
			}
			if coding == "gzip" || coding == "*" {
				qGzip = max(qGzip, q)
			}
			rest, ok := strings.CutPrefix(strings.TrimLeft(s, space), ",")
			if !ok {
				break
			}
			s = strings.TrimLeft(rest, space)
		}
	}
	return qGzip > qIdentity && qGzip != 0
}

const space = " \t\r\n"

// isTokenOrSlash: an RFC 2616 token character, or '/'.
func isTokenOrSlash(c byte) bool {
	return c > 31 && c < 127 && !strings.ContainsRune(" \t\"(),:;<=>?@[]\\{}", rune(c))
}

// quality parses a q-value at the start of s as gddo does: 0 or 1, then
// optionally a point and digits; -1 if there is none.
func quality(s string) (q float64, rest string) {
	if s == "" || (s[0] != '0' && s[0] != '1') {
		return -1, s
	}
	q, s = float64(s[0]-'0'), s[1:]
	if frac, ok := strings.CutPrefix(s, "."); ok {
		n, d := 0, 1
		for s = frac; s != "" && s[0] >= '0' && s[0] <= '9'; s = s[1:] {
			n, d = n*10+int(s[0]-'0'), d*10
		}
		q += float64(n) / float64(d)
	}
	return q, s
}
