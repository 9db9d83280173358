package dashboards

import (
	"bufio"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/figures-exporter/figures_exporter/internal/testtools"
)

// wantUIDs pins every dashboard file to its uid: links and provisioning rely
// on the uid, so it must never change (and a new dashboard needs an entry).
var wantUIDs = map[string]string{
	"figures-threat.json":          "figures-threat",
	"figures-exporter-health.json": "figures-exporter-health",
}

const datasourceRef = "${datasource}"

func dashboardFiles(t *testing.T) []string {
	t.Helper()
	return globDashboards(t, "*.json")
}

// chartDir holds the same dashboards rendered for the Helm chart, with the
// group labels cluster, namespace and job (mixin/generated.jsonnet).
var chartDir = filepath.Join("..", "deploy", "helm", "figures-exporter", "files", "dashboards")

// chartGroupLabels are the chart's group labels other than job: each is a
// variable and a matcher of every selector there.
var chartGroupLabels = []string{"cluster", "namespace"}

func globDashboards(t *testing.T, pattern string) []string {
	t.Helper()
	files, err := filepath.Glob(pattern)
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(files)
	if len(files) == 0 {
		t.Fatalf("no dashboards %s", pattern)
	}
	return files
}

func readDashboard(t *testing.T, file string) *Dashboard {
	t.Helper()
	d, err := ReadDashboard(file)
	if err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	return d
}

// TestLint runs the pinned dashboard-linter with --strict (warnings fail
// too) on every dashboard; rules disabled for a reason are listed in .lint.
func TestLint(t *testing.T) {
	linter := testtools.Tool(t, "dashboard-linter")
	for _, file := range append(dashboardFiles(t), globDashboards(t, filepath.Join(chartDir, "*.json"))...) {
		t.Run(file, func(t *testing.T) {
			out, err := exec.Command(linter, "lint", "--strict", "--config", ".lint", file).CombinedOutput()
			if err != nil {
				t.Errorf("dashboard-linter lint --strict %s: %v\n%s", file, err, out)
			}
		})
	}
}

// TestStructure checks what the linter does not: stable and unique uids, the
// Grafana 11/12 schema, the datasource variable on every panel, target and
// annotation, the job and instance variables, and no hard-coded instance.
func TestStructure(t *testing.T) {
	type set struct {
		files  []string
		groups []string // variables and matchers besides job and instance
	}
	for _, st := range []set{{dashboardFiles(t), nil}, {globDashboards(t, filepath.Join(chartDir, "*.json")), chartGroupLabels}} {
		structure(t, st.files, st.groups)
	}
}

func structure(t *testing.T, files, groups []string) {
	seenUID := map[string]string{}
	for _, file := range files {
		t.Run(file, func(t *testing.T) {
			d := readDashboard(t, file)
			want, ok := wantUIDs[filepath.Base(file)]
			if !ok {
				t.Fatalf("no pinned uid for %s: add it to wantUIDs", file)
			}
			if d.UID != want {
				t.Errorf("uid %q, want %q (uids must stay stable)", d.UID, want)
			}
			if other, dup := seenUID[d.UID]; dup {
				t.Errorf("uid %q also used by %s", d.UID, other)
			}
			seenUID[d.UID] = file
			if d.Title == "" {
				t.Error("no title")
			}
			// Grafana 11.0 writes schemaVersion 39, Grafana 12 writes 41 and 42.
			if d.SchemaVersion < 39 || d.SchemaVersion > 42 {
				t.Errorf("schemaVersion %d, want one of Grafana 11/12 (39-42)", d.SchemaVersion)
			}

			vars := map[string]Variable{}
			for _, v := range d.Templating.List {
				vars[v.Name] = v
			}
			if ds, ok := vars["datasource"]; !ok || ds.Type != "datasource" || string(ds.Query) != `"prometheus"` {
				t.Errorf("no datasource variable of type prometheus: %+v", ds)
			}
			// A group label may be missing from the series (a single
			// cluster without a cluster label): its All matches "" too.
			wantAll := map[string]string{"job": ".+", "instance": ".+"}
			for _, g := range groups {
				wantAll[g] = ".*"
			}
			for name, all := range wantAll {
				v, ok := vars[name]
				switch {
				case !ok:
					t.Errorf("no %s variable", name)
				case v.Datasource == nil || v.Datasource.UID != datasourceRef:
					t.Errorf("%s variable does not query ${datasource}", name)
				case !v.IncludeAll || !v.Multi || v.AllValue != all:
					t.Errorf("%s variable: includeAll %v, multi %v, allValue %q; want All (%s) and multi-select", name, v.IncludeAll, v.Multi, v.AllValue, all)
				}
			}

			ids := map[int]bool{}
			for _, p := range d.AllPanels() {
				if ids[p.ID] {
					t.Errorf("panel id %d used twice", p.ID)
				}
				ids[p.ID] = true
				if p.Type == "row" {
					continue
				}
				if p.Title == "" || p.Description == "" {
					t.Errorf("panel %d (%q) needs a title and a description", p.ID, p.Title)
				}
				if p.Datasource == nil || p.Datasource.UID != datasourceRef || p.Datasource.Type != "prometheus" {
					t.Errorf("panel %q does not use the datasource variable: %+v", p.Title, p.Datasource)
				}
				if len(p.Targets) == 0 {
					t.Errorf("panel %q has no query", p.Title)
				}
				for _, tg := range p.Targets {
					if tg.Datasource == nil || tg.Datasource.UID != datasourceRef {
						t.Errorf("panel %q target %s does not use the datasource variable", p.Title, tg.RefID)
					}
					checkMatchers(t, fmt.Sprintf("panel %q target %s", p.Title, tg.RefID), tg.Expr, groups)
				}
			}
			for _, a := range d.Annotations.List {
				if a.BuiltIn == 1 {
					continue
				}
				if a.Datasource == nil || a.Datasource.UID != datasourceRef {
					t.Errorf("annotation %q does not use the datasource variable", a.Name)
				}
				checkMatchers(t, fmt.Sprintf("annotation %q", a.Name), a.Expr, groups)
			}
		})
	}
}

