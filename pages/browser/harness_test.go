// Package browser_test drives the pages people read (pages/) in Debian's
// real headless Chromium, over the DevTools protocol (chromedp), against
// the real exporter binary: the layout at a phone's and a desktop's width,
// axe-core's accessibility rules, the catalogue's filters, the marks of
// every number of each article, hostile content and paging.
//
// One browser runs every check, in one tab per exporter process: one
// serves the embedded dataset and seeds (what `go run
// ./cmd/figures_exporter` shows), one the hostile corpus of
// pages/testdata, one a synthetic dataset of several catalogue pages.
package browser_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/figures-exporter/figures_exporter/internal/testtools"
)

func TestMain(m *testing.M) { testtools.Main(m) }

// TestBrowser starts the browser and fetches axe-core once, then runs
// each group of checks against an exporter of its own (each serves
// another dataset) in a tab of that browser.
func TestBrowser(t *testing.T) {
	browser := newBrowser(t)
	axe := testtools.AxeCore(t)
	t.Run("pages", func(t *testing.T) { testPages(t, browser, axe) })
	t.Run("hostile", func(t *testing.T) { testHostilePages(t, browser, axe) })
	t.Run("paging", func(t *testing.T) { testPaging(t, browser) })
}

const (
	exporterStartup = 30 * time.Second
	// stepTimeout bounds one navigation or script: a page of the exporter
	// renders in milliseconds, axe in about a second.
	stepTimeout = 60 * time.Second
)

// viewport is a screen the pages are checked on.
type viewport struct {
	Name          string
	Width, Height int64
	Mobile        bool // a phone honours <meta name=viewport> (without it it lays out 980 px wide)
	Dark          bool // prefers-color-scheme: dark (axe then checks the dark palette's contrast)
	Print         bool // the print stylesheet (media print)
}

// viewports: a phone and a desktop, and the phone in dark mode.
var viewports = []viewport{
	{Name: "390", Width: 390, Height: 844, Mobile: true},
	{Name: "1400", Width: 1400, Height: 900},
	{Name: "390-dark", Width: 390, Height: 844, Mobile: true, Dark: true},
}

// startExporter runs the exporter binary on a free loopback port with args
// and returns its base URL once /-/ready answers.
func startExporter(t *testing.T, args ...string) string {
	t.Helper()
	addr := testtools.FreeAddr(t)
	p := testtools.Start(t, "figures_exporter", testtools.Exporter(t), append([]string{"--web.listen-address=" + addr, "--no-figures.watch"}, args...)...)
	base := "http://" + addr
	client := &http.Client{Timeout: 2 * time.Second}
	for deadline := time.Now().Add(exporterStartup); ; {
		if p.Exited() {
			t.Fatalf("the exporter exited before it was ready:\n%s", p.Log())
		}
		if resp, err := client.Get(base + "/-/ready"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return base
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("the exporter was not ready within %v", exporterStartup)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// newBrowser starts headless Chromium (flags as ../shared/TOOLING.md
// gives them for this machine) and returns its context; the browser is
// stopped when the test ends.
func newBrowser(t *testing.T) context.Context {
	t.Helper()
	chromium := testtools.Chromium(t)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(chromium),
		chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("hide-scrollbars", true),
		chromedp.UserDataDir(t.TempDir()),
	)
	ctx, cancel := chromedp.NewContext(actx)
	// The first Run starts the browser; it must not carry a timeout.
	if err := chromedp.Do(ctx); err != nil {
		cancel()
		cancelAlloc()
		t.Fatalf("starting Chromium: %v", err)
	}
	t.Cleanup(func() { cancel(); cancelAlloc() })
	return ctx
}

// tab is one browser tab. It answers every JavaScript dialog (alert,
// confirm, prompt) at once and counts them: no page may open one.
type tab struct {
	ctx     context.Context
	dialogs atomic.Int32
}

func newTab(t *testing.T, browser context.Context) *tab {
	t.Helper()
	ctx, cancel := chromedp.NewContext(browser)
	t.Cleanup(cancel)
	tb := &tab{ctx: ctx}
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("opening a tab: %v", err)
	}
	go func() {
		for _, err := range chromedp.Events(ctx, page.JavascriptDialogOpening) {
			if err != nil {
				return
			}
			tb.dialogs.Add(1)
			_, _ = chromedp.Call(ctx, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: false})
		}
	}()
	return tb
}

