package extract

import (
	"bytes"
	"encoding/json"
	"flag"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/figures-exporter/figures_exporter/exporter/figures"
	"github.com/figures-exporter/figures_exporter/internal/testtools"
)

var update = flag.Bool("update", false, "rewrite the golden extract outputs in testdata/golden")

// curatedFamilies are the families of figures.yaml, as the CLI passes them.
func curatedFamilies(t *testing.T) (*figures.Dataset, []Family) {
	t.Helper()
	ds, diags := figures.Load([]string{filepath.Join(testtools.RepoRoot(t), "figures.yaml")}, 0, time.Now())
	if ds == nil {
		t.Fatalf("figures.yaml does not load:\n%v", diags)
	}
	var fams []Family
	for _, f := range ds.Families {
		fams = append(fams, Family{Name: f.Name, Unit: string(f.Unit), Help: f.Help})
	}
	return ds, fams
}

// TestSeedsGolden compares the candidates of each seed with the golden
// output in testdata/golden (go test -update rewrites them), without
// families so that the golden files do not change with the dataset's
// families (TestSeedsRecall measures the families), and checks on
// real articles what holds for every input: each quote is verbatim in the
// text (white space folded) and holds the candidate's text, each text is
// the input at the candidate's offset, and line and column point at it.
func TestSeedsGolden(t *testing.T) {
	dir := testtools.Seeds(t)
	names, _ := filepath.Glob(filepath.Join(dir, "*.txt"))
	if len(names) < 5 {
		t.Fatalf("want the five seeds in %s, found %d", dir, len(names))
	}
	for _, name := range names {
		base := filepath.Base(name)
		t.Run(base, func(t *testing.T) {
			data, err := os.ReadFile(name)
			if err != nil {
				t.Fatal(err)
			}
			text := Text(base, data)
			cands, err := Extract(base, text, nil)
			if err != nil {
				t.Fatal(err)
			}
			checkInvariants(t, text, cands)
			got, err := json.MarshalIndent(cands, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, '\n')
			golden := filepath.Join("testdata", "golden", strings.TrimSuffix(base, ".txt")+".json")
			if *update {
				if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update to write it)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("candidates differ from %s (go test -update rewrites it after review):\n%s", golden, got)
			}
		})
	}
}

// checkInvariants checks what every extraction must satisfy.
func checkInvariants(t *testing.T, text string, cands []Candidate) {
	t.Helper()
	folded := foldSpace(strings.TrimSpace(text))
	lines := strings.Split(text, "\n")
	for _, c := range cands {
		if c.Offset < 0 || c.End > len(text) || c.Offset >= c.End || text[c.Offset:c.End] != c.Text {
			t.Errorf("%d:%d: text %q is not the input at its offset", c.Line, c.Column, c.Text)
			continue
		}
		if !strings.Contains(folded, c.Quote) {
			t.Errorf("%d:%d: quote %q is not verbatim in the input", c.Line, c.Column, c.Quote)
		}
		if !strings.Contains(c.Quote, foldSpace(c.Text)) {
			t.Errorf("%d:%d: quote %q lacks the text %q", c.Line, c.Column, c.Quote, c.Text)
		}
		if c.Line < 1 || c.Line > len(lines) {
			t.Errorf("line %d out of range", c.Line)
			continue
		}
		runes := []rune(lines[c.Line-1])
		if c.Column < 1 || c.Column > len(runes) || !strings.HasPrefix(string(runes[c.Column-1:]), c.Text) {
			t.Errorf("%d:%d does not point at %q", c.Line, c.Column, c.Text)
		}
		if math.IsNaN(c.Value) || math.IsInf(c.Value, 0) {
			t.Errorf("%d:%d: value %v", c.Line, c.Column, c.Value)
		}
	}
}

// TestSeedsRecall measures the extractor on the curated dataset: every
// figure of figures.yaml that its article states (not one derived from
// others) must be proposed inside its quote with its value and unit. It
// reports the share also proposed with the figure's qualifier, and the
// precision: the share of all proposals on the seeds that are curated
// figures.
func TestSeedsRecall(t *testing.T) {
	dir := testtools.Seeds(t)
	ds, fams := curatedFamilies(t)
	type seedCands struct {
		folded *Folded
		cands  []Candidate
		hit    map[int]bool
	}
	seeds := map[string]*seedCands{}
	stated, found, qualified, familied := 0, 0, 0, 0
	for _, f := range ds.Figures {
		if f.Derived != nil {
			continue
		}
		src := ds.Source(f)
		sc := seeds[src.Seed]
		if sc == nil {
			data, err := os.ReadFile(filepath.Join(dir, src.Seed))
			if err != nil {
				t.Fatal(err)
			}
			text := Text(src.Seed, data)
			cands, err := Extract(src.Seed, text, fams)
			if err != nil {
				t.Fatal(err)
			}
			sc = &seedCands{folded: Fold(text), cands: cands, hit: map[int]bool{}}
			seeds[src.Seed] = sc
		}
		stated++
		places := sc.folded.Find(f.Quote)
		best := -1
		for i, c := range sc.cands {
			in := false
			for _, p := range places {
				in = in || p.Holds(Span{c.Offset, c.End})
			}
			if in && c.Unit == string(ds.Family(f.Family).Unit) && close(c.Value, f.Value) {
				if best < 0 || c.Qualifier == string(f.Qualifier) {
					best = i
				}
			}
		}
		if best < 0 {
			t.Errorf("figure %s (%v %s %s) is not among the proposals in its quote %q", f.ID, f.Value, ds.Family(f.Family).Unit, f.Qualifier, f.Quote)
			continue
		}
		found++
		sc.hit[best] = true
		if fam := sc.cands[best].Family; fam != nil && *fam == f.Family {
			familied++
		} else {
			t.Logf("figure %s: family %v proposed, %s curated", f.ID, strOrNil(fam), f.Family)
		}
		if sc.cands[best].Qualifier == string(f.Qualifier) {
			qualified++
		} else {
			t.Logf("figure %s: qualifier %s proposed, %s curated", f.ID, sc.cands[best].Qualifier, f.Qualifier)
		}
	}
	// Precision over every seed, including those no figure cites.
	names, _ := filepath.Glob(filepath.Join(dir, "*.txt"))
	total, curated := 0, 0
	sort.Strings(names)
	for _, name := range names {
		base := filepath.Base(name)
		if sc := seeds[base]; sc != nil {
			total += len(sc.cands)
			curated += len(sc.hit)
			continue
		}
		data, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		cands, _ := Extract(base, Text(base, data), fams)
		total += len(cands)
	}
	t.Logf("recall %d/%d figures stated in the seeds (%d with the qualifier, %d with the family); precision %d/%d proposals are curated figures (%.0f %%)",
		found, stated, qualified, familied, curated, total, 100*float64(curated)/float64(max(total, 1)))
	if qualified*10 < found*8 {
		t.Errorf("only %d of %d figures found have the curated qualifier, want 80 %%", qualified, found)
	}
	if familied*10 < found*7 {
		t.Errorf("only %d of %d figures found have the curated family, want 70 %%", familied, found)
	}
}

func strOrNil(s *string) string {
	if s == nil {
		return "null"
	}
	return *s
}
