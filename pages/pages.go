// Package pages serves the figures to people and scripts: the catalogue at
// /, a page per report (/sources/{id}) and per figure (/figures/{id}), a
// status page for operators (/status) and a JSON API (/api/v1/figures,
// /api/v1/sources). It sits beside the metrics core (exporter/) as
// Prometheus' web/ sits beside its tsdb: it only reads the holder's last
// good snapshot, so nothing it shows has failed validation.
//
// Every page is rendered by html/template into a buffer before anything is
// sent (a template error is a 500, never half a page), with a CSP of
// default-src 'self' and the stylesheet served from the binary, so pages
// work offline and content cannot load or run anything.
package pages

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"errors"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/figures-exporter/figures_exporter/exporter/figures"
	"github.com/figures-exporter/figures_exporter/exporter/reload"
)

// Options configure the pages.
type Options struct {
	// TelemetryPath is where the metrics are served, for the links to them.
	TelemetryPath string
	// PrometheusURL, when set, is a Prometheus whose UI the figure pages
	// link to with the figure's query ("open in Prometheus").
	PrometheusURL *url.URL
	// ExternalURL, when set, is the URL people reach the exporter at; the
	// API's links are absolute under it. Pages link relatively, so they
	// work behind a path-rewriting proxy without it.
	ExternalURL *url.URL
	// Seeds holds the articles' text files, named as the sources' seed
	// fields; nil when the text is not available here.
	Seeds fs.FS
	// MaxArticleSize bounds the article read for a report page; larger
	// articles are not rendered. 0 means DefaultMaxArticleSize.
	MaxArticleSize int64
	Logger         *slog.Logger
}

const (
	// DefaultMaxArticleSize is the largest article rendered: the longest
	// seed is a few kB; 4 MiB is the figures files' own limit.
	DefaultMaxArticleSize = 4 << 20
	// pageSize is how many figures a catalogue page shows: enough to scan,
	// few enough that a page stays small on a phone (see the benchmarks).
	pageSize = 100
)

// Server serves the pages of the holder's current snapshot.
type Server struct {
	holder  *reload.Holder
	opts    Options
	current atomic.Pointer[view]
	buildMu sync.Mutex
	pages   map[string]*template.Template
	// cssPath is the stylesheet's path with its content hash, so that it
	// can be cached for good and is still fetched anew after an upgrade.
	cssPath string
	css     []byte
}

//go:embed templates/*.html assets/pages.css
var files embed.FS

// New makes the pages' server. It panics if the embedded templates do not
// parse, which the tests exercise on every build.
func New(holder *reload.Holder, opts Options) *Server {
	if opts.MaxArticleSize <= 0 {
		opts.MaxArticleSize = DefaultMaxArticleSize
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.TelemetryPath == "" {
		opts.TelemetryPath = "/metrics"
	}
	css, err := files.ReadFile("assets/pages.css")
	if err != nil {
		panic(err)
	}
	sum := sha256.Sum256(css)
	s := &Server{holder: holder, opts: opts, css: css, cssPath: "assets/pages." + hex.EncodeToString(sum[:6]) + ".css"}
	base := template.Must(template.New("layout.html").Funcs(funcs).ParseFS(files, "templates/layout.html", "templates/parts.html"))
	s.pages = map[string]*template.Template{}
	for _, name := range []string{"catalogue", "source", "figure", "status", "notfound"} {
		s.pages[name] = template.Must(template.Must(base.Clone()).ParseFS(files, "templates/"+name+".html"))
	}
	return s
}

// Register adds the pages' routes to mux. The catalogue takes / unless the
// metrics are served there, and no page takes the metrics' path (a GET
// pattern would be preferred to it); unknown paths get a page saying so.
func (s *Server) Register(mux *http.ServeMux) {
	routes := []struct {
		path    string
		handler http.HandlerFunc
	}{
		{"/sources/{id}", s.source}, {"/figures/{id}", s.figure}, {"/status", s.status},
		{"/api/v1/figures", s.apiFigures}, {"/api/v1/sources", s.apiSources}, {"/" + s.cssPath, s.stylesheet},
	}
	if s.opts.TelemetryPath != "/" {
		mux.HandleFunc("GET /{$}", s.catalogue)
		mux.HandleFunc("/", s.notFound)
	}
	for _, r := range routes {
		if r.path != s.opts.TelemetryPath {
			mux.HandleFunc("GET "+r.path, r.handler)
		}
	}
}

// Handler is the pages alone on a mux of their own.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	s.Register(mux)
	return mux
}

// securityHeaders are sent with every page and API answer: nothing may be
// loaded from elsewhere or framed, and nothing is sniffed into another type.
func securityHeaders(h http.Header) {
	h.Set("Content-Security-Policy", "default-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
}

func (s *Server) stylesheet(w http.ResponseWriter, r *http.Request) {
	securityHeaders(w.Header())
	w.Header().Set("Content-Type", "text/css; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(s.css))
}

// page is what the layout needs; Body is the page's own data.
type page struct {
	Title string
	// Root leads from the page's URL back to the exporter's root ("./" or
	// "../"), so that links work under any path prefix.
	Root          string
	CSS           string
	TelemetryPath string
	Banner        *banner
	Body          any
}

// banner is the one line / shows when the operator should look at /status.
type banner struct {
	Failed   bool
	Warnings int
}

// acknowledged marks the warnings the curator has already answered: the
// validator appends it to a consistency finding on a figure that records
// the source's contradiction (exporter/figures, validate.go). Such a
// warning is the dataset working as meant, not something to act on.
const acknowledged = "(acknowledged on figure "

// unacknowledged counts the warnings nobody has answered yet.
func unacknowledged(ws figures.Diagnostics) int {
	n := 0
	for _, w := range ws {
		if !strings.Contains(w.Message, acknowledged) {
			n++
		}
	}
	return n
}

var buffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// render executes the named page into a buffer and sends it.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, name string, p page) {
	p.Title = windowTitle(p.Title)
	p.CSS = p.Root + s.cssPath
	p.TelemetryPath = strings.TrimPrefix(s.opts.TelemetryPath, "/")
	buf := buffers.Get().(*bytes.Buffer)
	buf.Reset()
	defer buffers.Put(buf)
	if err := s.pages[name].Execute(buf, p); err != nil {
		s.opts.Logger.Error("rendering page", "page", name, "path", r.URL.Path, "err", err)
		http.Error(w, "The page could not be rendered; the error is in the exporter's log.", http.StatusInternalServerError)
		return
	}
	body, _, done := answer(w, r, "text/html; charset=utf-8", buf.Bytes())
	defer done()
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		_, _ = w.Write(body)
	}
}

