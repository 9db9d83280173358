// Renders the mixin into plain files: rules/figures.rules.yml,
// rules/figures.alerts.yml and dashboards/<uid>.json. `config` overrides
// _config (config.libsonnet). From the repository's root:
//
//   go tool -modfile=tools/jsonnet/go.mod jsonnet -S -c -m OUT \
//     --tla-code 'config={figuresExporterSelector: "job=\"threat-figures\""}' \
//     mixin/render.jsonnet
function(config={})
  local mixin = (import 'mixin.libsonnet') + { _config+:: config };
  // The settings the rule files' header states.
  local settings = [
    'figuresExporterSelector',
    'groupLabels',
    'changeWindow',
    'revisionLookback',
    'reloadFailingFor',
    'exporterDownFor',
    'exporterAbsentFor',
    'datasetStaleFor',
    'datasetStaleThresholdDays',
    'datasetStaleLookback',
  ];
  local header(what) =
    '# ' + what + ' of the figures_exporter monitoring pack, generated from mixin/\n'
    + '# (jsonnet) with the settings below; do not edit: change the mixin or the\n'
    + '# settings and render again (docs/alerts.md says how).\n'
    + std.join('', ['#   %s: %s\n' % [k, std.manifestJsonMinified(mixin._config[k])] for k in settings])
    + '---\n';
  {
    'rules/figures.rules.yml': header('Recording rules') + std.manifestYamlDoc(mixin.prometheusRules, quote_keys=false) + '\n',
    'rules/figures.alerts.yml': header('Alerting rules') + std.manifestYamlDoc(mixin.prometheusAlerts, quote_keys=false) + '\n',
  } + {
    ['dashboards/' + name]: std.manifestJsonEx(mixin.grafanaDashboards[name], '  ') + '\n'
    for name in std.objectFields(mixin.grafanaDashboards)
  }
