// Command rulecheck validates Prometheus rule files with Prometheus's own
// rulefmt package, strictly: unknown fields, bad PromQL, bad templates, bad
// durations and misnamed labels are all errors. It prints one line per file
// (its groups and rules) and exits 1 if any file is invalid.
//
// With -selector and -group-labels it also checks, on each expression's
// syntax tree, what the monitoring mixin promises: every selector of a
// scraped series (one whose name has no colon) carries the selector's
// matchers, every `by (...)` aggregation keeps the group labels, and every
// `on (...)` matches on them.
//
// The rules tests run it on every generated rule file. It lives in this tools
// module so that the exporter's own go.mod does not depend on the Prometheus
// server module.
//
//	rulecheck [-selector 'job="figures"' -group-labels job] FILE...
package main

import (
	"flag"
	"fmt"
	"log/slog"
	"os"
	"slices"
	"strings"

	"github.com/prometheus/common/model"
	"github.com/prometheus/prometheus/model/labels"
	"github.com/prometheus/prometheus/model/rulefmt"
	"github.com/prometheus/prometheus/promql/parser"
)

func main() {
	selector := flag.String("selector", "", "label matchers every selector of a scraped series must carry, e.g. job=\"figures\"")
	groupLabels := flag.String("group-labels", "", "comma-separated labels every by (...) and on (...) must keep")
	flag.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: rulecheck [-selector MATCHERS -group-labels L1,L2] FILE...")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() == 0 {
		flag.Usage()
		os.Exit(2)
	}
	p := parser.NewParser(parser.Options{})
	var want []*labels.Matcher
	if *selector != "" {
		var err error
		if want, err = p.ParseMetricSelector("{" + *selector + "}"); err != nil {
			fmt.Fprintf(os.Stderr, "-selector: %v\n", err)
			os.Exit(2)
		}
	}
	var groups []string
	if *groupLabels != "" {
		groups = strings.Split(*groupLabels, ",")
	}
	logger := slog.New(slog.NewTextHandler(os.Stderr, nil))
	failed := false
	for _, file := range flag.Args() {
		rgs, errs := rulefmt.ParseFile(file, false, model.UTF8Validation, p, logger)
		if len(errs) > 0 {
			failed = true
			for _, err := range errs {
				fmt.Fprintln(os.Stderr, err)
			}
			continue
		}
		alerts, records := 0, 0
		for _, g := range rgs.Groups {
			for _, r := range g.Rules {
				name := r.Record
				if r.Alert != "" {
					alerts++
					name = r.Alert
				} else {
					records++
				}
				if want == nil && groups == nil {
					continue
				}
				expr, err := p.ParseExpr(r.Expr)
				if err != nil {
					failed = true
					fmt.Fprintf(os.Stderr, "%s: %s: %v\n", file, name, err)
					continue
				}
				for _, problem := range structure(expr, want, groups) {
					failed = true
					fmt.Fprintf(os.Stderr, "%s: %s: %s\n", file, name, problem)
				}
			}
		}
		fmt.Printf("%s: %d groups, %d alerting rules, %d recording rules\n", file, len(rgs.Groups), alerts, records)
	}
	if failed {
		os.Exit(1)
	}
}

// structure lists what in expr breaks the mixin's promises (see the package
// comment).
func structure(expr parser.Expr, want []*labels.Matcher, groups []string) []string {
	var problems []string
	missing := func(have []string) []string {
		var out []string
		for _, g := range groups {
			if !slices.Contains(have, g) {
				out = append(out, g)
			}
		}
		return out
	}
	parser.Inspect(expr, func(node parser.Node, _ []parser.Node) error {
		switch n := node.(type) {
		case *parser.VectorSelector:
			if strings.Contains(n.Name, ":") {
				return nil // a recorded series: it carries the group labels only
			}
			for _, w := range want {
				if !slices.ContainsFunc(n.LabelMatchers, func(m *labels.Matcher) bool { return m.String() == w.String() }) {
					problems = append(problems, fmt.Sprintf("selector %s lacks %s", n, w))
				}
			}
		case *parser.AggregateExpr:
			if !n.Without {
				if m := missing(n.Grouping); len(m) > 0 {
					problems = append(problems, fmt.Sprintf("%s by (%s) drops %v", n.Op, strings.Join(n.Grouping, ", "), m))
				}
			}
		case *parser.BinaryExpr:
			if vm := n.VectorMatching; vm != nil && vm.On {
				if m := missing(vm.MatchingLabels); len(m) > 0 {
					problems = append(problems, fmt.Sprintf("%s on (%s) ignores %v", n.Op, strings.Join(vm.MatchingLabels, ", "), m))
				}
			}
		}
		return nil
	})
	return problems
}
