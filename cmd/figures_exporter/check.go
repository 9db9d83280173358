package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/figures-exporter/figures_exporter/exporter/collector"
	"github.com/figures-exporter/figures_exporter/exporter/figures"
	"github.com/figures-exporter/figures_exporter/internal/coverage"
)

// runCheck validates files as the server would at start-up and prints every
// finding, errors and warnings, as FILE:LINE:COLUMN: severity: message.
func runCheck(cf checkFlags, stdout io.Writer) int {
	ds, diags := figures.Load(cf.files, int64(cf.maxFileSize), time.Now())
	if ds != nil && cf.seedsDir != "" {
		seeds := os.DirFS(cf.seedsDir)
		diags = append(diags, coverage.CheckSeeds(ds, seeds)...)
		if cf.coverage {
			for _, d := range coverageDiagnostics(ds, seeds, cf.strict) {
				d.Pos.File = filepath.Join(cf.seedsDir, d.Pos.File)
				diags = append(diags, d)
			}
		}
		diags.Sort()
	}
	if cf.strict {
		diags = diags.Strict()
	}
	for _, d := range diags {
		fmt.Fprintln(stdout, d)
	}
	errs, warns := len(diags.Errors()), len(diags.Warnings())
	if errs > 0 {
		fmt.Fprintf(stdout, "FAILED: %d error(s), %d warning(s)\n", errs, warns)
		return 1
	}
	fmt.Fprintf(stdout, "SUCCESS: %d figures in %d families from %d sources, revision %s; %d warning(s)\n",
		len(ds.Figures), len(ds.Families), len(ds.Sources), collector.ShortRevision(ds.Revision), warns)
	return 0
}
