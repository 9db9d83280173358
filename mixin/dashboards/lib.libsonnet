// Helpers of the dashboards: the template variables and the queries' label
// matchers, made from _config's groupLabels. A dashboard shows one or more
// deployments: a variable per group label (cluster, namespace, ...: "All"
// by default), then $job and $instance, each listing the values of the
// exporter's own figures_exporter_build_info under the variables before it.
// The dashboards select the exporter by that metric's name and the $job
// variable, not by figuresExporterSelector, so that one dashboard serves
// every job name.
{
  // The group labels, with job among them (last, if the config leaves it
  // out).
  labels(cfg):: cfg.groupLabels + (if std.member(cfg.groupLabels, 'job') then [] else ['job']),

  // "cluster=~\"$cluster\", job=~\"$job\"" for the given labels.
  matchers(labels):: std.join(', ', ['%s=~"$%s"' % [l, l] for l in labels]),

  // q(expr) formats expr with %(sel)s (every variable's matcher),
  // %(by)s ("cluster, job, ": the group labels to put first in a by or on
  // list) and %(groups)s ("cluster, job").
  query(cfg)::
    local vars = {
      sel: $.matchers($.labels(cfg) + ['instance']),
      by: std.join('', [l + ', ' for l in cfg.groupLabels]),
      groups: std.join(', ', cfg.groupLabels),
    };
    function(expr) std.rstripChars(expr % vars, '\n'),

  local datasource = {
    name: 'datasource',
    label: 'Data source',
    type: 'datasource',
    query: 'prometheus',
    current: {},
    options: [],
    refresh: 1,
    regex: '',
    includeAll: false,
    multi: false,
    hide: 0,
  },

  local variable(name, before) = {
    local selector = 'figures_exporter_build_info' + (if before == [] then '' else '{' + $.matchers(before) + '}'),
    name: name,
    label: std.asciiUpper(name[0]) + name[1:],
    type: 'query',
    datasource: { type: 'prometheus', uid: '${datasource}' },
    query: {
      query: 'label_values(%s, %s)' % [selector, name],
      refId: 'PrometheusVariableQueryEditor-VariableQuery',
      qryType: 1,
    },
    definition: 'label_values(%s, %s)' % [selector, name],
    includeAll: true,
    multi: true,
    // A group label other than job may be missing from the series (one
    // cluster, whose Prometheus sets no cluster label): its "All" also
    // matches the empty value. job and instance are always there.
    allValue: if std.member(['job', 'instance'], name) then '.+' else '.*',
    current: { selected: true, text: ['All'], value: ['$__all'] },
    options: [],
    refresh: 2,
    regex: '',
    sort: 1,
    hide: 0,
  },

  // The templating list: the data source, one variable per group label,
  // $job and $instance.
  variables(cfg)::
    local labels = $.labels(cfg) + ['instance'];
    [datasource] + [variable(labels[i], labels[:i]) for i in std.range(0, std.length(labels) - 1)],

  // A legend naming the deployment: "{{cluster}} {{job}}".
  legend(cfg):: std.join(' ', ['{{%s}}' % l for l in cfg.groupLabels]),

  // A table column of a "true"/"false" flag: "true" shows as word, in
  // colour, "false" as a dash.
  flagOverride(column, word, colour):: {
    matcher: { id: 'byName', options: column },
    properties: [
      {
        id: 'mappings',
        value: [{
          type: 'value',
          options: {
            'true': { text: word, color: colour, index: 0 },
            'false': { text: '–', index: 1 },
          },
        }],
      },
      { id: 'custom.cellOptions', value: { type: 'color-text' } },
    ],
  },

  // A table column of an Admiralty grade: the good grades green, the low
  // ones (credibility 4-6, reliability D-F) red, an ungraded figure (no
  // label) blank.
  gradeOverride(column, good, low):: {
    matcher: { id: 'byName', options: column },
    properties: [
      {
        id: 'mappings',
        value: [{
          type: 'value',
          options: { [g]: { text: g, color: 'green', index: 0 } for g in good }
                   + { [g]: { text: g + ' (low)', color: 'red', index: 1 } for g in low },
        }],
      },
      { id: 'custom.cellOptions', value: { type: 'color-text' } },
    ],
  },
}
