package rules_test

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"gopkg.in/yaml.v3"

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
}

const runbookBase = "https://github.com/figures-exporter/figures_exporter/blob/main/docs/runbook.md#"

// promtoolTimeout bounds one promtool run (they take about a second).
const promtoolTimeout = 3 * time.Minute

type ruleFile struct {
	Groups []struct {
		Name  string `yaml:"name"`
		Rules []rule `yaml:"rules"`
	} `yaml:"groups"`
}

type rule struct {
	Record      string            `yaml:"record"`
	Alert       string            `yaml:"alert"`
	Expr        string            `yaml:"expr"`
	For         string            `yaml:"for"`
	Labels      map[string]string `yaml:"labels"`
	Annotations map[string]string `yaml:"annotations"`
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

func ruleFiles(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(testtools.RepoRoot(t), "rules", "*.yml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no rule files in rules/ (%v)", err)
	}
	return files
}

func testFiles(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(testtools.RepoRoot(t), "rules", "tests", "*.yml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no promtool test files in rules/tests/ (%v)", err)
	}
	return files
}

func readYAML(t *testing.T, path string, v any) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal(data, v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}

func loadRules(t *testing.T) (alerts, records []rule) {
	t.Helper()
	for _, f := range ruleFiles(t) {
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

// TestPromtool runs the real, pinned promtool on the pack: the rule files
// must check clean with every lint enabled, and every unit test must pass.
func TestPromtool(t *testing.T) {
	promtool := testtools.Tool(t, "promtool")
	tests := []struct {
		name string
		args []string
		// Every file must report SUCCESS, and nothing may warn.
		files []string
	}{
		{
			name:  "check rules",
			args:  []string{"check", "rules", "--lint=all", "--lint-fatal"},
			files: ruleFiles(t),
		},
		{
			name:  "test rules",
			args:  []string{"test", "rules"},
			files: testFiles(t),
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), promtoolTimeout)
			defer cancel()
			cmd := exec.CommandContext(ctx, promtool, append(tc.args, tc.files...)...)
			cmd.Dir = testtools.RepoRoot(t)
			out, err := cmd.CombinedOutput()
			var ee *exec.ExitError
			switch {
			case errors.As(err, &ee):
				t.Fatalf("promtool %s exited with %d:\n%s", strings.Join(tc.args, " "), ee.ExitCode(), out)
			case err != nil:
				t.Fatalf("promtool %s: %v\n%s", strings.Join(tc.args, " "), err, out)
			}
			for _, bad := range []string{"WARNING", "FAILED", "lint"} {
				if strings.Contains(string(out), bad) {
					t.Errorf("promtool %s printed %q:\n%s", strings.Join(tc.args, " "), bad, out)
				}
			}
			if n := strings.Count(string(out), "SUCCESS"); n != len(tc.files) {
				t.Errorf("promtool %s: %d SUCCESS for %d files:\n%s", strings.Join(tc.args, " "), n, len(tc.files), out)
			}
			t.Logf("promtool %s:\n%s", strings.Join(tc.args, " "), out)
		})
	}
}

// TestAlertContract checks what promtool does not: exactly the agreed
// alerts, their severities and annotations, and runbook sections.
func TestAlertContract(t *testing.T) {
	alerts, _ := loadRules(t)
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
			}
			for _, c := range checks {
				if !c.ok {
					t.Errorf("%s: want %s; rule: %+v", a.Alert, c.what, a)
				}
			}
		})
	}
}

// TestCoverage checks that the promtool tests cover the pack: every alert
// fires in some case and stays silent in another, and every recording rule
// is evaluated by a promql_expr_test.
func TestCoverage(t *testing.T) {
	alerts, records := loadRules(t)
	fires := map[string]int{}
	silent := map[string]int{}
	var exprs []string
	for _, f := range testFiles(t) {
		var tf testFile
		readYAML(t, f, &tf)
		if len(tf.RuleFiles) == 0 {
			t.Errorf("%s: no rule_files", f)
		}
		for _, tg := range tf.Tests {
			for _, at := range tg.AlertTests {
				if len(at.ExpAlerts) > 0 {
					fires[at.Alertname]++
				} else {
					silent[at.Alertname]++
				}
			}
			for _, pt := range tg.PromQLTests {
				exprs = append(exprs, pt.Expr)
			}
		}
	}
	for _, a := range alerts {
		if fires[a.Alert] == 0 {
			t.Errorf("no promtool test case where %s fires", a.Alert)
		}
		if silent[a.Alert] == 0 {
			t.Errorf("no promtool test case where %s must not fire", a.Alert)
		}
	}
	for _, r := range records {
		used := slices.ContainsFunc(exprs, func(e string) bool {
			return regexp.MustCompile(regexp.QuoteMeta(r.Record) + `($|[^a-z0-9_:])`).MatchString(e)
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
