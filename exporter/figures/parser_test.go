package figures

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

var parseNow = time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC)

// parseBothWays parses files item by item and whole, and fails unless both
// give the same dataset (positions included) and the same diagnostics. It
// returns the stats of the item-wise parse.
func parseBothWays(t testing.TB, files []RawFile) ParseStats {
	t.Helper()
	whole := newParseRun()
	whole.whole = true
	wantDS, wantDiags := parse(files, "", parseNow, whole)
	p := NewParser()
	gotDS, gotDiags := p.Parse(files, parseNow)
	if got, want := gotDiags.Error(), wantDiags.Error(); got != want {
		t.Fatalf("diagnostics differ\n--- item by item\n%s\n--- whole\n%s", got, want)
	}
	if !reflect.DeepEqual(gotDS, wantDS) {
		t.Fatalf("datasets differ between the item-by-item and the whole parse")
	}
	return p.Stats()
}

// TestItemsParseLikeWhole parses every fixture of the repository both ways.
// The good ones must take the item-by-item path; every one must give the
// same dataset and the same messages either way.
func TestItemsParseLikeWhole(t *testing.T) {
	root := filepath.Join("..", "..")
	paths := []string{filepath.Join(root, "figures.yaml")}
	err := filepath.WalkDir(filepath.Join(root, "testdata"), func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && (strings.HasSuffix(path, ".yaml") || strings.HasSuffix(path, ".yml")) {
			paths = append(paths, path)
		}
		return err
	})
	if err != nil || len(paths) < 100 {
		t.Fatalf("want the fixtures of testdata, found %d: %v", len(paths), err)
	}
	itemWise := 0
	for _, path := range paths {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		name, _ := filepath.Rel(root, path)
		t.Run(name, func(t *testing.T) {
			st := parseBothWays(t, []RawFile{{Name: name, Data: data}})
			if st.Whole == 0 {
				itemWise++
			}
			if strings.Contains(path, "good") && !strings.HasPrefix(filepath.Base(path), ".") || path == paths[0] {
				if st.Whole != 0 || st.Items == 0 {
					t.Errorf("a good file must be parsed item by item, got %+v", st)
				}
			}
		})
	}
	t.Logf("%d of %d fixtures parsed item by item", itemWise, len(paths))
}

// validFile is a small dataset of the usual layout; the cases below bend it.
const validFile = `# A comment before the first key.
families:
  - name: figures_attacks_daily_average
    help: Attacks a day.
    unit: count
    labels: [origin_country]
sources:
  - id: src
    seed: 000.txt
    title: A report
    notes: |
      Several lines
      - of notes, one looking like an item
figures:
  - id: daily
    family: figures_attacks_daily_average
    labels: {origin_country: KP}
    value: 1000
    qualifier: about
    period: {start: 2023-01-01, end: 2023-06-30}
    source: src
    quote: "attacks"
    curated: 2026-01-15
  - id: daily-cn
    family: figures_attacks_daily_average
    labels:
      origin_country: CN
    value: 2000
    qualifier: about
    period:
      start: 2023-01-01
      end: 2023-06-30
    source: src
    quote: 'more
      attacks'
    curated: 2026-01-15
`

