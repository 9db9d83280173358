package collector

import (
	"slices"
	"sort"
	"time"

	"github.com/figures-exporter/figures_exporter/exporter/figures"
)

// familyKind says how a family's series are made from the dataset.
type familyKind uint8

const (
	kindCurated   familyKind = iota // one series per figure of a curated family: its value
	kindInfo                        // one per figure: its provenance labels
	kindPublished                   // one per figure with a dated source
	kindRevised                     // one per figure
	kindSingle                      // one series about the whole dataset
)

// family is one metric family of a snapshot: what its series are made of,
// not the series themselves (series.go).
type family struct {
	name, help string
	kind       familyKind
	figs       []*figures.Figure // the figures it has series for (kindSingle: none)
	single     series            // kindSingle: its series
	// layout is how Build's pass ordered the series and cut them into
	// runs, for the next Build (layout.go); nil for kindSingle.
	layout *layout
}

// familiesOf lists the non-empty families of a dataset sorted by name, as
// promhttp's Gatherers serve them (they drop empty families).
func familiesOf(ds *figures.Dataset, warnings int) []*family {
	curated := make(map[string]*family, len(ds.Families))
	var fams []*family
	for _, fam := range ds.Families {
		f := &family{name: fam.Name, help: fam.Help, kind: kindCurated}
		curated[fam.Name] = f
		fams = append(fams, f)
	}
	// ds.Figures is sorted by family: each family's figures are one stretch
	// of it, shared rather than copied (appended to, should a family's
	// figures ever come in several stretches).
	for a := 0; a < len(ds.Figures); {
		b := a + 1
		for b < len(ds.Figures) && ds.Figures[b].Family == ds.Figures[a].Family {
			b++
		}
		if f := curated[ds.Figures[a].Family]; f != nil && f.figs == nil {
			f.figs = ds.Figures[a:b:b]
		} else if f != nil {
			f.figs = append(f.figs, ds.Figures[a:b]...)
		}
		a = b
	}
	fams = append(fams,
		&family{name: FigureInfo, help: "Provenance of each curated figure; join on figure_id. Always 1.", kind: kindInfo, figs: ds.Figures},
		&family{name: FigureRevisedTimestamp, help: "When each figure was last curated or revised, in seconds since the Unix epoch.", kind: kindRevised, figs: ds.Figures},
		single(DatasetInfo, "Revision (SHA-256 prefix) of the loaded dataset. Always 1.", []labelPair{{"revision", ShortRevision(ds.Revision)}}, 1),
		single(DatasetHash, "Hash of the loaded dataset (first 48 bits of its SHA-256), for change detection.", nil, HashValue(ds.Revision)),
		single(DatasetFigures, "Number of figures in the loaded dataset.", nil, float64(len(ds.Figures))),
		single(DatasetWarnings, "Number of warnings the validator reported on the loaded dataset.", nil, float64(warnings)),
	)
	if anyDated(ds) {
		fams = append(fams, &family{name: FigurePublishedTimestamp, help: "Publication date of the source of each figure, in seconds since the Unix epoch (absent when the source is undated).", kind: kindPublished, figs: ds.Figures})
	}
	fams = slices.DeleteFunc(fams, func(f *family) bool { return f.kind != kindSingle && len(f.figs) == 0 })
	sort.SliceStable(fams, func(i, j int) bool { return fams[i].name < fams[j].name })
	return fams
}

// anyDated says whether a figure of ds has a dated source: whether the
// published family has series. Sources are fewer than figures, so they are
// looked at first; if one is dated, the first figure with a dated source
// usually comes early.
func anyDated(ds *figures.Dataset) bool {
	for _, src := range ds.Sources {
		if src.Published != nil {
			for _, fig := range ds.Figures {
				if ds.Source(fig).Published != nil {
					return true
				}
			}
			return false
		}
	}
	return false
}

func single(name, help string, labels []labelPair, v float64) *family {
	return &family{name: name, help: help, kind: kindSingle, single: series{labels: labels, value: v}}
}

