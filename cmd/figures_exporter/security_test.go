package main

import (
	"bytes"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"golang.org/x/crypto/bcrypt"

	figuresexporter "github.com/figures-exporter/figures_exporter"
	"github.com/figures-exporter/figures_exporter/exporter/figures"
	"github.com/figures-exporter/figures_exporter/exporter/reload"
	"github.com/figures-exporter/figures_exporter/exporter/web"
)

// TestWebConfigAuthAndTLS runs the exporter behind a web config file (TLS
// with a minimum version, basic auth with a bcrypt hash) and checks who gets
// in: every path wants credentials, a wrong password or user is refused with
// 401, /-/reload is POST only and behind the same authentication, and a
// client offering only TLS versions below the configured minimum fails the
// handshake.
func TestWebConfigAuthAndTLS(t *testing.T) {
	const user, password = "prometheus", "correct horse battery staple"
	hash, err := bcrypt.GenerateFromPassword([]byte(password), bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	for _, cfg := range []struct {
		minVersion string
		refused    uint16 // highest client version that must be refused
		accepted   uint16
	}{
		{"TLS13", tls.VersionTLS12, tls.VersionTLS13},
		{"TLS12", tls.VersionTLS11, tls.VersionTLS12},
	} {
		t.Run("min_version "+cfg.minVersion, func(t *testing.T) {
			dir := t.TempDir()
			certFile, keyFile, pool := selfSigned(t, dir)
			webConfig := filepath.Join(dir, "web-config.yml")
			writeFile(t, webConfig, fmt.Appendf(nil, "tls_server_config:\n  cert_file: %s\n  key_file: %s\n  min_version: %s\nbasic_auth_users:\n  %s: %s\n",
				certFile, keyFile, cfg.minVersion, user, hash))
			p := startExporter(t, nil, "http", "--web.config.file="+webConfig, "--web.enable-lifecycle", "--figures.file="+copyFile(t, "figures.yaml"), "--no-figures.watch")
			client := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{
				RootCAs: pool, MinVersion: tls.VersionTLS12, MaxVersion: cfg.accepted,
			}}}
			base := "https://" + p.addr

			tests := []struct {
				method, path string
				user, pass   string
				want         int
			}{
				{"GET", "/metrics", "", "", http.StatusUnauthorized},
				{"GET", "/metrics", user, "wrong", http.StatusUnauthorized},
				{"GET", "/metrics", user, "", http.StatusUnauthorized},
				{"GET", "/metrics", "intruder", password, http.StatusUnauthorized},
				{"GET", "/metrics", strings.ToUpper(user), password, http.StatusUnauthorized},
				{"GET", "/metrics", user, password, http.StatusOK},
				{"GET", "/", "", "", http.StatusUnauthorized},
				{"GET", "/", user, password, http.StatusOK},
				{"GET", "/-/ready", "", "", http.StatusUnauthorized},
				{"POST", "/-/reload", "", "", http.StatusUnauthorized},
				{"POST", "/-/reload", user, "wrong", http.StatusUnauthorized},
				{"GET", "/-/reload", user, password, http.StatusMethodNotAllowed},
				{"PUT", "/-/reload", user, password, http.StatusMethodNotAllowed},
				{"POST", "/-/reload", user, password, http.StatusOK},
			}
			for _, tc := range tests {
				req, err := http.NewRequest(tc.method, base+tc.path, nil)
				if err != nil {
					t.Fatal(err)
				}
				if tc.user != "" || tc.pass != "" {
					req.SetBasicAuth(tc.user, tc.pass)
				}
				resp, err := client.Do(req)
				if err != nil {
					t.Fatalf("%s %s: %v", tc.method, tc.path, err)
				}
				body, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				if resp.StatusCode != tc.want {
					t.Errorf("%s %s as %q/%q: %d, want %d", tc.method, tc.path, tc.user, tc.pass, resp.StatusCode, tc.want)
				}
				if tc.want == http.StatusUnauthorized && bytes.Contains(body, []byte("figures_")) {
					t.Errorf("%s %s: a 401 answer carries figures: %.200s", tc.method, tc.path, body)
				}
			}

			// A client that offers only versions below the minimum.
			old := &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS10, MaxVersion: cfg.refused}
			conn, err := tls.Dial("tcp", p.addr, old)
			if err == nil {
				conn.Close()
				t.Errorf("a client limited to %s completed a handshake; min_version is %s", tls.VersionName(cfg.refused), cfg.minVersion)
			} else {
				t.Logf("%s client refused: %v", tls.VersionName(cfg.refused), err)
			}
			// Plain HTTP on the TLS port gets no data.
			resp, err := http.Get("http://" + p.addr + "/metrics")
			if err == nil {
				body, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				if resp.StatusCode == http.StatusOK || bytes.Contains(body, []byte("figures_")) {
					t.Errorf("plain HTTP on the TLS port: %d %.200s", resp.StatusCode, body)
				}
			}
		})
	}
}