// open sets the viewport and loads url, failing the test unless the page
// answers 200.
func (tb *tab) open(t *testing.T, vp viewport, url string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, stepTimeout)
	defer cancel()
	opts := []chromedp.EmulateViewportOption{}
	if vp.Mobile {
		opts = append(opts, chromedp.EmulateMobile, chromedp.EmulateTouch, chromedp.EmulatePortrait)
	}
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(vp.Width, vp.Height, opts...)); err != nil {
		t.Fatalf("setting the viewport %dx%d: %v", vp.Width, vp.Height, err)
	}
	scheme := "light"
	if vp.Dark {
		scheme = "dark"
	}
	media := ""
	if vp.Print {
		media = "print"
	}
	if _, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: media, Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: scheme}}}); err != nil {
		t.Fatalf("emulating prefers-color-scheme: %s: %v", scheme, err)
	}
	resp, err := chromedp.RunResponse(ctx, chromedp.Navigate(url))
	if err != nil {
		t.Fatalf("loading %s: %v", url, err)
	}
	if resp.Status != http.StatusOK {
		t.Fatalf("loading %s: status %d", url, resp.Status)
	}
}

// eval runs a script in the tab's page and decodes its JSON result; a
// promise is awaited.
func eval[T any](t *testing.T, tb *tab, js string) T {
	t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, stepTimeout)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("evaluating %.80q…: %v", js, err)
	}
	return v
}

// run is chromedp.Run on the tab with the step timeout.
func run[T any](t *testing.T, tb *tab, a chromedp.Action[T]) T {
	t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, stepTimeout)
	defer cancel()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		t.Fatalf("%v", err)
	}
	return v
}

// layout is what the overflow check measures.
type layout struct {
	ScrollWidth, InnerWidth int64
	// Wide lists the elements that reach past the viewport's right edge
	// (tag, id or class, and their right edge), to say what overflows.
	Wide []string
}

const layoutJS = `(() => {
  const w = window.innerWidth, wide = [];
  for (const e of document.body.querySelectorAll('*')) {
    const r = e.getBoundingClientRect();
    if (r.right > w + 0.5 && wide.length < 10) {
      wide.push(e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (e.className && typeof e.className === 'string' ? '.' + e.className.trim().split(/\s+/).join('.') : '') + ' right=' + Math.round(r.right));
    }
  }
  return {ScrollWidth: document.documentElement.scrollWidth, InnerWidth: w, Wide: wide};
})()`

// axeResult is the part of axe.run's result the test reads.
type axeViolation struct {
	ID     string `json:"id"`
	Impact string `json:"impact"`
	Help   string `json:"help"`
	Nodes  []struct {
		Target []json.RawMessage `json:"target"`
	} `json:"nodes"`
}

func (v axeViolation) String() string {
	targets := ""
	for i, n := range v.Nodes {
		if i == 3 {
			targets += fmt.Sprintf(" and %d more", len(v.Nodes)-3)
			break
		}
		targets += " " + string(n.Target[0])
	}
	return fmt.Sprintf("%s (%s): %s; %d nodes:%s", v.ID, v.Impact, v.Help, len(v.Nodes), targets)
}

// runAxe injects axe-core into the tab's page (once per page load) and
// returns its violations.
func runAxe(t *testing.T, tb *tab, axe string) []axeViolation {
	t.Helper()
	if !eval[bool](t, tb, `typeof window.axe === 'object'`) {
		eval[chromedp.Void](t, tb, axe+"\n;undefined")
	}
	return eval[[]axeViolation](t, tb, `axe.run(document, {resultTypes: ['violations']}).then(r => r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map(n => ({target: n.target}))})))`)
}

// brokenWordsJS finds ordinary words (runs of 2 to 20 Latin letters and
// digits) that the layout splits over two lines: a column or box too
// narrow for its words, which overflow-wrap: anywhere hides from the
// overflow check. Longer runs (hashes, hostile 4 kB words) may break, and
// so may code (PromQL, ids), which has no words to keep whole.
// It returns up to 10, with the text they stand in.
const brokenWordsJS = `(() => {
  const broken = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  for (let n = walker.nextNode(); n && broken.length < 10; n = walker.nextNode()) {
    // A box narrower than a character is text for screen readers only
    // (clipped to 1 px, as the phone's table headers are).
    const e = n.parentElement;
    if (!e.checkVisibility() || e.getBoundingClientRect().width < 8 || e.closest('code, pre')) continue;
    for (const m of n.data.matchAll(/(?<![A-Za-z0-9])[A-Za-z0-9]{2,20}(?![A-Za-z0-9])/g)) {
      range.setStart(n, m.index);
      range.setEnd(n, m.index + m[0].length);
      const lines = new Set(Array.from(range.getClientRects()).filter(r => r.width > 0).map(r => Math.round(r.top)));
      if (lines.size > 1) {
        broken.push(m[0] + ' in ' + e.tagName.toLowerCase() + (e.className ? '.' + e.className : '') + ': ' + JSON.stringify(n.data.trim().slice(0, 40)));
        break;
      }
    }
  }
  return broken;
})()`