var matcherRE = regexp.MustCompile(`\b(job|instance)\s*(=~|!~|!=|=)\s*"([^"]*)"`)

// checkMatchers fails on any job or instance matcher other than the
// variables' (no literal instance="host:port"), and on a selector without
// them or without a matcher of each group label's variable.
func checkMatchers(t *testing.T, where, expr string, groups []string) {
	t.Helper()
	if expr == "" {
		t.Errorf("%s: empty query", where)
		return
	}
	for _, m := range matcherRE.FindAllStringSubmatch(expr, -1) {
		if m[2] != "=~" || m[3] != "$"+m[1] {
			t.Errorf("%s: literal matcher %s%s%q; use %s=~\"$%s\"", where, m[1], m[2], m[3], m[1], m[1])
		}
	}
	if strings.Count(expr, "{") != strings.Count(expr, `job=~"$job"`) || strings.Count(expr, "{") != strings.Count(expr, `instance=~"$instance"`) {
		t.Errorf("%s: every selector needs job=~\"$job\" and instance=~\"$instance\": %s", where, expr)
	}
	for _, g := range groups {
		if m := fmt.Sprintf(`%s=~"$%s"`, g, g); strings.Count(expr, "{") != strings.Count(expr, m) {
			t.Errorf("%s: every selector needs %s: %s", where, m, expr)
		}
	}
}

// TestQueriesParse parses every query Queries returns (and the metric
// selectors of the label_values variables) with the pinned promtool: each
// becomes a recording rule of a temporary rule file, which `promtool check
// rules` parses with Prometheus's own PromQL parser.
func TestQueriesParse(t *testing.T) {
	qs, err := Queries(".")
	if err != nil {
		t.Fatal(err)
	}
	type rule struct {
		Record string `json:"record"`
		Expr   string `json:"expr"`
	}
	var rules []rule
	var where []string
	for i, q := range qs {
		rules = append(rules, rule{Record: fmt.Sprintf("dashboard_query_%d", i), Expr: q.Expr})
		where = append(where, fmt.Sprintf("%s / %s / %s: %s", q.Dashboard, q.Panel, q.RefID, q.Expr))
	}
	for _, file := range dashboardFiles(t) {
		d := readDashboard(t, file)
		for _, v := range d.Templating.List {
			if v.Type != "query" {
				continue
			}
			sel, err := variableSelector(v)
			if err != nil {
				t.Errorf("%s: variable %s: %v", file, v.Name, err)
				continue
			}
			rules = append(rules, rule{Record: fmt.Sprintf("dashboard_query_%d", len(rules)), Expr: sel})
			where = append(where, fmt.Sprintf("%s / variable %s: %s", d.Title, v.Name, sel))
		}
	}
	// JSON is YAML: promtool reads this file as a rule file.
	data, err := json.MarshalIndent(map[string]any{"groups": []any{map[string]any{"name": "dashboards", "rules": rules}}}, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "dashboard_queries.rules.yml")
	if err := os.WriteFile(file, data, 0o644); err != nil {
		t.Fatal(err)
	}
	promtool := testtools.Tool(t, "promtool")
	out, err := exec.Command(promtool, "check", "rules", "--lint=none", file).CombinedOutput()
	if err != nil {
		t.Errorf("promtool check rules: %v\n%s", err, out)
		for i, w := range where {
			t.Logf("dashboard_query_%d = %s", i, w)
		}
	}
	if !strings.Contains(string(out), fmt.Sprintf("SUCCESS: %d rules found", len(rules))) {
		t.Errorf("promtool did not check all %d queries:\n%s", len(rules), out)
	}
}

