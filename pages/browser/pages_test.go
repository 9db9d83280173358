package browser_test

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	figuresexporter "github.com/figures-exporter/figures_exporter"
	"github.com/figures-exporter/figures_exporter/exporter/figures"
	"github.com/figures-exporter/figures_exporter/internal/coverage"
	"github.com/figures-exporter/figures_exporter/internal/testtools"
	"github.com/figures-exporter/figures_exporter/pages"
)

// figureID is the figure whose page is checked (and shown in the README):
// the first figure of the catalogue's newest report.
const figureID = "kr-attacks-daily-2023-h1"

// testPages checks the four kinds of page, as the default binary serves
// them, at both widths: nothing scrolls sideways, axe-core finds no
// serious or critical violation. Then the catalogue's filters and the
// article marks of every seed. With FIGURES_SCREENSHOTS=1 it writes the
// screenshots of docs/screenshots/ (the first screen of each page at each
// width); with FIGURES_BROWSER_ARTIFACTS=DIR, full-page ones into DIR.
func testPages(t *testing.T, browser context.Context, axe string) {
	ds, diags := figures.Parse([]figures.RawFile{{Name: figuresexporter.DefaultFiguresName, Data: figuresexporter.DefaultFigures}}, time.Now())
	if ds == nil {
		t.Fatalf("the embedded dataset does not parse:\n%v", diags)
	}
	fig := figureByID(ds, figureID)
	if fig == nil {
		t.Fatalf("no figure %s in figures.yaml", figureID)
	}
	// No --figures.file: the embedded dataset with the embedded seeds.
	base := startExporter(t)
	tb := newTab(t, browser)

	for _, pg := range []struct{ name, path string }{
		{"catalogue", "/"},
		{"report", "/sources/" + url.PathEscape(fig.Source)},
		{"figure", "/figures/" + url.PathEscape(fig.ID)},
		{"status", "/status"},
	} {
		for _, vp := range viewports {
			t.Run(pg.name+"-"+vp.Name, func(t *testing.T) {
				tb.open(t, vp, base+pg.path)
				checkLayout(t, tb, vp)
				violations := runAxe(t, tb, axe)
				for _, v := range violations {
					if v.Impact == "serious" || v.Impact == "critical" {
						t.Errorf("axe: %v", v)
					} else {
						t.Logf("axe (%s, allowed): %v", v.Impact, v)
					}
				}
				t.Logf("%s at %s: %d axe violations (%d serious or critical)", pg.path, vp.Name, len(violations), countIf(violations, func(v axeViolation) bool { return v.Impact == "serious" || v.Impact == "critical" }))
				if pg.name == "catalogue" {
					checkValues(t, tb, ds, vp)
				}
				screenshots(t, tb, pg.name+"-"+vp.Name)
			})
		}
	}
	if n := tb.dialogs.Load(); n != 0 {
		t.Errorf("the pages opened %d JavaScript dialogs", n)
	}

	t.Run("keyboard", func(t *testing.T) { checkSkipLink(t, tb, base+"/") })
	t.Run("print", func(t *testing.T) { checkPrint(t, tb, base+"/sources/"+url.PathEscape(fig.Source)) })
	t.Run("filters", func(t *testing.T) { checkFilters(t, tb, base, ds) })
	t.Run("form", func(t *testing.T) { checkForm(t, tb, base, ds) })
	t.Run("articles", func(t *testing.T) { checkArticles(t, tb, base, ds) })
}

// checkLayout asserts that the page fits the viewport's width: on a phone
// the layout viewport is the device's (the page has a working viewport
// meta tag), and nothing is wider.
func checkLayout(t *testing.T, tb *tab, vp viewport) {
	t.Helper()
	if broken := eval[[]string](t, tb, brokenWordsJS); len(broken) > 0 {
		t.Errorf("words split over two lines at %s: %v", vp.Name, broken)
	}
	l := eval[layout](t, tb, layoutJS)
	if l.InnerWidth != vp.Width {
		t.Errorf("window.innerWidth is %d at a %d px viewport (no working <meta name=viewport>?)", l.InnerWidth, vp.Width)
	}
	if l.ScrollWidth > l.InnerWidth {
		t.Errorf("the page scrolls sideways: scrollWidth %d > innerWidth %d; too wide: %v", l.ScrollWidth, l.InnerWidth, l.Wide)
	}
}

