package collector

import (
	"bytes"
	"compress/flate"
	"hash/crc32"
	"io"
)

// familyRange is the families [i, j) of an encoding compressed: the DEFLATE
// pieces of their runs, back to back (each ends with a sync flush), with
// the CRC and length of their uncompressed bytes.
type familyRange struct {
	data  []byte
	crc   uint32
	size  int64
	shift uint32 // x^(8*size) mod the CRC polynomial: appends the range to a CRC
}

// inflateTo writes the uncompressed bytes of the range to w.
func (r *familyRange) inflateTo(w io.Writer) (int64, error) {
	zr := flate.NewReader(io.MultiReader(bytes.NewReader(r.data), bytes.NewReader(finalBlock)))
	defer zr.Close()
	return io.Copy(w, zr)
}

// familyRange returns the families [i, j) compressed; a scrape splices the
// same few ranges every time, so each is computed once.
func (enc *Encoding) familyRange(i, j int) *familyRange {
	key := [2]int{i, j}
	if r, ok := enc.ranges.Load(key); ok {
		return r.(*familyRange)
	}
	// The runs of consecutive families are adjacent in enc.gz.
	a, b := enc.first[i], enc.first[j]
	r := &familyRange{data: enc.gz[enc.off[a]:enc.off[b]]}
	for _, m := range enc.runs[a:b] {
		r.crc = crc32Combine(r.crc, m.crc, m.size)
		r.size += m.size
	}
	r.shift = x2nModP(r.size, 3)
	v, _ := enc.ranges.LoadOrStore(key, r)
	return v.(*familyRange)
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

// bodyPart is bytes to send, or a compressed range to send inflated.
type bodyPart struct {
	data     []byte
	inflated *familyRange
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
		r := b.enc.familyRange(i, j)
		b.parts = append(b.parts, bodyPart{inflated: r})
		b.n += r.size
		return
	}
	r := b.enc.familyRange(i, j)
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
