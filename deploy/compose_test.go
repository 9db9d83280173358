// Package deploy holds the configuration files of the docker-compose stack
// (docker-compose.yml at the repository root mounts them). There is no Docker
// engine where the tests run, so these tests load docker-compose.yml with
// compose-go's loader (tools/compose: the library `docker compose` uses,
// schema validation on) and check how the services, the mounted files and the
// configurations inside them are wired together.
package deploy

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/figures-exporter/figures_exporter/dashboards"
	"github.com/figures-exporter/figures_exporter/internal/testtools"
)

// project is the part of compose-go's normalised project (as JSON) the tests
// read.
type project struct {
	Name     string             `json:"name"`
	Services map[string]service `json:"services"`
	Volumes  map[string]any     `json:"volumes"`
}

type service struct {
	Image    string             `json:"image"`
	Build    *build             `json:"build"`
	User     string             `json:"user"`
	ReadOnly bool               `json:"read_only"`
	Command  []string           `json:"command"`
	Volumes  []mount            `json:"volumes"`
	Ports    []port             `json:"ports"`
	CapDrop  []string           `json:"cap_drop"`
	Environ  map[string]*string `json:"environment"`
}

type build struct {
	Context    string `json:"context"`
	Dockerfile string `json:"dockerfile"`
}

type mount struct {
	Type     string `json:"type"`
	Source   string `json:"source"`
	Target   string `json:"target"`
	ReadOnly bool   `json:"read_only"`
}

type port struct {
	HostIP    string `json:"host_ip"`
	Target    int    `json:"target"`
	Published string `json:"published"`
	Protocol  string `json:"protocol"`
}

// loader returns the compose loader of tools/compose, built by `go tool`
// into the Go build cache.
func loader(t *testing.T) string {
	t.Helper()
	return testtools.Tool(t, "compose")
}

// load runs the compose loader on file and returns the normalised project,
// or the loader's error output.
func load(t *testing.T, file string) (*project, string, error) {
	t.Helper()
	cmd := exec.Command(loader(t), file)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return nil, stderr.String(), err
	}
	var p project
	if err := json.Unmarshal(stdout.Bytes(), &p); err != nil {
		t.Fatalf("decoding the loader's output: %v\n%s", err, stdout.String())
	}
	return &p, stderr.String(), nil
}

// stack loads the repository's docker-compose.yml.
func stack(t *testing.T) (*project, string) {
	t.Helper()
	root := testtools.RepoRoot(t)
	p, stderr, err := load(t, filepath.Join(root, "docker-compose.yml"))
	if err != nil {
		t.Fatalf("docker-compose.yml does not load: %v\n%s", err, stderr)
	}
	return p, root
}

func (p *project) service(t *testing.T, name string) service {
	t.Helper()
	s, ok := p.Services[name]
	if !ok {
		t.Fatalf("docker-compose.yml has no service %q (services: %v)", name, keys(p.Services))
	}
	return s
}

func keys[M ~map[string]V, V any](m M) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// hostPath maps a path inside a service's container to the host path it is
// bind-mounted from, through the longest matching bind mount.
func (s service) hostPath(containerPath string) (string, mount, bool) {
	var best mount
	found := false
	for _, m := range s.Volumes {
		if m.Type != "bind" {
			continue
		}
		if containerPath == m.Target || strings.HasPrefix(containerPath, strings.TrimSuffix(m.Target, "/")+"/") {
			if !found || len(m.Target) > len(best.Target) {
				best, found = m, true
			}
		}
	}
	if !found {
		return "", mount{}, false
	}
	rest := strings.TrimPrefix(containerPath, best.Target)
	return filepath.Join(best.Source, filepath.FromSlash(rest)), best, true
}

// flag returns the value of --name=value (or --name value) in a command.
func flagValue(cmd []string, name string) (string, bool) {
	for i, a := range cmd {
		if v, ok := strings.CutPrefix(a, "--"+name+"="); ok {
			return v, true
		}
		if a == "--"+name && i+1 < len(cmd) && !strings.HasPrefix(cmd[i+1], "--") {
			return cmd[i+1], true
		}
		if a == "--"+name {
			return "", true
		}
	}
	return "", false
}

