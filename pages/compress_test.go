package pages

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
)

func TestAcceptsGzip(t *testing.T) {
	tests := []struct {
		header []string // Accept-Encoding lines; nil: none
		want   bool
	}{
		{nil, false},
		{[]string{"gzip"}, true},
		{[]string{"gzip, deflate, br, zstd"}, true}, // Chromium, Firefox
		{[]string{"deflate, gzip, br, zstd"}, true}, // curl --compressed
		{[]string{"GZIP"}, true},
		{[]string{"x-gzip"}, true},
		{[]string{"br"}, false},
		{[]string{"identity"}, false},
		{[]string{"gzip;q=0"}, false},
		{[]string{"gzip; q=0.5"}, true},
		{[]string{"gzip;q=0.000"}, false},
		{[]string{"*"}, true},
		{[]string{"*;q=0"}, false},
		{[]string{"*, gzip;q=0"}, false}, // the named coding wins over *
		{[]string{"gzip;q=0, *"}, false},
		{[]string{"gzip;q=0", "*"}, false},
		{[]string{"br", "gzip"}, true}, // several lines are one list
		{[]string{"gzip;q=high"}, false},
		{[]string{""}, false},
	}
	for _, tt := range tests {
		h := http.Header{}
		for _, l := range tt.header {
			h.Add("Accept-Encoding", l)
		}
		if got := acceptsGzip(h); got != tt.want {
			t.Errorf("Accept-Encoding %q: %v, want %v", tt.header, got, tt.want)
		}
	}
}

// TestPagesGzip: every page and API answer a browser gets gzipped is, once
// inflated, exactly the plain answer; both say Vary: Accept-Encoding; an API
// answer's ETag differs by coding, and each answers its own If-None-Match
// with 304. Answers too small to be worth it stay plain.
func TestPagesGzip(t *testing.T) {
	ts := curatedEmbedded(t, Options{})
	browser := http.Header{"Accept-Encoding": {"gzip, deflate, br, zstd"}}
	for _, target := range []string{
		"/", "/?family=figures_cyberattacks_daily_average", "/sources/nis-pangyo-conference-2023-07-20",
		"/figures/kr-attacks-daily-2023-h1", "/status", "/api/v1/figures", "/api/v1/sources", "/no-such-page",
	} {
		plain := ts.get(t, target, nil)
		zipped := ts.get(t, target, browser)
		if plain.status != zipped.status {
			t.Fatalf("%s: status %d plain, %d gzipped", target, plain.status, zipped.status)
		}
		if plain.header.Get("Content-Encoding") != "" {
			t.Errorf("%s: a request without Accept-Encoding got %q", target, plain.header.Get("Content-Encoding"))
		}
		for _, r := range []response{plain, zipped} {
			if !strings.Contains(strings.Join(r.header.Values("Vary"), ","), "Accept-Encoding") {
				t.Errorf("%s: Vary %q lacks Accept-Encoding", target, r.header.Values("Vary"))
			}
		}
		body := zipped.body
		if len(plain.body) < minGzip {
			if zipped.header.Get("Content-Encoding") != "" || body != plain.body {
				t.Errorf("%s: an answer of %d bytes was compressed", target, len(plain.body))
			}
			continue
		}
		if zipped.header.Get("Content-Encoding") != "gzip" {
			t.Fatalf("%s: Content-Encoding %q, want gzip", target, zipped.header.Get("Content-Encoding"))
		}
		if cl := zipped.header.Get("Content-Length"); cl != "" && cl != strconv.Itoa(len(body)) {
			t.Errorf("%s: Content-Length %s for %d bytes", target, cl, len(body))
		}
		zr, err := gzip.NewReader(strings.NewReader(body))
		if err != nil {
			t.Fatalf("%s: %v", target, err)
		}
		inflated, err := io.ReadAll(zr)
		if err != nil {
			t.Fatalf("%s: %v", target, err)
		}
		if !bytes.Equal(inflated, []byte(plain.body)) {
			t.Errorf("%s: the gzipped answer inflates to %d bytes, not the plain answer's %d", target, len(inflated), len(plain.body))
		}
		if len(body)*3 > len(plain.body)*2 {
			t.Errorf("%s: gzip made %d bytes of %d, not a third smaller", target, len(body), len(plain.body))
		}
		if strings.HasPrefix(target, "/api/") {
			pe, ze := plain.header.Get("ETag"), zipped.header.Get("ETag")
			if pe == "" || pe == ze {
				t.Errorf("%s: ETag %q plain, %q gzipped; want two tags", target, pe, ze)
			}
			if r := ts.get(t, target, http.Header{"Accept-Encoding": browser["Accept-Encoding"], "If-None-Match": {ze}}); r.status != http.StatusNotModified {
				t.Errorf("%s: the gzipped ETag gets %d, want 304", target, r.status)
			}
			if r := ts.get(t, target, http.Header{"If-None-Match": {ze}}); r.status != http.StatusOK || r.body != plain.body {
				t.Errorf("%s: a plain request with the gzipped ETag gets %d, want the plain answer", target, r.status)
			}
		}
	}
}
