package deploy

// The Helm chart (deploy/helm/figures-exporter) is checked without a
// cluster: tools/helm's chartcheck lints it with the Helm SDK (`helm lint
// --strict`), renders it as `helm template` does and decodes every object
// strictly into its k8s.io/api or prometheus-operator Go type. These tests
// then check what the objects say: how the Deployment, Service,
// ServiceMonitor and ConfigMaps fit together, the pod's security settings,
// the PrometheusRule under the real promtool and its selectors under
// Prometheus' PromQL parser, and the rendered pod run for real (the
// exporter binary with the rendered arguments, on the ConfigMap laid out as
// the kubelet writes it).

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/figures-exporter/figures_exporter/internal/testtools"
)

// chartDir is the chart, relative to the repository root.
const chartDir = "deploy/helm/figures-exporter"

// chart is what `chartcheck template` prints.
type chart struct {
	Notes   string        `json:"notes"`
	Objects []chartObject `json:"objects"`
}

// chartObject is one rendered object (chartcheck also prints its template,
// apiVersion and namespace; the tests read them from the object itself).
type chartObject struct {
	Kind   string          `json:"kind"`
	Name   string          `json:"name"`
	Object json.RawMessage `json:"object"`
}

// The parts of the rendered objects the tests read. chartcheck has already
// decoded each strictly into its real Go type, so these may be partial.
type objectMeta struct {
	Name        string            `json:"name"`
	Namespace   string            `json:"namespace"`
	Labels      map[string]string `json:"labels"`
	Annotations map[string]string `json:"annotations"`
}

type deployment struct {
	Metadata objectMeta `json:"metadata"`
	Spec     struct {
		Replicas *int `json:"replicas"`
		Selector struct {
			MatchLabels map[string]string `json:"matchLabels"`
		} `json:"selector"`
		Template struct {
			Metadata objectMeta `json:"metadata"`
			Spec     podSpec    `json:"spec"`
		} `json:"template"`
	} `json:"spec"`
}

type podSpec struct {
	ServiceAccountName           string `json:"serviceAccountName"`
	AutomountServiceAccountToken *bool  `json:"automountServiceAccountToken"`
	SecurityContext              struct {
		RunAsNonRoot   *bool           `json:"runAsNonRoot"`
		RunAsUser      *int64          `json:"runAsUser"`
		SeccompProfile *seccompProfile `json:"seccompProfile"`
	} `json:"securityContext"`
	Containers []container `json:"containers"`
	Volumes    []volume    `json:"volumes"`
}

type seccompProfile struct {
	Type string `json:"type"`
}

type container struct {
	Name  string   `json:"name"`
	Image string   `json:"image"`
	Args  []string `json:"args"`
	Ports []struct {
		Name          string `json:"name"`
		ContainerPort int    `json:"containerPort"`
	} `json:"ports"`
	LivenessProbe   *probe `json:"livenessProbe"`
	ReadinessProbe  *probe `json:"readinessProbe"`
	SecurityContext *struct {
		AllowPrivilegeEscalation *bool `json:"allowPrivilegeEscalation"`
		ReadOnlyRootFilesystem   *bool `json:"readOnlyRootFilesystem"`
		Privileged               *bool `json:"privileged"`
		Capabilities             *struct {
			Add  []string `json:"add"`
			Drop []string `json:"drop"`
		} `json:"capabilities"`
		SeccompProfile *seccompProfile `json:"seccompProfile"`
	} `json:"securityContext"`
	Resources struct {
		Requests map[string]string `json:"requests"`
		Limits   map[string]string `json:"limits"`
	} `json:"resources"`
	VolumeMounts []struct {
		Name      string `json:"name"`
		MountPath string `json:"mountPath"`
		SubPath   string `json:"subPath"`
		ReadOnly  bool   `json:"readOnly"`
	} `json:"volumeMounts"`
}

type probe struct {
	HTTPGet *struct {
		Path   string `json:"path"`
		Port   any    `json:"port"`
		Scheme string `json:"scheme"`
	} `json:"httpGet"`
	TCPSocket *struct {
		Port any `json:"port"`
	} `json:"tcpSocket"`
}

type volume struct {
	Name      string `json:"name"`
	ConfigMap *struct {
		Name string `json:"name"`
	} `json:"configMap"`
	Secret *struct {
		SecretName string `json:"secretName"`
	} `json:"secret"`
}

type k8sService struct {
	Metadata objectMeta `json:"metadata"`
	Spec     struct {
		Selector map[string]string `json:"selector"`
		Ports    []struct {
			Name       string `json:"name"`
			Port       int    `json:"port"`
			TargetPort any    `json:"targetPort"`
		} `json:"ports"`
	} `json:"spec"`
}

type configMap struct {
	Metadata   objectMeta        `json:"metadata"`
	Data       map[string]string `json:"data"`
	StringData map[string]string `json:"stringData"` // Secrets
}

type serviceMonitor struct {
	Metadata objectMeta `json:"metadata"`
	Spec     struct {
		JobLabel string `json:"jobLabel"`
		Selector struct {
			MatchLabels map[string]string `json:"matchLabels"`
		} `json:"selector"`
		NamespaceSelector struct {
			MatchNames []string `json:"matchNames"`
		} `json:"namespaceSelector"`
		Endpoints []struct {
			Port      string          `json:"port"`
			Path      string          `json:"path"`
			Scheme    string          `json:"scheme"`
			Interval  string          `json:"interval"`
			TLSConfig json.RawMessage `json:"tlsConfig"`
			BasicAuth json.RawMessage `json:"basicAuth"`
		} `json:"endpoints"`
	} `json:"spec"`
}

type prometheusRule struct {
	Metadata objectMeta `json:"metadata"`
	Spec     struct {
		Groups []struct {
			Name  string `json:"name"`
			Rules []struct {
				Record      string            `json:"record"`
				Alert       string            `json:"alert"`
				Labels      map[string]string `json:"labels"`
				Annotations map[string]string `json:"annotations"`
			} `json:"rules"`
		} `json:"groups"`
	} `json:"spec"`
}

