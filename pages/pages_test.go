package pages

import (
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/net/html"

	figuresexporter "github.com/figures-exporter/figures_exporter"
	"github.com/figures-exporter/figures_exporter/exporter/figures"
	"github.com/figures-exporter/figures_exporter/exporter/reload"
)

// TestPages requests every kind of page of the curated dataset with its
// embedded seeds and checks what a reader must find on it.
func TestPages(t *testing.T) {
	prom, _ := url.Parse("http://prometheus.example:9090")
	ts := curatedEmbedded(t, Options{PrometheusURL: prom})
	for _, tc := range []struct {
		path   string
		status int
		want   []string
		absent []string
	}{
		{"/", 200, []string{
			`<meta name="viewport"`, `<strong>27</strong> of 27 figures`,
			// grouped by report, newest first: the audit of 1 Nov 2023 before the conference of 20 Jul 2023
			`1 Nov 2023`, `H1 2023`, `1 Jan – 1 Nov 2023`, `(inferred)`,
			// the value with what it counts
			`1.37 million</a></th><td class="w"><bdi>Average number of cyberattacks detected per day`,
			`probably true (2)`, `usually reliable (B)`, `title="the article implies this value but does not state it`,
			`One claim: do not add to`, `What the badges and grades mean`,
			`Reports read that record no figure`,
		}, []string{
			// The two warnings of figures.yaml are contradictions of the
			// sources that figures record on purpose: no banner for them.
			`class="banner"`,
		}},
		{"/sources/nis-pangyo-conference-2023-07-20", 200, []string{
			`fairly reliable (C)`, `Digital Today (Kang Jin-kyu)`, `<mark class="curated" data-kind="curated"`,
			`<mark class="excluded" data-kind="excluded"`, `[left out: subheading restating kr-attacks-daily-2023-h1]`, `subheading restating <a href="../figures/kr-attacks-daily-2023-h1">kr-attacks-daily-2023-h1</a>`,
			`href="../figures/kr-attacks-daily-2023-h1">1.37 million</a>`, `Passages left out (3)`,
		}, nil},
		{"/sources/koreaherald-2024-01-03-nk-cyberattacks-forecast", 200, []string{`No figure is recorded from this report.`, `Passages left out (3)`}, nil},
		{"/figures/kp-illicit-revenue-cyber-2017-2023", 200, []string{
			`US$13.55 billion`, `13,550,000,000 in base units`, `One claim: do not add.`, `<mark class="quote">`,
			`figures_illicit_revenue_usd{figure_id=&#34;kp-illicit-revenue-cyber-2017-2023&#34;}`,
			`href="http://prometheus.example:9090/graph?g0.expr=figures_illicit_revenue_usd%7Bfigure_id%3D%22kp-illicit-revenue-cyber-2017-2023%22%7D`,
			`Part of`, `improbable (5)`, `Contradiction`,
		}, nil},
		{"/status", 200, []string{`succeeded`, `triggered by startup`, `Warnings of the dataset served (2)`, `13,550,000,000`, `, column 12: figure`, `2 of them are contradictions of the sources`, `href="metrics"`, `href="-/healthy"`, `href="-/ready"`, `Version`}, nil},
		{"/figures/no-such-figure", 404, []string{`There is no page at this address`}, nil},
		{"/sources/no-such-source", 404, []string{`There is no page at this address`}, nil},
		{"/no/such/page", 404, []string{`href="../../"`}, nil},
	} {
		t.Run(tc.path, func(t *testing.T) {
			r := ts.get(t, tc.path, nil)
			if r.status != tc.status {
				t.Fatalf("status %d, want %d\n%.500s", r.status, tc.status, r.body)
			}
			if csp := r.header.Get("Content-Security-Policy"); !strings.HasPrefix(csp, "default-src 'self'") {
				t.Errorf("CSP %q", csp)
			}
			for _, w := range tc.want {
				if !strings.Contains(r.body, w) {
					t.Errorf("the page lacks %q", w)
				}
			}
			for _, a := range tc.absent {
				if strings.Contains(r.body, a) {
					t.Errorf("the page has %q", a)
				}
			}
			assertSameOriginAssets(t, r.body)
		})
	}
}

