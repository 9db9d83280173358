package exposition

import (
	"bytes"
	"compress/flate"
	"encoding/binary"
	"hash/crc32"
	"io"
	"net"
	"sync"

	"github.com/prometheus/common/expfmt"
)

// gzipHeader is a gzip member header without name, comment or time (RFC
// 1952), with the OS byte Go's gzip.Writer writes.
var gzipHeader = []byte{0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff}

// tailLevel is the flate level of a scrape's own part (the Go, process,
// promhttp and reload families, 15 to 30 kB): stored blocks. Even
// flate.BestSpeed would double a scrape's CPU to save some 20 kB.
const tailLevel = flate.NoCompression

// scratch is what a gzip body needs per scrape, pooled.
type scratch struct {
	zw      *flate.Writer
	buf     bytes.Buffer
	trailer [8]byte
}

var scratches = sync.Pool{New: func() any {
	zw, _ := flate.NewWriter(nil, tailLevel) // the level is valid
	return &scratch{zw: zw}
}}

// Body is one response body: the exposition's families in one format, then
// a scrape's own. Write it with WriteTo, once, then Close it.
type Body struct {
	// inflate, for an uncompressed body, is the cached encoding, written
	// inflated before bufs.
	inflate *encoding
	bufs    net.Buffers
	size    int64
	s       *scratch // nil for an uncompressed body
}

// Body returns the families in format followed by tail (the scrape's own
// families in format, closed with OpenMetrics' # EOF), gzipped if gz is
// set. The families are encoded in format on first use; should that fail,
// the error comes back each time, for the caller to serve otherwise.
//
// A gzip body is one member: the header, the cached DEFLATE blocks (ending
// with a sync flush), tail in stored blocks ending with the final block,
// and the trailer, whose CRC-32 continues the cached bytes' with tail's.
func (e *Exposition) Body(format expfmt.Format, gz bool, tail []byte) (*Body, error) {
	enc, err := e.encoded(format)
	if err != nil {
		return nil, err
	}
	if !gz {
		return &Body{inflate: enc, bufs: net.Buffers{tail}, size: enc.size + int64(len(tail))}, nil
	}
	s := scratches.Get().(*scratch)
	s.buf.Reset()
	s.zw.Reset(&s.buf)
	// Writes to a bytes.Buffer do not fail.
	_, _ = s.zw.Write(tail)
	_ = s.zw.Close()
	binary.LittleEndian.PutUint32(s.trailer[:4], crc32.Update(enc.crc, crc32.IEEETable, tail))
	binary.LittleEndian.PutUint32(s.trailer[4:], uint32(enc.size+int64(len(tail)))) // ISIZE is the length mod 2^32
	b := &Body{bufs: net.Buffers{gzipHeader, enc.deflate, s.buf.Bytes(), s.trailer[:]}, s: s}
	for _, p := range b.bufs {
		b.size += int64(len(p))
	}
	return b, nil
}

// inflaters are flate readers, pooled: each holds some 40 kB.
var inflaters = sync.Pool{New: func() any { return flate.NewReader(nil) }}

// Len is the length of the body, for Content-Length.
func (b *Body) Len() int64 { return b.size }

// WriteTo writes the body to w.
func (b *Body) WriteTo(w io.Writer) (int64, error) {
	var n int64
	if b.inflate != nil {
		zr := inflaters.Get().(io.ReadCloser)
		defer inflaters.Put(zr)
		_ = zr.(flate.Resetter).Reset(bytes.NewReader(b.inflate.deflate), nil) // never fails
		// CopyN, as the stream has no final block: reading past the
		// cached bytes would be an unexpected EOF.
		var err error
		if n, err = io.CopyN(w, zr, b.inflate.size); err != nil {
			return n, err
		}
	}
	k, err := b.bufs.WriteTo(w)
	return n + k, err
}

// Close releases what the body holds for the next scrape; b must not be
// used after.
func (b *Body) Close() {
	if b.s != nil {
		scratches.Put(b.s)
		b.s = nil
	}
}