// chartcheck runs tools/helm's chartcheck.
func chartcheck(t *testing.T, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	cmd := exec.Command(testtools.Tool(t, "chartcheck"), args...)
	cmd.Dir = testtools.RepoRoot(t)
	var o, e bytes.Buffer
	cmd.Stdout, cmd.Stderr = &o, &e
	err = cmd.Run()
	return o.String(), e.String(), err
}

// valueFlags returns -f flags for value sets: a path under the chart (a ci/
// file) or YAML text, written to the test's temporary directory.
func valueFlags(t *testing.T, sets []string) []string {
	t.Helper()
	var flags []string
	for i, v := range sets {
		if !strings.Contains(v, "\n") && strings.HasSuffix(v, ".yaml") {
			flags = append(flags, "-f", filepath.Join(chartDir, v))
			continue
		}
		f := filepath.Join(t.TempDir(), fmt.Sprintf("values-%d.yaml", i))
		if err := os.WriteFile(f, []byte(v), 0o644); err != nil {
			t.Fatal(err)
		}
		flags = append(flags, "-f", f)
	}
	return flags
}

// render renders the chart with the value sets, as release in namespace.
func render(t *testing.T, release, namespace string, sets ...string) chart {
	t.Helper()
	args := append([]string{"template", "-release", release, "-namespace", namespace}, valueFlags(t, sets)...)
	stdout, stderr, err := chartcheck(t, append(args, chartDir)...)
	if err != nil {
		t.Fatalf("chartcheck %s: %v\n%s", strings.Join(args, " "), err, stderr)
	}
	var c chart
	if err := json.Unmarshal([]byte(stdout), &c); err != nil {
		t.Fatalf("decoding chartcheck's output: %v", err)
	}
	return c
}

// all decodes every object of a kind.
func all[T any](t *testing.T, c chart, kind string) []T {
	t.Helper()
	var out []T
	for _, o := range c.Objects {
		if o.Kind != kind {
			continue
		}
		var v T
		if err := json.Unmarshal(o.Object, &v); err != nil {
			t.Fatalf("%s %s: %v", kind, o.Name, err)
		}
		out = append(out, v)
	}
	return out
}

// one decodes the only object of a kind.
func one[T any](t *testing.T, c chart, kind string) T {
	t.Helper()
	objs := all[T](t, c, kind)
	if len(objs) != 1 {
		t.Fatalf("want one %s, the chart renders %d (%s)", kind, len(objs), c.kinds())
	}
	return objs[0]
}

func (c chart) kinds() string {
	var ks []string
	for _, o := range c.Objects {
		ks = append(ks, o.Kind+"/"+o.Name)
	}
	return strings.Join(ks, ", ")
}

func (c chart) count(kind string) int {
	n := 0
	for _, o := range c.Objects {
		if o.Kind == kind {
			n++
		}
	}
	return n
}

// subset says whether every label of sub is in set with the same value.
func subset(sub, set map[string]string) bool {
	if len(sub) == 0 {
		return false
	}
	for k, v := range sub {
		if set[k] != v {
			return false
		}
	}
	return true
}

// chartCase is one set of values and what the rendered chart must say.
type chartCase struct {
	name      string
	release   string
	namespace string
	values    []string
	// Service name and namespace, and the job Prometheus gives the
	// scraped series.
	service, serviceNS, job string
	// figuresConfigMap is the ConfigMap the pod mounts ("": none, the
	// exporter serves its embedded dataset); figuresFiles the keys the
	// chart's own figures ConfigMap holds (nil: the chart creates none).
	figuresConfigMap string
	figuresFiles     []string
	scheme           string // of the probes and the scrape
	tcpProbes        bool   // basic auth: the probes check the port
	serviceMonitor   bool
	rules            bool
	dashboards       int
	ruleLabels       map[string]string // prometheusRule.additionalRuleLabels
	groupLabels      map[string]string // prometheusRule.additionalGroupLabels
	args             []string          // further arguments the container must get
	// externalURL, prometheusURL and prometheusRule.dashboardURL ("":
	// unset, so no flag and no link).
	externalURL, prometheusURL, dashboardURL string
	check                                    func(t *testing.T, c chart)
}

// splitFigures returns the repository's figures.yaml as two files, the
// families and sources, then the figures: a dataset in several files, as a
// user might keep it.
func splitFigures(t *testing.T) (head, figs string) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(testtools.RepoRoot(t), "figures.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	i := bytes.Index(data, []byte("\nfigures:\n"))
	if i < 0 {
		t.Fatal("figures.yaml has no top-level figures key")
	}
	return string(data[:i+1]), string(data[i+1:])
}

// userFilesValues puts the split dataset in figures.files.
func userFilesValues(t *testing.T) string {
	t.Helper()
	head, figs := splitFigures(t)
	v, err := json.Marshal(map[string]any{"figures": map[string]any{"files": map[string]string{
		"10-sources.yaml": head, "20-figures.yml": figs,
	}}})
	if err != nil {
		t.Fatal(err)
	}
	// JSON is YAML; the newline makes valueFlags take it as text.
	return string(v) + "\n"
}

