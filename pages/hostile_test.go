package pages

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"golang.org/x/net/html"
)

// bidiControls are the characters that reorder the text after them; a page
// must isolate them (<bdi>, dir="auto" blocks) or leave them out.
const bidiControls = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"

// TestHostileContentStaysInert serves testdata/hostile.yaml, a valid
// dataset whose titles, quotes, notes, label values, help and article hold
// markup, quotes, template syntax, bidi overrides and the longest words
// the validator allows, and checks every page and API answer: no element
// or attribute comes from the content, the content is shown as text, every
// bidi control sits in an isolating element, and the pages stay bounded.
func TestHostileContentStaysInert(t *testing.T) {
	ts := newTestServer(t, []string{filepath.Join("testdata", "hostile.yaml")}, Options{Seeds: os.DirFS(filepath.Join("testdata", "seeds"))})
	for _, tc := range []struct {
		path string
		// text must be shown, as text, on the page.
		text []string
	}{
		{"/", []string{`</title><script>alert(1)</script>`, `Counts <script>alert("xss")</script> &amp; "quoted" <b>bold</b> {{.}}`}},
		{"/sources/hostile-source", []string{`"><svg onload=alert(1)>`, `<iframe src="https://evil.example">`, strings.Repeat("W", 10240), `<img src=x onerror=alert(1)> &amp; "quotes"`}},
		{"/sources/plain-undated", []string{"the seeds directory has no file plain.txt"}},
		{"/figures/hostile-one", []string{`<a href="javascript:alert(1)">click</a>`, `the 12,345 <script>alert("xss")</script>`}},
		{"/figures/hostile-two", []string{"Computed from"}},
		{"/status", []string{"acknowledges a contradiction"}},
		{"/?q=%3Cscript%3E", []string{"1 of 2 figures"}},
	} {
		t.Run(tc.path, func(t *testing.T) {
			r := ts.get(t, tc.path, nil)
			if r.status != 200 {
				t.Fatalf("status %d", r.status)
			}
			if len(r.body) > 200<<10 {
				t.Errorf("the page is %d bytes", len(r.body))
			}
			assertSameOriginAssets(t, r.body)
			text := checkInert(t, r.body)
			for _, w := range tc.text {
				if !strings.Contains(text, w) {
					t.Errorf("the page does not show %.80q as text", w)
				}
			}
		})
	}
	for _, path := range []string{"/api/v1/figures", "/api/v1/sources", "/api/v1/figures?q=%3Cscript%3E"} {
		r := ts.get(t, path, nil)
		var v any
		if err := json.Unmarshal([]byte(r.body), &v); err != nil || r.status != 200 {
			t.Fatalf("%s: %d %v", path, r.status, err)
		}
		if strings.ContainsAny(r.body, "<>") {
			t.Errorf("%s has raw angle brackets (a browser sniffing it as HTML would run them)", path)
		}
		if r.header.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("%s may be sniffed", path)
		}
	}
}

// checkInert walks a page's elements: links and forms lead only to http(s)
// or relative URLs, every bidi control in text is inside <bdi> or a
// dir="auto" element, and none is in an attribute a browser shows
// reordered outside the page (the title). It returns the page's text.
func checkInert(t *testing.T, body string) string {
	t.Helper()
	var text strings.Builder
	var stack []html.Token
	isolated := func() bool {
		for _, el := range stack {
			if el.Data == "bdi" {
				return true
			}
			for _, a := range el.Attr {
				if a.Key == "dir" {
					return true
				}
			}
		}
		return false
	}
	z := html.NewTokenizer(strings.NewReader(body))
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			break
		}
		tok := z.Token()
		switch tt {
		case html.StartTagToken:
			for _, a := range tok.Attr {
				if (a.Key == "href" || a.Key == "action" || a.Key == "src") && strings.Contains(strings.ToLower(a.Val), "script:") {
					t.Errorf("<%s %s=%q>", tok.Data, a.Key, a.Val)
				}
			}
			switch tok.Data {
			case "meta", "link", "input", "br", "hr", "img", "wbr":
			default:
				stack = append(stack, tok)
			}
		case html.EndTagToken:
			for i := len(stack) - 1; i >= 0; i-- {
				if stack[i].Data == tok.Data {
					stack = stack[:i]
					break
				}
			}
		case html.TextToken:
			if strings.ContainsAny(tok.Data, bidiControls) {
				inTitle := len(stack) > 0 && stack[len(stack)-1].Data == "title"
				if inTitle || !isolated() {
					t.Errorf("a bidi control outside an isolating element (in <%s>): %.60q", stack[len(stack)-1].Data, tok.Data)
				}
			}
			text.WriteString(tok.Data)
		}
	}
	return text.String()
}

