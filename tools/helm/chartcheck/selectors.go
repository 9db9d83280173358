package main

import (
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/prometheus/prometheus/model/labels"
	"github.com/prometheus/prometheus/promql/parser"
	"sigs.k8s.io/yaml"
)

// ruleSpec is the part of a PrometheusRule spec (or a Prometheus rule
// file: the same shape) that selectors reads.
type ruleSpec struct {
	Groups []struct {
		Name  string `json:"name"`
		Rules []struct {
			Record string `json:"record"`
			Alert  string `json:"alert"`
			Expr   string `json:"expr"`
		} `json:"rules"`
	} `json:"groups"`
}

// selectors parses every rule expression of a rule file with Prometheus'
// PromQL parser and checks that each series selector in it (plain or in a
// range) matches job and namespace exactly, so that the rules of one
// release never read another release's exporters. A selector of a series
// that a rule of the same file records may go without them (the mixin's
// recorded series keep its group labels, cluster, namespace and job) unless
// -strict is given; any other series must be selected. It prints one line
// per rule and exits 1 when a selector misses either matcher.
func selectors(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("chartcheck selectors", flag.ContinueOnError)
	fs.SetOutput(stderr)
	job := fs.String("job", "", "the job every selector must match")
	namespace := fs.String("namespace", "", "the namespace every selector must match")
	strict := fs.Bool("strict", false, "also require the matchers on selectors of recorded series")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() != 1 || *job == "" || *namespace == "" {
		fmt.Fprintln(stderr, "usage: chartcheck selectors -job JOB -namespace NS RULE_FILE")
		return 2
	}
	data, err := os.ReadFile(fs.Arg(0))
	if err != nil {
		fmt.Fprintln(stderr, "chartcheck:", err)
		return 1
	}
	var spec ruleSpec
	if err := yaml.Unmarshal(data, &spec); err != nil {
		fmt.Fprintln(stderr, "chartcheck:", err)
		return 1
	}
	want := map[string]string{"job": *job, "namespace": *namespace}
	p := parser.NewParser(parser.Options{})
	recorded := map[string]bool{}
	for _, g := range spec.Groups {
		for _, r := range g.Rules {
			if r.Record != "" {
				recorded[r.Record] = true
			}
		}
	}
	bad, rules, unselected := 0, 0, 0
	for _, g := range spec.Groups {
		for _, r := range g.Rules {
			rules++
			name := r.Record + r.Alert
			expr, err := p.ParseExpr(r.Expr)
			if err != nil {
				fmt.Fprintf(stderr, "%s/%s: %v\n", g.Name, name, err)
				bad++
				continue
			}
			n := 0
			parser.Inspect(expr, func(node parser.Node, _ []parser.Node) error {
				vs, ok := node.(*parser.VectorSelector)
				if !ok {
					return nil
				}
				n++
				if !*strict && recorded[vs.Name] && !hasEqual(vs.LabelMatchers, "job", *job) {
					unselected++
					return nil
				}
				for l, v := range want {
					if !hasEqual(vs.LabelMatchers, l, v) {
						fmt.Fprintf(stderr, "%s/%s: selector %s does not match %s=%q\n", g.Name, name, vs, l, v)
						bad++
					}
				}
				return nil
			})
			fmt.Fprintf(stdout, "%s/%s: %d selectors\n", g.Name, name, n)
		}
	}
	fmt.Fprintf(stdout, "%d rules; %d selectors of recorded series without the job and namespace matchers\n", rules, unselected)
	if rules == 0 {
		fmt.Fprintln(stderr, "chartcheck: no rules")
		return 1
	}
	if bad > 0 {
		return 1
	}
	return 0
}

func hasEqual(ms []*labels.Matcher, name, value string) bool {
	for _, m := range ms {
		if m.Name == name && m.Type == labels.MatchEqual && m.Value == value {
			return true
		}
	}
	return false
}
