package e2e

// TestNotifications runs the scenarios of issue 17's table on real servers
// as an operator runs them: two figures_exporter replicas under job
// intel-figures, namespace cti, in cluster seoul (an external label of the
// Prometheus that runs the rules, as in a per-cluster Prometheus); the
// mixin rendered with the Helm chart's group labels; a real Alertmanager on
// deploy/alertmanager/receivers.example.yml (the routes of
// deploy/alertmanager/alertmanager.yml, the templates of
// deploy/alertmanager/templates/) whose real Slack integration posts to a
// local HTTP sink, its real email integration to a local SMTP sink and its
// webhook to the test. It counts and reads what arrives: one notification
// per revision, listing every change, none for restarts and outages, no
// "resolved". It runs at 15 s scrapes (every scenario) and at 60 s scrapes
// (the scenarios whose timing depends on scrapes), side by side.

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/figures-exporter/figures_exporter/internal/testtools"
)

const (
	notifyJob       = "intel-figures"
	notifyNamespace = "cti"
	notifyCluster   = "seoul"
	exporterURL     = "https://figures.cti.example"
	dashboardURL    = "https://grafana.cti.example/d/figures-threat"
	shareID         = "kr-attacks-origin-kp-share-2023-h1" // 0.7
)

// The figures of the report the curator adds and removes: five, of one
// source, one a year.
var reportFigures = func() string {
	var b strings.Builder
	for i, v := range []struct {
		value, qualifier string
	}{{"7", "none"}, {"3", "none"}, {"12", "more_than"}, {"1", "none"}, {"25", "about"}} {
		year := 2019 + i
		fmt.Fprintf(&b, `
  - id: e2e-kr-hacking-arrests-%d
    family: figures_cybercrime_arrests
    labels: {country: KR, origin_country: KP, reporter: nis}
    value: %s
    qualifier: %s
    period: {start: %d-01-01, end: %d-12-31}
    source: %s
    quote: "a figure the end-to-end test adds for %d"
    curated: 2026-11-22
`, year, v.value, v.qualifier, year, year, urlSource, year)
	}
	return b.String()
}()

func TestNotifications(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end test with real Prometheus and Alertmanager servers")
	}
	// Beside TestEndToEnd: the three runs wait on scrapes, not on CPU.
	t.Parallel()
	all := []string{"revert", "rolling update", "two revisions", "period corrected", "report added", "report removed", "restart and outage", "a state resolves"}
	for _, tc := range []struct {
		name      string
		scrape    time.Duration
		window    string // changeWindow: at least three scrape intervals
		scenarios []string
	}{
		// The longer run first: go test runs GOMAXPROCS parallel tests at
		// once (two on two cores), so it starts beside TestEndToEnd and the
		// 15 s run follows when that is done.
		{"60s scrapes", 60 * time.Second, "3m", []string{"revert", "rolling update", "two revisions"}},
		{"15s scrapes", 15 * time.Second, "1m", all},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			st := startNotifyStack(t, tc.scrape, tc.window)
			for _, name := range tc.scenarios {
				began := time.Now()
				notifyScenarios[name](t, st)
				t.Logf("TIMING %s: scenario %q took %v", tc.name, name, time.Since(began).Round(time.Second))
			}
			st.checkTotals(t)
		})
	}
}

// notifyStack is one deployment (two replicas, each on its own file so
// that a rollout can reach one before the other), its Prometheus, the
// Alertmanager and the sinks.
type notifyStack struct {
	scrape   time.Duration
	replicas []*deployment
	promURL  string
	slack    *slackSink
	smtp     *smtpSink
	hook     *webhook
	want     []wantDigest // every digest that must have arrived, in order
	states   int          // the notifications of states (firing or resolved) that must have arrived
	root     string
}

// wantDigest is a notification of FiguresDatasetRevised: its revision and
// the lines its text must hold.
type wantDigest struct {
	revision string
	lines    []string
}

