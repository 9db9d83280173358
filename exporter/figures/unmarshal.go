package figures

import (
	"fmt"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
	"unique"

	"gopkg.in/yaml.v3"
)

// Every type of the model decodes itself from its yaml.Node and checks what
// can be checked without the rest of the dataset; checks that need other
// objects (references, duplicates, consistency) live in validate.go. Each
// UnmarshalYAML returns Diagnostics holding every problem of its object.

var (
	metricNameRE = regexp.MustCompile(`^[a-zA-Z_:][a-zA-Z0-9_:]*$`)
	labelNameRE  = regexp.MustCompile(`^[a-zA-Z_][a-zA-Z0-9_]*$`)
	idRE         = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]*$`)
	countryRE    = regexp.MustCompile(`^[A-Z]{2}$`)
)

const (
	maxIDLen         = 128
	maxLabelValueLen = 256
	maxTextLen       = 4096
)

// reservedLabels are added to every figure series by the exporter or by
// Prometheus itself, so a family cannot declare them.
var reservedLabels = map[string]bool{"figure_id": true, "period": true, "instance": true, "job": true, "le": true, "quantile": true}

// Fields lists the fields each object of a figures file may have, in the
// order the README documents them. figures.schema.json must agree (a test
// checks it).
var Fields = map[string][]string{
	"file":     {"families", "sources", "figures"},
	"family":   {"name", "help", "unit", "labels", "share_label"},
	"source":   {"id", "seed", "title", "publisher", "author", "published", "url", "notes"},
	"figure":   figureFields[:],
	"period":   {"start", "end"},
	"derived":  {"from", "method"},
	"share_of": {"part", "whole"},
}

var figureFields = [...]string{"id", "family", "labels", "value", "qualifier", "period", "source", "quote", "curated", "revised", "notes", "derived", "part_of", "share_of", "contradiction"}

// Required lists the fields each object must have.
var Required = map[string][]string{
	"family":   {"name", "help", "unit", "labels"},
	"source":   {"id", "seed", "title"},
	"figure":   {"id", "family", "labels", "value", "qualifier", "period", "source", "quote", "curated"},
	"period":   {"end"},
	"derived":  {"from", "method"},
	"share_of": {"part", "whole"},
}

// reservedPrefix is where the exporter's own metrics live.
const reservedPrefix = "figures_exporter_"

func (f *File) UnmarshalYAML(n *yaml.Node) error {
	var c collector
	fields, ok := mapping(&c, n, "file", Fields["file"]...)
	if !ok {
		return c.err()
	}
	if len(fields) == 0 && len(c.diags) == 0 {
		c.errorf(n.Line, n.Column, "file defines no families, sources or figures")
	}
	if v, ok := fields["families"]; ok {
		for _, item := range sequence(&c, v, "families") {
			fam := &Family{}
			if !decodeObject(&c, item, "family", fam) {
				continue
			}
			f.Families = append(f.Families, fam)
		}
	}
	if v, ok := fields["sources"]; ok {
		for _, item := range sequence(&c, v, "sources") {
			src := &Source{}
			if !decodeObject(&c, item, "source", src) {
				continue
			}
			f.Sources = append(f.Sources, src)
		}
	}
	if v, ok := fields["figures"]; ok {
		for _, item := range sequence(&c, v, "figures") {
			fig := &Figure{}
			if !decodeObject(&c, item, "figure", fig) {
				continue
			}
			f.Figures = append(f.Figures, fig)
		}
	}
	return c.err()
}

// decodeObject decodes n into out, keeping its problems. yaml.v3 does not
// call UnmarshalYAML for a null node (a bare "-" in a list, "period:" with
// nothing after it) and leaves out zero instead, which would pass for an
// object without any of its required fields checked; so null is refused here.
//
// Once the file has MaxDiagnostics problems, the rest of its objects are not
// decoded at all: a file of a million broken entries costs its parse, not a
// million objects and messages.
func decodeObject(c *collector, n *yaml.Node, what string, out yaml.Unmarshaler) bool {
	if len(c.diags) >= MaxDiagnostics {
		c.drop(Position{Line: n.Line, Column: n.Column})
		return false
	}
	if r := resolve(n); r.Kind == yaml.ScalarNode && r.Tag == "!!null" {
		c.errorf(r.Line, r.Column, "%s must be a mapping, got null", what)
		return false
	}
	c.absorb(n.Decode(out), n.Line, n.Column)
	return true
}

func (fam *Family) UnmarshalYAML(n *yaml.Node) error {
	var c collector
	fam.Pos = posOf(n)
	fields, ok := mapping(&c, n, describe(n, "family", "name"), Fields["family"]...)
	if !ok {
		return c.err()
	}
	what := "family"
	if v, ok := fields["name"]; ok {
		fam.Name = str(&c, v, "family name")
		if fam.Name != "" {
			what = "family " + fam.Name
			checkMetricName(&c, v, fam.Name)
		}
	}
	require(&c, resolve(n), fields, what, Required["family"]...)
	if v, ok := fields["help"]; ok {
		fam.Help = text(&c, v, what+": help")
	}
	if v, ok := fields["unit"]; ok {
		fam.Unit = Unit(str(&c, v, what+": unit"))
		if fam.Unit != "" && fam.Unit != UnitCount && fam.Unit != UnitRatio && fam.Unit != UnitChangeRatio && !fam.Unit.IsCurrency() {
			c.errorf(v.Line, v.Column, "%s: unknown unit %q (want count, ratio, change_ratio or a currency code: %s)", what, fam.Unit, strings.Join(currencyList(), ", "))
		} else if fam.Name != "" && fam.Unit != "" {
			if want := fam.Unit.suffix(); want != "" && !strings.HasSuffix(fam.Name, want) {
				c.errorf(v.Line, v.Column, "%s: a family of unit %s must have a name ending in %q", what, fam.Unit, want)
			}
			if fam.Unit == UnitCount {
				for _, s := range unitSuffixes() {
					if strings.HasSuffix(fam.Name, s) {
						c.errorf(v.Line, v.Column, "%s: a family of unit count must not have a name ending in %q", what, s)
					}
				}
			}
		}
	}
	if v, ok := fields["labels"]; ok {
		seen := map[string]bool{}
		for _, item := range sequence(&c, v, what+": labels") {
			name := str(&c, item, what+": label name")
			if name == "" {
				continue
			}
			switch {
			case !labelNameRE.MatchString(name) || strings.HasPrefix(name, "__"):
				c.errorf(item.Line, item.Column, "%s: invalid label name %q", what, name)
			case reservedLabels[name]:
				c.errorf(item.Line, item.Column, "%s: label name %q is reserved (the exporter or Prometheus sets it)", what, name)
			case seen[name]:
				c.errorf(item.Line, item.Column, "%s: label %q is listed twice", what, name)
			}
			seen[name] = true
			fam.Labels = append(fam.Labels, name)
		}
	}
	if v, ok := fields["share_label"]; ok {
		fam.ShareLabel = str(&c, v, what+": share_label")
		if fam.Unit != "" && fam.Unit != UnitRatio {
			c.errorf(v.Line, v.Column, "%s: share_label is only for families of unit ratio", what)
		} else if fam.ShareLabel != "" && !contains(fam.Labels, fam.ShareLabel) {
			c.errorf(v.Line, v.Column, "%s: share_label %q is not one of the family's labels", what, fam.ShareLabel)
		}
	}
	return c.err()
}

func (u Unit) suffix() string {
	switch {
	case u == UnitRatio, u == UnitChangeRatio:
		return "_ratio"
	case u.IsCurrency():
		return "_" + string(u)
	}
	return ""
}

func unitSuffixes() []string {
	out := []string{"_ratio", "_total", "_seconds", "_bytes", "_info"}
	for _, c := range currencyList() {
		out = append(out, "_"+c)
	}
	return out
}

func currencyList() []string {
	out := make([]string, 0, len(currencyUnits))
	for u := range currencyUnits {
		out = append(out, string(u))
	}
	sort.Strings(out)
	return out
}

func checkMetricName(c *collector, n *yaml.Node, name string) {
	switch {
	case !metricNameRE.MatchString(name):
		c.errorf(n.Line, n.Column, "invalid metric name %q", name)
	case strings.Contains(name, ":"):
		c.errorf(n.Line, n.Column, "metric name %q contains a colon, which is reserved for recording rules", name)
	case strings.HasPrefix(name, reservedPrefix) || strings.HasPrefix(name, "figures_figure_"):
		c.errorf(n.Line, n.Column, "metric name %q uses a prefix reserved for the exporter's own metrics (%s, figures_figure_)", name, reservedPrefix)
	}
}

func (s *Source) UnmarshalYAML(n *yaml.Node) error {
	var c collector
	s.Pos = posOf(n)
	fields, ok := mapping(&c, n, describe(n, "source", "id"), Fields["source"]...)
	if !ok {
		return c.err()
	}
	what := "source"
	if v, ok := fields["id"]; ok {
		if s.ID = identifier(&c, v, "source id"); s.ID != "" {
			what = "source " + s.ID
		}
	}
	require(&c, resolve(n), fields, what, Required["source"]...)
	if v, ok := fields["seed"]; ok {
		s.Seed = str(&c, v, what+": seed")
		if strings.ContainsAny(s.Seed, `/\`) || strings.HasPrefix(s.Seed, ".") {
			c.errorf(v.Line, v.Column, "%s: seed must be a plain file name, got %q", what, s.Seed)
		}
	}
	if v, ok := fields["title"]; ok {
		s.Title = labelText(&c, v, what+": title", maxTextLen)
	}
	if v, ok := fields["publisher"]; ok {
		s.Publisher = labelText(&c, v, what+": publisher", maxLabelValueLen)
	}
	if v, ok := fields["author"]; ok {
		s.Author = labelText(&c, v, what+": author", maxLabelValueLen)
	}
	if v, ok := fields["published"]; ok {
		if t, ok := date(&c, v, what+": published"); ok {
			s.Published = &t
		}
	}
	if v, ok := fields["url"]; ok {
		s.URL = labelText(&c, v, what+": url", maxTextLen)
		if u, err := url.Parse(s.URL); s.URL != "" && (err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "") {
			c.errorf(v.Line, v.Column, "%s: url %q is not an absolute http(s) URL", what, s.URL)
		}
	}
	if v, ok := fields["notes"]; ok {
		s.Notes = text(&c, v, what+": notes")
	}
	return c.err()
}

func (f *Figure) UnmarshalYAML(n *yaml.Node) error {
	var c collector
	f.Pos = posOf(n)
	fields, ok := mapping(&c, n, describe(n, "figure", "id"), Fields["figure"]...)
	if !ok {
		return c.err()
	}
	for i, name := range figureFields {
		if v, ok := fields[name]; ok {
			p := posOf(v)
			f.fieldPos[i] = lineCol{int32(p.Line), int32(p.Column)}
		}
	}
	what := "figure"
	if v, ok := fields["id"]; ok {
		if f.ID = identifier(&c, v, "figure id"); f.ID != "" {
			what = "figure " + f.ID
		}
	}
	require(&c, resolve(n), fields, what, Required["figure"]...)
	if v, ok := fields["family"]; ok {
		f.Family = intern(str(&c, v, what+": family"))
	}
	if v, ok := fields["labels"]; ok {
		f.Labels = labels(&c, v, what)
	}
	if v, ok := fields["value"]; ok {
		f.Value, _ = number(&c, v, what+": value")
	}
	if v, ok := fields["qualifier"]; ok {
		f.Qualifier = Qualifier(intern(str(&c, v, what+": qualifier")))
		if f.Qualifier != "" && !containsQualifier(f.Qualifier) {
			c.errorf(v.Line, v.Column, "%s: unknown qualifier %q (want one of %s)", what, f.Qualifier, qualifierList())
		}
	}
	if v, ok := fields["period"]; ok {
		decodeObject(&c, v, what+": period", &f.Period)
	}
	if v, ok := fields["source"]; ok {
		f.Source = intern(str(&c, v, what+": source"))
	}
	if v, ok := fields["quote"]; ok {
		f.Quote = text(&c, v, what+": quote")
	}
	if v, ok := fields["curated"]; ok {
		f.Curated, _ = date(&c, v, what+": curated")
	}
	if v, ok := fields["revised"]; ok {
		if t, ok := date(&c, v, what+": revised"); ok {
			f.Revised = &t
			if !f.Curated.IsZero() && t.Before(f.Curated) {
				c.errorf(v.Line, v.Column, "%s: revised %s is before curated %s", what, t.Format(dateLayout), f.Curated.Format(dateLayout))
			}
		}
	}
	if v, ok := fields["notes"]; ok {
		f.Notes = text(&c, v, what+": notes")
	}
	if v, ok := fields["derived"]; ok {
		f.Derived = &Derivation{Pos: posOf(v)}
		if df, ok := mapping(&c, v, what+": derived", Fields["derived"]...); ok {
			require(&c, resolve(v), df, what+": derived", Required["derived"]...)
			if fv, ok := df["from"]; ok {
				f.Derived.From = stringList(&c, fv, what+": derived.from")
			}
			if mv, ok := df["method"]; ok {
				f.Derived.Method = text(&c, mv, what+": derived.method")
			}
		}
	}
	if v, ok := fields["part_of"]; ok {
		f.PartOf = str(&c, v, what+": part_of")
	}
	if v, ok := fields["share_of"]; ok {
		f.ShareOf = &ShareOf{Pos: posOf(v)}
		if sf, ok := mapping(&c, v, what+": share_of", Fields["share_of"]...); ok {
			require(&c, resolve(v), sf, what+": share_of", Required["share_of"]...)
			if pv, ok := sf["part"]; ok {
				f.ShareOf.Part = str(&c, pv, what+": share_of.part")
			}
			if wv, ok := sf["whole"]; ok {
				f.ShareOf.Whole = str(&c, wv, what+": share_of.whole")
			}
		}
	}
	if v, ok := fields["contradiction"]; ok {
		f.Contradiction = text(&c, v, what+": contradiction")
	}
	return c.err()
}

func (p *Period) UnmarshalYAML(n *yaml.Node) error {
	var c collector
	fields, ok := mapping(&c, n, "period", Fields["period"]...)
	if !ok {
		return c.err()
	}
	require(&c, resolve(n), fields, "period", Required["period"]...)
	if v, ok := fields["start"]; ok {
		if t, ok := date(&c, v, "period start"); ok {
			p.Start = &t
		}
	}
	if v, ok := fields["end"]; ok {
		p.End, _ = date(&c, v, "period end")
	}
	if p.Start != nil && !p.End.IsZero() && p.End.Before(*p.Start) {
		c.errorf(fields["end"].Line, fields["end"].Column, "period ends (%s) before it starts (%s)", p.End.Format(dateLayout), p.Start.Format(dateLayout))
	}
	return c.err()
}

// labels decodes a figure's label mapping, sorted by name.
func labels(c *collector, n *yaml.Node, what string) []Label {
	n = resolve(n)
	if n.Kind != yaml.MappingNode {
		c.errorf(n.Line, n.Column, "%s: labels must be a mapping of label names to values, got %s", what, kindName(n))
		return nil
	}
	var out []Label
	seen := map[string]int{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := resolve(n.Content[i]), n.Content[i+1]
		name := str(c, k, what+": label name")
		if name == "" {
			continue
		}
		if prev, dup := seen[name]; dup {
			c.errorf(k.Line, k.Column, "%s: label %q is already defined at line %d", what, name, prev)
			continue
		}
		seen[name] = k.Line
		value := labelText(c, v, fmt.Sprintf("%s: label %s", what, name), maxLabelValueLen)
		if value != "" && (strings.HasSuffix(name, "_country") || strings.HasSuffix(name, "_countries") || name == "country") {
			for _, code := range strings.Split(value, "+") {
				if !countryRE.MatchString(code) {
					c.errorf(v.Line, v.Column, "%s: label %s: %q is not an ISO 3166-1 alpha-2 country code (join several with +, as in CN+KP)", what, name, code)
					break
				}
			}
		}
		p := posOf(v)
		out = append(out, Label{Name: intern(name), Value: intern(value), at: lineCol{int32(p.Line), int32(p.Column)}})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// intern returns the one copy of s the process keeps. yaml.v3 allocates
// every scalar anew, and the family, label names and values, qualifier and
// source of 100k figures are a few hundred distinct strings: interned, they
// cost a dataset nothing per figure.
func intern(s string) string { return unique.Make(s).Value() }

// identifier decodes an id: lower-case letters, digits, '.', '_' and '-', so
// that ids are safe in labels, URLs and file names alike.
func identifier(c *collector, n *yaml.Node, field string) string {
	s := str(c, n, field)
	if s == "" {
		return ""
	}
	if len(s) > maxIDLen || !idRE.MatchString(s) {
		c.errorf(n.Line, n.Column, "%s %q must be at most %d characters of a-z, 0-9, '.', '_' and '-', starting with a letter or digit", field, truncate(s, 40), maxIDLen)
		return ""
	}
	return s
}

// text decodes free text (quotes, notes): any length up to maxTextLen, valid
// UTF-8, no control characters other than newlines and tabs.
func text(c *collector, n *yaml.Node, field string) string {
	return checkedText(c, n, field, maxTextLen, true)
}

// labelText decodes a value that ends up in a Prometheus label: one line.
func labelText(c *collector, n *yaml.Node, field string, max int) string {
	return checkedText(c, n, field, max, false)
}

func checkedText(c *collector, n *yaml.Node, field string, max int, multiline bool) string {
	s := str(c, n, field)
	if s == "" {
		return ""
	}
	if !utf8.ValidString(s) {
		c.errorf(n.Line, n.Column, "%s is not valid UTF-8", field)
		return ""
	}
	if len(s) > max {
		c.errorf(n.Line, n.Column, "%s is %d bytes long; the limit is %d", field, len(s), max)
		return ""
	}
	for _, r := range s {
		if (r == '\n' || r == '\t') && multiline {
			continue
		}
		if unicode.IsControl(r) {
			c.errorf(n.Line, n.Column, "%s contains the control character %U", field, r)
			return ""
		}
	}
	return s
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func containsQualifier(q Qualifier) bool {
	for _, x := range qualifiers {
		if x == q {
			return true
		}
	}
	return false
}

func qualifierList() string {
	names := make([]string, len(qualifiers))
	for i, q := range qualifiers {
		names[i] = string(q)
	}
	return strings.Join(names, ", ")
}

// describe names an object in messages by its id (or name) when it has a
// plain one, so that even a problem found before the id is decoded says
// which figure it is in: "figure kp-2023" rather than "figure".
func describe(n *yaml.Node, what, key string) string {
	n = resolve(n)
	if n.Kind != yaml.MappingNode {
		return what
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := resolve(n.Content[i]), resolve(n.Content[i+1])
		if k.Kind == yaml.ScalarNode && k.Value == key && v.Kind == yaml.ScalarNode && v.Tag == "!!str" && len(v.Value) <= maxIDLen && metricNameRE.MatchString(strings.ReplaceAll(strings.ReplaceAll(v.Value, "-", "_"), ".", "_")) {
			return what + " " + v.Value
		}
	}
	return what
}
