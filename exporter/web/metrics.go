// Package web holds the exporter's HTTP handlers: /metrics, the lifecycle
// endpoints (/-/reload, /-/healthy, /-/ready) and the landing page.
package web

import (
	"bytes"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"sync"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"

	"github.com/figures-exporter/figures_exporter/exporter/collector"
	"github.com/figures-exporter/figures_exporter/exporter/reload"
)

// snapshotGatherer hands out the metric families of the served snapshot. It
// reads the snapshot pointer once per scrape, so one scrape never mixes two
// datasets; the families were built at reload and are only read here.
type snapshotGatherer struct{ holder *reload.Holder }

func (g snapshotGatherer) Gather() ([]*dto.MetricFamily, error) {
	if s := g.holder.Snapshot(); s != nil {
		return s.Exposition.Families(), nil
	}
	return nil, nil
}

// MetricsHandler serves the figures of the current snapshot together with
// the exporter's own metrics from reg (reload state, build info, Go and
// process collectors).
//
// The snapshot changes only at reload, so its exposition is encoded and
// compressed once per snapshot and format (collector.Exposition); a scrape
// gathers and encodes only reg's few families and splices them in at their
// place in name order. The response is the one promhttp.HandlerFor would
// send over Gatherers{reg, snapshot} (same content negotiation, gzip,
// OpenMetrics, in-flight limit and error counter; the tests compare them),
// plus a Content-Length. Requests the cache does not cover (a name[]
// filter, no snapshot yet, a family name in both) go to that promhttp
// handler itself.
func MetricsHandler(holder *reload.Holder, reg *prometheus.Registry, maxRequests int, logger *slog.Logger) http.Handler {
	errorLog := slog.NewLogLogger(logger.Handler(), slog.LevelError)
	opts := promhttp.HandlerOpts{
		ErrorLog:          errorLog,
		ErrorHandling:     promhttp.ContinueOnError,
		EnableOpenMetrics: true,
		Registry:          reg,
	}
	// The fallback shares the in-flight limit below, so it has none itself.
	plain := promhttp.HandlerFor(prometheus.Gatherers{reg, snapshotGatherer{holder}}, opts)
	h := &cachedHandler{
		holder:   holder,
		reg:      reg,
		plain:    plain,
		errorLog: errorLog,
		// HandlerFor registered promhttp_metric_handler_errors_total on
		// reg; this gets that same counter.
		errCnt: registeredCounterVec(reg, prometheus.CounterOpts{
			Name: "promhttp_metric_handler_errors_total",
			Help: "Total number of internal errors encountered by the promhttp metric handler.",
		}, "cause"),
	}
	if maxRequests > 0 {
		h.inFlight = make(chan struct{}, maxRequests)
	}
	return promhttp.InstrumentMetricHandler(reg, h)
}

func registeredCounterVec(reg prometheus.Registerer, opts prometheus.CounterOpts, labels ...string) *prometheus.CounterVec {
	c := prometheus.NewCounterVec(opts, labels)
	if err := reg.Register(c); err != nil {
		are := prometheus.AlreadyRegisteredError{}
		if errors.As(err, &are) {
			return are.ExistingCollector.(*prometheus.CounterVec)
		}
		panic(err)
	}
	return c
}

type cachedHandler struct {
	holder   *reload.Holder
	reg      prometheus.Gatherer
	plain    http.Handler
	inFlight chan struct{}
	errorLog interface{ Println(...any) }
	errCnt   *prometheus.CounterVec
}

// offeredEncodings are promhttp's default offers, in its order (zstd is
// only offered when its package is linked in, which it is not).
var offeredEncodings = []string{"identity", "gzip"}

var dynamicBuffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

func (h *cachedHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if h.inFlight != nil {
		select {
		case h.inFlight <- struct{}{}:
			defer func() { <-h.inFlight }()
		default:
			http.Error(w, fmt.Sprintf("Limit of concurrent requests reached (%d), try again later.", cap(h.inFlight)), http.StatusServiceUnavailable)
			return
		}
	}
	var snap *collector.Snapshot
	if s := h.holder.Snapshot(); s != nil {
		snap = s.Exposition
	}
	if snap == nil || snap.Exposition() == nil || (r.URL != nil && r.URL.Query().Has("name[]")) {
		h.plain.ServeHTTP(w, r)
		return
	}
	format := expfmt.NegotiateAccept(r.Header, expfmt.DefaultOpenMetricsAcceptedFormats()...)
	enc, err := snap.Exposition().Encoding(format)
	if err != nil {
		h.errorLog.Println("error encoding the figures snapshot, serving it uncached:", err)
		h.plain.ServeHTTP(w, r)
		return
	}
	names := snap.Exposition().Names()

	mfs, err := h.reg.Gather()
	if err != nil {
		h.errorLog.Println("error gathering metrics:", err)
		h.errCnt.WithLabelValues("gathering").Inc()
		// promhttp.ContinueOnError: serve what was gathered (the snapshot
		// always has families, so there is always something).
	}
	buf := dynamicBuffers.Get().(*bytes.Buffer)
	buf.Reset()
	defer dynamicBuffers.Put(buf)
	e := expfmt.NewEncoder(buf, format)
	// Encode reg's families into buf, remembering where each ends, and
	// check that none shares a name with a snapshot family (Gatherers
	// would merge those; leave that to it).
	ends := make([]int, len(mfs))
	for k, mf := range mfs {
		if err := e.Encode(mf); err != nil {
			h.errorLog.Println("error encoding and sending metric family:", err)
			h.errCnt.WithLabelValues("encoding").Inc()
		}
		ends[k] = buf.Len()
	}
	if c, ok := e.(expfmt.Closer); ok {
		if err := c.Close(); err != nil {
			h.errorLog.Println("error encoding and sending metric family:", err)
			h.errCnt.WithLabelValues("encoding").Inc()
		}
	}
	dynamic := buf.Bytes()

	encoding := negotiateEncoding(r)
	body := enc.NewBody(encoding == "gzip")
	// Merge by name: reg's families are sorted by name, and so are the
	// snapshot's.
	i, start := 0, 0
	for k, mf := range mfs {
		name := mf.GetName()
		j := i + sortSearch(names[i:], name)
		if j < len(names) && names[j] == name {
			h.plain.ServeHTTP(w, r)
			return
		}
		body.Snapshot(i, j)
		body.Dynamic(dynamic[start:ends[k]])
		i, start = j, ends[k]
	}
	body.Snapshot(i, len(names))
	body.Dynamic(dynamic[start:]) // the end of the exposition (# EOF)

	hdr := w.Header()
	hdr.Add("Vary", "Accept")
	hdr.Add("Vary", "Accept-Encoding")
	hdr.Set("Content-Type", string(format))
	if encoding == "gzip" {
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

// sortSearch returns the index of the first name in names not less than
// name.
func sortSearch(names []string, name string) int {
	lo, hi := 0, len(names)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if names[m] < name {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo
}