func startNotifyStack(t *testing.T, scrape time.Duration, window string) *notifyStack {
	t.Helper()
	root := testtools.RepoRoot(t)
	tmp := t.TempDir()
	st := &notifyStack{scrape: scrape, root: root}

	pack := renderPack(t, root, tmp, fmt.Sprintf(`{
  figuresExporterSelector: 'job=%q, namespace=%q',
  groupLabels: ['cluster', 'namespace', 'job'],
  changeWindow: %q,
  reloadFailingFor: '10s',
  exporterExternalURL: %q,
  dashboardURL: %q,
}`, notifyJob, notifyNamespace, window, exporterURL, dashboardURL))
	withURL, _ := figuresWithURL(t, root)
	baseline := curatedOn(withURL, time.Now().UTC())
	bin := testtools.Exporter(t)
	for i := range 2 {
		d := &deployment{cluster: notifyCluster, addrs: []string{testtools.FreeAddr(t)}, procs: make([]*proc, 1), bin: bin, dir: filepath.Join(tmp, fmt.Sprintf("replica-%d", i))}
		d.file = filepath.Join(d.dir, "figures.yaml")
		if err := os.Mkdir(d.dir, 0o755); err != nil {
			t.Fatal(err)
		}
		d.write(t, baseline)
		d.start(t, 0)
		st.replicas = append(st.replicas, d)
	}

	st.slack, st.smtp, st.hook = newSlackSink(t), newSMTPSink(t), newWebhook(t)
	amAddr := testtools.FreeAddr(t)
	amConfig := filepath.Join(tmp, "alertmanager.yml")
	writeFile(t, amConfig, receiversOverlay(t, root, st.slack.srv.URL, st.smtp.addr, st.hook.srv.URL))
	am := testtools.Start(t, "alertmanager", testtools.Tool(t, "alertmanager"),
		"--config.file="+amConfig,
		"--storage.path="+filepath.Join(tmp, "alertmanager-data"),
		"--web.listen-address="+amAddr,
		"--cluster.listen-address=",
	)
	waitReady(t, am, "http://"+amAddr+"/-/ready", startTimeout)

	promAddr := testtools.FreeAddr(t)
	prom := map[string]any{
		"global": map[string]any{
			"scrape_interval":     scrape.String(),
			"scrape_timeout":      "5s",
			"evaluation_interval": "5s",
			"external_labels":     map[string]any{"cluster": notifyCluster},
		},
		"rule_files": []string{filepath.Join(pack, "rules", "figures.rules.yml"), filepath.Join(pack, "rules", "figures.alerts.yml")},
		"alerting":   map[string]any{"alertmanagers": []any{map[string]any{"static_configs": []any{map[string]any{"targets": []string{amAddr}}}}}},
		"scrape_configs": []any{map[string]any{
			"job_name":       notifyJob,
			"static_configs": []any{map[string]any{"targets": []string{st.replicas[0].addrs[0], st.replicas[1].addrs[0]}, "labels": map[string]string{"namespace": notifyNamespace}}},
		}},
	}
	data, err := yaml.Marshal(prom)
	if err != nil {
		t.Fatal(err)
	}
	promConfig := filepath.Join(tmp, "prometheus.yml")
	writeFile(t, promConfig, data)
	p := testtools.Start(t, "prometheus", testtools.Tool(t, "prometheus"),
		"--config.file="+promConfig,
		"--storage.tsdb.path="+filepath.Join(tmp, "prometheus-data"),
		"--web.listen-address="+promAddr,
	)
	waitReady(t, p, "http://"+promAddr+"/-/ready", startTimeout)
	st.promURL = "http://" + promAddr

	// The first deployment: both replicas scraped, the rules evaluated on
	// some scrapes of the same revision, and nothing told. (At 60 s
	// scrapes the test does not wait for a second scrape: the 15 s run
	// and the promtool tests cover the first deployment.)
	rev := st.revision(t, 0)
	st.waitScraped(t, rev, 2)
	if scrape <= 15*time.Second {
		time.Sleep(scrape + 10*time.Second)
	}
	st.quiet(t, "the first deployment")
	return st
}

