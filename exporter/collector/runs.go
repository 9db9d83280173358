package collector

import (
	"crypto/sha256"
	"encoding/binary"
	"hash"
	"math"
	"math/bits"

	dto "github.com/prometheus/client_model/go"
)

// A family's series are encoded and compressed in runs, and each run is
// known by a key: the SHA-256 of everything its bytes depend on. A reload
// looks up the key of each run among the previous snapshot's runs and
// reuses their compressed bytes, so it only encodes and compresses the runs
// that changed. For that, a run's boundaries depend only on its own series
// (content-defined, as in rsync or restic): a series ends a run when the
// hash of its figure_id falls on a multiple of a number (runLength). Adding or
// removing a figure then changes the one run it falls in (or, when it is a
// cut itself, splits or joins two), and every other run stays the same.

// runLength is the mean length of a run in series (every) and its bound
// (longest), by kind of family. Each run starts DEFLATE afresh, so short
// runs compress worse, while a change encodes a whole run again (a run of
// 1024 info series, ~370 kB, in some 15 ms). At 100k figures the
// exposition compresses to 7.42 MB in runs of 512 series of every family,
// to 7.30 MB with the lengths below and to 7.23 MB as one stream per
// family. Timestamp series are short (~75 bytes against ~170 for a
// curated series and ~360 for an info series), so their runs hold more.
// The bound is 8 times the mean: a run that long without a cut has a
// chance of e^-8, and only such runs shift when series are added before
// them.
var runLength = [...]struct {
	every   uint64
	longest int
}{
	kindCurated:   {1024, 8192},
	kindInfo:      {1024, 8192},
	kindPublished: {2048, 16384},
	kindRevised:   {2048, 16384},
	kindSingle:    {1, 1},
}

// span is the series [start, end) of a family; header says whether its
// encoding starts with the family's HELP and TYPE lines.
type span struct {
	start, end int
	header     bool
}

// cutRuns cuts a family's series into runs of every series on average,
// longest at most.
func cutRuns(ss []series, every uint64, longest int) []span {
	var runs []span
	start := 0
	for i := range ss {
		if i+1-start >= longest || endsRun(ss[i].id, every) || i == len(ss)-1 {
			runs = append(runs, span{start: start, end: i + 1, header: start == 0})
			start = i + 1
		}
	}
	return runs
}

// endsRun says whether the series of a figure ends its run, in runs of
// every series on average.
func endsRun(id string, every uint64) bool {
	return id != "" && idHash(id)%every == 0
}

// idHash hashes a figure id, eight bytes at a time, with a fixed seed: the
// same dataset is cut the same way in every process, so that its
// compressed exposition (and a benchmark's body size) does not vary from
// run to run. Its quality only matters for the spread of run lengths.
func idHash(s string) uint64 {
	const m1, m2 = 0x9e3779b97f4a7c15, 0xff51afd7ed558ccd
	h := uint64(len(s)) * m1
	for ; len(s) >= 8; s = s[8:] {
		v := uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
			uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
		h = bits.RotateLeft64(h^v*m2, 31) * m1
	}
	for i := 0; i < len(s); i++ {
		h = (h ^ uint64(s[i])) * m1
	}
	h ^= h >> 33 // murmur3's finaliser
	h *= m2
	h ^= h >> 33
	h *= 0xc4ceb9fe1a85ec53
	return h ^ h>>33
}

// runKey is the SHA-256 of the content of a run. The format is not in it:
// keys are looked up among the runs of one format only.
type runKey [sha256.Size]byte

// keyWriter hashes the content of runs. Each string is written with its
// length before it, so that different contents never write the same bytes.
type keyWriter struct {
	h   hash.Hash
	buf []byte
}

func newKeyWriter() *keyWriter { return &keyWriter{h: sha256.New(), buf: make([]byte, 0, 16<<10)} }

func appendString(buf []byte, s string) []byte {
	return append(binary.AppendUvarint(buf, uint64(len(s))), s...)
}

// key is the key of the run r of f's series ss: what its encoding depends
// on. Every series line starts with the family's name (and, in
// OpenMetrics, a counter's lines depend on its type); the header also
// holds the help.
func (w *keyWriter) key(f *family, ss []series, r span) runKey {
	buf := appendString(w.buf[:0], f.name)
	buf = binary.AppendUvarint(buf, uint64(dto.MetricType_GAUGE)) // the type of every family (metricFamily)
	if r.header {
		buf = appendString(append(buf, 1), f.help)
	} else {
		buf = append(buf, 0)
	}
	for i := r.start; i < r.end; i++ {
		s := &ss[i]
		buf = binary.AppendUvarint(buf, uint64(len(s.labels)))
		for _, l := range s.labels {
			buf = appendString(appendString(buf, l.name), l.value)
		}
		buf = binary.LittleEndian.AppendUint64(buf, math.Float64bits(s.value))
		if len(buf) >= 8<<10 {
			w.h.Write(buf)
			buf = buf[:0]
		}
	}
	return w.sum(buf)
}

// sum hashes what is left in buf and returns the key.
func (w *keyWriter) sum(buf []byte) (k runKey) {
	w.h.Write(buf)
	w.h.Sum(k[:0])
	w.h.Reset()
	w.buf = buf[:0]
	return k
}

// familyKey is the key of a whole family from the keys of its runs (which
// cover its name, type, help and every series), for formats that encode a
// family in one piece.
func (w *keyWriter) familyKey(runs []runKey) runKey {
	buf := appendString(w.buf[:0], "family")
	for _, k := range runs {
		buf = append(buf, k[:]...)
	}
	return w.sum(buf)
}
