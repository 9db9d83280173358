package collector

import (
	"bytes"
	"compress/flate"
	"hash/crc32"
	"sync"
)

// A gzip stream (RFC 1952) is a header, one DEFLATE stream (RFC 1951), the
// CRC-32 of the uncompressed data and its length. A DEFLATE stream is a
// sequence of blocks, and a block compressed by a fresh compressor never
// refers to data before it. So pieces compressed independently, each ended
// with a sync flush (non-final blocks, byte-aligned), can be concatenated
// into one valid stream, closed with an empty final block; the CRC of the
// whole follows from the CRCs and lengths of the pieces (crc32Combine).
// The exposition uses this to compress the snapshot once per reload and
// only the few dynamic families per scrape, and still send one ordinary
// single-member gzip stream that every client reads (curl, browsers,
// Prometheus' scrape loop).

// gzipHeader is the header Go's gzip.Writer writes for a stream with no
// name, comment or modification time: magic, CM=deflate, no flags, MTIME 0,
// XFL 0, OS unknown (255).
var gzipHeader = []byte{0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff}

// finalBlock is an empty stored block with BFINAL set: it ends the DEFLATE
// stream after pieces that each end with a sync flush.
var finalBlock = []byte{0x01, 0x00, 0x00, 0xff, 0xff}

// deflatePiece is one independently compressed piece of a stream.
type deflatePiece struct {
	data []byte // DEFLATE blocks ending with a sync flush
	crc  uint32 // CRC-32 (IEEE) of the uncompressed bytes
	size int64  // length of the uncompressed bytes
}

// writers are flate writers at gzipLevel; each holds about 1 MB of state,
// so they are reused across the runs of a reload and across reloads.
var writers = sync.Pool{New: func() any {
	w, _ := flate.NewWriter(nil, gzipLevel) // the level is a valid constant
	return w
}}

// deflate compresses p as one piece.
func deflate(p []byte) deflatePiece {
	var buf bytes.Buffer
	buf.Grow(len(p)/4 + 64)
	w := writers.Get().(*flate.Writer)
	w.Reset(&buf)
	w.Write(p)
	w.Flush()
	writers.Put(w)
	return deflatePiece{data: buf.Bytes(), crc: crc32.ChecksumIEEE(p), size: int64(len(p))}
}

// crc32Combine returns the CRC-32 (IEEE) of A+B from crc(A), crc(B) and
// len(B), in O(log len(B)); the method is zlib's crc32_combine.
func crc32Combine(crcA, crcB uint32, lenB int64) uint32 {
	return multModP(x2nModP(lenB, 3), crcA) ^ crcB
}

const crcPoly = 0xedb88320 // IEEE, reflected

// multModP multiplies a and b modulo the CRC polynomial (reflected bits).
func multModP(a, b uint32) uint32 {
	m := uint32(1) << 31
	var p uint32
	for {
		if a&m != 0 {
			p ^= b
			if a&(m-1) == 0 {
				break
			}
		}
		m >>= 1
		if b&1 != 0 {
			b = b>>1 ^ crcPoly
		} else {
			b >>= 1
		}
	}
	return p
}

// x2nTable[k] is x^(2^k) modulo the CRC polynomial.
var x2nTable = func() (t [32]uint32) {
	p := uint32(1) << 30 // x^1
	t[0] = p
	for n := 1; n < 32; n++ {
		p = multModP(p, p)
		t[n] = p
	}
	return t
}()

// x2nModP returns x^(n * 2^k) modulo the CRC polynomial.
func x2nModP(n int64, k uint) uint32 {
	p := uint32(1) << 31 // x^0
	for n != 0 {
		if n&1 != 0 {
			p = multModP(x2nTable[k&31], p)
		}
		n >>= 1
		k++
	}
	return p
}
