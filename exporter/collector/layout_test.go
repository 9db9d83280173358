package collector

import (
	"bytes"
	"fmt"
	"regexp"
	"slices"
	"testing"
	"time"

	"github.com/prometheus/common/expfmt"

	"github.com/figures-exporter/figures_exporter/bench/synth"
	"github.com/figures-exporter/figures_exporter/exporter/figures"
)

// layoutFigures is the size of the datasets below: 8 figures a family, so
// that a family has several runs (withRuns) and a figure can move in it.
const layoutFigures = 400

// withinRun bounds the series made to encode one run again: the run
// (withRuns' longest) and the series on either side of it.
const withinRun = 32 + 2

// TestRebuildFollowsChange: with datasets parsed by one figures.Parser, as
// the holder parses them (unchanged figures are the same objects), a
// rebuild takes from the previous snapshot every family the change did not
// touch without making its series, makes only the runs around a figure
// whose value changed, and makes whole a family whose figures moved, came
// or went. Whatever it does, its bytes are those of a cold build's (the
// compressed bytes too) and promhttp's.
func TestRebuildFollowsChange(t *testing.T) {
	withRuns(t, 4, 32)
	formats := []expfmt.Format{PrometheusFormat(), expfmt.FmtOpenMetrics_0_0_1, expfmt.FmtText + "; escaping=underscores"}
	base := synthYAML(t, layoutFigures, 0)
	for _, tc := range []struct {
		name string
		edit func(t *testing.T, data []byte) []byte
		// whole: the families made whole (the dataset's own families
		// aside); made: how many figures' series were made at most, by
		// family: some where listed, none elsewhere.
		// (ds is the dataset before the change: synth's families.)
		whole func(ds *figures.Dataset) []string
		made  func(ds *figures.Dataset) map[string]int
	}{
		{
			name: "unchanged",
			edit: func(t *testing.T, data []byte) []byte { return data },
		},
		{
			// The first figure's value (synth's variant 1); its source is
			// undated, so it has no published series.
			name: "one value",
			edit: func(t *testing.T, data []byte) []byte { return synthYAML(t, layoutFigures, 1) },
			made: func(ds *figures.Dataset) map[string]int {
				return map[string]int{familyOf(ds, 0): withinRun, FigureInfo: withinRun, FigureRevisedTimestamp: withinRun}
			},
		},
		{
			// Figure 63 has a revised date and a dated source: its series
			// are in its family, info, revised and published.
			name: "revised date",
			edit: func(t *testing.T, data []byte) []byte {
				return editFigure(t, data, 63, "revised: 2026-03-02", "revised: 2026-03-09")
			},
			made: func(ds *figures.Dataset) map[string]int { return each(seriesOfFigure(ds, 63), withinRun) },
		},
		{
			// The labels of a figure are in its family's series alone, and
			// decide its order there.
			name: "labels moved",
			edit: func(t *testing.T, data []byte) []byte {
				item := figureItem(t, data, 52) // labels: {baseline: previous_half, reporter: nis}
				return bytes.Replace(data, item, prefixLabels(item, "~moved-"), 1)
			},
			whole: func(ds *figures.Dataset) []string { return []string{familyOf(ds, 52)} },
			made: func(ds *figures.Dataset) map[string]int {
				return map[string]int{familyOf(ds, 52): layoutFigures, FigureInfo: withinRun, FigureRevisedTimestamp: withinRun, FigurePublishedTimestamp: withinRun}
			},
		},
		{
			// At the end, so that no other figure moves to another line.
			name: "inserted figure",
			edit: func(t *testing.T, data []byte) []byte {
				item := figureItem(t, data, layoutFigures-1)
				copied := regexp.MustCompile(`(?m)^(  - id: .*)$`).ReplaceAll(bytes.Clone(item), []byte("${1}-copy"))
				copied = prefixLabels(copied, "copy-") // not the same series
				return append(bytes.Clone(data), copied...)
			},
			whole: func(ds *figures.Dataset) []string { return seriesOfFigure(ds, layoutFigures-1) },
			made: func(ds *figures.Dataset) map[string]int {
				return each(seriesOfFigure(ds, layoutFigures-1), layoutFigures+1)
			},
		},
		{
			name: "removed figure",
			edit: func(t *testing.T, data []byte) []byte {
				item := figureItem(t, data, layoutFigures-1)
				return bytes.Replace(data, item, nil, 1)
			},
			whole: func(ds *figures.Dataset) []string { return seriesOfFigure(ds, layoutFigures-1) },
			made: func(ds *figures.Dataset) map[string]int {
				return each(seriesOfFigure(ds, layoutFigures-1), layoutFigures)
			},
		},
		{
			// Its id is in its every series, and cuts runs.
			name: "renamed figure",
			edit: func(t *testing.T, data []byte) []byte {
				return editFigure(t, data, layoutFigures-1, fmt.Sprintf("-%07d\n", layoutFigures-1), fmt.Sprintf("-%07d-renamed\n", layoutFigures-1))
			},
			whole: func(ds *figures.Dataset) []string { return seriesOfFigure(ds, layoutFigures-1) },
			made: func(ds *figures.Dataset) map[string]int {
				return each(seriesOfFigure(ds, layoutFigures-1), layoutFigures)
			},
		},
		{
			// The help is in the family's header; the family (its unit) is
			// in the info series of its 8 figures.
			name: "family help",
			edit: func(t *testing.T, data []byte) []byte {
				return replaceOnce(t, data, `help: "Synthetic family 0: `, `help: "Revised synthetic family 0: `)
			},
			whole: func(ds *figures.Dataset) []string { return []string{familyOf(ds, 0)} },
			made: func(ds *figures.Dataset) map[string]int {
				return map[string]int{familyOf(ds, 0): layoutFigures, FigureInfo: 8 * withinRun}
			},
		},
		{
			// A source is in the info and published series of its 6
			// figures (src-000008: figures 48 to 53, dated).
			name: "source title",
			edit: func(t *testing.T, data []byte) []byte {
				return editItem(t, data, "  - id: src-000008\n", "    title: \"", "    title: \"Updated: ")
			},
			made: func(ds *figures.Dataset) map[string]int {
				return map[string]int{FigureInfo: 6 * withinRun, FigurePublishedTimestamp: 6 * withinRun}
			},
		},
		{
			// An undated source (src-000007, figures 42 to 47): its
			// figures have no published series, and still have none.
			name: "undated source title",
			edit: func(t *testing.T, data []byte) []byte {
				return editItem(t, data, "  - id: src-000007\n", "    title: \"", "    title: \"Updated: ")
			},
			made: func(ds *figures.Dataset) map[string]int { return map[string]int{FigureInfo: 6 * withinRun} },
		},
		{
			// The same source dated (in place of its author, so that no
			// line moves): its figures now have published series.
			name: "source dated",
			edit: func(t *testing.T, data []byte) []byte {
				at := bytes.Index(data, []byte("  - id: src-000007\n"))
				author := regexp.MustCompile(`    author: .*\n`).FindIndex(data[at:])
				return slices.Concat(data[:at+author[0]], []byte("    published: 2025-12-31\n"), data[at+author[1]:])
			},
			// Their info series gain a label, so they move (after the
			// attempt to keep the order).
			whole: func(ds *figures.Dataset) []string { return []string{FigureInfo, FigurePublishedTimestamp} },
			made: func(ds *figures.Dataset) map[string]int {
				return map[string]int{FigureInfo: layoutFigures + 6*withinRun, FigurePublishedTimestamp: layoutFigures}
			},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			parser := figures.NewParser()
			old, oldDiags := parseYAML(t, twoResults(parser.Parse), base)
			prev := Build(old, oldDiags, time.Unix(0, 0), nil)
			for _, format := range formats {
				encoding(t, prev, format) // asked for by scrapes
			}
			ds, diags := parseYAML(t, twoResults(parser.Parse), tc.edit(t, base))
			rebuilt := Build(ds, diags, time.Unix(0, 0), prev)
			cold := Build(ds, diags, time.Unix(0, 0), nil)
			sameAsCold(t, rebuilt, cold, formats)

			var whole []string
			if tc.whole != nil {
				whole = tc.whole(old)
			}
			var made map[string]int
			if tc.made != nil {
				made = tc.made(old)
			}
			e := rebuilt.exposition
			for i, f := range e.fams {
				if f.kind == kindSingle {
					continue
				}
				if got, want := e.stats[i].whole.Load(), slices.Contains(whole, f.name); got != want {
					t.Errorf("%s: made whole: %v, want %v", f.name, got, want)
				}
				if got, most := e.stats[i].made.Load(), int64(made[f.name]); got > most || most > 0 && got == 0 {
					t.Errorf("%s: the series of %d figures made, want 1 to %d", f.name, got, most)
				}
			}
			if tc.name == "labels moved" && slices.Equal(figureOrder(prev, familyOf(old, 52)), figureOrder(cold, familyOf(old, 52))) {
				t.Fatal("the edit did not move the figure: the test tests nothing")
			}
		})
	}
}