var labelValuesRE = regexp.MustCompile(`^label_values\((.+),\s*(\w+)\)$`)

// variableSelector turns a label_values(selector, label) variable query into
// its selector, with the variables substituted as Queries does.
func variableSelector(v Variable) (string, error) {
	var q struct {
		Query string `json:"query"`
	}
	if err := json.Unmarshal(v.Query, &q); err != nil {
		return "", err
	}
	m := labelValuesRE.FindStringSubmatch(strings.TrimSpace(q.Query))
	if m == nil {
		return "", fmt.Errorf("query %q is not label_values(selector, label)", q.Query)
	}
	return strings.NewReplacer(`"$job"`, `".+"`, `"$instance"`, `".+"`).Replace(m[1]), nil
}

// prometheusMetrics are series Prometheus itself adds to every target.
var prometheusMetrics = map[string]bool{"up": true, "scrape_duration_seconds": true, "scrape_samples_scraped": true}

var selectorNameRE = regexp.MustCompile(`([a-zA-Z_:][a-zA-Z0-9_:]*)\{`)

// TestQueriesUseServedMetrics scrapes the real exporter serving figures.yaml
// and checks that every metric a dashboard names is one it serves (or one
// Prometheus adds to each scrape), so a renamed metric cannot leave a panel
// silently empty.
func TestQueriesUseServedMetrics(t *testing.T) {
	served := scrapeExporter(t)
	qs, err := Queries(".")
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range qs {
		names := selectorNameRE.FindAllStringSubmatch(q.Expr, -1)
		if len(names) == 0 && !strings.Contains(q.Expr, `{__name__=~"figures_.+"`) {
			t.Errorf("%s / %s: no metric selector in %s", q.Dashboard, q.Panel, q.Expr)
		}
		for _, m := range names {
			if name := m[1]; !served[name] && !prometheusMetrics[name] {
				t.Errorf("%s / %s: metric %s is not served by the exporter", q.Dashboard, q.Panel, name)
			}
		}
	}
}

// scrapeExporter runs the exporter binary on figures.yaml and returns the
// names of the metrics it serves.
func scrapeExporter(t *testing.T) map[string]bool {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	cmd := exec.Command(testtools.Exporter(t),
		"--figures.file="+filepath.Join(testtools.RepoRoot(t), "figures.yaml"),
		"--web.listen-address="+addr, "--no-figures.watch", "--log.level=error")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() { _ = cmd.Wait(); close(done) }()
	t.Cleanup(func() { _ = cmd.Process.Kill(); <-done })

	client := &http.Client{Timeout: 5 * time.Second}
	deadline := time.Now().Add(30 * time.Second)
	for {
		resp, err := client.Get("http://" + addr + "/metrics")
		if err == nil && resp.StatusCode == http.StatusOK {
			names := map[string]bool{}
			sc := bufio.NewScanner(resp.Body)
			sc.Buffer(make([]byte, 1<<20), 1<<20)
			for sc.Scan() {
				line := sc.Text()
				if line == "" || strings.HasPrefix(line, "#") {
					continue
				}
				names[strings.FieldsFunc(line, func(r rune) bool { return r == '{' || r == ' ' })[0]] = true
			}
			resp.Body.Close()
			if err := sc.Err(); err != nil {
				t.Fatal(err)
			}
			return names
		}
		if err == nil {
			resp.Body.Close()
		}
		select {
		case <-done:
			t.Fatal("exporter exited before serving metrics")
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("exporter did not serve /metrics within 30s (last error: %v)", err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// TestDocsListEveryPanel keeps docs/dashboards.md in step with the
// dashboards: it must name every panel and annotation and show its query.
func TestDocsListEveryPanel(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(testtools.RepoRoot(t), "docs", "dashboards.md"))
	if err != nil {
		t.Fatal(err)
	}
	doc := strings.ReplaceAll(string(data), `\|`, "|")
	for _, file := range dashboardFiles(t) {
		d := readDashboard(t, file)
		if !strings.Contains(doc, "`"+file+"`") || !strings.Contains(doc, "`"+d.UID+"`") {
			t.Errorf("docs/dashboards.md does not name %s (uid %s)", file, d.UID)
		}
		check := func(what, expr string) {
			if !strings.Contains(doc, "| "+what+" |") {
				t.Errorf("docs/dashboards.md has no row for %s", what)
			}
			if !strings.Contains(doc, "`"+strings.Join(strings.Fields(expr), " ")+"`") {
				t.Errorf("docs/dashboards.md does not show the query of %s: %s", what, expr)
			}
		}
		for _, p := range d.AllPanels() {
			for _, tg := range p.Targets {
				check(p.Title, tg.Expr)
			}
		}
		for _, a := range d.Annotations.List {
			if a.Expr != "" {
				check(a.Name, a.Expr)
			}
		}
	}
}