// TestLifecycleOffByDefault: without --web.enable-lifecycle, POST /-/reload
// is forbidden (403) and reloads nothing; other methods get 405.
func TestLifecycleOffByDefault(t *testing.T) {
	p := startExporter(t, nil, "http", "--figures.file="+copyFile(t, "figures.yaml"), "--no-figures.watch")
	for method, want := range map[string]int{"POST": http.StatusForbidden, "GET": http.StatusMethodNotAllowed, "DELETE": http.StatusMethodNotAllowed} {
		req, _ := http.NewRequest(method, "http://"+p.addr+"/-/reload", nil)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != want {
			t.Errorf("%s /-/reload: %d, want %d", method, resp.StatusCode, want)
		}
	}
	if strings.Contains(p.Log(), `trigger=http`) {
		t.Errorf("a reload ran over HTTP with the lifecycle API off:\n%s", p.Log())
	}
}

// TestSlowClientsAreCutOff: a client that sends its request headers a byte
// at a time (slowloris), or connects and sends nothing, or stalls in the TLS
// handshake, is disconnected by the server once --web.read-header-timeout
// passes, instead of holding the connection open.
func TestSlowClientsAreCutOff(t *testing.T) {
	const timeout = time.Second
	plain := startExporter(t, nil, "http", "--figures.file="+copyFile(t, "figures.yaml"), "--no-figures.watch", "--web.read-header-timeout="+timeout.String())
	dir := t.TempDir()
	certFile, keyFile, _ := selfSigned(t, dir)
	webConfig := filepath.Join(dir, "web-config.yml")
	writeFile(t, webConfig, fmt.Appendf(nil, "tls_server_config:\n  cert_file: %s\n  key_file: %s\n", certFile, keyFile))
	withTLS := startExporter(t, nil, "http", "--figures.file="+copyFile(t, "figures.yaml"), "--no-figures.watch", "--web.read-header-timeout="+timeout.String(), "--web.config.file="+webConfig)

	tests := []struct {
		name string
		addr string
		send string // sent a byte at a time, then more bytes forever
	}{
		{"headers a byte at a time", plain.addr, "GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: "},
		{"silent connection", plain.addr, ""},
		{"stalled TLS handshake", withTLS.addr, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			conn, err := net.Dial("tcp", tc.addr)
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			start := time.Now()
			closed := make(chan error, 1)
			go func() {
				// The server answers nothing useful: it closes the connection
				// (some servers send a 4xx first). Read until EOF or error.
				_, err := io.Copy(io.Discard, conn)
				closed <- err
			}()
			tick := time.NewTicker(100 * time.Millisecond)
			defer tick.Stop()
			sent := 0
			limit := time.After(20 * timeout)
			for {
				select {
				case err := <-closed:
					took := time.Since(start)
					t.Logf("cut off after %v (%d bytes sent; read error: %v)", took.Round(10*time.Millisecond), sent, err)
					if took < timeout/2 {
						t.Errorf("cut off after %v, before the read-header timeout (%v): not the timeout at work", took, timeout)
					}
					return
				case <-limit:
					t.Fatalf("connection still open after %v with %d bytes sent", 20*timeout, sent)
				case <-tick.C:
					if tc.send == "" {
						continue
					}
					b := byte('a')
					if sent < len(tc.send) {
						b = tc.send[sent]
					}
					if _, err := conn.Write([]byte{b}); err != nil && !errors.Is(err, net.ErrClosed) {
						// The server closed its end; the reader reports it.
						continue
					}
					sent++
				}
			}
		})
	}
	// The exporter still serves after all that.
	resp, err := http.Get("http://" + plain.addr + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("/metrics after the slow clients: %d", resp.StatusCode)
	}
}

// blockingCollector holds every Collect until release is closed, so that a
// test can keep scrapes in flight for as long as it wants.
type blockingCollector struct {
	entered chan struct{}
	release chan struct{}
	desc    *prometheus.Desc
}

func (c *blockingCollector) Describe(ch chan<- *prometheus.Desc) { ch <- c.desc }

func (c *blockingCollector) Collect(ch chan<- prometheus.Metric) {
	c.entered <- struct{}{}
	<-c.release
	ch <- prometheus.MustNewConstMetric(c.desc, prometheus.GaugeValue, 1)
}

