// Package e2e is the end-to-end test of the monitoring pack with the real
// servers, in the setup the pack is for: the mixin rendered for a job that
// is not called "figures" (threat-figures) and for two clusters (groupLabels
// cluster and job), with windows of seconds; two clusters, east with two
// figures_exporter replicas and west with one, each on its own copy of
// figures.yaml; an HA pair of real Prometheus servers scraping both (a
// `cluster` target label per cluster, as relabelling or a Thanos/Mimir
// global view gives; a `replica` external label each, dropped from their
// alerts), with the configuration of the docker-compose stack
// (deploy/prometheus/prometheus.yml) rewritten for that; and a real
// Alertmanager configured from deploy/alertmanager/alertmanager.yml, which
// receives every alert from both and routes to a webhook receiver inside
// the test.
//
// The test revises two values in east, restarts an east replica and then
// both Prometheus servers inside the window, takes both east replicas down
// for 60 s (and west's for good), adds a figure, removes one, breaks the
// YAML and finally leaves the job without targets, and checks every
// notification the webhook receives: each alert fires on its event, in its
// cluster, once (not once per Prometheus replica), and never resolves
// early.
//
// It takes about two minutes once the pinned Prometheus and Alertmanager
// are built (testtools.Tool; minutes on a cold build cache). `go test
// -short` skips it.
package e2e

import (
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/figures-exporter/figures_exporter/dashboards"
	"github.com/figures-exporter/figures_exporter/internal/testtools"
)

