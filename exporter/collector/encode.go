package collector

import (
	"bytes"
	"fmt"
	"mime"
	"sync"
	"sync/atomic"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
)

// One encoding pass makes the series of every family from the dataset,
// cuts them into runs, keys each run, takes the compressed bytes of every
// run whose key the previous snapshot has, and encodes (with expfmt, so the
// bytes are promhttp's) and compresses only the others. Families and runs
// are jobs on a pool; a family's series are dropped once its runs are
// done.

// target is one format being encoded in a pass.
type target struct {
	enc   *Encoding
	split bool                    // runs within families; else one per family
	prev  map[runKey]deflatePiece // the previous snapshot's runs in this format
	fams  [][]piece               // the runs of each family, in order
	mu    sync.Mutex              // guards err
	err   error
}

// piece is one compressed run of a target.
type piece struct {
	deflatePiece
	key    runKey
	reused bool
}

func (t *target) fail(err error) {
	t.mu.Lock()
	if t.err == nil {
		t.err = err
	}
	t.mu.Unlock()
}

// splitsFamilies says whether format writes a family as header lines and
// then one line per series, so that a run of series can be encoded apart
// (text, OpenMetrics 0.0.1 and 1.0.0). The protobuf formats write a family
// as one message: it is one run.
func splitsFamilies(format expfmt.Format) bool {
	switch format.FormatType() {
	case expfmt.TypeTextPlain:
		return true
	case expfmt.TypeOpenMetrics:
		_, params, err := mime.ParseMediaType(string(format))
		return err == nil && (params["version"] == expfmt.OpenMetricsVersion_1_0_0 || params["version"] == expfmt.OpenMetricsVersion_0_0_1)
	}
	return false
}

// encode fills encs, reusing the runs of the encodings in prev (by
// format), on workers goroutines besides the caller. Build's pass (keep)
// records each family's layout; given what the previous snapshot kept
// (old, in Build's pass only), it takes the families that did not change,
// or changed in a few figures, from there (layout.go).
func (e *Exposition) encode(encs []*Encoding, prev map[expfmt.Format]*Encoding, old *previous, keep bool, workers int) {
	targets := make([]*target, len(encs))
	for k, enc := range encs {
		t := &target{enc: enc, split: splitsFamilies(enc.format), fams: make([][]piece, len(e.fams))}
		if old := prev[enc.format]; old != nil {
			t.prev = old.pieces()
		}
		targets[k] = t
	}
	p := newPool(workers)
	for i, f := range e.fams {
		p.Go(func() {
			if !old.reuse(p, e, f, i, targets) {
				encodeFamily(p, e, f, i, targets, keep)
			}
		})
	}
	p.Wait()
	for _, t := range targets {
		t.assemble()
		close(t.enc.done)
	}
}

// slot is where the encoding of a run in one format goes.
type slot struct {
	t *target
	p *piece
}

// reuse takes the piece of key from the previous snapshot, if it has it.
func (s slot) reuse(key runKey) bool {
	s.p.key = key
	old, ok := s.t.prev[key]
	if ok {
		s.p.deflatePiece, s.p.reused = old, true
	}
	return ok
}

// partFigures is how many figures' series one job makes: the info family
// of 100k figures is made on all the pass's cores, in 13 parts.
const partFigures = 8192

// encodeFamily makes the series of family i in parts, one job each; the
// job that finishes the last part orders them and submits the runs.
func encodeFamily(p *pool, e *Exposition, f *family, i int, targets []*target, keep bool) {
	if f.kind != kindSingle {
		e.stats[i].whole.Store(true)
	}
	parts := make([][]series, max(1, (len(f.figs)+partFigures-1)/partFigures))
	var left, unordered atomic.Int64
	left.Store(int64(len(parts)))
	for k := range parts {
		p.Go(func() {
			from, to := min(k*partFigures, len(f.figs)), min((k+1)*partFigures, len(f.figs))
			parts[k] = f.seriesOf(e.ds, f.figs[from:to])
			for j := range parts[k] {
				parts[k][j].fig += int32(from)
			}
			e.stats[i].made.Add(int64(to - from))
			if !f.orderedFrom(from, to) {
				unordered.Add(1)
			}
			if left.Add(-1) == 0 {
				encodeRuns(p, f, i, f.order(parts, unordered.Load() == 0), targets, keep)
			}
		})
	}
}

