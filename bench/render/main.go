// Command render writes the figure series of figures files in the
// Prometheus text format, as a .prom file for node_exporter's textfile
// collector: the same series figures_exporter serves for those files,
// without the exporter's own (process, Go, reload) metrics.
//
//	go run ./bench/render -o textfile/figures.prom figures/*.yaml
package main

import (
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/prometheus/client_golang/prometheus"

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
	ds, diags := figures.Load(flag.Args(), 1<<30, time.Now())
	if ds == nil {
		fmt.Fprintln(os.Stderr, diags.Error())
		os.Exit(1)
	}
	reg := prometheus.NewPedanticRegistry()
	reg.MustRegister(collector.New(ds, len(diags.Warnings())))
	// WriteToTextfile writes a temporary file and renames it, as the
	// textfile collector's documentation asks.
	if err := prometheus.WriteToTextfile(*out, reg); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
