package main

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/figures-exporter/figures_exporter/internal/testtools"
)

// writeTLSWebConfig writes a self-signed certificate for 127.0.0.1 and an
// exporter-toolkit web config with TLS and one basic-auth user, and returns
// the config path and a pool trusting the certificate.
func writeTLSWebConfig(t *testing.T, user, password string) (string, *x509.CertPool) {
	t.Helper()
	dir := t.TempDir()
	certPath, keyPath, pool := selfSigned(t, dir)
	hash, err := bcrypt.GenerateFromPassword([]byte(password), bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	configPath := filepath.Join(dir, "web-config.yml")
	writeFile(t, configPath, fmt.Appendf(nil, "tls_server_config:\n  cert_file: %s\n  key_file: %s\n  min_version: TLS12\nbasic_auth_users:\n  %s: %s\n", certPath, keyPath, user, hash))
	return configPath, pool
}

// selfSigned writes a fresh self-signed certificate for 127.0.0.1 and its
// key to dir and returns their paths and a pool trusting the certificate.
func selfSigned(t *testing.T, dir string) (certFile, keyFile string, pool *x509.CertPool) {
	t.Helper()
	certPEM, keyPEM, cert := testtools.SelfSignedPEM(t)
	certFile, keyFile = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	writeFile(t, certFile, certPEM)
	writeFile(t, keyFile, keyPEM)
	pool = x509.NewCertPool()
	pool.AddCert(cert)
	return certFile, keyFile, pool
}

func writeFile(t *testing.T, path string, data []byte) {
	t.Helper()
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
}

// TestTLSAndBasicAuth serves over TLS with basic auth configured through
// --web.config.file, as exporter-toolkit documents it.
func TestTLSAndBasicAuth(t *testing.T) {
	configPath, pool := writeTLSWebConfig(t, "analyst", "s3cret-passw0rd")
	client := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
	p := startExporter(t, client, "https", "--web.config.file="+configPath)

	for _, tc := range []struct {
		name, user, password string
		want                 int
	}{
		{"no credentials", "", "", http.StatusUnauthorized},
		{"wrong password", "analyst", "guess", http.StatusUnauthorized},
		{"unknown user", "root", "s3cret-passw0rd", http.StatusUnauthorized},
		{"right credentials", "analyst", "s3cret-passw0rd", http.StatusOK},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req, _ := http.NewRequest(http.MethodGet, p.url("/metrics"), nil)
			if tc.user != "" {
				req.SetBasicAuth(tc.user, tc.password)
			}
			resp, err := client.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != tc.want {
				t.Errorf("status %d, want %d", resp.StatusCode, tc.want)
			}
		})
	}
	t.Run("plain HTTP is refused", func(t *testing.T) {
		resp, err := (&http.Client{Timeout: 5 * time.Second}).Get("http://" + p.addr + "/metrics")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				t.Error("plain HTTP scrape succeeded on a TLS listener")
			}
		}
	})
}