// The loader really validates: a file that breaks the compose schema or its
// consistency rules is refused. Without this, a passing TestComposeLoads
// could mean validation was off.
func TestLoaderRejectsInvalidFiles(t *testing.T) {
	tests := []struct {
		name    string
		compose string
		want    string // in the loader's error output
	}{
		{"unknown top-level key", "services:\n  a:\n    image: busybox\nservces: {}\n", "servces"},
		{"unknown service key", "services:\n  a:\n    image: busybox\n    read_onyl: true\n", "read_onyl"},
		{"wrong type", "services:\n  a:\n    image: busybox\n    read_only: [yes]\n", "read_only"},
		{"undefined volume", "services:\n  a:\n    image: busybox\n    volumes: [\"data:/data\"]\n", "data"},
		{"no image nor build", "services:\n  a:\n    command: [x]\n", "image"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			file := filepath.Join(t.TempDir(), "compose.yml")
			if err := os.WriteFile(file, []byte("name: invalid\n"+tt.compose), 0o644); err != nil {
				t.Fatal(err)
			}
			_, stderr, err := load(t, file)
			if err == nil {
				t.Fatalf("the loader accepted an invalid compose file:\n%s", tt.compose)
			}
			if !strings.Contains(stderr, tt.want) {
				t.Errorf("the loader's error does not name %q:\n%s", tt.want, stderr)
			}
		})
	}
}

func TestComposeLoads(t *testing.T) {
	p, _ := stack(t)
	if p.Name != "figures-exporter" {
		t.Errorf("project name = %q, want figures-exporter", p.Name)
	}
	want := []string{"alertmanager", "figures-exporter", "grafana", "prometheus"}
	if got := keys(p.Services); !slices.Equal(got, want) {
		t.Errorf("services = %v, want %v", got, want)
	}
}

// Every configuration is mounted from the repository, not copied: each bind
// mount's source exists and lies inside the repository.
func TestBindMountsExistInRepo(t *testing.T) {
	p, root := stack(t)
	n := 0
	for _, name := range keys(p.Services) {
		for _, m := range p.Services[name].Volumes {
			if m.Type != "bind" {
				continue
			}
			n++
			t.Run(name+":"+m.Target, func(t *testing.T) {
				rel, err := filepath.Rel(root, m.Source)
				if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
					t.Fatalf("bind mount source %s is outside the repository", m.Source)
				}
				if _, err := os.Stat(m.Source); err != nil {
					t.Errorf("bind mount source %s does not exist in the repository: %v", filepath.ToSlash(rel), err)
				}
				if !m.ReadOnly {
					t.Errorf("bind mount of %s is writable; configuration is mounted read-only", filepath.ToSlash(rel))
				}
			})
		}
	}
	if n == 0 {
		t.Fatal("no bind mounts: the configurations must be mounted from the repository")
	}
}

func TestPublishedPorts(t *testing.T) {
	p, _ := stack(t)
	tests := []struct {
		service string
		port    int
	}{
		{"figures-exporter", 10523},
		{"prometheus", 9090},
		{"alertmanager", 9093},
		{"grafana", 3000},
	}
	for _, tt := range tests {
		t.Run(tt.service, func(t *testing.T) {
			s := p.service(t, tt.service)
			if len(s.Ports) != 1 {
				t.Fatalf("ports = %+v, want exactly one", s.Ports)
			}
			got := s.Ports[0]
			if got.Target != tt.port || got.Published != strconv.Itoa(tt.port) || got.Protocol != "tcp" {
				t.Errorf("port = %+v, want %d:%d/tcp", got, tt.port, tt.port)
			}
			if got.HostIP != "127.0.0.1" {
				t.Errorf("port published on %q, want the loopback interface 127.0.0.1", got.HostIP)
			}
		})
	}
}

// Image tags are pinned: no implicit or explicit "latest", and the major
// versions the configurations are written for.
func TestImagesPinned(t *testing.T) {
	p, _ := stack(t)
	tests := []struct {
		service string
		want    *regexp.Regexp
	}{
		{"prometheus", regexp.MustCompile(`^prom/prometheus:v3\.\d+\.\d+$`)},
		{"alertmanager", regexp.MustCompile(`^prom/alertmanager:v0\.31\.\d+$`)},
		{"grafana", regexp.MustCompile(`^grafana/grafana:12\.\d+\.\d+$`)},
	}
	for _, tt := range tests {
		t.Run(tt.service, func(t *testing.T) {
			if img := p.service(t, tt.service).Image; !tt.want.MatchString(img) {
				t.Errorf("image = %q, want a pinned tag matching %s", img, tt.want)
			}
		})
	}
}