// valuesJS reads each figure's value on the catalogue as shown: the text
// of its row's link to its page, where the link lies, and its font size.
const valuesJS = `Array.from(document.querySelectorAll('[data-figure-id]')).map(row => {
  const a = Array.from(row.querySelectorAll('a[href]')).find(a => new URL(a.href).pathname.endsWith('/figures/' + encodeURIComponent(row.dataset.figureId)));
  const r = a ? a.getBoundingClientRect() : {left: 0, right: 0};
  return {ID: row.dataset.figureId, Text: a ? a.innerText : '', Left: r.left, Right: r.right,
    FontSize: a ? parseFloat(getComputedStyle(a).fontSize) : 0};
})`

type shownValue struct {
	ID, Text    string
	Left, Right float64
	FontSize    float64
}

// checkValues: every value on / is readable on the screen: the value as
// people read it (pages.Readable, as the API's readable value), inside
// the viewport's width, at a body-text size at least.
func checkValues(t *testing.T, tb *tab, ds *figures.Dataset, vp viewport) {
	t.Helper()
	got := eval[[]shownValue](t, tb, valuesJS)
	if len(got) != len(ds.Figures) {
		t.Errorf("%d values shown, want %d", len(got), len(ds.Figures))
	}
	for _, v := range got {
		f := figureByID(ds, v.ID)
		if f == nil {
			t.Errorf("a row for figure %s, which the dataset has not", v.ID)
			continue
		}
		if want := pages.Readable(f.Value, ds.Family(f.Family).Unit, f.Qualifier); fold(v.Text) != want {
			t.Errorf("%s: value shown as %q, want %q", v.ID, v.Text, want)
		}
		if v.Left < 0 || v.Right > float64(vp.Width) {
			t.Errorf("%s: the value lies at x %.0f-%.0f, outside the %d px viewport", v.ID, v.Left, v.Right, vp.Width)
		}
		if v.FontSize < 14 {
			t.Errorf("%s: the value is set at %.1f px", v.ID, v.FontSize)
		}
	}
}

// screenshots writes the first screen of the page to docs/screenshots
// when FIGURES_SCREENSHOTS=1 (to regenerate the README's pictures), and
// the whole page to $FIGURES_BROWSER_ARTIFACTS when it is set.
func screenshots(t *testing.T, tb *tab, name string) {
	t.Helper()
	if os.Getenv("FIGURES_SCREENSHOTS") == "1" {
		png := run(t, tb, chromedp.CaptureScreenshot())
		write(t, filepath.Join(testtools.RepoRoot(t), "docs", "screenshots", name+".png"), png)
	}
	if dir := os.Getenv("FIGURES_BROWSER_ARTIFACTS"); dir != "" {
		write(t, filepath.Join(dir, name+"-full.png"), run(t, tb, chromedp.FullScreenshot(100)))
	}
}

