// The figures_exporter monitoring mixin: prometheusRules (recording rules),
// prometheusAlerts (alerting rules), grafanaDashboards (by file name) and
// _config (config.libsonnet: selector, group labels, windows, thresholds,
// runbook URLs). render.jsonnet turns it into the plain files;
// generated.jsonnet is every file of the repository made from it.
local lib = import 'lib.libsonnet';

(import 'config.libsonnet')
+ {
  // The rules read what they recorded through the selector (lib.rec), and
  // recorded series keep only the group labels.
  assert std.setDiff(std.set(lib.selectorLabels(self._config)), std.set(self._config.groupLabels)) == [] :
         'every label of figuresExporterSelector (%s) must be one of groupLabels (%s)' % [self._config.figuresExporterSelector, std.join(', ', self._config.groupLabels)],
}
+ (import 'rules.libsonnet')
+ (import 'alerts.libsonnet')
+ (import 'dashboards/dashboards.libsonnet')