func TestExporterService(t *testing.T) {
	p, root := stack(t)
	s := p.service(t, "figures-exporter")

	if s.Build == nil || s.Build.Context != root || s.Build.Dockerfile != "Dockerfile" {
		t.Errorf("build = %+v, want the repository's Dockerfile", s.Build)
	}
	if !s.ReadOnly {
		t.Error("the exporter's root filesystem is not read-only (read_only: true)")
	}
	uid, _, _ := strings.Cut(s.User, ":")
	if n, err := strconv.Atoi(uid); err != nil || n == 0 {
		t.Errorf("user = %q, want a numeric non-root uid", s.User)
	}
	if !slices.Contains(s.CapDrop, "ALL") {
		t.Errorf("cap_drop = %v, want ALL", s.CapDrop)
	}

	file, ok := flagValue(s.Command, "figures.file")
	if !ok {
		t.Fatalf("command %q does not pass --figures.file", s.Command)
	}
	host, m, ok := s.hostPath(file)
	if !ok {
		t.Fatalf("--figures.file=%s is not in a bind mount", file)
	}
	if !m.ReadOnly {
		t.Errorf("%s is mounted writable", file)
	}
	if want := filepath.Join(root, "figures.yaml"); host != want {
		t.Errorf("--figures.file=%s is mounted from %s, want the repository's figures.yaml", file, host)
	}
	if _, ok := flagValue(s.Command, "web.enable-lifecycle"); !ok {
		t.Errorf("command %q does not pass --web.enable-lifecycle", s.Command)
	}
	// The report pages show the articles, and the figure pages link to the
	// stack's own Prometheus.
	if dir, ok := flagValue(s.Command, "seeds.dir"); !ok {
		t.Errorf("command %q does not pass --seeds.dir", s.Command)
	} else if host, m, ok := s.hostPath(dir); !ok || !m.ReadOnly || host != filepath.Join(root, "seeds") {
		t.Errorf("--seeds.dir=%s is not the repository's seeds/ mounted read-only (host %q, in a mount %v)", dir, host, ok)
	}
	if u, _ := flagValue(s.Command, "web.prometheus-url"); u != "http://localhost:9090" {
		t.Errorf("--web.prometheus-url=%q, want http://localhost:9090, where the stack publishes Prometheus", u)
	}
	if addr, ok := flagValue(s.Command, "web.listen-address"); ok && addr != ":10523" {
		t.Errorf("--web.listen-address=%s, want the default :10523", addr)
	}
}

// prometheusConfig is the part of prometheus.yml the tests read.
type prometheusConfig struct {
	Global struct {
		ScrapeInterval     string `yaml:"scrape_interval"`
		EvaluationInterval string `yaml:"evaluation_interval"`
	} `yaml:"global"`
	Alerting struct {
		Alertmanagers []struct {
			StaticConfigs []struct {
				Targets []string `yaml:"targets"`
			} `yaml:"static_configs"`
		} `yaml:"alertmanagers"`
	} `yaml:"alerting"`
	RuleFiles     []string `yaml:"rule_files"`
	ScrapeConfigs []struct {
		JobName       string `yaml:"job_name"`
		MetricsPath   string `yaml:"metrics_path"`
		StaticConfigs []struct {
			Targets []string `yaml:"targets"`
		} `yaml:"static_configs"`
	} `yaml:"scrape_configs"`
}

// prometheus returns the Prometheus service, its configuration as mounted
// and the configuration file's path in the container.
func prometheus(t *testing.T, p *project) (service, prometheusConfig, string) {
	t.Helper()
	s := p.service(t, "prometheus")
	var cfg prometheusConfig
	file := readMountedConfig(t, "prometheus", s, &cfg)
	return s, cfg, file
}

