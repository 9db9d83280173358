// The "Cyber threat figures" dashboard (uid figures-threat): the curated
// figures themselves. Every query selects the dashboard's variables
// (lib.query's %(sel)s) and keeps the group labels in its aggregations.
local lib = import 'lib.libsonnet';

function(cfg)
  local q = lib.query(cfg);
  {
    uid: 'figures-threat',
    title: 'Cyber threat figures',
    description: 'Curated figures on state-backed cyberattacks against South Korea, as served by figures_exporter.',
    tags: cfg.dashboardTags + ['figures'],
    editable: false,
    graphTooltip: 1,
    fiscalYearStartMonth: 0,
    liveNow: false,
    schemaVersion: 41,
    version: 1,
    timezone: cfg.dashboardTimezone,
    refresh: cfg.dashboardRefresh,
    time: {
      from: 'now-7d',
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
          name: 'Figure value changed',
          datasource: {
            type: 'prometheus',
            uid: '${datasource}',
          },
          enable: true,
          hide: false,
          iconColor: 'orange',
          expr: q('max by (%(by)sfigure_id) (changes({__name__=~"figures_.+", __name__!~"figures_(figure|exporter)_.+", figure_id!="", %(sel)s}[5m]))'),
          step: '1m',
          titleFormat: 'Value changed: {{figure_id}}',
          textFormat: '',
          tagKeys: 'figure_id',
          useValueForTime: false,
        },
        {
          name: 'Figure revised',
          datasource: {
            type: 'prometheus',
            uid: '${datasource}',
          },
          enable: true,
          hide: false,
          iconColor: 'blue',
          expr: q('max by (%(by)sfigure_id) (figures_figure_revised_timestamp_seconds{%(sel)s}) * 1000'),
          step: '1h',
          titleFormat: 'Revised: {{figure_id}}',
          textFormat: '',
          tagKeys: 'figure_id',
          useValueForTime: true,
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
        title: 'Headlines',
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
        title: 'Daily cyberattacks, latest period',
        description: 'Average number of cyberattacks detected per day against South Korea, for the most recent period any source reports (the figure whose period ends last). The name is the period; the table below lists every figure with its source.',
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
            expr: q(|||
              label_replace(
                label_replace(
                  max by (%(by)sfigure_id, period, target_country, scope, reporter) (figures_cyberattacks_daily_average{%(sel)s})
                    * on (%(by)sfigure_id) group_left (period_end, qualifier)
                  max by (%(by)sfigure_id, period_end, qualifier) (figures_figure_info{%(sel)s}),
                  "hedge", " ($1 $2)", "qualifier", "([a-z]+)_([a-z]+)"),
                "hedge", " (about)", "qualifier", "about")
            |||),
            legendFormat: '__auto',
            instant: true,
            range: false,
            format: 'table',
            editorMode: 'code',
          },
        ],
        fieldConfig: {
          defaults: {
            unit: 'short',
            displayName: '${__data.fields.period}${__data.fields.hedge}',
            color: {
              mode: 'fixed',
              fixedColor: 'red',
            },
            decimals: 2,
          },
          overrides: [],
        },
        options: {
          reduceOptions: {
            values: true,
            calcs: [
              'lastNotNull',
            ],
            fields: '/^Value$/',
          },
          orientation: 'auto',
          textMode: 'value_and_name',
          colorMode: 'value',
          graphMode: 'none',
          justifyMode: 'auto',
          wideLayout: true,
          showPercentChange: false,
        },
        transformations: [
          {
            id: 'sortBy',
            options: {
              fields: {},
              sort: [
                {
                  field: 'period_end',
                  desc: true,
                },
              ],
            },
          },
          {
            id: 'limit',
            options: {
              limitField: 1,
            },
          },
        ],
        id: 2,
        gridPos: {
          h: 5,
          w: 6,
          x: 0,
          y: 1,
        },
      },
      {
        type: 'stat',
        title: 'Stolen digital assets, latest period',
        description: "Value of digital assets (cryptocurrency) stolen by North Korea's state-backed hackers, in US dollars, for the most recent period reported (the figure whose period ends last). The name is the period.",
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
            expr: q(|||
              label_replace(
                label_replace(
                  max by (%(by)sfigure_id, period, origin_country, reporter) (figures_stolen_digital_assets_usd{%(sel)s})
                    * on (%(by)sfigure_id) group_left (period_end, qualifier)
                  max by (%(by)sfigure_id, period_end, qualifier) (figures_figure_info{%(sel)s}),
                  "hedge", " ($1 $2)", "qualifier", "([a-z]+)_([a-z]+)"),
                "hedge", " (about)", "qualifier", "about")
            |||),
            legendFormat: '__auto',
            instant: true,
            range: false,
            format: 'table',
            editorMode: 'code',
          },
        ],
        fieldConfig: {
          defaults: {
            unit: 'currencyUSD',
            displayName: '${__data.fields.period}${__data.fields.hedge}',
            color: {
              mode: 'fixed',
              fixedColor: 'orange',
            },
            decimals: 2,
          },
          overrides: [],
        },
        options: {
          reduceOptions: {
            values: true,
            calcs: [
              'lastNotNull',
            ],
            fields: '/^Value$/',
          },
          orientation: 'auto',
          textMode: 'value_and_name',
          colorMode: 'value',
          graphMode: 'none',
          justifyMode: 'auto',
          wideLayout: true,
          showPercentChange: false,
        },
        transformations: [
          {
            id: 'sortBy',
            options: {
              fields: {},
              sort: [
                {
                  field: 'period_end',
                  desc: true,
                },
              ],
            },
          },
          {
            id: 'limit',
            options: {
              limitField: 1,
            },
          },
        ],
        id: 3,
        gridPos: {
          h: 5,
          w: 6,
          x: 6,
          y: 1,
        },
      },
      {
        type: 'stat',
        title: 'Attribution shares',
        description: 'Share of the cyberattacks against South Korea that the reporter attributes to each origin country (CN+KP: China and North Korea together), one value per figure, named by origin country and period.',
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
            expr: q(|||
              label_replace(
                label_replace(
                  max by (%(by)sfigure_id, origin_country, scope, period) (figures_cyberattacks_attribution_ratio{%(sel)s})
                    * on (%(by)sfigure_id) group_left (qualifier)
                  max by (%(by)sfigure_id, qualifier) (figures_figure_info{%(sel)s}),
                  "hedge", " ($1 $2)", "qualifier", "([a-z]+)_([a-z]+)"),
                "hedge", " (about)", "qualifier", "about")
            |||),
            legendFormat: '{{origin_country}} · {{period}}{{hedge}}',
            instant: true,
            range: false,
            format: 'time_series',
            editorMode: 'code',
          },
        ],
        fieldConfig: {
          defaults: {
            unit: 'percentunit',
            color: {
              mode: 'fixed',
              fixedColor: 'purple',
            },
            min: 0,
            max: 1,
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
          h: 5,
          w: 6,
          x: 12,
          y: 1,
        },
      },
      {
        type: 'stat',
        title: 'Change in attack frequency',
        description: 'Relative change in cyberattacks against South Korea compared with the baseline period (0.15 is +15 %), by scope and period.',
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
            expr: q(|||
              label_replace(
                label_replace(
                  max by (%(by)sfigure_id, scope, baseline, period) (figures_cyberattacks_change_ratio{%(sel)s})
                    * on (%(by)sfigure_id) group_left (qualifier)
                  max by (%(by)sfigure_id, qualifier) (figures_figure_info{%(sel)s}),
                  "hedge", " ($1 $2)", "qualifier", "([a-z]+)_([a-z]+)"),
                "hedge", " (about)", "qualifier", "about")
            |||),
            legendFormat: '{{scope}} vs {{baseline}} · {{period}}{{hedge}}',
            instant: true,
            range: false,
            format: 'time_series',
            editorMode: 'code',
          },
        ],
        fieldConfig: {
          defaults: {
            unit: 'percentunit',
            color: {
              mode: 'fixed',
              fixedColor: 'yellow',
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
        id: 5,
        gridPos: {
          h: 5,
          w: 6,
          x: 18,
          y: 1,
        },
      },
      {
        id: 6,
        type: 'row',
        title: 'Attribution and theft',
        collapsed: false,
        gridPos: {
          h: 1,
          w: 24,
          x: 0,
          y: 6,
        },
        panels: [],
      },
      {
        type: 'bargauge',
        title: 'Attribution by actor',
        description: 'Share of cyberattacks attributed to each origin country, per scope, period and reporter. Shares from different periods or scopes do not add up.',
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
            expr: q(|||
              label_replace(
                label_replace(
                  max by (%(by)sfigure_id, origin_country, scope, period, reporter) (figures_cyberattacks_attribution_ratio{%(sel)s})
                    * on (%(by)sfigure_id) group_left (qualifier)
                  max by (%(by)sfigure_id, qualifier) (figures_figure_info{%(sel)s}),
                  "hedge", " ($1 $2)", "qualifier", "([a-z]+)_([a-z]+)"),
                "hedge", " (about)", "qualifier", "about")
            |||),
            legendFormat: '{{origin_country}}{{hedge}} · {{scope}}, {{period}}, {{reporter}}',
            instant: true,
            range: false,
            format: 'time_series',
            editorMode: 'code',
          },
        ],
        fieldConfig: {
          defaults: {
            unit: 'percentunit',
            min: 0,
            max: 1,
            color: {
              mode: 'continuous-YlRd',
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
          orientation: 'horizontal',
          displayMode: 'gradient',
          valueMode: 'color',
          showUnfilled: true,
          namePlacement: 'top',
          sizing: 'auto',
          minVizHeight: 16,
          minVizWidth: 8,
          maxVizHeight: 300,
        },
        id: 7,
        gridPos: {
          h: 8,
          w: 12,
          x: 0,
          y: 7,
        },
      },
      {
        type: 'barchart',
        title: 'Stolen digital assets by period',
        description: "Digital assets stolen by North Korea's state-backed hackers, in US dollars, one bar per reported period (the period label; if two reporters cover the same period the larger value is shown).",
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
            expr: q('max by (%(by)speriod) (figures_stolen_digital_assets_usd{%(sel)s})'),
            legendFormat: '{{period}}',
            instant: true,
            range: false,
            format: 'table',
            editorMode: 'code',
          },
        ],
        fieldConfig: {
          defaults: {
            unit: 'currencyUSD',
            color: {
              mode: 'fixed',
              fixedColor: 'orange',
            },
            custom: {
              fillOpacity: 80,
              lineWidth: 1,
              gradientMode: 'none',
              axisPlacement: 'auto',
            },
          },
          overrides: [],
        },
        options: {
          xField: 'period',
          orientation: 'vertical',
          showValue: 'always',
          stacking: 'none',
          groupWidth: 0.7,
          barWidth: 0.8,
          barRadius: 0,
          xTickLabelRotation: 0,
          xTickLabelSpacing: 0,
          legend: {
            displayMode: 'list',
            placement: 'bottom',
            showLegend: false,
            calcs: [],
          },
          tooltip: {
            mode: 'single',
            sort: 'none',
          },
        },
        transformations: [
          {
            id: 'organize',
            options: {
              excludeByName: {
                Time: true,
              },
              renameByName: {
                Value: 'Stolen (USD)',
              },
              indexByName: {
                period: 0,
                Value: 1,
              },
            },
          },
          {
            id: 'sortBy',
            options: {
              fields: {},
              sort: [
                {
                  field: 'period',
                  desc: false,
                },
              ],
            },
          },
        ],
        id: 8,
        gridPos: {
          h: 8,
          w: 12,
          x: 12,
          y: 7,
        },
      },
      {
        type: 'bargauge',
        title: 'Illicit revenue by stream',
        description: "North Korea's illicit revenue by revenue stream (all: the total), in US dollars, per period and reporter. The source's cyber figure is larger than its total (see the figure's contradiction note in figures.yaml).",
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
            expr: q('max by (%(by)sstream, period, reporter) (figures_illicit_revenue_usd{%(sel)s})'),
            legendFormat: '{{stream}} ({{period}}, {{reporter}})',
            instant: true,
            range: false,
            format: 'time_series',
            editorMode: 'code',
          },
        ],
        fieldConfig: {
          defaults: {
            unit: 'currencyUSD',
            min: 0,
            color: {
              mode: 'continuous-GrYlRd',
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
          orientation: 'horizontal',
          displayMode: 'gradient',
          valueMode: 'color',
          showUnfilled: true,
          namePlacement: 'top',
          sizing: 'auto',
          minVizHeight: 16,
          minVizWidth: 8,
          maxVizHeight: 300,
        },
        id: 9,
        gridPos: {
          h: 6,
          w: 12,
          x: 0,
          y: 15,
        },
      },
      {
        type: 'bargauge',
        title: 'Weapons programmes funded by cybercrime',
        description: "Share of each North Korean weapons programme's cost or funds that comes from cybercrime, per period and reporter.",
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
            expr: q('max by (%(by)sprogramme, period, reporter) (figures_weapons_programme_cybercrime_funded_ratio{%(sel)s})'),
            legendFormat: '{{programme}} ({{period}}, {{reporter}})',
            instant: true,
            range: false,
            format: 'time_series',
            editorMode: 'code',
          },
        ],
        fieldConfig: {
          defaults: {
            unit: 'percentunit',
            min: 0,
            max: 1,
            color: {
              mode: 'continuous-YlRd',
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
          orientation: 'horizontal',
          displayMode: 'gradient',
          valueMode: 'color',
          showUnfilled: true,
          namePlacement: 'top',
          sizing: 'auto',
          minVizHeight: 16,
          minVizWidth: 8,
          maxVizHeight: 300,
        },
        id: 10,
        gridPos: {
          h: 6,
          w: 12,
          x: 12,
          y: 15,
        },
      },
      {
        id: 11,
        type: 'row',
        title: 'Every figure',
        collapsed: false,
        gridPos: {
          h: 1,
          w: 24,
          x: 0,
          y: 21,
        },
        panels: [],
      },
      {
        type: 'table',
        title: 'Every figure',
        description: "Every curated figure with its value, qualifier (about, more than, at least), period, the publication date of its source and the source's title, its flags (contradicted, derived, period inferred, undated, translated: coloured when true), its Admiralty grades (information credibility 1-6, source reliability A-F: credibility 4 or worse and reliability D or worse in red) and who first made the claim (claimant, claim chain, claim id shared by figures that report the same claim). The title links to the source's URL when the dataset gives one (no source has a URL today); the URL column appears then as a link too. Values are in the family's unit (ratio: 0.7 is 70 %).",
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
            expr: q('max by (%(by)sfigure_id, period) ({__name__=~"figures_.+", __name__!~"figures_(figure|exporter)_.+", figure_id!="", %(sel)s})'),
            legendFormat: '',
            instant: true,
            range: false,
            format: 'table',
            editorMode: 'code',
          },
          {
            datasource: {
              type: 'prometheus',
              uid: '${datasource}',
            },
            refId: 'B',
            expr: q('max by (%(by)sfigure_id, family, unit, qualifier, derived, contradiction, period_inferred, undated, translated, credibility, reliability, claimant, claim_chain, claim_id, source_title, publisher, published, url) (figures_figure_info{%(sel)s})'),
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
          overrides: [
            {
              matcher: {
                id: 'byName',
                options: 'Value',
              },
              properties: [
                {
                  id: 'unit',
                  value: 'locale',
                },
                {
                  id: 'custom.align',
                  value: 'right',
                },
              ],
            },
            {
              matcher: {
                id: 'byName',
                options: 'Source',
              },
              properties: [
                {
                  id: 'links',
                  value: [
                    {
                      title: 'Open the source article',
                      url: '${__data.fields.url}',
                      targetBlank: true,
                    },
                  ],
                },
                {
                  id: 'custom.width',
                  value: 420,
                },
              ],
            },
            {
              matcher: {
                id: 'byName',
                options: 'URL',
              },
              properties: [
                {
                  id: 'links',
                  value: [
                    {
                      title: 'Open ${__value.raw}',
                      url: '${__value.raw}',
                      targetBlank: true,
                    },
                  ],
                },
              ],
            },
            {
              matcher: {
                id: 'byName',
                options: 'Figure',
              },
              properties: [
                {
                  id: 'custom.width',
                  value: 300,
                },
              ],
            },
            lib.flagOverride('Contradicted', 'contradicted', 'red'),
            lib.flagOverride('Derived', 'derived', 'orange'),
            lib.flagOverride('Period inferred', 'inferred', 'yellow'),
            lib.flagOverride('Undated', 'undated', 'yellow'),
            lib.flagOverride('Translated', 'translated', 'blue'),
            lib.gradeOverride('Credibility', ['1', '2', '3'], ['4', '5', '6']),
            lib.gradeOverride('Reliability', ['A', 'B', 'C'], ['D', 'E', 'F']),
            {
              matcher: {
                id: 'byName',
                options: 'Qualifier',
              },
              properties: [
                {
                  id: 'mappings',
                  value: [
                    {
                      type: 'value',
                      options: {
                        none: {
                          text: '–',
                          index: 0,
                        },
                        about: {
                          text: 'about',
                          index: 1,
                        },
                        at_least: {
                          text: 'at least',
                          index: 2,
                        },
                        more_than: {
                          text: 'more than',
                          index: 3,
                        },
                        at_most: {
                          text: 'at most',
                          index: 4,
                        },
                        less_than: {
                          text: 'less than',
                          index: 5,
                        },
                      },
                    },
                  ],
                },
              ],
            },
          ],
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
              displayName: 'Figure',
              desc: false,
            },
          ],
        },
        transformations: [
          {
            id: 'merge',
            options: {},
          },
          {
            id: 'organize',
            options: {
              excludeByName: {
                Time: true,
                'Value #B': true,
              },
              indexByName: {
                figure_id: 0,
                family: 1,
                'Value #A': 2,
                qualifier: 3,
                unit: 4,
                period: 5,
                published: 6,
                source_title: 7,
                publisher: 8,
                url: 9,
                derived: 10,
                contradiction: 11,
                credibility: 12,
                reliability: 13,
                period_inferred: 14,
                undated: 15,
                translated: 16,
                claimant: 17,
                claim_chain: 18,
                claim_id: 19,
              },
              renameByName: {
                figure_id: 'Figure',
                family: 'Family',
                'Value #A': 'Value',
                qualifier: 'Qualifier',
                unit: 'Unit',
                period: 'Period',
                published: 'Published',
                source_title: 'Source',
                publisher: 'Publisher',
                url: 'URL',
                derived: 'Derived',
                contradiction: 'Contradicted',
                credibility: 'Credibility',
                reliability: 'Reliability',
                period_inferred: 'Period inferred',
                undated: 'Undated',
                translated: 'Translated',
                claimant: 'Claimant',
                claim_chain: 'Claim chain',
                claim_id: 'Claim',
              },
            },
          },
        ],
        id: 12,
        gridPos: {
          h: 14,
          w: 24,
          x: 0,
          y: 22,
        },
      },
      {
        type: 'timeseries',
        title: 'Figures served over time',
        description: 'Number of distinct figures the exporters served over time. A step shows figures added or removed; the annotations mark figures whose value changed and when figures were last revised.',
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
            expr: q('count by (%(groups)s) (max by (%(by)sfigure_id) (figures_figure_info{%(sel)s}))'),
            legendFormat: lib.legend(cfg),
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
        id: 13,
        gridPos: {
          h: 6,
          w: 24,
          x: 0,
          y: 36,
        },
      },
      {
        // The figures a reader should weigh before quoting: contradicted by
        // another figure of the same claim, derived (computed by the
        // curators, not stated by a source), or low-graded (information
        // credibility 4-6 or source reliability D-F, Admiralty scale).
        type: 'table',
        title: 'Figures to weigh: contradicted, derived or low-graded',
        description: 'The figures that are contradicted by another report of the same claim, derived by the curators from other figures (not stated by a source), or low-graded on the Admiralty scale (information credibility 4 or worse, source reliability D or worse), with who first made the claim and the source. Until the exporter serves the contradiction and grade labels, only derived figures are listed.',
        datasource: { type: 'prometheus', uid: '${datasource}' },
        targets: [{
          datasource: { type: 'prometheus', uid: '${datasource}' },
          refId: 'A',
          expr: q(|||
            max by (%(by)sfigure_id, family, contradiction, derived, credibility, reliability, claimant, claim_id, source_title) (
                figures_figure_info{%(sel)s, contradiction="true"}
              or
                figures_figure_info{%(sel)s, derived="true"}
              or
                figures_figure_info{%(sel)s, credibility=~"[456]"}
              or
                figures_figure_info{%(sel)s, reliability=~"[DEF]"}
            )
          |||),
          legendFormat: '',
          instant: true,
          range: false,
          format: 'table',
          editorMode: 'code',
        }],
        fieldConfig: {
          defaults: {
            unit: 'string',
            custom: { align: 'auto', cellOptions: { type: 'auto' }, inspect: false, filterable: true },
          },
          overrides: [
            lib.flagOverride('Contradicted', 'contradicted', 'red'),
            lib.flagOverride('Derived', 'derived', 'orange'),
            lib.gradeOverride('Credibility', ['1', '2', '3'], ['4', '5', '6']),
            lib.gradeOverride('Reliability', ['A', 'B', 'C'], ['D', 'E', 'F']),
          ],
        },
        options: { showHeader: true, cellHeight: 'sm', sortBy: [{ displayName: 'Figure', desc: false }] },
        transformations: [{
          id: 'organize',
          options: {
            excludeByName: { Time: true, Value: true },
            indexByName: { figure_id: 0, family: 1, contradiction: 2, derived: 3, credibility: 4, reliability: 5, claimant: 6, claim_id: 7, source_title: 8 },
            renameByName: { figure_id: 'Figure', family: 'Family', contradiction: 'Contradicted', derived: 'Derived', credibility: 'Credibility', reliability: 'Reliability', claimant: 'Claimant', claim_id: 'Claim', source_title: 'Source' },
          },
        }],
        id: 14,
        gridPos: { h: 8, w: 24, x: 0, y: 42 },
      },
      {
        id: 15,
        type: 'row',
        title: 'Across report periods (backfilled)',
        collapsed: false,
        gridPos: { h: 1, w: 24, x: 0, y: 50 },
        panels: [],
      },
      {
        // The exporter serves every figure at "now"; backfilled with
        // `figures_exporter export` (docs/backfill.md), each figure is also a
        // sample at its period's end, so a family's reports plot on a time
        // axis. Points, not lines: a report is one value for one period.
        type: 'timeseries',
        title: 'Stolen digital assets across report periods',
        description: 'Each report of the value of digital assets stolen, in US dollars, at the end of the period it covers. Needs the figures backfilled into Prometheus (figures_exporter export, then promtool tsdb create-blocks-from openmetrics: docs/backfill.md); without that, only the current values show at the right edge.',
        datasource: { type: 'prometheus', uid: '${datasource}' },
        timeFrom: '10y',
        targets: [{
          datasource: { type: 'prometheus', uid: '${datasource}' },
          refId: 'A',
          expr: q('max by (%(by)sfigure_id, period) (figures_stolen_digital_assets_usd{%(sel)s})'),
          legendFormat: '{{period}}',
          instant: false,
          range: true,
          format: 'time_series',
          editorMode: 'code',
        }],
        fieldConfig: {
          defaults: {
            unit: 'currencyUSD',
            custom: { drawStyle: 'points', pointSize: 8, showPoints: 'always', lineWidth: 1, fillOpacity: 0, spanNulls: false, axisPlacement: 'auto', stacking: { mode: 'none', group: 'A' } },
            min: 0,
          },
          overrides: [],
        },
        options: {
          legend: { displayMode: 'list', placement: 'bottom', showLegend: true, calcs: [] },
          tooltip: { mode: 'multi', sort: 'none' },
        },
        gridPos: { h: 8, w: 24, x: 0, y: 51 },
      },
    ],
  }
