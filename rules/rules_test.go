package rules_test

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/figures-exporter/figures_exporter/internal/testtools"
)

// The alerts the pack must define (the end-to-end test and the docs rely on
// these names), with their severities.
var wantAlerts = map[string]string{
	"FiguresValueChanged":   "info",
	"FiguresValueJumped":    "warning",
	"FiguresFigureAdded":    "info",
	"FiguresFigureRemoved":  "warning",
	"FiguresReloadFailing":  "warning",
	"FiguresExporterDown":   "critical",
	"FiguresExporterAbsent": "critical",
	"FiguresDatasetStale":   "warning",
	"FiguresDatasetRevised": "info",
}

// eventAlerts are the per-figure alerts: no `for`, and keep_firing_for
// equal to the change window (15m on the defaults).
var eventAlerts = []string{"FiguresValueChanged", "FiguresValueJumped", "FiguresFigureAdded", "FiguresFigureRemoved", "FiguresDatasetRevised"}

const runbookBase = "https://github.com/figures-exporter/figures_exporter/blob/main/docs/runbook.md#"

// toolTimeout bounds one run of promtool, jsonnet or rulecheck (they take
// about a second once built).
const toolTimeout = 3 * time.Minute

// variants are the renderings of the mixin that hold rule files, with the
// settings they were rendered with: the committed ones (mixin/generated.jsonnet)
// and the ones only the promtool tests read (mixin/tests.jsonnet, rendered
// at test time by testTree).
var variants = []struct {
	name, selector, groupLabels string
	files                       []string // relative to the repository, or "tests/..." to testTree's directory
}{
	{"defaults", `job="figures"`, "job", []string{"rules/figures.rules.yml", "rules/figures.alerts.yml"}},
	{"short windows", `job="figures"`, "job", []string{"tests/short/figures.rules.yml", "tests/short/figures.alerts.yml"}},
	{"clusters", `job="threat-figures"`, "cluster,namespace,job", []string{"tests/clusters/figures.rules.yml", "tests/clusters/figures.alerts.yml"}},
	{"helm chart", `job="__FIGURES_JOB__", namespace="__FIGURES_NAMESPACE__"`, "cluster,namespace,job", []string{"deploy/helm/figures-exporter/files/rules.yaml"}},
	{"release a", `job="figures-a", namespace="ns-a"`, "namespace,job", []string{"tests/releases/a/figures.rules.yml", "tests/releases/a/figures.alerts.yml"}},
	{"release b", `job="figures-b", namespace="ns-b"`, "namespace,job", []string{"tests/releases/b/figures.rules.yml", "tests/releases/b/figures.alerts.yml"}},
}