// series makes the family's series from the dataset, in the order promhttp
// serves them.
func (f *family) series(ds *figures.Dataset) []series {
	return f.order([][]series{f.seriesOf(ds, f.figs)}, f.orderedByFigures())
}

// seriesOf makes the series of some of the family's figures, in their
// order (each with the index in figs of its figure); for a family about
// the dataset, its one series.
func (f *family) seriesOf(ds *figures.Dataset, figs []*figures.Figure) []series {
	if f.kind == kindSingle {
		return []series{f.single}
	}
	dates := newDateFormatter()
	ss := make([]series, 0, len(figs))
	var slab []labelPair // the labels of all the series, in one allocation
	switch f.kind {
	case kindCurated:
		n := 0
		for _, fig := range figs {
			n += len(fig.Labels) + 2
		}
		slab = make([]labelPair, 0, n)
	case kindInfo:
		slab = make([]labelPair, 0, len(figs)*len(infoLabelNames))
	default:
		slab = make([]labelPair, 0, len(figs))
	}
	for j, fig := range figs {
		start := len(slab)
		var v float64
		switch f.kind {
		case kindCurated:
			for _, l := range fig.Labels {
				slab = append(slab, labelPair{l.Name, l.Value})
			}
			slab = append(slab, labelPair{LabelFigureID, fig.ID}, labelPair{LabelPeriod, dates.period(fig.Period)})
			v = fig.Value
		case kindInfo:
			slab = appendInfoLabels(slab, fig, ds, dates)
			v = 1
		case kindPublished:
			src := ds.Source(fig)
			if src.Published == nil {
				continue
			}
			slab = append(slab, labelPair{LabelFigureID, fig.ID})
			v = float64(src.Published.Unix())
		case kindRevised:
			slab = append(slab, labelPair{LabelFigureID, fig.ID})
			v = float64(fig.LastRevised().Unix())
		}
		labels := slab[start:len(slab):len(slab)]
		sortLabels(labels)
		ss = append(ss, series{labels: labels, value: v, id: fig.ID, fig: int32(j)})
	}
	return ss
}

// infoLabelNames are the provenance labels a figure's info series can have
// (figures.Dataset.InfoLabels), sorted, for sizing.
var infoLabelNames = [...]string{
	"claim_chain", "claim_id", "claimant", "contradiction", "credibility", "derived", "family", LabelFigureID,
	"language", "period_end", "period_inferred", "period_start", "published", "publisher", "qualifier",
	"reliability", "seed", "source_id", "source_title", "translated", "undated", "unit", "url",
}

// appendInfoLabels appends the provenance labels of one figure.
func appendInfoLabels(dst []labelPair, fig *figures.Figure, ds *figures.Dataset, _ dateFormatter) []labelPair {
	for _, l := range ds.InfoLabels(fig) {
		dst = append(dst, labelPair{l.Name, l.Value})
	}
	return dst
}

// dateFormatter formats the dates and periods of some series. Figures
// share a few hundred of them, so each is formatted once (and its string
// shared) instead of once per figure.
type dateFormatter struct {
	dates   map[time.Time]string
	periods map[periodKey]string
}

// periodKey is a figures.Period by value.
type periodKey struct {
	start, end time.Time
	open       bool // no start
}

func newDateFormatter() dateFormatter {
	return dateFormatter{dates: map[time.Time]string{}, periods: map[periodKey]string{}}
}

func (d dateFormatter) date(t time.Time) string {
	s, ok := d.dates[t]
	if !ok {
		s = t.Format(dateLayout)
		d.dates[t] = s
	}
	return s
}

// period is figures.PeriodLabel(p).
func (d dateFormatter) period(p figures.Period) string {
	k := periodKey{end: p.End, open: p.Start == nil}
	if p.Start != nil {
		k.start = *p.Start
	}
	s, ok := d.periods[k]
	if !ok {
		s = figures.PeriodLabel(p)
		d.periods[k] = s
	}
	return s
}
