package main

import (
	"io/fs"

	"github.com/figures-exporter/figures_exporter/exporter/figures"
	"github.com/figures-exporter/figures_exporter/internal/coverage"
)

// coverageDiagnostics is `check --coverage`: every number of every cited
// article that is neither curated nor excluded (see coverage.Classify for
// what each means), as SEED:LINE:COLUMN diagnostics, errors when strict.
// The report pages mark the numbers with the same classifier.
func coverageDiagnostics(ds *figures.Dataset, seeds fs.FS, strict bool) figures.Diagnostics {
	return coverage.Diagnostics(ds, seeds, strict)
}
