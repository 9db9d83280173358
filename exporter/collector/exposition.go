package collector

import (
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"

	"github.com/figures-exporter/figures_exporter/exporter/figures"
)

// The snapshot only changes at reload, so its exposition is encoded (and
// compressed) once per format and reused by every scrape until the next
// reload. A scrape then only encodes the exporter's own, small, dynamic
// families and splices them in at their place in name order; see
// web.MetricsHandler.

// PrometheusAccept is the Accept header a Prometheus 3 server sends by
// default (scrape_protocols unset, UTF-8 names allowed). Build encodes and
// compresses the snapshot for the format it negotiates before the snapshot
// is served, so that no scrape waits for it.
const PrometheusAccept = "application/openmetrics-text;version=1.0.0;escaping=allow-utf-8;q=0.7," +
	"application/openmetrics-text;version=0.0.1;q=0.6," +
	"text/plain;version=1.0.0;escaping=allow-utf-8;q=0.5," +
	"text/plain;version=0.0.4;q=0.4,*/*;q=0.3"

// PrometheusFormat is the format a default Prometheus 3 negotiates.
func PrometheusFormat() expfmt.Format {
	h := http.Header{}
	h.Set("Accept", PrometheusAccept)
	return expfmt.NegotiateAccept(h, expfmt.DefaultOpenMetricsAcceptedFormats()...)
}

// Exposition is a snapshot's metric families, normalised as promhttp's
// Gatherers normalise them (empty families dropped, families sorted by
// name, series sorted by label values), with their encodings. It holds no
// series: they are made from the dataset when a format is encoded.
type Exposition struct {
	ds    *figures.Dataset
	fams  []*family
	names []string

	mu       sync.Mutex
	byFormat map[expfmt.Format]*Encoding

	stats []familyStats // by family, what the passes did (tests)
}

// familyStats is what the encoding passes did for one family: tests check
// with it that a rebuild's work follows the change.
type familyStats struct {
	made  atomic.Int64 // figures whose series were made
	whole atomic.Bool  // made whole (encodeFamily), not taken from the previous snapshot
}

func newExposition(ds *figures.Dataset, warnings int) *Exposition {
	e := &Exposition{ds: ds, fams: familiesOf(ds, warnings), byFormat: map[expfmt.Format]*Encoding{}}
	e.stats = make([]familyStats, len(e.fams))
	for _, f := range e.fams {
		e.names = append(e.names, f.name)
	}
	return e
}

// Names returns the names of the families, in the order they are encoded.
func (e *Exposition) Names() []string { return e.names }

// families makes the normalised families, in client_model form.
func (e *Exposition) families() []*dto.MetricFamily {
	out := make([]*dto.MetricFamily, len(e.fams))
	for i, f := range e.fams {
		out[i] = f.metricFamily(f.series(e.ds))
	}
	return out
}

// Encoding returns the families encoded in format, encoding them on first
// use; concurrent callers wait for one encoding. Scrapes are served
// meanwhile, so it encodes on half the cores.
func (e *Exposition) Encoding(format expfmt.Format) (*Encoding, error) {
	e.mu.Lock()
	enc, ok := e.byFormat[format]
	if !ok {
		enc = newEncoding(format)
		e.byFormat[format] = enc
	}
	e.mu.Unlock()
	if !ok {
		e.encode([]*Encoding{enc}, nil, nil, false, workersFor(false))
	}
	<-enc.done
	return enc, enc.err
}

// prepare encodes the snapshot, before it is served, in the format a
// default Prometheus 3 negotiates and in every other format prev has been
// asked for, reusing prev's compressed runs wherever their content is
// unchanged. Without prev (at startup) nothing is being served yet, so it
// takes every core; with prev, scrapes of prev keep half of them.
func (e *Exposition) prepare(prev *Exposition) {
	formats := []expfmt.Format{PrometheusFormat()}
	reuse := map[expfmt.Format]*Encoding{}
	for _, old := range prev.encodings() {
		reuse[old.format] = old
		if !slices.Contains(formats, old.format) {
			formats = append(formats, old.format)
		}
	}
	encs := make([]*Encoding, len(formats))
	for k, format := range formats {
		encs[k] = newEncoding(format)
		e.byFormat[format] = encs[k]
	}
	var old *previous
	if prev != nil {
		old = newPrevious(e.ds, prev, reuse)
	}
	e.encode(encs, reuse, old, true, workersFor(prev == nil))
}

// encodings returns e's finished, successful encodings, sorted by format
// (nil for a nil e). It waits for encodings in progress.
func (e *Exposition) encodings() []*Encoding {
	if e == nil {
		return nil
	}
	e.mu.Lock()
	var all []*Encoding
	for _, enc := range e.byFormat {
		all = append(all, enc)
	}
	e.mu.Unlock()
	slices.SortFunc(all, func(a, b *Encoding) int { return strings.Compare(string(a.format), string(b.format)) })
	return slices.DeleteFunc(all, func(enc *Encoding) bool {
		<-enc.done
		return enc.err != nil
	})
}