func chartCases(t *testing.T) []chartCase {
	return []chartCase{
		{
			name: "defaults", release: "threat", namespace: "intel",
			service: "threat-figures-exporter", serviceNS: "intel", job: "threat-figures-exporter",
			figuresConfigMap: "threat-figures-exporter-figures", figuresFiles: []string{"figures.yaml"},
			scheme: "http",
		},
		{
			name: "ServiceMonitor, PrometheusRule, dashboards and PDB", release: "figures-exporter", namespace: "intel",
			values:  []string{"ci/monitoring-values.yaml"},
			service: "figures-exporter", serviceNS: "intel", job: "figures-exporter",
			figuresConfigMap: "figures-exporter-figures", figuresFiles: []string{"figures.yaml"},
			scheme: "http", serviceMonitor: true, rules: true, dashboards: 2,
			ruleLabels: map[string]string{"team": "threat-intel"}, groupLabels: map[string]string{"pack": "figures"},
			externalURL: "https://figures.example.com/", prometheusURL: "http://prometheus-operated.monitoring.svc:9090",
			dashboardURL: "https://grafana.example.com/d/figures-threat",
			args:         []string{"--web.external-url=https://figures.example.com/", "--web.prometheus-url=http://prometheus-operated.monitoring.svc:9090"},
			check: func(t *testing.T, c chart) {
				sm := one[serviceMonitor](t, c, "ServiceMonitor")
				if sm.Metadata.Namespace != "monitoring" || sm.Metadata.Labels["release"] != "kube-prometheus-stack" {
					t.Errorf("ServiceMonitor in %s with labels %v, want namespace monitoring and release=kube-prometheus-stack", sm.Metadata.Namespace, sm.Metadata.Labels)
				}
				if ep := sm.Spec.Endpoints[0]; ep.Interval != "15s" {
					t.Errorf("scrape interval %q, want 15s", ep.Interval)
				}
				pr := one[prometheusRule](t, c, "PrometheusRule")
				if pr.Metadata.Labels["release"] != "kube-prometheus-stack" {
					t.Errorf("PrometheusRule labels %v lack release=kube-prometheus-stack", pr.Metadata.Labels)
				}
				alerts := 0
				for _, g := range pr.Spec.Groups {
					for _, r := range g.Rules {
						switch {
						case r.Alert != "":
							alerts++
							if r.Labels["team"] != "threat-intel" || r.Labels["severity"] == "" {
								t.Errorf("alert %s has labels %v, want team=threat-intel added and its severity kept", r.Alert, r.Labels)
							}
						case r.Labels["team"] != "":
							t.Errorf("recording rule %s got the alert labels %v", r.Record, r.Labels)
						}
					}
				}
				if alerts == 0 {
					t.Error("the PrometheusRule has no alerts")
				}
				// The digest's links, as the mixin writes them with
				// exporterExternalURL (its trailing slash dropped) and
				// dashboardURL: on every figure line (added, changed,
				// revised) and on a last line.
				desc := digestDescription(t, pr)
				if n := strings.Count(desc, " Figure page: https://figures.example.com/figures/{{ $id }}"); n != 3 {
					t.Errorf("FiguresDatasetRevised's description has %d figure-page links to https://figures.example.com/figures/{{ $id }}, want 3 (added, changed and revised figures):\n%s", n, desc)
				}
				if want := `{{ "\n" }}Dashboard: https://grafana.example.com/d/figures-threat{{ "" -}}` + "\n"; !strings.HasSuffix(desc, want) {
					t.Errorf("FiguresDatasetRevised's description does not end with the dashboard line %q:\n%s", want, desc)
				}
				pdb := one[struct {
					Spec struct {
						MinAvailable any `json:"minAvailable"`
						Selector     struct {
							MatchLabels map[string]string `json:"matchLabels"`
						} `json:"selector"`
					} `json:"spec"`
				}](t, c, "PodDisruptionBudget")
				d := one[deployment](t, c, "Deployment")
				if pdb.Spec.MinAvailable != float64(1) || !subset(pdb.Spec.Selector.MatchLabels, d.Spec.Template.Metadata.Labels) {
					t.Errorf("PodDisruptionBudget minAvailable %v selector %v, want 1 and the pods' labels", pdb.Spec.MinAvailable, pdb.Spec.Selector.MatchLabels)
				}
				if d.Spec.Replicas == nil || *d.Spec.Replicas != 2 {
					t.Errorf("replicas %v, want 2", d.Spec.Replicas)
				}
			},
		},
		{
			name: "TLS web config", release: "figures", namespace: "threat",
			values:  []string{"ci/tls-values.yaml"},
			service: "figures-figures-exporter", serviceNS: "threat", job: "figures-figures-exporter",
			figuresConfigMap: "figures-figures-exporter-figures", figuresFiles: []string{"figures.yaml"},
			scheme: "https", serviceMonitor: true,
			args: []string{"--web.config.file=/etc/figures-exporter/web/web-config.yml"},
			check: func(t *testing.T, c chart) {
				sm := one[serviceMonitor](t, c, "ServiceMonitor")
				var tls struct {
					ServerName string `json:"serverName"`
					CA         struct {
						Secret struct {
							Name string `json:"name"`
						} `json:"secret"`
					} `json:"ca"`
				}
				if err := json.Unmarshal(sm.Spec.Endpoints[0].TLSConfig, &tls); err != nil || tls.CA.Secret.Name != "figures-exporter-tls" || tls.ServerName == "" {
					t.Errorf("ServiceMonitor tlsConfig %s: want the CA from Secret figures-exporter-tls and a serverName (%v)", sm.Spec.Endpoints[0].TLSConfig, err)
				}
				s := one[configMap](t, c, "Secret")
				if !strings.Contains(s.StringData["web-config.yml"], "cert_file: /etc/figures-exporter/tls/tls.crt") {
					t.Errorf("web config Secret holds %q", s.StringData["web-config.yml"])
				}
				d := one[deployment](t, c, "Deployment")
				if !mounted(d, "tls", "/etc/figures-exporter/tls") || !mounted(d, "web-config", "/etc/figures-exporter/web") {
					t.Error("the TLS certificate or the web config Secret is not mounted")
				}
			},
		},
		{
			name: "basic auth", release: "figures", namespace: "threat",
			values:  []string{"ci/basic-auth-values.yaml"},
			service: "figures-figures-exporter", serviceNS: "threat", job: "figures-figures-exporter",
			figuresConfigMap: "figures-figures-exporter-figures", figuresFiles: []string{"figures.yaml"},
			scheme: "http", tcpProbes: true, serviceMonitor: true,
			args: []string{"--web.config.file=/etc/figures-exporter/web/web-config.yml"},
			check: func(t *testing.T, c chart) {
				sm := one[serviceMonitor](t, c, "ServiceMonitor")
				if !strings.Contains(string(sm.Spec.Endpoints[0].BasicAuth), "figures-exporter-scrape") {
					t.Errorf("ServiceMonitor basicAuth %s, want the credentials of Secret figures-exporter-scrape", sm.Spec.Endpoints[0].BasicAuth)
				}
				if !strings.Contains(c.Notes, "probes only check that the port") {
					t.Errorf("NOTES.txt does not say the probes check the port:\n%s", c.Notes)
				}
			},
		},
		{
			name: "existing ConfigMap", release: "figures", namespace: "threat",
			values:  []string{"ci/existing-configmap-values.yaml"},
			service: "figures-figures-exporter", serviceNS: "threat", job: "figures-figures-exporter",
			figuresConfigMap: "threat-figures", scheme: "http",
			args: []string{"--figures.reload-schedule=@every 1h", "--web.enable-lifecycle"},
			check: func(t *testing.T, c chart) {
				if n := c.count("ServiceAccount"); n != 0 {
					t.Errorf("serviceAccount.create is false, the chart renders %d ServiceAccounts", n)
				}
				if sa := one[deployment](t, c, "Deployment").Spec.Template.Spec.ServiceAccountName; sa != "default" {
					t.Errorf("pods run as ServiceAccount %q, want default", sa)
				}
			},
		},
		{
			name: "the dataset embedded in the image", release: "figures", namespace: "threat",
			values:  []string{"figures: {embedded: true}\n"},
			service: "figures-figures-exporter", serviceNS: "threat", job: "figures-figures-exporter",
			scheme: "http",
		},
		{
			name: "job from a Service label", release: "figures", namespace: "threat",
			values:  []string{"ci/job-label-values.yaml"},
			service: "figures-figures-exporter", serviceNS: "threat", job: "threat-figures",
			figuresConfigMap: "figures-figures-exporter-figures", figuresFiles: []string{"figures.yaml"},
			scheme: "http", serviceMonitor: true, rules: true,
			check: func(t *testing.T, c chart) {
				desc := digestDescription(t, one[prometheusRule](t, c, "PrometheusRule"))
				if strings.Contains(desc, "Figure page") || strings.Contains(desc, "Dashboard:") {
					t.Errorf("without externalURL and dashboardURL, FiguresDatasetRevised's description has link text:\n%s", desc)
				}
			},
		},
		{
			name: "overridden names and namespace, the user's files", release: "figures", namespace: "default",
			values:  []string{"fullnameOverride: figs\nnamespaceOverride: osint\nserviceMonitor: {enabled: true}\nprometheusRule: {enabled: true, namespace: monitoring}\n", userFilesValues(t)},
			service: "figs", serviceNS: "osint", job: "figs",
			figuresConfigMap: "figs-figures", figuresFiles: []string{"10-sources.yaml", "20-figures.yml"},
			scheme: "http", serviceMonitor: true, rules: true,
			check: func(t *testing.T, c chart) {
				if pr := one[prometheusRule](t, c, "PrometheusRule"); pr.Metadata.Namespace != "monitoring" {
					t.Errorf("PrometheusRule in %s, want monitoring", pr.Metadata.Namespace)
				}
			},
		},
	}
}