// TestItemsParseEdgeCases covers the shapes the line-based cut must either
// handle or hand over to the whole parse, with the result of the whole
// parse in every case.
func TestItemsParseEdgeCases(t *testing.T) {
	replace := func(old, new string) string {
		if !strings.Contains(validFile, old) {
			t.Fatalf("fixture lacks %q", old)
		}
		return strings.Replace(validFile, old, new, 1)
	}
	for _, tc := range []struct {
		name     string
		data     string
		itemWise bool // the file must be parsed item by item
	}{
		{name: "usual layout", data: validFile, itemWise: true},
		{name: "lists at column 0", data: strings.ReplaceAll(strings.ReplaceAll(validFile, "\n  - ", "\n- "), "\n    ", "\n  "), itemWise: true},
		{name: "windows line endings", data: strings.ReplaceAll(validFile, "\n", "\r\n"), itemWise: true},
		{name: "comment after a key", data: replace("figures:\n", "figures: # the figures\n"), itemWise: true},
		{name: "comments and blank lines between items", data: replace("  - id: daily-cn", "\n# next one\n\n  - id: daily-cn"), itemWise: true},
		{name: "item dash on a line of its own", data: replace("  - id: daily-cn\n", "  -\n    id: daily-cn\n"), itemWise: true},
		{name: "a quoted string spanning an item line", data: replace("    quote: \"attacks\"\n", "    quote: \"attacks\n  - id: not-an-item\"\n")},
		{name: "a flow mapping spanning an item line", data: replace("    labels: {origin_country: KP}\n", "    labels: {origin_country: KP,\n  - x: y}\n")},
		{name: "an alias to another item", data: replace("    labels: [origin_country]\n", "    labels: &labels [origin_country]\n  - name: figures_other_total\n    help: x\n    unit: count\n    labels: *labels\n")},
		{name: "an anchor used in its own item", data: replace("    quote: \"attacks\"\n", "    quote: &q \"attacks\"\n    notes: *q\n")},
		{name: "a tab after the dash", data: replace("  - id: daily-cn", "  -\tid: daily-cn")},
		{name: "a control character in a comment outside items", data: replace("# A comment", "# A \x01 comment")},
		{name: "invalid UTF-8 in a comment outside items", data: replace("# A comment", "# A \xff comment")},
		{name: "a control character inside an item", data: replace("title: A report", "title: A \x01 report")},
		{name: "a document marker", data: "---\n" + validFile},
		{name: "a second document", data: validFile + "---\nfigures: []\n"},
		{name: "a directive", data: "%YAML 1.2\n---\n" + validFile},
		{name: "a repeated key", data: validFile + "sources:\n  - id: other\n    seed: 000.txt\n    title: T\n"},
		{name: "an unknown key", data: validFile + "extra:\n  - 1\n"},
		{name: "an empty list", data: replace("sources:\n", "sources:\nignored:\n")},
		{name: "a key without a list", data: validFile + "sources:\n"},
		{name: "a flow list", data: strings.Replace(validFile, "families:\n", "families: []\nx:\n", 1)},
		{name: "a line less indented than the items", data: replace("    source: src\n    quote: \"attacks\"", "    source: src\n quote: \"attacks\"")},
		{name: "an item that is not a mapping", data: replace("  - id: daily-cn", "  - just text\n  - id: daily-cn")},
		{name: "an item with a problem", data: replace("value: 2000", "value: lots")},
		{name: "a validation error", data: replace("source: src\n    quote: 'more", "source: nowhere\n    quote: 'more")},
		{name: "text before the first key", data: "  indented\n" + validFile},
		{name: "nothing but comments", data: "# nothing\n"},
		{name: "a nested list at the items' column", data: replace("  - id: daily-cn", "  - - nested\n  - id: daily-cn")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			st := parseBothWays(t, []RawFile{{Name: "edge.yaml", Data: []byte(tc.data)}})
			if tc.itemWise && st.Whole != 0 {
				t.Errorf("want an item-by-item parse, got %+v", st)
			}
		})
	}
}

