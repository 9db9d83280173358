// Command chartcheck lints and renders a Helm chart with the Helm SDK (the
// code behind `helm lint` and `helm template`) and decodes every rendered
// object strictly into its Kubernetes or Prometheus Operator Go type. There
// is no Kubernetes cluster where this repository is tested, so
// deploy/helm_test.go checks deploy/helm/figures-exporter through it:
//
//	chartcheck lint [-f VALUES]... [-namespace NS] CHART
//	chartcheck template [-f VALUES]... [-release NAME] [-namespace NS] CHART
//	chartcheck selectors -job JOB -namespace NS RULE_FILE
//
// lint runs action.Lint with Strict set, as `helm lint --strict` does: a
// warning fails like an error. template renders as `helm template` does
// (action.Install, client only, dry run) and prints JSON: the NOTES.txt text
// and, for each object, its template, kind and name and the object as it
// reads back from its Go type. An object that does not decode (an unknown
// kind, an unknown or duplicate field, a wrong type), an invalid name, label
// or annotation, or a ConfigMap or Secret over the API server's 1 MiB limit
// is an error (exit status 1, the problems on stderr), and so is a pod
// template that the Pod Security Standards' restricted level (the
// admission library of k8s.io/pod-security-admission) would refuse. selectors checks that
// every series selector of a rule file's expressions matches one job and
// namespace.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	monitoringv1 "github.com/prometheus-operator/prometheus-operator/pkg/apis/monitoring/v1"
	"helm.sh/helm/v3/pkg/action"
	"helm.sh/helm/v3/pkg/chart/loader"
	"helm.sh/helm/v3/pkg/chartutil"
	"helm.sh/helm/v3/pkg/cli/values"
	"helm.sh/helm/v3/pkg/getter"
	"helm.sh/helm/v3/pkg/releaseutil"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	policyv1 "k8s.io/api/policy/v1"
	apivalidation "k8s.io/apimachinery/pkg/api/validation"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	metavalidation "k8s.io/apimachinery/pkg/apis/meta/v1/validation"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/runtime"
	kjson "k8s.io/apimachinery/pkg/runtime/serializer/json"
	"k8s.io/apimachinery/pkg/util/validation"
	"k8s.io/apimachinery/pkg/util/validation/field"
	psaapi "k8s.io/pod-security-admission/api"
	"k8s.io/pod-security-admission/policy"
)

// maxConfigSize is the API server's limit on the data of one ConfigMap or
// Secret (k8s.io/kubernetes pkg/apis/core/validation: MaxSecretSize and the
// ConfigMap check use the same 1 MiB).
const maxConfigSize = 1 << 20

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// valueFiles collects repeated -f flags.
type valueFiles []string

func (v *valueFiles) String() string     { return strings.Join(*v, ",") }
func (v *valueFiles) Set(s string) error { *v = append(*v, s); return nil }

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 && args[0] == "selectors" {
		return selectors(args[1:], stdout, stderr)
	}
	if len(args) == 0 || (args[0] != "lint" && args[0] != "template") {
		fmt.Fprintln(stderr, "usage: chartcheck lint|template [-f VALUES]... [-release NAME] [-namespace NS] CHART\n       chartcheck selectors -job JOB -namespace NS RULE_FILE")
		return 2
	}
	cmd := args[0]
	fs := flag.NewFlagSet("chartcheck "+cmd, flag.ContinueOnError)
	fs.SetOutput(stderr)
	var files valueFiles
	fs.Var(&files, "f", "values file (repeatable; later files win)")
	release := fs.String("release", "release-name", "release name (template)")
	namespace := fs.String("namespace", "default", "release namespace")
	// The SDK's default is v1.20.0 unless helm's build stamps another; the
	// Kubernetes version of the k8s.io/api types this module decodes into
	// is the one that makes sense here.
	kubeVersion := fs.String("kube-version", "v1.37.0", "Kubernetes version the chart is rendered for")
	if err := fs.Parse(args[1:]); err != nil {
		return 2
	}
	if fs.NArg() != 1 {
		fmt.Fprintln(stderr, "chartcheck: want one chart directory")
		return 2
	}
	chartDir := fs.Arg(0)
	kv, err := chartutil.ParseKubeVersion(*kubeVersion)
	if err != nil {
		fmt.Fprintln(stderr, "chartcheck:", err)
		return 2
	}
	// No getters: values files are local paths, read with os.ReadFile.
	vals, err := (&values.Options{ValueFiles: files}).MergeValues(getter.Providers{})
	if err != nil {
		fmt.Fprintln(stderr, "chartcheck:", err)
		return 1
	}
	switch cmd {
	case "lint":
		return lint(chartDir, *namespace, kv, vals, stdout, stderr)
	default:
		return template(chartDir, *release, *namespace, kv, vals, stdout, stderr)
	}
}

