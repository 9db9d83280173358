// Package figuresexporter holds the curated dataset that ships inside the
// binary; the exporter's code lives under exporter/ and cmd/.
package figuresexporter

import _ "embed"

// DefaultFigures is figures.yaml as committed: the dataset served when no
// --figures.file is given.
//
//go:embed figures.yaml
var DefaultFigures []byte

// DefaultFiguresName is how the embedded dataset is named in messages.
const DefaultFiguresName = "figures.yaml (embedded)"