// TestParserReuse parses a dataset, then edited versions of it with the same
// Parser: unchanged items are reused (the very objects when they did not
// move), and the result is always what a fresh parse gives.
func TestParserReuse(t *testing.T) {
	base := []byte(validFile)
	insert := "  - id: daily-ru\n    family: figures_attacks_daily_average\n    labels: {origin_country: RU}\n    value: 10\n    qualifier: about\n    period: {end: 2023-06-30}\n    source: src\n    quote: \"attacks\"\n    curated: 2026-01-15\n"
	for _, tc := range []struct {
		name       string
		file       string
		edit       func([]byte) []byte
		wantReused int
		wantSame   []string // figures that must be the very same objects
	}{
		{name: "unchanged", edit: func(b []byte) []byte { return b }, wantReused: 4, wantSame: []string{"daily", "daily-cn"}},
		{name: "one value changed", edit: func(b []byte) []byte { return bytes.Replace(b, []byte("value: 2000"), []byte("value: 2500"), 1) }, wantReused: 3, wantSame: []string{"daily"}},
		{name: "a figure inserted before the others", edit: func(b []byte) []byte { return bytes.Replace(b, []byte("figures:\n"), []byte("figures:\n"+insert), 1) }, wantReused: 4},
		{name: "a figure removed", edit: func(b []byte) []byte {
			i := bytes.Index(b, []byte("  - id: daily-cn"))
			return b[:i]
		}, wantReused: 3, wantSame: []string{"daily"}},
		{name: "lines added above", edit: func(b []byte) []byte { return append([]byte("# more\n# comments\n"), b...) }, wantReused: 4},
		{name: "renamed file", file: "renamed.yaml", edit: func(b []byte) []byte { return b }, wantReused: 4},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := NewParser()
			first, diags := p.Parse([]RawFile{{Name: "f.yaml", Data: base}}, parseNow)
			if first == nil {
				t.Fatal(diags)
			}
			name := tc.file
			if name == "" {
				name = "f.yaml"
			}
			edited := []RawFile{{Name: name, Data: tc.edit(bytes.Clone(base))}}
			got, diags := p.Parse(edited, parseNow)
			if got == nil {
				t.Fatal(diags)
			}
			if st := p.Stats(); st.Reused != tc.wantReused || st.Whole != 0 {
				t.Errorf("stats %+v, want %d reused and no whole parse", st, tc.wantReused)
			}
			want, _ := Parse(edited, parseNow)
			if !reflect.DeepEqual(got, want) {
				t.Errorf("the reusing parse differs from a fresh one")
			}
			for _, id := range tc.wantSame {
				if figure(got, id) != figure(first, id) {
					t.Errorf("figure %s was not reused as it was", id)
				}
			}
			// Objects of the first dataset are never modified.
			again, _ := Parse([]RawFile{{Name: "f.yaml", Data: base}}, parseNow)
			if !reflect.DeepEqual(first, again) {
				t.Errorf("the first dataset changed")
			}
		})
	}
}

// TestParserKeepsItemsAfterFailure: a failed parse does not make the next
// one start from nothing.
func TestParserKeepsItemsAfterFailure(t *testing.T) {
	p := NewParser()
	good := []RawFile{{Name: "f.yaml", Data: []byte(validFile)}}
	if ds, diags := p.Parse(good, parseNow); ds == nil {
		t.Fatal(diags)
	}
	bad := []RawFile{{Name: "f.yaml", Data: []byte(strings.Replace(validFile, "value: 2000", "value: lots", 1))}}
	if ds, _ := p.Parse(bad, parseNow); ds != nil {
		t.Fatal("a broken file was accepted")
	}
	if ds, diags := p.Parse(good, parseNow); ds == nil {
		t.Fatal(diags)
	}
	if st := p.Stats(); st.Reused != st.Items || st.Items != 4 {
		t.Errorf("stats %+v, want all 4 items reused", st)
	}
}

func figure(ds *Dataset, id string) *Figure {
	for _, f := range ds.Figures {
		if f.ID == id {
			return f
		}
	}
	return nil
}

// FuzzItemsParseLikeWhole checks on arbitrary files that the item-by-item
// parse and the whole parse agree: a long run is
//
//	go test ./exporter/figures -run '^$' -fuzz FuzzItemsParseLikeWhole -fuzztime 10m
func FuzzItemsParseLikeWhole(f *testing.F) {
	f.Add([]byte(validFile))
	seeds, _ := filepath.Glob(filepath.Join("..", "..", "testdata", "*", "*.yaml"))
	for _, path := range seeds {
		if data, err := os.ReadFile(path); err == nil {
			f.Add(data)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 64<<10 {
			return
		}
		parseBothWays(t, []RawFile{{Name: "fuzz.yaml", Data: data}})
	})
}
