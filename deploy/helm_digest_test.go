package deploy

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/figures-exporter/figures_exporter/internal/testtools"
)

// digestSeries is what one exporter of release figures-exporter in
// namespace intel serves while its dataset goes from revision r1 to r2 at
// 2m: kr-attacks-kp-share-2023's value changes (70 % -> 75 %),
// kp-stolen-2023 is added, kr-attacks-daily-2024-h1's period is corrected
// (same value, another content hash).
const digestSeries = `
      - series: 'up{job="figures-exporter", namespace="intel", instance="10.0.0.1:10523"}'
        values: 1x43
      - series: 'figures_exporter_dataset_figures{job="figures-exporter", namespace="intel", instance="10.0.0.1:10523"}'
        values: 2x3 3x39
      - series: 'figures_exporter_dataset_info{job="figures-exporter", namespace="intel", instance="10.0.0.1:10523", revision="r1"}'
        values: 1x3 stale _x39
      - series: 'figures_exporter_dataset_info{job="figures-exporter", namespace="intel", instance="10.0.0.1:10523", revision="r2"}'
        values: _x4 1x39
      - series: 'figures_family_info{job="figures-exporter", namespace="intel", instance="10.0.0.1:10523", family="figures_cyberattacks_attribution_ratio", help="Share of cyberattacks attributed to each origin.", unit="ratio"}'
        values: 1x43
      - series: 'figures_family_info{job="figures-exporter", namespace="intel", instance="10.0.0.1:10523", family="figures_cyberattacks_daily_average", help="Cyberattacks detected per day.", unit="count"}'
        values: 1x43
      - series: 'figures_family_info{job="figures-exporter", namespace="intel", instance="10.0.0.1:10523", family="figures_stolen_digital_assets_usd", help="Value of digital assets stolen, in US dollars.", unit="usd"}'
        values: 1x43
      - series: 'figures_cyberattacks_attribution_ratio{job="figures-exporter", namespace="intel", instance="10.0.0.1:10523", figure_id="kr-attacks-kp-share-2023", origin_country="KP", target_country="KR", period="2023-01-01/2023-12-31"}'
        values: 0.7x3 0.75x39
      - series: 'figures_figure_info{job="figures-exporter", namespace="intel", instance="10.0.0.1:10523", figure_id="kr-attacks-kp-share-2023", claim_chain="NIS > Yonhap", claimant="NIS", family="figures_cyberattacks_attribution_ratio", period_end="2023-12-31", period_start="2023-01-01", published="2023-07-20", publisher="Yonhap", qualifier="none", reliability="B", source_id="nis", source_title="North Korea, China pose rising cyber threat to South Korea", unit="ratio", url="https://example.org/nis"}'
        values: 1x43
      - series: 'figures_figure_quote_info{job="figures-exporter", namespace="intel", instance="10.0.0.1:10523", figure_id="kr-attacks-kp-share-2023", quote="the sentence that states kr-attacks-kp-share-2023"}'
        values: 1x43
      - series: 'figures_figure_content_hash{job="figures-exporter", namespace="intel", instance="10.0.0.1:10523", figure_id="kr-attacks-kp-share-2023"}'
        values: 145206649515x3 995846204026x39
      - series: 'figures_stolen_digital_assets_usd{job="figures-exporter", namespace="intel", instance="10.0.0.1:10523", figure_id="kp-stolen-2023", origin_country="KP", period="2023-01-01/2023-12-31"}'
        values: _x4 750000000.0x39
      - series: 'figures_figure_info{job="figures-exporter", namespace="intel", instance="10.0.0.1:10523", figure_id="kp-stolen-2023", claim_chain="UN Panel of Experts > Jung Kwang-jae > UN panel report on DPRK", claimant="UN Panel of Experts", family="figures_stolen_digital_assets_usd", period_end="2023-12-31", period_start="2023-01-01", published="2024-03-07", qualifier="at_least", source_id="un", source_title="UN panel report on DPRK", unit="usd", url="https://example.org/un"}'
        values: _x4 1x39
      - series: 'figures_figure_quote_info{job="figures-exporter", namespace="intel", instance="10.0.0.1:10523", figure_id="kp-stolen-2023", quote="the sentence that states kp-stolen-2023"}'
        values: _x4 1x39
      - series: 'figures_figure_content_hash{job="figures-exporter", namespace="intel", instance="10.0.0.1:10523", figure_id="kp-stolen-2023"}'
        values: _x4 84455038214x39
      - series: 'figures_cyberattacks_daily_average{job="figures-exporter", namespace="intel", instance="10.0.0.1:10523", figure_id="kr-attacks-daily-2024-h1", target_country="KR", period="2024-01-01/2024-06-30"}'
        values: 1370000.0x3 stale _x39
      - series: 'figures_cyberattacks_daily_average{job="figures-exporter", namespace="intel", instance="10.0.0.1:10523", figure_id="kr-attacks-daily-2024-h1", target_country="KR", period="2024-01-01/2024-06-29"}'
        values: _x4 1370000.0x39
      - series: 'figures_figure_info{job="figures-exporter", namespace="intel", instance="10.0.0.1:10523", figure_id="kr-attacks-daily-2024-h1", claim_chain="NIS > Yonhap", claimant="NIS", credibility="2", family="figures_cyberattacks_daily_average", period_end="2024-06-30", period_start="2024-01-01", published="2023-07-20", publisher="Yonhap", qualifier="about", reliability="B", source_id="nis", source_title="North Korea, China pose rising cyber threat to South Korea", unit="count", url="https://example.org/nis"}'
        values: 1x3 stale _x39
      - series: 'figures_figure_info{job="figures-exporter", namespace="intel", instance="10.0.0.1:10523", figure_id="kr-attacks-daily-2024-h1", claim_chain="NIS > Yonhap", claimant="NIS", credibility="2", family="figures_cyberattacks_daily_average", period_end="2024-06-29", period_start="2024-01-01", published="2023-07-20", publisher="Yonhap", qualifier="about", reliability="B", source_id="nis", source_title="North Korea, China pose rising cyber threat to South Korea", unit="count", url="https://example.org/nis"}'
        values: _x4 1x39
      - series: 'figures_figure_quote_info{job="figures-exporter", namespace="intel", instance="10.0.0.1:10523", figure_id="kr-attacks-daily-2024-h1", quote="the sentence that states kr-attacks-daily-2024-h1"}'
        values: 1x43
      - series: 'figures_figure_content_hash{job="figures-exporter", namespace="intel", instance="10.0.0.1:10523", figure_id="kr-attacks-daily-2024-h1"}'
        values: 1054006410768x3 2054006410768x39
`

