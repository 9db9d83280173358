package figures_test

import (
	"bytes"
	"fmt"
	"testing"
	"time"

	"github.com/figures-exporter/figures_exporter/bench/synth"
	"github.com/figures-exporter/figures_exporter/exporter/figures"
)

// benchSizes are the dataset sizes of the benchmarks (see bench/ and
// BENCHMARKS.md); run one with -bench 'Parse/100000'.
var benchSizes = []int{1000, 10000, 100000}

func synthetic(b *testing.B, n int) []figures.RawFile {
	b.Helper()
	var buf bytes.Buffer
	if err := synth.Generate(&buf, n, 0); err != nil {
		b.Fatal(err)
	}
	return []figures.RawFile{{Name: fmt.Sprintf("synthetic-%d.yaml", n), Data: buf.Bytes()}}
}

// BenchmarkParse measures decoding and validating a dataset: the work of a
// reload before the swap.
func BenchmarkParse(b *testing.B) {
	now := time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC)
	for _, n := range benchSizes {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			raw := synthetic(b, n)
			b.SetBytes(int64(len(raw[0].Data)))
			b.ReportAllocs()
			for b.Loop() {
				ds, diags := figures.Parse(raw, now)
				if ds == nil {
					b.Fatal(diags)
				}
			}
		})
	}
}

// BenchmarkRevision measures hashing the files, which decides whether a
// reload has anything to do.
func BenchmarkRevision(b *testing.B) {
	for _, n := range benchSizes {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			raw := synthetic(b, n)
			b.SetBytes(int64(len(raw[0].Data)))
			for b.Loop() {
				figures.Revision(raw)
			}
		})
	}
}
