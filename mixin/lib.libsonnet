// Helpers shared by the rules, the alerts and the dashboards: PromQL label
// lists and matchers built from _config, so that no rule names a job or a
// group label by hand.
{
  // "cluster, namespace, job": the group labels as a PromQL label list.
  by(cfg):: std.join(', ', cfg.groupLabels),

  // "cluster, namespace, job, figure_id": the group labels and more labels.
  byAnd(cfg, more):: std.join(', ', cfg.groupLabels + more),

  // The selector's matchers and more, inside {...}.
  sel(cfg, more=''):: '{' + cfg.figuresExporterSelector + (if more == '' then '' else ', ' + more) + '}',

  // For printf in an alert template: the selector, then one `label=%q`
  // per group label (and per label in more), so that a template query reads
  // only the alert's own deployment. The selector's own % are doubled.
  // An empty selector (for recorded series, which carry only the group
  // labels) gives the group matchers alone.
  tmplSel(cfg, more=[]):: '{' + std.join(', ', (if cfg.figuresExporterSelector == '' then [] else [std.strReplace(cfg.figuresExporterSelector, '%', '%%')])
                                               + ['%s=%%q' % l for l in cfg.groupLabels + more]) + '}',

  // The printf arguments that go with tmplSel.
  tmplArgs(cfg, more=[]):: std.join(' ', ['$labels.' + l for l in cfg.groupLabels + more]),

  // "cluster east, namespace cti, job intel-figures": where an alert comes
  // from, in its description. A group label the alert lacks is taken from
  // the external labels (cluster, usually: Prometheus adds it only when it
  // sends the alert, after the text is made), and left out when neither
  // has it; the last one (job, usually) is always named. Without cluster
  // among the group labels, an external cluster label is named first.
  tmplWhere(cfg)::
    (if std.member(cfg.groupLabels, 'cluster') then '' else '{{ with $externalLabels.cluster }}cluster {{ . }}, {{ end }}')
    + std.join('', ['{{ with or $labels.%s $externalLabels.%s }}%s {{ . }}, {{ end }}' % [l, l, l] for l in cfg.groupLabels[:std.length(cfg.groupLabels) - 1]])
    + '%s {{ or $labels.%s $externalLabels.%s }}' % [cfg.groupLabels[std.length(cfg.groupLabels) - 1], cfg.groupLabels[std.length(cfg.groupLabels) - 1], cfg.groupLabels[std.length(cfg.groupLabels) - 1]],

  // A description written as pieces, one per line of the rule file (a
  // YAML block, easy to read): every piece ends with an action (" }}"),
  // turned into " -}}" so that no line break reaches the rendered text.
  tmplLines(pieces):: std.join('', [
    (assert std.endsWith(p, ' }}') : 'a piece must end with an action: ' + p; std.substr(p, 0, std.length(p) - 2) + '-}}\n')
    for p in pieces
  ]),

  // A figure's value v (a template expression) as a person reads it, in
  // the unit held by the template variable unit, with the hedge held by
  // the variable q (none when q is ''): "about US$1.7 billion", "70 %",
  // "+15 %", "₩3.4 billion", "12 million EUR", "250". Numbers in words are
  // humanize's SI prefixes spelled out.
  tmplValue(v, unit, q=''):: std.join('', [
    '{{ $n := humanize %s | reReplaceAll "k$" " thousand" | reReplaceAll "M$" " million" | reReplaceAll "G$" " billion" | reReplaceAll "T$" " trillion" }}' % v,
    '{{ $p := humanizePercentage %s | reReplaceAll "%%$" " %%" }}' % v,
    if q == '' then '' else '{{ if and %(q)s (ne %(q)s "none") }}{{ reReplaceAll "_" " " %(q)s }} {{ end }}' % { q: q },
    '{{ if eq %(u)s "ratio" }}{{ $p }}{{ else if eq %(u)s "change_ratio" }}{{ if ge %(v)s 0.0 }}+{{ end }}{{ $p }}' % { u: unit, v: v },
    '{{ else if eq %(u)s "usd" }}US${{ $n }}{{ else if eq %(u)s "krw" }}₩{{ $n }}' % { u: unit },
    '{{ else if eq %(u)s "count" "" }}{{ $n }}{{ else }}{{ $n }} {{ toUpper %(u)s }}{{ end }}' % { u: unit },
  ]),

  // Every series of the exporter that carries a curated value: all series
  // with a figure_id except the exporter's own per-figure series
  // (figures_figure_*, figures_exporter_*), and except what rules write
  // with the same labels: recorded series (their names have a colon) and
  // the ALERTS series of the per-figure alerts, which carry figure_id and
  // the group labels too.
  values(cfg):: self.sel(cfg, 'figure_id!="", __name__!~"figures_figure_.+|figures_exporter_.+|.+:.+|ALERTS|ALERTS_FOR_STATE"'),

  // A series the rules recorded, restricted to the selector: another
  // deployment's rules in the same Prometheus record the same names, and
  // reading theirs would raise this deployment's alerts for the other's
  // events. Recorded series keep only the group labels, so the selector's
  // labels must be among them (asserted in mixin.libsonnet).
  rec(cfg, name):: name + self.sel(cfg),

  // The label names the selector matches on.
  selectorLabels(cfg):: [
    std.stripChars(std.splitLimit(std.strReplace(std.strReplace(m, '!', '='), '~', '='), '=', 1)[0], ' ')
    for m in std.split(cfg.figuresExporterSelector, ',')
    if std.stripChars(m, ' ') != ''
  ],

  // The lower-case runbook anchor of an alert.
  runbook(cfg, alert):: cfg.runbookURLPattern % std.asciiLower(alert),

  // Squashes the white space of a multi-line text block into single spaces,
  // so that a description written over several lines renders as one.
  oneLine(s):: std.join(' ', std.filter(function(w) w != '', std.split(std.strReplace(std.strReplace(s, '\n', ' '), '\t', ' '), ' '))),
}
