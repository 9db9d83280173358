// Recording rules (group figures.rules). They follow the
// level:metric:operations naming and aggregate `instance` away while keeping
// the group labels, so that replicas serving the same dataset give one
// series per figure and deployment.
//
// The order matters: a rule reads what the rules above it wrote at the same
// evaluation, and the alerts read the last rule of the per-figure chain, so
// everything an alert template queries is written when the alert sees a
// change.
local lib = import 'lib.libsonnet';

{
  prometheusRules+:: {
    local cfg = $._config,
    local by = lib.by(cfg),
    local sel = function(more='') lib.sel(cfg, more),
    local w = cfg.changeWindow,
    local g = lib.byAnd(cfg, ['figure_id']),
    local values = lib.values(cfg),
    local value = 'figure_id:figures_value:max',
    local changes = 'figure_id:figures_value:changes' + w,
    local previous = 'figure_id:figures_value:previous' + w,

    groups+: [{
      name: 'figures.rules',
      rules: [
        // --- Exporter level ---
        { record: 'job:up:sum', expr: 'sum by (%s) (up%s)' % [by, sel()] },
        { record: 'job:up:count', expr: 'count by (%s) (up%s)' % [by, sel()] },
        // Number of figures served (the largest, if replicas disagree).
        { record: 'job:figures_exporter_dataset_figures:max', expr: 'max by (%s) (figures_exporter_dataset_figures%s)' % [by, sel()] },
        // More than 1: the replicas serve different files (a rollout, or a
        // failed reload on some).
        { record: 'job:figures_exporter_dataset_revisions:count', expr: 'count by (%s) (group by (%s, revision) (figures_exporter_dataset_info%s))' % [by, by, sel()] },
        // Publication date of the newest dated source (seconds since the epoch).
        { record: 'job:figures_figure_published_timestamp_seconds:max', expr: 'max by (%s) (figures_figure_published_timestamp_seconds%s)' % [by, sel()] },
        // When the newest curation or revision of a figure was (seconds since
        // the epoch). FiguresDatasetStale compares it with time().
        { record: 'job:figures_figure_revised_timestamp_seconds:max', expr: 'max by (%s) (figures_figure_revised_timestamp_seconds%s)' % [by, sel()] },

        // --- Dataset composition ---
        { record: 'family:figures_figures:count', expr: 'count by (%s) (group by (%s) (figures_figure_info%s))' % [lib.byAnd(cfg, ['family']), lib.byAnd(cfg, ['family', 'figure_id']), sel()] },
        // Highest share of cyberattacks any reporter attributes to each
        // origin country (or "+"-joined group), over all periods and scopes.
        { record: 'origin_country:figures_cyberattacks_attribution_ratio:max', expr: 'max by (%s) (figures_cyberattacks_attribution_ratio%s)' % [lib.byAnd(cfg, ['origin_country']), sel()] },
        // Largest value of digital assets reported stolen by each origin
        // country in one period, in US dollars.
        { record: 'origin_country:figures_stolen_digital_assets_usd:max', expr: 'max by (%s) (figures_stolen_digital_assets_usd%s)' % [lib.byAnd(cfg, ['origin_country']), sel()] },

        // --- Per figure ---
        // One series per figure and deployment whatever its family, labels
        // and period: a change of period or labels keeps the series.
        { record: value, expr: 'max by (%s) (\n  %s\n)\n' % [g, values] },
        // How many times each figure's value changed within the window.
        { record: changes, expr: 'changes(%s[%s])' % [lib.rec(cfg, value), w] },
        // The value before the change, for the figures whose value changed
        // within the window and that still exist: the value one window ago
        // when Prometheus has that much history, else min + max - current
        // over the window, which is exact when the value changed once (one
        // revision of the dataset).
        {
          record: previous,
          expr: |||
            (
                %(value)s offset %(w)s
              or
                (
                    min_over_time(%(value)s[%(w)s])
                  + max_over_time(%(value)s[%(w)s])
                  - %(value)s
                )
            )
            and on (%(g)s) (%(changes)s > 0)
            and on (%(g)s) %(value)s
          ||| % { value: lib.rec(cfg, value), w: w, g: g, changes: lib.rec(cfg, changes) },
        },
        // (new - old) / |old| for the figures whose value differs from the
        // old one; +Inf or -Inf from 0, never NaN.
        {
          record: 'figure_id:figures_value:relative_change' + w,
          expr: |||
            (%(value)s - %(previous)s)
              / abs(%(previous)s)
            and on (%(g)s) (%(value)s != %(previous)s)
          ||| % { value: lib.rec(cfg, value), previous: lib.rec(cfg, previous), g: g },
        },
      ],
    }],
  },
}
