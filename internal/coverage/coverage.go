// Package coverage classifies every number of a cited article: curated (a
// figure of the article's source records it), excluded (the curator named
// it in the source's `excluded:` list, with a reason) or unmarked (neither:
// a number the curator may have missed). `figures_exporter check
// --coverage` reports the unmarked ones; the report pages highlight all
// three. Both use Classify, so that a page marks a number exactly as the
// check classifies it.
//
// The numbers are those internal/extract finds in the article's text;
// positions are the extractor's (Line and Col 1-based, Col in characters).
package coverage

import (
	"io/fs"
	"math"
	"sort"

	"github.com/figures-exporter/figures_exporter/exporter/figures"
	"github.com/figures-exporter/figures_exporter/internal/extract"
)

// Kind is how a number of an article is accounted for.
type Kind string

const (
	// Curated: a figure of the source records the number.
	Curated Kind = "curated"
	// Excluded: an entry of the source's `excluded:` list names it.
	Excluded Kind = "excluded"
	// Unmarked: neither; `check --coverage` reports it.
	Unmarked Kind = "unmarked"
)

// Mark is one number of an article and how it is accounted for.
type Mark struct {
	Start, End int    // byte offsets into the article text, End exclusive
	Line, Col  int    // 1-based, columns in characters (as `check --coverage` prints)
	Text       string // the number as written: text[Start:End]
	Kind       Kind
	FigureIDs  []string // Kind Curated: the figures that record it, in the dataset's order
	Reason     string   // Kind Excluded: the curator's reason (of the first entry that names it)
}

// Classify returns every number the extractor finds in text, the article
// of src (as SeedText reads it), sorted by Start, each classified:
//
//   - Curated when it lies inside a place where the quote of one of src's
//     figures appears (white space folded, as the seeds check compares) and
//     that figure's value is the number's: a quote of a whole sentence then
//     covers the figure it states, not the other numbers of the sentence. A
//     derived figure, whose value the article implies but does not state,
//     covers the numbers of its quote by place alone.
//   - Excluded, failing that, when one of the places of an `excluded:` text
//     contains the number's place or lies inside it.
//   - Unmarked otherwise.
func Classify(ds *figures.Dataset, src *figures.Source, text string) []Mark {
	marks, _ := classify(ds, src, text)
	return marks
}

// QuoteSpans returns the byte ranges of text where quote appears, white
// space folded on both sides (as the seeds check compares quotes), in
// order; overlapping places are all returned. None for an empty quote.
func QuoteSpans(text, quote string) [][2]int {
	var out [][2]int
	for _, s := range extract.Fold(text).Find(quote) {
		out = append(out, [2]int{s.Start, s.End})
	}
	return out
}

// SeedText reads the article of src from seeds and returns the text that
// Classify and the seeds check work on: the file itself for plain text,
// the page's text for HTML (see extract.Text).
func SeedText(seeds fs.FS, src *figures.Source) (string, error) {
	data, err := fs.ReadFile(seeds, src.Seed)
	if err != nil {
		return "", err
	}
	return extract.Text(src.Seed, data), nil
}

// classify is Classify that also returns the indexes in src.Excluded of
// the entries found nowhere in text (most likely a typo: they name
// nothing).
func classify(ds *figures.Dataset, src *figures.Source, text string) ([]Mark, []int) {
	cands, _ := extract.Extract(src.Seed, text, nil) // past MaxCandidates, the first ones are classified
	ft := extract.Fold(text)
	type quoted struct {
		places []extract.Span
		fig    *figures.Figure
	}
	var covered []quoted
	for _, f := range ds.Figures {
		if f.Source == src.ID {
			covered = append(covered, quoted{ft.Find(f.Quote), f})
		}
	}
	excl := make([][]extract.Span, len(src.Excluded))
	var unfound []int
	for i, e := range src.Excluded {
		excl[i] = ft.Find(e.Text)
		if len(excl[i]) == 0 {
			unfound = append(unfound, i)
		}
	}
	marks := make([]Mark, 0, len(cands))
	for _, c := range cands {
		cs := extract.Span{Start: c.Offset, End: c.End}
		m := Mark{Start: c.Offset, End: c.End, Line: c.Line, Col: c.Column, Text: c.Text, Kind: Unmarked}
		for _, q := range covered {
			if q.fig.Derived == nil && !sameValue(q.fig.Value, c.Value) {
				continue
			}
			for _, p := range q.places {
				if p.Holds(cs) {
					m.Kind = Curated
					m.FigureIDs = append(m.FigureIDs, q.fig.ID)
					break
				}
			}
		}
		if m.Kind == Unmarked {
		excl:
			for i, places := range excl {
				for _, p := range places {
					if p.Holds(cs) || cs.Holds(p) {
						m.Kind, m.Reason = Excluded, src.Excluded[i].Reason
						break excl
					}
				}
			}
		}
		marks = append(marks, m)
	}
	// The extractor yields candidates in text order; sorting keeps the
	// promise should that ever change.
	sort.SliceStable(marks, func(i, j int) bool { return marks[i].Start < marks[j].Start })
	return marks, unfound
}

// Diagnostics proves that every cited article was read completely: it
// classifies the numbers of the seed of every source of ds (a source that
// yields no figure included) and reports each unmarked one as
// SEED:LINE:COLUMN: warning: number "…" is neither curated nor excluded
// (an error when strict). An exclusion found nowhere in its seed is
// reported too: it names nothing, most likely because of a typo.
//
// Seeds that cannot be read are reported only for sources no figure cites;
// the seeds check reports the others.
func Diagnostics(ds *figures.Dataset, seeds fs.FS, strict bool) figures.Diagnostics {
	severity := figures.Warning
	if strict {
		severity = figures.Error
	}
	cited := map[string]bool{}
	for _, f := range ds.Figures {
		cited[f.Source] = true
	}
	ids := make([]string, 0, len(ds.Sources))
	for id := range ds.Sources {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	var diags figures.Diagnostics
	for _, id := range ids {
		src := ds.Sources[id]
		text, err := SeedText(seeds, src)
		if err != nil {
			if !cited[id] {
				diags = append(diags, figures.NewDiagnostic(src.Pos, severity, "source %s: cannot read seed file %s for the coverage check: %v", id, src.Seed, err))
			}
			continue
		}
		marks, unfound := classify(ds, src, text)
		for _, i := range unfound {
			e := src.Excluded[i]
			diags = append(diags, figures.NewDiagnostic(e.Pos, severity, "source %s: excluded text %q does not appear in seed %s", id, figures.Clip(e.Text, 80), src.Seed))
		}
		for _, m := range marks {
			if m.Kind != Unmarked {
				continue
			}
			pos := figures.Position{File: src.Seed, Line: m.Line, Column: m.Col}
			diags = append(diags, figures.NewDiagnostic(pos, severity, "number %q is neither curated nor excluded", m.Text))
		}
	}
	diags.Sort()
	return diags
}

// sameValue reports whether a figure's value is a candidate's, up to the
// rounding of a decimal written in the figure file.
func sameValue(a, b float64) bool {
	return math.Abs(a-b) <= 1e-9*math.Max(math.Abs(a), math.Abs(b))
}