// curatedEmbedded serves the embedded dataset with its embedded seeds, as
// `go run ./cmd/figures_exporter` does.
func curatedEmbedded(t testing.TB, opts Options) *testServer {
	t.Helper()
	holder := reload.NewHolder(reload.Source{Embedded: &figures.RawFile{Name: figuresexporter.DefaultFiguresName, Data: figuresexporter.DefaultFigures}}, slog.New(slog.DiscardHandler), nil)
	if r, d := holder.Reload(reload.TriggerStartup); r != reload.ResultSuccess {
		t.Fatal(r, d)
	}
	opts.Seeds = figuresexporter.DefaultSeeds
	p := New(holder, opts)
	return &testServer{holder: holder, pages: p, handler: p.Handler()}
}

// assertSameOriginAssets: the page loads nothing from elsewhere and runs
// no script (CSP forbids it; this keeps the templates honest).
func assertSameOriginAssets(t *testing.T, body string) {
	t.Helper()
	z := html.NewTokenizer(strings.NewReader(body))
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			return
		}
		tok := z.Token()
		if tt != html.StartTagToken && tt != html.SelfClosingTagToken {
			continue
		}
		switch tok.Data {
		case "script", "iframe", "object", "embed", "style", "img", "svg":
			t.Errorf("the page has a <%s> element", tok.Data)
		}
		for _, a := range tok.Attr {
			if strings.HasPrefix(a.Key, "on") || a.Key == "style" {
				t.Errorf("<%s> has the attribute %s=%q", tok.Data, a.Key, a.Val)
			}
			if (a.Key == "src" || (tok.Data == "link" && a.Key == "href")) && strings.Contains(a.Val, "//") {
				t.Errorf("<%s %s=%q> loads from elsewhere", tok.Data, a.Key, a.Val)
			}
		}
	}
}

// TestStylesheet: the stylesheet the pages link is served, cacheable for
// good under its content hash.
func TestStylesheet(t *testing.T) {
	ts := curatedEmbedded(t, Options{})
	body := ts.get(t, "/", nil).body
	i := strings.Index(body, `href="./assets/pages.`)
	if i < 0 {
		t.Fatal("no stylesheet link")
	}
	href := body[i+len(`href=".`) : i+strings.Index(body[i:], `.css"`)+len(".css")]
	r := ts.get(t, href, nil)
	if r.status != 200 || r.header.Get("Content-Type") != "text/css; charset=utf-8" || !strings.Contains(r.header.Get("Cache-Control"), "immutable") {
		t.Fatalf("GET %s: %d %v", href, r.status, r.header)
	}
	for _, want := range []string{"prefers-color-scheme: dark", "@media print", "overflow-wrap: anywhere", "max-width: 59.99em"} {
		if !strings.Contains(r.body, want) {
			t.Errorf("the stylesheet lacks %q", want)
		}
	}
}

// TestFilters: each filter of / selects exactly the figures whose fields
// say so, computed here from the dataset's fields rather than through the
// pages' own index.
func TestFilters(t *testing.T) {
	ts := curatedEmbedded(t, Options{})
	ds := ts.holder.Snapshot().Dataset
	for _, tc := range filterCases(ds) {
		t.Run(tc.query, func(t *testing.T) {
			var want []string
			for _, f := range ds.Figures {
				if tc.want(f) {
					want = append(want, f.ID)
				}
			}
			slices.Sort(want)
			got := pageFigureIDs(t, ts, "/?"+tc.query)
			slices.Sort(got)
			if !slices.Equal(got, want) {
				t.Errorf("/?%s shows %v\nwant %v", tc.query, got, want)
			}
			if tc.query != "" && len(want) == len(ds.Figures) {
				t.Errorf("the filter %q selects every figure: not a test of it", tc.query)
			}
		})
	}
}

type filterCase struct {
	query string
	want  func(f *figures.Figure) bool
}

