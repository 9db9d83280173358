{{/*
Expand the name of the chart.
*/}}
{{- define "figures-exporter.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
A default fully qualified app name, at most 63 characters (the DNS label
limit of Service names). A release name that contains the chart name is used
alone.
*/}}
{{- define "figures-exporter.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/*
Chart name and version, for the helm.sh/chart label.
*/}}
{{- define "figures-exporter.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
The namespace of the Deployment and the Service: the one whose `namespace`
label the scraped series carry.
*/}}
{{- define "figures-exporter.namespace" -}}
{{- default .Release.Namespace .Values.namespaceOverride }}
{{- end }}

{{/*
Common labels.
*/}}
{{- define "figures-exporter.labels" -}}
helm.sh/chart: {{ include "figures-exporter.chart" . }}
{{ include "figures-exporter.selectorLabels" . }}
{{- if .Chart.AppVersion }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
{{- end }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: figures-exporter
{{- end }}

{{/*
Selector labels: never change them in an upgrade (a Deployment's selector is
immutable).
*/}}
{{- define "figures-exporter.selectorLabels" -}}
app.kubernetes.io/name: {{ include "figures-exporter.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/*
The Service's labels. The job helper reads them back, so that the job the
rules select is computed from the labels the Service really has.
*/}}
{{- define "figures-exporter.serviceLabels" -}}
{{ include "figures-exporter.labels" . }}
{{- with .Values.service.labels }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{/*
The `job` label Prometheus gives the exporter's series when the
ServiceMonitor scrapes it, as the Prometheus Operator computes it
(pkg/prometheus/promcfg.go): the Service name, replaced by the value of the
Service label named by jobLabel when that label is present and not empty.
The value is a Service name or a label value (letters, digits, "-", "_",
"."), so it needs no escaping inside a PromQL string.
*/}}
{{- define "figures-exporter.job" -}}
{{- $job := include "figures-exporter.fullname" . }}
{{- with .Values.serviceMonitor.jobLabel }}
{{- $labels := include "figures-exporter.serviceLabels" $ | fromYaml }}
{{- with index $labels . }}
{{- $job = . }}
{{- end }}
{{- end }}
{{- $job }}
{{- end }}

{{/*
The name of the ServiceAccount the pods run as.
*/}}
{{- define "figures-exporter.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "figures-exporter.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/*
The ConfigMap that holds the figures files.
*/}}
{{- define "figures-exporter.figuresConfigMap" -}}
{{- default (printf "%s-figures" (include "figures-exporter.fullname" .)) .Values.figures.existingConfigMap }}
{{- end }}

{{/*
"true" when the exporter serves TLS (webConfig.tls_server_config is set).
*/}}
{{- define "figures-exporter.tls" -}}
{{- if and .Values.webConfig .Values.webConfig.tls_server_config }}true{{ end }}
{{- end }}

{{/*
The scheme of the exporter's endpoints, for the probes and the scrape.
*/}}
{{- define "figures-exporter.scheme" -}}
{{- if include "figures-exporter.tls" . }}https{{ else }}http{{ end }}
{{- end }}

{{/*
Replaces the placeholders of the mixin's generated files (files/rules.yaml,
files/dashboards/*.json) with this release's job and namespace. Call with
(dict "content" TEXT "root" $).
*/}}
{{- define "figures-exporter.fillSelector" -}}
{{- .content | replace "__FIGURES_JOB__" (include "figures-exporter.job" .root) | replace "__FIGURES_NAMESPACE__" (include "figures-exporter.namespace" .root) }}
{{- end }}

{{/*
Fills the link placeholders of files/rules.yaml (in FiguresDatasetRevised's
description) as the mixin renders its settings exporterExternalURL and
dashboardURL: with externalURL set, every figure line ends with
" Figure page: <url>/figures/<id>" (trailing slashes of the URL dropped),
with prometheusRule.dashboardURL set the description ends with the line
"Dashboard: <url>"; with a value empty, that link's whole text goes, so the
description is the mixin's without the setting. Call with
(dict "content" TEXT "root" $) on a parsed annotation: the dashboard text
removed includes its line break.
*/}}
{{- define "figures-exporter.fillLinks" -}}
{{- $text := .content }}
{{- with .root.Values.externalURL }}
{{- $text = $text | replace "__FIGURES_EXTERNAL_URL__" (regexReplaceAll "/+$" . "") }}
{{- else }}
{{- $text = $text | replace " Figure page: __FIGURES_EXTERNAL_URL__/figures/{{ $id }}" "" }}
{{- end }}
{{- with .root.Values.prometheusRule.dashboardURL }}
{{- $text = $text | replace "__FIGURES_DASHBOARD_URL__" . }}
{{- else }}
{{- $text = $text | replace (printf "%s\n" `{{ "\n" }}Dashboard: __FIGURES_DASHBOARD_URL__{{ "" -}}`) "" }}
{{- end }}
{{- $text }}
{{- end }}
