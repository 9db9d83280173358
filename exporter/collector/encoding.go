package collector

import (
	"bytes"
	"sync"

	"github.com/prometheus/common/expfmt"
)

// gzipLevel is the flate level of the cached pieces. Compression runs once
// per reload (and only for the runs that changed), while its output is sent
// on every scrape: level 6 makes 10 % fewer bytes than level 2 at twice the
// time.
const gzipLevel = 6

// Encoding is the snapshot encoded in one format and compressed, one
// DEFLATE piece per run of series (runs.go), back to back. The uncompressed
// bytes are never held whole (at 100k figures they are ~80 MB, the pieces
// ~7 MB): each run is compressed as soon as it is encoded, and the rare
// client that refuses gzip gets them inflated on the fly.
type Encoding struct {
	format expfmt.Format
	done   chan struct{} // closed once the fields below are set
	err    error

	gz     []byte    // the compressed runs, back to back
	off    []int     // run k is gz[off[k]:off[k+1]]
	runs   []runMeta // in the order of gz
	first  []int     // the runs of family i are runs[first[i]:first[i+1]]
	size   int64     // uncompressed length of the whole
	reused int       // runs taken from the previous snapshot
	ranges sync.Map  // [2]int -> *familyRange
}

// runMeta is what a scrape and the next reload need of a compressed run.
type runMeta struct {
	key  runKey
	crc  uint32 // of the uncompressed bytes
	size int64  // length of the uncompressed bytes
}

func newEncoding(format expfmt.Format) *Encoding {
	return &Encoding{format: format, done: make(chan struct{})}
}

// Format is the format of the encoding.
func (enc *Encoding) Format() expfmt.Format { return enc.format }

// Raw returns the encoded families [i, j), inflated.
func (enc *Encoding) Raw(i, j int) []byte {
	r := enc.familyRange(i, j)
	var buf bytes.Buffer
	buf.Grow(int(r.size))
	r.inflateTo(&buf)
	return buf.Bytes()
}

// Size is the length of the whole encoded snapshot, uncompressed.
func (enc *Encoding) Size() int64 { return enc.size }

// CompressedSize is the length of the compressed snapshot.
func (enc *Encoding) CompressedSize() int { return len(enc.gz) }

// Runs returns how many runs the encoding has and how many of them were
// taken, compressed, from the previous snapshot.
func (enc *Encoding) Runs() (total, reused int) { return len(enc.runs), enc.reused }

// pieces indexes the compressed runs by key, for the next reload to reuse.
func (enc *Encoding) pieces() map[runKey]deflatePiece {
	m := make(map[runKey]deflatePiece, len(enc.runs))
	for k, r := range enc.runs {
		m[r.key] = deflatePiece{data: enc.gz[enc.off[k]:enc.off[k+1]], crc: r.crc, size: r.size}
	}
	return m
}
