package pages

import (
	"encoding/json"
	"maps"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	figuresexporter "github.com/figures-exporter/figures_exporter"
	"github.com/figures-exporter/figures_exporter/exporter/reload"
	"github.com/figures-exporter/figures_exporter/internal/testtools"
)

// docFields reads the field tables of docs/api.md: endpoint path -> field
// path (figures[].period.start) -> the JSON types allowed.
func docFields(t *testing.T) map[string]map[string][]string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(testtools.RepoRoot(t), "docs", "api.md"))
	if err != nil {
		t.Fatal(err)
	}
	heading := regexp.MustCompile("^## `GET (/api/v1/[a-z]+)`$")
	row := regexp.MustCompile("^\\| `([a-z0-9_.\\[\\]]+)` \\| ([a-z ]+) \\|")
	out := map[string]map[string][]string{}
	var endpoint string
	for line := range strings.SplitSeq(string(data), "\n") {
		if m := heading.FindStringSubmatch(line); m != nil {
			endpoint = m[1]
			out[endpoint] = map[string][]string{}
			continue
		}
		if strings.HasPrefix(line, "## ") {
			endpoint = ""
		}
		if m := row.FindStringSubmatch(line); m != nil && endpoint != "" {
			var types []string
			for _, alt := range strings.Split(m[2], " or ") {
				types = append(types, strings.Fields(alt)[0]) // "array of strings" -> array
			}
			out[endpoint][m[1]] = types
		}
	}
	if len(out["/api/v1/figures"]) < 30 || len(out["/api/v1/sources"]) < 20 {
		t.Fatalf("docs/api.md's tables were not found: %v", out)
	}
	return out
}

// jsonType names a decoded JSON value's type as docs/api.md does.
func jsonType(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case string:
		return "string"
	case bool:
		return "boolean"
	case float64:
		if x == float64(int64(x)) {
			return "integer"
		}
		return "number"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	}
	return "unknown"
}

// walk records the path and type of every value of an answer, and
// descends into objects and into the objects of arrays (figures[].id).
// Objects the docs list no fields of (labels) are maps: not descended into.
func walk(v any, path string, doc map[string][]string, seen map[string]bool, t *testing.T) {
	if path != "" {
		allowed, ok := doc[path]
		switch typ := jsonType(v); {
		case !ok:
			t.Errorf("%s is sent but not in docs/api.md", path)
			return
		case slices.Contains(allowed, typ), typ == "integer" && slices.Contains(allowed, "number"):
		default:
			t.Errorf("%s is %s, docs/api.md says %v", path, typ, allowed)
		}
		seen[path] = true
	}
	switch x := v.(type) {
	case map[string]any:
		fields(x, path, doc, seen, t)
	case []any:
		for _, elem := range x {
			if m, ok := elem.(map[string]any); ok {
				fields(m, path+"[]", doc, seen, t)
			}
		}
	}
}

func fields(m map[string]any, path string, doc map[string][]string, seen map[string]bool, t *testing.T) {
	prefix := path + "."
	if path == "" {
		prefix = ""
	}
	if path != "" && !slices.ContainsFunc(slices.Collect(maps.Keys(doc)), func(p string) bool { return strings.HasPrefix(p, prefix) }) {
		return
	}
	for k, child := range m {
		walk(child, prefix+k, doc, seen, t)
	}
}

// TestAPIMatchesDocs parses every answer of both endpoints, over datasets
// and options that set and leave unset every optional field, against the
// field tables of docs/api.md: each field sent is documented with its
// type, and each documented field is sent.
func TestAPIMatchesDocs(t *testing.T) {
	doc := docFields(t)
	prom, _ := url.Parse("http://prometheus.example:9090")
	servers := []*testServer{
		curatedEmbedded(t, Options{}),
		curatedEmbedded(t, Options{PrometheusURL: prom}),
		newTestServer(t, []string{filepath.Join("testdata", "hostile.yaml")}, Options{}),
	}
	seen := map[string]map[string]bool{}
	for endpoint := range doc {
		seen[endpoint] = map[string]bool{}
		for _, ts := range servers {
			for _, query := range []string{"", "?per_page=2", "?per_page=2&page=99", "?country=KP&flag=derived", "?family=none"} {
				r := ts.get(t, endpoint+query, nil)
				if r.status != http.StatusOK || r.header.Get("Content-Type") != "application/json; charset=utf-8" {
					t.Fatalf("GET %s%s: %d %s", endpoint, query, r.status, r.header.Get("Content-Type"))
				}
				var v any
				if err := json.Unmarshal([]byte(r.body), &v); err != nil {
					t.Fatalf("GET %s%s: %v", endpoint, query, err)
				}
				walk(v, "", doc[endpoint], seen[endpoint], t)
			}
		}
		for p := range doc[endpoint] {
			if !seen[endpoint][p] {
				t.Errorf("docs/api.md lists %s of %s, which no answer sent", p, endpoint)
			}
		}
	}
}

