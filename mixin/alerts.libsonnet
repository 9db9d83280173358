// Alerting rules (group figures.alerts). They read the recording rules of
// rules.libsonnet. No alert carries `instance`: replicas serving the same
// dataset raise each alert once. Every alert carries the group labels;
// per-figure alerts carry figure_id too.
local lib = import 'lib.libsonnet';

{
  prometheusAlerts+:: {
    local cfg = $._config,
    local by = lib.by(cfg),
    local g = lib.byAnd(cfg, ['figure_id']),
    local sel = function(more='') lib.sel(cfg, more),
    local w = cfg.changeWindow,
    local where = lib.tmplWhere(cfg),
    // The alert's own deployment and figure, for template queries: of the
    // exporter's series (with the selector) and of recorded series (which
    // carry only the group labels and figure_id).
    local figSel = lib.tmplSel(cfg, ['figure_id']),
    local recSel = lib.tmplSel(cfg { figuresExporterSelector: '' }, ['figure_id']),
    local recDepSel = lib.tmplSel(cfg { figuresExporterSelector: '' }),
    local figArgs = lib.tmplArgs(cfg, ['figure_id']),
    local depSel = lib.tmplSel(cfg),
    local depArgs = lib.tmplArgs(cfg),
    local jumpPct = std.toString(cfg.jumpThreshold * 100),

    local lines = lib.tmplLines,

    // Reads a figure's provenance from figures_figure_info into template
    // variables. wrap wraps the selector (last_over_time for a figure that
    // is gone).
    local provenance(wrap='%s') = [
      '{{ $id := $labels.figure_id }}{{ $family := "" }}{{ $unit := "" }}{{ $q := "" }}{{ $claimant := "" }}{{ $chain := "" }}{{ $title := "" }}{{ $url := "" }}',
      '{{ with printf `max by (family, unit, qualifier, claimant, claim_chain, source_title, url) (' + (wrap % ('figures_figure_info' + figSel)) + ')` ' + figArgs + ' | query }}{{ with first . }}',
      '{{ $family = .Labels.family }}{{ $unit = .Labels.unit }}{{ $q = .Labels.qualifier }}{{ $claimant = .Labels.claimant }}{{ $chain = .Labels.claim_chain }}{{ $title = .Labels.source_title }}{{ $url = .Labels.url }}{{ end }}{{ end }}',
    ],

    // A figure's value as a person reads it (lib.tmplValue), with the
    // source's hedge ($q) when hedge is true.
    local value(v, hedge=false) = lib.tmplValue(v, '$unit', if hedge then '$q' else ''),
    // The value of a recorded series of this figure, or "an unknown value".
    local recorded(metric, hedge=false) =
      '{{ with printf `' + metric + recSel + '` ' + figArgs + ' | query }}{{ with first . }}' + value('.Value', hedge) + '{{ end }}{{ else }}an unknown value{{ end }}',
    // The relative change ($value), in parentheses; from 0 it has no size.
    local relative =
      '({{ if gt $value 1e308 }}up from zero: relative change undefined{{ else if lt $value -1e308 }}down from zero: relative change undefined{{ else }}{{ if ge $value 0.0 }}+{{ end }}{{ humanizePercentage $value | reReplaceAll "%$" " %" }}{{ end }})',
    local family = '{{ with $family }} ({{ . }}){{ end }}',
    local claimAndSource = [
      '{{ with $claimant }} Claimed by {{ . }}{{ with $chain }} (reported as {{ . }}){{ end }}.{{ end }}',
      '{{ with $title }} Source: "{{ . }}"{{ with $url }} {{ . }}{{ else }} (no URL){{ end }}.{{ end }}',
    ],
    local change(verb, extra='') = lines(
      provenance()
      + [
        'In ' + where + ', figure {{ $id }}' + family + ' ' + verb + ' within the last ' + w + ' from {{ "" }}',
        recorded('figure_id:figures_value:previous' + w) + ' to {{ "" }}',
        recorded('figure_id:figures_value:max', true) + ' {{ "" }}',
        relative + extra + '.{{ "" }}',
      ]
      + claimAndSource
    ),

    local alert(name, severity, summary, description, expr, extra={}) = {
      alert: name,
      expr: expr,
      labels: { severity: severity },
      annotations: {
        summary: summary,
        description: description,
        runbook_url: lib.runbook(cfg, name),
      },
    } + extra,
    // The per-figure alerts are events: they keep firing for one window
    // after their expression stops holding, so that an outage or a restart
    // inside the window (when the series they read are gone for a while)
    // neither resolves them nor, once the exporter is back, fires them
    // again. See _config.changeWindow.
    local event = { keep_firing_for: w },
    local relChange = lib.rec(cfg, 'figure_id:figures_value:relative_change' + w),

    groups+: [{
      name: 'figures.alerts',
      rules: [
        // One alert per dataset revision and deployment, listing every
        // change: what the shipped Alertmanager configuration sends.
        (import 'digest.libsonnet')(cfg).alert,
        // $value is the relative change.
        alert('FiguresValueChanged',
              'info',
              'A curated figure changed value.',
              change('changed'),
              relChange,
              event),
        alert('FiguresValueJumped',
              'warning',
              'A curated figure changed value by more than %s %%.' % jumpPct,
              change('jumped', ', more than the %s %% threshold: check the revision against its source' % jumpPct),
              |||
                %(r)s > %(t)g
                or
                %(r)s < -%(t)g
              ||| % { r: relChange, t: cfg.jumpThreshold },
              event),
        // Served now by every exporter of the deployment that serves a
        // dataset, and missing from some of the window's scrapes in which
        // one served a dataset. Each scrape carries one figures_figure_info
        // per figure and one figures_exporter_dataset_figures, so the two
        // counts are equal for figures that were always there, also right
        // after Prometheus or the exporter started or came back. Served by
        // only some replicas is a rollout in progress. $value is the value.
        alert('FiguresFigureAdded',
              'info',
              'A figure was added to the curated dataset.',
              lines(provenance() + ['In ' + where + ', figure {{ $id }}' + family + ' was added within the last ' + w + ' with value {{ "" }}', value('$value', true) + '.{{ "" }}'] + claimAndSource),
              |||
                max by (%(g)s) (
                  %(values)s
                )
                and on (%(g)s)
                (
                    count by (%(g)s) (figures_figure_info%(sel)s)
                  == on (%(by)s) group_left ()
                    count by (%(by)s) (figures_exporter_dataset_figures%(sel)s)
                )
                and on (%(g)s)
                (
                    sum by (%(g)s) (count_over_time(figures_figure_info%(sel)s[%(w)s]))
                  < on (%(by)s) group_left ()
                    sum by (%(by)s) (count_over_time(figures_exporter_dataset_figures%(sel)s[%(w)s]))
                )
              ||| % { g: g, by: by, w: w, sel: sel(), values: lib.values(cfg) },
              event),
        // Served within the window, served by no exporter of the deployment
        // now, while one of them serves a dataset (when none does, that is
        // FiguresExporterDown or FiguresExporterAbsent). $value is the last
        // value.
        alert('FiguresFigureRemoved',
              'warning',
              'A figure was removed from the curated dataset.',
              lines(provenance('last_over_time(%s[' + w + '])') + ['In ' + where + ', figure {{ $id }}' + family + ' was removed from the dataset within the last ' + w + '; its last value was {{ "" }}', value('$value', true) + '.{{ "" }}'] + claimAndSource),
              |||
                last_over_time(%(value)s[%(w)s])
                  unless on (%(g)s) figures_figure_info%(sel)s
                  and on (%(by)s) group by (%(by)s) (figures_exporter_dataset_figures%(sel)s)
              ||| % { g: g, by: by, w: w, sel: sel(), value: lib.rec(cfg, 'figure_id:figures_value:max') },
              event),
        // $value is the number of exporters whose last reload failed.
        alert('FiguresReloadFailing',
              'warning',
              'The figures exporter cannot reload its dataset.',
              'The last reload of the dataset failed on {{ printf "%.0f" $value }} figures_exporter instance(s) of ' + where + ':'
              + '{{ range printf `figures_exporter_config_last_reload_successful' + depSel + ' == 0` ' + depArgs + ' | query | sortByLabel "instance" }} {{ .Labels.instance }}{{ end }}.'
              + ' They keep serving the dataset they loaded last; the errors are in their logs, on their /status page, and from `figures_exporter check`.',
              'count by (%s) (figures_exporter_config_last_reload_successful%s == 0)' % [by, sel()],
              { 'for': cfg.reloadFailingFor }),
        // $value is the number of targets down.
        alert('FiguresExporterDown',
              'critical',
              'A figures exporter cannot be scraped.',
              '{{ printf "%.0f" $value }} of {{ with printf `count(up' + depSel + ')` ' + depArgs + ' | query }}{{ with first . }}{{ printf "%.0f" .Value }}{{ end }}{{ end }}'
              + ' figures_exporter targets of ' + where + ' are down:'
              + '{{ range printf `up' + depSel + ' == 0` ' + depArgs + ' | query | sortByLabel "instance" }} {{ .Labels.instance }}{{ end }}.',
              'count by (%s) (up%s == 0)' % [by, sel()],
              { 'for': cfg.exporterDownFor }),
        // absent() knows no deployment: run the rules where the exporter
        // is scraped (each cluster's Prometheus; external labels then add
        // `cluster` to the alert) to learn which one lost it.
        alert('FiguresExporterAbsent',
              'critical',
              'Prometheus has no figures exporter to scrape.',
              'Prometheus{{ with $externalLabels.cluster }} of cluster {{ . }}{{ end }} has no target matching ' + std.strReplace(sel(), '"', "'") + ': the curated figures are not collected there, and no other figures alert can fire.'
              + ' If the exporter is scraped under other labels (another job name), set figuresExporterSelector.',
              'absent(up%s)' % sel(),
              { 'for': cfg.exporterAbsentFor }),
        // $value is the age of the newest curation, in days.
        alert('FiguresDatasetStale',
              'warning',
              'No figure of the curated dataset was curated or revised recently.',
              'No figure of the dataset served by ' + where + ' was curated or revised in the last {{ printf "%.0f" $value }} days'
              + '{{ with printf `max_over_time(job:figures_figure_revised_timestamp_seconds:max' + recDepSel + '[' + cfg.datasetStaleLookback + '])` ' + depArgs + ' | query }}{{ with first . }} (last on {{ (toTime .Value).Format "2006-01-02" }}){{ end }}{{ end }}'
              + '; threshold: %d days.' % cfg.datasetStaleThresholdDays
              + '{{ with printf `max_over_time(job:figures_figure_published_timestamp_seconds:max' + recDepSel + '[' + cfg.datasetStaleLookback + '])` ' + depArgs + ' | query }}{{ with first . }} Its newest source was published on {{ (toTime .Value).Format "2006-01-02" }}.{{ end }}{{ end }}'
              + ' Curate the newer articles.',
              '(time() - max_over_time(%s[%s])) / 86400 > %d' % [lib.rec(cfg, 'job:figures_figure_revised_timestamp_seconds:max'), cfg.datasetStaleLookback, cfg.datasetStaleThresholdDays],
              { 'for': cfg.datasetStaleFor }),
      ],
    }],
  },
}
