// Command figures_exporter serves curated figures on state-backed
// cyberattacks against South Korea as Prometheus metrics, and checks figures
// files (`figures_exporter check FILE...`).
package main

import (
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strings"
	"time"

	"github.com/alecthomas/kingpin/v2"
	"github.com/alecthomas/units"
	"github.com/prometheus/common/promslog"
	promslogflag "github.com/prometheus/common/promslog/flag"
	"github.com/prometheus/common/version"
	toolkitweb "github.com/prometheus/exporter-toolkit/web"
	"github.com/prometheus/exporter-toolkit/web/kingpinflag"

	"github.com/figures-exporter/figures_exporter/exporter/figures"
)

const (
	name = "figures_exporter"
	// defaultAddress: the 9100-9999 range of Prometheus' default port
	// allocations is used up, so the exporter takes a port above it.
	defaultAddress = ":10523"
)

func main() {
	stampVersion()
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// stampVersion fills in the version the release build sets with -ldflags
// (see the Dockerfile) from what the Go toolchain records in every binary:
// the module version (a tag, or a pseudo-version of the commit) and the VCS
// revision and time, so that `go run` and `go build` binaries say what they
// are instead of version="" and revision=unknown.
func stampVersion() {
	info, ok := debug.ReadBuildInfo()
	if !ok || version.Version != "" {
		return
	}
	version.Version = strings.TrimPrefix(info.Main.Version, "v")
	if version.Version == "" || version.Version == "(devel)" {
		version.Version = "devel"
	}
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			version.Revision = s.Value
		case "vcs.time":
			version.BuildDate = s.Value
		case "vcs.modified":
			if s.Value == "true" {
				version.Revision += "-dirty"
			}
		}
	}
	version.GoVersion = info.GoVersion
}

// serveFlags are the flags of the default command, which serves metrics.
type serveFlags struct {
	files             []string
	maxFileSize       units.Base2Bytes
	schedule          string
	watch             bool
	telemetryPath     string
	lifecycle         bool
	maxRequests       int
	readHeaderTimeout time.Duration
	toolkit           *toolkitweb.FlagConfig
	promslogConfig    promslog.Config
}

type checkFlags struct {
	coverage, strict bool
	files            []string
	maxFileSize      units.Base2Bytes
	seedsDir         string
}

func run(args []string, stdout, stderr io.Writer) int {
	app := kingpin.New(name, "Serves curated figures on state-backed cyberattacks against South Korea as Prometheus metrics.")
	app.ErrorWriter(stderr)
	// --help and --version print and ask to terminate; kingpin's default
	// would os.Exit, and with Terminate(nil) parsing carries on into the
	// default command (the server). Record the request and return instead.
	terminated := false
	app.Terminate(func(int) { terminated = true })
	app.Version(version.Print(name))
	app.HelpFlag.Short('h')
	app.UsageWriter(stdout)

	var sf serveFlags
	// The serving flags are the application's own, as in node_exporter, so
	// that `figures_exporter --web.listen-address=...` works without naming
	// the default command.
	serve := app.Command("serve", "Serve the figures as Prometheus metrics (the default).").Default()
	app.Flag("figures.file", "Figures file or directory of *.yaml files, merged into one dataset. Repeatable. Default: the dataset embedded in the binary.").StringsVar(&sf.files)
	app.Flag("figures.max-file-size", "Largest figures file that is read; larger ones are refused.").Default(units.Base2Bytes(figures.DefaultMaxFileSize).String()).BytesVar(&sf.maxFileSize)
	app.Flag("figures.reload-schedule", "Also reload on this schedule: a cron spec (\"*/5 * * * *\") or a descriptor (\"@every 5m\", \"@hourly\"). Empty: no scheduled reloads.").Default("").StringVar(&sf.schedule)
	app.Flag("figures.watch", "Reload when the figures files change on disk.").Default("true").BoolVar(&sf.watch)
	app.Flag("web.telemetry-path", "Path under which to expose metrics.").Default("/metrics").StringVar(&sf.telemetryPath)
	app.Flag("web.enable-lifecycle", "Enable reloading via HTTP POST to /-/reload.").Default("false").BoolVar(&sf.lifecycle)
	app.Flag("web.max-requests", "Maximum number of parallel scrape requests; more get 503. 0 disables the limit.").Default("40").IntVar(&sf.maxRequests)
	app.Flag("web.read-header-timeout", "How long a client may take to send its request headers before the connection is closed.").Default("10s").DurationVar(&sf.readHeaderTimeout)
	sf.toolkit = kingpinflag.AddFlags(app, defaultAddress)
	promslogflag.AddFlags(app, &sf.promslogConfig)

	var cf checkFlags
	check := app.Command("check", "Validate figures files and report every problem as FILE:LINE:COLUMN: message. Exits 1 on any error.")
	check.Arg("file", "Figures files or directories, checked as one dataset.").Required().StringsVar(&cf.files)
	check.Flag("seeds.dir", "Directory of the source articles' text: when set, every quote must appear verbatim in its source's seed file, and every seed must have the sha256 its source records.").StringVar(&cf.seedsDir)
	check.Flag("coverage", "With --seeds.dir: also report every number of a cited article that no figure's quote holds and no excluded entry names.").BoolVar(&cf.coverage)
	check.Flag("strict", "Report the numbers --coverage finds as errors, not warnings.").BoolVar(&cf.strict)

	var ef extractFlags
	extractCmd := app.Command("extract", "Propose figures from articles (plain text or HTML, English or Korean): figures entries to review and paste under `figures:`.")
	extractCmd.Arg("file", "Article files.").Required().StringsVar(&ef.files)
	extractCmd.Flag("source-stub", "Write a whole report file for one article: a sources: entry (seed, sha256, title, TODO grades) unless the article already is a source's seed, and its proposals under figures:, to check beside the dataset.").BoolVar(&ef.sourceStub)
	extractCmd.Flag("format", "yaml: figures entries marked as proposals; json: an array of candidates; text: the text extraction reads (for HTML, what to save as the seed).").Default("yaml").EnumVar(&ef.format, "yaml", "json", "text")

	ef2 := exportFlags{labels: map[string]string{}}
	exportCmd := app.Command("export", "Write every figure as a sample at its period's end, for promtool tsdb create-blocks-from openmetrics (backfilling a Prometheus).")
	exportCmd.Arg("file", "Figures files or directories. Default: the dataset embedded in the binary.").StringsVar(&ef2.files)
	exportCmd.Flag("format", "Output format.").Default("openmetrics").EnumVar(&ef2.format, "openmetrics")
	exportCmd.Flag("label", "A label NAME=VALUE to add to every series, such as job=figures so that the dashboards' selectors match. Repeatable.").StringMapVar(&ef2.labels)

	cmd, err := app.Parse(args)
	if terminated {
		return 0
	}
	if err != nil {
		fmt.Fprintf(stderr, "%s: %s\n", name, err)
		return 2
	}
	switch cmd {
	case check.FullCommand():
		cf.maxFileSize = sf.maxFileSize
		return runCheck(cf, stdout)
	case exportCmd.FullCommand():
		ef2.maxFileSize = int64(sf.maxFileSize)
		return runExport(ef2, stdout, stderr)
	case serve.FullCommand():
		return runServe(sf, stderr)
	case extractCmd.FullCommand():
		ef.figuresFiles, ef.maxFileSize = sf.files, int64(sf.maxFileSize)
		return runExtract(ef, stdout, stderr)
	}
	// --help and --version have printed and asked to terminate.
	return 0
}