const (
	runbookBase = "https://github.com/figures-exporter/figures_exporter/blob/main/docs/runbook.md#"

	// The job name the test scrapes the exporters under, and the mixin
	// settings the rules are rendered with: short windows, so that the
	// events and their keep_firing_for fit in the test; FiguresExporterDown
	// waits longer than the 60 s outage; FiguresExporterAbsent longer than a
	// Prometheus takes to discover its targets after a restart (~6 s); FiguresDatasetStale looks back
	// over more than the outage; production's stale threshold.
	jobName     = "threat-figures"
	changeWin   = 2 * time.Minute
	downFor     = 75 * time.Second
	mixinConfig = `{
  figuresExporterSelector: 'job="threat-figures"',
  groupLabels: ['cluster', 'job'],
  changeWindow: '2m',
  reloadFailingFor: '2s',
  exporterDownFor: '75s',
  exporterAbsentFor: '20s',
  datasetStaleFor: '2s',
  datasetStaleLookback: '3m',
}`

	// The source of the figures the test revises, adds and removes; it has
	// a URL (given it in the test's copies when figures.yaml has none).
	urlSource   = "nis-pangyo-conference-2023-07-20"
	exampleURL  = "https://www.example.com/e2e/nis-cyber-threat-2023-07-20"
	sourceTitle = "North Korea, China pose rising cyber threat to South Korea: ROK Spy Agency"

	smallChangeID = "kr-attacks-daily-2023-h1"                     // 1.37e6 -> 1.5e6: +9.5 %, a change
	bigChangeID   = "kr-security-products-targeted-orgs-2022-2023" // 250 -> 500: +100 %, a change and a jump
	addedID       = "e2e-kr-hacker-accomplice-arrests-2023-h1"
	removedID     = "kr-credit-card-theft-victims-2023" // value 1000

	outage = 60 * time.Second

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

// perFigure are the event alerts: they carry figure_id and keep firing for
// a window after their event.
var perFigure = []string{"FiguresValueChanged", "FiguresValueJumped", "FiguresFigureAdded", "FiguresFigureRemoved"}

// wantAlert is an alert a step must deliver to the webhook.
type wantAlert struct {
	alertname string
	figureID  string // empty for alerts without figure_id
	severity  string
	cluster   string
	labels    map[string]string // more labels the alert carries (the digest's revision and previous)
	desc      []string          // in the description, white space squashed
}

// deployment is one cluster's exporters and their figures file.
type deployment struct {
	cluster  string
	file     string
	addrs    []string
	procs    []*proc
	bin, dir string
	figures  string // the file's current content
}

func (d *deployment) start(t *testing.T, i int) {
	t.Helper()
	p := testtools.Start(t, fmt.Sprintf("figures_exporter-%s-%d", d.cluster, i+1), d.bin,
		"--figures.file="+d.file,
		"--web.listen-address="+d.addrs[i],
		"--web.enable-lifecycle",
		"--log.level=debug",
	)
	waitReady(t, p, "http://"+d.addrs[i]+"/-/ready", startTimeout)
	d.procs[i] = p
}

func (d *deployment) stop(t *testing.T, i int) {
	t.Helper()
	if err := d.procs[i].Cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	<-d.procs[i].Done()
}

func (d *deployment) write(t *testing.T, figures string) {
	t.Helper()
	d.figures = figures
	writeAtomically(t, d.file, []byte(figures))
}

var dateRE = regexp.MustCompile(`(?m)^    (curated|revised): \d{4}-\d{2}-\d{2}$`)

// curatedOn sets every figure's curation and revision date.
func curatedOn(figures string, day time.Time) string {
	return dateRE.ReplaceAllString(figures, "    $1: "+day.Format(time.DateOnly))
}

func TestEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end test with real Prometheus and Alertmanager servers")
	}
	t.Parallel() // beside TestNotifications
	root := testtools.RepoRoot(t)
	exporterBin := testtools.Exporter(t)
	prometheusBin := testtools.Tool(t, "prometheus")
	alertmanagerBin := testtools.Tool(t, "alertmanager")
	tmp := t.TempDir()
	began := time.Now()

	// The pack, rendered as README shows for another job name and clusters.
	pack := renderPack(t, root, tmp, mixinConfig)

	// The figures: copies of the curated dataset with a URL for one source.
	// East's figures were last curated years ago (FiguresDatasetStale fires
	// there); west's today, and west serves a different dataset (one figure
	// fewer), so the clusters differ.
	withURL, sourceURL := figuresWithURL(t, root)
	east := &deployment{cluster: "east", addrs: []string{testtools.FreeAddr(t), testtools.FreeAddr(t)}}
	west := &deployment{cluster: "west", addrs: []string{testtools.FreeAddr(t)}}
	for _, d := range []*deployment{east, west} {
		d.bin, d.dir = exporterBin, filepath.Join(tmp, d.cluster)
		d.file = filepath.Join(d.dir, "figures.yaml")
		d.procs = make([]*proc, len(d.addrs))
		if err := os.Mkdir(d.dir, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	east.write(t, curatedOn(withURL, time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)))
	west.write(t, removeFigure(t, curatedOn(withURL, time.Now().UTC()), missingInWest))
	figureCount := map[string]int{"east": countFigures(east.figures), "west": countFigures(west.figures)}

	hook := newWebhook(t)
	for _, d := range []*deployment{east, west} {
		for i := range d.addrs {
			d.start(t, i)
		}
	}
	amAddr := testtools.FreeAddr(t)
	amConfig := filepath.Join(tmp, "alertmanager.yml")
	writeFile(t, amConfig, alertmanagerOverlay(t, root, hook.srv.URL))
	am := testtools.Start(t, "alertmanager", alertmanagerBin,
		"--config.file="+amConfig,
		"--storage.path="+filepath.Join(tmp, "alertmanager-data"),
		"--web.listen-address="+amAddr,
		"--cluster.listen-address=",
	)
	waitReady(t, am, "http://"+amAddr+"/-/ready", startTimeout)

	// An HA pair of Prometheus servers, replicas a and b, on the same
	// configuration but for their replica external label, which both drop
	// from their alerts (docs/alerts.md): Alertmanager receives every alert
	// twice, identical, and must notify once. The test queries replica a.
	promAddrs := []string{testtools.FreeAddr(t), testtools.FreeAddr(t)}
	replicas := []string{"a", "b"}
	promConfig := func(i int) string { return filepath.Join(tmp, "prometheus-"+replicas[i]+".yml") }
	writePromConfigs := func(clusters map[string][]string) {
		for i, replica := range replicas {
			writeFile(t, promConfig(i), prometheusOverlay(t, root, pack, replica, map[string][]string{
				"alertmanager:9093": {amAddr},
				"localhost:9090":    {promAddrs[i]},
			}, clusters))
		}
	}
	writePromConfigs(map[string][]string{"east": east.addrs, "west": west.addrs})
	proms := make([]*proc, len(replicas))
	startProm := func(i int) {
		proms[i] = testtools.Start(t, "prometheus-"+replicas[i], prometheusBin,
			"--config.file="+promConfig(i),
			"--storage.tsdb.path="+filepath.Join(tmp, "prometheus-data-"+replicas[i]),
			"--web.listen-address="+promAddrs[i],
			"--web.enable-lifecycle",
		)
		waitReady(t, proms[i], "http://"+promAddrs[i]+"/-/ready", startTimeout)
	}
	for i := range replicas {
		startProm(i)
	}
	promURL := "http://" + promAddrs[0]
	promStarted := time.Now()

	// Every replica scraped under the job name, each figure recorded once
	// per cluster (not once per replica).
	upExpr := fmt.Sprintf(`count(up{job=%q} == 1)`, jobName)
	d := waitFor(t, "Prometheus to scrape the three exporters", startTimeout, func() (bool, string) {
		res, err := query(promURL, upExpr, time.Time{})
		return err == nil && len(res) == 1 && res[0].value() == "3", fmt.Sprint(res, err)
	})
	t.Logf("the three exporters scraped %v after Prometheus was ready", d.Round(time.Millisecond))
	waitFor(t, "one recorded value per figure and cluster", startTimeout, func() (bool, string) {
		res, err := query(promURL, `count by (cluster) (figure_id:figures_value:max)`, time.Time{})
		if err != nil || len(res) != 2 {
			return false, fmt.Sprint(res, err)
		}
		for _, r := range res {
			if r.value() != fmt.Sprint(figureCount[string(r.Metric["cluster"])]) {
				return false, fmt.Sprint(res)
			}
		}
		return true, ""
	})

	// East's dataset was last curated in 2020: FiguresDatasetStale fires
	// there, and only there. Its arrival also proves the path Prometheus ->
	// Alertmanager -> webhook before the figures change, and gives the rules
	// some history.
	stale := wantAlert{alertname: "FiguresDatasetStale", severity: "warning", cluster: "east", desc: []string{"cluster east, job " + jobName, "(last on 2020-01-01); threshold: 365 days"}}
	a, arrived := waitAlert(t, hook, stale)
	t.Logf("TIMING startup: %s arrived %v after Prometheus was ready", stale.alertname, arrived.Sub(promStarted).Round(time.Millisecond))
	checkAlert(t, stale, a)
	expected := []wantAlert{stale}
	baselineRevision := revisions(t, east.addrs)

	sourceDesc := fmt.Sprintf("Source: %q %s.", sourceTitle, sourceURL)
	var timings []string
	logTiming := func(what, alert, id string, d time.Duration) {
		line := fmt.Sprintf("%-24s %-22s %-45s arrived %v after it", what, alert, id, d.Round(time.Millisecond))
		t.Log("TIMING " + line)
		timings = append(timings, line)
	}
	// edit changes east's figures file, reloads both replicas (the explicit
	// reload makes the moment of the revision exact and checks each
	// replica's answer; they also watch the file) and waits for the alerts.
	// digest, when not nil, are lines FiguresDatasetRevised's description
	// must hold for the new revision.
	edit := func(name string, change func(string) string, reloadCode int, digest []string, alerts ...wantAlert) {
		previous := revisions(t, east.addrs)
		east.write(t, change(east.figures))
		for _, addr := range east.addrs {
			code, body := post(t, "http://"+addr+"/-/reload")
			if code != reloadCode {
				t.Fatalf("%s: POST /-/reload on %s answered %d, want %d:\n%s", name, addr, code, reloadCode, body)
			}
		}
		revised := time.Now()
		if digest != nil {
			alerts = append(alerts, wantAlert{alertname: "FiguresDatasetRevised", severity: "info", cluster: "east",
				labels: map[string]string{"revision": revisions(t, east.addrs), "previous": previous},
				desc:   append([]string{"Revision " + revisions(t, east.addrs) + " of the curated figures in cluster east, job " + jobName + ", first served at "}, digest...)})
		}
		for _, want := range alerts {
			a, arrived := waitAlert(t, hook, want)
			logTiming(name, want.alertname, want.figureID, arrived.Sub(revised))
			if c := claimant(t, promURL, want.figureID); c != "" && want.figureID != "" {
				want.desc = append(want.desc, "Claimed by "+c)
			}
			checkAlert(t, want, a)
			expected = append(expected, want)
		}
	}
	// quiet waits for Prometheus to have evaluated the rules on settle more
	// seconds of scrapes of every exporter; the notifications it must not
	// cause would have arrived by then (group_wait and group_interval 1s).
	quiet := func(what string, settle time.Duration) {
		waitFor(t, "the exporters back after "+what, startTimeout, func() (bool, string) {
			res, err := query(promURL, upExpr, time.Time{})
			return err == nil && len(res) == 1 && res[0].value() == fmt.Sprint(len(east.addrs)+len(west.addrs)-len(deadWest(west))), fmt.Sprint(res, err)
		})
		time.Sleep(settle)
	}

	edit("revise two values", func(s string) string {
		s = replaceOnce(t, s, "    value: 1.37e6\n", "    value: 1.5e6\n")
		return replaceOnce(t, s, "    value: 250\n", "    value: 500\n")
	}, 200, []string{"2 values changed", "• " + smallChangeID + " changed: ", "1.37 million → 1.5 million (+9.5 %)", "• " + bigChangeID + " changed: ", "→ about 500 (+100 %)"},
		wantAlert{alertname: "FiguresValueChanged", figureID: smallChangeID, severity: "info", cluster: "east",
			desc: []string{"cluster east, job " + jobName + ", figure " + smallChangeID + " (figures_cyberattacks_daily_average)", "from 1.37 million to 1.5 million (+9.489 %)", sourceDesc}},
		wantAlert{alertname: "FiguresValueChanged", figureID: bigChangeID, severity: "info", cluster: "east",
			desc: []string{bigChangeID + " (figures_targeted_organizations)", "from 250 to about 500 (+100 %)", sourceDesc}},
		wantAlert{alertname: "FiguresValueJumped", figureID: bigChangeID, severity: "warning", cluster: "east",
			desc: []string{bigChangeID + " (figures_targeted_organizations)", "from 250 to about 500 (+100 %)", "50 % threshold", sourceDesc}},
	)
	changed := time.Now()

	// An exporter restart inside the window: a new process on the same
	// address and file. No notification.
	east.stop(t, 0)
	east.start(t, 0)
	quiet("a restart", 3*time.Second)

	// Both Prometheus servers restart inside the window (a graceful stop,
	// then the same TSDB: a gap in every series, and the rule manager's
	// alert state gone). They derive the same alerts again from the stored
	// history and send them; Alertmanager still holds them and notifies no
	// one.
	for i := range proms {
		if err := proms[i].Cmd.Process.Signal(syscall.SIGTERM); err != nil {
			t.Fatal(err)
		}
		<-proms[i].Done()
	}
	for i := range proms {
		startProm(i)
	}
	quiet("a Prometheus restart", 3*time.Second)

	// A 60 s outage of every east exporter inside the window; west's only
	// exporter dies for good at the same moment, which FiguresExporterDown
	// reports after its 75 s. East's per-figure alerts neither resolve nor
	// fire again; east's FiguresExporterDown does not fire.
	for i := range east.addrs {
		east.stop(t, i)
	}
	west.stop(t, 0)
	killed := time.Now()
	time.Sleep(outage)
	for i := range east.addrs {
		east.start(t, i)
	}
	quiet("the outage", 3*time.Second)
	westDown := wantAlert{alertname: "FiguresExporterDown", severity: "critical", cluster: "west",
		desc: []string{"1 of 1 figures_exporter targets of cluster west, job " + jobName + " are down: " + west.addrs[0]}}
	a, arrived = waitAlert(t, hook, westDown)
	logTiming("west killed", westDown.alertname, "", arrived.Sub(killed))
	if arrived.Sub(killed) < downFor {
		t.Errorf("FiguresExporterDown arrived %v after the kill, before its for: %v", arrived.Sub(killed), downFor)
	}
	checkAlert(t, westDown, a)
	expected = append(expected, westDown)

	if _, at, ok := hook.first("resolved", stale.alertname, "", "east"); ok {
		t.Errorf("FiguresDatasetStale resolved at %v, before east's dataset was curated", at.Format(time.TimeOnly))
	}
	// The added figure was curated on 2026-11-22: east's dataset is no
	// longer stale, and FiguresDatasetStale resolves.
	edit("add a figure", func(s string) string { return strings.TrimRight(s, "\n") + "\n" + addedFigure }, 200,
		[]string{"1 figure added", "Added 1 figure from “" + sourceTitle + "”", "• " + addedID + ": 7 — "},
		wantAlert{alertname: "FiguresFigureAdded", figureID: addedID, severity: "info", cluster: "east",
			desc: []string{addedID + " (figures_cybercrime_arrests)", "was added within the last 2m with value 7.", sourceDesc}})
	waitFor(t, "FiguresDatasetStale to resolve in east", alertTimeout, func() (bool, string) {
		_, _, ok := hook.first("resolved", stale.alertname, "", "east")
		return ok, hook.summary()
	})
	removedFamily := familyOf(t, east.figures, removedID)
	edit("remove a figure", func(s string) string { return removeFigure(t, s, removedID) }, 200,
		[]string{"1 figure removed", "• " + removedID + ": was about 1 thousand — "},
		wantAlert{alertname: "FiguresFigureRemoved", figureID: removedID, severity: "warning", cluster: "east",
			desc: []string{removedID + " (" + removedFamily + ")", "was removed from the dataset within the last 2m; its last value was about 1 thousand."}})
	edit("break the YAML", func(s string) string {
		return s + "  - id: broken-by-the-e2e-test\n    labels: {country: KR\n"
	}, 500, nil,
		wantAlert{alertname: "FiguresReloadFailing", severity: "warning", cluster: "east",
			desc: []string{"2 figures_exporter instance(s) of cluster east, job " + jobName, sortedJoin(east.addrs)}})

	// The broken file left the last good figures served by both east
	// replicas and in Prometheus.
	for _, addr := range east.addrs {
		_, body := get(t, "http://"+addr+"/metrics")
		checkExposition(t, addr, body, countFigures(strings.TrimSuffix(east.figures, "  - id: broken-by-the-e2e-test\n    labels: {country: KR\n")), removedFamily)
	}
	if got := revisions(t, east.addrs); got == baselineRevision {
		t.Errorf("the exporters still serve the baseline revision %s after three good revisions", got)
	}

	// Every dashboard query, of the committed dashboards (job and instance
	// variables) and of the rendered ones (cluster too), returns at least
	// one series.
	for _, dir := range []string{filepath.Join(root, "dashboards"), filepath.Join(pack, "dashboards")} {
		queries, err := dashboards.Queries(dir)
		if err != nil {
			t.Fatal(err)
		}
		if len(queries) == 0 {
			t.Fatalf("dashboards.Queries(%s) found no query", dir)
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
		t.Logf("%d dashboard queries of %s each returned at least one series", len(queries), filepath.Base(filepath.Dir(dir)))
	}

	// Service discovery finds no exporter any more: the job has no target
	// in either Prometheus (their configurations reloaded), and
	// FiguresExporterAbsent fires, with the selector's job and no cluster
	// (absent() knows none).
	writePromConfigs(nil)
	for _, addr := range promAddrs {
		if code, body := post(t, "http://"+addr+"/-/reload"); code != 200 {
			t.Fatalf("POST /-/reload on Prometheus %s answered %d:\n%s", addr, code, body)
		}
	}
	targetsGone := time.Now()
	absent := wantAlert{alertname: "FiguresExporterAbsent", severity: "critical",
		desc: []string{"has no target matching {job='" + jobName + "'}"}}
	a, arrived = waitAlert(t, hook, absent)
	logTiming("targets gone", absent.alertname, "", arrived.Sub(targetsGone))
	if arrived.Before(targetsGone) {
		t.Errorf("FiguresExporterAbsent fired at %v, before the targets were gone", arrived.Format(time.TimeOnly))
	}
	checkAlert(t, absent, a)
	expected = append(expected, absent)

	// Nothing fired twice, nothing unexpected fired, no alert carries an
	// instance, and no per-figure alert resolved before its window and its
	// keep_firing_for were over. Alertmanager sends a group's changes one
	// group_interval (1s) apart: a few of them after the last alert, any
	// late second notification would be in.
	if settle := 3*time.Second - time.Since(lastArrival(hook)); settle > 0 {
		time.Sleep(settle)
	}
	checkNoDuplicates(t, hook, expected)
	for _, name := range perFigure {
		if a, at, ok := hook.first("resolved", name, "", ""); ok && at.Sub(changed) < changeWin {
			t.Errorf("%s resolved %v after the revision, before its window (%v) was over: %s", name, at.Sub(changed).Round(time.Millisecond), changeWin, a.key())
		}
	}
	for _, l := range timings {
		t.Log("TIMING " + l)
	}
	t.Logf("end-to-end run took %v (after the builds)", time.Since(began).Round(time.Second))
}

// renderPack renders the mixin with config (jsonnet) into dir/pack, as
// README shows, and returns that directory.
func renderPack(t *testing.T, root, dir, config string) string {
	t.Helper()
	pack := filepath.Join(dir, "pack")
	if out, err := execIn(root, testtools.Tool(t, "jsonnet"), "-S", "-c", "-m", pack, "--tla-code", "config="+config, "mixin/render.jsonnet"); err != nil {
		t.Fatalf("rendering the mixin: %v\n%s", err, out)
	}
	return pack
}

// figuresWithURL is the curated figures.yaml with a URL for urlSource, and
// that URL (sourceWithURL).
func figuresWithURL(t *testing.T, root string) (string, string) {
	t.Helper()
	original, err := os.ReadFile(filepath.Join(root, "figures.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	return sourceWithURL(t, string(original))
}

var sourceURLRE = regexp.MustCompile(`\n  - id: ` + regexp.QuoteMeta(urlSource) + `\n(?:    .*\n)*?    url: (\S+)\n`)

// sourceWithURL returns the figures file with a URL for urlSource (its own,
// or exampleURL added after its published date) and that URL.
func sourceWithURL(t *testing.T, figures string) (string, string) {
	t.Helper()
	if m := sourceURLRE.FindStringSubmatch(figures); m != nil {
		return figures, m[1]
	}
	return replaceOnce(t, figures, "    published: 2023-07-20\n", "    published: 2023-07-20\n    url: "+exampleURL+"\n"), exampleURL
}

// claimant returns the claimant the exporter serves for a figure (the
// figures_figure_info label), or "" when it serves none: the exporter names
// claimants since issue 11, and the descriptions must then name them.
func claimant(t *testing.T, promURL, figureID string) string {
	t.Helper()
	if figureID == "" {
		return ""
	}
	res, err := query(promURL, fmt.Sprintf(`max by (claimant) (last_over_time(figures_figure_info{job=%q, cluster="east", figure_id=%q}[5m]))`, jobName, figureID), time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res) == 0 {
		return ""
	}
	return string(res[0].Metric["claimant"])
}

// missingInWest is a figure west's dataset lacks, so that the two
// clusters serve different datasets.
const missingInWest = "kr-attacks-origin-kp-share-2023-h1"

// deadWest lists west's exporters that are down (killed for good).
func deadWest(west *deployment) []int {
	var dead []int
	for i, p := range west.procs {
		if p.Exited() {
			dead = append(dead, i)
		}
	}
	return dead
}

func execIn(dir, bin string, args ...string) ([]byte, error) {
	cmd := exec.Command(bin, args...)
	cmd.Dir = dir
	return cmd.CombinedOutput()
}

// countFigures counts the figures (list items under figures:) of a file.
func countFigures(figures string) int {
	i := strings.Index(figures, "\nfigures:")
	return strings.Count(figures[i:], "\n  - id: ")
}

// familyOf returns the family of the figure with that id.
func familyOf(t *testing.T, figures, id string) string {
	t.Helper()
	m := regexp.MustCompile(`\n  - id: ` + regexp.QuoteMeta(id) + `\n    family: (\S+)\n`).FindStringSubmatch(figures)
	if m == nil {
		t.Fatalf("no figure %s with a family in the figures file", id)
	}
	return m[1]
}

// waitAlert waits until the webhook has received want as firing.
func waitAlert(t *testing.T, hook *webhook, want wantAlert) (webhookAlert, time.Time) {
	t.Helper()
	var a webhookAlert
	var arrived time.Time
	waitFor(t, fmt.Sprintf("%s{cluster=%q, figure_id=%q} at the webhook", want.alertname, want.cluster, want.figureID), alertTimeout, func() (bool, string) {
		var ok bool
		a, arrived, ok = hook.firstWith("firing", want)
		return ok, hook.summary()
	})
	return a, arrived
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
	// The group labels (cluster, job) and nothing per instance.
	wantLabels := map[string]string{"alertname": want.alertname, "severity": want.severity, "job": jobName}
	if want.cluster != "" {
		wantLabels["cluster"] = want.cluster
	}
	if want.figureID != "" {
		wantLabels["figure_id"] = want.figureID
	}
	maps.Copy(wantLabels, want.labels)
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
// expected alerts fired, once each.
func checkNoDuplicates(t *testing.T, hook *webhook, expected []wantAlert) {
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
			id := a.Labels["alertname"] + "/" + a.Labels["cluster"] + "/" + a.Labels["figure_id"] + "/" + a.Labels["revision"] + "/" + a.Labels["previous"]
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
		want[w.alertname+"/"+w.cluster+"/"+w.figureID+"/"+w.labels["revision"]+"/"+w.labels["previous"]] = true
	}
	for id, sets := range byName {
		if !want[id] {
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
func checkExposition(t *testing.T, addr, body string, figureCount int, removedFamily string) {
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
		{removedFamily, removedID, ""},
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
// test: the intervals 1s; replica as the external label `replica`, dropped
// from the alerts by alert_relabel_configs; the figures job renamed jobName, its one static
// target replaced by one target group per cluster with a `cluster` label
// (what relabelling, or a global view over the clusters' Prometheus servers,
// gives the series); every other static target replaced by the test's
// addresses (targets maps a target of the compose stack to them); and the
// rule files the rendered pack's, where the configuration expects rules/
// (relative to /etc/prometheus in the container, where docker-compose.yml
// mounts the repository's rules/; deploy/compose_test.go checks that).
func prometheusOverlay(t *testing.T, root, pack, replica string, targets, clusters map[string][]string) []byte {
	t.Helper()
	var cfg map[string]any
	testtools.ReadYAML(t, filepath.Join(root, "deploy", "prometheus", "prometheus.yml"), &cfg)

	global := mapAt(t, cfg, "global")
	global["scrape_interval"] = "1s"
	global["scrape_timeout"] = "1s"
	global["evaluation_interval"] = "1s"
	global["external_labels"] = map[string]any{"replica": replica}

	rules := listAt(t, cfg, "rule_files")
	if len(rules) == 0 {
		t.Fatal("deploy/prometheus/prometheus.yml has no rule_files")
	}
	for i, r := range rules {
		s, _ := r.(string)
		if filepath.IsAbs(s) || !strings.HasPrefix(s, "rules/") {
			t.Fatalf("rule_files entry %q: want a path relative to the configuration, under rules/", s)
		}
		rules[i] = filepath.Join(pack, filepath.FromSlash(s))
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
	figuresJob := false
	for _, sc := range listAt(t, cfg, "scrape_configs") {
		m := sc.(map[string]any)
		delete(m, "scrape_interval")
		delete(m, "scrape_timeout")
		if m["job_name"] == "figures" {
			figuresJob = true
			m["job_name"] = jobName
			var groups []any
			for _, c := range slices.Sorted(maps.Keys(clusters)) {
				groups = append(groups, map[string]any{"targets": clusters[c], "labels": map[string]any{"cluster": c}})
			}
			m["static_configs"] = groups
			continue
		}
		rewrite(fmt.Sprintf("job %v", m["job_name"]), m)
	}
	if !figuresJob {
		t.Fatal("deploy/prometheus/prometheus.yml has no job figures")
	}
	alerting := mapAt(t, cfg, "alerting")
	for _, am := range listAt(t, alerting, "alertmanagers") {
		rewrite("alertmanagers", am.(map[string]any))
	}
	alerting["alert_relabel_configs"] = []any{map[string]any{"action": "labeldrop", "regex": "replica"}}
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
