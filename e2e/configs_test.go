package e2e

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/figures-exporter/figures_exporter/internal/testtools"
)

// The configuration files of the compose stack, as they are (not the test's
// overlays), are accepted by the real servers: prometheus.yml by promtool in
// the directory layout docker-compose.yml mounts (rules/ next to it), and
// alertmanager.yml by a real Alertmanager that starts on it.
func TestDeployConfigsLoad(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the pinned promtool and Alertmanager")
	}
	root := testtools.RepoRoot(t)

	t.Run("prometheus.yml", func(t *testing.T) {
		promtool := testtools.Tool(t, "promtool")
		// /etc/prometheus of the container: prometheus.yml and rules/.
		etc := filepath.Join(t.TempDir(), "prometheus")
		if err := os.Mkdir(etc, 0o755); err != nil {
			t.Fatal(err)
		}
		data, err := os.ReadFile(filepath.Join(root, "deploy", "prometheus", "prometheus.yml"))
		if err != nil {
			t.Fatal(err)
		}
		writeFile(t, filepath.Join(etc, "prometheus.yml"), data)
		if err := os.Symlink(filepath.Join(root, "rules"), filepath.Join(etc, "rules")); err != nil {
			t.Fatal(err)
		}
		out, err := exec.Command(promtool, "check", "config", filepath.Join(etc, "prometheus.yml")).CombinedOutput()
		if err != nil {
			t.Fatalf("promtool check config: %v\n%s", err, out)
		}
		// The rules are found and checked too, not silently zero of them.
		if !strings.Contains(string(out), "figures.alerts.yml") || !strings.Contains(string(out), "figures.rules.yml") {
			t.Errorf("promtool did not check the rule files:\n%s", out)
		}
		t.Logf("promtool check config:\n%s", out)
	})

	t.Run("alertmanager.yml", func(t *testing.T) {
		bin := testtools.Tool(t, "alertmanager")
		addr := testtools.FreeAddr(t)
		am := testtools.Start(t, "alertmanager", bin,
			"--config.file="+filepath.Join(root, "deploy", "alertmanager", "alertmanager.yml"),
			"--storage.path="+filepath.Join(t.TempDir(), "data"),
			"--web.listen-address="+addr,
			"--cluster.listen-address=",
		)
		waitReady(t, am, "http://"+addr+"/-/ready", startTimeout)
		code, body := get(t, "http://"+addr+"/api/v2/status")
		if code != 200 {
			t.Fatalf("GET /api/v2/status: %d %s", code, body)
		}
		var status struct {
			Config struct {
				Original string `json:"original"`
			} `json:"config"`
		}
		if err := json.Unmarshal([]byte(body), &status); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(status.Config.Original, "figure_id") {
			t.Errorf("Alertmanager does not run the deploy configuration:\n%s", status.Config.Original)
		}
	})

	// amtool check-config, which also parses the templates, on every
	// Alertmanager configuration the repository ships, with the templates
	// it ships: the compose stack's, the example receivers, and the one in
	// the kube-prometheus-stack values (its template path, where the chart
	// mounts templateFiles, pointed at the repository's).
	t.Run("amtool check-config", func(t *testing.T) {
		amtool := testtools.Tool(t, "amtool")
		dir := filepath.Join(root, "deploy", "alertmanager")
		var values struct {
			Alertmanager struct {
				Config map[string]any `yaml:"config"`
			} `yaml:"alertmanager"`
		}
		testtools.ReadYAML(t, filepath.Join(dir, "kube-prometheus-stack-values.yaml"), &values)
		cfg := values.Alertmanager.Config
		if fmt.Sprint(cfg["templates"]) != "[/etc/alertmanager/config/*.tmpl]" {
			t.Errorf("kube-prometheus-stack values: templates %v, want where the chart mounts templateFiles", cfg["templates"])
		}
		cfg["templates"] = []string{filepath.Join(dir, "templates", "*.tmpl")}
		data, err := yaml.Marshal(cfg)
		if err != nil {
			t.Fatal(err)
		}
		kps := filepath.Join(t.TempDir(), "kube-prometheus-stack.yml")
		writeFile(t, kps, data)
		files := []string{filepath.Join(dir, "alertmanager.yml"), filepath.Join(dir, "receivers.example.yml"), kps}
		out, err := exec.Command(amtool, append([]string{"check-config"}, files...)...).CombinedOutput()
		if err != nil {
			t.Fatalf("amtool check-config: %v\n%s", err, out)
		}
		if n := strings.Count(string(out), " - 1 templates"); n != len(files) {
			t.Errorf("amtool found the templates for %d of %d files:\n%s", n, len(files), out)
		}
		t.Logf("amtool check-config:\n%s", out)
	})
}
