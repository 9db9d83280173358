package deploy

import (
	"bytes"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/figures-exporter/figures_exporter/internal/testtools"
)

// crdModule holds the Prometheus Operator's CRDs
// (example/prometheus-operator-crd). The module proxy here serves no later
// version of the operator's root module; the monitoringv1 types chartcheck
// decodes into are v0.95.2.
const crdModule = "github.com/prometheus-operator/prometheus-operator@v0.85.0"

// TestHelmChartAPIServer applies every value set of the chart tests to a
// real kube-apiserver (k8s.io/kubernetes v1.37.2 on an embedded etcd) with
// the ServiceMonitor and PrometheusRule CRDs installed: each object is
// created with strict field validation and a server-side dry run, so it
// goes through decoding, defaulting, validation, the CRDs' OpenAPI schemas
// and admission, and the Deployment's pod template is created as a Pod in
// a namespace that enforces the restricted Pod Security Standard. No
// controller runs: nothing is scheduled.
//
// Building kube-apiserver takes minutes and ~3 GB on a cold cache, so the
// test runs only with FIGURES_TEST_KUBERNETES=1.
func TestHelmChartAPIServer(t *testing.T) {
	kubernetesTests(t)
	t.Parallel()
	api := startAPIServer(t)
	crds := crdDir(t)
	for _, f := range []string{"monitoring.coreos.com_servicemonitors.yaml", "monitoring.coreos.com_prometheusrules.yaml"} {
		var crd map[string]any
		testtools.ReadYAML(t, filepath.Join(crds, f), &crd)
		if code, body := api.do(t, http.MethodPost, "/apis/apiextensions.k8s.io/v1/customresourcedefinitions", crd); code != http.StatusCreated {
			t.Fatalf("creating the CRD of %s: %d %s", f, code, body)
		}
		name := crd["metadata"].(map[string]any)["name"].(string)
		eventually(t, 30*time.Second, "CRD "+name+" to be established", func() error {
			_, body := api.do(t, http.MethodGet, "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/"+name, nil)
			if !bytes.Contains(body, []byte(`"type":"Established","status":"True"`)) {
				return fmt.Errorf("not established: %.300s", body)
			}
			return nil
		})
	}
	namespaces := map[string]bool{}
	for i, tc := range chartCases(t) {
		t.Run(tc.name, func(t *testing.T) {
			// A namespace per case: the ServiceAccounts created for the
			// pods below are real, and cases share release names.
			c := render(t, tc.release, fmt.Sprintf("case-%d", i), tc.values...)
			for _, o := range c.Objects {
				var obj struct {
					APIVersion string     `json:"apiVersion"`
					Metadata   objectMeta `json:"metadata"`
				}
				if err := json.Unmarshal(o.Object, &obj); err != nil {
					t.Fatal(err)
				}
				api.namespace(t, obj.Metadata.Namespace, namespaces)
				path := resourcePath(t, obj.APIVersion, o.Kind, obj.Metadata.Namespace)
				if code, body := api.do(t, http.MethodPost, path+"?dryRun=All&fieldValidation=Strict", o.Object); code != http.StatusCreated {
					t.Errorf("the API server refuses %s %s: %d %s", o.Kind, o.Name, code, body)
				}
			}
			d := one[deployment](t, c, "Deployment")
			api.serviceAccount(t, d.Metadata.Namespace, d.Spec.Template.Spec.ServiceAccountName)
			pod := map[string]any{
				"apiVersion": "v1", "kind": "Pod",
				"metadata": map[string]any{"name": d.Metadata.Name, "labels": d.Spec.Template.Metadata.Labels},
				"spec":     rawPodSpec(t, c),
			}
			if code, body := api.do(t, http.MethodPost, "/api/v1/namespaces/"+d.Metadata.Namespace+"/pods?dryRun=All&fieldValidation=Strict", pod); code != http.StatusCreated {
				t.Errorf("the pod of the Deployment is refused in a namespace enforcing the restricted Pod Security Standard: %d %s", code, body)
			}
		})
	}
	// The server does refuse what the chart must not render.
	t.Run("refusals", func(t *testing.T) {
		api.namespace(t, "threat", namespaces)
		api.serviceAccount(t, "threat", "default")
		for _, bad := range []struct {
			name, path, obj string
			code            int
			want            string
		}{
			{"an unknown field", "/api/v1/namespaces/threat/configmaps",
				`{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"x"},"dataa":{}}`,
				http.StatusBadRequest, `unknown field \"dataa\"`},
			{"an unknown field of a ServiceMonitor", "/apis/monitoring.coreos.com/v1/namespaces/threat/servicemonitors",
				`{"apiVersion":"monitoring.coreos.com/v1","kind":"ServiceMonitor","metadata":{"name":"x"},"spec":{"selector":{},"endpoints":[{"port":"http","intervall":"30s"}]}}`,
				http.StatusBadRequest, `unknown field \"spec.endpoints[0].intervall\"`},
			{"a root pod", "/api/v1/namespaces/threat/pods",
				`{"apiVersion":"v1","kind":"Pod","metadata":{"name":"x"},"spec":{"containers":[{"name":"c","image":"i"}]}}`,
				http.StatusForbidden, `violates PodSecurity \"restricted:latest\"`},
		} {
			code, body := api.do(t, http.MethodPost, bad.path+"?dryRun=All&fieldValidation=Strict", json.RawMessage(bad.obj))
			if code != bad.code || !strings.Contains(string(body), bad.want) {
				t.Errorf("%s: the API server answers %d %s, want %d and %s", bad.name, code, body, bad.code, bad.want)
			}
		}
	})
}

