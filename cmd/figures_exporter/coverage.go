package main

import (
	"fmt"
	"io/fs"
	"math"
	"sort"
	"unicode/utf8"

	"github.com/figures-exporter/figures_exporter/exporter/figures"
	"github.com/figures-exporter/figures_exporter/internal/extract"
)

// coverageDiagnostics proves that every cited article was read completely:
// it runs the extractor on the seed of every source of ds (a source that
// yields no figure included) and reports each number that no figure of that
// source records and no `excluded` entry of the source names, as
// SEED:LINE:COLUMN: warning: number "…" is neither curated nor excluded
// (an error when strict). Lines and columns are the extractor's: 1-based,
// columns in characters.
//
// A figure records a number when the number's place in the seed lies inside
// a place where the figure's quote appears (white space folded, as the
// seeds check compares) and the figure's value is the number's: a quote of
// a whole sentence then covers the figure it states, not the other numbers
// of the sentence ("arrested four individuals ... to extract 3.4 billion
// won" quoted for the 3.4 billion leaves "four" to be curated or excluded).
// A derived figure, whose value the article implies but does not state,
// covers the numbers of its quote by place alone. An exclusion names a
// number when one of its places in the seed contains the number's place, or
// lies inside it. An exclusion found nowhere in its seed is reported too: it
// names nothing, most likely because of a typo.
//
// Seeds that cannot be read are reported only for sources no figure cites;
// the seeds check reports the others.
func coverageDiagnostics(ds *figures.Dataset, seeds fs.FS, strict bool) figures.Diagnostics {
	severity := figures.Warning
	if strict {
		severity = figures.Error
	}
	figs := map[string][]*figures.Figure{} // source id -> its figures
	for _, f := range ds.Figures {
		figs[f.Source] = append(figs[f.Source], f)
	}
	ids := make([]string, 0, len(ds.Sources))
	for id := range ds.Sources {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	var diags figures.Diagnostics
	for _, id := range ids {
		src := ds.Sources[id]
		data, err := fs.ReadFile(seeds, src.Seed)
		if err != nil {
			if len(figs[id]) == 0 {
				diags = append(diags, figures.Diagnostic{Pos: src.Pos, Severity: severity, Message: fmt.Sprintf("source %s: cannot read seed file %s for the coverage check: %v", id, src.Seed, err)})
			}
			continue
		}
		text := extract.Text(src.Seed, data)
		cands, _ := extract.Extract(src.Seed, text, nil)
		ft := extract.Fold(text)
		type quoted struct {
			places []extract.Span
			fig    *figures.Figure
		}
		var covered []quoted
		for _, f := range figs[id] {
			covered = append(covered, quoted{ft.Find(f.Quote), f})
		}
		type named struct {
			places []extract.Span
		}
		excl := make([]named, len(src.Excluded))
		for i, e := range src.Excluded {
			excl[i].places = ft.Find(e.Text)
			if len(excl[i].places) == 0 {
				diags = append(diags, figures.Diagnostic{Pos: e.Pos, Severity: severity, Message: fmt.Sprintf("source %s: excluded text %q does not appear in seed %s", id, clipText(e.Text), src.Seed)})
			}
		}
	cands:
		for _, c := range cands {
			cs := extract.Span{Start: c.Offset, End: c.End}
			for _, q := range covered {
				if q.fig.Derived == nil && !sameValue(q.fig.Value, c.Value) {
					continue
				}
				for _, p := range q.places {
					if p.Holds(cs) {
						continue cands
					}
				}
			}
			for _, e := range excl {
				for _, p := range e.places {
					if p.Holds(cs) || cs.Holds(p) {
						continue cands
					}
				}
			}
			diags = append(diags, figures.Diagnostic{
				Pos:      figures.Position{File: src.Seed, Line: c.Line, Column: c.Column},
				Severity: severity,
				Message:  fmt.Sprintf("number %q is neither curated nor excluded", c.Text),
			})
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

// clipText keeps a quoted text short in a message.
func clipText(s string) string {
	if len(s) <= 80 {
		return s
	}
	n := 80
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}