func write(t *testing.T, file string, data []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(file, data, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("wrote %s", file)
}

// checkSkipLink: a keyboard user's first Tab lands on a link that skips
// the header, and following it moves the focus into the main content.
func checkSkipLink(t *testing.T, tb *tab, page string) {
	tb.open(t, viewports[1], page)
	run(t, tb, chromedp.KeyEvent(kb.Tab))
	first := eval[struct{ Text, Href string }](t, tb, `({Text: document.activeElement.innerText, Href: document.activeElement.getAttribute('href') || ''})`)
	if !strings.HasPrefix(first.Href, "#") || !strings.Contains(strings.ToLower(first.Text), "skip") {
		t.Fatalf("the first Tab focuses %+v, not a skip link", first)
	}
	run(t, tb, chromedp.KeyEvent(kb.Enter))
	target := strings.TrimPrefix(first.Href, "#")
	if !eval[bool](t, tb, `location.hash === '#`+target+`' && document.getElementById('`+target+`') !== null && document.getElementById('`+target+`').contains(document.querySelector(':target'))`) {
		t.Errorf("following the skip link does not reach #%s", target)
	}
	// The next Tab goes to the first link or field of the main content,
	// not back to the header.
	run(t, tb, chromedp.KeyEvent(kb.Tab))
	if !eval[bool](t, tb, `document.getElementById('`+target+`').contains(document.activeElement)`) {
		t.Errorf("after the skip link, Tab focuses %q outside #%s", eval[string](t, tb, `document.activeElement.outerHTML.slice(0, 80)`), target)
	}
}

// a4 is an A4 page at 96 dpi, as Chromium prints it.
var a4 = viewport{Name: "print", Width: 794, Height: 1123, Print: true}

// printJS tells what a printed page shows: the parts that must not print
// (site header and footer, filters, pager, banner), and whether the
// reason of each left-out number is printed beside it (a printed page has
// no tooltip).
const printJS = `({
  Shown: Array.from(document.querySelectorAll('header.site, footer.site, .filters, .pager, .banner, .skip')).filter(e => getComputedStyle(e).display !== 'none').map(e => e.tagName.toLowerCase() + '.' + e.className),
  Reasons: Array.from(document.querySelectorAll('mark[data-kind=excluded]')).map(m => m.innerText),
})`

type printed struct {
	Shown   []string
	Reasons []string
}

// checkPrint loads a report page with the print stylesheet on an A4 page:
// it fits the page's width, prints no navigation, and prints each
// left-out number with its reason.
func checkPrint(t *testing.T, tb *tab, page string) {
	tb.open(t, a4, page)
	checkLayout(t, tb, a4)
	p := eval[printed](t, tb, printJS)
	if len(p.Shown) > 0 {
		t.Errorf("printed, yet not for paper: %v", p.Shown)
	}
	if len(p.Reasons) == 0 {
		t.Errorf("the report's article shows no left-out number")
	}
	for _, r := range p.Reasons {
		if !strings.Contains(r, "left out") {
			t.Errorf("a left-out number prints without its reason: %q", r)
		}
	}
	if dir := os.Getenv("FIGURES_BROWSER_ARTIFACTS"); dir != "" {
		write(t, filepath.Join(dir, "report-print-full.png"), run(t, tb, chromedp.FullScreenshot(100)))
	}
}

// shownJS lists the figures a catalogue page shows, the count line, and
// the next page's URL.
const shownJS = `({
  IDs: Array.from(document.querySelectorAll('[data-figure-id]')).map(e => e.dataset.figureId),
  Count: (document.getElementById('count') || {textContent: ''}).textContent,
  Next: (document.querySelector('a[rel=next]') || {href: ''}).href,
})`

type shown struct {
	IDs   []string
	Count string
	Next  string
}

var countRE = regexp.MustCompile(`^\s*(\d+) of (\d+) figures`)

// selected returns the ids of the figures the catalogue shows for query,
// over all its pages, checking the "n of N figures" line.
func selected(t *testing.T, tb *tab, base, query string) []string {
	t.Helper()
	return selectedPages(t, tb, base, query, func([]string) {})
}

// selectedPages is selected that hands each page's ids to page.
func selectedPages(t *testing.T, tb *tab, base, query string, page func([]string)) []string {
	t.Helper()
	var ids []string
	next := base + "/" + query
	for pages := 0; next != ""; pages++ {
		if pages == 100 {
			t.Fatalf("%s: more than 100 pages", query)
		}
		tb.open(t, viewports[1], next)
		s := eval[shown](t, tb, shownJS)
		page(s.IDs)
		ids = append(ids, s.IDs...)
		if pages == 0 {
			m := countRE.FindStringSubmatch(s.Count)
			if m == nil {
				t.Errorf("%s: the count line %q does not say \"n of N figures\"", query, s.Count)
			} else {
				defer func(n string) {
					if n != strconv.Itoa(len(ids)) {
						t.Errorf("%s: the count line says %s figures, the pages show %d", query, n, len(ids))
					}
				}(m[1])
			}
		}
		next = s.Next
	}
	return ids
}

// checkFilters visits every value of every filter of / (each claim of
// several figures too, and a few combinations) as a permalink and compares the figures shown with those
// the filter's definition selects from the dataset, computed here.
func checkFilters(t *testing.T, tb *tab, base string, ds *figures.Dataset) {
	type filter struct {
		query string
		keep  func(*figures.Figure) bool
	}
	all := func(*figures.Figure) bool { return true }
	filters := []filter{{"", all}}
	for _, fam := range ds.Families {
		filters = append(filters, filter{"?family=" + url.QueryEscape(fam.Name), func(f *figures.Figure) bool { return f.Family == fam.Name }})
	}
	for _, c := range countryCodes(ds) {
		filters = append(filters, filter{"?country=" + c, func(f *figures.Figure) bool { return slices.Contains(countriesOf(f), c) }})
	}
	for _, fl := range ds.Flags(ds.Figures[0]) {
		filters = append(filters, filter{"?flag=" + fl.Name, func(f *figures.Figure) bool { return flagOn(ds, f, fl.Name) }})
	}
	for g := 1; g <= 6; g++ {
		filters = append(filters, filter{"?credibility=" + strconv.Itoa(g), func(f *figures.Figure) bool { return f.Credibility != 0 && f.Credibility <= g }})
	}
	for _, r := range "ABCDEF" {
		filters = append(filters, filter{"?reliability=" + string(r), func(f *figures.Figure) bool {
			rel := ds.Source(f).Reliability
			return rel != "" && rel <= string(r)
		}})
	}
	claims := map[string]int{}
	for _, f := range ds.Figures {
		claims[f.ClaimID()]++
	}
	for _, f := range ds.Figures {
		if id := f.ClaimID(); claims[id] > 1 {
			delete(claims, id) // each claim of several figures once
			filters = append(filters, filter{"?claim=" + url.QueryEscape(id), func(g *figures.Figure) bool { return g.ClaimID() == id }})
		}
	}
	for _, q := range []string{"ransomware", "BILLION won", figureID, "Korea Herald", "no such words anywhere"} {
		filters = append(filters, filter{"?q=" + url.QueryEscape(q), func(f *figures.Figure) bool { return matchesText(ds, f, q) }})
	}
	filters = append(filters,
		filter{"?country=KP&flag=derived", func(f *figures.Figure) bool {
			return slices.Contains(countriesOf(f), "KP") && flagOn(ds, f, "derived")
		}},
		filter{"?flag=contradiction&flag=derived", func(f *figures.Figure) bool {
			return flagOn(ds, f, "contradiction") && flagOn(ds, f, "derived")
		}},
		filter{"?credibility=2&reliability=B&q=attacks", func(f *figures.Figure) bool {
			rel := ds.Source(f).Reliability
			return f.Credibility != 0 && f.Credibility <= 2 && rel != "" && rel <= "B" && matchesText(ds, f, "attacks")
		}},
	)
	nonEmpty := 0
	for _, fl := range filters {
		var want []string
		for _, f := range ds.Figures {
			if fl.keep(f) {
				want = append(want, f.ID)
			}
		}
		got := selected(t, tb, base, fl.query)
		if dup := duplicates(got); len(dup) > 0 {
			t.Errorf("%q shows figures more than once: %v", fl.query, dup)
		}
		slices.Sort(got)
		got = slices.Compact(got)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("%q shows %d figures, want %d:\n shown:  %v\n wanted: %v", fl.query, len(got), len(want), got, want)
		}
		if len(want) > 0 && len(want) < len(ds.Figures) {
			nonEmpty++
		}
	}
	// A filter test whose filters all select everything or nothing would
	// prove little.
	if nonEmpty < len(filters)/2 {
		t.Errorf("only %d of %d filters select some but not all figures", nonEmpty, len(filters))
	}
	t.Logf("%d filters checked, %d of them selecting some but not all of the %d figures", len(filters), nonEmpty, len(ds.Figures))
}