// kubernetesTests skips the tests that build Kubernetes or Prometheus
// Operator code (minutes and gigabytes on a cold cache, beyond what the
// README's test command may cost) unless FIGURES_TEST_KUBERNETES=1.
func kubernetesTests(t *testing.T) {
	t.Helper()
	if os.Getenv("FIGURES_TEST_KUBERNETES") != "1" {
		t.Skip("set FIGURES_TEST_KUBERNETES=1 to build kube-apiserver and the Prometheus Operator's code (minutes on a cold cache) and check the chart with them")
	}
}

// rawPodSpec returns the Deployment's pod template spec as rendered.
func rawPodSpec(t *testing.T, c chart) json.RawMessage {
	t.Helper()
	d := one[struct {
		Spec struct {
			Template struct {
				Spec json.RawMessage `json:"spec"`
			} `json:"template"`
		} `json:"spec"`
	}](t, c, "Deployment")
	return d.Spec.Template.Spec
}

// resourcePath returns the REST collection of a kind in a namespace.
func resourcePath(t *testing.T, apiVersion, kind, namespace string) string {
	t.Helper()
	resource := map[string]string{
		"ConfigMap": "configmaps", "Secret": "secrets", "Service": "services", "ServiceAccount": "serviceaccounts",
		"Deployment": "deployments", "PodDisruptionBudget": "poddisruptionbudgets",
		"ServiceMonitor": "servicemonitors", "PrometheusRule": "prometheusrules",
	}[kind]
	if resource == "" {
		t.Fatalf("no REST path known for kind %s", kind)
	}
	prefix := "/apis/" + apiVersion
	if !strings.Contains(apiVersion, "/") {
		prefix = "/api/" + apiVersion
	}
	return prefix + "/namespaces/" + namespace + "/" + resource
}

// apiServer is a running kube-apiserver and the token of an admin.
type apiServer struct {
	url    string
	token  string
	client *http.Client
}

func (a *apiServer) do(t *testing.T, method, path string, body any) (int, []byte) {
	t.Helper()
	var r io.Reader
	if body != nil {
		data, err := json.Marshal(body)
		if err != nil {
			t.Fatal(err)
		}
		r = bytes.NewReader(data)
	}
	req, err := http.NewRequest(method, a.url+path, r)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+a.token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := a.client.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, data
}