// mixinRules renders the mixin's rules as a user would for a release
// (mixin/render.jsonnet with the chart's settings: the release's job and
// namespace as the selector, the group labels cluster, namespace and job,
// and the release's links) and returns the recording and alerting groups
// as one decoded document, the shape of a PrometheusRule's spec.
func mixinRules(t *testing.T, tc chartCase) any {
	t.Helper()
	quote := func(s string) string {
		b, err := json.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	config := fmt.Sprintf("{figuresExporterSelector: %s, groupLabels: ['cluster', 'namespace', 'job'], exporterExternalURL: %s, dashboardURL: %s}",
		quote(fmt.Sprintf("job=%q, namespace=%q", tc.job, tc.serviceNS)), quote(tc.externalURL), quote(tc.dashboardURL))
	dir := t.TempDir()
	cmd := exec.Command(testtools.Tool(t, "jsonnet"), "-S", "-c", "-m", dir, "--tla-code", "config="+config, filepath.Join("mixin", "render.jsonnet"))
	cmd.Dir = testtools.RepoRoot(t)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("rendering the mixin with %s: %v\n%s", config, err, out)
	}
	var groups []any
	for _, f := range []string{"figures.rules.yml", "figures.alerts.yml"} {
		var doc struct {
			Groups []any `yaml:"groups"`
		}
		testtools.ReadYAML(t, filepath.Join(dir, "rules", f), &doc)
		groups = append(groups, doc.Groups...)
	}
	return map[string]any{"groups": groups}
}

// digestDescription returns FiguresDatasetRevised's description.
func digestDescription(t *testing.T, pr prometheusRule) string {
	t.Helper()
	for _, g := range pr.Spec.Groups {
		for _, r := range g.Rules {
			if r.Alert == "FiguresDatasetRevised" {
				return r.Annotations["description"]
			}
		}
	}
	t.Fatal("the PrometheusRule has no FiguresDatasetRevised")
	return ""
}

// firstDiff describes the first place where two decoded JSON documents
// differ, or returns "".
func firstDiff(want, got any, path string) string {
	switch w := want.(type) {
	case map[string]any:
		g, ok := got.(map[string]any)
		if !ok {
			return fmt.Sprintf("%s: want an object, got %v", path, got)
		}
		keys := make([]string, 0, len(w)+len(g))
		for k := range w {
			keys = append(keys, k)
		}
		for k := range g {
			if _, ok := w[k]; !ok {
				keys = append(keys, k)
			}
		}
		slices.Sort(keys)
		for _, k := range keys {
			if d := firstDiff(w[k], g[k], path+"."+k); d != "" {
				return d
			}
		}
		return ""
	case []any:
		g, ok := got.([]any)
		if !ok || len(g) != len(w) {
			return fmt.Sprintf("%s: want %d items, got %v", path, len(w), got)
		}
		for i := range w {
			if d := firstDiff(w[i], g[i], fmt.Sprintf("%s[%d]", path, i)); d != "" {
				return d
			}
		}
		return ""
	}
	// Scalars: compare as JSON, so that YAML's ints equal JSON's floats.
	wj, _ := json.Marshal(want)
	gj, _ := json.Marshal(got)
	if !bytes.Equal(wj, gj) {
		return fmt.Sprintf("%s: want %s, got %s", path, wj, gj)
	}
	return ""
}

