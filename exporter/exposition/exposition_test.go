package exposition

import (
	"bytes"
	"compress/gzip"
	"errors"
	"io"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/common/expfmt"

	figuresexporter "github.com/figures-exporter/figures_exporter"
	"github.com/figures-exporter/figures_exporter/exporter/collector"
	"github.com/figures-exporter/figures_exporter/exporter/figures"
)

// families returns the collectors of the curated dataset's families.
func families(t testing.TB) []prometheus.Collector {
	t.Helper()
	ds, diags := figures.Parse([]figures.RawFile{{Name: "figures.yaml", Data: figuresexporter.DefaultFigures}}, time.Now())
	if ds == nil {
		t.Fatal(diags)
	}
	return collector.New(ds, len(diags)).Families()
}

// counting counts how often it is gathered.
type counting struct {
	prometheus.Collector
	n *atomic.Int32
}

func (c counting) Collect(ch chan<- prometheus.Metric) {
	c.n.Add(1)
	c.Collector.Collect(ch)
}

// expfmtBytes is the families in format as expfmt encodes them, without
// the end of the exposition.
func expfmtBytes(t *testing.T, cs []prometheus.Collector, format expfmt.Format) []byte {
	t.Helper()
	var buf bytes.Buffer
	enc := expfmt.NewEncoder(&buf, format)
	for _, c := range cs {
		reg := prometheus.NewPedanticRegistry()
		reg.MustRegister(c)
		mfs, err := reg.Gather()
		if err != nil {
			t.Fatal(err)
		}
		for _, mf := range mfs {
			if err := enc.Encode(mf); err != nil {
				t.Fatal(err)
			}
		}
	}
	return buf.Bytes()
}

// TestBody: a body is the families in the format asked for, then the tail,
// and a gzip body is one member that Go's reader reads (checking its CRC-32
// and length) to those same bytes, with tails from empty to larger than a
// DEFLATE block and incompressible.
func TestBody(t *testing.T) {
	cs := families(t)
	e := New(cs...)
	noise := make([]byte, 200_000)
	for i := range noise {
		noise[i] = byte(rand.N(256))
	}
	for _, format := range []expfmt.Format{
		PrometheusFormat,
		expfmt.NewFormat(expfmt.TypeTextPlain),
		expfmt.FmtOpenMetrics_0_0_1 + "; escaping=underscores",
		expfmt.FmtProtoDelim,
		expfmt.FmtProtoCompact,
	} {
		want := expfmtBytes(t, cs, format)
		for _, tail := range [][]byte{nil, []byte("# EOF\n"), bytes.Repeat([]byte("a_metric 1\n"), 20_000), noise} {
			for _, gz := range []bool{true, false} {
				body, err := e.Body(format, gz, tail)
				if err != nil {
					t.Fatal(err)
				}
				var buf bytes.Buffer
				if n, err := body.WriteTo(&buf); err != nil || n != body.Len() || int64(buf.Len()) != n {
					t.Fatalf("wrote %d bytes of %d: %v", n, body.Len(), err)
				}
				body.Close()
				got := buf.Bytes()
				if gz {
					zr, err := gzip.NewReader(&buf)
					if err != nil {
						t.Fatal(err)
					}
					zr.Multistream(false)
					if got, err = io.ReadAll(zr); err != nil {
						t.Fatalf("%s, tail of %d bytes: %v", format, len(tail), err)
					}
					if buf.Len() != 0 {
						t.Fatalf("%d bytes after the gzip member", buf.Len())
					}
				}
				if !bytes.Equal(got, append(want[:len(want):len(want)], tail...)) {
					t.Errorf("%s, gzip %v, tail of %d bytes: the body is not the families and the tail", format, gz, len(tail))
				}
			}
		}
	}
}

// TestEncodedOnce: New encodes PrometheusFormat; any other format is
// encoded on first use, gzipped or not, once, however many scrapes ask at
// the same time.
func TestEncodedOnce(t *testing.T) {
	var n atomic.Int32
	var cs []prometheus.Collector
	for _, c := range families(t) {
		cs = append(cs, counting{c, &n})
	}
	per := int32(len(cs)) // gathers per encoding: one per collector
	e := New(cs...)
	if n.Load() != per {
		t.Fatalf("New gathered %d times, want %d", n.Load(), per)
	}
	for _, step := range []struct {
		format expfmt.Format
		gz     bool
		want   int32
	}{
		{PrometheusFormat, true, 1},
		{PrometheusFormat, false, 1},
		{expfmt.FmtProtoDelim, false, 2},
		{expfmt.FmtProtoDelim, true, 2},
		{expfmt.NewFormat(expfmt.TypeTextPlain), true, 3},
		{PrometheusFormat, false, 3},
	} {
		var wg sync.WaitGroup
		for range 8 {
			wg.Go(func() {
				body, err := e.Body(step.format, step.gz, nil)
				if err != nil {
					t.Error(err)
					return
				}
				body.Close()
			})
		}
		wg.Wait()
		if got := n.Load(); got != step.want*per {
			t.Fatalf("after %s (gzip %v): %d gathers, want %d", step.format, step.gz, got, step.want*per)
		}
	}
	for _, name := range []string{collector.FigureInfo, collector.DatasetInfo, "figures_cybercrime_arrests"} {
		if !e.Has(name) {
			t.Errorf("Has(%q) is false", name)
		}
	}
	if e.Has("go_goroutines") {
		t.Error("Has(go_goroutines) is true")
	}
}

// broken collects a metric that cannot be gathered.
type broken struct{}

func (broken) Describe(chan<- *prometheus.Desc) {}
func (broken) Collect(ch chan<- prometheus.Metric) {
	desc := prometheus.NewDesc("a_gauge", "A gauge.", nil, nil)
	ch <- prometheus.NewInvalidMetric(desc, errors.New("no value"))
}

// TestGatherError: a collector that fails makes every body an error, for
// the caller to serve the request some other way; New does not fail.
func TestGatherError(t *testing.T) {
	e := New(append(families(t), broken{})...)
	for _, gz := range []bool{true, false} {
		if _, err := e.Body(PrometheusFormat, gz, nil); err == nil {
			t.Errorf("gzip %v: no error", gz)
		}
	}
	if _, err := e.Gatherer().Gather(); err == nil {
		t.Error("the gatherer hides the error")
	}
}
