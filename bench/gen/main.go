// Command gen writes a synthetic figures dataset (see bench/synth):
//
//	go run ./bench/gen -n 10000 > figures-10k.yaml
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/figures-exporter/figures_exporter/bench/synth"
)

func main() {
	n := flag.Int("n", 1000, "number of figures")
	variant := flag.Int("variant", 0, "variant of the dataset: variants differ in the value of their first figure")
	out := flag.String("o", "-", "output file (- for stdout)")
	flag.Parse()
	w := os.Stdout
	if *out != "-" {
		f, err := os.Create(*out)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		defer f.Close()
		w = f
	}
	if err := synth.Generate(w, *n, *variant); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
