package collector

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"testing"
	"time"
)

// TestExpositionRuns: however the series are cut into runs (one series a
// run, tiny runs, the default), every range of families of every format
// inflates to what promhttp sends for them: expfmt's encoding of the
// families Gatherers normalise. Runs after the first of a family must carry
// no HELP or TYPE line, and nothing may be lost or doubled at a cut.
func TestExpositionRuns(t *testing.T) {
	for _, cut := range []struct {
		every   uint64
		longest int
		figures int // fewer for one series a run, which compresses each
	}{{1, 1, 60}, {3, 5, 200}, {512, 4096, 200}} {
		ds, diags := synthetic(t, cut.figures, 0)
		for _, format := range testFormats {
			t.Run(fmt.Sprintf("cut %d-%d/%d figures/%s", cut.every, cut.longest, cut.figures, format), func(t *testing.T) {
				withRuns(t, cut.every, cut.longest)
				snap := Build(ds, diags, time.Unix(0, 0), nil)
				enc, _ := encoding(t, snap, format)
				want, ends := reference(t, snap, format)
				n := len(snap.Exposition().Names())
				if len(ends) != n+1 {
					t.Fatalf("%d families, promhttp serves %d", n, len(ends)-1)
				}
				if enc.Size() != int64(len(want)) {
					t.Fatalf("Size %d, want %d", enc.Size(), len(want))
				}
				for _, r := range [][2]int{{0, n}, {0, 1}, {n - 1, n}, {3, n / 2}, {n / 2, n / 2}} {
					if got := enc.Raw(r[0], r[1]); !bytes.Equal(got, want[ends[r[0]]:ends[r[1]]]) {
						t.Fatalf("Raw(%d, %d) differs from promhttp's:\n%s", r[0], r[1], firstDifference(got, want[ends[r[0]]:ends[r[1]]]))
					}
				}
				// One run per series, or per family in the protobuf formats.
				series := 0
				for _, mf := range snap.Families() {
					series += len(mf.Metric)
				}
				if total, _ := enc.Runs(); cut.every == 1 && splitsFamilies(format) && total != series {
					t.Errorf("%d runs for one series a run, want %d", total, series)
				} else if !splitsFamilies(format) && total != n {
					t.Errorf("%d runs in a format that cannot split families, want one per family (%d)", total, n)
				}
			})
		}
	}
}

// TestBodySplicesDynamicParts: a body spliced from ranges of the cached
// runs and dynamic bytes of any length (empty, small, more than one stored
// block of 65535 bytes) is, gzipped, one gzip member holding all of them
// in order, and as it is without gzip.
func TestBodySplicesDynamicParts(t *testing.T) {
	withRuns(t, 7, 20)
	ds, diags := synthetic(t, 300, 0)
	snap := Build(ds, diags, time.Unix(0, 0), nil)
	enc, all := encoding(t, snap, PrometheusFormat())
	n := len(snap.Exposition().Names())
	_, ends := reference(t, snap, PrometheusFormat())
	big := bytes.Repeat([]byte("go_dynamic_metric 1\n"), 5000)
	want := bytes.Join([][]byte{[]byte("a_first 1\n"), all[:ends[n/2]], big, all[ends[n/2]:], []byte("# EOF\n")}, nil)
	for _, gz := range []bool{true, false} {
		t.Run(fmt.Sprintf("gzip %v", gz), func(t *testing.T) {
			b := enc.NewBody(gz)
			b.Dynamic(nil)
			b.Dynamic([]byte("a_first 1\n"))
			b.Snapshot(0, n/2)
			b.Dynamic(big)
			b.Snapshot(n/2, n)
			b.Snapshot(n, n)
			b.Dynamic([]byte("# EOF\n"))
			var out bytes.Buffer
			if _, err := b.WriteTo(&out); err != nil {
				t.Fatal(err)
			}
			if int64(out.Len()) != b.Len() {
				t.Fatalf("Len %d, wrote %d", b.Len(), out.Len())
			}
			got := out.Bytes()
			if gz {
				zr, err := gzip.NewReader(&out)
				if err != nil {
					t.Fatal(err)
				}
				zr.Multistream(false)
				if got, err = io.ReadAll(zr); err != nil { // checks the CRC and length
					t.Fatal(err)
				}
				if out.Len() != 0 {
					t.Fatalf("%d bytes after the gzip member", out.Len())
				}
			}
			if !bytes.Equal(got, want) {
				t.Fatalf("body differs:\n%s", firstDifference(got, want))
			}
		})
	}
}

func firstDifference(a, b []byte) string {
	n := 0
	for n < len(a) && n < len(b) && a[n] == b[n] {
		n++
	}
	from := max(0, n-200)
	return fmt.Sprintf("at byte %d of %d (want %d):\ngot:  %q\nwant: %q", n, len(a), len(b), a[from:min(len(a), n+200)], b[from:min(len(b), n+200)])
}
