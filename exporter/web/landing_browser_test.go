package web_test

import (
	"bytes"
	"context"
	"fmt"
	"html"
	"image"
	"image/png"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/figures-exporter/figures_exporter/exporter/figures"
	"github.com/figures-exporter/figures_exporter/internal/testtools"
)

// The landing page as a person sees it: the real exporter binary serving
// figures.yaml, rendered by headless Chromium. The DOM Chromium builds is
// checked for what the page must show, and a screenshot is taken (kept when
// FIGURES_BROWSER_ARTIFACTS names a directory).

const (
	browserWindowWidth  = 1400
	browserWindowHeight = 2400
	browserTimeout      = 90 * time.Second
	exporterStartup     = 30 * time.Second
)

// chromiumPath finds Chromium, or skips the test (fails it under CI).
func chromiumPath(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "/usr/bin/chromium"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	msg := "headless Chromium is needed for the landing page test: apt-get install -y chromium"
	if os.Getenv("CI") != "" {
		t.Fatal(msg)
	}
	t.Skip(msg)
	return ""
}

// startExporter runs the exporter binary on a free loopback port, serving
// the given figures file, and returns its base URL once it is ready.
func startExporter(t *testing.T, figuresFile string) string {
	t.Helper()
	bin := testtools.Exporter(t)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()

	var logs bytes.Buffer
	cmd := exec.Command(bin, "--figures.file="+figuresFile, "--web.listen-address="+addr, "--no-figures.watch")
	cmd.Stdout, cmd.Stderr = &logs, &logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan struct{})
	go func() { _ = cmd.Wait(); close(exited) }()
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		<-exited
		if t.Failed() {
			t.Logf("exporter output:\n%s", logs.String())
		}
	})

	base := "http://" + addr
	client := &http.Client{Timeout: 2 * time.Second}
	deadline := time.Now().Add(exporterStartup)
	for {
		select {
		case <-exited:
			t.Fatalf("exporter exited before it was ready:\n%s", logs.String())
		default:
		}
		if resp, err := client.Get(base + "/-/ready"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return base
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("exporter not ready within %v", exporterStartup)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// runChromium runs headless Chromium with args and the page URL, and returns
// its standard output.
func runChromium(t *testing.T, chromium, page string, args ...string) []byte {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), browserTimeout)
	defer cancel()
	full := append([]string{
		"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--hide-scrollbars", "--user-data-dir=" + t.TempDir(),
	}, args...)
	full = append(full, page)
	cmd := exec.CommandContext(ctx, chromium, full...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	cmd.WaitDelay = 5 * time.Second
	if err := cmd.Run(); err != nil {
		t.Fatalf("chromium %v: %v\n%s", args, err, stderr.String())
	}
	return stdout.Bytes()
}

var (
	rowRE      = regexp.MustCompile(`(?s)<tr data-figure-id="([^"]*)">(.*?)</tr>`)
	cellRE     = regexp.MustCompile(`(?s)<td([^>]*)>(.*?)</td>`)
	tagRE      = regexp.MustCompile(`(?s)<[^>]*>`)
	hrefRE     = regexp.MustCompile(`<a [^>]*href="([^"]*)"[^>]*>(.*?)</a>`)
	spaceRE    = regexp.MustCompile(`\s+`)
	revisionRE = regexp.MustCompile(`<code id="revision">([0-9a-f]{12})</code>`)
)

// text is what a cell shows: its markup stripped, entities decoded and
// white space collapsed.
func text(s string) string {
	return strings.TrimSpace(spaceRE.ReplaceAllString(html.UnescapeString(tagRE.ReplaceAllString(s, " ")), " "))
}

// byID returns the inner HTML of the element with the given id (up to the
// first closing tag of its name: enough for the page's flat elements).
func byID(dom, id string) string {
	m := regexp.MustCompile(`<(\w+)[^>]* id="` + regexp.QuoteMeta(id) + `"[^>]*>`).FindStringSubmatchIndex(dom)
	if m == nil {
		return ""
	}
	rest := dom[m[1]:]
	end := strings.Index(rest, "</"+dom[m[2]:m[3]]+">")
	if end < 0 {
		return ""
	}
	return rest[:end]
}

func TestLandingPageInBrowser(t *testing.T) {
	chromium := chromiumPath(t)
	figuresFile := filepath.Join(testtools.RepoRoot(t), "figures.yaml")
	ds, diags := figures.Load([]string{figuresFile}, 64<<20, time.Now())
	if diags.HasErrors() {
		t.Fatalf("figures.yaml does not load:\n%v", diags)
	}
	base := startExporter(t, figuresFile)

	dom := string(runChromium(t, chromium, base+"/", "--dump-dom"))
	if !strings.Contains(dom, "<title>figures_exporter</title>") {
		t.Fatalf("Chromium did not render the landing page; DOM:\n%s", dom)
	}
	artifacts(t, "landing.html", []byte(dom))

	t.Run("reload status", func(t *testing.T) {
		status := text(byID(dom, "reload-status"))
		if !strings.HasPrefix(status, "Last reload success (startup, ") {
			t.Errorf("#reload-status = %q, want it to start with the successful startup reload", status)
		}
		if !revisionRE.MatchString(dom) {
			t.Errorf("no 12-digit revision in #revision; #reload-status = %q", status)
		}
		if !strings.Contains(status, "figures.yaml") {
			t.Errorf("#reload-status = %q does not name the file it serves", status)
		}
	})

	t.Run("links", func(t *testing.T) {
		links := map[string]string{} // text -> href
		for _, m := range hrefRE.FindAllStringSubmatch(dom, -1) {
			links[text(m[2])] = html.UnescapeString(m[1])
		}
		for _, tc := range []struct{ text, path string }{
			{"Metrics", "/metrics"},
			{"Health", "/-/healthy"},
			{"Readiness", "/-/ready"},
		} {
			href, ok := links[tc.text]
			if !ok {
				t.Errorf("no link %q on the page; links: %v", tc.text, links)
				continue
			}
			target := resolve(t, base+"/", href)
			if u, _ := url.Parse(target); u.Path != tc.path {
				t.Errorf("link %q goes to %s, want path %s", tc.text, target, tc.path)
			}
			resp, err := http.Get(target)
			if err != nil {
				t.Errorf("following %q: %v", tc.text, err)
				continue
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				t.Errorf("link %q (%s): status %d", tc.text, target, resp.StatusCode)
			}
			if tc.text == "Metrics" && !bytes.Contains(body, []byte("figures_figure_info{")) {
				t.Errorf("the Metrics link does not serve the figures")
			}
		}
	})

	rows, order := figureRows(t, dom)

	t.Run("one row per figure", func(t *testing.T) {
		if len(rows) != len(ds.Figures) {
			t.Errorf("%d figure rows, want %d (one per figure of figures.yaml)", len(rows), len(ds.Figures))
		}
		for _, f := range ds.Figures {
			if _, ok := rows[f.ID]; !ok {
				t.Errorf("no row for figure %s", f.ID)
			}
		}
		if h := text(regexp.MustCompile(`<h2>(Figures \(\d+\))</h2>`).FindString(dom)); h != fmt.Sprintf("Figures (%d)", len(ds.Figures)) {
			t.Errorf("heading %q, want %q", h, fmt.Sprintf("Figures (%d)", len(ds.Figures)))
		}
	})

	t.Run("every row", func(t *testing.T) { checkRows(t, ds, rows) })

	t.Run("values as a person reads them", func(t *testing.T) {
		for _, tc := range []struct{ id, want string }{
			{"kr-attacks-daily-2023-h1", "1.37 million"},
			{"kr-attacks-origin-cn-kp-share-2023-ytd", "more than 80 %"},
			{"kr-attacks-adversaries-change-2023-ytd", "about +32 %"},
			{"kp-stolen-digital-assets-2022", "about US$1.7 billion"},
			{"kp-stolen-digital-assets-2023", "at least US$750 million"},
			{"kp-cryptocurrency-thefts-2023", "at least 17"},
			{"kr-ransomware-extortion-krw-2023", "₩3.4 billion"},
			{"kp-illicit-revenue-cyber-share-2017-2023", "21.46 %"},
		} {
			row, ok := rows[tc.id]
			if !ok {
				t.Errorf("no row for %s", tc.id)
				continue
			}
			cells := cellRE.FindAllStringSubmatch(row, -1)
			if len(cells) < 4 {
				continue
			}
			if got := text(cells[3][2]); got != tc.want {
				t.Errorf("%s: value %q, want %q", tc.id, got, tc.want)
			}
		}
	})

	// An analyst tells a contradicted or derived figure from a clean one,
	// and sees each figure's grade and original claimant, without the YAML.
	t.Run("flags, grades and claimants", func(t *testing.T) {
		for _, f := range ds.Figures {
			row, ok := rows[f.ID]
			if !ok {
				continue
			}
			src := ds.Source(f)
			for _, fl := range []struct {
				on   bool
				mark string
			}{
				{f.Contradiction != "", `class="flag flag-contradiction"`},
				{f.Derived != nil, `class="flag flag-derived"`},
				{f.Period.Inferred != "", `class="flag flag-period-inferred"`},
				{src.Published == nil, `class="flag flag-undated"`},
			} {
				if strings.Contains(row, fl.mark) != fl.on {
					t.Errorf("%s: %s shown = %v, want %v", f.ID, fl.mark, !fl.on, fl.on)
				}
			}
			if f.Credibility != 0 && !strings.Contains(row, fmt.Sprintf("credibility %d: %s", f.Credibility, figures.Credibilities[f.Credibility])) {
				t.Errorf("%s: credibility %d not shown", f.ID, f.Credibility)
			}
			if src.Reliability != "" && !strings.Contains(row, "reliability "+src.Reliability+": ") {
				t.Errorf("%s: reliability %s not shown", f.ID, src.Reliability)
			}
			if claimant := f.ClaimChain(src)[0]; !strings.Contains(text(row), "claimed by "+text(html.EscapeString(claimant))) {
				t.Errorf("%s: original claimant %q not shown", f.ID, claimant)
			}
			if (f.Notes != "") != strings.Contains(row, "<summary>Notes</summary>") && f.Contradiction == "" && f.Derived == nil && f.Period.Inferred == "" {
				t.Errorf("%s: notes shown = %v, want %v", f.ID, !(f.Notes != ""), f.Notes != "")
			}
		}
		if row := rows["kp-illicit-revenue-cyber-2017-2023"]; !strings.Contains(row, `class="grade low"`) {
			t.Errorf("the contradicted $13.55 billion is not marked as low-graded")
		}
	})

	t.Run("screenshot", func(t *testing.T) {
		file := filepath.Join(t.TempDir(), "landing.png")
		runChromium(t, chromium, base+"/", "--screenshot="+file,
			fmt.Sprintf("--window-size=%d,%d", browserWindowWidth, browserWindowHeight))
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatalf("no screenshot: %v", err)
		}
		artifacts(t, "landing.png", data)
		img, err := png.Decode(bytes.NewReader(data))
		if err != nil {
			t.Fatalf("screenshot is not a PNG: %v", err)
		}
		if b := img.Bounds(); b.Dx() != browserWindowWidth || b.Dy() != browserWindowHeight {
			t.Errorf("screenshot is %dx%d, want %dx%d", b.Dx(), b.Dy(), browserWindowWidth, browserWindowHeight)
		}
		// Non-trivial: a page of text in several colours, with the orange
		// header bar at the top, not a blank or error page.
		if colours := countColours(img, 1000); colours < 50 {
			t.Errorf("screenshot has only %d colours: the page looks blank", colours)
		}
		if r, g, b := rgb(img, 5, 5); r != 0xe6 || g != 0x52 || b != 0x2c {
			t.Errorf("top-left pixel is #%02x%02x%02x, want the header's #e6522c", r, g, b)
		}
		if r, g, b := rgb(img, browserWindowWidth/2, browserWindowHeight-5); r < 0xf0 || g < 0xf0 || b < 0xf0 {
			t.Logf("bottom of the window is #%02x%02x%02x (not the white page background)", r, g, b)
		}
	})
	if t.Failed() {
		t.Logf("figure rows in page order: %v", order)
	}
}