// readMountedConfig decodes the file a service's --config.file names, read
// from where it is bind-mounted from in the repository, and returns the
// path in the container.
// configPath resolves a path a configuration file names (rule_files,
// templates: relative ones are relative to the file, cfgFile, in the
// container) and maps it to the host through the service's bind mounts.
func (s service) configPath(cfgFile, p string) (inContainer, host string, ok bool) {
	if !path.IsAbs(p) {
		p = path.Join(path.Dir(cfgFile), p)
	}
	host, _, ok = s.hostPath(p)
	return p, host, ok
}

func readMountedConfig(t *testing.T, name string, s service, v any) string {
	t.Helper()
	file, ok := flagValue(s.Command, "config.file")
	if !ok {
		t.Fatalf("%s command %q does not pass --config.file", name, s.Command)
	}
	host, _, ok := s.hostPath(file)
	if !ok {
		t.Fatalf("%s --config.file=%s is not bind-mounted from the repository", name, file)
	}
	testtools.ReadYAML(t, host, v)
	return file
}

// servicePort says whether a host:port target names a service of the
// project listening on that port in its container.
func servicePort(p *project, target string) (string, error) {
	host, portStr, err := net.SplitHostPort(target)
	if err != nil {
		return "", err
	}
	s, ok := p.Services[host]
	if !ok {
		return "", fmt.Errorf("no service %q in docker-compose.yml", host)
	}
	port, _ := strconv.Atoi(portStr)
	for _, sp := range s.Ports {
		if sp.Target == port {
			return host, nil
		}
	}
	return "", fmt.Errorf("service %q does not expose container port %d (ports: %+v)", host, port, s.Ports)
}

func TestPrometheusScrapesExporter(t *testing.T) {
	p, _ := stack(t)
	_, cfg, _ := prometheus(t, p)
	var targets []string
	for _, sc := range cfg.ScrapeConfigs {
		if sc.JobName != "figures" {
			continue
		}
		if sc.MetricsPath != "" && sc.MetricsPath != "/metrics" {
			t.Errorf("job figures scrapes %s; the exporter serves /metrics", sc.MetricsPath)
		}
		for _, st := range sc.StaticConfigs {
			targets = append(targets, st.Targets...)
		}
	}
	if len(targets) == 0 {
		t.Fatal("prometheus.yml has no job_name: figures with static targets")
	}
	for _, target := range targets {
		svc, err := servicePort(p, target)
		if err != nil {
			t.Errorf("job figures target %s: %v", target, err)
			continue
		}
		if svc != "figures-exporter" {
			t.Errorf("job figures target %s is service %s, want figures-exporter", target, svc)
		}
	}
	// Every other job's targets are services of the stack too (or
	// Prometheus itself).
	for _, sc := range cfg.ScrapeConfigs {
		for _, st := range sc.StaticConfigs {
			for _, target := range st.Targets {
				if strings.HasPrefix(target, "localhost:") && sc.JobName == "prometheus" {
					continue
				}
				if _, err := servicePort(p, target); err != nil {
					t.Errorf("job %s target %s: %v", sc.JobName, target, err)
				}
			}
		}
	}
}

