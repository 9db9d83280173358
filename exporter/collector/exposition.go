package collector

import (
	"bytes"
	"compress/flate"
	"fmt"
	"hash/crc32"
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
var chunkSize = 1 << 20

// gzipLevel is the flate level of the cached pieces. Compression runs once
// per reload, while its output is sent on every scrape: level 6 makes 10 %
// fewer bytes than level 2 at twice the time (100k figures: 7.2 MB in
// 0.8 s against 8.3 MB in 0.3 s, on one core).
const gzipLevel = 6

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
	e.Encoding(expfmt.NegotiateAccept(h, expfmt.DefaultOpenMetricsAcceptedFormats()...))
}

// Encoding is the snapshot encoded in one format and compressed, in DEFLATE
// pieces of at most chunkSize uncompressed bytes that never straddle two
// families. The uncompressed bytes are never held whole (at 100k figures
// they are ~80 MB, the pieces ~7 MB): encoding streams them to the
// compressor a chunk at a time, and the rare client that refuses gzip gets
// them inflated on the fly.
type Encoding struct {
	format expfmt.Format
	once   sync.Once
	err    error
	off    []int // family i is bytes off[i] to off[i+1] of the exposition

	chunks []deflatePiece // data moved to gz
	gz     []byte         // the compressed chunks, back to back
	gzOff  []int          // chunk k is gz[gzOff[k]:gzOff[k+1]]
	first  []int          // chunks of family i are chunks[first[i]:first[i+1]]
	runs   sync.Map       // [2]int -> *gzipRun
}

// chunker receives the encoder's output and cuts it into chunks.
type chunker struct {
	cur   []byte
	total int
	emit  func([]byte)
}

func (c *chunker) Write(p []byte) (int, error) {
	n := len(p)
	c.total += n
	for len(c.cur)+len(p) >= chunkSize {
		k := chunkSize - len(c.cur)
		c.cur = append(c.cur, p[:k]...)
		p = p[k:]
		c.cut()
	}
	c.cur = append(c.cur, p...)
	return n, nil
}

// cut hands over the bytes written since the last cut, if any.
func (c *chunker) cut() {
	if len(c.cur) > 0 {
		c.emit(c.cur)
		c.cur = getChunk()
	}
}

// chunkBuffers are reused by the chunker: a buffer goes back once its chunk
// is compressed.
var chunkBuffers sync.Pool

func getChunk() []byte {
	if b, ok := chunkBuffers.Get().(*[]byte); ok && cap(*b) >= chunkSize {
		return (*b)[:0]
	}
	return make([]byte, 0, chunkSize)
}

func putChunk(b []byte) { chunkBuffers.Put(&b) }

// compressWorkers is how many goroutines compress beside the one encoding:
// together at most half the cores, so that scrapes served meanwhile (from
// the previous snapshot) keep theirs. With 0, the encoder compresses.
func compressWorkers() int { return runtime.GOMAXPROCS(0)/2 - 1 }

func (enc *Encoding) encode(fams []*dto.MetricFamily) (err error) {
	var (
		pieces []*deflatePiece
		jobs   chan func()
		wg     sync.WaitGroup
	)
	if n := compressWorkers(); n > 0 {
		jobs = make(chan func(), n)
		for range n {
			wg.Go(func() {
				for job := range jobs {
					job()
				}
			})
		}
	}
	defer func() {
		if jobs != nil {
			close(jobs)
		}
		wg.Wait()
		// The encoders panic on a format they do not know.
		if r := recover(); r != nil {
			err = fmt.Errorf("encoding %s: %v", enc.format, r)
		}
	}()
	c := &chunker{cur: getChunk(), emit: func(data []byte) {
		piece := &deflatePiece{}
		pieces = append(pieces, piece)
		job := func() {
			*piece = deflate(data)
			putChunk(data)
		}
		if jobs != nil {
			jobs <- job
		} else {
			job()
		}
	}}
	e := expfmt.NewEncoder(c, enc.format)
	enc.off = make([]int, 0, len(fams)+1)
	enc.first = make([]int, 0, len(fams)+1)
	for _, mf := range fams {
		enc.off = append(enc.off, c.total)
		enc.first = append(enc.first, len(pieces))
		if err := e.Encode(mf); err != nil {
			return fmt.Errorf("encoding %s in %s: %w", mf.GetName(), enc.format, err)
		}
		c.cut()
	}
	enc.off = append(enc.off, c.total)
	enc.first = append(enc.first, len(pieces))
	putChunk(c.cur)
	// Close would write the end of the exposition (OpenMetrics' # EOF); the
	// scrape writes it after its dynamic families.
	if jobs != nil {
		close(jobs)
		jobs = nil
	}
	wg.Wait()

	// Back to back in one buffer, so that a run of families is one slice,
	// written with one call.
	total := 0
	for _, p := range pieces {
		total += len(p.data)
	}
	enc.gz = make([]byte, 0, total)
	enc.gzOff = make([]int, 0, len(pieces)+1)
	enc.chunks = make([]deflatePiece, len(pieces))
	for k, p := range pieces {
		enc.gzOff = append(enc.gzOff, len(enc.gz))
		enc.gz = append(enc.gz, p.data...)
		enc.chunks[k] = deflatePiece{crc: p.crc, size: p.size}
	}
	enc.gzOff = append(enc.gzOff, len(enc.gz))
	return nil
}