// testTree lays out, in a temporary directory, what the promtool tests
// read: tests/ holds the renderings of mixin/tests.jsonnet and copies of
// rules/tests/*.test.yml (whose rule_files name short/..., clusters/...
// and ../figures.*.yml), and the directory itself copies of the committed
// rules/figures.*.yml. It returns the directory.
func testTree(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	run(t, "jsonnet", "-S", "-c", "-m", filepath.Join(dir, "tests"), filepath.Join("mixin", "tests.jsonnet"))
	for _, pattern := range []string{"rules/*.yml", "rules/tests/*.test.yml"} {
		for _, f := range repoFiles(t, pattern) {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			rel, _ := filepath.Rel(filepath.Join(testtools.RepoRoot(t), "rules"), f)
			if err := os.WriteFile(filepath.Join(dir, rel), data, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	return dir
}

// variantFiles are a variant's files as absolute paths, tree being
// testTree's directory.
func variantFiles(t *testing.T, tree string, files []string) []string {
	t.Helper()
	var abs []string
	for _, f := range files {
		if strings.HasPrefix(f, "tests/") {
			abs = append(abs, filepath.Join(tree, filepath.FromSlash(f)))
		} else {
			abs = append(abs, filepath.Join(testtools.RepoRoot(t), filepath.FromSlash(f)))
		}
	}
	return abs
}

// generatedGlobs are where mixin/generated.jsonnet writes; every file there
// (but the tests and the promtool test files) must be one it makes. The
// renderings only tests read are made at test time (testTree) and must not
// be committed: nothing makes a file under rules/tests/*/.
var generatedGlobs = []string{
	"rules/*.yml",
	"rules/tests/short/*",
	"rules/tests/clusters/*",
	"rules/tests/releases/*/*",
	"dashboards/*.json",
	"deploy/helm/figures-exporter/files/rules.yaml",
	"deploy/helm/figures-exporter/files/figures.yaml",
	"deploy/helm/figures-exporter/files/dashboards/*",
}

type ruleFile struct {
	Groups []struct {
		Name  string `yaml:"name"`
		Rules []rule `yaml:"rules"`
	} `yaml:"groups"`
}

type rule struct {
	Record        string            `yaml:"record"`
	Alert         string            `yaml:"alert"`
	Expr          string            `yaml:"expr"`
	For           string            `yaml:"for"`
	KeepFiringFor string            `yaml:"keep_firing_for"`
	Labels        map[string]string `yaml:"labels"`
	Annotations   map[string]string `yaml:"annotations"`
}

type testFile struct {
	RuleFiles []string `yaml:"rule_files"`
	Tests     []struct {
		Name       string `yaml:"name"`
		AlertTests []struct {
			Alertname string           `yaml:"alertname"`
			ExpAlerts []map[string]any `yaml:"exp_alerts"`
		} `yaml:"alert_rule_test"`
		PromQLTests []struct {
			Expr string `yaml:"expr"`
		} `yaml:"promql_expr_test"`
	} `yaml:"tests"`
}

// run runs a tool in the repository's root and returns its combined output,
// failing the test when it exits non-zero.
func run(t *testing.T, tool string, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), toolTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, testtools.Tool(t, tool), args...)
	cmd.Dir = testtools.RepoRoot(t)
	out, err := cmd.CombinedOutput()
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee):
		t.Fatalf("%s %s exited with %d:\n%s", tool, strings.Join(args, " "), ee.ExitCode(), out)
	case err != nil:
		t.Fatalf("%s %s: %v\n%s", tool, strings.Join(args, " "), err, out)
	}
	return string(out)
}

// render evaluates a jsonnet file of mixin/ that returns {path: text} into
// a temporary directory, with config (jsonnet code) as its `config`
// argument when not empty, and returns the directory.
func render(t *testing.T, entry, config string) string {
	t.Helper()
	dir := t.TempDir()
	args := []string{"-S", "-c", "-m", dir}
	if config != "" {
		args = append(args, "--tla-code", "config="+config)
	}
	run(t, "jsonnet", append(args, filepath.Join("mixin", entry))...)
	return dir
}

// testFiles are the promtool test files of testTree's directory.
func testFiles(t *testing.T, tree string) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(tree, "tests", "*.test.yml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no test files in %s (%v)", tree, err)
	}
	return files
}

func repoFiles(t *testing.T, pattern string) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(testtools.RepoRoot(t), filepath.FromSlash(pattern)))
	if err != nil || len(files) == 0 {
		t.Fatalf("no files %s (%v)", pattern, err)
	}
	return files
}

func readYAML(t *testing.T, path string, v any) {
	t.Helper()
	testtools.ReadYAML(t, path, v)
}

func loadRules(t *testing.T, files []string) (alerts, records []rule) {
	t.Helper()
	for _, f := range files {
		var rf ruleFile
		readYAML(t, f, &rf)
		for _, g := range rf.Groups {
			for _, r := range g.Rules {
				if r.Alert != "" {
					alerts = append(alerts, r)
				} else {
					records = append(records, r)
				}
			}
		}
	}
	return alerts, records
}

