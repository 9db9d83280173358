// Package figuresexporter holds the curated dataset that ships inside the
// binary; the exporter's code lives under exporter/ and cmd/.
package figuresexporter

import (
	"embed"
	"io/fs"

	"github.com/figures-exporter/figures_exporter/exporter/figures"
)

// DefaultFigures is figures.yaml as committed: the dataset served when no
// --figures.file is given.
//
//go:embed figures.yaml
var DefaultFigures []byte

// DefaultFiguresName is how the embedded dataset is named in messages.
const DefaultFiguresName = "figures.yaml (embedded)"

//go:embed seeds/*.txt
var seeds embed.FS

// DefaultSeeds holds the articles the embedded dataset cites, by the names
// its sources' `seed:` give (files at the root of the FS, copies of
// seeds/ of the repository), so that the default binary's report pages
// show each article whole. A test asserts that every cited seed is here and
// matches its source's sha256.
var DefaultSeeds fs.FS = mustSub(seeds, "seeds")

// mustSub roots fsys at dir; dir is a constant directory of an embed.FS,
// so an error is a bug caught by the first test that runs.
func mustSub(fsys fs.FS, dir string) fs.FS {
	sub, err := fs.Sub(fsys, dir)
	if err != nil {
		panic(err)
	}
	return sub
}

// Embedded is the embedded dataset as a figures file: what every command
// reads when it is given no figures file.
func Embedded() figures.RawFile {
	return figures.RawFile{Name: DefaultFiguresName, Data: DefaultFigures}
}
