package dashboards

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// A dashboard with every kind of variable reference Queries substitutes.
const testDashboard = `{
  "uid": "t", "title": "Test",
  "templating": {"list": [
    {"name": "datasource", "type": "datasource", "query": "prometheus"},
    {"name": "job", "type": "query", "includeAll": true, "multi": true, "allValue": ".+", "current": {"value": ["$__all"]}},
    {"name": "instance", "type": "query", "includeAll": true, "allValue": ".+", "current": {"value": "$__all"}},
    {"name": "quantile", "type": "custom", "current": {"text": "0.9", "value": "0.9"}}
  ]},
  "annotations": {"list": [
    {"builtIn": 1, "name": "Annotations & Alerts", "datasource": {"type": "grafana", "uid": "-- Grafana --"}},
    {"name": "Changes", "expr": "changes(x{job=~\"$job\"}[$__interval]) > 0"}
  ]},
  "panels": [
    {"id": 1, "type": "stat", "title": "Plain", "targets": [
      {"refId": "A", "expr": "rate(a_total{job=~\"$job\", instance=~\"${instance}\"}[$__rate_interval])"},
      {"refId": "B", "expr": "max_over_time(b{job=~\"${job:regex}\"}[$__range]) / $__range_s", "instant": true},
      {"refId": "C", "expr": ""}
    ]},
    {"id": 2, "type": "row", "title": "Row", "collapsed": true, "panels": [
      {"id": 3, "type": "table", "title": "Nested", "targets": [
        {"refId": "A", "expr": "label_replace(c{instance=~\"[[instance]]\"}, \"x\", \"$1\", \"y\", \"(.*)\") * $quantile", "instant": true, "range": false}
      ]}
    ]}
  ]
}`

func TestQueriesSubstitutes(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "test.json"), []byte(testDashboard), 0o644); err != nil {
		t.Fatal(err)
	}
	got, err := Queries(dir)
	if err != nil {
		t.Fatal(err)
	}
	want := []Query{
		{Dashboard: "Test", Panel: "annotation: Changes", RefID: "Anno", Expr: `changes(x{job=~".+"}[1m]) > 0`},
		{Dashboard: "Test", Panel: "Plain", RefID: "A", Expr: `rate(a_total{job=~".+", instance=~".+"}[1m])`},
		{Dashboard: "Test", Panel: "Plain", RefID: "B", Expr: `max_over_time(b{job=~".+"}[1h]) / 3600`, Instant: true},
		{Dashboard: "Test", Panel: "Nested", RefID: "A", Expr: `label_replace(c{instance=~".+"}, "x", "$1", "y", "(.*)") * 0.9`, Instant: true},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Queries:\n got %+v\nwant %+v", got, want)
	}
}

func TestQueriesRejects(t *testing.T) {
	for _, tc := range []struct {
		name, expr, wantErr string
	}{
		{"unknown variable", `up{job=~"$jbo"}`, "unknown variable $jbo"},
		{"datasource variable", `up{x="${datasource}"}`, "datasource variable ${datasource}"},
		{"unsupported format", `up{job=~"${job:csv}"}`, `format "csv" is not supported`},
		{"unknown built-in", `rate(x[$__rate_intervall])`, "unknown variable $__rate_intervall"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			d := strings.Replace(testDashboard, `max_over_time(b{job=~\"${job:regex}\"}[$__range]) / $__range_s`, strings.ReplaceAll(tc.expr, `"`, `\"`), 1)
			if d == testDashboard {
				t.Fatal("test dashboard not modified")
			}
			if err := os.WriteFile(filepath.Join(dir, "test.json"), []byte(d), 0o644); err != nil {
				t.Fatal(err)
			}
			_, err := Queries(dir)
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("error %v, want one containing %q", err, tc.wantErr)
			}
			if err != nil && !strings.Contains(err.Error(), `test.json: panel "Plain", target B`) {
				t.Errorf("error %v does not say where", err)
			}
		})
	}
}

func TestQueriesOfTheDashboards(t *testing.T) {
	qs, err := Queries(".")
	if err != nil {
		t.Fatal(err)
	}
	perDashboard := map[string]int{}
	for _, q := range qs {
		perDashboard[q.Dashboard]++
		if v := variableRef.FindString(q.Expr); v != "" {
			t.Errorf("%s / %s: unsubstituted variable %s in %s", q.Dashboard, q.Panel, v, q.Expr)
		}
	}
	for _, title := range []string{"Cyber threat figures", "Exporter health"} {
		if perDashboard[title] < 5 {
			t.Errorf("dashboard %q: %d queries, want the panels' and annotations' queries", title, perDashboard[title])
		}
	}
}
