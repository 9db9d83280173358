package collector

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"runtime"
	"sort"
	"sync"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
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

// chunkSize bounds the uncompressed size of one independently compressed
// piece, so that a large family compresses on all cores.
const chunkSize = 1 << 20

// gzipLevel is the flate level of the cached pieces. Compression runs once
// per reload, while its output is sent on every scrape.
var gzipLevel = 6

// Exposition is a snapshot's metric families, normalised as promhttp's
// Gatherers normalise them (empty families dropped, families sorted by
// name, series sorted by label values), with their encodings.
type Exposition struct {
	families []*dto.MetricFamily
	names    []string

	mu       sync.Mutex
	byFormat map[expfmt.Format]*Encoding
}

func newExposition(fams []*dto.MetricFamily) *Exposition {
	e := &Exposition{byFormat: map[expfmt.Format]*Encoding{}}
	for _, mf := range fams {
		if len(mf.Metric) == 0 {
			continue
		}
		// A shallow copy with its own series slice: the snapshot's
		// families keep their order, the exposition gets promhttp's.
		c := &dto.MetricFamily{Name: mf.Name, Help: mf.Help, Type: mf.Type, Unit: mf.Unit, Metric: append([]*dto.Metric(nil), mf.Metric...)}
		sort.Sort(metricSorter(c.Metric))
		e.families = append(e.families, c)
	}
	sort.Slice(e.families, func(i, j int) bool { return e.families[i].GetName() < e.families[j].GetName() })
	for _, mf := range e.families {
		e.names = append(e.names, mf.GetName())
	}
	return e
}

// metricSorter orders series exactly as client_golang's
// internal.MetricSorter does (Gatherers.Gather sorts with it): by number of
// labels, then by label values in order.
type metricSorter []*dto.Metric

func (s metricSorter) Len() int      { return len(s) }
func (s metricSorter) Swap(i, j int) { s[i], s[j] = s[j], s[i] }
func (s metricSorter) Less(i, j int) bool {
	if len(s[i].Label) != len(s[j].Label) {
		return len(s[i].Label) < len(s[j].Label)
	}
	for n, lp := range s[i].Label {
		if vi, vj := lp.GetValue(), s[j].Label[n].GetValue(); vi != vj {
			return vi < vj
		}
	}
	if s[i].TimestampMs == nil {
		return false
	}
	if s[j].TimestampMs == nil {
		return true
	}
	return s[i].GetTimestampMs() < s[j].GetTimestampMs()
}

// Names returns the names of the families, in the order they are encoded.
func (e *Exposition) Names() []string { return e.names }

// Families returns the normalised families. They must not be modified.
func (e *Exposition) Families() []*dto.MetricFamily { return e.families }

// Encoding returns the families encoded in format, encoding them on first
// use; concurrent callers wait for one encoding.
func (e *Exposition) Encoding(format expfmt.Format) (*Encoding, error) {
	e.mu.Lock()
	enc, ok := e.byFormat[format]
	if !ok {
		enc = &Encoding{format: format}
		e.byFormat[format] = enc
	}
	e.mu.Unlock()
	enc.once.Do(func() { enc.err = enc.encode(e.families) })
	return enc, enc.err
}

// prepare encodes and compresses the snapshot for the format a default
// Prometheus 3 negotiates.
func (e *Exposition) prepare() {
	h := http.Header{}
	h.Set("Accept", PrometheusAccept)
	if enc, err := e.Encoding(expfmt.NegotiateAccept(h, expfmt.DefaultOpenMetricsAcceptedFormats()...)); err == nil {
		enc.gzipChunks()
	}
}

// Encoding is the snapshot encoded in one format: the bytes of every family
// back to back, and (on first use) those bytes compressed in pieces that
// never straddle two families.
type Encoding struct {
	format expfmt.Format
	once   sync.Once
	err    error
	raw    []byte
	off    []int // family i is raw[off[i]:off[i+1]]

	gzOnce sync.Once
	chunks []deflatePiece
	first  []int    // chunks of family i are chunks[first[i]:first[i+1]]
	runs   sync.Map // [2]int -> *gzipRun
}

func (enc *Encoding) encode(fams []*dto.MetricFamily) (err error) {
	defer func() {
		// The encoders panic on a format they do not know.
		if r := recover(); r != nil {
			err = fmt.Errorf("encoding %s: %v", enc.format, r)
		}
	}()
	var buf bytes.Buffer
	e := expfmt.NewEncoder(&buf, enc.format)
	enc.off = make([]int, 0, len(fams)+1)
	for _, mf := range fams {
		enc.off = append(enc.off, buf.Len())
		if err := e.Encode(mf); err != nil {
			return fmt.Errorf("encoding %s in %s: %w", mf.GetName(), enc.format, err)
		}
	}
	enc.off = append(enc.off, buf.Len())
	// Close would write the end of the exposition (OpenMetrics' # EOF); the
	// scrape writes it after its dynamic families.
	enc.raw = bytes.Clone(buf.Bytes())
	return nil
}

