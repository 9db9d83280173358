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
	return syntheticVariant(b, n, 0)
}

// syntheticVariant is the dataset of synthetic with one figure's value
// changed when variant is not 0.
func syntheticVariant(b *testing.B, n, variant int) []figures.RawFile {
	b.Helper()
	var buf bytes.Buffer
	if err := synth.Generate(&buf, n, variant); err != nil {
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

// BenchmarkReparse measures what a reload parses when one figure changed:
// a Parser that parsed the previous version parses the new one, reusing
// every unchanged file. Iterations alternate between the two versions.
func BenchmarkReparse(b *testing.B) {
	now := time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC)
	for _, n := range benchSizes {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			versions := [2][]figures.RawFile{syntheticVariant(b, n, 0), syntheticVariant(b, n, 1)}
			p := figures.NewParser()
			if ds, diags, _ := p.Parse(versions[0], now); ds == nil {
				b.Fatal(diags)
			}
			b.SetBytes(int64(len(versions[0][0].Data)))
			b.ReportAllocs()
			i := 1
			for b.Loop() {
				ds, diags, reused := p.Parse(versions[i%2], now)
				if ds == nil {
					b.Fatal(diags)
				}
				if reused != len(versions[0])-1 {
					b.Fatalf("%d of %d files reused, want all but the changed one", reused, len(versions[0]))
				}
				i++
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