// TestGenerated fails when a committed file made from the mixin differs from
// what the mixin makes now, or when a file in a generated place is no
// longer made. Regenerate with the command in mixin/generated.jsonnet.
func TestGenerated(t *testing.T) {
	root := testtools.RepoRoot(t)
	dir := render(t, "generated.jsonnet", "")
	made := map[string]bool{}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		made[filepath.ToSlash(rel)] = true
		want, _ := os.ReadFile(path)
		got, err := os.ReadFile(filepath.Join(root, rel))
		switch {
		case err != nil:
			t.Errorf("%s is made by the mixin but not committed: %v", rel, err)
		case !bytes.Equal(got, want):
			t.Errorf("%s differs from what the mixin makes; regenerate it (see mixin/generated.jsonnet)", rel)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range generatedGlobs {
		files, _ := filepath.Glob(filepath.Join(root, filepath.FromSlash(g)))
		for _, f := range files {
			rel, _ := filepath.Rel(root, f)
			if !made[filepath.ToSlash(rel)] {
				t.Errorf("%s is in a generated place but the mixin does not make it", rel)
			}
		}
	}
	if len(made) < 8 {
		t.Errorf("the mixin made only %d files: %v", len(made), made)
	}
}

// TestMixinStyle keeps the mixin's jsonnet as go-jsonnet formats it
// (jsonnetfmt --test) and free of what jsonnet-lint finds (unused
// variables, unknown fields of known objects).
func TestMixinStyle(t *testing.T) {
	root := testtools.RepoRoot(t)
	var files []string
	err := filepath.WalkDir(filepath.Join(root, "mixin"), func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && (strings.HasSuffix(path, ".jsonnet") || strings.HasSuffix(path, ".libsonnet")) {
			rel, _ := filepath.Rel(root, path)
			files = append(files, rel)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < 5 {
		t.Fatalf("mixin files: %v", files)
	}
	run(t, "jsonnetfmt", append([]string{"--test"}, files...)...)
	for _, f := range files {
		run(t, "jsonnet-lint", f)
	}
}

// TestPromtool runs the real, pinned promtool on the pack: every generated
// rule file must check clean with every lint enabled, and every unit test
// must pass.
func TestPromtool(t *testing.T) {
	tree := testTree(t)
	var ruleFiles []string
	for _, v := range variants {
		ruleFiles = append(ruleFiles, variantFiles(t, tree, v.files)...)
	}
	tests := []struct {
		name  string
		args  []string
		files []string // every one must report SUCCESS, and nothing may warn
	}{
		{"check rules", []string{"check", "rules", "--lint=all", "--lint-fatal"}, ruleFiles},
		{"test rules", []string{"test", "rules"}, testFiles(t, tree)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out := run(t, "promtool", append(tc.args, tc.files...)...)
			for _, bad := range []string{"WARNING", "FAILED", "lint"} {
				if strings.Contains(out, bad) {
					t.Errorf("promtool %s printed %q:\n%s", strings.Join(tc.args, " "), bad, out)
				}
			}
			if n := strings.Count(out, "SUCCESS"); n != len(tc.files) {
				t.Errorf("promtool %s: %d SUCCESS for %d files:\n%s", strings.Join(tc.args, " "), n, len(tc.files), out)
			}
			t.Logf("promtool %s:\n%s", strings.Join(tc.args, " "), out)
		})
	}
}

// TestRulefmt parses every generated rule file with Prometheus's rulefmt
// (strictly: unknown fields, PromQL and templates) and checks on each
// expression's syntax tree that every scraped-series selector carries the
// variant's selector and every by (...) and on (...) its group labels.
func TestRulefmt(t *testing.T) {
	tree := testTree(t)
	for _, v := range variants {
		t.Run(v.name, func(t *testing.T) {
			files := variantFiles(t, tree, v.files)
			out := run(t, "rulecheck", append([]string{"-selector", v.selector, "-group-labels", v.groupLabels}, files...)...)
			if n := strings.Count(out, "groups,"); n != len(files) {
				t.Errorf("rulecheck checked %d files of %d:\n%s", n, len(files), out)
			}
			checkTemplateQueries(t, files, strings.Split(v.groupLabels, ","))
		})
	}
}

// templateQueryRE finds the printf formats of alert templates: the queries
// they run.
var templateQueryRE = regexp.MustCompile("printf `([^`]*)`")

// checkTemplateQueries checks that every query an alert template runs
// selects the alert's own deployment: each group label is matched (%q).
func checkTemplateQueries(t *testing.T, files, groups []string) {
	t.Helper()
	alerts, _ := loadRules(t, files)
	n := 0
	for _, a := range alerts {
		for _, m := range templateQueryRE.FindAllStringSubmatch(a.Annotations["description"], -1) {
			// A format without a selector reads no series itself: it is
			// arithmetic on numbers, or it combines queries (%s) made by
			// formats that are checked here.
			if !strings.Contains(m[1], "{") {
				continue
			}
			n++
			for _, g := range groups {
				if !strings.Contains(m[1], g+"=%q") {
					t.Errorf("%s: template query %s does not match %s", a.Alert, m[1], g)
				}
			}
		}
	}
	if n < 10 {
		t.Errorf("only %d template queries found", n)
	}
}

// TestRenderOtherSettings renders the pack as README shows (render.jsonnet
// with another job name and three group labels) and checks the result as
// the committed files are checked: rulefmt and the structure, promtool
// check rules, and no trace of the default job.
func TestRenderOtherSettings(t *testing.T) {
	dir := render(t, "render.jsonnet", `{figuresExporterSelector: 'job="threat-figures"', groupLabels: ['cluster', 'namespace', 'job']}`)
	files := []string{filepath.Join(dir, "rules", "figures.rules.yml"), filepath.Join(dir, "rules", "figures.alerts.yml")}
	run(t, "rulecheck", append([]string{"-selector", `job="threat-figures"`, "-group-labels", "cluster,namespace,job"}, files...)...)
	if out := run(t, "promtool", append([]string{"check", "rules", "--lint=all", "--lint-fatal"}, files...)...); strings.Count(out, "SUCCESS") != 2 {
		t.Errorf("promtool check rules:\n%s", out)
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(data), `job="figures"`) {
			t.Errorf("%s still selects job=\"figures\"", f)
		}
	}
	dashboards, _ := filepath.Glob(filepath.Join(dir, "dashboards", "*.json"))
	if len(dashboards) != 2 {
		t.Errorf("rendered dashboards: %v, want 2", dashboards)
	}
	for _, d := range dashboards {
		data, err := os.ReadFile(d)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(data), `cluster=~\"$cluster\"`) || !strings.Contains(string(data), `"name": "cluster"`) {
			t.Errorf("%s has no cluster variable or matcher", d)
		}
	}
}

