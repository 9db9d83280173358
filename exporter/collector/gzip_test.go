package collector

import (
	"bytes"
	"compress/gzip"
	"hash/crc32"
	"io"
	"math/rand/v2"
	"testing"
)

func TestCRC32Combine(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	data := make([]byte, 4<<20)
	for i := range data {
		data[i] = byte(r.Uint32())
	}
	for _, tc := range []struct {
		name string
		a, b int
	}{
		{"both empty", 0, 0},
		{"empty second", 100, 0},
		{"empty first", 0, 100},
		{"one byte each", 1, 1},
		{"odd sizes", 1234, 56789},
		{"megabytes", 1 << 20, 2<<20 + 17},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a, b := data[:tc.a], data[tc.a:tc.a+tc.b]
			want := crc32.ChecksumIEEE(data[:tc.a+tc.b])
			if got := crc32Combine(crc32.ChecksumIEEE(a), crc32.ChecksumIEEE(b), int64(len(b))); got != want {
				t.Errorf("crc32Combine = %08x, want %08x", got, want)
			}
		})
	}
}

// TestSplicedGzip: pieces compressed apart, spliced
// into one stream, decode as one ordinary gzip member to their
// concatenation.
func TestSplicedGzip(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	text := func(n int) []byte {
		var b bytes.Buffer
		for b.Len() < n {
			b.WriteString([]string{"figures_figure_info{", "figure_id=\"", "kp-", "2023", "} 1\n", "# HELP x y\n"}[r.IntN(6)])
		}
		return b.Bytes()[:n]
	}
	for _, tc := range []struct {
		name  string
		sizes []int
	}{
		{"nothing", nil},
		{"one piece", []int{1000}},
		{"empty pieces", []int{0, 10, 0}},
		{"many", []int{5, 70000, 3, 1 << 20, 12}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var want []byte
			var pieces []deflatePiece
			for _, n := range tc.sizes {
				p := text(n)
				want = append(want, p...)
				pieces = append(pieces, deflate(p))
			}
			enc := &Encoding{}
			b := enc.NewBody(true)
			for _, p := range pieces {
				b.add(p.data)
				b.crc = crc32Combine(b.crc, p.crc, p.size)
				b.size += p.size
			}
			var out bytes.Buffer
			if _, err := b.WriteTo(&out); err != nil {
				t.Fatal(err)
			}
			if int64(out.Len()) != b.Len() {
				t.Errorf("Len %d, wrote %d", b.Len(), out.Len())
			}
			zr, err := gzip.NewReader(&out)
			if err != nil {
				t.Fatal(err)
			}
			zr.Multistream(false)
			got, err := io.ReadAll(zr) // checks the CRC and size too
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, want) {
				t.Fatalf("decoded %d bytes, want %d", len(got), len(want))
			}
			if out.Len() != 0 {
				t.Errorf("%d bytes after the gzip member", out.Len())
			}
		})
	}
}
