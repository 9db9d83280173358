package main

import (
	"fmt"
	"io/fs"
	"sort"
	"unicode/utf8"

	"github.com/figures-exporter/figures_exporter/exporter/figures"
	"github.com/figures-exporter/figures_exporter/internal/extract"
)

// coverageDiagnostics proves that every cited article was read completely:
// it runs the extractor on the seed of every source of ds (a source that
// yields no figure included) and reports each number that no figure's
// quote of that source holds and no `excluded` entry of the source names,
// as SEED:LINE:COLUMN: warning: number "…" is neither curated nor excluded
// (an error when strict). Lines and columns are the extractor's: 1-based,
// columns in characters.
//
// A quote holds a number when the number's place in the seed lies inside a
// place where the quote appears (white space folded, as CheckQuotes
// compares), so that "four" is covered by the quote it is in, not by every
// quote that happens to contain the word. An exclusion names a number when
// one of its places in the seed contains the number's place, or lies
// inside it. An exclusion found nowhere in its seed is reported too: it
// names nothing, most likely because of a typo.
//
// Seeds that cannot be read are reported only for sources no figure cites;
// CheckQuotes reports the others.
func coverageDiagnostics(ds *figures.Dataset, seeds fs.FS, strict bool) figures.Diagnostics {
	severity := figures.Warning
	if strict {
		severity = figures.Error
	}
	quotes := map[string][]string{} // source id -> quotes of its figures
	for _, f := range ds.Figures {
		quotes[f.Source] = append(quotes[f.Source], f.Quote)
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
			if len(quotes[id]) == 0 {
				diags = append(diags, figures.Diagnostic{Pos: src.Pos, Severity: severity, Message: fmt.Sprintf("source %s: cannot read seed file %s for the coverage check: %v", id, src.Seed, err)})
			}
			continue
		}
		text := extract.Text(src.Seed, data)
		cands, _ := extract.Extract(src.Seed, text, nil)
		ft := extract.Fold(text)
		var covered []extract.Span
		for _, q := range quotes[id] {
			covered = append(covered, ft.Find(q)...)
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
				if q.Holds(cs) {
					continue cands
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
