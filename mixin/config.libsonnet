// The settings of the figures_exporter monitoring mixin, with their
// production defaults. Override any of them with
//   (import 'mixin.libsonnet') + { _config+:: { groupLabels: ['cluster', 'job'] } }
// or, without writing jsonnet, through render.jsonnet's `config` argument
// (see docs/alerts.md).
{
  _config+:: {
    // Selects the exporter's series: every rule and every template query
    // starts its label matchers with it. Under the Prometheus Operator the
    // job is the Service's name.
    figuresExporterSelector: 'job="figures"',

    // The labels that tell deployments apart. Every aggregation keeps them
    // (`by (<groupLabels>, figure_id)`), every `on (...)` matches on them and
    // every template query selects them, so that two clusters (or
    // namespaces, or jobs) each raise their own alerts, also when the rules
    // run on Thanos Ruler or Mimir over all of them. Alerts carry them.
    groupLabels: ['job'],

    // Look-back of the per-figure event alerts (FiguresValueChanged,
    // FiguresValueJumped, FiguresFigureAdded, FiguresFigureRemoved): they
    // fire at the first evaluation that sees the event and their expression
    // holds for this long. They also keep firing for this long after it
    // stops holding (keep_firing_for), which is at least as long as any
    // outage that can start inside the window, so an exporter outage or
    // restart never resolves them early nor fires them again. It must be a
    // single PromQL duration unit ("15m", "20s"): it is part of the
    // recording rules' names.
    changeWindow: '15m',

    // Labels a curated series gets where it is scraped (target labels of
    // static configs, service discovery and the Prometheus Operator), which
    // FiguresDatasetRevised leaves out when it tells a figure's labels
    // before and after a revision. The group labels are left out too.
    targetLabels: ['instance', 'pod', 'container', 'endpoint', 'service', 'namespace', 'cluster', 'job', 'replica', 'prometheus', 'prometheus_replica'],

    // How far back FiguresDatasetRevised looks for the last moment the
    // revision before was served (by every exporter: a rolling update may
    // take this long). The description compares with the state then.
    revisionLookback: '1h',

    // Links in FiguresDatasetRevised's description: the exporter's
    // external URL (each figure links to its page, <url>/figures/<id>) and
    // a Grafana dashboard. Empty: no link.
    exporterExternalURL: '',
    dashboardURL: '',

    // A change larger than this share (either way) is a jump.
    jumpThreshold: 0.5,

    // `for:` of the exporter-level alerts.
    reloadFailingFor: '10m',
    exporterDownFor: '5m',
    exporterAbsentFor: '10m',
    datasetStaleFor: '1h',

    // FiguresDatasetStale fires when no figure of the served dataset was
    // curated or revised within this many days.
    datasetStaleThresholdDays: 365,
    // The newest curation date is taken over this look-back, so that an
    // exporter restart or outage (a gap in the series) changes nothing.
    datasetStaleLookback: '1h',

    // Every alert's runbook_url: %s is the alert name in lower case (the
    // anchor of its section in docs/runbook.md).
    runbookURLPattern: 'https://github.com/figures-exporter/figures_exporter/blob/main/docs/runbook.md#%s',

    // Dashboards: their tags (each adds one of its own; the dashboards'
    // link menu lists the dashboards with these), refresh and time zone.
    dashboardTags: ['figures_exporter'],
    dashboardRefresh: '1m',
    dashboardTimezone: 'utc',
  },
}
