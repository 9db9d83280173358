// Package e2e is the end-to-end test of the monitoring pack with the real
// servers: two figures_exporter replicas on a temporary copy of figures.yaml,
// a real Prometheus running the configuration and the rules the
// docker-compose stack uses (deploy/prometheus/prometheus.yml and rules/),
// and a real Alertmanager configured from deploy/alertmanager/alertmanager.yml,
// routing to a webhook receiver inside the test. The test revises a figure's
// value, adds a figure, removes one and finally breaks the YAML, and checks
// the alerts that reach the webhook; then it kills one replica.
//
// It takes about a minute once the pinned Prometheus and Alertmanager
// are built (testtools.Tool; minutes on a cold build cache). `go test
// -short` skips it.
package e2e

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/figures-exporter/figures_exporter/dashboards"
	"github.com/figures-exporter/figures_exporter/internal/testtools"
)

const (
	runbookBase = "https://github.com/figures-exporter/figures_exporter/blob/main/docs/runbook.md#"

	// The source given a URL in the test's copy of figures.yaml, and the
	// figures of that source the test revises, adds and removes.
	urlSource   = "nis-pangyo-conference-2023-07-20"
	sourceURL   = "https://www.example.com/e2e/nis-cyber-threat-2023-07-20"
	sourceTitle = "North Korea, China pose rising cyber threat to South Korea: ROK Spy Agency"

	smallChangeID = "kr-attacks-daily-2023-h1"                     // 1.37e6 -> 1.5e6: +9.5 %, a change
	bigChangeID   = "kr-security-products-targeted-orgs-2022-2023" // 250 -> 500: +100 %, a change and a jump
	addedID       = "e2e-kr-hacker-accomplice-arrests-2023-h1"
	removedID     = "kr-credit-card-theft-victims-2023" // value 1000

	// Bounds of the waits.
	startTimeout = 60 * time.Second
	alertTimeout = 60 * time.Second
)

const addedFigure = `
  - id: ` + addedID + `
    family: figures_cybercrime_arrests
    labels: {country: KR, origin_country: KP, reporter: nis}
    value: 7
    qualifier: none
    period: {start: 2023-01-01, end: 2023-06-30}
    source: ` + urlSource + `
    quote: "a figure added by the end-to-end test"
    curated: 2026-11-22
`

// wantAlert is an alert a step must deliver to the webhook.
type wantAlert struct {
	alertname string
	figureID  string // empty for alerts without figure_id
	severity  string
	labels    map[string]string // more labels it must carry
	desc      []string          // in the description, white space squashed
}

// step is one change of the figures file.
type step struct {
	name       string
	edit       func(t *testing.T, figures string) string
	reloadCode int // what POST /-/reload answers on each replica
	alerts     []wantAlert
}

// sourceDesc is the end of every per-figure description: the source and the
// URL, joined from figures_figure_info.
var sourceDesc = fmt.Sprintf("Source: %q %s.", sourceTitle, sourceURL)

func TestEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end test with real Prometheus and Alertmanager servers")
	}
	root := testtools.RepoRoot(t)
	exporterBin := testtools.Exporter(t)
	prometheusBin := testtools.Tool(t, "prometheus")
	alertmanagerBin := testtools.Tool(t, "alertmanager")
	tmp := t.TempDir()
	began := time.Now()

	// The figures: a copy of the curated dataset, with a URL for one source.
	original, err := os.ReadFile(filepath.Join(root, "figures.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	figuresDir := filepath.Join(tmp, "figures")
	if err := os.Mkdir(figuresDir, 0o755); err != nil {
		t.Fatal(err)
	}
	figuresFile := filepath.Join(figuresDir, "figures.yaml")
	current := replaceOnce(t, string(original), "    published: 2023-07-20\n", "    published: 2023-07-20\n    url: "+sourceURL+"\n")
	writeAtomically(t, figuresFile, []byte(current))
	figureCount := strings.Count(current, "\n  - id: ") - strings.Count(current[:strings.Index(current, "\nfigures:")], "\n  - id: ")

	// The servers, each its own process on a free loopback port.
	hook := newWebhook(t)
	exporters := []string{testtools.FreeAddr(t), testtools.FreeAddr(t)}
	amAddr, promAddr := testtools.FreeAddr(t), testtools.FreeAddr(t)
	var exporterProcs []*proc
	for i, addr := range exporters {
		p := testtools.Start(t, fmt.Sprintf("figures_exporter-%d", i+1), exporterBin,
			"--figures.file="+figuresFile,
			"--web.listen-address="+addr,
			"--web.enable-lifecycle",
			"--log.level=debug",
		)
		waitReady(t, p, "http://"+addr+"/-/ready", startTimeout)
		exporterProcs = append(exporterProcs, p)
	}

	amConfig := filepath.Join(tmp, "alertmanager.yml")
	writeFile(t, amConfig, alertmanagerOverlay(t, root, hook.srv.URL))
	am := testtools.Start(t, "alertmanager", alertmanagerBin,
		"--config.file="+amConfig,
		"--storage.path="+filepath.Join(tmp, "alertmanager-data"),
		"--web.listen-address="+amAddr,
		"--cluster.listen-address=",
	)
	waitReady(t, am, "http://"+amAddr+"/-/ready", startTimeout)

	promConfig := filepath.Join(tmp, "prometheus.yml")
	writeFile(t, promConfig, prometheusOverlay(t, root, map[string][]string{
		"figures-exporter:10523": exporters,
		"alertmanager:9093":      {amAddr},
		"localhost:9090":         {promAddr},
	}))
	prom := testtools.Start(t, "prometheus", prometheusBin,
		"--config.file="+promConfig,
		"--storage.tsdb.path="+filepath.Join(tmp, "prometheus-data"),
		"--web.listen-address="+promAddr,
	)
	promURL := "http://" + promAddr
	waitReady(t, prom, promURL+"/-/ready", startTimeout)
	promStarted := time.Now()

	// Both replicas scraped, every figure recorded once (not twice).
	d := waitFor(t, "Prometheus to scrape both exporters", startTimeout, func() (bool, string) {
		res, err := query(promURL, `count(up{job="figures"} == 1)`, time.Time{})
		if err != nil || len(res) != 1 {
			return false, fmt.Sprint(res, err)
		}
		return res[0].value() == "2", res[0].value()
	})
	t.Logf("both exporters scraped %v after Prometheus was ready", d.Round(time.Millisecond))
	waitFor(t, "one recorded value per figure", startTimeout, func() (bool, string) {
		res, err := query(promURL, `count(figure_id:figures_value:max)`, time.Time{})
		if err != nil || len(res) != 1 {
			return false, fmt.Sprint(res, err)
		}
		return res[0].value() == fmt.Sprint(figureCount), res[0].value()
	})

	// The curated sources date from 2023: FiguresDatasetStale fires at
	// startup. Its arrival also proves the path Prometheus -> Alertmanager
	// -> webhook before the figures change, and gives the rules some
	// history. (Should the dataset ever hold a source less than a year old,
	// the test waits for the rules to have evaluated instead.)
	stale := wantAlert{alertname: "FiguresDatasetStale", severity: "warning", labels: map[string]string{"job": "figures"}, desc: []string{"days ago (threshold: 365 days)"}}
	var expected, allowed []wantAlert
	switch age := time.Since(newestPublished(t, current)); {
	case age > 366*24*time.Hour:
		a, arrived := waitAlert(t, hook, stale)
		t.Logf("TIMING startup: %s arrived %v after Prometheus was ready", stale.alertname, arrived.Sub(promStarted).Round(time.Millisecond))
		checkAlert(t, stale, a)
		expected = append(expected, stale)
	default:
		if age > 364*24*time.Hour {
			allowed = append(allowed, stale) // at the threshold: either way
		}
		t.Logf("the newest source is %v old: FiguresDatasetStale is not expected", age.Round(time.Hour))
		waitFor(t, "ten evaluations of the recording rules", startTimeout, func() (bool, string) {
			res, err := query(promURL, fmt.Sprintf(`count_over_time(figure_id:figures_value:max{figure_id=%q}[1m]) >= 10`, smallChangeID), time.Time{})
			return err == nil && len(res) == 1, fmt.Sprint(res, err)
		})
	}
	baselineRevision := revisions(t, exporters)

	steps := []step{
		{
			name: "revise two values",
			edit: func(t *testing.T, s string) string {
				s = replaceOnce(t, s, "    value: 1.37e6\n", "    value: 1.5e6\n")
				return replaceOnce(t, s, "    value: 250\n", "    value: 500\n")
			},
			reloadCode: 200,
			alerts: []wantAlert{
				{alertname: "FiguresValueChanged", figureID: smallChangeID, severity: "info",
					desc: []string{smallChangeID + " (figures_cyberattacks_daily_average, count)", "1.37e+06 → 1.5e+06 (+9.489%)", sourceDesc}},
				{alertname: "FiguresValueChanged", figureID: bigChangeID, severity: "info",
					desc: []string{bigChangeID + " (figures_targeted_organizations, count)", "250 → 500 (+100%)", sourceDesc}},
				{alertname: "FiguresValueJumped", figureID: bigChangeID, severity: "warning",
					desc: []string{bigChangeID + " (figures_targeted_organizations, count)", "250 → 500 (+100%)", "50 % threshold", sourceDesc}},
			},
		},
		{
			name:       "add a figure",
			edit:       func(t *testing.T, s string) string { return strings.TrimRight(s, "\n") + "\n" + addedFigure },
			reloadCode: 200,
			alerts: []wantAlert{
				{alertname: "FiguresFigureAdded", figureID: addedID, severity: "info",
					desc: []string{addedID + " (figures_cybercrime_arrests, count)", "added", "value 7", sourceDesc}},
			},
		},
		{
			name:       "remove a figure",
			edit:       func(t *testing.T, s string) string { return removeFigure(t, s, removedID) },
			reloadCode: 200,
			alerts: []wantAlert{
				{alertname: "FiguresFigureRemoved", figureID: removedID, severity: "warning",
					desc: []string{removedID + " (figures_personal_data_theft_victims, count)", "removed", "last value was 1000", sourceDesc}},
			},
		},
		{
			name: "break the YAML",
			edit: func(t *testing.T, s string) string {
				return s + "  - id: broken-by-the-e2e-test\n    labels: {country: KR\n"
			},
			reloadCode: 500,
			alerts: []wantAlert{
				{alertname: "FiguresReloadFailing", severity: "warning", labels: map[string]string{"job": "figures"},
					desc: []string{"2 figures_exporter instance(s) of job figures", sortedJoin(exporters)}},
			},
		},
	}

	var timings []string
	for _, st := range steps {
		current = st.edit(t, current)
		writeAtomically(t, figuresFile, []byte(current))
		// The exporters also watch the file; the explicit reload makes the
		// moment of the revision exact and checks each replica's answer.
		for _, addr := range exporters {
			code, body := post(t, "http://"+addr+"/-/reload")
			if code != st.reloadCode {
				t.Fatalf("%s: POST /-/reload on %s answered %d, want %d:\n%s", st.name, addr, code, st.reloadCode, body)
			}
		}
		revised := time.Now()
		for _, want := range st.alerts {
			a, arrived := waitAlert(t, hook, want)
			line := fmt.Sprintf("%-16s %-22s %-45s arrived %v after the revision", st.name, want.alertname, want.figureID, arrived.Sub(revised).Round(time.Millisecond))
			t.Log("TIMING " + line)
			timings = append(timings, line)
			checkAlert(t, want, a)
		}
	}

	// The broken file left the last good figures served, by both replicas
	// and in Prometheus.
	for _, addr := range exporters {
		_, body := get(t, "http://"+addr+"/metrics")
		checkExposition(t, addr, body, figureCount)
	}
	if got := revisions(t, exporters); got == baselineRevision {
		t.Errorf("the exporters still serve the baseline revision %s after three good revisions", got)
	}
	waitFor(t, "Prometheus to see the failed reload and the last good figures", startTimeout, func() (bool, string) {
		failing, err := query(promURL, `count(figures_exporter_config_last_reload_successful{job="figures"} == 0)`, time.Time{})
		if err != nil || len(failing) != 1 || failing[0].value() != "2" {
			return false, fmt.Sprint("failing: ", failing, err)
		}
		served, err := query(promURL, fmt.Sprintf(`count by (instance) (figures_figure_info{job="figures"}) == %d`, figureCount), time.Time{})
		if err != nil || len(served) != 2 {
			return false, fmt.Sprint("served: ", served, err)
		}
		return true, ""
	})

	// Every dashboard query returns at least one series.
	queries, err := dashboards.Queries(filepath.Join(root, "dashboards"))
	if err != nil {
		t.Fatal(err)
	}
	if len(queries) == 0 {
		t.Fatal("dashboards.Queries found no query")
	}
	for _, q := range queries {
		from := promStarted
		if q.Instant {
			from = time.Time{}
		}
		res, err := query(promURL, q.Expr, from)
		switch {
		case err != nil:
			t.Errorf("dashboard %q, panel %q, query %s: %v", q.Dashboard, q.Panel, q.RefID, err)
		case len(res) == 0:
			t.Errorf("dashboard %q, panel %q, query %s returns no series:\n%s", q.Dashboard, q.Panel, q.RefID, q.Expr)
		}
	}
	t.Logf("%d dashboard queries each returned at least one series", len(queries))

	// Beyond the sequence: one replica dies. FiguresExporterDown
	// names it; the other alerts stay as they are (the surviving replica
	// still serves the last good figures).
	down := wantAlert{alertname: "FiguresExporterDown", severity: "critical", labels: map[string]string{"job": "figures"},
		desc: []string{"1 of 2 figures_exporter targets of job figures are down: " + exporters[1]}}
	if err := exporterProcs[1].Cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	<-exporterProcs[1].Done()
	killed := time.Now()
	a, arrived := waitAlert(t, hook, down)
	line := fmt.Sprintf("%-16s %-22s %-45s arrived %v after the kill", "kill a replica", down.alertname, "", arrived.Sub(killed).Round(time.Millisecond))
	t.Log("TIMING " + line)
	timings = append(timings, line)
	checkAlert(t, down, a)
	expected = append(expected, down)

	// Nothing fired twice, nothing unexpected fired, and no alert carries an
	// instance (two replicas, one alert). Alertmanager sends a group's
	// changes one group_interval (1s) apart: a few of them after the last
	// alert, any late second notification would be in.
	if settle := 3*time.Second - time.Since(lastArrival(hook)); settle > 0 {
		time.Sleep(settle)
	}
	for _, st := range steps {
		expected = append(expected, st.alerts...)
	}
	checkNoDuplicates(t, hook, expected, allowed)

	for _, l := range timings {
		t.Log("TIMING " + l)
	}
	t.Logf("end-to-end run took %v (after the builds)", time.Since(began).Round(time.Second))
}

// waitAlert waits until the webhook has received want as firing.
func waitAlert(t *testing.T, hook *webhook, want wantAlert) (webhookAlert, time.Time) {
	t.Helper()
	var a webhookAlert
	var arrived time.Time
	waitFor(t, fmt.Sprintf("%s{figure_id=%q} at the webhook", want.alertname, want.figureID), alertTimeout, func() (bool, string) {
		var ok bool
		a, arrived, ok = hook.firing(want.alertname, want.figureID)
		return ok, hook.summary()
	})
	return a, arrived
}

// newestPublished returns the newest `published:` date of the sources.
func newestPublished(t *testing.T, figures string) time.Time {
	t.Helper()
	var newest time.Time
	for _, m := range regexp.MustCompile(`(?m)^    published: (\d{4}-\d{2}-\d{2})\s*$`).FindAllStringSubmatch(figures, -1) {
		d, err := time.Parse(time.DateOnly, m[1])
		if err != nil {
			t.Fatal(err)
		}
		if d.After(newest) {
			newest = d
		}
	}
	if newest.IsZero() {
		t.Fatal("no source of the figures file has a published date")
	}
	return newest
}

// lastArrival is when the last notification arrived.
func lastArrival(hook *webhook) time.Time {
	var last time.Time
	for _, n := range hook.notifications() {
		if n.arrived.After(last) {
			last = n.arrived
		}
	}
	return last
}

// checkAlert checks an alert's labels and annotations.
func checkAlert(t *testing.T, want wantAlert, a webhookAlert) {
	t.Helper()
	wantLabels := map[string]string{"alertname": want.alertname, "severity": want.severity}
	if want.figureID != "" {
		wantLabels["figure_id"] = want.figureID
	}
	for k, v := range want.labels {
		wantLabels[k] = v
	}
	for k, v := range wantLabels {
		if a.Labels[k] != v {
			t.Errorf("%s: label %s = %q, want %q (labels %s)", want.alertname, k, a.Labels[k], v, a.key())
		}
	}
	for k := range a.Labels {
		if _, ok := wantLabels[k]; !ok {
			t.Errorf("%s: unexpected label %s=%q (labels %s); instance in particular must be aggregated away", want.alertname, k, a.Labels[k], a.key())
		}
	}
	if a.Annotations["summary"] == "" || strings.Contains(a.Annotations["summary"], "{{") {
		t.Errorf("%s: summary %q", want.alertname, a.Annotations["summary"])
	}
	if got, w := a.Annotations["runbook_url"], runbookBase+strings.ToLower(want.alertname); got != w {
		t.Errorf("%s: runbook_url = %q, want %q", want.alertname, got, w)
	}
	desc := squash(a.Annotations["description"])
	for _, s := range want.desc {
		if !strings.Contains(desc, squash(s)) {
			t.Errorf("%s{figure_id=%q}: description lacks %q:\n%s", want.alertname, want.figureID, s, desc)
		}
	}
	if strings.Contains(desc, "unknown value") || strings.Contains(desc, "<no value>") || strings.Contains(desc, "%!") {
		t.Errorf("%s: the description's template did not find its data:\n%s", want.alertname, desc)
	}
}

// checkNoDuplicates checks every notification the webhook received: each
// alert (label set) fired in one notification only, and exactly the
// expected alerts fired (and maybe the allowed ones), once each.
func checkNoDuplicates(t *testing.T, hook *webhook, expected, allowed []wantAlert) {
	t.Helper()
	firings := map[string]int{}            // label set -> firing notifications
	byName := map[string]map[string]bool{} // alertname/figure_id -> label sets
	for _, n := range hook.notifications() {
		if n.Version != "4" {
			t.Errorf("webhook payload version %q, want 4", n.Version)
		}
		for _, a := range n.Alerts {
			if a.Status != "firing" {
				continue
			}
			k := a.key()
			firings[k]++
			id := a.Labels["alertname"] + "/" + a.Labels["figure_id"]
			if byName[id] == nil {
				byName[id] = map[string]bool{}
			}
			byName[id][k] = true
		}
	}
	for k, n := range firings {
		if n > 1 {
			t.Errorf("alert %s fired in %d notifications, want 1", k, n)
		}
	}
	want := map[string]bool{}
	for _, w := range expected {
		want[w.alertname+"/"+w.figureID] = true
	}
	allow := map[string]bool{}
	for _, w := range allowed {
		allow[w.alertname+"/"+w.figureID] = true
	}
	for id, sets := range byName {
		if !want[id] && !allow[id] {
			t.Errorf("unexpected alert %s fired: %v", id, keysOf(sets))
		}
		if len(sets) > 1 {
			t.Errorf("alert %s fired as %d alerts (one per replica?): %v", id, len(sets), keysOf(sets))
		}
	}
	for id := range want {
		if byName[id] == nil {
			t.Errorf("alert %s never fired", id)
		}
	}
	t.Logf("webhook: %d notifications; %s", len(hook.notifications()), hook.summary())
}

// checkExposition checks that an exporter serves the last good dataset (the
// three revisions applied, the broken file not) and reports the failed
// reload.
func checkExposition(t *testing.T, addr, body string, figureCount int) {
	t.Helper()
	find := func(metric, figureID string) (string, bool) {
		for _, line := range strings.Split(body, "\n") {
			if strings.HasPrefix(line, metric+"{") && strings.Contains(line, `figure_id="`+figureID+`"`) {
				f := strings.Fields(line)
				return f[len(f)-1], true
			}
		}
		return "", false
	}
	tests := []struct {
		metric, figureID string
		want             string // "" for absent
	}{
		{"figures_cyberattacks_daily_average", smallChangeID, "1.5e+06"},
		{"figures_targeted_organizations", bigChangeID, "500"},
		{"figures_cybercrime_arrests", addedID, "7"},
		{"figures_personal_data_theft_victims", removedID, ""},
		{"figures_figure_info", "broken-by-the-e2e-test", ""},
	}
	for _, tt := range tests {
		got, ok := find(tt.metric, tt.figureID)
		switch {
		case tt.want == "" && ok:
			t.Errorf("%s serves %s{figure_id=%q} = %s; it should be gone", addr, tt.metric, tt.figureID, got)
		case tt.want != "" && got != tt.want:
			t.Errorf("%s serves %s{figure_id=%q} = %q (found %v), want %s", addr, tt.metric, tt.figureID, got, ok, tt.want)
		}
	}
	if n := strings.Count(body, "\nfigures_figure_info{"); n != figureCount {
		t.Errorf("%s serves %d figures, want the %d of the last good revision", addr, n, figureCount)
	}
	if !regexp.MustCompile(`(?m)^figures_exporter_config_last_reload_successful 0$`).MatchString(body) {
		t.Errorf("%s does not report the failed reload (figures_exporter_config_last_reload_successful 0)", addr)
	}
}

// revisions returns the dataset revision both exporters serve, failing the
// test if they differ.
func revisions(t *testing.T, exporters []string) string {
	t.Helper()
	re := regexp.MustCompile(`(?m)^figures_exporter_dataset_info\{revision="([^"]+)"\} 1$`)
	var revs []string
	for _, addr := range exporters {
		_, body := get(t, "http://"+addr+"/metrics")
		m := re.FindStringSubmatch(body)
		if m == nil {
			t.Fatalf("%s serves no figures_exporter_dataset_info", addr)
		}
		revs = append(revs, m[1])
	}
	if revs[0] != revs[1] {
		t.Fatalf("the replicas serve different revisions: %v", revs)
	}
	return revs[0]
}

// removeFigure cuts the figure with that id (its entry up to the blank line
// that ends it) out of the figures file.
func removeFigure(t *testing.T, s, id string) string {
	t.Helper()
	i := strings.Index(s, "\n  - id: "+id+"\n")
	if i < 0 {
		t.Fatalf("no figure %s in the figures file", id)
	}
	j := strings.Index(s[i+1:], "\n\n")
	if j < 0 {
		t.Fatalf("figure %s is not followed by a blank line", id)
	}
	return s[:i+1] + s[i+1+j+2:]
}

// prometheusOverlay is deploy/prometheus/prometheus.yml rewritten for the
// test: the intervals 1s, each static target replaced by the test's
// addresses (targets maps a target of the compose stack to them), and the
// rule files the repository's. The rule_files of prometheus.yml are relative
// to /etc/prometheus in the container, where docker-compose.yml mounts the
// repository's rules/ (deploy/compose_test.go checks that wiring).
func prometheusOverlay(t *testing.T, root string, targets map[string][]string) []byte {
	t.Helper()
	var cfg map[string]any
	testtools.ReadYAML(t, filepath.Join(root, "deploy", "prometheus", "prometheus.yml"), &cfg)

	global := mapAt(t, cfg, "global")
	global["scrape_interval"] = "1s"
	global["scrape_timeout"] = "1s"
	global["evaluation_interval"] = "1s"

	rules := listAt(t, cfg, "rule_files")
	if len(rules) == 0 {
		t.Fatal("deploy/prometheus/prometheus.yml has no rule_files")
	}
	for i, r := range rules {
		s, _ := r.(string)
		if filepath.IsAbs(s) || !strings.HasPrefix(s, "rules/") {
			t.Fatalf("rule_files entry %q: want a path relative to the configuration, under rules/", s)
		}
		rules[i] = filepath.Join(root, filepath.FromSlash(s))
	}

	rewrite := func(where string, sc map[string]any) {
		for _, st := range listAt(t, sc, "static_configs") {
			m, ok := st.(map[string]any)
			if !ok {
				t.Fatalf("%s: static_configs entry is not a map", where)
			}
			var out []any
			for _, tg := range listAt(t, m, "targets") {
				addrs, ok := targets[fmt.Sprint(tg)]
				if !ok {
					t.Fatalf("%s: target %v of deploy/prometheus/prometheus.yml has no counterpart in the test", where, tg)
				}
				for _, a := range addrs {
					out = append(out, a)
				}
			}
			m["targets"] = out
		}
	}
	for _, sc := range listAt(t, cfg, "scrape_configs") {
		m := sc.(map[string]any)
		delete(m, "scrape_interval")
		delete(m, "scrape_timeout")
		rewrite(fmt.Sprintf("job %v", m["job_name"]), m)
	}
	alerting := mapAt(t, cfg, "alerting")
	for _, am := range listAt(t, alerting, "alertmanagers") {
		rewrite("alertmanagers", am.(map[string]any))
	}
	out, err := yaml.Marshal(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("generated prometheus.yml:\n%s", out)
	return out
}

// alertmanagerOverlay is deploy/alertmanager/alertmanager.yml with the
// timings of every route shortened (group_wait and group_interval 1s;
// repeat_interval 1h, longer than the test, so that a repeated notification
// is a real double firing) and a webhook to the test added to every
// receiver.
func alertmanagerOverlay(t *testing.T, root, webhookURL string) []byte {
	t.Helper()
	var cfg map[string]any
	testtools.ReadYAML(t, filepath.Join(root, "deploy", "alertmanager", "alertmanager.yml"), &cfg)
	var shorten func(route map[string]any, top bool)
	shorten = func(route map[string]any, top bool) {
		for k, v := range map[string]string{"group_wait": "1s", "group_interval": "1s", "repeat_interval": "1h"} {
			if _, ok := route[k]; ok || top {
				route[k] = v
			}
		}
		for _, r := range listAt(t, route, "routes") {
			shorten(r.(map[string]any), false)
		}
	}
	shorten(mapAt(t, cfg, "route"), true)
	receivers := listAt(t, cfg, "receivers")
	if len(receivers) == 0 {
		t.Fatal("deploy/alertmanager/alertmanager.yml has no receivers")
	}
	for _, r := range receivers {
		m := r.(map[string]any)
		m["webhook_configs"] = []any{map[string]any{"url": webhookURL, "send_resolved": true}}
	}
	out, err := yaml.Marshal(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("generated alertmanager.yml:\n%s", out)
	return out
}

func writeFile(t *testing.T, file string, data []byte) {
	t.Helper()
	if err := os.WriteFile(file, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// mapAt returns m[key] as a map, creating it when absent.
func mapAt(t *testing.T, m map[string]any, key string) map[string]any {
	t.Helper()
	switch v := m[key].(type) {
	case map[string]any:
		return v
	case nil:
		n := map[string]any{}
		m[key] = n
		return n
	default:
		t.Fatalf("%s is a %T, want a map", key, v)
		return nil
	}
}

// listAt returns m[key] as a list (nil when absent).
func listAt(t *testing.T, m map[string]any, key string) []any {
	t.Helper()
	switch v := m[key].(type) {
	case []any:
		return v
	case nil:
		return nil
	default:
		t.Fatalf("%s is a %T, want a list", key, v)
		return nil
	}
}

func keysOf(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

func sortedJoin(s []string) string {
	c := slices.Clone(s)
	slices.Sort(c)
	return strings.Join(c, " ")
}