// TestAlertContract checks what promtool does not: exactly the agreed
// alerts, their severities, labels and annotations, their `for` and
// keep_firing_for, and runbook sections.
func TestAlertContract(t *testing.T) {
	alerts, _ := loadRules(t, repoFiles(t, "rules/*.yml"))
	runbook, err := os.ReadFile(filepath.Join(testtools.RepoRoot(t), "docs", "runbook.md"))
	if err != nil {
		t.Fatal(err)
	}
	alertsDoc, err := os.ReadFile(filepath.Join(testtools.RepoRoot(t), "docs", "alerts.md"))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, a := range alerts {
		got = append(got, a.Alert)
	}
	var want []string
	for name := range wantAlerts {
		want = append(want, name)
	}
	sort.Strings(got)
	sort.Strings(want)
	if !slices.Equal(got, want) {
		t.Fatalf("alerts defined: %v\nwant exactly: %v", got, want)
	}
	for _, a := range alerts {
		t.Run(a.Alert, func(t *testing.T) {
			event := slices.Contains(eventAlerts, a.Alert)
			checks := []struct {
				what string
				ok   bool
			}{
				{"severity " + wantAlerts[a.Alert], a.Labels["severity"] == wantAlerts[a.Alert]},
				{"only the severity label", len(a.Labels) == 1},
				{"a static summary", a.Annotations["summary"] != "" && !strings.Contains(a.Annotations["summary"], "{{")},
				{"a templated description", strings.Contains(a.Annotations["description"], "{{")},
				{"runbook_url " + runbookBase + strings.ToLower(a.Alert), a.Annotations["runbook_url"] == runbookBase+strings.ToLower(a.Alert)},
				{"exactly summary, description and runbook_url", len(a.Annotations) == 3},
				{"a section in docs/runbook.md", regexp.MustCompile(`(?m)^## ` + a.Alert + `$`).Match(runbook)},
				{"a row in docs/alerts.md", strings.Contains(string(alertsDoc), "| "+a.Alert+" |")},
				{"no per-instance alerts", !strings.Contains(a.Expr, "instance")},
				// The digest's identity is its revision: a second revision
				// and a revert are alerts of their own.
				{"the digest keeps the revision", a.Alert != "FiguresDatasetRevised" || strings.Contains(a.Expr, "by (job, revision)")},
				{"an event: no for, keep_firing_for 15m", !event || (a.For == "" && a.KeepFiringFor == "15m")},
				{"a condition: a for of at least 5m, no keep_firing_for", event || (a.KeepFiringFor == "" && atLeast(a.For, 5*time.Minute))},
			}
			for _, c := range checks {
				if !c.ok {
					t.Errorf("%s: want %s; rule: %+v", a.Alert, c.what, a)
				}
			}
		})
	}
}

