package collector

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"testing"
	"time"

	"github.com/prometheus/common/expfmt"

	"github.com/figures-exporter/figures_exporter/bench/synth"
	"github.com/figures-exporter/figures_exporter/exporter/figures"
)

// TestExpositionChunks: however the encoding is cut into compressed chunks
// (within families, at their ends), each run of families inflates to what
// expfmt encodes for those families, and a body spliced from runs and
// dynamic bytes of any length is one gzip member holding all of them.
func TestExpositionChunks(t *testing.T) {
	var data bytes.Buffer
	if err := synth.Generate(&data, 300, 0); err != nil {
		t.Fatal(err)
	}
	ds, diags := figures.Parse([]figures.RawFile{{Name: "synthetic.yaml", Data: data.Bytes()}}, time.Now())
	if ds == nil {
		t.Fatal(diags)
	}
	defer func(size int) { chunkSize = size }(chunkSize)
	for _, size := range []int{1000, 65536, 1 << 20} {
		for _, format := range []expfmt.Format{expfmt.NewFormat(expfmt.TypeTextPlain), expfmt.NewFormat(expfmt.TypeOpenMetrics)} {
			t.Run(fmt.Sprintf("chunk %d/%s", size, format), func(t *testing.T) {
				chunkSize = size
				snap := Build(ds, diags, time.Unix(0, 0))
				expo := snap.Exposition()
				enc, err := expo.Encoding(format)
				if err != nil {
					t.Fatal(err)
				}
				n := len(expo.Names())
				var want bytes.Buffer
				e := expfmt.NewEncoder(&want, format)
				ends := []int{0}
				for _, mf := range expo.Families() {
					if err := e.Encode(mf); err != nil {
						t.Fatal(err)
					}
					ends = append(ends, want.Len())
				}
				if enc.Size() != want.Len() {
					t.Fatalf("Size %d, want %d", enc.Size(), want.Len())
				}
				for _, r := range [][2]int{{0, n}, {0, 1}, {n - 1, n}, {3, n / 2}} {
					if got := enc.Raw(r[0], r[1]); !bytes.Equal(got, want.Bytes()[ends[r[0]]:ends[r[1]]]) {
						t.Fatalf("Raw(%d, %d) differs from expfmt's encoding", r[0], r[1])
					}
				}
				// Dynamic parts: empty, small, and larger than one stored
				// block (65535 bytes).
				big := bytes.Repeat([]byte("go_dynamic_metric 1\n"), 5000)
				for _, gz := range []bool{true, false} {
					b := enc.NewBody(gz)
					b.Dynamic(nil)
					b.Dynamic([]byte("a_first 1\n"))
					b.Snapshot(0, n/2)
					b.Dynamic(big)
					b.Snapshot(n/2, n)
					b.Dynamic([]byte("# EOF\n"))
					wantBody := append(append(append(append([]byte("a_first 1\n"), want.Bytes()[:ends[n/2]]...), big...), want.Bytes()[ends[n/2]:]...), "# EOF\n"...)
					var out bytes.Buffer
					if _, err := b.WriteTo(&out); err != nil {
						t.Fatal(err)
					}
					if int64(out.Len()) != b.Len() {
						t.Fatalf("gzip %v: Len %d, wrote %d", gz, b.Len(), out.Len())
					}
					got := out.Bytes()
					if gz {
						zr, err := gzip.NewReader(&out)
						if err != nil {
							t.Fatal(err)
						}
						zr.Multistream(false)
						if got, err = io.ReadAll(zr); err != nil {
							t.Fatal(err)
						}
					}
					if !bytes.Equal(got, wantBody) {
						t.Fatalf("gzip %v: body differs (%d bytes, want %d)", gz, len(got), len(wantBody))
					}
				}
			})
		}
	}
}
