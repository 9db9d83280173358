// Command render writes the figure series of a figures file in the
// Prometheus text format, as a .prom file for node_exporter's textfile
// collector: the same series figures_exporter serves for that file, without
// the exporter's own (process, Go, reload) metrics.
//
//	go run ./bench/render -o textfile/figures.prom figures.yaml
package main

import (
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/prometheus/common/expfmt"

	"github.com/figures-exporter/figures_exporter/exporter/collector"
	"github.com/figures-exporter/figures_exporter/exporter/figures"
)

func main() {
	out := flag.String("o", "", "output .prom file")
	flag.Parse()
	if *out == "" || flag.NArg() == 0 {
		fmt.Fprintln(os.Stderr, "usage: render -o FILE.prom FIGURES.yaml...")
		os.Exit(2)
	}
	now := time.Now()
	ds, diags := figures.Load(flag.Args(), 1<<30, now)
	if ds == nil {
		fmt.Fprintln(os.Stderr, diags.Error())
		os.Exit(1)
	}
	snap := collector.Build(ds, diags, now, nil)
	enc, err := snap.Exposition().Encoding(expfmt.NewFormat(expfmt.TypeTextPlain))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	// Written under a temporary name and renamed, as the textfile
	// collector's documentation asks.
	tmp := *out + ".tmp"
	if err := os.WriteFile(tmp, enc.Raw(0, len(snap.Exposition().Names())), 0o644); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	if err := os.Rename(tmp, *out); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