// namespace creates a namespace once, labelled to enforce the restricted
// Pod Security Standard.
func (a *apiServer) namespace(t *testing.T, name string, done map[string]bool) {
	t.Helper()
	if done[name] {
		return
	}
	ns := map[string]any{"apiVersion": "v1", "kind": "Namespace", "metadata": map[string]any{
		"name": name, "labels": map[string]string{"pod-security.kubernetes.io/enforce": "restricted"},
	}}
	if code, body := a.do(t, http.MethodPost, "/api/v1/namespaces", ns); code != http.StatusCreated {
		t.Fatalf("creating namespace %s: %d %s", name, code, body)
	}
	done[name] = true
}

// serviceAccount creates a ServiceAccount unless it exists. The
// ServiceAccount admission plugin refuses a pod whose ServiceAccount does
// not exist; without a controller manager nobody else creates them (not
// even "default"), and a dry run of the chart's own creates nothing.
func (a *apiServer) serviceAccount(t *testing.T, namespace, name string) {
	t.Helper()
	sa := map[string]any{"apiVersion": "v1", "kind": "ServiceAccount", "metadata": map[string]any{"name": name}}
	if code, body := a.do(t, http.MethodPost, "/api/v1/namespaces/"+namespace+"/serviceaccounts", sa); code != http.StatusCreated && code != http.StatusConflict {
		t.Fatalf("creating ServiceAccount %s/%s: %d %s", namespace, name, code, body)
	}
}

// startAPIServer starts etcd and kube-apiserver on free loopback ports and
// waits until the API server is ready.
func startAPIServer(t *testing.T) *apiServer {
	t.Helper()
	dir := t.TempDir()
	client, peer := testtools.FreeAddr(t), testtools.FreeAddr(t)
	etcd := testtools.Start(t, "etcd", testtools.Tool(t, "etcd"),
		"-data-dir", filepath.Join(dir, "etcd"), "-listen-client", "http://"+client, "-listen-peer", "http://"+peer)
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	keyFile := filepath.Join(dir, "sa.key")
	if err := os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)}), 0o600); err != nil {
		t.Fatal(err)
	}
	token := fmt.Sprintf("%x", key.D.Bytes()[:16])
	tokens := filepath.Join(dir, "tokens.csv")
	if err := os.WriteFile(tokens, []byte(token+",admin,admin,system:masters\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	addr := testtools.FreeAddr(t)
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		t.Fatal(err)
	}
	kas := testtools.Start(t, "kube-apiserver", testtools.Tool(t, "kube-apiserver"),
		"--etcd-servers=http://"+client,
		"--bind-address="+host, "--secure-port="+port, "--cert-dir="+filepath.Join(dir, "certs"),
		"--token-auth-file="+tokens, "--authorization-mode=RBAC",
		"--service-account-issuer=https://kubernetes.default.svc",
		"--service-account-key-file="+keyFile, "--service-account-signing-key-file="+keyFile,
		"--service-cluster-ip-range=10.96.0.0/24")
	api := &apiServer{url: "https://" + addr, token: token, client: insecureClient}
	eventually(t, 90*time.Second, "kube-apiserver to be ready", func() error {
		if etcd.Exited() || kas.Exited() {
			t.Fatalf("etcd or kube-apiserver exited")
		}
		req, err := http.NewRequest(http.MethodGet, api.url+"/readyz", nil)
		if err != nil {
			return err
		}
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := api.client.Do(req)
		if err != nil {
			return err
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			return fmt.Errorf("/readyz: %d", resp.StatusCode)
		}
		return nil
	})
	return api
}

// crdDir downloads the operator's module into the module cache and returns
// its CRD directory.
func crdDir(t *testing.T) string {
	t.Helper()
	cmd := exec.Command("go", "mod", "download", "-json", crdModule)
	cmd.Dir = filepath.Join(testtools.RepoRoot(t), "tools", "kube-apiserver")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go mod download %s: %v\n%s", crdModule, err, out)
	}
	var m struct{ Dir string }
	if err := json.Unmarshal(out, &m); err != nil || m.Dir == "" {
		t.Fatalf("go mod download %s: %v\n%s", crdModule, err, out)
	}
	return filepath.Join(m.Dir, "example", "prometheus-operator-crd")
}