func lint(chartDir, namespace string, kv *chartutil.KubeVersion, vals map[string]any, stdout, stderr io.Writer) int {
	l := action.NewLint()
	l.Strict = true
	l.Namespace = namespace
	l.KubeVersion = kv
	res := l.Run([]string{chartDir}, vals)
	for _, m := range res.Messages {
		fmt.Fprintln(stdout, m)
	}
	if len(res.Errors) > 0 {
		for _, err := range res.Errors {
			fmt.Fprintln(stderr, "lint:", err)
		}
		return 1
	}
	return 0
}

// rendered is what template prints.
type rendered struct {
	Notes   string   `json:"notes"`
	Objects []object `json:"objects"`
}

type object struct {
	Template   string          `json:"template"`
	APIVersion string          `json:"apiVersion"`
	Kind       string          `json:"kind"`
	Name       string          `json:"name"`
	Namespace  string          `json:"namespace"`
	Object     json.RawMessage `json:"object"`
}

func template(chartDir, release, namespace string, kv *chartutil.KubeVersion, vals map[string]any, stdout, stderr io.Writer) int {
	chrt, err := loader.Load(chartDir)
	if err != nil {
		fmt.Fprintln(stderr, "chartcheck:", err)
		return 1
	}
	inst := action.NewInstall(&action.Configuration{})
	inst.DryRun = true
	inst.ClientOnly = true
	inst.Replace = true
	inst.ReleaseName = release
	inst.Namespace = namespace
	inst.KubeVersion = kv
	rel, err := inst.Run(chrt, vals)
	if err != nil {
		fmt.Fprintln(stderr, "chartcheck: rendering:", err)
		return 1
	}
	if len(rel.Hooks) > 0 {
		fmt.Fprintf(stderr, "chartcheck: the chart has %d hooks; they are not checked\n", len(rel.Hooks))
		return 1
	}
	decoder := strictDecoder()
	out := rendered{Notes: rel.Info.Notes}
	var problems []string
	manifests := releaseutil.SplitManifests(rel.Manifest)
	keys := make([]string, 0, len(manifests))
	for k := range manifests {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return manifestIndex(keys[i]) < manifestIndex(keys[j]) })
	for _, k := range keys {
		doc := manifests[k]
		src := sourceOf(doc)
		obj, err := decode(decoder, doc)
		if err != nil {
			problems = append(problems, fmt.Sprintf("%s: %v", src, err))
			continue
		}
		if errs := validateObject(obj); len(errs) > 0 {
			problems = append(problems, fmt.Sprintf("%s: %v", src, errs.ToAggregate()))
			continue
		}
		data, err := json.Marshal(obj)
		if err != nil {
			problems = append(problems, fmt.Sprintf("%s: %v", src, err))
			continue
		}
		meta := obj.(metav1.Object)
		gvk := obj.GetObjectKind().GroupVersionKind()
		out.Objects = append(out.Objects, object{
			Template: src, APIVersion: gvk.GroupVersion().String(), Kind: gvk.Kind,
			Name: meta.GetName(), Namespace: meta.GetNamespace(), Object: data,
		})
	}
	if len(problems) > 0 {
		for _, p := range problems {
			fmt.Fprintln(stderr, p)
		}
		return 1
	}
	enc := json.NewEncoder(stdout)
	enc.SetIndent("", "  ")
	if err := enc.Encode(out); err != nil {
		fmt.Fprintln(stderr, "chartcheck:", err)
		return 1
	}
	return 0
}

// manifestIndex orders SplitManifests' keys ("manifest-N") numerically, so
// that the output follows the rendered stream.
func manifestIndex(key string) int {
	var n int
	fmt.Sscanf(key, "manifest-%d", &n)
	return n
}

// sourceOf returns the "# Source: chart/templates/x.yaml" line Helm puts
// above every rendered document.
func sourceOf(doc string) string {
	for _, line := range strings.Split(doc, "\n") {
		if s, ok := strings.CutPrefix(line, "# Source: "); ok {
			return s
		}
	}
	return "(unknown template)"
}

// strictDecoder decodes YAML into the registered Go types and reports
// unknown and duplicate fields as errors, like `kubectl apply
// --validate=strict` (the API server's strict field validation).
func strictDecoder() runtime.Decoder {
	scheme := runtime.NewScheme()
	for _, add := range []func(*runtime.Scheme) error{
		corev1.AddToScheme, appsv1.AddToScheme, policyv1.AddToScheme, monitoringv1.AddToScheme,
	} {
		if err := add(scheme); err != nil {
			panic(err)
		}
	}
	return kjson.NewSerializerWithOptions(kjson.DefaultMetaFactory, scheme, scheme,
		kjson.SerializerOptions{Yaml: true, Strict: true})
}

