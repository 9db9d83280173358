package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	versioncollector "github.com/prometheus/client_golang/prometheus/collectors/version"
	"github.com/prometheus/common/promslog"
	"github.com/prometheus/common/version"
	toolkitweb "github.com/prometheus/exporter-toolkit/web"

	figuresexporter "github.com/figures-exporter/figures_exporter"
	"github.com/figures-exporter/figures_exporter/exporter/reload"
	"github.com/figures-exporter/figures_exporter/exporter/web"
	"github.com/figures-exporter/figures_exporter/pages"
)

func runServe(sf serveFlags, stderr io.Writer) int {
	sf.promslogConfig.Writer = stderr
	logger := promslog.New(&sf.promslogConfig)
	logger.Info("Starting "+name, "version", version.Info())
	logger.Info("Build context", "build_context", version.BuildContext())

	reg := prometheus.NewRegistry()
	reg.MustRegister(
		versioncollector.NewCollector(name),
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
	)

	source := reload.Source{Paths: sf.files, MaxFileSize: int64(sf.maxFileSize)}
	if len(sf.files) == 0 {
		embedded := figuresexporter.Embedded()
		source.Embedded = &embedded
		logger.Info("No --figures.file given: serving the dataset embedded in the binary")
	}
	holder := reload.NewHolder(source, logger, reg)
	if result, _ := holder.Reload(reload.TriggerStartup); result == reload.ResultFailure {
		logger.Error("Cannot start: the figures are invalid (see the errors above)")
		return 1
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	if sf.schedule != "" {
		c, err := reload.Schedule(holder, sf.schedule)
		if err != nil {
			logger.Error("Cannot start", "err", err)
			return 1
		}
		defer c.Stop()
		logger.Info("Reloading figures on a schedule", "schedule", sf.schedule)
	}
	if sf.watch && len(sf.files) > 0 {
		if err := reload.Watch(ctx, holder, reload.DefaultDebounce); err != nil {
			logger.Error("Cannot watch the figures files", "err", err)
			return 1
		}
	}
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	defer signal.Stop(hup)
	go func() {
		for {
			select {
			case <-hup:
				holder.Reload(reload.TriggerSignal)
			case <-ctx.Done():
				return
			}
		}
	}()

	mux := http.NewServeMux()
	mux.Handle(sf.telemetryPath, web.MetricsHandler(holder, reg, sf.maxRequests, logger))
	mux.Handle("/-/reload", web.ReloadHandler(holder, sf.lifecycle))
	mux.Handle("/-/healthy", web.HealthyHandler())
	mux.Handle("/-/ready", web.ReadyHandler(holder))
	// The pages people read (/, /sources/, /figures/, /status, /api/v1/):
	// see docs/pages.md.
	pageOpts, err := sf.pagesOptions(len(sf.files) == 0)
	if err != nil {
		logger.Error("Cannot start", "err", err)
		return 1
	}
	pageOpts.TelemetryPath, pageOpts.Logger = sf.telemetryPath, logger
	pages.New(holder, pageOpts).Register(mux)
	server := &http.Server{
		Handler: mux,
		// Bound how long a client may take to send its request, so that slow
		// or stalled clients (slowloris) cannot hold connections open.
		ReadHeaderTimeout: sf.readHeaderTimeout,
		ReadTimeout:       sf.readHeaderTimeout + 10*time.Second,
		IdleTimeout:       2 * time.Minute,
	}
	go func() {
		<-ctx.Done()
		shutdownCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = server.Shutdown(shutdownCtx)
	}()
	if err := toolkitweb.ListenAndServe(server, sf.toolkit, logger); err != nil && !errors.Is(err, http.ErrServerClosed) {
		logger.Error("Error serving HTTP", "err", err)
		return 1
	}
	logger.Info("Shut down")
	return 0
}

// pagesOptions turns the pages' flags into pages.Options. The article text
// comes from --seeds.dir; without it, the embedded dataset is shown with
// the embedded seeds it cites, and a dataset from files without text.
func (sf serveFlags) pagesOptions(embedded bool) (pages.Options, error) {
	var o pages.Options
	for _, u := range []struct {
		flag, raw string
		dst       **url.URL
	}{{"--web.prometheus-url", sf.prometheusURL, &o.PrometheusURL}, {"--web.external-url", sf.externalURL, &o.ExternalURL}} {
		if u.raw == "" {
			continue
		}
		parsed, err := url.Parse(u.raw)
		if err != nil || (parsed.Scheme != "http" && parsed.Scheme != "https") || parsed.Host == "" {
			return o, fmt.Errorf("%s=%q: want an http or https URL such as http://prometheus:9090", u.flag, u.raw)
		}
		*u.dst = parsed
	}
	switch {
	case sf.seedsDir != "":
		if fi, err := os.Stat(sf.seedsDir); err != nil || !fi.IsDir() {
			return o, fmt.Errorf("--seeds.dir=%q is not a directory", sf.seedsDir)
		}
		o.Seeds = os.DirFS(sf.seedsDir)
	case embedded:
		o.Seeds = figuresexporter.DefaultSeeds
	}
	return o, nil
}
