// The Grafana dashboards of the mixin, by file name (<uid>.json).
{
  grafanaDashboards+:: {
    'figures-threat.json': (import 'figures-threat.libsonnet')($._config),
    'figures-exporter-health.json': (import 'figures-exporter-health.libsonnet')($._config),
  },
}
