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
	// The pages' flags (see docs/pages.md).
	prometheusURL, externalURL, seedsDir string
}

type checkFlags struct {
	coverage, strict bool
	files            []string
	maxFileSize      units.Base2Bytes
	seedsDir         string
}

func run(args []string, stdout, stderr io.Writer) int {
	app := kingpin.New(name, "Serves curated figures on state-backed cyberattacks against South Korea as Prometheus metrics. "+
		"The server's flags (`"+name+" serve --help`) may be given without naming serve.")
	app.ErrorWriter(stderr)
	// --help and --version print and ask to terminate; kingpin's default
	// would os.Exit, and with Terminate(nil) parsing carries on into the
	// default command (the server). Record the request and return instead.
	terminated := false
	app.Terminate(func(int) { terminated = true })
	app.Version(version.Print(name))
	app.HelpFlag.Short('h')
	app.UsageWriter(stdout)

	// Each command has its own flags, one block each, so that a command's
	// --help lists only what it reads. The server's flags are on the serve
	// command, which is the default: kingpin hands a flag the application
	// does not know to the default command, so `figures_exporter
	// --web.listen-address=...` works without naming it, as node_exporter's
	// flags do.
	var sf serveFlags
	serve := app.Command("serve", "Serve the figures as Prometheus metrics (the default).").Default()
	figuresFileFlag(serve, &sf.files)
	maxFileSizeFlag(serve, &sf.maxFileSize)
	serve.Flag("figures.reload-schedule", "Also reload on this schedule: a cron spec (\"*/5 * * * *\") or a descriptor (\"@every 5m\", \"@hourly\"). Empty: no scheduled reloads.").Default("").StringVar(&sf.schedule)
	serve.Flag("figures.watch", "Reload when the figures files change on disk.").Default("true").BoolVar(&sf.watch)
	serve.Flag("web.telemetry-path", "Path under which to expose metrics.").Default("/metrics").StringVar(&sf.telemetryPath)
	serve.Flag("web.enable-lifecycle", "Enable reloading via HTTP POST to /-/reload.").Default("false").BoolVar(&sf.lifecycle)
	serve.Flag("web.max-requests", "Maximum number of parallel scrape requests; more get 503. 0 disables the limit.").Default("40").IntVar(&sf.maxRequests)
	serve.Flag("web.read-header-timeout", "How long a client may take to send its request headers before the connection is closed.").Default("10s").DurationVar(&sf.readHeaderTimeout)
	// The pages' flags.
	serve.Flag("web.prometheus-url", "A Prometheus whose UI the figure pages link to with each figure's query (\"open in Prometheus\"), such as http://prometheus:9090.").StringVar(&sf.prometheusURL)
	serve.Flag("web.external-url", "The URL the exporter is reached at, when behind a proxy; the JSON API's links are absolute under it. Pages link relatively without it.").StringVar(&sf.externalURL)
	serve.Flag("seeds.dir", "Directory of the source articles' text, shown on the report pages with every number marked. Default: the seeds embedded with the embedded dataset; none for --figures.file.").StringVar(&sf.seedsDir)
	sf.toolkit = kingpinflag.AddFlags(serve, defaultAddress)
	// promslogflag.AddFlags takes only an application: these are its two
	// flags, with its names, help and defaults, on the command.
	sf.promslogConfig = promslog.Config{Level: promslog.NewLevel(), Format: promslog.NewFormat()}
	serve.Flag(promslogflag.LevelFlagName, promslogflag.LevelFlagHelp).Default("info").HintOptions(promslog.LevelFlagOptions...).SetValue(sf.promslogConfig.Level)
	serve.Flag(promslogflag.FormatFlagName, promslogflag.FormatFlagHelp).Default("logfmt").HintOptions(promslog.FormatFlagOptions...).SetValue(sf.promslogConfig.Format)

	var cf checkFlags
	check := app.Command("check", "Validate figures files and report every problem as FILE:LINE:COLUMN: message. Exits 1 on any error.")
	check.Arg("file", "Figures files or directories, checked as one dataset.").Required().StringsVar(&cf.files)
	maxFileSizeFlag(check, &cf.maxFileSize)
	check.Flag("seeds.dir", "Directory of the source articles' text: when set, every quote must appear verbatim in its source's seed file, and every seed must have the sha256 its source records.").StringVar(&cf.seedsDir)
	check.Flag("coverage", "With --seeds.dir: also report every number of a cited article that no figure's quote holds and no excluded entry names.").BoolVar(&cf.coverage)
	check.Flag("strict", "Refuse what is otherwise a warning for a curator to settle: a figure without credibility, a source without reliability, and the numbers --coverage finds.").BoolVar(&cf.strict)

	var ef extractFlags
	extractCmd := app.Command("extract", "Propose figures from articles (plain text or HTML, English or Korean): figures entries to review and paste under `figures:`.")
	extractCmd.Arg("file", "Article files.").Required().StringsVar(&ef.files)
	extractCmd.Flag("source-stub", "Write a whole report file for one article: a sources: entry (seed, sha256, title, TODO grades) unless the article already is a source's seed, and its proposals under figures:, to check beside the dataset.").BoolVar(&ef.sourceStub)
	extractCmd.Flag("format", "yaml: figures entries marked as proposals; json: an array of candidates; text: the text extraction reads (for HTML, what to save as the seed).").Default("yaml").EnumVar(&ef.format, "yaml", "json", "text")
	figuresFileFlag(extractCmd, &ef.figuresFiles)
	var extractMax units.Base2Bytes
	maxFileSizeFlag(extractCmd, &extractMax)

	ef2 := exportFlags{labels: map[string]string{}}
	exportCmd := app.Command("export", "Write every figure as a sample at its period's end, for promtool tsdb create-blocks-from openmetrics (backfilling a Prometheus).")
	exportCmd.Arg("file", "Figures files or directories. Default: the dataset embedded in the binary.").StringsVar(&ef2.files)
	exportCmd.Flag("format", "Output format.").Default("openmetrics").EnumVar(&ef2.format, "openmetrics")
	exportCmd.Flag("label", "A label NAME=VALUE to add to every series, such as job=figures so that the dashboards' selectors match. Repeatable.").StringMapVar(&ef2.labels)
	var exportMax units.Base2Bytes
	maxFileSizeFlag(exportCmd, &exportMax)

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
		return runCheck(cf, stdout)
	case exportCmd.FullCommand():
		ef2.maxFileSize = int64(exportMax)
		return runExport(ef2, stdout, stderr)
	case serve.FullCommand():
		return runServe(sf, stderr)
	case extractCmd.FullCommand():
		ef.maxFileSize = int64(extractMax)
		return runExtract(ef, stdout, stderr)
	}
	// --help and --version have printed and asked to terminate.
	return 0
}

// figuresFileFlag adds --figures.file, the dataset a command reads.
func figuresFileFlag(cmd *kingpin.CmdClause, files *[]string) {
	cmd.Flag("figures.file", "Figures file or directory of *.yaml files, merged into one dataset. Repeatable. Default: the dataset embedded in the binary.").StringsVar(files)
}

// maxFileSizeFlag adds --figures.max-file-size to a command that reads
// figures files.
func maxFileSizeFlag(cmd *kingpin.CmdClause, size *units.Base2Bytes) {
	cmd.Flag("figures.max-file-size", "Largest figures file that is read; larger ones are refused.").Default(units.Base2Bytes(figures.DefaultMaxFileSize).String()).BytesVar(size)
}