func atLeast(d string, min time.Duration) bool {
	v, err := time.ParseDuration(d)
	return err == nil && v >= min
}

// TestCoverage checks that the promtool tests cover the pack: every alert
// fires in some case and stays silent in another, each on the short
// windows and on the defaults, and every recording rule of the defaults is
// evaluated by a promql_expr_test.
func TestCoverage(t *testing.T) {
	alerts, records := loadRules(t, repoFiles(t, "rules/*.yml"))
	fires := map[string]map[string]int{}  // rule file set -> alert -> cases
	silent := map[string]map[string]int{} // likewise
	var exprs []string
	for _, f := range repoFiles(t, "rules/tests/*.test.yml") {
		var tf testFile
		readYAML(t, f, &tf)
		if len(tf.RuleFiles) == 0 {
			t.Errorf("%s: no rule_files", f)
			continue
		}
		set := filepath.Dir(tf.RuleFiles[0])
		if fires[set] == nil {
			fires[set], silent[set] = map[string]int{}, map[string]int{}
		}
		for _, tg := range tf.Tests {
			for _, at := range tg.AlertTests {
				if len(at.ExpAlerts) > 0 {
					fires[set][at.Alertname]++
				} else {
					silent[set][at.Alertname]++
				}
			}
			for _, pt := range tg.PromQLTests {
				exprs = append(exprs, pt.Expr)
			}
		}
	}
	for _, set := range []string{"..", "short"} {
		for _, a := range alerts {
			if fires[set][a.Alert] == 0 {
				t.Errorf("rule files %s: no promtool test case where %s fires", set, a.Alert)
			}
			if silent[set][a.Alert] == 0 {
				t.Errorf("rule files %s: no promtool test case where %s must not fire", set, a.Alert)
			}
		}
	}
	for _, r := range records {
		short := strings.ReplaceAll(r.Record, "15m", "6m")
		used := slices.ContainsFunc(exprs, func(e string) bool {
			return regexp.MustCompile(regexp.QuoteMeta(r.Record)+`($|[^a-z0-9_:])`).MatchString(e) ||
				regexp.MustCompile(regexp.QuoteMeta(short)+`($|[^a-z0-9_:])`).MatchString(e)
		})
		if !used {
			t.Errorf("recording rule %s: no promql_expr_test evaluates it", r.Record)
		}
		if !regexp.MustCompile(`^[a-z_]+:[a-z0-9_]+:[a-z0-9_]+$`).MatchString(r.Record) {
			t.Errorf("recording rule %s does not follow level:metric:operations", r.Record)
		}
	}
	t.Logf("firing cases %v, silent cases %v", fires, silent)
}