func decode(d runtime.Decoder, doc string) (runtime.Object, error) {
	obj, gvk, err := d.Decode([]byte(doc), nil, nil)
	if err != nil {
		// A strict decoding error comes with the object decoded anyway;
		// it is still an error here.
		return nil, err
	}
	// The decoder drops apiVersion and kind from typed objects; put them
	// back so that the JSON printed says what it is.
	obj.GetObjectKind().SetGroupVersionKind(*gvk)
	if _, ok := obj.(metav1.Object); !ok {
		return nil, fmt.Errorf("%s is not an object with metadata", gvk)
	}
	return obj, nil
}

// validateObject runs the checks of the API server that need no cluster:
// name, namespace, labels and annotations, and the size of config data.
// (The full validation of each kind lives in k8s.io/kubernetes, which this
// module does not build.)
func validateObject(obj runtime.Object) field.ErrorList {
	meta := obj.(metav1.Object)
	var errs field.ErrorList
	path := field.NewPath("metadata")
	nameFn := apivalidation.NameIsDNSSubdomain
	if _, ok := obj.(*corev1.Service); ok {
		nameFn = apivalidation.NameIsDNS1035Label
	}
	for _, msg := range nameFn(meta.GetName(), false) {
		errs = append(errs, field.Invalid(path.Child("name"), meta.GetName(), msg))
	}
	if meta.GetNamespace() == "" {
		errs = append(errs, field.Required(path.Child("namespace"), "every object names its namespace"))
	}
	for _, msg := range validation.IsDNS1123Label(meta.GetNamespace()) {
		errs = append(errs, field.Invalid(path.Child("namespace"), meta.GetNamespace(), msg))
	}
	errs = append(errs, metavalidation.ValidateLabels(meta.GetLabels(), path.Child("labels"))...)
	errs = append(errs, apivalidation.ValidateAnnotations(meta.GetAnnotations(), path.Child("annotations"))...)
	size := 0
	switch o := obj.(type) {
	case *corev1.ConfigMap:
		for k, v := range o.Data {
			size += len(k) + len(v)
			errs = append(errs, configKey(k)...)
		}
		for k, v := range o.BinaryData {
			size += len(k) + len(v)
			errs = append(errs, configKey(k)...)
		}
	case *corev1.Secret:
		for k, v := range o.Data {
			size += len(v)
			errs = append(errs, configKey(k)...)
		}
		for k, v := range o.StringData {
			size += len(v)
			errs = append(errs, configKey(k)...)
		}
	case *appsv1.Deployment:
		errs = append(errs, podSecurity(&o.Spec.Template)...)
		errs = append(errs, metavalidation.ValidateLabelSelector(o.Spec.Selector, metavalidation.LabelSelectorValidationOptions{}, field.NewPath("spec", "selector"))...)
		sel, err := metav1.LabelSelectorAsSelector(o.Spec.Selector)
		if err != nil || sel.Empty() {
			errs = append(errs, field.Invalid(field.NewPath("spec", "selector"), o.Spec.Selector, "empty or invalid selector"))
		} else if !sel.Matches(labels.Set(o.Spec.Template.Labels)) {
			errs = append(errs, field.Invalid(field.NewPath("spec", "template", "metadata", "labels"), o.Spec.Template.Labels, "does not match spec.selector"))
		}
	}
	if size > maxConfigSize {
		errs = append(errs, field.TooLong(field.NewPath("data"), "", maxConfigSize))
	}
	return errs
}

// podSecurity evaluates a pod template as the PodSecurity admission plugin
// does for a namespace labelled pod-security.kubernetes.io/enforce:
// restricted (latest version).
func podSecurity(tmpl *corev1.PodTemplateSpec) field.ErrorList {
	eval, err := policy.NewEvaluator(policy.DefaultChecks(), nil)
	if err != nil {
		return field.ErrorList{field.InternalError(field.NewPath("spec", "template"), err)}
	}
	lv := psaapi.LevelVersion{Level: psaapi.LevelRestricted, Version: psaapi.LatestVersion()}
	res := policy.AggregateCheckResults(eval.EvaluatePod(lv, &tmpl.ObjectMeta, &tmpl.Spec))
	if res.Allowed {
		return nil
	}
	return field.ErrorList{field.Forbidden(field.NewPath("spec", "template", "spec"),
		fmt.Sprintf("violates PodSecurity %q: %s (%s)", lv.String(), res.ForbiddenReason(), res.ForbiddenDetail()))}
}

func configKey(k string) field.ErrorList {
	var errs field.ErrorList
	for _, msg := range validation.IsConfigMapKey(k) {
		errs = append(errs, field.Invalid(field.NewPath("data").Key(k), k, msg))
	}
	return errs
}
