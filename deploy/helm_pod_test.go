package deploy

import (
	"crypto/tls"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/figures-exporter/figures_exporter/internal/testtools"
)

// TestHelmChartPodRuns runs the exporter as the rendered Deployment says:
// its arguments, its volumes laid out as the kubelet writes ConfigMap and
// Secret volumes (a timestamped directory behind a ..data symlink), its
// probes sent as the kubelet sends them. Then it updates the figures
// ConfigMap the way the kubelet does and waits for the exporter to serve
// the new revision without a restart. There is no cluster here; this is
// the part of a pod's life that the chart decides.
func TestHelmChartPodRuns(t *testing.T) {
	t.Parallel()
	cert, key := selfSignedPEM(t)
	tlsValues, err := json.Marshal(map[string]any{"webConfig": map[string]any{
		"tls_server_config": map[string]string{"cert": cert, "key": key},
	}})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		values []string
		user   string // basic auth user and password of the scrape
		pass   string
	}{
		{name: "shipped figures.yaml"},
		{name: "embedded", values: []string{"figures: {embedded: true}\n"}},
		{name: "the user's files, every flag", values: []string{userFilesValues(t),
			"figures: {reloadSchedule: \"*/5 * * * *\", maxFileSize: 8MiB}\nwebEnableLifecycle: true\nlogLevel: debug\nlogFormat: json\nextraArgs: [--web.max-requests=80]\n" +
				"externalURL: https://figures.example.com\nprometheusURL: http://prometheus-operated.monitoring.svc:9090\n"}},
		{name: "TLS", values: []string{string(tlsValues) + "\n"}},
		{name: "basic auth", values: []string{"ci/basic-auth-values.yaml"}, user: "prometheus", pass: "figures-scrape"},
	}
	bin := testtools.Exporter(t)
	// The revision the chart's copy of figures.yaml is served with; the
	// binary's embedded dataset must be the same bytes.
	shipped := ""
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := render(t, "figures", "threat", tc.values...)
			d := one[deployment](t, c, "Deployment")
			ct := d.Spec.Template.Spec.Containers[0]
			root := t.TempDir()
			volumes := map[string]map[string]string{} // mount path -> files
			for _, m := range ct.VolumeMounts {
				files := volumeFiles(t, c, d, m.Name)
				writeVolume(t, filepath.Join(root, m.MountPath), files, 1)
				volumes[m.MountPath] = files
			}
			addr := testtools.FreeAddr(t)
			var args []string
			for _, a := range ct.Args {
				// Paths inside the container live under root here.
				if name, val, ok := strings.Cut(a, "="); ok && strings.HasPrefix(val, "/") {
					a = name + "=" + filepath.Join(root, val)
				}
				args = append(args, a)
			}
			// The container listens on the exporter's default port; here
			// on a free one.
			args = append(args, "--web.listen-address="+addr)
			testtools.Start(t, "figures_exporter", bin, args...)

			// The scheme the scrape uses (checked against the probes'
			// in TestHelmChartRender).
			scheme := "http"
			if strings.Contains(c.Notes, "https://") {
				scheme = "https"
			}
			eventually(t, 15*time.Second, "the readiness probe to pass", func() error { return kubeletProbe(addr, ct.ReadinessProbe) })
			if err := kubeletProbe(addr, ct.LivenessProbe); err != nil {
				t.Errorf("liveness probe: %v", err)
			}
			get := func(path, user, pass string) (int, string, error) {
				return fetch(scheme+"://"+addr+path, user, pass)
			}
			if tc.user != "" {
				// Why the probes are TCP checks behind basic auth: the
				// kubelet sends no credentials and would get this.
				if code, _, err := get("/-/healthy", "", ""); err != nil || code != http.StatusUnauthorized {
					t.Errorf("/-/healthy without credentials: %d %v, want 401", code, err)
				}
			}
			code, body, err := get("/metrics", tc.user, tc.pass)
			if err != nil || code != http.StatusOK {
				t.Fatalf("/metrics: %d %v", code, err)
			}
			rev := datasetRevision(t, body)
			if n := metricValue(body, "figures_exporter_dataset_figures"); n < 1 {
				t.Fatalf("the exporter serves %v figures\n%s", n, body)
			}

			if strings.Contains(tc.name, "every flag") {
				checkPageLinks(t, get)
			}

			switch tc.name {
			case "shipped figures.yaml":
				shipped = rev
			case "embedded":
				if rev != shipped {
					t.Errorf("the embedded dataset is revision %s, the chart's figures.yaml %s", rev, shipped)
				}
				return // nothing to update
			}

			// The kubelet's update of the ConfigMap volume: a new
			// timestamped directory swapped in under ..data.
			dir := filepath.Join(root, "/etc/figures-exporter/figures")
			files := volumes["/etc/figures-exporter/figures"]
			for k := range files {
				files[k] += "\n# edited through the ConfigMap\n"
				break
			}
			writeVolume(t, dir, files, 2)
			eventually(t, 15*time.Second, "the edited ConfigMap to be served", func() error {
				_, body, err := get("/metrics", tc.user, tc.pass)
				if err != nil {
					return err
				}
				if r := datasetRevision(t, body); r == rev {
					return fmt.Errorf("still revision %s", r)
				}
				return nil
			})
		})
	}
}