// checkForm filters as a person does on a phone, without JavaScript's
// help: unfold the form, choose a family, press the button, and land on
// the permalink showing that family's figures, the chosen filter in view.
func checkForm(t *testing.T, tb *tab, base string, ds *figures.Dataset) {
	fam := ds.Family(figureByID(ds, figureID).Family)
	tb.open(t, viewports[0], base+"/")
	// On a phone the less used filters are folded: open them as a
	// person would, by their summary.
	if !eval[bool](t, tb, `document.getElementById('family').checkVisibility()`) {
		run(t, tb, chromedp.Click(chromedp.CSS(`form.filters details > summary`)))
		if !eval[bool](t, tb, `document.getElementById('family').checkVisibility()`) {
			t.Fatal("the family filter stays hidden after opening the form's folded part")
		}
		t.Log("opened the folded filters to reach the family filter")
	}
	run(t, tb, chromedp.SetValue(chromedp.CSS(`#family`), fam.Name))
	ctx := tb.ctx
	if _, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(`form.filters button[type=submit]`))); err != nil {
		t.Fatalf("submitting the filter form: %v", err)
	}
	loc := run(t, tb, chromedp.Location())
	u, err := url.Parse(loc)
	if err != nil {
		t.Fatal(err)
	}
	if got := u.Query().Get("family"); got != fam.Name {
		t.Errorf("after submitting the form the URL is %s, want family=%s in it", loc, fam.Name)
	}
	if !eval[bool](t, tb, `document.getElementById('family').checkVisibility()`) {
		t.Errorf("after filtering by family, the family filter is folded away")
	}
	s := eval[shown](t, tb, shownJS)
	var want []string
	for _, f := range ds.Figures {
		if f.Family == fam.Name {
			want = append(want, f.ID)
		}
	}
	slices.Sort(s.IDs)
	if !slices.Equal(s.IDs, want) {
		t.Errorf("the form's family filter shows %v, want %v", s.IDs, want)
	}
}