// TestAPIFiltersEqualPage: for each filter the API selects the figures the
// page shows, in the same order.
func TestAPIFiltersEqualPage(t *testing.T) {
	ts := curatedEmbedded(t, Options{})
	for _, tc := range filterCases(ts.holder.Snapshot().Dataset) {
		var answer struct {
			Matched int
			Figures []struct{ ID string }
		}
		r := ts.get(t, "/api/v1/figures?"+tc.query, nil)
		if err := json.Unmarshal([]byte(r.body), &answer); err != nil {
			t.Fatal(tc.query, err)
		}
		var api []string
		for _, f := range answer.Figures {
			api = append(api, f.ID)
		}
		if page := pageFigureIDs(t, ts, "/?"+tc.query); !slices.Equal(api, page) || answer.Matched != len(page) {
			t.Errorf("?%s: the API selects %v (matched %d), the page %v", tc.query, api, answer.Matched, page)
		}
	}
}

// TestAPIBadRequest: invalid parameters are a 400 naming each problem.
func TestAPIBadRequest(t *testing.T) {
	ts := curatedEmbedded(t, Options{})
	r := ts.get(t, "/api/v1/figures?credibility=0&per_page=0&flag=x", nil)
	var e struct{ Error string }
	if err := json.Unmarshal([]byte(r.body), &e); err != nil || r.status != http.StatusBadRequest {
		t.Fatalf("%d %s", r.status, r.body)
	}
	for _, want := range []string{"credibility", "per_page", `flag "x"`} {
		if !strings.Contains(e.Error, want) {
			t.Errorf("the error %q does not name %s", e.Error, want)
		}
	}
}

// TestAPIETag: the ETag is the dataset's revision; If-None-Match gets a
// 304 without a body until a reload changes the dataset.
func TestAPIETag(t *testing.T) {
	path := filepath.Join(t.TempDir(), "figures.yaml")
	if err := os.WriteFile(path, figuresexporter.DefaultFigures, 0o644); err != nil {
		t.Fatal(err)
	}
	ts := newTestServer(t, []string{path}, Options{})
	rev := ts.holder.Snapshot().Dataset.Revision
	for _, endpoint := range []string{"/api/v1/figures", "/api/v1/sources?q=north"} {
		first := ts.get(t, endpoint, nil)
		etag := first.header.Get("ETag")
		if first.status != 200 || !strings.Contains(etag, rev) {
			t.Fatalf("%s: %d, ETag %q lacks the revision %s", endpoint, first.status, etag, rev)
		}
		for _, inm := range []string{etag, `"other", ` + etag, "*"} {
			if r := ts.get(t, endpoint, http.Header{"If-None-Match": {inm}}); r.status != http.StatusNotModified || r.body != "" {
				t.Errorf("%s with If-None-Match %s: %d, %d bytes; want 304 and no body", endpoint, inm, r.status, len(r.body))
			}
		}
		if r := ts.get(t, endpoint, http.Header{"If-None-Match": {`"stale"`}}); r.status != 200 || r.body != first.body {
			t.Errorf("%s with a stale ETag: %d", endpoint, r.status)
		}
	}
	changed := strings.Replace(string(figuresexporter.DefaultFigures), "value: 1.37e6", "value: 1.38e6", 1)
	if err := os.WriteFile(path, []byte(changed), 0o644); err != nil {
		t.Fatal(err)
	}
	old := ts.get(t, "/api/v1/figures", nil).header.Get("ETag")
	if r, d := ts.holder.Reload(reload.TriggerWatch); r != reload.ResultSuccess {
		t.Fatal(r, d)
	}
	r := ts.get(t, "/api/v1/figures", http.Header{"If-None-Match": {old}})
	if r.status != 200 || r.header.Get("ETag") == old || !strings.Contains(r.body, `"value":1380000`) {
		t.Errorf("after a reload the old ETag gets %d, ETag %s", r.status, r.header.Get("ETag"))
	}
}

// TestAPILinks: links are root paths, or absolute under --web.external-url.
func TestAPILinks(t *testing.T) {
	ext, _ := url.Parse("https://intel.example/figures/")
	for _, tc := range []struct {
		opts Options
		want string
	}{
		{Options{}, `"page":"/figures/kr-attacks-daily-2023-h1"`},
		{Options{ExternalURL: ext}, `"page":"https://intel.example/figures/figures/kr-attacks-daily-2023-h1"`},
	} {
		r := curatedEmbedded(t, tc.opts).get(t, "/api/v1/figures?id=kr-attacks-daily-2023-h1", nil)
		if !strings.Contains(r.body, tc.want) {
			t.Errorf("links %s lack %s", r.body, tc.want)
		}
	}
}
