// Command gen writes a synthetic figures dataset (see bench/synth), as one
// file or, with -dir, split into files by report as a curator splits one:
//
//	go run ./bench/gen -n 10000 > figures-10k.yaml
//	go run ./bench/gen -n 100000 -dir figures-100k/
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/figures-exporter/figures_exporter/bench/synth"
)

func main() {
	n := flag.Int("n", 1000, "number of figures")
	variant := flag.Int("variant", 0, "variant of the dataset: variants differ in the value of their first figure")
	out := flag.String("o", "-", "output file (- for stdout)")
	dir := flag.String("dir", "", "write the dataset split into files in this directory instead: families.yaml and one file per report")
	per := flag.Int("per-file", synth.FiguresPerSource, "with -dir: figures per file, whole reports (the default is one report a file)")
	flag.Parse()
	if err := run(*n, *variant, *out, *dir, *per); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func run(n, variant int, out, dir string, per int) error {
	if dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return err
		}
		return synth.GenerateFiles(n, per, variant, func(name string, data []byte) error {
			return os.WriteFile(filepath.Join(dir, name), data, 0o644)
		})
	}
	w := os.Stdout
	if out != "-" {
		f, err := os.Create(out)
		if err != nil {
			return err
		}
		defer f.Close()
		w = f
	}
	return synth.Generate(w, n, variant)
}
