// Package dashboards holds the Grafana dashboards of figures_exporter (the
// JSON files in this directory) and reads their PromQL queries back, so that
// tests can parse every query and run it against a real Prometheus.
package dashboards

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
)

// Query is one PromQL query of a dashboard: a panel target or an annotation.
type Query struct {
	// Dashboard is the dashboard's title.
	Dashboard string
	// Panel is the panel's title (panels nested in rows included), or
	// "annotation: NAME" for an annotation query.
	Panel string
	// RefID is the target's refId ("A", "B", …); for an annotation, its refId
	// or "Anno" when it has none.
	RefID string
	// Expr is the query with every Grafana variable substituted (see
	// Substitutions), ready to send to Prometheus.
	Expr string
	// Instant tells whether Grafana runs the query as an instant query (true)
	// or as a range query over the dashboard's time range (false).
	Instant bool
}

// BuiltinValues are the values Queries substitutes for Grafana's built-in
// variables. They stand for a dashboard over the last hour with a one-minute
// resolution; 1m is four scrape intervals of the default 15s, as
// $__rate_interval is in Grafana.
var BuiltinValues = map[string]string{
	"__rate_interval": "1m",
	"__interval":      "1m",
	"__interval_ms":   "60000",
	"__auto":          "1m",
	"__range":         "1h",
	"__range_s":       "3600",
	"__range_ms":      "3600000",
}

// The forms of a variable reference Grafana knows: $var, ${var},
// ${var:format} and [[var]]. Names start with a letter or an underscore, so
// that "$1" in a label_replace replacement is left alone (as Grafana leaves
// it: it is not a variable).
var variableRef = regexp.MustCompile(`\$([A-Za-z_]\w*)|\$\{([A-Za-z_]\w*)(?::(\w+))?\}|\[\[([A-Za-z_]\w*)(?::(\w+))?\]\]`)

// Queries reads every dashboard (*.json) in dir and returns all their panel
// target and annotation queries, in file order, then panel order.
//
// Variables are substituted as Grafana would with "All" selected:
//   - built-in variables by BuiltinValues ($__rate_interval and $__interval
//     by 1m, $__range by 1h, …);
//   - a dashboard variable with includeAll and an allValue by its allValue
//     (".+" for $job and $instance, so `job=~"$job"` matches every job);
//   - any other dashboard variable by its current value (constant, custom or
//     textbox variables), when it has one.
//
// The formats ${var:regex} and ${var:raw} (and none) are accepted; any other
// format, a reference to an unknown variable, or to the datasource variable,
// is an error, so that a query never reaches Prometheus half-substituted.
func Queries(dir string) ([]Query, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil {
		return nil, err
	}
	sort.Strings(files)
	var out []Query
	for _, file := range files {
		qs, err := fileQueries(file)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", filepath.Base(file), err)
		}
		out = append(out, qs...)
	}
	return out, nil
}

// Dashboard is the part of a Grafana dashboard model that Queries and the
// tests read.
type Dashboard struct {
	UID           string  `json:"uid"`
	Title         string  `json:"title"`
	SchemaVersion int     `json:"schemaVersion"`
	Editable      bool    `json:"editable"`
	Panels        []Panel `json:"panels"`
	Templating    struct {
		List []Variable `json:"list"`
	} `json:"templating"`
	Annotations struct {
		List []Annotation `json:"list"`
	} `json:"annotations"`
}

// Panel is a dashboard panel; rows carry their collapsed panels in Panels.
type Panel struct {
	ID          int             `json:"id"`
	Type        string          `json:"type"`
	Title       string          `json:"title"`
	Description string          `json:"description"`
	Datasource  *DatasourceRef  `json:"datasource"`
	Targets     []Target        `json:"targets"`
	Panels      []Panel         `json:"panels"`
	FieldConfig json.RawMessage `json:"fieldConfig"`
	Options     json.RawMessage `json:"options"`
}

// Target is one query of a panel.
type Target struct {
	RefID      string         `json:"refId"`
	Expr       string         `json:"expr"`
	Instant    bool           `json:"instant"`
	Range      bool           `json:"range"`
	Format     string         `json:"format"`
	Datasource *DatasourceRef `json:"datasource"`
}