// encodeRuns cuts the sorted series of family i into runs, each a job on
// p that keys the run, reuses what the previous snapshot has and encodes
// the rest; with keep, it records the family's layout. In formats that encode a family in one piece, the family's key
// follows from its runs' keys: the job that keys the last run submits that
// piece.
func encodeRuns(p *pool, f *family, i int, ss []series, targets []*target, keep bool) {
	if len(ss) == 0 {
		return // never: empty families are not served (familiesOf)
	}
	runs := cutRuns(ss, runLength[f.kind].every, runLength[f.kind].longest)
	if keep && f.kind != kindSingle {
		f.layout = layoutOf(ss, runs)
	}
	keys := make([]runKey, len(runs))
	var split, whole []*target
	for _, t := range targets {
		if t.split {
			split = append(split, t)
			t.fams[i] = make([]piece, len(runs))
		} else {
			whole = append(whole, t)
			t.fams[i] = make([]piece, 1)
		}
	}
	var unkeyed atomic.Int64
	unkeyed.Store(int64(len(runs)))
	for k, r := range runs {
		p.Go(func() {
			w := keyWriters.Get().(*keyWriter)
			keys[k] = w.key(f, ss, r)
			if unkeyed.Add(-1) == 0 && len(whole) > 0 {
				key := w.familyKey(keys)
				var slots []slot
				for _, t := range whole {
					if s := (slot{t, &t.fams[i][0]}); !s.reuse(key) {
						slots = append(slots, s)
					}
				}
				if len(slots) > 0 {
					p.Go(func() { encodeRun(f, ss, true, slots) })
				}
			}
			keyWriters.Put(w)
			var slots []slot
			for _, t := range split {
				if s := (slot{t, &t.fams[i][k]}); !s.reuse(keys[k]) {
					slots = append(slots, s)
				}
			}
			if len(slots) > 0 {
				encodeRun(f, ss[r.start:r.end], r.header, slots)
			}
		})
	}
}

var keyWriters = sync.Pool{New: func() any { return newKeyWriter() }}

// encodeRun encodes and compresses the series ss of f in each slot's
// format.
func encodeRun(f *family, ss []series, header bool, slots []slot) {
	slabs := dtoPool.Get().(*dtoSlabs)
	defer slabs.release()
	mf := f.metricFamilyIn(slabs, ss)
	buf := runBuffers.Get().(*bytes.Buffer)
	defer runBuffers.Put(buf)
	for _, s := range slots {
		buf.Reset()
		data, err := encodeFamilyBytes(buf, s.t.enc.format, mf, header)
		if err != nil {
			s.t.fail(err)
			continue
		}
		s.p.deflatePiece = deflate(data)
	}
}

// runBuffers hold a run's uncompressed bytes until it is compressed.
var runBuffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// encodeFamilyBytes encodes mf in format into buf with expfmt. Without
// header, it returns the series lines alone: expfmt starts every family
// with its HELP and TYPE (and UNIT) comments, and a series line never
// starts with '#' (it starts with the name, or '{' for a quoted one).
func encodeFamilyBytes(buf *bytes.Buffer, format expfmt.Format, mf *dto.MetricFamily, header bool) (data []byte, err error) {
	defer func() {
		// The encoders panic on a format they do not know.
		if r := recover(); r != nil {
			err = fmt.Errorf("encoding %s: %v", format, r)
		}
	}()
	if err := expfmt.NewEncoder(buf, format).Encode(mf); err != nil {
		return nil, fmt.Errorf("encoding %s in %s: %w", mf.GetName(), format, err)
	}
	data = buf.Bytes()
	for !header && len(data) > 0 && data[0] == '#' {
		end := bytes.IndexByte(data, '\n')
		if end < 0 {
			return nil, fmt.Errorf("encoding %s in %s: unterminated comment line", mf.GetName(), format)
		}
		data = data[end+1:]
	}
	return data, nil
}

// assemble puts the target's pieces back to back into its encoding.
func (t *target) assemble() {
	enc := t.enc
	if t.err != nil {
		enc.err = t.err
		return
	}
	total, n := 0, 0
	for _, ps := range t.fams {
		n += len(ps)
		for _, pc := range ps {
			total += len(pc.data)
		}
	}
	enc.gz = make([]byte, 0, total)
	enc.off = make([]int, 0, n+1)
	enc.runs = make([]runMeta, 0, n)
	enc.first = make([]int, 0, len(t.fams)+1)
	for _, ps := range t.fams {
		enc.first = append(enc.first, len(enc.runs))
		for _, pc := range ps {
			enc.off = append(enc.off, len(enc.gz))
			enc.gz = append(enc.gz, pc.data...)
			enc.runs = append(enc.runs, runMeta{key: pc.key, crc: pc.crc, size: pc.size})
			enc.size += pc.size
			if pc.reused {
				enc.reused++
			}
		}
	}
	enc.first = append(enc.first, len(enc.runs))
	enc.off = append(enc.off, len(enc.gz))
}
