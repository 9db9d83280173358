// The figures_exporter monitoring mixin: prometheusRules (recording rules),
// prometheusAlerts (alerting rules), grafanaDashboards (by file name) and
// _config (config.libsonnet: selector, group labels, windows, thresholds,
// runbook URLs). render.jsonnet turns it into the plain files;
// generated.jsonnet is every file of the repository made from it.
(import 'config.libsonnet')
+ (import 'rules.libsonnet')
+ (import 'alerts.libsonnet')
+ (import 'dashboards/dashboards.libsonnet')
