package browser_test

import (
	"context"
	"net/url"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/figures-exporter/figures_exporter/exporter/figures"
	"github.com/figures-exporter/figures_exporter/internal/testtools"
)

// inertJS finds what hostile content would have made live: script
// elements not served by the exporter itself, event-handler attributes,
// and elements that load or embed something (img, iframe, object, embed,
// svg, base, meta refresh). The pages use none of them.
const inertJS = `(() => {
  const live = [];
  for (const s of document.scripts) {
    if (!s.src || new URL(s.src).origin !== location.origin) live.push('script: ' + s.outerHTML.slice(0, 80));
  }
  for (const e of document.querySelectorAll('*')) {
    for (const a of e.attributes) {
      if (a.name.startsWith('on')) live.push(e.tagName.toLowerCase() + ' ' + a.name + '=' + a.value.slice(0, 40));
    }
  }
  for (const e of document.querySelectorAll('img, iframe, object, embed, svg, base, meta[http-equiv]')) {
    live.push(e.outerHTML.slice(0, 80));
  }
  return live;
})()`

// testHostilePages serves pages/testdata/hostile.yaml (markup, quotes,
// template syntax, bidi controls and the longest words the validator
// allows in titles, help, quotes, notes and label values; an article of
// the same) and opens every page of it at both widths: no script runs (no
// dialog opens, nothing live is in the DOM), nothing scrolls sideways and
// axe-core finds no serious or critical violation.
// First it proves that each of these instruments sees what it looks for.
func testHostilePages(t *testing.T, browser context.Context, axe string) {
	testdata := filepath.Join(testtools.RepoRoot(t), "pages", "testdata")
	file := filepath.Join(testdata, "hostile.yaml")
	ds, diags := figures.Load([]string{file}, 0, time.Now())
	if ds == nil {
		t.Fatalf("%s does not load:\n%v", file, diags)
	}
	base := startExporter(t, "--figures.file="+file, "--seeds.dir="+filepath.Join(testdata, "seeds"))
	tb := newTab(t, browser)

	t.Run("the instruments see what they look for", func(t *testing.T) {
		tb.open(t, viewports[0], base+"/status")
		eval[bool](t, tb, `(() => {
  const d = document.createElement('div');
  d.style.width = '2000px'; d.textContent = 'planted';
  d.setAttribute('onclick', 'void 0');
  const img = document.createElement('img');
  const narrow = document.createElement('p');
  narrow.style.cssText = 'width: 40px; overflow-wrap: anywhere';
  narrow.textContent = 'Credibility';
  document.body.append(d, img, narrow);
  setTimeout(() => alert('planted'), 0);
  return true;
})()`)
		if l := eval[layout](t, tb, layoutJS); l.ScrollWidth <= l.InnerWidth {
			t.Errorf("a 2000 px element at 390 px: scrollWidth %d, innerWidth %d", l.ScrollWidth, l.InnerWidth)
		}
		if broken := eval[[]string](t, tb, brokenWordsJS); !slices.ContainsFunc(broken, func(s string) bool { return strings.HasPrefix(s, "Credibility in p") }) {
			t.Errorf("a word planted in a 40 px box: brokenWordsJS finds %v", broken)
		}
		if live := eval[[]string](t, tb, inertJS); len(live) < 2 {
			t.Errorf("a planted onclick and img: inertJS finds %v", live)
		}
		if !slices.ContainsFunc(runAxe(t, tb, axe), func(v axeViolation) bool { return v.ID == "image-alt" }) {
			t.Errorf("axe does not report a planted image without alt text")
		}
		for deadline := time.Now().Add(5 * time.Second); tb.dialogs.Load() == 0 && time.Now().Before(deadline); {
			time.Sleep(20 * time.Millisecond)
		}
		if tb.dialogs.Load() == 0 {
			t.Errorf("a planted alert() was not seen")
		}
		tb.dialogs.Store(0)
	})

	paths := []string{"/", "/status", "/?q=" + url.QueryEscape(`<script>alert("xss")</script>`)}
	for id := range ds.Sources {
		paths = append(paths, "/sources/"+url.PathEscape(id))
	}
	for _, f := range ds.Figures {
		paths = append(paths, "/figures/"+url.PathEscape(f.ID))
	}
	slices.Sort(paths)
	for _, p := range paths {
		for _, vp := range viewports {
			name := strings.TrimPrefix(p, "/")
			if name == "" {
				name = "catalogue"
			}
			t.Run(name+"-"+vp.Name, func(t *testing.T) {
				tb.open(t, vp, base+p)
				checkLayout(t, tb, vp)
				if live := eval[[]string](t, tb, inertJS); len(live) > 0 {
					t.Errorf("live content on %s: %v", p, live)
				}
				for _, v := range runAxe(t, tb, axe) {
					if v.Impact == "serious" || v.Impact == "critical" {
						t.Errorf("axe: %v", v)
					}
				}
				// Handlers that would run later (a timer, an image's
				// error) have had the page's load to fire.
				if n := tb.dialogs.Swap(0); n != 0 {
					t.Errorf("%s opened %d JavaScript dialogs", p, n)
				}
			})
		}
	}
}