func mounted(d deployment, vol, path string) bool {
	for _, c := range d.Spec.Template.Spec.Containers {
		for _, m := range c.VolumeMounts {
			if m.Name == vol && m.MountPath == path && m.ReadOnly {
				return true
			}
		}
	}
	return false
}

// TestHelmChartLint runs `helm lint --strict` (the SDK's action.Lint with
// Strict: warnings fail) with each value set of the tests.
func TestHelmChartLint(t *testing.T) {
	t.Parallel()
	for _, tc := range chartCases(t) {
		t.Run(tc.name, func(t *testing.T) {
			args := append([]string{"lint", "-namespace", tc.namespace}, valueFlags(t, tc.values)...)
			stdout, stderr, err := chartcheck(t, append(args, chartDir)...)
			if err != nil {
				t.Fatalf("helm lint --strict fails: %v\n%s%s", err, stdout, stderr)
			}
		})
	}
}

// TestHelmChartRender renders the chart with each value set and checks the
// objects against each other and against what the exporter and the
// Prometheus Operator do with them.
func TestHelmChartRender(t *testing.T) {
	t.Parallel()
	for _, tc := range chartCases(t) {
		t.Run(tc.name, func(t *testing.T) {
			c := render(t, tc.release, tc.namespace, tc.values...)
			if strings.Contains(c.Notes, "__FIGURES_") {
				t.Errorf("NOTES.txt holds a placeholder of the chart's files:\n%s", c.Notes)
			}
			for _, o := range c.Objects {
				if i := bytes.Index(o.Object, []byte("__FIGURES_")); i >= 0 {
					t.Errorf("%s %s holds a placeholder of the chart's files: …%s…", o.Kind, o.Name, o.Object[max(0, i-80):min(len(o.Object), i+60)])
				}
				var m struct {
					Metadata objectMeta `json:"metadata"`
				}
				if err := json.Unmarshal(o.Object, &m); err != nil {
					t.Fatal(err)
				}
				if m.Metadata.Labels["app.kubernetes.io/instance"] != tc.release || m.Metadata.Labels["app.kubernetes.io/managed-by"] != "Helm" {
					t.Errorf("%s %s lacks the chart's common labels: %v", o.Kind, o.Name, m.Metadata.Labels)
				}
			}
			d := one[deployment](t, c, "Deployment")
			checkPod(t, tc, d)
			svc := checkService(t, tc, c, d)
			checkFigures(t, tc, c, d)
			if n := c.count("ServiceMonitor"); (n == 1) != tc.serviceMonitor || n > 1 {
				t.Errorf("%d ServiceMonitors rendered, want serviceMonitor=%v", n, tc.serviceMonitor)
			}
			if tc.serviceMonitor {
				checkServiceMonitor(t, tc, c, svc)
			}
			if n := c.count("PrometheusRule"); (n == 1) != tc.rules || n > 1 {
				t.Errorf("%d PrometheusRules rendered, want prometheusRule=%v", n, tc.rules)
			}
			if tc.rules {
				checkRules(t, tc, one[struct {
					Spec json.RawMessage `json:"spec"`
				}](t, c, "PrometheusRule").Spec)
			}
			checkDashboards(t, tc, c)
			if tc.check != nil {
				tc.check(t, c)
			}
		})
	}
}