// markJS lists the marked numbers of a report page's article: the kind,
// the place, the number as shown (its first child: the link of a curated
// one, the text of the others), the figures it links to, and the title
// (an excluded number's reason).
const markJS = `Array.from(document.querySelectorAll('mark[data-kind]')).map(m => ({
  Kind: m.dataset.kind,
  Line: +m.dataset.line,
  Col: +m.dataset.col,
  Text: m.firstChild ? m.firstChild.textContent : '',
  Figures: Array.from(m.querySelectorAll('a[href]')).map(a => decodeURIComponent(new URL(a.href).pathname.replace(/^.*\/figures\//, ''))),
  Title: m.title,
}))`

type shownMark struct {
	Kind      string
	Line, Col int
	Text      string
	Figures   []string
	Title     string
}

// checkArticles opens the report page of every source whose seed the
// binary embeds and compares each marked number with coverage.Classify,
// which `check --coverage` reports from: same numbers, same places, same
// kinds, curated ones linking to exactly their figures, excluded ones
// giving their reason.
func checkArticles(t *testing.T, tb *tab, base string, ds *figures.Dataset) {
	ids := make([]string, 0, len(ds.Sources))
	for id := range ds.Sources {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range ids {
		src := ds.Sources[id]
		t.Run(id, func(t *testing.T) {
			text, err := coverage.SeedText(figuresexporter.DefaultSeeds, src)
			if err != nil {
				t.Fatalf("seed %s is not embedded: %v", src.Seed, err)
			}
			want := coverage.Classify(ds, src, text)
			tb.open(t, viewports[1], base+"/sources/"+url.PathEscape(id))
			got := eval[[]shownMark](t, tb, markJS)
			if len(got) != len(want) {
				t.Errorf("%d numbers marked, coverage.Classify finds %d", len(got), len(want))
			}
			kinds := map[string]int{}
			for i := range min(len(got), len(want)) {
				g, w := got[i], want[i]
				kinds[g.Kind]++
				where := fmt.Sprintf("%s:%d:%d %q", src.Seed, w.Line, w.Col, w.Text)
				if g.Kind != string(w.Kind) || g.Line != w.Line || g.Col != w.Col || fold(g.Text) != fold(w.Text) {
					t.Errorf("%s: marked as %s at %d:%d %q, want %s", where, g.Kind, g.Line, g.Col, g.Text, w.Kind)
					continue
				}
				switch w.Kind {
				case coverage.Curated:
					if links := slices.Compact(slices.Clone(g.Figures)); !slices.Equal(links, w.FigureIDs) {
						t.Errorf("%s: links to figures %v, want %v", where, g.Figures, w.FigureIDs)
					}
				case coverage.Excluded:
					if !strings.Contains(g.Title, w.Reason) {
						t.Errorf("%s: title %q does not give the reason %q", where, g.Title, w.Reason)
					}
					if len(g.Figures) > 0 {
						t.Errorf("%s: an excluded number links to %v", where, g.Figures)
					}
				case coverage.Unmarked:
					if len(g.Figures) > 0 {
						t.Errorf("%s: an unmarked number links to %v", where, g.Figures)
					}
				}
			}
			t.Logf("%s: %v", src.Seed, kinds)
		})
	}
}

func figureByID(ds *figures.Dataset, id string) *figures.Figure {
	for _, f := range ds.Figures {
		if f.ID == id {
			return f
		}
	}
	return nil
}

// countriesOf lists the codes a figure's country labels hold: a label
// named country or ending in _country or _countries holds ISO 3166-1
// codes, several joined by "+" (CN+KP).
func countriesOf(f *figures.Figure) []string {
	var out []string
	for _, l := range f.Labels {
		if l.Name == "country" || strings.HasSuffix(l.Name, "_country") || strings.HasSuffix(l.Name, "_countries") {
			out = append(out, strings.Split(l.Value, "+")...)
		}
	}
	return out
}

func countryCodes(ds *figures.Dataset) []string {
	var out []string
	for _, f := range ds.Figures {
		out = append(out, countriesOf(f)...)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

func flagOn(ds *figures.Dataset, f *figures.Figure, name string) bool {
	for _, fl := range ds.Flags(f) {
		if fl.Name == name {
			return fl.On
		}
	}
	return false
}

// matchesText: every word of q (any case) appears in the figure's id, its
// quote, or its report's title or original title.
func matchesText(ds *figures.Dataset, f *figures.Figure, q string) bool {
	src := ds.Source(f)
	fields := strings.ToLower(strings.Join([]string{f.ID, f.Quote, src.Title, src.OriginalTitle}, "\x00"))
	for _, w := range strings.Fields(strings.ToLower(q)) {
		if !strings.Contains(fields, w) {
			return false
		}
	}
	return true
}

func duplicates(ids []string) []string {
	seen := map[string]bool{}
	var dup []string
	for _, id := range ids {
		if seen[id] {
			dup = append(dup, id)
		}
		seen[id] = true
	}
	return dup
}

func countIf[T any](s []T, f func(T) bool) int {
	n := 0
	for _, v := range s {
		if f(v) {
			n++
		}
	}
	return n
}

func fold(s string) string { return strings.Join(strings.Fields(s), " ") }
