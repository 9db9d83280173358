// The "Exporter health" dashboard (uid figures-exporter-health): is the
// exporter up, what it loaded, its reloads, scrapes and process. Every
// query selects the dashboard's variables (lib.query's %(sel)s) and keeps
// the group labels in its aggregations.
local lib = import 'lib.libsonnet';

function(cfg)
  local q = lib.query(cfg);
  {
    uid: 'figures-exporter-health',
    title: 'Exporter health',
    description: 'Health of the figures_exporter instances: scrapes, reloads, the dataset they serve and their build.',
    tags: cfg.dashboardTags + ['health'],
    editable: false,
    graphTooltip: 1,
    fiscalYearStartMonth: 0,
    liveNow: false,
    schemaVersion: 41,
    version: 1,
    timezone: cfg.dashboardTimezone,
    refresh: cfg.dashboardRefresh,
    time: {
      from: 'now-6h',
      to: 'now',
    },
    timepicker: {},
    links: [
      {
        title: 'figures_exporter dashboards',
        type: 'dashboards',
        tags: cfg.dashboardTags,
        asDropdown: true,
        includeVars: true,
        keepTime: true,
        icon: 'external link',
        targetBlank: false,
        tooltip: '',
        url: '',
      },
    ],
    annotations: {
      list: [
        {
          builtIn: 1,
          datasource: {
            type: 'grafana',
            uid: '-- Grafana --',
          },
          enable: true,
          hide: true,
          iconColor: 'rgba(0, 211, 255, 1)',
          name: 'Annotations & Alerts',
          type: 'dashboard',
        },
        {
          name: 'Reloads',
          datasource: {
            type: 'prometheus',
            uid: '${datasource}',
          },
          enable: true,
          hide: false,
          iconColor: 'purple',
          expr: q('sum by (%(by)sinstance, trigger, result) (increase(figures_exporter_config_reloads_total{%(sel)s}[2m]))'),
          step: '1m',
          titleFormat: 'Reload: {{trigger}} {{result}}',
          textFormat: '{{instance}}',
          tagKeys: 'trigger,result',
          useValueForTime: false,
        },
        {
          name: 'Dataset changed',
          datasource: {
            type: 'prometheus',
            uid: '${datasource}',
          },
          enable: true,
          hide: false,
          iconColor: 'blue',
          expr: q('max by (%(by)sinstance) (changes(figures_exporter_dataset_hash{%(sel)s}[2m]))'),
          step: '1m',
          titleFormat: 'Dataset changed',
          textFormat: '{{instance}}',
          tagKeys: 'instance',
          useValueForTime: false,
        },
      ],
    },
    templating: {
      list: lib.variables(cfg),
    },
    panels: [
      {
        id: 1,
        type: 'row',
        title: 'Status',
        collapsed: false,
        gridPos: {
          h: 1,
          w: 24,
          x: 0,
          y: 0,
        },
        panels: [],
      },
      {
        type: 'stat',
        title: 'Up',
        description: "Whether Prometheus's last scrape of each exporter instance succeeded (the up series).",
        datasource: {
          type: 'prometheus',
          uid: '${datasource}',
        },
        targets: [
          {
            datasource: {
              type: 'prometheus',
              uid: '${datasource}',
            },
            refId: 'A',
            expr: q('up{%(sel)s}'),
            legendFormat: '{{instance}}',
            instant: false,
            range: true,
            format: 'time_series',
            editorMode: 'code',
          },
        ],
        fieldConfig: {
          defaults: {
            unit: 'none',
            mappings: [
              {
                type: 'value',
                options: {
                  '0': {
                    text: 'Down',
                    color: 'red',
                    index: 0,
                  },
                  '1': {
                    text: 'Up',
                    color: 'green',
                    index: 1,
                  },
                },
              },
            ],
            color: {
              mode: 'thresholds',
            },
            thresholds: {
              mode: 'absolute',
              steps: [
                {
                  color: 'red',
                  value: null,
                },
                {
                  color: 'green',
                  value: 1,
                },
              ],
            },
          },
          overrides: [],
        },
        options: {
          reduceOptions: {
            values: false,
            calcs: [
              'lastNotNull',
            ],
            fields: '',
          },
          orientation: 'auto',
          textMode: 'value_and_name',
          colorMode: 'value',
          graphMode: 'none',
          justifyMode: 'auto',
          wideLayout: true,
          showPercentChange: false,
        },
        id: 2,
        gridPos: {
          h: 4,
          w: 4,
          x: 0,
          y: 1,
        },
      },
      {
        type: 'stat',
        title: 'Last reload successful',
        description: 'Whether the last attempt to load the figures files succeeded, per instance. On failure the exporter keeps serving the last good dataset.',
        datasource: {
          type: 'prometheus',
          uid: '${datasource}',
        },
        targets: [
          {
            datasource: {
              type: 'prometheus',
              uid: '${datasource}',
            },
            refId: 'A',
            expr: q('figures_exporter_config_last_reload_successful{%(sel)s}'),
            legendFormat: '{{instance}}',
            instant: false,
            range: true,
            format: 'time_series',
            editorMode: 'code',
          },
        ],
        fieldConfig: {
          defaults: {
            unit: 'none',
            mappings: [
              {
                type: 'value',
                options: {
                  '0': {
                    text: 'Failed',
                    color: 'red',
                    index: 0,
                  },
                  '1': {
                    text: 'OK',
                    color: 'green',
                    index: 1,
                  },
                },
              },
            ],
            color: {
              mode: 'thresholds',
            },
            thresholds: {
              mode: 'absolute',
              steps: [
                {
                  color: 'red',
                  value: null,
                },
                {
                  color: 'green',
                  value: 1,
                },
              ],
            },
          },
          overrides: [],
        },
        options: {
          reduceOptions: {
            values: false,
            calcs: [
              'lastNotNull',
            ],
            fields: '',
          },
          orientation: 'auto',
          textMode: 'value_and_name',
          colorMode: 'value',
          graphMode: 'none',
          justifyMode: 'auto',
          wideLayout: true,
          showPercentChange: false,
        },
        id: 3,
        gridPos: {
          h: 4,
          w: 5,
          x: 4,
          y: 1,
        },
      },
      {
        type: 'stat',
        title: 'Last successful reload',
        description: 'When each instance last loaded the figures successfully.',
        datasource: {
          type: 'prometheus',
          uid: '${datasource}',
        },
        targets: [
          {
            datasource: {
              type: 'prometheus',
              uid: '${datasource}',
            },
            refId: 'A',
            expr: q('figures_exporter_config_last_reload_success_timestamp_seconds{%(sel)s} * 1000'),
            legendFormat: '{{instance}}',
            instant: false,
            range: true,
            format: 'time_series',
            editorMode: 'code',
          },
        ],
        fieldConfig: {
          defaults: {
            unit: 'dateTimeFromNow',
            color: {
              mode: 'fixed',
              fixedColor: 'text',
            },
          },
          overrides: [],
        },
        options: {
          reduceOptions: {
            values: false,
            calcs: [
              'lastNotNull',
            ],
            fields: '',
          },
          orientation: 'auto',
          textMode: 'value_and_name',
          colorMode: 'value',
          graphMode: 'none',
          justifyMode: 'auto',
          wideLayout: true,
          showPercentChange: false,
        },
        id: 4,
        gridPos: {
          h: 4,
          w: 5,
          x: 9,
          y: 1,
        },
      },
      {
        type: 'stat',
        title: 'Figures loaded',
        description: 'Number of figures in the dataset each instance serves.',
        datasource: {
          type: 'prometheus',
          uid: '${datasource}',
        },
        targets: [
          {
            datasource: {
              type: 'prometheus',
              uid: '${datasource}',
            },
            refId: 'A',
            expr: q('figures_exporter_dataset_figures{%(sel)s}'),
            legendFormat: '{{instance}}',
            instant: false,
            range: true,
            format: 'time_series',
            editorMode: 'code',
          },
        ],
        fieldConfig: {
          defaults: {
            unit: 'none',
            color: {
              mode: 'thresholds',
            },
            thresholds: {
              mode: 'absolute',
              steps: [
                {
                  color: 'red',
                  value: null,
                },
                {
                  color: 'green',
                  value: 1,
                },
              ],
            },
            decimals: 0,
          },
          overrides: [],
        },
        options: {
          reduceOptions: {
            values: false,
            calcs: [
              'lastNotNull',
            ],
            fields: '',
          },
          orientation: 'auto',
          textMode: 'value_and_name',
          colorMode: 'value',
          graphMode: 'none',
          justifyMode: 'auto',
          wideLayout: true,
          showPercentChange: false,
        },
        id: 5,
        gridPos: {
          h: 4,
          w: 5,
          x: 14,
          y: 1,
        },
      },
      {
        type: 'stat',
        title: 'Dataset warnings',
        description: 'Number of warnings the validator reported on the dataset each instance serves (figures_exporter check lists them).',
        datasource: {
          type: 'prometheus',
          uid: '${datasource}',
        },
        targets: [
          {
            datasource: {
              type: 'prometheus',
              uid: '${datasource}',
            },
            refId: 'A',
            expr: q('figures_exporter_dataset_warnings{%(sel)s}'),
            legendFormat: '{{instance}}',
            instant: false,
            range: true,
            format: 'time_series',
            editorMode: 'code',
          },
        ],
        fieldConfig: {
          defaults: {
            unit: 'none',
            color: {
              mode: 'thresholds',
            },
            thresholds: {
              mode: 'absolute',
              steps: [
                {
                  color: 'green',
                  value: null,
                },
                {
                  color: 'yellow',
                  value: 1,
                },
              ],
            },
            decimals: 0,
          },
          overrides: [],
        },
        options: {
          reduceOptions: {
            values: false,
            calcs: [
              'lastNotNull',
            ],
            fields: '',
          },
          orientation: 'auto',
          textMode: 'value_and_name',
          colorMode: 'value',
          graphMode: 'none',
          justifyMode: 'auto',
          wideLayout: true,
          showPercentChange: false,
        },
        id: 6,
        gridPos: {
          h: 4,
          w: 5,
          x: 19,
          y: 1,
        },
      },
      {
        type: 'table',
        title: 'Dataset revision',
        description: 'The dataset revision (SHA-256 prefix) each instance serves; replicas serving different revisions disagree on the figures.',
        datasource: {
          type: 'prometheus',
          uid: '${datasource}',
        },
        targets: [
          {
            datasource: {
              type: 'prometheus',
              uid: '${datasource}',
            },
            refId: 'A',
            expr: q('max by (%(by)sinstance, revision) (figures_exporter_dataset_info{%(sel)s})'),
            legendFormat: '',
            instant: true,
            range: false,
            format: 'table',
            editorMode: 'code',
          },
        ],
        fieldConfig: {
          defaults: {
            unit: 'string',
            custom: {
              align: 'auto',
              cellOptions: {
                type: 'auto',
              },
              inspect: false,
              filterable: true,
            },
          },
          overrides: [],
        },
        options: {
          showHeader: true,
          cellHeight: 'sm',
          footer: {
            show: false,
            reducer: [
              'sum',
            ],
            countRows: false,
            fields: '',
          },
          sortBy: [
            {
              displayName: 'Instance',
              desc: false,
            },
          ],
        },
        transformations: [
          {
            id: 'organize',
            options: {
              excludeByName: {
                Time: true,
                Value: true,
              },
              indexByName: {
                instance: 0,
                revision: 1,
              },
              renameByName: {
                instance: 'Instance',
                revision: 'Revision',
              },
            },
          },
        ],
        id: 7,
        gridPos: {
          h: 6,
          w: 8,
          x: 0,
          y: 5,
        },
      },
      {
        type: 'timeseries',
        title: 'Revisions served',
        description: 'How many instances serve each dataset revision over time; a new line marks a reload with changed figures.',
        datasource: {
          type: 'prometheus',
          uid: '${datasource}',
        },
        targets: [
          {
            datasource: {
              type: 'prometheus',
              uid: '${datasource}',
            },
            refId: 'A',
            expr: q('count by (%(by)srevision) (figures_exporter_dataset_info{%(sel)s})'),
            legendFormat: '{{revision}}',
            instant: false,
            range: true,
            format: 'time_series',
            editorMode: 'code',
          },
        ],
        fieldConfig: {
          defaults: {
            unit: 'short',
            custom: {
              drawStyle: 'line',
              lineWidth: 1,
              fillOpacity: 10,
              showPoints: 'never',
              spanNulls: false,
              axisPlacement: 'auto',
              stacking: {
                mode: 'none',
                group: 'A',
              },
            },
            min: 0,
            decimals: 0,
          },
          overrides: [],
        },
        options: {
          legend: {
            displayMode: 'list',
            placement: 'bottom',
            showLegend: true,
            calcs: [],
          },
          tooltip: {
            mode: 'multi',
            sort: 'none',
          },
        },
        id: 8,
        gridPos: {
          h: 6,
          w: 8,
          x: 8,
          y: 5,
        },
      },
      {
        type: 'table',
        title: 'Build info',
        description: 'Version, revision and Go version of each exporter instance.',
        datasource: {
          type: 'prometheus',
          uid: '${datasource}',
        },
        targets: [
          {
            datasource: {
              type: 'prometheus',
              uid: '${datasource}',
            },
            refId: 'A',
            expr: q('max by (%(by)sinstance, version, revision, branch, goversion) (figures_exporter_build_info{%(sel)s})'),
            legendFormat: '',
            instant: true,
            range: false,
            format: 'table',
            editorMode: 'code',
          },
        ],
        fieldConfig: {
          defaults: {
            unit: 'string',
            custom: {
              align: 'auto',
              cellOptions: {
                type: 'auto',
              },
              inspect: false,
              filterable: true,
            },
          },
          overrides: [],
        },
        options: {
          showHeader: true,
          cellHeight: 'sm',
          footer: {
            show: false,
            reducer: [
              'sum',
            ],
            countRows: false,
            fields: '',
          },
          sortBy: [
            {
              displayName: 'Instance',
              desc: false,
            },
          ],
        },
        transformations: [
          {
            id: 'organize',
            options: {
              excludeByName: {
                Time: true,
                Value: true,
              },
              indexByName: {
                instance: 0,
                version: 1,
                revision: 2,
                branch: 3,
                goversion: 4,
              },
              renameByName: {
                instance: 'Instance',
                version: 'Version',
                revision: 'Revision',
                branch: 'Branch',
                goversion: 'Go',
              },
            },
          },
        ],
        id: 9,
        gridPos: {
          h: 6,
          w: 8,
          x: 16,
          y: 5,
        },
      },
      {
        id: 10,
        type: 'row',
        title: 'Reloads and scrapes',
        collapsed: false,
        gridPos: {
          h: 1,
          w: 24,
          x: 0,
          y: 11,
        },
        panels: [],
      },
      {
        type: 'timeseries',
        title: 'Reloads',
        description: 'Reload attempts per rate interval, by trigger (startup, signal, http, watch, schedule) and result (success, failure, unchanged).',
        datasource: {
          type: 'prometheus',
          uid: '${datasource}',
        },
        targets: [
          {
            datasource: {
              type: 'prometheus',
              uid: '${datasource}',
            },
            refId: 'A',
            expr: q('sum by (%(by)strigger, result) (increase(figures_exporter_config_reloads_total{%(sel)s}[$__rate_interval]))'),
            legendFormat: '{{trigger}} {{result}}',
            instant: false,
            range: true,
            format: 'time_series',
            editorMode: 'code',
          },
        ],
        fieldConfig: {
          defaults: {
            unit: 'short',
            custom: {
              drawStyle: 'bars',
              lineWidth: 1,
              fillOpacity: 10,
              showPoints: 'never',
              spanNulls: false,
              axisPlacement: 'auto',
              stacking: {
                mode: 'none',
                group: 'A',
              },
            },
            min: 0,
          },
          overrides: [],
        },
        options: {
          legend: {
            displayMode: 'list',
            placement: 'bottom',
            showLegend: true,
            calcs: [],
          },
          tooltip: {
            mode: 'multi',
            sort: 'none',
          },
        },
        id: 11,
        gridPos: {
          h: 7,
          w: 12,
          x: 0,
          y: 12,
        },
      },
      {
        type: 'timeseries',
        title: 'Scrape duration',
        description: 'How long Prometheus took to scrape each instance.',
        datasource: {
          type: 'prometheus',
          uid: '${datasource}',
        },
        targets: [
          {
            datasource: {
              type: 'prometheus',
              uid: '${datasource}',
            },
            refId: 'A',
            expr: q('scrape_duration_seconds{%(sel)s}'),
            legendFormat: '{{instance}}',
            instant: false,
            range: true,
            format: 'time_series',
            editorMode: 'code',
          },
        ],
        fieldConfig: {
          defaults: {
            unit: 's',
            custom: {
              drawStyle: 'line',
              lineWidth: 1,
              fillOpacity: 10,
              showPoints: 'never',
              spanNulls: false,
              axisPlacement: 'auto',
              stacking: {
                mode: 'none',
                group: 'A',
              },
            },
            min: 0,
          },
          overrides: [],
        },
        options: {
          legend: {
            displayMode: 'list',
            placement: 'bottom',
            showLegend: true,
            calcs: [],
          },
          tooltip: {
            mode: 'multi',
            sort: 'none',
          },
        },
        id: 12,
        gridPos: {
          h: 7,
          w: 12,
          x: 12,
          y: 12,
        },
      },
      {
        type: 'timeseries',
        title: 'Samples scraped',
        description: 'Number of samples each scrape returned; it moves with the number of figures.',
        datasource: {
          type: 'prometheus',
          uid: '${datasource}',
        },
        targets: [
          {
            datasource: {
              type: 'prometheus',
              uid: '${datasource}',
            },
            refId: 'A',
            expr: q('scrape_samples_scraped{%(sel)s}'),
            legendFormat: '{{instance}}',
            instant: false,
            range: true,
            format: 'time_series',
            editorMode: 'code',
          },
        ],
        fieldConfig: {
          defaults: {
            unit: 'short',
            custom: {
              drawStyle: 'line',
              lineWidth: 1,
              fillOpacity: 10,
              showPoints: 'never',
              spanNulls: false,
              axisPlacement: 'auto',
              stacking: {
                mode: 'none',
                group: 'A',
              },
            },
            min: 0,
          },
          overrides: [],
        },
        options: {
          legend: {
            displayMode: 'list',
            placement: 'bottom',
            showLegend: true,
            calcs: [],
          },
          tooltip: {
            mode: 'multi',
            sort: 'none',
          },
        },
        id: 13,
        gridPos: {
          h: 7,
          w: 12,
          x: 0,
          y: 19,
        },
      },
      {
        type: 'timeseries',
        title: 'Metrics requests',
        description: 'Requests to the metrics endpoint per second, by HTTP status code.',
        datasource: {
          type: 'prometheus',
          uid: '${datasource}',
        },
        targets: [
          {
            datasource: {
              type: 'prometheus',
              uid: '${datasource}',
            },
            refId: 'A',
            expr: q('sum by (%(by)sinstance, code) (rate(promhttp_metric_handler_requests_total{%(sel)s}[$__rate_interval]))'),
            legendFormat: '{{instance}} {{code}}',
            instant: false,
            range: true,
            format: 'time_series',
            editorMode: 'code',
          },
        ],
        fieldConfig: {
          defaults: {
            unit: 'reqps',
            custom: {
              drawStyle: 'line',
              lineWidth: 1,
              fillOpacity: 10,
              showPoints: 'never',
              spanNulls: false,
              axisPlacement: 'auto',
              stacking: {
                mode: 'none',
                group: 'A',
              },
            },
            min: 0,
          },
          overrides: [],
        },
        options: {
          legend: {
            displayMode: 'list',
            placement: 'bottom',
            showLegend: true,
            calcs: [],
          },
          tooltip: {
            mode: 'multi',
            sort: 'none',
          },
        },
        id: 14,
        gridPos: {
          h: 7,
          w: 12,
          x: 12,
          y: 19,
        },
      },
      {
        id: 15,
        type: 'row',
        title: 'Process',
        collapsed: false,
        gridPos: {
          h: 1,
          w: 24,
          x: 0,
          y: 26,
        },
        panels: [],
      },
      {
        type: 'timeseries',
        title: 'Resident memory',
        description: 'Resident memory of each exporter process.',
        datasource: {
          type: 'prometheus',
          uid: '${datasource}',
        },
        targets: [
          {
            datasource: {
              type: 'prometheus',
              uid: '${datasource}',
            },
            refId: 'A',
            expr: q('process_resident_memory_bytes{%(sel)s}'),
            legendFormat: '{{instance}}',
            instant: false,
            range: true,
            format: 'time_series',
            editorMode: 'code',
          },
        ],
        fieldConfig: {
          defaults: {
            unit: 'bytes',
            custom: {
              drawStyle: 'line',
              lineWidth: 1,
              fillOpacity: 10,
              showPoints: 'never',
              spanNulls: false,
              axisPlacement: 'auto',
              stacking: {
                mode: 'none',
                group: 'A',
              },
            },
            min: 0,
          },
          overrides: [],
        },
        options: {
          legend: {
            displayMode: 'list',
            placement: 'bottom',
            showLegend: true,
            calcs: [],
          },
          tooltip: {
            mode: 'multi',
            sort: 'none',
          },
        },
        id: 16,
        gridPos: {
          h: 7,
          w: 12,
          x: 0,
          y: 27,
        },
      },
      {
        type: 'timeseries',
        title: 'CPU',
        description: 'CPU time each exporter process uses per second (1 is one core).',
        datasource: {
          type: 'prometheus',
          uid: '${datasource}',
        },
        targets: [
          {
            datasource: {
              type: 'prometheus',
              uid: '${datasource}',
            },
            refId: 'A',
            expr: q('rate(process_cpu_seconds_total{%(sel)s}[$__rate_interval])'),
            legendFormat: '{{instance}}',
            instant: false,
            range: true,
            format: 'time_series',
            editorMode: 'code',
          },
        ],
        fieldConfig: {
          defaults: {
            unit: 'short',
            custom: {
              drawStyle: 'line',
              lineWidth: 1,
              fillOpacity: 10,
              showPoints: 'never',
              spanNulls: false,
              axisPlacement: 'auto',
              stacking: {
                mode: 'none',
                group: 'A',
              },
            },
            min: 0,
          },
          overrides: [],
        },
        options: {
          legend: {
            displayMode: 'list',
            placement: 'bottom',
            showLegend: true,
            calcs: [],
          },
          tooltip: {
            mode: 'multi',
            sort: 'none',
          },
        },
        id: 17,
        gridPos: {
          h: 7,
          w: 12,
          x: 12,
          y: 27,
        },
      },
    ],
  }