// Format is the format of the encoding.
func (enc *Encoding) Format() expfmt.Format { return enc.format }

// Raw returns the encoded families [i, j), inflated.
func (enc *Encoding) Raw(i, j int) []byte {
	var buf bytes.Buffer
	buf.Grow(enc.off[j] - enc.off[i])
	enc.gzipRun(i, j).inflateTo(&buf)
	return buf.Bytes()
}

// Size is the length of the whole encoded snapshot, uncompressed.
func (enc *Encoding) Size() int { return enc.off[len(enc.off)-1] }

// CompressedSize is the length of the compressed snapshot.
func (enc *Encoding) CompressedSize() int { return len(enc.gz) }

// gzipRun is families [i, j) compressed: DEFLATE blocks (ending with a sync
// flush), with the CRC and length of their uncompressed bytes.
type gzipRun struct {
	data  []byte
	crc   uint32
	size  int64
	shift uint32 // x^(8*size) mod the CRC polynomial: appends the run to a CRC
}

// inflateTo writes the uncompressed bytes of the run to w.
func (r *gzipRun) inflateTo(w io.Writer) (int64, error) {
	zr := flate.NewReader(io.MultiReader(bytes.NewReader(r.data), bytes.NewReader(finalBlock)))
	defer zr.Close()
	return io.Copy(w, zr)
}

func (enc *Encoding) gzipRun(i, j int) *gzipRun {
	key := [2]int{i, j}
	if r, ok := enc.runs.Load(key); ok {
		return r.(*gzipRun)
	}
	// The chunks of a run are adjacent in enc.gz.
	r := &gzipRun{data: enc.gz[enc.gzOff[enc.first[i]]:enc.gzOff[enc.first[j]]]}
	for _, c := range enc.chunks[enc.first[i]:enc.first[j]] {
		r.crc = crc32Combine(r.crc, c.crc, c.size)
		r.size += c.size
	}
	r.shift = x2nModP(r.size, 3)
	v, _ := enc.runs.LoadOrStore(key, r)
	return v.(*gzipRun)
}

// Body is one response body assembled from runs of the cached encoding and
// bytes encoded for this scrape, either as they are or as one gzip stream.
type Body struct {
	enc   *Encoding
	gzip  bool
	parts []bodyPart
	crc   uint32
	size  int64 // uncompressed bytes so far
	n     int64 // bytes the parts write
	done  bool
}

// bodyPart is bytes to send, or a compressed run to send inflated.
type bodyPart struct {
	data     []byte
	inflated *gzipRun
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
		b.parts = append(b.parts, bodyPart{data: p})
		b.n += int64(len(p))
	}
}

// Snapshot appends the cached families [i, j).
func (b *Body) Snapshot(i, j int) {
	if i >= j {
		return
	}
	if !b.gzip {
		r := b.enc.gzipRun(i, j)
		b.parts = append(b.parts, bodyPart{inflated: r})
		b.n += r.size
		return
	}
	r := b.enc.gzipRun(i, j)
	b.add(r.data)
	b.crc = multModP(r.shift, b.crc) ^ r.crc // crc32Combine(b.crc, r.crc, r.size)
	b.size += r.size
}

// Dynamic appends bytes encoded for this scrape. In a gzip body they go in
// stored (uncompressed) DEFLATE blocks: they are a few kilobytes, and
// compressing them would cost more CPU than the rest of the scrape (a
// DEFLATE block with its own Huffman tables per run of families), to save a
// few kilobytes on the wire.
func (b *Body) Dynamic(p []byte) {
	if len(p) == 0 {
		return
	}
	if !b.gzip {
		b.add(p)
		return
	}
	for rest := p; len(rest) > 0; {
		n := min(len(rest), 0xffff)
		b.add([]byte{0x00, byte(n), byte(n >> 8), ^byte(n), ^byte(n >> 8)}) // BFINAL 0, BTYPE 00, LEN, NLEN
		b.add(rest[:n])
		rest = rest[n:]
	}
	b.crc = crc32.Update(b.crc, crc32.IEEETable, p)
	b.size += int64(len(p))
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
		var m int64
		var err error
		if p.inflated != nil {
			m, err = p.inflated.inflateTo(w)
		} else {
			var k int
			k, err = w.Write(p.data)
			m = int64(k)
		}
		n += m
		if err != nil {
			return n, err
		}
	}
	return n, nil
}
