// Package figuresexporter holds the curated dataset that ships inside the
// binary; the exporter's code lives under exporter/ and cmd/.
package figuresexporter

import (
	_ "embed"

	"github.com/figures-exporter/figures_exporter/exporter/figures"
)

// DefaultFigures is figures.yaml as committed: the dataset served when no
// --figures.file is given.
//
//go:embed figures.yaml
var DefaultFigures []byte

// DefaultFiguresName is how the embedded dataset is named in messages.
const DefaultFiguresName = "figures.yaml (embedded)"

// Embedded is the embedded dataset as a figures file: what every command
// reads when it is given no figures file.
func Embedded() figures.RawFile {
	return figures.RawFile{Name: DefaultFiguresName, Data: DefaultFigures}
}