// digestWithLinks is FiguresDatasetRevised's description of digestSeries
// with externalURL https://figures.example.com and
// prometheusRule.dashboardURL https://grafana.example.com/d/figures-threat.
const digestWithLinks = "Revision r2 of the curated figures in namespace intel, job figures-exporter, first served at 1970-01-01 00:02:00 UTC: 1 figure added, 1 value changed, 1 figure revised.\n" +
	"Added 1 figure from “UN panel report on DPRK”, published 2024-03-07: https://example.org/un; claimed by UN Panel of Experts, passed on by Jung Kwang-jae\n" +
	"• kp-stolen-2023: at least US$750 million — Value of digital assets stolen, in US dollars in 2023 (origin_country=KP). Quote: “the sentence that states kp-stolen-2023”. Figure page: https://figures.example.com/figures/kp-stolen-2023\n" +
	"• kr-attacks-kp-share-2023 changed: Share of cyberattacks attributed to each origin in 2023 (origin_country=KP, target_country=KR): 70 % → 75 % (+5 points); source “North Korea, China pose rising cyber threat to South Korea”, Yonhap, published 2023-07-20, source graded B (usually reliable): https://example.org/nis; claimed by NIS. Figure page: https://figures.example.com/figures/kr-attacks-kp-share-2023\n" +
	"• kr-attacks-daily-2024-h1 revised: Cyberattacks detected per day from 2024-01-01 to 2024-06-29 (target_country=KR): about 1.37 million; period 2024-01-01 to 2024-06-30 → 2024-01-01 to 2024-06-29; source “North Korea, China pose rising cyber threat to South Korea”, Yonhap, published 2023-07-20, source graded B (usually reliable): https://example.org/nis. Figure page: https://figures.example.com/figures/kr-attacks-daily-2024-h1\n" +
	"Dashboard: https://grafana.example.com/d/figures-threat"

// TestHelmChartDigestLinks runs the chart's PrometheusRule under `promtool
// test rules` through a dataset revision and reads FiguresDatasetRevised's
// description as Prometheus renders it: with externalURL and
// prometheusRule.dashboardURL, each figure line ends with its page and the
// last line is the dashboard; without them, the same text without any
// link.
func TestHelmChartDigestLinks(t *testing.T) {
	t.Parallel()
	without := strings.NewReplacer(
		" Figure page: https://figures.example.com/figures/kp-stolen-2023", "",
		" Figure page: https://figures.example.com/figures/kr-attacks-kp-share-2023", "",
		" Figure page: https://figures.example.com/figures/kr-attacks-daily-2024-h1", "",
		"\nDashboard: https://grafana.example.com/d/figures-threat", "",
	).Replace(digestWithLinks)
	if strings.Contains(without, "Figure page") || strings.Contains(without, "Dashboard") {
		t.Fatalf("the expected text without links still has one:\n%s", without)
	}
	for _, tc := range []struct {
		name, values, description string
	}{
		{"with the links", "externalURL: https://figures.example.com\nprometheusRule: {enabled: true, dashboardURL: https://grafana.example.com/d/figures-threat}\n", digestWithLinks},
		{"without them", "prometheusRule: {enabled: true}\n", without},
	} {
		t.Run(tc.name, func(t *testing.T) {
			spec := one[struct {
				Spec json.RawMessage `json:"spec"`
			}](t, render(t, "figures-exporter", "intel", tc.values), "PrometheusRule").Spec
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, "rules.json"), spec, 0o644); err != nil {
				t.Fatal(err)
			}
			desc, err := json.Marshal(tc.description)
			if err != nil {
				t.Fatal(err)
			}
			test := `rule_files: [rules.json]
evaluation_interval: 30s
group_eval_order: [figures.rules, figures.alerts]
tests:
  - interval: 30s
    input_series:` + digestSeries + `    alert_rule_test:
      - alertname: FiguresDatasetRevised
        eval_time: 3m
        exp_alerts:
          - exp_labels: {severity: info, namespace: intel, job: figures-exporter, revision: r2, previous: r1}
            exp_annotations:
              summary: The curated dataset was revised.
              description: ` + string(desc) + `
              runbook_url: https://github.com/figures-exporter/figures_exporter/blob/main/docs/runbook.md#figuresdatasetrevised
`
			if err := os.WriteFile(filepath.Join(dir, "digest.test.yml"), []byte(test), 0o644); err != nil {
				t.Fatal(err)
			}
			cmd := exec.Command(testtools.Tool(t, "promtool"), "test", "rules", "digest.test.yml")
			cmd.Dir = dir
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Errorf("promtool test rules: %v\n%s", err, out)
			}
		})
	}
}