// TestRebuildOfFreshObjects: after a change of one value, a family whose
// figures are all new objects (a dataset parsed apart, as when a file is
// parsed whole), or that is one piece in a format the previous snapshot
// served (protobuf), is made whole, with the same bytes.
func TestRebuildOfFreshObjects(t *testing.T) {
	withRuns(t, 4, 32)
	base := synthYAML(t, layoutFigures, 0)
	for _, tc := range []struct {
		name   string
		parser func() parseFunc
	}{
		{"figures.Parse", func() parseFunc { return figures.Parse }},
		{"one figures.Parser", func() parseFunc { return twoResults(figures.NewParser().Parse) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			parse := tc.parser()
			old, oldDiags := parseYAML(t, parse, base)
			prev := Build(old, oldDiags, time.Unix(0, 0), nil)
			for _, format := range testFormats {
				encoding(t, prev, format)
			}
			ds, diags := parseYAML(t, parse, synthYAML(t, layoutFigures, 1))
			rebuilt := Build(ds, diags, time.Unix(0, 0), prev)
			sameAsCold(t, rebuilt, Build(ds, diags, time.Unix(0, 0), nil), testFormats)
			for i, f := range rebuilt.exposition.fams {
				touched := f.name == familyOf(ds, 0) || f.name == FigureInfo || f.name == FigureRevisedTimestamp
				if f.kind != kindSingle && touched && !rebuilt.exposition.stats[i].whole.Load() {
					t.Errorf("%s: taken from the previous snapshot, though its figures are new objects or it is one protobuf piece", f.name)
				}
			}
		})
	}
}