// TestConcurrentScrapeCap: with --web.max-requests=N, N scrapes in flight
// are served and one more is answered 503 at once; when they finish, scrapes
// are served again. The scrapes are held in flight by a collector that
// blocks, so the test does not depend on timing.
func TestConcurrentScrapeCap(t *testing.T) {
	const limit = 3
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	reg := prometheus.NewRegistry()
	holder := reload.NewHolder(reload.Source{Embedded: &figures.RawFile{Name: figuresexporter.DefaultFiguresName, Data: figuresexporter.DefaultFigures}}, logger, reg)
	if result, diags := holder.Reload(reload.TriggerStartup); result != reload.ResultSuccess {
		t.Fatalf("startup: %s %v", result, diags)
	}
	bc := &blockingCollector{entered: make(chan struct{}, limit), release: make(chan struct{}), desc: prometheus.NewDesc("test_blocking", "Blocks scrapes.", nil, nil)}
	reg.MustRegister(bc)
	srv := httptest.NewServer(web.MetricsHandler(holder, reg, limit, logger))
	t.Cleanup(srv.Close)
	released := false
	release := func() {
		if !released {
			released = true
			close(bc.release)
		}
	}
	t.Cleanup(release)

	codes := make(chan int, limit)
	for i := 0; i < limit; i++ {
		go func() {
			resp, err := http.Get(srv.URL)
			if err != nil {
				codes <- 0
				return
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			codes <- resp.StatusCode
		}()
	}
	for i := 0; i < limit; i++ {
		select {
		case <-bc.entered:
		case <-time.After(30 * time.Second):
			t.Fatalf("only %d of %d scrapes reached the collector", i, limit)
		}
	}
	resp, err := http.Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("scrape %d with %d in flight: %d, want 503", limit+1, limit, resp.StatusCode)
	}
	if bytes.Contains(body, []byte("figures_")) {
		t.Errorf("the 503 answer carries figures: %.200s", body)
	}
	release()
	for i := 0; i < limit; i++ {
		select {
		case code := <-codes:
			if code != http.StatusOK {
				t.Errorf("a scrape within the limit got %d", code)
			}
		case <-time.After(30 * time.Second):
			t.Fatal("the scrapes in flight did not finish after release")
		}
	}
	resp, err = http.Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("scrape after the others finished: %d, want 200", resp.StatusCode)
	}
}

// TestNothingLeaksFileContents breaks the figures file in ways whose
// diagnostics could echo it (long unknown values, long names, a secret in a
// comment or beyond the part a message quotes) and checks that neither the
// /-/reload answer, the pages (/, /status, the API), /metrics, an unknown path nor the log
// carries the marker planted in the file.
func TestNothingLeaksFileContents(t *testing.T) {
	const marker = "LEAKED-7f3a9c"
	path := copyFile(t, "figures.yaml")
	p := startExporter(t, nil, "http", "--figures.file="+path, "--no-figures.watch", "--web.enable-lifecycle")
	good := figuresexporter.DefaultFigures
	pad := strings.Repeat("x", 300)
	// Each bad file is the good one with an edit; the marker is never in a
	// place a message may quote in full.
	edits := []struct {
		name string
		old  string
		new  string
	}{
		{"secret in a comment next to a syntax error", "families:\n", "# api_token: " + marker + "\nfamilies:\n  - \"unclosed\n"},
		{"long value that is not a number", "value: 1.37e6", "value: " + pad + marker},
		{"long unknown field", "value: 1.37e6", "value: 1.37e6\n    " + pad + marker + ": 1"},
		{"long undefined family", "family: figures_cyberattacks_daily_average", "family: figures_" + pad + marker},
		{"long date", "curated: 2026-11-22", "curated: " + pad + marker},
		{"marker inside a quoted scalar with a control character", "quote: \"", "quote: \"\\u0007" + pad + marker},
	}
	for _, e := range edits {
		t.Run(e.name, func(t *testing.T) {
			if !bytes.Contains(good, []byte(e.old)) {
				t.Fatalf("figures.yaml lacks %q", e.old)
			}
			writeFile(t, path, bytes.Replace(good, []byte(e.old), []byte(e.new), 1))
			resp, err := http.Post("http://"+p.addr+"/-/reload", "text/plain", nil)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusInternalServerError {
				t.Errorf("POST /-/reload of a bad file: %d, want 500\n%s", resp.StatusCode, body)
			}
			if !bytes.Contains(body, []byte(path+":")) {
				t.Errorf("the /-/reload answer does not name the file: %.300s", body)
			}
			pages := map[string][]byte{"/-/reload": body}
			for _, page := range []string{"/", "/status", "/api/v1/figures", "/metrics", "/figures.yaml", "/" + filepath.Base(path), "/../../" + path} {
				r, err := http.Get("http://" + p.addr + page)
				if err != nil {
					t.Fatal(err)
				}
				b, _ := io.ReadAll(r.Body)
				r.Body.Close()
				pages[page] = b
			}
			pages["log"] = []byte(p.Log())
			for where, b := range pages {
				if bytes.Contains(b, []byte(marker)) {
					i := bytes.Index(b, []byte(marker))
					t.Errorf("%s carries the marker planted in the file: …%s…", where, b[max(0, i-200):min(len(b), i+50)])
				}
			}
			if len(body) > 4096 {
				t.Errorf("the /-/reload answer is %d bytes long", len(body))
			}
		})
	}
	writeFile(t, path, good)
	resp, err := http.Post("http://"+p.addr+"/-/reload", "text/plain", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("POST /-/reload of the good file: %d", resp.StatusCode)
	}
}