// Annotation is an entry of the dashboard's annotation list.
type Annotation struct {
	Name       string         `json:"name"`
	BuiltIn    int            `json:"builtIn"`
	RefID      string         `json:"refId"`
	Expr       string         `json:"expr"`
	Datasource *DatasourceRef `json:"datasource"`
}

// DatasourceRef points a panel, target or variable at a data source.
type DatasourceRef struct {
	Type string `json:"type"`
	UID  string `json:"uid"`
}

// Variable is a templating variable.
type Variable struct {
	Name       string          `json:"name"`
	Label      string          `json:"label"`
	Type       string          `json:"type"`
	Query      json.RawMessage `json:"query"`
	Datasource *DatasourceRef  `json:"datasource"`
	IncludeAll bool            `json:"includeAll"`
	Multi      bool            `json:"multi"`
	AllValue   string          `json:"allValue"`
	Refresh    int             `json:"refresh"`
	Current    struct {
		Value json.RawMessage `json:"value"`
	} `json:"current"`
}

// AllPanels returns every panel of the dashboard, those inside rows included,
// in order.
func (d *Dashboard) AllPanels() []Panel {
	var out []Panel
	var walk func([]Panel)
	walk = func(ps []Panel) {
		for _, p := range ps {
			out = append(out, p)
			walk(p.Panels)
		}
	}
	walk(d.Panels)
	return out
}

// ReadDashboard decodes one dashboard file.
func ReadDashboard(file string) (*Dashboard, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	var d Dashboard
	if err := json.Unmarshal(data, &d); err != nil {
		return nil, err
	}
	return &d, nil
}

func fileQueries(file string) ([]Query, error) {
	d, err := ReadDashboard(file)
	if err != nil {
		return nil, err
	}
	values := map[string]string{}
	datasources := map[string]bool{}
	for _, v := range d.Templating.List {
		switch {
		case v.Type == "datasource":
			datasources[v.Name] = true
		case v.IncludeAll && v.AllValue != "":
			values[v.Name] = v.AllValue
		default:
			var s string
			if json.Unmarshal(v.Current.Value, &s) == nil && s != "" && s != "$__all" {
				values[v.Name] = s
			}
		}
	}
	subst := func(expr string) (string, error) {
		var firstErr error
		res := variableRef.ReplaceAllStringFunc(expr, func(ref string) string {
			m := variableRef.FindStringSubmatch(ref)
			name, format := m[1]+m[2]+m[4], m[3]+m[5]
			if format != "" && format != "regex" && format != "raw" {
				if firstErr == nil {
					firstErr = fmt.Errorf("variable %s: format %q is not supported", ref, format)
				}
				return ref
			}
			if v, ok := BuiltinValues[name]; ok {
				return v
			}
			if v, ok := values[name]; ok {
				return v
			}
			if firstErr == nil {
				if datasources[name] {
					firstErr = fmt.Errorf("datasource variable %s used in a query", ref)
				} else {
					firstErr = fmt.Errorf("unknown variable %s", ref)
				}
			}
			return ref
		})
		return res, firstErr
	}

	var out []Query
	for _, a := range d.Annotations.List {
		if a.Expr == "" {
			continue
		}
		expr, err := subst(a.Expr)
		if err != nil {
			return nil, fmt.Errorf("annotation %q: %w", a.Name, err)
		}
		ref := a.RefID
		if ref == "" {
			ref = "Anno"
		}
		out = append(out, Query{Dashboard: d.Title, Panel: "annotation: " + a.Name, RefID: ref, Expr: strings.TrimSpace(expr)})
	}
	for _, p := range d.AllPanels() {
		for _, t := range p.Targets {
			if t.Expr == "" {
				continue
			}
			expr, err := subst(t.Expr)
			if err != nil {
				return nil, fmt.Errorf("panel %q, target %s: %w", p.Title, t.RefID, err)
			}
			out = append(out, Query{Dashboard: d.Title, Panel: p.Title, RefID: t.RefID, Expr: strings.TrimSpace(expr), Instant: t.Instant && !t.Range})
		}
	}
	return out, nil
}
