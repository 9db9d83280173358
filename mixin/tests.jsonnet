// The renderings of the mixin that only the promtool tests read, by path
// under rules/tests/ (where the test files' rule_files expect them). Not
// committed: rules/rules_test.go renders them into a temporary directory,
// beside copies of rules/tests/*.test.yml. To run promtool by hand:
//
//   go tool -modfile=tools/jsonnet/go.mod jsonnet -S -c -m rules/tests mixin/tests.jsonnet
//
// (and delete them after).
local render = import 'render.jsonnet';

// The windows of the promtool tests: short, so that a test's series stay
// a few dozen samples long. At least one case per alert also runs on the
// production defaults (rules/*.yml).
local short = {
  changeWindow: '6m',
  reloadFailingFor: '1m',
  exporterDownFor: '2m',
  exporterAbsentFor: '2m',
  datasetStaleFor: '2m',
  datasetStaleLookback: '10m',
};

local rules(dir, config) = {
  [dir + '/' + std.substr(k, std.length('rules/'), std.length(k))]: render(config)[k]
  for k in std.objectFields(render(config))
  if std.startsWith(k, 'rules/')
};

rules('short', short)
+ rules('clusters', short { figuresExporterSelector: 'job="threat-figures"', groupLabels: ['cluster', 'namespace', 'job'] })
// Two releases of the chart whose rules run in one Prometheus: each reads
// only its own job and namespace, recorded series included.
+ rules('releases/a', short { figuresExporterSelector: 'job="figures-a", namespace="ns-a"', groupLabels: ['namespace', 'job'] })
+ rules('releases/b', short { figuresExporterSelector: 'job="figures-b", namespace="ns-b"', groupLabels: ['namespace', 'job'] })
