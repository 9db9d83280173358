// Command scrapejob says which labels Prometheus gives the targets of a Helm
// chart's ServiceMonitor, with the Prometheus Operator's own code: it reads
// the rendered chart (the JSON of `chartcheck template`) on stdin, generates
// the Prometheus configuration for its ServiceMonitor with the operator's
// ConfigGenerator (pkg/prometheus, the code the operator runs), and applies
// the scrape job's relabel_configs, with Prometheus' relabeling code, to the
// labels Kubernetes endpoints discovery gives one ready endpoint of the
// chart's Service backed by a pod. It prints JSON: whether the target is
// kept, its job, namespace and scheme, and all its labels.
//
// deploy/helm_operator_test.go compares the job and namespace with the ones
// the chart's PrometheusRule selects. The operator's root module is served
// here only at v0.85.0 (the monitoringv1 types chartcheck decodes into are
// v0.95.2); its job labelling is the same in both.
package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"regexp"

	monitoringv1 "github.com/prometheus-operator/prometheus-operator/pkg/apis/monitoring/v1"
	"github.com/prometheus-operator/prometheus-operator/pkg/assets"
	"github.com/prometheus-operator/prometheus-operator/pkg/prometheus"
	"github.com/prometheus/prometheus/model/labels"
	"github.com/prometheus/prometheus/model/relabel"
	"gopkg.in/yaml.v2"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// result is what scrapejob prints.
type result struct {
	ScrapeJob string            `json:"scrapeJob"` // job_name of the scrape config
	Kept      bool              `json:"kept"`
	Job       string            `json:"job"`
	Namespace string            `json:"namespace"`
	Scheme    string            `json:"scheme"`
	Labels    map[string]string `json:"labels"`
}

func main() {
	if err := run(os.Stdin, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "scrapejob:", err)
		os.Exit(1)
	}
}

