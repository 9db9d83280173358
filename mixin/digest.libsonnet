// FiguresDatasetRevised: one alert per dataset revision and deployment,
// whose description lists every change of that revision. It is what the
// shipped Alertmanager configuration sends (the per-figure info alerts stay
// for routing and dashboards).
//
// The description is lines: the first says which revision of which
// deployment, when; each further line is one change, or the heading of the
// changes of one kind from one source. Alertmanager templates
// (deploy/alertmanager/templates/) split the first line from the others.
//
// The changes compare the state now (every exporter of the deployment
// serves the revision, or the alert would not fire) with the state at $b,
// the last moment within revisionLookback at which some exporter of the
// deployment served another revision and none served this one: before a
// rollout started, before a revert, before an outage during which the file
// changed. That moment is found on a subquery at a 1 s resolution, finer
// than any scrape interval, so at $b every exporter's last sample is of the
// old revision.
local lib = import 'lib.libsonnet';

function(cfg) {
  local by = lib.by(cfg),
  local sel = lib.sel(cfg),
  local w = cfg.changeWindow,
  local args = lib.tmplArgs(cfg),
  // The deployment's series, with more matchers (printf verbs) after the
  // group labels.
  local s(more='') = std.rstripChars(lib.tmplSel(cfg), '}') + (if more == '' then '' else ', ' + more) + '}',
  // The curated values of the deployment (lib.values), of one figure.
  local valueNames = '__name__!~"figures_figure_.+|figures_family_.+|figures_exporter_.+|.+:.+|ALERTS|ALERTS_FOR_STATE"',
  local values = s('figure_id=%q, ' + valueNames),

  // Only the line breaks written as {{ "\n" }} reach the text.
  local lines = lib.tmplLines,
  local nl = '{{ "\\n" }}',

  // Reads figure $id's state at $at ("" for now, " @ <time>" for $b) into
  // variables prefixed with p: provenance (figures_figure_info), value and
  // labels (the curated series), quote (figures_figure_quote_info) and
  // what its family counts (figures_family_info).
  local infoLabels = ['family', 'unit', 'qualifier', 'claimant', 'claim_chain', 'source_id', 'source_title', 'publisher', 'url', 'published', 'period_start', 'period_end', 'credibility', 'reliability'],
  local vars = ['fam', 'unit', 'q', 'claimant', 'chain', 'src', 'title', 'pub', 'url', 'published', 'ps', 'pe', 'cred', 'rel'],
  // Labels of a curated series that say where it was scraped, not what it
  // counts.
  local ignored = '^(__name__|figure_id|period|' + std.join('|', std.set(cfg.groupLabels + cfg.targetLabels)) + ')$',
  local state(p, at) = [
    std.join('', ['{{ $%s%s := "" }}' % [p, v] for v in vars + ['quote', 'help', 'labels']]) + '{{ $%sv := 0.0 }}{{ $%shas := false }}' % [p, p],
    '{{ with printf `max by (' + std.join(', ', infoLabels) + ') (figures_figure_info' + s('figure_id=%q') + '%s)` ' + args + ' $id ' + at + ' | query }}{{ with first . }}'
    + std.join('', ['{{ $%s%s = .Labels.%s }}' % [p, vars[i], infoLabels[i]] for i in std.range(0, std.length(vars) - 1)])
    + '{{ end }}{{ end }}',
    '{{ with printf `max by (quote) (figures_figure_quote_info' + s('figure_id=%q') + '%s)` ' + args + ' $id ' + at + ' | query }}{{ with first . }}{{ $%squote = .Labels.quote }}{{ end }}{{ end }}' % p,
    '{{ with printf `max by (help) (figures_family_info' + s('family=%q') + '%s)` ' + args + ' $' + p + 'fam ' + at + ' | query }}{{ with first . }}{{ $%shelp = .Labels.help }}{{ end }}{{ end }}' % p,
    '{{ with printf `' + values + '%s` ' + args + ' $id ' + at + ' | query | sortByLabel "instance" }}{{ with first . }}{{ $%sv = .Value }}{{ $%shas = true }}' % [p, p]
    + '{{ range $k, $l := .Labels }}{{ if not (match `' + ignored + '` $k) }}{{ $%slabels = printf "%%s%%s=%%s " $%slabels $k $l }}{{ end }}{{ end }}{{ end }}{{ end }}' % [p, p],
  ],

  // A value as a person reads it, in unit $<p>unit, with hedge $<p>q.
  local value(p, v) = lib.tmplValue(v, '$%sunit' % p, '$%sq' % p),

  // The period in words: "in 2023", "in the first half of 2023", "from
  // 2023-01-01 to 2023-10-27", "as of 2023-10-27".
  local period(p) =
    '{{ $y0 := reReplaceAll "-.*" "" $%sps }}{{ $y1 := reReplaceAll "-.*" "" $%spe }}{{ $md := printf "%%s/%%s" (reReplaceAll "^[0-9]+-" "" $%sps) (reReplaceAll "^[0-9]+-" "" $%spe) }}' % [p, p, p, p]
    + '{{ if not $%sps }}as of {{ $%spe }}{{ else if ne $y0 $y1 }}from {{ $%sps }} to {{ $%spe }}' % [p, p, p, p]
    + '{{ else if eq $md "01-01/12-31" }}in {{ $y0 }}{{ else if eq $md "01-01/06-30" }}in the first half of {{ $y0 }}{{ else if eq $md "07-01/12-31" }}in the second half of {{ $y0 }}'
    + '{{ else if eq $md "01-01/03-31" }}in the first quarter of {{ $y0 }}{{ else }}from {{ $%sps }} to {{ $%spe }}{{ end }}' % [p, p],

  // What the figure counts, for which period and labels: "Attacks detected
  // per day in the first half of 2023 (target_country=KR)".
  local what(p) = '{{ with $%shelp }}{{ reReplaceAll "\\\\.$" "" . }}{{ else }}{{ $%sfam }}{{ end }} ' % [p, p] + period(p) + '{{ with $%slabels }} ({{ reReplaceAll " $" "" . | reReplaceAll " " ", " }}){{ end }}' % p,

  // The claim, when someone other than the outlet made it: "claimed by
  // NIS", "claimed by UN Panel of Experts, passed on by Jung Kwang-jae".
  local claim(p) = '{{ if match " > " $%schain }}{{ $rest := reReplaceAll "^[^>]*> " "" $%schain }}; claimed by {{ $%sclaimant }}{{ if match " > " $rest }}, passed on by {{ reReplaceAll " > [^>]*$" "" $rest | reReplaceAll " > " ", then " }}{{ end }}{{ end }}' % [p, p, p],

  // The Admiralty grades with their words, for readers who do not know
  // the codes: "C (fairly reliable)", "2 (probably true)". e is the
  // template's expression for the code ("." inside a with).
  local words(e, grades) =
    std.join('{{ else ', ['if eq %s "%s" }}%s' % [e, g[0], g[1]] for g in grades]),
  local graded(e, grades) = '{{ %s }} ({{ ' % e + words(e, grades) + '{{ end }})',
  local rel(e) = graded(e, [['A', 'completely reliable'], ['B', 'usually reliable'], ['C', 'fairly reliable'], ['D', 'not usually reliable'], ['E', 'unreliable'], ['F', 'reliability cannot be judged']]),
  local cred(e) = graded(e, [['1', 'confirmed by other sources'], ['2', 'probably true'], ['3', 'possibly true'], ['4', 'doubtful'], ['5', 'improbable'], ['6', 'truth cannot be judged']]),

  // The source, once: "“Title”, Publisher, 2023-07-20, graded B (usually
  // reliable): URL".
  local source(p) = '“{{ $%stitle }}”{{ with $%spub }}, {{ . }}{{ end }}{{ with $%spublished }}, published {{ . }}{{ end }}{{ with $%srel }}, source graded ' % [p, p, p, p] + rel('.') + '{{ end }}{{ with $%surl }}: {{ . }}{{ end }}' % p,

  local grade(p) = '{{ with $%scred }}, credibility ' % p + cred('.') + '{{ end }}',
  local link = if cfg.exporterExternalURL == '' then '' else ' Figure page: ' + std.rstripChars(cfg.exporterExternalURL, '/') + '/figures/{{ $id }}',
  local quote(p) = '{{ with $%squote }} Quote: “{{ . }}”.{{ end }}' % p,

  alert: {
    alert: 'FiguresDatasetRevised',
    // The revision served now by every exporter of the deployment that
    // serves a dataset, and missing from some of the window's scrapes in
    // which one served a dataset (FiguresFigureAdded's count_over_time
    // comparison: restarts, outages and the first deployment stay
    // silent, a rolling update fires when the last replica switched).
    // Labelled with `previous`, the revision served last before it within
    // the window, so that a revert to a revision announced moments ago
    // (r1 -> r2 -> r1 within two windows) is an alert of its own.
    expr: |||
      (
          group by (%(by)s, revision) (figures_exporter_dataset_info%(sel)s)
        and on (%(by)s, revision)
          (
              count by (%(by)s, revision) (figures_exporter_dataset_info%(sel)s)
            == on (%(by)s) group_left ()
              count by (%(by)s) (figures_exporter_dataset_figures%(sel)s)
          )
        and on (%(by)s, revision)
          (
              sum by (%(by)s, revision) (count_over_time(figures_exporter_dataset_info%(sel)s[%(w)s]))
            < on (%(by)s) group_left ()
              sum by (%(by)s) (count_over_time(figures_exporter_dataset_figures%(sel)s[%(w)s]))
          )
      )
      * on (%(by)s) group_left (previous)
        max by (%(by)s, previous) (
          label_replace(
            topk by (%(by)s) (1,
                max by (%(by)s, revision) (max_over_time(timestamp(figures_exporter_dataset_info%(sel)s)[%(w)s:]))
              unless on (%(by)s, revision)
                figures_exporter_dataset_info%(sel)s
            ),
            "previous", "$1", "revision", "(.*)"
          )
        ) * 0 + 1
    ||| % { by: by, sel: sel, w: w },
    keep_firing_for: w,
    labels: { severity: 'info' },
    annotations: {
      summary: 'The curated dataset was revised.',
      runbook_url: lib.runbook(cfg, 'FiguresDatasetRevised'),
      description: lines(
        [
          // $b: see the file's comment. $at: the @ modifier for it.
          '{{ $b := 0.0 }}{{ with printf `max_over_time((vector(time()) and on () group(figures_exporter_dataset_info' + s('revision!=%q') + ') unless on () group(figures_exporter_dataset_info' + s('revision=%q') + '))[' + cfg.revisionLookback + ':1s])` ' + args + ' $labels.revision ' + args + ' $labels.revision | query }}{{ with first . }}{{ $b = .Value }}{{ end }}{{ end }}',
          '{{ $at := printf " @ %.3f" $b }}{{ $t := $b }}{{ with printf `vector(%f + 1)` $b | query }}{{ with first . }}{{ $t = .Value }}{{ end }}{{ end }}',
          // The figure ids of each kind of change.
          '{{ $added := printf `group by (figure_id, source_id) (figures_figure_info' + s() + ') unless on (figure_id) figures_figure_info' + s() + '%s` ' + args + ' ' + args + ' $at }}',
          '{{ $removed := printf `group by (figure_id, source_id) (figures_figure_info' + s() + '%s) unless on (figure_id) figures_figure_info' + s() + '` ' + args + ' $at ' + args + ' }}',
          '{{ $vnow := printf `max by (figure_id) (' + s('figure_id!="", ' + valueNames) + ')` ' + args + ' }}',
          '{{ $vthen := printf `max by (figure_id) (' + s('figure_id!="", ' + valueNames) + '%s)` ' + args + ' $at }}',
          '{{ $hnow := printf `max by (figure_id) (figures_figure_content_hash' + s() + ')` ' + args + ' }}',
          '{{ $hthen := printf `max by (figure_id) (figures_figure_content_hash' + s() + '%s)` ' + args + ' $at }}',
          '{{ $info := printf `group by (figure_id, source_id) (figures_figure_info' + s() + ')` ' + args + ' }}',
          '{{ $changed := printf `%s and on (figure_id) (%s != on (figure_id) %s)` $info $vnow $vthen }}',
          '{{ $revised := printf `%s and on (figure_id) (%s != on (figure_id) %s) unless on (figure_id) (%s != on (figure_id) %s)` $info $hnow $hthen $vnow $vthen }}',
          '{{ $na := len (query $added) }}{{ $nr := len (query $removed) }}{{ $nc := len (query $changed) }}{{ $nv := len (query $revised) }}',
          // The headline.
          '{{ if not $b }}Revision {{ $labels.revision }} of the curated figures in ' + lib.tmplWhere(cfg) + ' is served by every exporter; the revision served before it is older than ' + cfg.revisionLookback + ', so its changes are not listed.{{ else }}',
          'Revision {{ $labels.revision }} of the curated figures in ' + lib.tmplWhere(cfg) + ', first served at {{ (toTime $t).Format "2006-01-02 15:04:05 MST" }}: {{ "" }}',
          '{{ if $na }}{{ $na }} figure{{ if ne $na 1 }}s{{ end }} added{{ if or $nr $nc $nv }}, {{ end }}{{ end }}{{ if $nr }}{{ $nr }} figure{{ if ne $nr 1 }}s{{ end }} removed{{ if or $nc $nv }}, {{ end }}{{ end }}',
          '{{ if $nc }}{{ $nc }} value{{ if ne $nc 1 }}s{{ end }} changed{{ if $nv }}, {{ end }}{{ end }}{{ if $nv }}{{ $nv }} figure{{ if ne $nv 1 }}s{{ end }} revised{{ end }}',
          '{{ if not (or $na $nr $nc $nv) }}no figure changed (the files changed elsewhere){{ end }}.{{ "" }}',
        ]
        // Added figures, by source.
        + [
          '{{ range printf `count by (source_id) (%s)` $added | query | sortByLabel "source_id" }}{{ $sid := .Labels.source_id }}{{ $k := printf "%.0f" .Value }}{{ $first := true }}{{ $hchain := "" }}',
          '{{ range printf `group by (figure_id) (%s and on (figure_id) figures_figure_info' + s('source_id=%q') + ')` $added ' + args + ' $sid | query | sortByLabel "figure_id" }}{{ $id := .Labels.figure_id }}',
        ] + state('n', '""') + [
          '{{ if $first }}' + nl + 'Added {{ $k }} figure{{ if ne $k "1" }}s{{ end }} from ' + source('n') + claim('n') + '{{ $hchain = $nchain }}{{ end }}{{ $first = false }}',
          nl + '• {{ $id }}: ' + value('n', '$nv') + ' — ' + what('n'),
          grade('n') + '{{ if ne $nchain $hchain }}' + claim('n') + '{{ end }}.' + quote('n') + link + '{{ end }}{{ end }}',
        ]
        // Removed figures, by source, as they were at $b.
        + [
          '{{ range printf `count by (source_id) (%s)` $removed | query | sortByLabel "source_id" }}{{ $sid := .Labels.source_id }}{{ $k := printf "%.0f" .Value }}{{ $first := true }}{{ $hchain := "" }}',
          '{{ range printf `group by (figure_id) (%s and on (figure_id) figures_figure_info' + s('source_id=%q') + '%s)` $removed ' + args + ' $sid $at | query | sortByLabel "figure_id" }}{{ $id := .Labels.figure_id }}',
        ] + state('o', '$at') + [
          '{{ if $first }}' + nl + 'Removed {{ $k }} figure{{ if ne $k "1" }}s{{ end }} of ' + source('o') + claim('o') + '{{ $hchain = $ochain }}{{ end }}{{ $first = false }}',
          nl + '• {{ $id }}: was ' + value('o', '$ov') + ' — ' + what('o'),
          '{{ if ne $ochain $hchain }}' + claim('o') + '{{ end }}.{{ end }}{{ end }}',
        ]
        // Changed values: old and new, each with its hedge; a share's
        // change in percentage points, other changes relative.
        + [
          '{{ range query $changed | sortByLabel "figure_id" }}{{ $id := .Labels.figure_id }}',
        ] + state('n', '""') + state('o', '$at') + [
          nl + '• {{ $id }} changed: ' + what('n'),
          ': ' + value('o', '$ov') + ' → ' + value('n', '$nv') + ' {{ "" }}',
          '{{ if or (eq $nunit "ratio") (eq $nunit "change_ratio") }}({{ if ge $nv $ov }}+{{ end }}{{ with printf `vector(100 * (%f - %f))` $nv $ov | query }}{{ with first . }}{{ printf "%.3g" .Value }}{{ end }}{{ end }} points){{ "" }}',
          '{{ else if eq $ov 0.0 }}(from zero){{ else }}({{ if ge $nv $ov }}+{{ end }}{{ with printf `round(100 * (vector(%f) - %f) / abs(vector(%f)), 0.1)` $nv $ov $ov | query }}{{ with first . }}{{ printf "%g" .Value }} %{{ end }}{{ end }}){{ end }}',
          '{{ if ne $ntitle $otitle }}; source now ' + source('n') + ', was ' + source('o') + '{{ else }}; source ' + source('n') + '{{ end }}' + claim('n') + '.' + link + '{{ end }}',
        ]
        // Revised figures (the value is the same): every field that
        // differs, old → new.
        + [
          '{{ range query $revised | sortByLabel "figure_id" }}{{ $id := .Labels.figure_id }}',
        ] + state('n', '""') + state('o', '$at') + [
          nl + '• {{ $id }} revised: ' + what('n') + ': ' + value('n', '$nv') + '; {{ "" }}',
          '{{ if or (ne $nps $ops) (ne $npe $ope) }}period {{ with $ops }}{{ . }}{{ else }}..{{ end }} to {{ $ope }} → {{ with $nps }}{{ . }}{{ else }}..{{ end }} to {{ $npe }}; {{ end }}',
          '{{ if ne $nlabels $olabels }}labels {{ reReplaceAll " $" "" $olabels }} → {{ reReplaceAll " $" "" $nlabels }}; {{ end }}',
          '{{ if ne $nq $oq }}hedge {{ reReplaceAll "_" " " $oq }} → {{ reReplaceAll "_" " " $nq }}; {{ end }}',
          '{{ if ne $nquote $oquote }}quote “{{ $oquote }}” → “{{ $nquote }}”; {{ end }}',
          '{{ if or (ne $ntitle $otitle) (ne $npub $opub) (ne $nurl $ourl) (ne $npublished $opublished) }}source ' + source('o') + ' → ' + source('n') + '; {{ end }}',
          '{{ if or (ne $ncred $ocred) (ne $nrel $orel) }}grades {{ with $ocred }}credibility ' + cred('.') + '{{ else }}no credibility{{ end }}, {{ with $orel }}source ' + rel('.') + '{{ else }}source ungraded{{ end }} → {{ with $ncred }}credibility ' + cred('.') + '{{ else }}no credibility{{ end }}, {{ with $nrel }}source ' + rel('.') + '{{ else }}source ungraded{{ end }}; {{ end }}',
          '{{ if ne $nchain $ochain }}claim {{ $ochain }} → {{ $nchain }}; {{ end }}',
          '{{ if ne $nfam $ofam }}family {{ $ofam }} → {{ $nfam }}; {{ end }}',
          'source ' + source('n') + '.' + link + '{{ end }}',
        ]
        + ['{{ end }}']
        + (if cfg.dashboardURL == '' then [] else [nl + 'Dashboard: ' + cfg.dashboardURL + '{{ "" }}'])
      ),
    },
  },
}
