package reload

import "github.com/figures-exporter/figures_exporter/exporter/figures"

type embeddedFile = figures.RawFile

func revisionOf(content []byte) string {
	return figures.Revision([]figures.RawFile{{Data: content}})
}