func run(in io.Reader, out io.Writer) error {
	var chart struct {
		Objects []struct {
			Kind   string          `json:"kind"`
			Object json.RawMessage `json:"object"`
		} `json:"objects"`
	}
	if err := json.NewDecoder(in).Decode(&chart); err != nil {
		return err
	}
	var sm *monitoringv1.ServiceMonitor
	var svc *corev1.Service
	for _, o := range chart.Objects {
		var err error
		switch o.Kind {
		case "ServiceMonitor":
			sm = &monitoringv1.ServiceMonitor{}
			err = json.Unmarshal(o.Object, sm)
		case "Service":
			svc = &corev1.Service{}
			err = json.Unmarshal(o.Object, svc)
		}
		if err != nil {
			return fmt.Errorf("%s: %w", o.Kind, err)
		}
	}
	if sm == nil || svc == nil {
		return fmt.Errorf("the chart renders no ServiceMonitor or no Service")
	}
	// A Prometheus that selects every ServiceMonitor; the API server would
	// default the intervals.
	p := &monitoringv1.Prometheus{ObjectMeta: metav1.ObjectMeta{Name: "k8s", Namespace: "monitoring"}}
	p.Spec.ScrapeInterval = "30s"
	p.Spec.EvaluationInterval = "30s"
	cg, err := prometheus.NewConfigGenerator(nil, p)
	if err != nil {
		return err
	}
	// The store resolves Secret references (basicAuth, tlsConfig); the job
	// labelling does not depend on them, so they are dropped here.
	sm = sm.DeepCopy()
	for i := range sm.Spec.Endpoints {
		sm.Spec.Endpoints[i].BasicAuth = nil
		sm.Spec.Endpoints[i].TLSConfig = nil
	}
	cfg, err := cg.GenerateServerConfiguration(p, map[string]*monitoringv1.ServiceMonitor{"chart": sm},
		nil, nil, nil, &assets.StoreBuilder{}, nil, nil, nil, nil)
	if err != nil {
		return err
	}
	// The operator's config reloader substitutes the shard number.
	cfg = bytes.ReplaceAll(cfg, []byte("$(SHARD)"), []byte("0"))
	var pc struct {
		ScrapeConfigs []struct {
			JobName        string            `yaml:"job_name"`
			Scheme         string            `yaml:"scheme"`
			MetricsPath    string            `yaml:"metrics_path"`
			RelabelConfigs []*relabel.Config `yaml:"relabel_configs"`
		} `yaml:"scrape_configs"`
	}
	if err := yaml.Unmarshal(cfg, &pc); err != nil {
		return fmt.Errorf("the generated configuration: %w", err)
	}
	if len(pc.ScrapeConfigs) != 1 {
		return fmt.Errorf("the generated configuration has %d scrape configs, want 1", len(pc.ScrapeConfigs))
	}
	sc := pc.ScrapeConfigs[0]
	for _, rc := range sc.RelabelConfigs {
		if err := rc.Validate(); err != nil {
			return fmt.Errorf("a generated relabel config: %w", err)
		}
	}
	lset, kept := relabel.Process(discovered(sc.JobName, sc.Scheme, sc.MetricsPath, svc), sc.RelabelConfigs...)
	r := result{ScrapeJob: sc.JobName, Kept: kept, Labels: lset.Map()}
	r.Job, r.Namespace, r.Scheme = lset.Get("job"), lset.Get("namespace"), lset.Get("__scheme__")
	enc := json.NewEncoder(out)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

var invalidLabelChar = regexp.MustCompile(`[^a-zA-Z0-9_]`)

// discovered returns the labels Prometheus' Kubernetes endpoints discovery
// gives one ready endpoint of the Service, on its port "http", backed by a
// pod (discovery/kubernetes/endpoints.go), with the scrape config's
// defaults (job, scheme, metrics path) that Prometheus sets before
// relabeling.
func discovered(job, scheme, path string, svc *corev1.Service) labels.Labels {
	b := labels.NewBuilder(labels.EmptyLabels())
	for k, v := range map[string]string{
		"__address__":      "10.0.0.1:10523",
		"__scheme__":       scheme,
		"__metrics_path__": path,
		"job":              job,

		"__meta_kubernetes_namespace":                    svc.Namespace,
		"__meta_kubernetes_endpoints_name":               svc.Name,
		"__meta_kubernetes_service_name":                 svc.Name,
		"__meta_kubernetes_endpoint_port_name":           "http",
		"__meta_kubernetes_endpoint_port_protocol":       "TCP",
		"__meta_kubernetes_endpoint_ready":               "true",
		"__meta_kubernetes_endpoint_address_target_kind": "Pod",
		"__meta_kubernetes_endpoint_address_target_name": "figures-exporter-0",
		"__meta_kubernetes_pod_name":                     "figures-exporter-0",
		"__meta_kubernetes_pod_phase":                    "Running",
		"__meta_kubernetes_pod_ready":                    "true",
		"__meta_kubernetes_pod_container_name":           "figures-exporter",
		"__meta_kubernetes_pod_container_port_name":      "http",
		"__meta_kubernetes_pod_container_port_number":    "10523",
		"__meta_kubernetes_pod_container_port_protocol":  "TCP",
		"__meta_kubernetes_pod_node_name":                "node-0",
		"__meta_kubernetes_pod_ip":                       "10.0.0.1",
		"__meta_kubernetes_pod_host_ip":                  "192.0.2.1",
		"__meta_kubernetes_pod_uid":                      "00000000-0000-0000-0000-000000000000",
		"__meta_kubernetes_pod_controller_kind":          "ReplicaSet",
		"__meta_kubernetes_pod_controller_name":          svc.Name + "-0",
		"__meta_kubernetes_endpoint_node_name":           "node-0",
		"__meta_kubernetes_pod_container_init":           "false",
		"__meta_kubernetes_pod_container_image":          "figures_exporter",
	} {
		b.Set(k, v)
	}
	for k, v := range svc.Labels {
		n := invalidLabelChar.ReplaceAllString(k, "_")
		b.Set("__meta_kubernetes_service_label_"+n, v)
		b.Set("__meta_kubernetes_service_labelpresent_"+n, "true")
	}
	for k, v := range svc.Annotations {
		n := invalidLabelChar.ReplaceAllString(k, "_")
		b.Set("__meta_kubernetes_service_annotation_"+n, v)
		b.Set("__meta_kubernetes_service_annotationpresent_"+n, "true")
	}
	return b.Labels()
}