// sameAsCold checks that rebuilt has, in each format, the bytes of cold
// (compressed and not) and of promhttp.
func sameAsCold(t *testing.T, rebuilt, cold *Snapshot, formats []expfmt.Format) {
	t.Helper()
	for _, format := range formats {
		if rebuilt.exposition.byFormat[format] == nil {
			t.Fatalf("%s: not encoded by Build, although the previous snapshot served it", format)
		}
		enc, got := encoding(t, rebuilt, format)
		coldEnc, want := encoding(t, cold, format)
		if !bytes.Equal(got, want) {
			t.Fatalf("%s: rebuilt differs from a cold build:\n%s", format, firstDifference(got, want))
		}
		if !bytes.Equal(enc.gz, coldEnc.gz) || !slices.Equal(enc.runs, coldEnc.runs) || !slices.Equal(enc.first, coldEnc.first) {
			t.Errorf("%s: the compressed runs differ from a cold build's", format)
		}
		if promhttp, _ := reference(t, rebuilt, format); !bytes.Equal(got, promhttp) {
			t.Fatalf("%s: rebuilt differs from promhttp's:\n%s", format, firstDifference(got, promhttp))
		}
	}
}

func synthYAML(t *testing.T, n, variant int) []byte {
	t.Helper()
	var data bytes.Buffer
	if err := synth.Generate(&data, n, variant); err != nil {
		t.Fatal(err)
	}
	return data.Bytes()
}

type parseFunc func([]figures.RawFile, time.Time) (*figures.Dataset, figures.Diagnostics)

func parseYAML(t *testing.T, parse parseFunc, data []byte) (*figures.Dataset, figures.Diagnostics) {
	t.Helper()
	ds, diags := parse([]figures.RawFile{{Name: "synthetic.yaml", Data: data}}, parseTime)
	if ds == nil {
		t.Fatal(diags)
	}
	return ds, diags
}

// figureItem returns the item of synth's figure i.
func figureItem(t *testing.T, data []byte, i int) []byte {
	t.Helper()
	loc := regexp.MustCompile(fmt.Sprintf(`(?m)^  - id: [a-z-]+-%07d\n(    .*\n)*`, i)).FindIndex(data)
	if loc == nil {
		t.Fatalf("no figure %d", i)
	}
	return data[loc[0]:loc[1]]
}