// windowTitle is a page's <title>: a browser shows it outside the page, in
// tabs and history, where no element can isolate bidi controls, so they are
// dropped, and a 4 kB title is cut.
func windowTitle(s string) string {
	s = dropBidi(s)
	if utf8.RuneCountInString(s) > 120 {
		s = string([]rune(s)[:120]) + "…"
	}
	return s
}

// dropBidi removes the characters that reorder text, for places where no
// element can isolate them.
func dropBidi(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.Is(unicode.Bidi_Control, r) {
			return -1
		}
		return r
	}, s)
}

// notLoaded answers every page before the first dataset is loaded (the
// server starts only after one is, so this is for embedders).
func (s *Server) notLoaded(w http.ResponseWriter, r *http.Request, root string) {
	s.render(w, r, http.StatusServiceUnavailable, "notfound", page{Title: "No figures loaded yet", Root: root,
		Body: notFoundData{Heading: "No figures loaded yet", Message: "The exporter has not loaded a dataset yet; see the status page."}})
}

type notFoundData struct{ Heading, Message string }

func (s *Server) notFound(w http.ResponseWriter, r *http.Request) {
	root := strings.Repeat("../", max(0, strings.Count(strings.TrimPrefix(r.URL.Path, "/"), "/")))
	if root == "" {
		root = "./"
	}
	s.render(w, r, http.StatusNotFound, "notfound", page{Title: "Not found", Root: root,
		Body: notFoundData{Heading: "Nothing here", Message: "There is no page at this address. The catalogue lists every figure and report."}})
}

// lookup finds what a /figures/{id} or /sources/{id} page shows in the
// current view's index; when there is nothing (no dataset yet, an unknown
// id) it has answered the request itself and returns nil.
func lookup[T comparable](s *Server, w http.ResponseWriter, r *http.Request, index func(*view) map[string]T) (*view, T) {
	var zero T
	v := s.view()
	if v == nil {
		s.notLoaded(w, r, "../")
		return nil, zero
	}
	item, ok := index(v)[r.PathValue("id")]
	if !ok {
		s.notFound(w, r)
	}
	return v, item
}

// bannerFor says whether / should point at /status: after a failed reload,
// or when the dataset has warnings no curator has acknowledged.
func bannerFor(st reload.Status, snap *reload.Snapshot) *banner {
	b := &banner{Failed: st.Result == reload.ResultFailure}
	if snap != nil {
		b.Warnings = unacknowledged(snap.Warnings)
	}
	if !b.Failed && b.Warnings == 0 {
		return nil
	}
	return b
}

var funcs = template.FuncMap{
	"date":        dateWords,
	"iso":         func(t time.Time) string { return t.Format(time.DateOnly) },
	"isoPeriod":   isoPeriod,
	"credibility": credibilityWords,
	"reliability": reliabilityWords,
	"labelName":   labelWords,
	"labelValue":  labelValueWords,
	"country":     isCountryLabel,
	"flagLegend":  func() []flagInfo { return flagLegend },
	"plural": func(n int, one, many string) string {
		if n == 1 {
			return one
		}
		return many
	},
	"add":     func(a, b int) int { return a + b },
	"has":     slices.Contains[[]string],
	"clip":    func(s string) string { return truncateWords(s, 60) },
	"grades":  func() []int { return []int{1, 2, 3, 4, 5, 6} },
	"letters": func() []string { return []string{"A", "B", "C", "D", "E", "F"} },
	// short shortens a family's help for the filter's choices.
	// (An <option> holds only text, so bidi controls are dropped there.)
	"short": func(s string) string { return truncateWords(dropBidi(strings.TrimSuffix(s, ".")), 80) },
	// args passes several values to a template: (args "Root" "./" "Figs" .).
	"args": func(kv ...any) (map[string]any, error) {
		if len(kv)%2 != 0 {
			return nil, errors.New("args: odd number of arguments")
		}
		m := make(map[string]any, len(kv)/2)
		for i := 0; i < len(kv); i += 2 {
			k, ok := kv[i].(string)
			if !ok {
				return nil, errors.New("args: keys must be strings")
			}
			m[k] = kv[i+1]
		}
		return m, nil
	},
	"clock": func(t time.Time) string { return t.UTC().Format("2 Jan 2006 15:04:05 MST") },
	"base":  baseUnits,
	"unitWords": func(u figures.Unit) string {
		switch {
		case u == figures.UnitCount:
			return "a count"
		case u == figures.UnitRatio:
			return "a share of 1 (0.7 is 70 %)"
		case u == figures.UnitChangeRatio:
			return "a relative change (0.15 is +15 %)"
		case u.IsCurrency():
			return strings.ToUpper(string(u))
		}
		return string(u)
	},
}