// volumeFiles returns the files of a pod volume from the rendered
// ConfigMap or Secret it names.
func volumeFiles(t *testing.T, c chart, d deployment, name string) map[string]string {
	t.Helper()
	for _, v := range d.Spec.Template.Spec.Volumes {
		if v.Name != name {
			continue
		}
		kind, obj := "ConfigMap", ""
		switch {
		case v.ConfigMap != nil:
			obj = v.ConfigMap.Name
		case v.Secret != nil:
			kind, obj = "Secret", v.Secret.SecretName
		default:
			t.Fatalf("volume %s is neither a ConfigMap nor a Secret", name)
		}
		for _, cm := range all[configMap](t, c, kind) {
			if cm.Metadata.Name != obj {
				continue
			}
			files := map[string]string{}
			for k, v := range cm.Data {
				files[k] = v
			}
			for k, v := range cm.StringData {
				files[k] = v
			}
			return files
		}
		t.Fatalf("volume %s: the chart renders no %s %s", name, kind, obj)
	}
	t.Fatalf("no volume %s", name)
	return nil
}

// writeVolume writes files into dir as the kubelet's AtomicWriter does: in
// a new timestamped directory that the ..data symlink is then swapped to,
// each file a symlink through ..data; the old directory is removed.
func writeVolume(t *testing.T, dir string, files map[string]string, version int) {
	t.Helper()
	ts := filepath.Join(dir, fmt.Sprintf("..2026_12_01_00_00_%02d.%d", version, version))
	if err := os.MkdirAll(ts, 0o755); err != nil {
		t.Fatal(err)
	}
	for k, v := range files {
		if err := os.WriteFile(filepath.Join(ts, k), []byte(v), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	data := filepath.Join(dir, "..data")
	old, err := os.Readlink(data)
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Base(ts), data+"_tmp"); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(data+"_tmp", data); err != nil {
		t.Fatal(err)
	}
	if old != "" {
		if err := os.RemoveAll(filepath.Join(dir, old)); err != nil {
			t.Fatal(err)
		}
		return
	}
	for k := range files {
		if err := os.Symlink(filepath.Join("..data", k), filepath.Join(dir, k)); err != nil {
			t.Fatal(err)
		}
	}
}

// kubeletProbe sends a probe as the kubelet does: a TCP connect, or a GET
// without credentials that does not verify the server's certificate, which
// passes on a status from 200 to 399.
func kubeletProbe(addr string, p *probe) error {
	if p.TCPSocket != nil {
		conn, err := net.DialTimeout("tcp", addr, time.Second)
		if err != nil {
			return err
		}
		return conn.Close()
	}
	code, _, err := fetch(strings.ToLower(p.HTTPGet.Scheme)+"://"+addr+p.HTTPGet.Path, "", "")
	if err != nil {
		return err
	}
	if code < 200 || code >= 400 {
		return fmt.Errorf("GET %s: status %d", p.HTTPGet.Path, code)
	}
	return nil
}

var insecureClient = &http.Client{
	Timeout:   5 * time.Second,
	Transport: &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}},
}

func fetch(url, user, pass string) (int, string, error) {
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		return 0, "", err
	}
	if user != "" {
		req.SetBasicAuth(user, pass)
	}
	resp, err := insecureClient.Do(req)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body), err
}

var revisionRE = regexp.MustCompile(`(?m)^figures_exporter_dataset_info\{revision="([0-9a-f]+)"\} 1$`)

func datasetRevision(t *testing.T, metrics string) string {
	t.Helper()
	m := revisionRE.FindStringSubmatch(metrics)
	if m == nil {
		t.Fatalf("no figures_exporter_dataset_info in the exposition")
	}
	return m[1]
}

// metricValue returns the value of an unlabelled series, or -1.
func metricValue(metrics, name string) float64 {
	for _, line := range strings.Split(metrics, "\n") {
		if v, ok := strings.CutPrefix(line, name+" "); ok {
			var f float64
			if _, err := fmt.Sscan(v, &f); err == nil {
				return f
			}
		}
	}
	return -1
}

// eventually polls cond every 100 ms until it returns nil or the timeout
// passes.
func eventually(t *testing.T, timeout time.Duration, what string, cond func() error) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		err := cond()
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("waiting %v for %s: %v", timeout, what, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// selfSignedPEM returns a certificate for 127.0.0.1 and its key.
func selfSignedPEM(t *testing.T) (cert, key string) {
	c, k, _ := testtools.SelfSignedPEM(t)
	return string(c), string(k)
}

// checkPageLinks checks that the exporter took externalURL and
// prometheusURL: the JSON API's links are absolute under the external URL,
// and each figure links to the Prometheus UI.
func checkPageLinks(t *testing.T, get func(path, user, pass string) (int, string, error)) {
	t.Helper()
	code, body, err := get("/api/v1/figures", "", "")
	if err != nil || code != http.StatusOK {
		t.Fatalf("/api/v1/figures: %d %v", code, err)
	}
	var api struct {
		Figures []struct {
			ID    string `json:"id"`
			Links struct {
				Page       string  `json:"page"`
				Prometheus *string `json:"prometheus"`
			} `json:"links"`
		} `json:"figures"`
	}
	if err := json.Unmarshal([]byte(body), &api); err != nil || len(api.Figures) == 0 {
		t.Fatalf("/api/v1/figures: %v, %d figures", err, len(api.Figures))
	}
	f := api.Figures[0]
	if want := "https://figures.example.com/figures/" + f.ID; f.Links.Page != want {
		t.Errorf("figure %s links to its page at %q, want %q (externalURL)", f.ID, f.Links.Page, want)
	}
	if p := f.Links.Prometheus; p == nil || !strings.HasPrefix(*p, "http://prometheus-operated.monitoring.svc:9090/graph?") {
		t.Errorf("figure %s links to Prometheus at %v, want the prometheusURL's /graph", f.ID, p)
	}
}