// checkPod checks the exporter container: security, probes, resources and
// arguments.
func checkPod(t *testing.T, tc chartCase, d deployment) {
	t.Helper()
	pod := d.Spec.Template.Spec
	if !subset(d.Spec.Selector.MatchLabels, d.Spec.Template.Metadata.Labels) {
		t.Errorf("Deployment selector %v does not select its pods %v", d.Spec.Selector.MatchLabels, d.Spec.Template.Metadata.Labels)
	}
	psc := pod.SecurityContext
	if psc.RunAsNonRoot == nil || !*psc.RunAsNonRoot || psc.RunAsUser == nil || *psc.RunAsUser == 0 ||
		psc.SeccompProfile == nil || psc.SeccompProfile.Type != "RuntimeDefault" {
		t.Errorf("pod securityContext %+v: want runAsNonRoot, a non-zero runAsUser and seccompProfile RuntimeDefault", psc)
	}
	if pod.AutomountServiceAccountToken == nil || *pod.AutomountServiceAccountToken {
		t.Error("the pod mounts a ServiceAccount token; the exporter never calls the Kubernetes API")
	}
	if len(pod.Containers) != 1 {
		t.Fatalf("%d containers, want 1", len(pod.Containers))
	}
	ct := pod.Containers[0]
	sc := ct.SecurityContext
	switch {
	case sc == nil:
		t.Fatal("the container has no securityContext")
	case sc.AllowPrivilegeEscalation == nil || *sc.AllowPrivilegeEscalation:
		t.Error("allowPrivilegeEscalation is not false")
	case sc.ReadOnlyRootFilesystem == nil || !*sc.ReadOnlyRootFilesystem:
		t.Error("readOnlyRootFilesystem is not true")
	case sc.Privileged != nil && *sc.Privileged:
		t.Error("the container is privileged")
	case sc.Capabilities == nil || !slices.Equal(sc.Capabilities.Drop, []string{"ALL"}) || len(sc.Capabilities.Add) > 0:
		t.Errorf("capabilities %+v, want drop [ALL] and nothing added", sc.Capabilities)
	case sc.SeccompProfile == nil || sc.SeccompProfile.Type != "RuntimeDefault":
		t.Error("the container's seccompProfile is not RuntimeDefault")
	}
	if ct.Resources.Requests["cpu"] == "" || ct.Resources.Requests["memory"] == "" || ct.Resources.Limits["memory"] == "" {
		t.Errorf("resources %+v: want cpu and memory requests and a memory limit", ct.Resources)
	}
	if !strings.HasPrefix(ct.Image, "figures_exporter:") {
		t.Errorf("image %q, want the Dockerfile's figures_exporter", ct.Image)
	}
	if len(ct.Ports) != 1 || ct.Ports[0].Name != "http" || ct.Ports[0].ContainerPort != 10523 {
		t.Errorf("ports %+v, want http on 10523 (the exporter's default listen address)", ct.Ports)
	}
	for _, p := range []struct {
		name string
		pr   *probe
		path string
	}{{"liveness", ct.LivenessProbe, "/-/healthy"}, {"readiness", ct.ReadinessProbe, "/-/ready"}} {
		switch {
		case p.pr == nil:
			t.Errorf("no %s probe", p.name)
		case tc.tcpProbes:
			if p.pr.TCPSocket == nil || p.pr.TCPSocket.Port != "http" || p.pr.HTTPGet != nil {
				t.Errorf("%s probe %+v: behind basic auth, want a TCP check of port http", p.name, p.pr)
			}
		case p.pr.HTTPGet == nil || p.pr.HTTPGet.Path != p.path || p.pr.HTTPGet.Port != "http" || p.pr.HTTPGet.Scheme != strings.ToUpper(tc.scheme):
			t.Errorf("%s probe %+v, want GET %s on port http over %s", p.name, p.pr.HTTPGet, p.path, tc.scheme)
		}
	}
	for _, a := range tc.args {
		if !slices.Contains(ct.Args, a) {
			t.Errorf("args %q lack %q", ct.Args, a)
		}
	}
	if (tc.scheme == "https" || tc.tcpProbes) != slices.ContainsFunc(ct.Args, func(a string) bool { return strings.HasPrefix(a, "--web.config.file=") }) {
		t.Errorf("args %q: --web.config.file must be given exactly when webConfig is", ct.Args)
	}
	for _, f := range []struct{ flag, value string }{{"--web.external-url", tc.externalURL}, {"--web.prometheus-url", tc.prometheusURL}} {
		var got []string
		for _, a := range ct.Args {
			if v, ok := strings.CutPrefix(a, f.flag+"="); ok {
				got = append(got, v)
			}
		}
		if want := []string{f.value}; f.value == "" && len(got) > 0 || f.value != "" && !slices.Equal(got, want) {
			t.Errorf("args %q: want %s=%q exactly once, or no %s when the value is empty", ct.Args, f.flag, f.value, f.flag)
		}
	}
}

// checkService checks that the Service selects the pods on the container's
// port and returns it.
func checkService(t *testing.T, tc chartCase, c chart, d deployment) k8sService {
	t.Helper()
	svc := one[k8sService](t, c, "Service")
	if svc.Metadata.Name != tc.service || svc.Metadata.Namespace != tc.serviceNS {
		t.Errorf("Service %s/%s, want %s/%s", svc.Metadata.Namespace, svc.Metadata.Name, tc.serviceNS, tc.service)
	}
	if d.Metadata.Namespace != tc.serviceNS {
		t.Errorf("Deployment in %s, Service in %s", d.Metadata.Namespace, tc.serviceNS)
	}
	if !subset(svc.Spec.Selector, d.Spec.Template.Metadata.Labels) {
		t.Errorf("Service selector %v does not select the pods %v", svc.Spec.Selector, d.Spec.Template.Metadata.Labels)
	}
	if len(svc.Spec.Ports) != 1 || svc.Spec.Ports[0].Name != "http" || svc.Spec.Ports[0].TargetPort != "http" {
		t.Errorf("Service ports %+v, want one named http to the container port http", svc.Spec.Ports)
	}
	return svc
}