// editFigure replaces old by new, once, in the item of synth's figure i.
func editFigure(t *testing.T, data []byte, i int, old, new string) []byte {
	t.Helper()
	item := figureItem(t, data, i)
	return bytes.Replace(data, item, replaceOnce(t, item, old, new), 1)
}

// editItem replaces old by new, once, after the first occurrence of start.
func editItem(t *testing.T, data []byte, start, old, new string) []byte {
	t.Helper()
	at := bytes.Index(data, []byte(start))
	if at < 0 {
		t.Fatalf("no %q", start)
	}
	return append(bytes.Clone(data[:at]), replaceOnce(t, data[at:], old, new)...)
}

func replaceOnce(t *testing.T, data []byte, old, new string) []byte {
	t.Helper()
	if !bytes.Contains(data, []byte(old)) {
		t.Fatalf("no %q", old)
	}
	return bytes.Replace(data, []byte(old), []byte(new), 1)
}

// prefixLabels prefixes the label values of a figure's item, but for
// country codes (the validator knows them).
func prefixLabels(item []byte, prefix string) []byte {
	labels := regexp.MustCompile(`labels: \{.*\}`)
	value := regexp.MustCompile(`(\{|, )([a-z_]+): `)
	return labels.ReplaceAllFunc(bytes.Clone(item), func(line []byte) []byte {
		return value.ReplaceAllFunc(line, func(l []byte) []byte {
			if bytes.Contains(l, []byte("country")) {
				return l
			}
			return append(bytes.Clone(l), prefix...)
		})
	})
}

// seriesOfFigure lists the families with a series of synth's figure i
// (published: if its source is dated).
func seriesOfFigure(ds *figures.Dataset, i int) []string {
	return []string{familyOf(ds, i), FigureInfo, FigureRevisedTimestamp, FigurePublishedTimestamp}
}

// each maps every name to n.
func each(names []string, n int) map[string]int {
	m := map[string]int{}
	for _, name := range names {
		m[name] = n
	}
	return m
}

// familyOf is the family of synth's figure i.
func familyOf(ds *figures.Dataset, i int) string {
	suffix := fmt.Sprintf("-%07d", i)
	for _, fig := range ds.Figures {
		if len(fig.ID) > len(suffix) && fig.ID[len(fig.ID)-len(suffix):] == suffix {
			return fig.Family
		}
	}
	return ""
}

// figureOrder lists the figures of family name in the order of their
// series.
func figureOrder(snap *Snapshot, name string) []string {
	for _, f := range snap.exposition.fams {
		if f.name == name {
			var ids []string
			for _, j := range f.layout.order {
				ids = append(ids, f.figs[j].ID)
			}
			return ids
		}
	}
	return nil
}

// TestRebuildChain: reloads one after another, as the benchmark's (synth's
// variants 0 and 1 in turn), each built from the one before: a family
// taken from the previous snapshot passes its layout on, and every
// snapshot is still a cold build's.
func TestRebuildChain(t *testing.T) {
	withRuns(t, 4, 32)
	parser := figures.NewParser()
	var prev *Snapshot
	for k := range 5 {
		ds, diags := parseYAML(t, twoResults(parser.Parse), synthYAML(t, layoutFigures, k%2))
		snap := Build(ds, diags, time.Unix(0, 0), prev)
		formats := slices.DeleteFunc(slices.Clone(testFormats), func(f expfmt.Format) bool { return !splitsFamilies(f) })
		if prev == nil {
			for _, format := range formats {
				encoding(t, snap, format) // asked for by scrapes
			}
		}
		sameAsCold(t, snap, Build(ds, diags, time.Unix(0, 0), nil), formats)
		if prev != nil {
			for i, f := range snap.exposition.fams {
				if f.kind != kindSingle && snap.exposition.stats[i].whole.Load() {
					t.Errorf("reload %d: %s made whole", k, f.name)
				}
			}
		}
		prev = snap
	}
}

// twoResults adapts a Parser's Parse, which also counts the files it reused.
func twoResults(parse func([]figures.RawFile, time.Time) (*figures.Dataset, figures.Diagnostics, int)) func([]figures.RawFile, time.Time) (*figures.Dataset, figures.Diagnostics) {
	return func(files []figures.RawFile, now time.Time) (*figures.Dataset, figures.Diagnostics) {
		ds, diags, _ := parse(files, now)
		return ds, diags
	}
}