func TestPrometheusAlertsToAlertmanager(t *testing.T) {
	p, _ := stack(t)
	_, cfg, _ := prometheus(t, p)
	var targets []string
	for _, am := range cfg.Alerting.Alertmanagers {
		for _, st := range am.StaticConfigs {
			targets = append(targets, st.Targets...)
		}
	}
	if len(targets) != 1 {
		t.Fatalf("alertmanager targets = %v, want one", targets)
	}
	svc, err := servicePort(p, targets[0])
	if err != nil {
		t.Fatal(err)
	}
	if svc != "alertmanager" {
		t.Errorf("alerts go to service %s, want alertmanager", svc)
	}
	am := p.service(t, "alertmanager")
	type route struct {
		Receiver string   `yaml:"receiver"`
		GroupBy  []string `yaml:"group_by"`
		Matchers []string `yaml:"matchers"`
	}
	var amCfg struct {
		Templates []string `yaml:"templates"`
		Route     struct {
			route  `yaml:",inline"`
			Routes []route `yaml:"routes"`
		} `yaml:"route"`
		Receivers []struct {
			Name string `yaml:"name"`
		} `yaml:"receivers"`
	}
	amFile := readMountedConfig(t, "alertmanager", am, &amCfg)
	if !slices.ContainsFunc(amCfg.Receivers, func(r struct {
		Name string `yaml:"name"`
	}) bool {
		return r.Name == amCfg.Route.Receiver
	}) {
		t.Errorf("the route's receiver %q is not defined", amCfg.Route.Receiver)
	}
	// The digest of a revision is told once per revision and deployment.
	digest := slices.IndexFunc(amCfg.Route.Routes, func(r route) bool {
		return slices.Contains(r.Matchers, `alertname="FiguresDatasetRevised"`)
	})
	if digest < 0 || !slices.Contains(amCfg.Route.Routes[digest].GroupBy, "revision") {
		t.Errorf("routes %+v: want one for FiguresDatasetRevised grouping by revision", amCfg.Route.Routes)
	}
	// The notification templates are mounted where the configuration
	// looks for them (relative to its file).
	if len(amCfg.Templates) == 0 {
		t.Error("alertmanager.yml loads no templates")
	}
	for _, glob := range amCfg.Templates {
		glob, host, ok := am.configPath(amFile, glob)
		if !ok {
			t.Errorf("templates %s is not under a bind mount", glob)
			continue
		}
		if files, err := filepath.Glob(host); err != nil || len(files) == 0 {
			t.Errorf("templates %s (%s on the host) matches no file (%v)", glob, host, err)
		}
	}
	if v, ok := flagValue(am.Command, "cluster.listen-address"); !ok || v != "" {
		t.Errorf("alertmanager runs alone: want --cluster.listen-address= (empty), got %q", v)
	}
}

// The rule_files globs of prometheus.yml, resolved in the container and
// mapped back through the mounts, load every rule file in rules/ and nothing
// else.
func TestPrometheusLoadsRules(t *testing.T) {
	p, root := stack(t)
	s, cfg, file := prometheus(t, p)
	if len(cfg.RuleFiles) == 0 {
		t.Fatal("prometheus.yml has no rule_files")
	}
	matched := map[string]bool{}
	for _, glob := range cfg.RuleFiles {
		glob, host, ok := s.configPath(file, glob)
		if !ok {
			t.Errorf("rule_files %s is not under a bind mount", glob)
			continue
		}
		files, err := filepath.Glob(host)
		if err != nil {
			t.Fatal(err)
		}
		if len(files) == 0 {
			t.Errorf("rule_files %s (%s on the host) matches no file", glob, host)
		}
		for _, f := range files {
			matched[f] = true
		}
	}
	rulesDir := filepath.Join(root, "rules")
	entries, err := os.ReadDir(rulesDir)
	if err != nil {
		t.Fatalf("rules/: %v", err)
	}
	for _, e := range entries {
		f := filepath.Join(rulesDir, e.Name())
		ext := filepath.Ext(e.Name())
		if e.IsDir() || (ext != ".yml" && ext != ".yaml") {
			continue
		}
		var doc map[string]any
		testtools.ReadYAML(t, f, &doc)
		_, isRules := doc["groups"]
		_, isTest := doc["tests"]
		switch {
		case isRules && !matched[f]:
			t.Errorf("rules/%s is a rule file that prometheus.yml does not load", e.Name())
		case !isRules && matched[f]:
			t.Errorf("prometheus.yml loads rules/%s, which is not a rule file (tests: %v)", e.Name(), isTest)
		}
	}
	for f := range matched {
		if filepath.Dir(f) != rulesDir {
			t.Errorf("prometheus.yml loads %s, outside rules/", f)
		}
	}
}