// TestHugeArticle: a 16 MiB article is refused with a message, at once,
// instead of being read and rendered; the quotes stand in for it.
func TestHugeArticle(t *testing.T) {
	huge := []byte(strings.Repeat("The 1,000 attacks. ", 16<<20/19))
	ts := newTestServer(t, []string{filepath.Join("testdata", "hostile.yaml")}, Options{Seeds: fstest.MapFS{"hostile.txt": {Data: huge}}})
	start := time.Now()
	r := ts.get(t, "/sources/hostile-source", nil)
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("the page took %v", d)
	}
	if r.status != 200 || !strings.Contains(r.body, "is larger than 4 MiB, the most a page shows") || !strings.Contains(r.body, "The quotes:") {
		t.Errorf("%d, want the page to refuse the article and show the quotes:\n%.2000s", r.status, r.body)
	}
	if len(r.body) > 200<<10 {
		t.Errorf("the page is %d bytes", len(r.body))
	}
}

// TestChangedArticleNotShown: an article whose bytes differ from the ones
// the source's sha256 records did not pass the seeds check, so it is not
// shown.
func TestChangedArticleNotShown(t *testing.T) {
	ts := newTestServer(t, []string{filepath.Join("testdata", "hostile.yaml")}, Options{Seeds: fstest.MapFS{"hostile.txt": {Data: []byte("LEAKED unvalidated text 12,345")}}})
	for _, path := range []string{"/sources/hostile-source", "/figures/hostile-one"} {
		r := ts.get(t, path, nil)
		if strings.Contains(r.body, "LEAKED") {
			t.Errorf("%s shows an article that fails its sha256", path)
		}
	}
	if r := ts.get(t, "/sources/hostile-source", nil); !strings.Contains(r.body, "differs from the one the figures were curated from") {
		t.Errorf("the report page does not say why the article is not shown")
	}
}

// TestBigReportBounded: a report of 300 figures that all report one claim
// gives pages of bounded size: the report lists pageSize figures and links
// to the paged catalogue for the rest, a figure names maxListed of its
// claim group.
func TestBigReportBounded(t *testing.T) {
	var b strings.Builder
	b.WriteString("families:\n  - {name: figures_big_count, help: Things., unit: count, labels: [n]}\n")
	b.WriteString("sources:\n  - {id: big, seed: big.txt, title: Big, published: 2024-01-01}\nfigures:\n")
	for i := range 300 {
		fmt.Fprintf(&b, "  - {id: f%03d, family: figures_big_count, labels: {n: %q}, value: %d, qualifier: none, period: {end: 2024-01-01}, source: big, quote: q, curated: 2024-01-02, claim: {id: one}}\n", i, fmt.Sprint(i), i)
	}
	path := filepath.Join(t.TempDir(), "big.yaml")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	ts := newTestServer(t, []string{path}, Options{})
	for _, tc := range []struct{ path, want string }{
		{"/sources/big", `And 200 more: <a href="../?source=big">every figure of this report</a>`},
		{"/figures/f150", ` and <a href="../?claim=one">250 more</a>.`},
		{"/?claim=one&page=3", "201–300 shown (page 3 of 3)"},
		{"/?source=big&page=3", "201–300 shown (page 3 of 3)"},
	} {
		r := ts.get(t, tc.path, nil)
		if r.status != 200 || !strings.Contains(r.body, tc.want) {
			t.Errorf("%s: %d, lacks %q", tc.path, r.status, tc.want)
		}
		if len(r.body) > 200<<10 {
			t.Errorf("%s is %d bytes", tc.path, len(r.body))
		}
	}
	if n := len(pageFigureIDs(t, ts, "/sources/big")); n != pageSize {
		t.Errorf("the report page lists %d figures, want %d", n, pageSize)
	}
}
