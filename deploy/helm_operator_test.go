package deploy

import (
	"bytes"
	"encoding/json"
	"os/exec"
	"testing"

	"github.com/figures-exporter/figures_exporter/internal/testtools"
)

// TestHelmChartOperatorJob checks the chart's central promise, that its
// PrometheusRule selects the job and namespace Prometheus gives the
// exporter, against the Prometheus Operator's own code instead of the
// tests' reading of it: tools/prometheus-operator's scrapejob generates the
// scrape configuration of the rendered ServiceMonitor with the operator's
// ConfigGenerator and relabels a discovered endpoint of the rendered
// Service with Prometheus' relabeling code. Building the operator's code
// takes minutes on a cold cache: the test runs with FIGURES_TEST_KUBERNETES=1.
func TestHelmChartOperatorJob(t *testing.T) {
	kubernetesTests(t)
	t.Parallel()
	bin := testtools.Tool(t, "scrapejob")
	for _, tc := range chartCases(t) {
		if !tc.serviceMonitor {
			continue
		}
		t.Run(tc.name, func(t *testing.T) {
			args := append([]string{"template", "-release", tc.release, "-namespace", tc.namespace}, valueFlags(t, tc.values)...)
			rendered, stderr, err := chartcheck(t, append(args, chartDir)...)
			if err != nil {
				t.Fatalf("chartcheck: %v\n%s", err, stderr)
			}
			cmd := exec.Command(bin)
			cmd.Stdin = bytes.NewReader([]byte(rendered))
			out, err := cmd.Output()
			if err != nil {
				msg := ""
				if ee, ok := err.(*exec.ExitError); ok {
					msg = string(ee.Stderr)
				}
				t.Fatalf("scrapejob: %v\n%s", err, msg)
			}
			var got struct {
				Kept                   bool
				Job, Namespace, Scheme string
			}
			if err := json.Unmarshal(out, &got); err != nil {
				t.Fatalf("decoding scrapejob's output: %v\n%s", err, out)
			}
			if !got.Kept || got.Job != tc.job || got.Namespace != tc.serviceNS || got.Scheme != tc.scheme {
				t.Errorf("the operator's scrape config gives the exporter kept=%v job=%q namespace=%q scheme=%q; the chart's rules select job=%q namespace=%q over %s",
					got.Kept, got.Job, got.Namespace, got.Scheme, tc.job, tc.serviceNS, tc.scheme)
			}
		})
	}
}