// filterCases are a query for each filter (and some combinations) with
// the figures it must select, said from the dataset's fields.
func filterCases(ds *figures.Dataset) []filterCase {
	hasCountry := func(f *figures.Figure, code string) bool {
		for _, l := range f.Labels {
			if (l.Name == "country" || strings.HasSuffix(l.Name, "_country")) && slices.Contains(strings.Split(l.Value, "+"), code) {
				return true
			}
		}
		return false
	}
	return []filterCase{
		{"", func(*figures.Figure) bool { return true }},
		{"family=figures_cyberattacks_attribution_ratio", func(f *figures.Figure) bool { return f.Family == "figures_cyberattacks_attribution_ratio" }},
		{"country=KP", func(f *figures.Figure) bool { return hasCountry(f, "KP") }},
		{"country=cn", func(f *figures.Figure) bool { return hasCountry(f, "CN") }},
		{"flag=derived", func(f *figures.Figure) bool { return f.Derived != nil }},
		{"flag=undated", func(f *figures.Figure) bool { return ds.Source(f).Published == nil }},
		{"flag=translated&flag=period_inferred", func(f *figures.Figure) bool {
			return ds.Source(f).OriginalLanguage != "" && f.Period.Inferred != ""
		}},
		{"credibility=2", func(f *figures.Figure) bool { return f.Credibility >= 1 && f.Credibility <= 2 }},
		{"reliability=C", func(f *figures.Figure) bool { r := ds.Source(f).Reliability; return r != "" && r <= "C" }},
		{"q=RANSOMWARE", func(f *figures.Figure) bool {
			return strings.Contains(strings.ToLower(f.ID+f.Quote+ds.Source(f).Title), "ransomware")
		}},
		{"q=billion+cyber", func(f *figures.Figure) bool {
			s := strings.ToLower(f.ID + " " + f.Quote + " " + ds.Source(f).Title)
			return strings.Contains(s, "billion") && strings.Contains(s, "cyber")
		}},
		{"source=viewus-nk-cyber-war-13-billion&credibility=3", func(f *figures.Figure) bool {
			return f.Source == "viewus-nk-cyber-war-13-billion" && f.Credibility >= 1 && f.Credibility <= 3
		}},
		{"id=kr-attacks-daily-2023-h1", func(f *figures.Figure) bool { return f.ID == "kr-attacks-daily-2023-h1" }},
		{"claim=inss-2024-09-kp-cyber-earnings-2017-2023", func(f *figures.Figure) bool {
			return f.Claim != nil && f.Claim.ID == "inss-2024-09-kp-cyber-earnings-2017-2023"
		}},
		{"family=no_such_family", func(*figures.Figure) bool { return false }},
	}
}

// pageFigureIDs are the figures a catalogue page lists, by its rows'
// data-figure-id.
func pageFigureIDs(t *testing.T, ts *testServer, target string) []string {
	t.Helper()
	r := ts.get(t, target, nil)
	if r.status != http.StatusOK {
		t.Fatalf("GET %s: %d", target, r.status)
	}
	var ids []string
	z := html.NewTokenizer(strings.NewReader(r.body))
	for tt := z.Next(); tt != html.ErrorToken; tt = z.Next() {
		tok := z.Token()
		if tok.Data != "tr" || tt != html.StartTagToken {
			continue
		}
		for _, a := range tok.Attr {
			if a.Key == "data-figure-id" {
				ids = append(ids, a.Val)
			}
		}
	}
	return ids
}

// TestBadFilterValues: a wrong parameter is said on the page and ignored,
// not a blank error.
func TestBadFilterValues(t *testing.T) {
	ts := curatedEmbedded(t, Options{})
	for query, want := range map[string]string{
		"credibility=9":                       "credibility must be a grade from 1",
		"reliability=Z":                       "reliability must be a grade from A",
		"flag=bogus":                          `flag &#34;bogus&#34; is not one of`,
		"page=-1":                             "page must be a number from 1",
		"q=" + strings.Repeat("x", 201):       "longer than 200 bytes",
		"flag=" + strings.Repeat("<b>", 1000): "is not one of",
	} {
		r := ts.get(t, "/?"+query, nil)
		if r.status != 200 || !strings.Contains(r.body, want) || !strings.Contains(r.body, "<strong>27</strong> of 27") {
			t.Errorf("/?%.40s: %d, want the page with %q and every figure", query, r.status, want)
		}
		if strings.Contains(r.body, "<b><b>") {
			t.Errorf("/?%.40s echoes markup", query)
		}
	}
}