// TestLandingPageLinksSources gives one source of figures.yaml a URL (with a
// query string that must be escaped) and checks that the titles of its
// figures become links to it, and the others stay plain text.
func TestLandingPageLinksSources(t *testing.T) {
	chromium := chromiumPath(t)
	data, err := os.ReadFile(filepath.Join(testtools.RepoRoot(t), "figures.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	const sourceURL = "https://example.org/news/view?id=87d2ab48&lang=en"
	const seedLine = "    seed: 000_87d2ab48fe696c67.txt\n"
	if !bytes.Contains(data, []byte(seedLine)) {
		t.Fatalf("figures.yaml has no line %q to add a URL after", seedLine)
	}
	// The source's own url line (if any) gives way to the test's.
	data = regexp.MustCompile(`(?m)^    url: .*\n`).ReplaceAll(data, nil)
	data = bytes.Replace(data, []byte(seedLine), []byte(seedLine+"    url: "+sourceURL+"\n"), 1)
	figuresFile := filepath.Join(t.TempDir(), "figures.yaml")
	if err := os.WriteFile(figuresFile, data, 0o644); err != nil {
		t.Fatal(err)
	}
	ds, diags := figures.Load([]string{figuresFile}, 64<<20, time.Now())
	if diags.HasErrors() {
		t.Fatalf("figures.yaml with a URL does not load:\n%v", diags)
	}
	linked := 0
	for _, f := range ds.Figures {
		if ds.Source(f).URL == sourceURL {
			linked++
		}
	}
	if linked == 0 {
		t.Fatal("no figure cites the source given a URL")
	}

	base := startExporter(t, figuresFile)
	dom := string(runChromium(t, chromium, base+"/", "--dump-dom"))
	rows, _ := figureRows(t, dom)
	if len(rows) != len(ds.Figures) {
		t.Errorf("%d figure rows, want %d", len(rows), len(ds.Figures))
	}
	checkRows(t, ds, rows)
	if n := strings.Count(dom, `href="https://example.org/news/view?id=87d2ab48&amp;lang=en"`); n != linked {
		t.Errorf("%d links to the source, want %d (one per figure citing it)", n, linked)
	}
}

// figureRows returns the inner HTML of each figure's row by figure id, and
// the ids in page order.
func figureRows(t *testing.T, dom string) (map[string]string, []string) {
	t.Helper()
	rows := map[string]string{}
	var order []string
	for _, m := range rowRE.FindAllStringSubmatch(dom, -1) {
		if _, dup := rows[m[1]]; dup {
			t.Errorf("figure %s has more than one row", m[1])
		}
		rows[m[1]] = m[2]
		order = append(order, m[1])
	}
	return rows, order
}

// checkRows checks each figure's row: qualifier and value, period, source
// title (a link to the source's URL when it has one, plain text otherwise)
// and publication date.
func checkRows(t *testing.T, ds *figures.Dataset, rows map[string]string) {
	t.Helper()
	for _, f := range ds.Figures {
		row, ok := rows[f.ID]
		if !ok {
			continue
		}
		cells := cellRE.FindAllStringSubmatch(row, -1)
		if len(cells) != 8 {
			t.Errorf("%s: %d cells, want 8", f.ID, len(cells))
			continue
		}
		src := ds.Source(f)
		value := text(cells[3][2])
		if q := strings.ReplaceAll(string(f.Qualifier), "_", " "); f.Qualifier != figures.QualifierNone && !strings.HasPrefix(value, q+" ") {
			t.Errorf("%s: value %q does not start with its qualifier %q", f.ID, value, q)
		}
		if !strings.Contains(cells[3][1], `class="value"`) || value == "" {
			t.Errorf("%s: value cell %q", f.ID, cells[3][0])
		}
		if got, want := text(cells[4][2]), figures.PeriodLabel(f.Period); got != want {
			t.Errorf("%s: period %q, want %q", f.ID, got, want)
		}
		source := text(cells[5][2])
		if !strings.HasPrefix(source, text(html.EscapeString(src.Title))) {
			t.Errorf("%s: source cell %q does not start with the title %q", f.ID, source, src.Title)
		}
		if src.URL != "" {
			link := hrefRE.FindStringSubmatch(cells[5][2])
			if link == nil || html.UnescapeString(link[1]) != src.URL {
				t.Errorf("%s: the source title does not link to %s: %q", f.ID, src.URL, cells[5][2])
			}
		} else if hrefRE.MatchString(cells[5][2]) {
			t.Errorf("%s: source without a URL is shown as a link: %q", f.ID, cells[5][2])
		}
		published := "undated"
		if src.Published != nil {
			published = src.Published.Format("2006-01-02")
		}
		if got := text(cells[6][2]); got != published {
			t.Errorf("%s: published %q, want %q", f.ID, got, published)
		}
	}
}

func resolve(t *testing.T, base, href string) string {
	t.Helper()
	b, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	r, err := url.Parse(href)
	if err != nil {
		t.Fatalf("bad link %q: %v", href, err)
	}
	return b.ResolveReference(r).String()
}

func rgb(img image.Image, x, y int) (uint8, uint8, uint8) {
	r, g, b, _ := img.At(img.Bounds().Min.X+x, img.Bounds().Min.Y+y).RGBA()
	return uint8(r >> 8), uint8(g >> 8), uint8(b >> 8)
}

// countColours counts the distinct colours of img, up to limit.
func countColours(img image.Image, limit int) int {
	seen := map[[3]uint8]bool{}
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y += 2 {
		for x := b.Min.X; x < b.Max.X; x += 2 {
			r, g, bl := rgb(img, x-b.Min.X, y-b.Min.Y)
			seen[[3]uint8{r, g, bl}] = true
			if len(seen) >= limit {
				return len(seen)
			}
		}
	}
	return len(seen)
}

// artifacts keeps a copy of what the browser produced when
// FIGURES_BROWSER_ARTIFACTS names a directory (for CI artifacts, or to look
// at the screenshot).
func artifacts(t *testing.T, name string, data []byte) {
	dir := os.Getenv("FIGURES_BROWSER_ARTIFACTS")
	if dir == "" {
		return
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Errorf("keeping %s: %v", name, err)
		return
	}
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Errorf("keeping %s: %v", name, err)
		return
	}
	t.Logf("kept %s", p)
}