// Format is the format of the encoding.
func (enc *Encoding) Format() expfmt.Format { return enc.format }

// Raw returns the encoded families [i, j).
func (enc *Encoding) Raw(i, j int) []byte { return enc.raw[enc.off[i]:enc.off[j]] }

// Size is the length of the whole encoded snapshot.
func (enc *Encoding) Size() int { return len(enc.raw) }

// gzipChunks compresses the encoding in pieces, on all cores, once.
func (enc *Encoding) gzipChunks() {
	enc.gzOnce.Do(func() {
		type span struct{ from, to int }
		var spans []span
		enc.first = make([]int, 0, len(enc.off))
		for i := 0; i+1 < len(enc.off); i++ {
			enc.first = append(enc.first, len(spans))
			for from := enc.off[i]; from < enc.off[i+1]; from += chunkSize {
				spans = append(spans, span{from, min(from+chunkSize, enc.off[i+1])})
			}
		}
		enc.first = append(enc.first, len(spans))
		enc.chunks = make([]deflatePiece, len(spans))
		var wg sync.WaitGroup
		next := make(chan int)
		for range runtime.GOMAXPROCS(0) {
			wg.Go(func() {
				for k := range next {
					enc.chunks[k] = deflate(enc.raw[spans[k].from:spans[k].to], gzipLevel)
				}
			})
		}
		for k := range spans {
			next <- k
		}
		close(next)
		wg.Wait()
	})
}

// gzipRun is families [i, j) compressed: pieces to send back to back, with
// the CRC and length of their uncompressed bytes.
type gzipRun struct {
	pieces [][]byte
	crc    uint32
	size   int64
}

func (enc *Encoding) gzipRun(i, j int) *gzipRun {
	key := [2]int{i, j}
	if r, ok := enc.runs.Load(key); ok {
		return r.(*gzipRun)
	}
	enc.gzipChunks()
	r := &gzipRun{}
	for _, c := range enc.chunks[enc.first[i]:enc.first[j]] {
		r.pieces = append(r.pieces, c.data)
		r.crc = crc32Combine(r.crc, c.crc, c.size)
		r.size += c.size
	}
	v, _ := enc.runs.LoadOrStore(key, r)
	return v.(*gzipRun)
}

// Body is one response body assembled from runs of the cached encoding and
// bytes encoded for this scrape, either as they are or as one gzip stream.
type Body struct {
	enc   *Encoding
	gzip  bool
	parts [][]byte
	crc   uint32
	size  int64 // uncompressed bytes so far
	n     int64 // bytes of parts
	done  bool
}

// NewBody starts a body; with gzip set it is a gzip stream.
func (enc *Encoding) NewBody(gzip bool) *Body {
	b := &Body{enc: enc, gzip: gzip}
	if gzip {
		b.add(gzipHeader)
	}
	return b
}

func (b *Body) add(p []byte) {
	if len(p) > 0 {
		b.parts = append(b.parts, p)
		b.n += int64(len(p))
	}
}

// Snapshot appends the cached families [i, j).
func (b *Body) Snapshot(i, j int) {
	if i >= j {
		return
	}
	if !b.gzip {
		b.add(b.enc.Raw(i, j))
		return
	}
	r := b.enc.gzipRun(i, j)
	for _, p := range r.pieces {
		b.add(p)
	}
	b.crc = crc32Combine(b.crc, r.crc, r.size)
	b.size += r.size
}

// Dynamic appends bytes encoded for this scrape.
func (b *Body) Dynamic(p []byte) {
	if len(p) == 0 {
		return
	}
	if !b.gzip {
		b.add(p)
		return
	}
	var buf bytes.Buffer
	piece := deflateFast(&buf, p)
	b.add(piece.data)
	b.crc = crc32Combine(b.crc, piece.crc, piece.size)
	b.size += piece.size
}

// Len finishes the body and returns its length in bytes.
func (b *Body) Len() int64 {
	if b.gzip && !b.done {
		b.done = true
		trailer := make([]byte, 0, len(finalBlock)+8)
		trailer = append(trailer, finalBlock...)
		trailer = append(trailer, byte(b.crc), byte(b.crc>>8), byte(b.crc>>16), byte(b.crc>>24))
		trailer = append(trailer, byte(b.size), byte(b.size>>8), byte(b.size>>16), byte(b.size>>24))
		b.add(trailer)
	}
	b.done = true
	return b.n
}

// WriteTo finishes the body and writes it to w.
func (b *Body) WriteTo(w io.Writer) (int64, error) {
	b.Len()
	var n int64
	for _, p := range b.parts {
		m, err := w.Write(p)
		n += int64(m)
		if err != nil {
			return n, err
		}
	}
	return n, nil
}