// checkFigures checks that the exporter reads the directory the figures
// ConfigMap is mounted at (a subPath mount would never see an update) and
// what the chart's ConfigMap holds.
func checkFigures(t *testing.T, tc chartCase, c chart, d deployment) {
	t.Helper()
	ct := d.Spec.Template.Spec.Containers[0]
	if tc.figuresConfigMap == "" {
		if slices.ContainsFunc(ct.Args, func(a string) bool { return strings.HasPrefix(a, "--figures.file") }) {
			t.Errorf("args %q: the embedded dataset needs no --figures.file", ct.Args)
		}
		if n := len(d.Spec.Template.Spec.Volumes); n != 0 || c.count("ConfigMap") != 0 {
			t.Errorf("the embedded dataset needs no ConfigMap: %d volumes, %s", n, c.kinds())
		}
		return
	}
	var vol *volume
	for i, v := range d.Spec.Template.Spec.Volumes {
		if v.ConfigMap != nil && v.ConfigMap.Name == tc.figuresConfigMap {
			vol = &d.Spec.Template.Spec.Volumes[i]
		}
	}
	if vol == nil {
		t.Fatalf("no volume of ConfigMap %s in %+v", tc.figuresConfigMap, d.Spec.Template.Spec.Volumes)
	}
	var dirs []string
	for _, m := range ct.VolumeMounts {
		if m.Name == vol.Name {
			if m.SubPath != "" {
				t.Errorf("the figures ConfigMap is mounted with subPath %q: the kubelet never updates such a mount", m.SubPath)
			}
			dirs = append(dirs, m.MountPath)
		}
	}
	var files []string
	for _, a := range ct.Args {
		if f, ok := strings.CutPrefix(a, "--figures.file="); ok {
			files = append(files, f)
		}
	}
	if len(dirs) != 1 || !slices.Equal(files, dirs) {
		t.Errorf("--figures.file %q, the figures ConfigMap mounted at %q: want the one mounted directory", files, dirs)
	}
	var own []configMap
	for _, cm := range all[configMap](t, c, "ConfigMap") {
		if cm.Metadata.Name == tc.figuresConfigMap {
			own = append(own, cm)
		}
	}
	if tc.figuresFiles == nil {
		if len(own) != 0 {
			t.Errorf("the chart renders ConfigMap %s, which the user's values say exists", tc.figuresConfigMap)
		}
		return
	}
	if len(own) != 1 {
		t.Fatalf("the chart renders %d ConfigMaps named %s, want 1", len(own), tc.figuresConfigMap)
	}
	var keys []string
	for k := range own[0].Data {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	if !slices.Equal(keys, tc.figuresFiles) {
		t.Errorf("figures ConfigMap keys %q, want %q", keys, tc.figuresFiles)
	}
}

// checkServiceMonitor checks that the ServiceMonitor selects the Service
// and its port, and that the job the Prometheus Operator will give the
// targets is the one the chart's rules select. The operator sets job to the
// Service's name, then to the value of the Service label named by jobLabel
// when it has one (pkg/prometheus/promcfg.go, generateServiceMonitorConfig).
func checkServiceMonitor(t *testing.T, tc chartCase, c chart, svc k8sService) {
	t.Helper()
	sm := one[serviceMonitor](t, c, "ServiceMonitor")
	if !subset(sm.Spec.Selector.MatchLabels, svc.Metadata.Labels) {
		t.Errorf("ServiceMonitor selector %v does not select the Service (labels %v)", sm.Spec.Selector.MatchLabels, svc.Metadata.Labels)
	}
	if !slices.Equal(sm.Spec.NamespaceSelector.MatchNames, []string{svc.Metadata.Namespace}) {
		t.Errorf("ServiceMonitor namespaces %q, want the Service's %q", sm.Spec.NamespaceSelector.MatchNames, svc.Metadata.Namespace)
	}
	if len(sm.Spec.Endpoints) != 1 {
		t.Fatalf("%d endpoints, want 1", len(sm.Spec.Endpoints))
	}
	ep := sm.Spec.Endpoints[0]
	if ep.Port != svc.Spec.Ports[0].Name || ep.Path != "/metrics" || ep.Scheme != tc.scheme {
		t.Errorf("endpoint port %q path %q scheme %q, want the Service's port %q, /metrics, %s", ep.Port, ep.Path, ep.Scheme, svc.Spec.Ports[0].Name, tc.scheme)
	}
	job := svc.Metadata.Name
	if v := svc.Metadata.Labels[sm.Spec.JobLabel]; sm.Spec.JobLabel != "" && v != "" {
		job = v
	}
	if job != tc.job {
		t.Errorf("Prometheus will scrape the exporter as job %q, want %q", job, tc.job)
	}
	if want := fmt.Sprintf("job=%q, namespace=%q", tc.job, tc.serviceNS); !strings.Contains(c.Notes, want) {
		t.Errorf("NOTES.txt does not name the scrape job (%s):\n%s", want, c.Notes)
	}
}

// checkRules runs the real promtool on the PrometheusRule's spec (the same
// shape as a rule file) and checks with Prometheus' PromQL parser that the
// expressions select the chart's job and namespace.
func checkRules(t *testing.T, tc chartCase, spec json.RawMessage) {
	t.Helper()
	if bytes.Contains(spec, []byte("__FIGURES_")) {
		t.Error("a placeholder of files/rules.yaml is left in the PrometheusRule")
	}
	// The spec is the mixin's own rendering (mixin/render.jsonnet) for
	// the release's job and namespace, the chart's group labels and the
	// release's links (none when the values are empty), with the added
	// labels on the alerts: nothing else changed, nothing dropped, no
	// link text left from files/rules.yaml's placeholders.
	want := mixinRules(t, tc)
	for _, g := range want.(map[string]any)["groups"].([]any) {
		group := g.(map[string]any)
		if len(tc.groupLabels) > 0 {
			labels := map[string]any{}
			for k, v := range tc.groupLabels {
				labels[k] = v
			}
			group["labels"] = labels
		}
		for _, r := range group["rules"].([]any) {
			rule := r.(map[string]any)
			if _, ok := rule["alert"]; !ok || len(tc.ruleLabels) == 0 {
				continue
			}
			labels, _ := rule["labels"].(map[string]any)
			if labels == nil {
				labels = map[string]any{}
			}
			for k, v := range tc.ruleLabels {
				if _, own := labels[k]; !own {
					labels[k] = v
				}
			}
			rule["labels"] = labels
		}
	}
	var got any
	if err := json.Unmarshal(spec, &got); err != nil {
		t.Fatal(err)
	}
	if diff := firstDiff(want, got, "spec"); diff != "" {
		t.Errorf("the PrometheusRule's spec is not the mixin's rules for job %q, namespace %q, exporterExternalURL %q and dashboardURL %q: %s", tc.job, tc.serviceNS, tc.externalURL, tc.dashboardURL, diff)
	}
	file := filepath.Join(t.TempDir(), "rules.json")
	if err := os.WriteFile(file, spec, 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(testtools.Tool(t, "promtool"), "check", "rules", file).CombinedOutput(); err != nil {
		t.Errorf("promtool check rules fails on the PrometheusRule's spec: %v\n%s", err, out)
	}
	stdout, stderr, err := chartcheck(t, "selectors", "-strict", "-job", tc.job, "-namespace", tc.serviceNS, file)
	if err != nil {
		t.Errorf("a rule reads series of other jobs or namespaces: %v\n%s", err, stderr)
	}
	t.Log(strings.TrimSpace(stdout[strings.LastIndex(strings.TrimSpace(stdout), "\n")+1:]))
	// The check itself must see a wrong job.
	if _, _, err := chartcheck(t, "selectors", "-job", tc.job+"-other", "-namespace", tc.serviceNS, file); err == nil {
		t.Error("chartcheck selectors accepts the rules for another job")
	}
}

// checkDashboards checks the dashboard ConfigMaps: labelled for the
// Grafana sidecar, one per dashboard of files/dashboards, each holding the
// dashboard as valid JSON.
func checkDashboards(t *testing.T, tc chartCase, c chart) {
	t.Helper()
	var dash []configMap
	for _, cm := range all[configMap](t, c, "ConfigMap") {
		if cm.Metadata.Name != tc.figuresConfigMap {
			dash = append(dash, cm)
		}
	}
	if len(dash) != tc.dashboards {
		t.Fatalf("%d dashboard ConfigMaps, want %d", len(dash), tc.dashboards)
	}
	if tc.dashboards == 0 {
		return
	}
	files, err := filepath.Glob(filepath.Join(testtools.RepoRoot(t), chartDir, "files", "dashboards", "*.json"))
	if err != nil || len(files) != tc.dashboards {
		t.Fatalf("files/dashboards holds %d dashboards (%v), the chart rendered %d", len(files), err, tc.dashboards)
	}
	for _, cm := range dash {
		if cm.Metadata.Labels["grafana_dashboard"] != "1" || cm.Metadata.Namespace != "grafana" || cm.Metadata.Annotations["grafana_folder"] != "Security" {
			t.Errorf("dashboard ConfigMap %s/%s labels %v annotations %v, want grafana_dashboard=1 in grafana, folder Security",
				cm.Metadata.Namespace, cm.Metadata.Name, cm.Metadata.Labels, cm.Metadata.Annotations)
		}
		if len(cm.Data) != 1 {
			t.Errorf("dashboard ConfigMap %s holds %d keys, want 1", cm.Metadata.Name, len(cm.Data))
		}
		for k, v := range cm.Data {
			var d struct {
				UID    string `json:"uid"`
				Panels []any  `json:"panels"`
			}
			if err := json.Unmarshal([]byte(v), &d); err != nil || d.UID == "" || len(d.Panels) == 0 {
				t.Errorf("%s in %s is not a dashboard with a uid and panels: %v", k, cm.Metadata.Name, err)
			}
		}
	}
}

// TestHelmChartFigures checks that the chart's default dataset is the
// repository's figures.yaml: a chart cannot read files outside its
// directory, so it carries a copy.
func TestHelmChartFigures(t *testing.T) {
	t.Parallel()
	root := testtools.RepoRoot(t)
	want, err := os.ReadFile(filepath.Join(root, "figures.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(filepath.Join(root, chartDir, "files", "figures.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("%s/files/figures.yaml differs from figures.yaml; copy it: cp figures.yaml %s/files/figures.yaml", chartDir, chartDir)
	}
	c := render(t, "figures", "threat")
	for _, cm := range all[configMap](t, c, "ConfigMap") {
		if cm.Metadata.Name == "figures-figures-exporter-figures" && cm.Data["figures.yaml"] != string(want) {
			t.Error("the default figures ConfigMap does not hold figures.yaml as it is")
		}
	}
}

// TestHelmChartSchema checks that values.schema.json (and, for what a
// schema cannot say, the templates) reject bad values, in `helm template`
// and in `helm lint`, naming the value.
func TestHelmChartSchema(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, values, want string
	}{
		{"a figures file not read by the exporter", `figures: {files: {"figures.json": "{}"}}`, "'figures.json' not allowed"},
		{"a misspelt key", "serviceMonitor: {enabled: true, intervall: 30s}", "'intervall' not allowed"},
		{"an unknown top-level key", "serviceMonitors: {enabled: true}", "'serviceMonitors' not allowed"},
		{"a bad pull policy", "image: {pullPolicy: Sometimes}", "/image/pullPolicy"},
		{"an unknown web config key", "webConfig: {tls_config: {}}", "'tls_config' not allowed"},
		{"a negative replica count", "replicaCount: -1", "/replicaCount"},
		{"a scrape interval without unit", "serviceMonitor: {interval: 30}", "/serviceMonitor/interval"},
		{"a bad label name", `prometheusRule: {additionalRuleLabels: {"bad-label": x}}`, "'bad-label' not allowed"},
		{"two sources of figures", `figures: {embedded: true, existingConfigMap: threat-figures}`, "/figures/existingConfigMap"},
		{"an external URL without a scheme", "externalURL: figures.example.com", "/externalURL"},
		{"a Prometheus URL that is not http(s)", "prometheusURL: ftp://prometheus:9090", "/prometheusURL"},
		{"a dashboard URL that would break the alert's template", `prometheusRule: {dashboardURL: "https://grafana.example.com/d/{{ x }}"}`, "/prometheusRule/dashboardURL"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			flags := valueFlags(t, []string{tc.values + "\n"})
			for _, cmd := range []string{"template", "lint"} {
				_, stderr, err := chartcheck(t, append(append([]string{cmd}, flags...), chartDir)...)
				if err == nil {
					t.Errorf("%s accepts %s", cmd, tc.values)
				} else if !strings.Contains(stderr, tc.want) {
					t.Errorf("%s rejects %s without naming %s:\n%s", cmd, tc.values, tc.want, stderr)
				}
			}
		})
	}
}

// TestHelmChartPodSecurity checks that chartcheck refuses a pod that the
// Pod Security Standards' restricted level refuses (so that every value
// set above, which renders, passes it), naming the check that fails.
func TestHelmChartPodSecurity(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, values, want string
	}{
		{"root", "podSecurityContext: {runAsNonRoot: false, runAsUser: 0}\n", "runAsNonRoot != true"},
		{"privilege escalation", "securityContext: {allowPrivilegeEscalation: true, capabilities: {drop: [ALL]}}\n", "allowPrivilegeEscalation != false"},
		{"a capability added", "securityContext: {allowPrivilegeEscalation: false, capabilities: {drop: [ALL], add: [NET_RAW]}}\n", "unrestricted capabilities"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			args := append(append([]string{"template"}, valueFlags(t, []string{tc.values})...), chartDir)
			_, stderr, err := chartcheck(t, args...)
			if err == nil || !strings.Contains(stderr, `PodSecurity "restricted:latest"`) || !strings.Contains(stderr, tc.want) {
				t.Errorf("chartcheck template with %s: %v, want a PodSecurity restricted violation naming %q:\n%s", strings.TrimSpace(tc.values), err, tc.want, stderr)
			}
		})
	}
}