// TestFailedReloadBanner: after a failed reload / says so in one line and
// still shows the last good figures; /status lists the errors.
func TestFailedReloadBanner(t *testing.T) {
	path := filepath.Join(t.TempDir(), "figures.yaml")
	if err := os.WriteFile(path, figuresexporter.DefaultFigures, 0o644); err != nil {
		t.Fatal(err)
	}
	ts := newTestServer(t, []string{path}, Options{})
	if err := os.WriteFile(path, []byte("families: [\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if r, _ := ts.holder.Reload(reload.TriggerHTTP); r != reload.ResultFailure {
		t.Fatalf("reload of a broken file: %s", r)
	}
	home := ts.get(t, "/", nil).body
	for _, want := range []string{"The last reload failed; these are the last good figures.", "<strong>27</strong> of 27 figures"} {
		if !strings.Contains(home, want) {
			t.Errorf("/ lacks %q", want)
		}
	}
	status := ts.get(t, "/status", nil).body
	for _, want := range []string{`<span class="failed">failed</span>`, "Errors of the last reload (1)", `<ol class="diags" id="diagnostics">`, "triggered by http", "line 1, column 11", "this list ([) is never closed"} {
		if !strings.Contains(status, want) {
			t.Errorf("/status lacks %q", want)
		}
	}
}

// TestWarningBanner: a warning nobody acknowledged puts the banner on /.
func TestWarningBanner(t *testing.T) {
	ts := newTestServer(t, []string{filepath.Join("testdata", "hostile.yaml")}, Options{})
	if body := ts.get(t, "/", nil).body; !strings.Contains(body, `<a href="./status">The dataset has 3 warnings. See the status page.</a>`) {
		t.Errorf("/ lacks the banner for an unacknowledged warning")
	}
}

// TestPaging: a big dataset is cut into pages of pageSize figures, each a
// permalink, with the report repeated (continued) where a page starts
// inside it.
func TestPaging(t *testing.T) {
	ts := newTestServer(t, synthetic(t, 1000), Options{})
	seen := map[string]bool{}
	for p := 1; p <= 10; p++ {
		target := "/"
		if p > 1 {
			target += "?page=" + strconv.Itoa(p)
		}
		ids := pageFigureIDs(t, ts, target)
		if len(ids) != pageSize {
			t.Fatalf("page %d shows %d figures, want %d", p, len(ids), pageSize)
		}
		for _, id := range ids {
			if seen[id] {
				t.Fatalf("figure %s on two pages", id)
			}
			seen[id] = true
		}
	}
	if len(seen) != 1000 {
		t.Errorf("the pages show %d figures, want 1000", len(seen))
	}
	last := ts.get(t, "/?page=99", nil).body
	if !strings.Contains(last, "(page 10 of 10)") || strings.Contains(last, `rel="next"`) {
		t.Errorf("a page past the end does not show the last page")
	}
	second := ts.get(t, "/?page=2", nil).body
	if !strings.Contains(second, `rel="prev" href="./"`) || !strings.Contains(second, `rel="next" href="./?page=3"`) {
		t.Errorf("page 2 lacks its neighbours' links")
	}
	for want, page := range map[string]string{
		`Page <strong aria-current="page">1</strong> <a href="./?page=2">2</a> <a href="./?page=3">3</a> … <a href="./?page=10">10</a> of 10`: "/",
		`Page <a href="./">1</a> … <a href="./?page=4">4</a> <a href="./?page=5">5</a> <strong aria-current="page">6</strong>`:                "/?page=6",
	} {
		if body := ts.get(t, page, nil).body; !strings.Contains(body, want) {
			t.Errorf("%s lacks the page links %s", page, want)
		}
	}
}

// TestBeforeFirstLoad: a holder with no dataset yet (an embedder serving
// before its first reload) gets 503s that say so, and a status page.
func TestBeforeFirstLoad(t *testing.T) {
	holder := reload.NewHolder(reload.Source{Paths: []string{filepath.Join(t.TempDir(), "none.yaml")}}, slog.New(slog.DiscardHandler), nil)
	ts := &testServer{holder: holder, handler: New(holder, Options{}).Handler()}
	for path, want := range map[string]struct {
		status int
		text   string
	}{
		"/":               {503, "No figures loaded yet"},
		"/figures/x":      {503, "No figures loaded yet"},
		"/sources/x":      {503, "No figures loaded yet"},
		"/api/v1/figures": {503, `{"error":"no figures loaded yet"}`},
		"/api/v1/sources": {503, `{"error":"no figures loaded yet"}`},
		"/status":         {200, "none yet"},
		"/favicon.ico":    {404, "There is no page at this address"},
	} {
		if r := ts.get(t, path, nil); r.status != want.status || !strings.Contains(r.body, want.text) {
			t.Errorf("GET %s: %d, want %d with %q", path, r.status, want.status, want.text)
		}
	}
}