func TestGrafanaProvisioning(t *testing.T) {
	p, root := stack(t)
	g := p.service(t, "grafana")

	provDir, _, ok := g.hostPath("/etc/grafana/provisioning")
	if !ok {
		t.Fatal("grafana: /etc/grafana/provisioning is not bind-mounted")
	}

	// Dashboards: every provider's path is the repository's dashboards/.
	var dashProv struct {
		APIVersion int `yaml:"apiVersion"`
		Providers  []struct {
			Name    string `yaml:"name"`
			Type    string `yaml:"type"`
			Options struct {
				Path string `yaml:"path"`
			} `yaml:"options"`
		} `yaml:"providers"`
	}
	provFiles, _ := filepath.Glob(filepath.Join(provDir, "dashboards", "*.yml"))
	if len(provFiles) != 1 {
		t.Fatalf("want one dashboards provisioning file, got %v", provFiles)
	}
	testtools.ReadYAML(t, provFiles[0], &dashProv)
	if dashProv.APIVersion != 1 || len(dashProv.Providers) == 0 {
		t.Fatalf("dashboards provisioning: apiVersion %d, %d providers", dashProv.APIVersion, len(dashProv.Providers))
	}
	for _, pr := range dashProv.Providers {
		if pr.Type != "file" {
			t.Errorf("provider %s: type %q, want file", pr.Name, pr.Type)
		}
		host, _, ok := g.hostPath(pr.Options.Path)
		if !ok {
			t.Errorf("provider %s: path %s is not bind-mounted", pr.Name, pr.Options.Path)
			continue
		}
		if want := filepath.Join(root, "dashboards"); host != want {
			t.Errorf("provider %s: path %s is %s on the host, want the repository's dashboards/", pr.Name, pr.Options.Path, host)
		}
	}
	if home := ptr(g.Environ["GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH"]); home != "" {
		if host, _, ok := g.hostPath(home); !ok {
			t.Errorf("home dashboard %s is not mounted", home)
		} else if _, err := os.Stat(host); err != nil {
			t.Errorf("home dashboard: %v", err)
		}
	}

	// Data source: the stack's Prometheus, of the type the dashboards'
	// datasource variable selects, and the uid of any panel that names one.
	var dsProv struct {
		APIVersion  int `yaml:"apiVersion"`
		Datasources []struct {
			Name      string `yaml:"name"`
			Type      string `yaml:"type"`
			UID       string `yaml:"uid"`
			URL       string `yaml:"url"`
			IsDefault bool   `yaml:"isDefault"`
		} `yaml:"datasources"`
	}
	dsFiles, _ := filepath.Glob(filepath.Join(provDir, "datasources", "*.yml"))
	if len(dsFiles) != 1 {
		t.Fatalf("want one datasources provisioning file, got %v", dsFiles)
	}
	testtools.ReadYAML(t, dsFiles[0], &dsProv)
	if len(dsProv.Datasources) != 1 {
		t.Fatalf("want one provisioned data source, got %d", len(dsProv.Datasources))
	}
	ds := dsProv.Datasources[0]
	if ds.Type != "prometheus" || !ds.IsDefault || ds.UID == "" {
		t.Errorf("data source = %+v, want the default prometheus data source with a fixed uid", ds)
	}
	promTarget := strings.TrimPrefix(ds.URL, "http://")
	if svc, err := servicePort(p, promTarget); err != nil || svc != "prometheus" {
		t.Errorf("data source url %s does not point at the prometheus service: %v", ds.URL, err)
	}

	files, _ := filepath.Glob(filepath.Join(root, "dashboards", "*.json"))
	if len(files) == 0 {
		t.Fatal("no dashboards in dashboards/")
	}
	for _, f := range files {
		d, err := dashboards.ReadDashboard(f)
		if err != nil {
			t.Fatal(err)
		}
		dsVars := map[string]bool{}
		for _, v := range d.Templating.List {
			if v.Type != "datasource" {
				continue
			}
			var q string
			_ = json.Unmarshal(v.Query, &q)
			if q != ds.Type {
				t.Errorf("%s: datasource variable $%s selects data sources of type %q; the provisioned one is %q", filepath.Base(f), v.Name, q, ds.Type)
			}
			dsVars["${"+v.Name+"}"] = true
			dsVars["$"+v.Name] = true
		}
		check := func(where string, ref *dashboards.DatasourceRef) {
			if ref == nil || ref.UID == "" || ref.UID == "-- Grafana --" || dsVars[ref.UID] {
				return
			}
			if ref.UID != ds.UID {
				t.Errorf("%s: %s names data source uid %q, which is not provisioned (%q is)", filepath.Base(f), where, ref.UID, ds.UID)
			}
		}
		for _, panel := range d.AllPanels() {
			check("panel "+strconv.Quote(panel.Title), panel.Datasource)
			for _, tg := range panel.Targets {
				check("panel "+strconv.Quote(panel.Title)+" target "+tg.RefID, tg.Datasource)
			}
		}
		for _, v := range d.Templating.List {
			check("variable $"+v.Name, v.Datasource)
		}
	}
}

func ptr(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