// receiversOverlay is deploy/alertmanager/receivers.example.yml pointed at
// the test's sinks, with its templates found in the repository and its
// timings shortened (group_wait and group_interval 1s; repeat_interval 1h,
// longer than the test, so that a repeated notification is a real second
// one).
func receiversOverlay(t *testing.T, root, slackURL, smtpAddr, hookURL string) []byte {
	t.Helper()
	var cfg map[string]any
	testtools.ReadYAML(t, filepath.Join(root, "deploy", "alertmanager", "receivers.example.yml"), &cfg)
	global := mapAt(t, cfg, "global")
	global["slack_api_url"] = slackURL
	global["smtp_smarthost"] = smtpAddr
	global["smtp_require_tls"] = false
	tmpls := listAt(t, cfg, "templates")
	for i, g := range tmpls {
		tmpls[i] = filepath.Join(root, "deploy", "alertmanager", filepath.FromSlash(fmt.Sprint(g)))
	}
	route := mapAt(t, cfg, "route")
	for _, r := range append([]any{route}, listAt(t, route, "routes")...) {
		m := r.(map[string]any)
		m["group_wait"], m["group_interval"], m["repeat_interval"] = "1s", "1s", "1h"
	}
	hooks := 0
	for _, r := range listAt(t, cfg, "receivers") {
		for _, w := range listAt(t, r.(map[string]any), "webhook_configs") {
			w.(map[string]any)["url"] = hookURL
			hooks++
		}
	}
	if hooks == 0 {
		t.Fatal("receivers.example.yml has no webhook_configs")
	}
	out, err := yaml.Marshal(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// serve gives replica i a new figures file and reloads it; it returns the
// revision the replica serves then.
func (st *notifyStack) serve(t *testing.T, i int, change func(string) string) string {
	t.Helper()
	d := st.replicas[i]
	d.write(t, change(d.figures))
	if code, body := post(t, "http://"+d.addrs[0]+"/-/reload"); code != 200 {
		t.Fatalf("POST /-/reload on replica %d answered %d:\n%s", i, code, body)
	}
	return st.revision(t, i)
}

// serveBoth gives both replicas the same change and waits until Prometheus
// has scraped the new revision from both.
func (st *notifyStack) serveBoth(t *testing.T, change func(string) string) string {
	t.Helper()
	rev := st.serve(t, 0, change)
	if r := st.serve(t, 1, change); r != rev {
		t.Fatalf("the replicas serve %s and %s from the same file", rev, r)
	}
	st.waitScraped(t, rev, 2)
	return rev
}

var revisionRE = regexp.MustCompile(`(?m)^figures_exporter_dataset_info\{revision="([^"]+)"\} 1$`)

func (st *notifyStack) revision(t *testing.T, i int) string {
	t.Helper()
	_, body := get(t, "http://"+st.replicas[i].addrs[0]+"/metrics")
	m := revisionRE.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("replica %d serves no figures_exporter_dataset_info", i)
	}
	return m[1]
}

// waitScraped waits until Prometheus's last scrape of n replicas carried
// the revision.
func (st *notifyStack) waitScraped(t *testing.T, rev string, n int) {
	t.Helper()
	expr := fmt.Sprintf(`count(figures_exporter_dataset_info{job=%q, revision=%q})`, notifyJob, rev)
	waitFor(t, fmt.Sprintf("revision %s scraped from %d replicas", rev, n), 2*st.scrape+startTimeout, func() (bool, string) {
		res, err := query(st.promURL, expr, time.Time{})
		return err == nil && len(res) == 1 && res[0].value() == fmt.Sprint(n), fmt.Sprint(res, err)
	})
}

// waitFiring waits until Prometheus fires FiguresDatasetRevised for rev.
func (st *notifyStack) waitFiring(t *testing.T, rev string) {
	t.Helper()
	expr := fmt.Sprintf(`ALERTS{alertname="FiguresDatasetRevised", alertstate="firing", revision=%q}`, rev)
	waitFor(t, "FiguresDatasetRevised firing for "+rev, 2*st.scrape+startTimeout, func() (bool, string) {
		res, err := query(st.promURL, expr, time.Time{})
		return err == nil && len(res) > 0, fmt.Sprint(res, err)
	})
}

// digests are the Slack messages of FiguresDatasetRevised.
func (st *notifyStack) digests() []slackMessage {
	var out []slackMessage
	for _, m := range st.slack.messages() {
		if strings.HasPrefix(m.title(), "Curated figures revised in ") {
			out = append(out, m)
		}
	}
	return out
}

// expect waits for the next digests to arrive on Slack and by email, one
// per want, and checks what they say.
func (st *notifyStack) expect(t *testing.T, scenario string, want ...wantDigest) []slackMessage {
	t.Helper()
	st.want = append(st.want, want...)
	n := len(st.want)
	waitFor(t, fmt.Sprintf("%s: %d digests on Slack and by email", scenario, n), 2*st.scrape+alertTimeout, func() (bool, string) {
		return len(st.digests()) >= n && len(st.smtp.emails()) >= n, fmt.Sprintf("%d Slack messages, %d emails", len(st.digests()), len(st.smtp.emails()))
	})
	got := st.digests()[n-len(want):]
	emails := st.smtp.emails()[n-len(want):]
	deployment := fmt.Sprintf("cluster %s, namespace %s, job %s", notifyCluster, notifyNamespace, notifyJob)
	for _, w := range want {
		i := slices.IndexFunc(got, func(m slackMessage) bool { return strings.Contains(m.text(), "Revision "+w.revision+" ") })
		if i < 0 {
			t.Errorf("%s: no Slack message for revision %s among:\n%s", scenario, w.revision, slackDump(got))
			continue
		}
		m := got[i]
		if want := "Curated figures revised in " + deployment + ": "; !strings.HasPrefix(m.title(), want) {
			t.Errorf("%s: Slack title %q, want it to start with %q", scenario, m.title(), want)
		}
		text := m.text()
		for _, l := range append([]string{"Revision " + w.revision + " of the curated figures in " + deployment + ", first served at "}, w.lines...) {
			if !strings.Contains(text, l) {
				t.Errorf("%s: the Slack message of %s lacks %q:\n%s", scenario, w.revision, l, text)
			}
		}
		j := slices.IndexFunc(emails, func(e email) bool { return strings.Contains(e.Text, "Revision "+w.revision+" ") })
		if j < 0 {
			t.Errorf("%s: no email for revision %s", scenario, w.revision)
			continue
		}
		e := emails[j]
		if e.Subject != m.title() {
			t.Errorf("%s: email subject %q, Slack title %q: want the same", scenario, e.Subject, m.title())
		}
		for _, l := range w.lines {
			l = strings.NewReplacer("&lt;", "<", "&gt;", ">", "&amp;", "&").Replace(l)
			if !strings.Contains(e.Text, l) {
				t.Errorf("%s: the email text of %s lacks %q:\n%s", scenario, w.revision, l, e.Text)
			}
		}
		// A list of the changes, with links to the pages of the figures
		// that still exist.
		if !strings.Contains(e.HTML, "<li ") || (strings.Contains(e.Text, exporterURL+"/figures/") && !strings.Contains(e.HTML, `<a href="`+exporterURL+"/figures/")) {
			t.Errorf("%s: the HTML email of %s has no list of changes with links to the figures' pages:\n%s", scenario, w.revision, e.HTML)
		}
		for _, bad := range []string{"<no value>", "%!", "{{", "unknown value", "&amp;lt;", "error expanding"} {
			if strings.Contains(text, bad) || strings.Contains(e.Text, bad) || strings.Contains(e.HTML, bad) {
				t.Errorf("%s: the notification of %s shows %q:\n%s", scenario, w.revision, bad, text)
			}
		}
		t.Logf("%s: Slack message of revision %s:\n%s\n%s", scenario, w.revision, m.title(), text)
	}
	return got
}

// quiet checks that nothing arrived beyond the digests expected so far.
func (st *notifyStack) quiet(t *testing.T, what string) {
	t.Helper()
	if got := len(st.slack.messages()); got != len(st.want)+st.states {
		t.Errorf("after %s: %d Slack messages, want %d:\n%s", what, got, len(st.want)+st.states, slackDump(st.slack.messages()))
	}
	if got := len(st.smtp.emails()); got != len(st.want)+st.states {
		t.Errorf("after %s: %d emails, want %d", what, got, len(st.want)+st.states)
	}
}

// checkTotals waits a few evaluations more and checks everything received:
// one Slack message, one email and one webhook alert per digest, none
// resolved, and no message that is not a digest.
func (st *notifyStack) checkTotals(t *testing.T) {
	t.Helper()
	time.Sleep(10 * time.Second)
	st.quiet(t, "the last scenario")
	firing := map[string]int{}
	for _, n := range st.hook.notifications() {
		for _, a := range n.Alerts {
			if a.Status != "firing" {
				t.Errorf("the webhook received %s %s: events are sent without resolution", a.Status, a.key())
			}
			if a.Labels["alertname"] != "FiguresDatasetRevised" {
				t.Errorf("the webhook received %s: only the digest goes there", a.key())
			}
			firing[a.key()]++
		}
	}
	for k, n := range firing {
		if n != 1 {
			t.Errorf("the webhook received %s %d times", k, n)
		}
	}
	if len(firing) != len(st.want) {
		t.Errorf("the webhook received %d digests, want %d", len(firing), len(st.want))
	}
	for _, m := range st.digests() {
		if strings.Contains(m.title(), "RESOLVED") || strings.Contains(m.text(), "Resolved") {
			t.Errorf("a digest was sent as resolved to Slack: %s", m.title())
		}
	}
	if errs := st.smtp.errors(); len(errs) > 0 {
		t.Errorf("the SMTP sink could not read messages: %v", errs)
	}
}

var notifyScenarios = map[string]func(*testing.T, *notifyStack){
	// A value changed and reverted moments later: told both.
	"revert": func(t *testing.T, st *notifyStack) {
		r1 := st.serveBoth(t, func(s string) string { return replaceOnce(t, s, "    value: 250\n", "    value: 251\n") })
		st.waitFiring(t, r1)
		r0 := st.serveBoth(t, func(s string) string { return replaceOnce(t, s, "    value: 251\n", "    value: 250\n") })
		st.expect(t, "revert",
			wantDigest{r1, []string{"1 value changed", bigChangeID + " changed:", "250 → about 251 (+0.4 %)"}},
			wantDigest{r0, []string{"1 value changed", bigChangeID + " changed:", "about 251 → about 250 (-0.4 %)"}})
	},
	// One replica a scrape before the other: told once, when both serve it.
	"rolling update": func(t *testing.T, st *notifyStack) {
		change := func(s string) string { return replaceOnce(t, s, "    value: 0.7\n", "    value: 0.75\n") }
		rev := st.serve(t, 0, change)
		st.waitScraped(t, rev, 1)
		// Two evaluations (5 s) and Alertmanager's group_wait (1 s) later,
		// still nothing: the rollout is not over.
		time.Sleep(12 * time.Second)
		st.quiet(t, "the first replica switched")
		switched := time.Now()
		if r := st.serve(t, 1, change); r != rev {
			t.Fatalf("the replicas serve %s and %s", rev, r)
		}
		got := st.expect(t, "rolling update", wantDigest{rev, []string{"1 value changed", shareID + " changed:", "70 % → 75 % (+5 points)"}})
		if len(got) == 1 && got[0].arrived.Before(switched) {
			t.Errorf("the digest arrived before the last replica switched")
		}
	},
	// Two revisions inside one window: told both.
	"two revisions": func(t *testing.T, st *notifyStack) {
		r1 := st.serveBoth(t, func(s string) string { return replaceOnce(t, s, "    value: 1.37e6\n", "    value: 1.45e6\n") })
		st.waitFiring(t, r1)
		r2 := st.serveBoth(t, func(s string) string { return replaceOnce(t, s, "    value: 1.45e6\n", "    value: 1.5e6\n") })
		st.expect(t, "two revisions",
			wantDigest{r1, []string{smallChangeID + " changed:", "1.37 million → 1.45 million (+5.8 %)"}},
			wantDigest{r2, []string{smallChangeID + " changed:", "1.45 million → 1.5 million (+3.4 %)"}})
	},
	// A period corrected, the value the same: told as a revision.
	"period corrected": func(t *testing.T, st *notifyStack) {
		rev := st.serveBoth(t, func(s string) string {
			return replaceOnce(t, s, "  - id: "+smallChangeID+"\n"+figureHead(t, s, smallChangeID)+"    period: {start: 2023-01-01, end: 2023-06-30}\n",
				"  - id: "+smallChangeID+"\n"+figureHead(t, s, smallChangeID)+"    period: {start: 2023-01-01, end: 2023-06-29}\n")
		})
		st.expect(t, "period corrected", wantDigest{rev, []string{"1 figure revised", smallChangeID + " revised:", "period 2023-01-01 to 2023-06-30 → 2023-01-01 to 2023-06-29"}})
	},
	// A report of five figures added: one message listing them.
	"report added": func(t *testing.T, st *notifyStack) {
		rev := st.serveBoth(t, func(s string) string { return strings.TrimRight(s, "\n") + "\n" + reportFigures })
		lines := []string{"5 figures added", "Added 5 figures from “" + sourceTitle + "”"}
		for y := 2019; y <= 2023; y++ {
			lines = append(lines, fmt.Sprintf("• e2e-kr-hacking-arrests-%d: ", y), fmt.Sprintf("%s/figures/e2e-kr-hacking-arrests-%d", exporterURL, y))
		}
		lines = append(lines, "more than 12", "about 25", "Quote: “a figure the end-to-end test adds for 2021”")
		st.expect(t, "report added", wantDigest{rev, lines})
		st.keep(t, "digest-added")
	},
	// That report removed: one message listing them, although the
	// dataset is now the one announced in "period corrected" moments ago.
	"report removed": func(t *testing.T, st *notifyStack) {
		rev := st.serveBoth(t, func(s string) string { return strings.Replace(s, "\n"+reportFigures, "\n", 1) })
		lines := []string{"5 figures removed", "Removed 5 figures of “" + sourceTitle + "”"}
		for y := 2019; y <= 2023; y++ {
			lines = append(lines, fmt.Sprintf("• e2e-kr-hacking-arrests-%d: ", y))
		}
		st.expect(t, "report removed", wantDigest{rev, lines})
		st.keep(t, "digest-removed")
	},
	// A restart of one replica, then an outage of both: nothing told.
	"restart and outage": func(t *testing.T, st *notifyStack) {
		rev := st.revision(t, 0)
		st.replicas[0].stop(t, 0)
		st.replicas[0].start(t, 0)
		for _, d := range st.replicas {
			d.stop(t, 0)
		}
		time.Sleep(2 * st.scrape)
		for _, d := range st.replicas {
			d.start(t, 0)
		}
		st.waitScraped(t, rev, 2)
		time.Sleep(st.scrape + 10*time.Second)
		st.quiet(t, "a restart and an outage")
	},
	// A state (both replicas fail to reload a broken file, then load it
	// fixed) is sent firing, then resolved, by the same templates.
	"a state resolves": func(t *testing.T, st *notifyStack) {
		good := st.replicas[0].figures
		for i, d := range st.replicas {
			d.write(t, good+"  - id: broken-by-the-e2e-test\n    labels: {country: KR\n")
			if code, body := post(t, "http://"+d.addrs[0]+"/-/reload"); code != 500 {
				t.Fatalf("replica %d reloaded a broken file: %d %s", i, code, body)
			}
		}
		deployment := fmt.Sprintf("cluster %s, namespace %s, job %s", notifyCluster, notifyNamespace, notifyJob)
		m, e := st.waitSlack(t, "[FIRING:1] FiguresReloadFailing in "+deployment+": ")
		if !strings.Contains(m.text(), "The last reload of the dataset failed on 2 figures_exporter instance(s) of "+deployment) || !strings.Contains(e.Text, "failed on 2 figures_exporter instance(s)") {
			t.Errorf("FiguresReloadFailing as sent:\n%s\n%s\n%s", m.title(), m.text(), e.Text)
		}
		t.Logf("a state, firing: %s\n%s", m.title(), m.text())
		for i, d := range st.replicas {
			d.write(t, good)
			if code, body := post(t, "http://"+d.addrs[0]+"/-/reload"); code != 200 {
				t.Fatalf("replica %d: reload of the fixed file answered %d %s", i, code, body)
			}
		}
		m, e = st.waitSlack(t, "[RESOLVED] FiguresReloadFailing in "+deployment+": ")
		// When and after how long, and what: not the firing text again.
		if !strings.HasPrefix(m.text(), "Resolved at ") || !strings.HasPrefix(e.Text, "Resolved at ") || !strings.Contains(m.text(), ": The figures exporter cannot reload its dataset.") ||
			strings.Contains(m.text(), "failed on") || strings.Contains(e.Text, "failed on") {
			t.Errorf("the resolution as sent:\n%s\n%s\n%s", m.title(), m.text(), e.Text)
		}
		t.Logf("a state, resolved: %s\n%s", m.title(), m.text())
		st.states += 2
		st.quiet(t, "a state fired and resolved")
	},
}

// waitSlack waits for a Slack message whose title starts with prefix, and
// the email with that subject.
func (st *notifyStack) waitSlack(t *testing.T, prefix string) (slackMessage, email) {
	t.Helper()
	var m slackMessage
	var e email
	waitFor(t, "a Slack message and an email "+prefix, 2*st.scrape+alertTimeout, func() (bool, string) {
		ms, es := st.slack.messages(), st.smtp.emails()
		i := slices.IndexFunc(ms, func(m slackMessage) bool { return strings.HasPrefix(m.title(), prefix) })
		j := slices.IndexFunc(es, func(e email) bool { return strings.HasPrefix(e.Subject, prefix) })
		if i < 0 || j < 0 {
			return false, slackDump(ms)
		}
		m, e = ms[i], es[j]
		return true, ""
	})
	return m, e
}

// figureHead is a figure's lines between its id and its period.
func figureHead(t *testing.T, s, id string) string {
	t.Helper()
	m := regexp.MustCompile(`\n  - id: ` + regexp.QuoteMeta(id) + `\n((?:    [a-z_]+: .*\n)*?)    period: `).FindStringSubmatch(s)
	if m == nil {
		t.Fatalf("no figure %s with a one-line period", id)
	}
	return m[1]
}

// keep saves the last digest as received (the Slack JSON, the email's text
// and HTML, a screenshot of the HTML in headless Chromium) into the
// directory FIGURES_NOTIFY_ARTIFACTS names (docs/screenshots to refresh
// the ones the docs show), or a temporary one.
func (st *notifyStack) keep(t *testing.T, name string) {
	t.Helper()
	if st.scrape != 15*time.Second {
		return
	}
	dir := os.Getenv("FIGURES_NOTIFY_ARTIFACTS")
	if dir == "" {
		dir = t.TempDir()
	}
	msgs, emails := st.slack.messages(), st.smtp.emails()
	m, e := msgs[len(msgs)-1], emails[len(emails)-1]
	var pretty bytes.Buffer
	pretty.WriteString(m.title() + "\n\n" + m.text() + "\n")
	writeFile(t, filepath.Join(dir, name+"-slack.txt"), pretty.Bytes())
	writeFile(t, filepath.Join(dir, name+"-email.txt"), []byte("Subject: "+e.Subject+"\n\n"+e.Text))
	html := filepath.Join(dir, name+"-email.html")
	writeFile(t, html, []byte(e.HTML))
	chromium, err := exec.LookPath("chromium")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("headless Chromium is needed to render the email: apt-get install -y chromium")
		}
		t.Logf("no chromium: the email is not rendered")
		return
	}
	shot := filepath.Join(dir, name+"-email.png")
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync", "--hide-scrollbars",
		"--user-data-dir="+t.TempDir(), "--window-size=800,1000", "--screenshot="+shot, "file://"+html)
	cmd.WaitDelay = 5 * time.Second
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("chromium: %v\n%s", err, out)
	}
	data, err := os.ReadFile(shot)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("the screenshot is not a PNG: %v", err)
	}
	if colours := countColours(img); colours < 20 {
		t.Errorf("the screenshot of the email has %d colours: blank?", colours)
	}
	t.Logf("%s: Slack JSON %s; email rendered to %s", name, m.raw, shot)
}

// countColours counts the distinct colours of an image, on a grid.
func countColours(img image.Image) int {
	seen := map[color.RGBA]bool{}
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y += 4 {
		for x := b.Min.X; x < b.Max.X; x += 4 {
			seen[color.RGBAModel.Convert(img.At(x, y)).(color.RGBA)] = true
		}
	}
	return len(seen)
}

func slackDump(ms []slackMessage) string {
	var b strings.Builder
	for _, m := range ms {
		fmt.Fprintf(&b, "%s %s\n%s\n\n", m.arrived.Format(time.TimeOnly), m.title(), m.text())
	}
	return b.String()
}
