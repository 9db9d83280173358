package pages

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/figures-exporter/figures_exporter/bench/synth"
	"github.com/figures-exporter/figures_exporter/exporter/reload"
)

// testServer serves the pages of a dataset loaded from files, as the
// exporter does: through a real holder, so the pages see what a reload
// published.
type testServer struct {
	holder  *reload.Holder
	pages   *Server
	handler http.Handler
}

func newTestServer(t testing.TB, paths []string, opts Options) *testServer {
	t.Helper()
	holder := reload.NewHolder(reload.Source{Paths: paths}, slog.New(slog.DiscardHandler), nil)
	if r, d := holder.Reload(reload.TriggerStartup); r != reload.ResultSuccess {
		t.Fatalf("loading %v: %s\n%v", paths, r, d)
	}
	p := New(holder, opts)
	return &testServer{holder: holder, pages: p, handler: p.Handler()}
}

// synthetic writes the benchmarks' synthetic dataset of n figures, in
// files of one report each as a curator splits them, and returns their
// paths.
func synthetic(t testing.TB, n int) []string {
	t.Helper()
	paths, err := synth.WriteFiles(t.TempDir(), n, synth.FiguresPerSource, 0)
	if err != nil {
		t.Fatal(err)
	}
	return paths
}

type response struct {
	status int
	header http.Header
	body   string
}

func (ts *testServer) get(t testing.TB, target string, header http.Header) response {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, target, nil)
	for k, v := range header {
		req.Header[k] = v
	}
	rec := httptest.NewRecorder()
	ts.handler.ServeHTTP(rec, req)
	body, _ := io.ReadAll(rec.Result().Body)
	return response{status: rec.Code, header: rec.Result().Header, body: string(body)}
}
