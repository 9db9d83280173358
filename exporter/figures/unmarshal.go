package figures

import (
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
	"unique"

	"github.com/prometheus/common/model"
	"go.yaml.in/yaml/v3"
	"golang.org/x/text/currency"
	"golang.org/x/text/language"
)

// Every type of the model decodes itself from its yaml.Node through its table
// of fields and checks what can be checked without the rest of the dataset;
// checks that need other objects (references, duplicates, consistency) live
// in validate.go. Each UnmarshalYAML returns Diagnostics holding every
// problem of its object.

var (
	idRE     = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]*$`)
	sha256RE = regexp.MustCompile(`^[0-9a-f]{64}$`)
)

const (
	maxIDLen         = 128
	maxLabelValueLen = 256
	maxTextLen       = 4096
)

// reservedLabels are added to every figure series by the exporter or by
// Prometheus itself, so a family cannot declare them.
var reservedLabels = []string{"figure_id", "period", "instance", "job", "le", "quantile"}

// reservedPrefixes are where the exporter's own metrics live.
var reservedPrefixes = []string{"figures_exporter_", "figures_figure_"}

// FieldNames returns, for each object of a figures file ("file", "family",
// "source", "exclusion", "figure", "period", "derived", "share_of", "claim"), the names
// of its fields and of its required fields, in the order the README documents
// them. figures.schema.json must agree (a test checks it).
func FieldNames() map[string]FieldSet {
	tables := map[string]interface{ Names() ([]string, []string) }{
		"file": fileFields, "family": familyFields, "source": sourceFields, "exclusion": exclusionFields,
		"figure": figureFields, "period": periodFields, "derived": derivationFields, "share_of": shareOfFields,
		"claim": claimFields,
	}
	out := make(map[string]FieldSet, len(tables))
	for name, t := range tables {
		all, required := t.Names()
		out[name] = FieldSet{All: all, Required: required}
	}
	return out
}

// FieldSet names the fields of one object type.
type FieldSet struct{ All, Required []string }

var fileFields = fields[File]{
	{"families", false, func(c *problems, n *yaml.Node, f *File, _ string) {
		f.Families = decodeList[Family](c, n, "families", "family")
	}},
	{"sources", false, func(c *problems, n *yaml.Node, f *File, _ string) {
		f.Sources = decodeList[Source](c, n, "sources", "source")
	}},
	{"figures", false, func(c *problems, n *yaml.Node, f *File, _ string) {
		f.Figures = decodeList[Figure](c, n, "figures", "figure")
	}},
}

func (f *File) UnmarshalYAML(n *yaml.Node) error {
	var c problems
	if fileFields.decode(&c, n, "file", f) && len(resolve(n).Content) == 0 {
		c.errorf(n.Line, n.Column, "file defines no families, sources or figures")
	}
	return c.err()
}

// decodeList decodes each item of a list into a new *T, keeping its problems.
// yaml.v3 does not call UnmarshalYAML for a null node (a bare "-" in a list),
// which would pass for an object without any of its required fields checked;
// so null is refused here.
//
// Once the file has MaxDiagnostics problems, the rest of its objects are not
// decoded at all: a file of a million broken entries costs its parse, not a
// million objects and messages.
func decodeList[T any, PT interface {
	*T
	yaml.Unmarshaler
}](c *problems, n *yaml.Node, what, item string) []*T {
	var out []*T
	for _, v := range sequence(c, n, what) {
		if obj := PT(new(T)); decodeObject(c, v, item, obj) {
			out = append(out, (*T)(obj))
		}
	}
	return out
}

// unmarshal decodes n into obj through its table of fields and returns every
// problem of it as Diagnostics.
func unmarshal[T any](n *yaml.Node, t fields[T], what string, obj *T) error {
	var c problems
	t.decode(&c, n, what, obj)
	return c.err()
}

func decodeObject(c *problems, n *yaml.Node, what string, out yaml.Unmarshaler) bool {
	if len(c.diags) >= MaxDiagnostics {
		c.add(Diagnostic{Pos: posOf(n), Severity: Error}) // left out: only counted
		return false
	}
	if r := resolve(n); r.Kind == yaml.ScalarNode && r.Tag == "!!null" {
		c.errorf(r.Line, r.Column, "%s must be a mapping, got null", what)
		return false
	}
	c.absorb(n.Decode(out), n.Line, n.Column)
	return true
}

var familyFields = fields[Family]{
	{"name", true, func(c *problems, n *yaml.Node, fam *Family, what string) {
		if fam.Name = str(c, n, "family name"); fam.Name != "" {
			checkMetricName(c, n, fam.Name)
		}
	}},
	{"help", true, func(c *problems, n *yaml.Node, fam *Family, what string) { fam.Help = text(c, n, what+": help") }},
	{"unit", true, func(c *problems, n *yaml.Node, fam *Family, what string) {
		fam.Unit = Unit(str(c, n, what+": unit"))
		switch {
		case fam.Unit == "":
		case fam.Unit != UnitCount && fam.Unit != UnitRatio && fam.Unit != UnitChangeRatio && !fam.Unit.IsCurrency():
			c.errorf(n.Line, n.Column, "%s: unknown unit %q (want count, ratio, change_ratio or a lower-case ISO 4217 currency code such as usd, krw, eur)", what, fam.Unit)
		case fam.Name == "":
		case fam.Unit.suffix() != "" && !strings.HasSuffix(fam.Name, fam.Unit.suffix()):
			c.errorf(n.Line, n.Column, "%s: a family of unit %s must have a name ending in %q", what, fam.Unit, fam.Unit.suffix())
		case fam.Unit == UnitCount:
			if s := unitSuffix(fam.Name); s != "" {
				c.errorf(n.Line, n.Column, "%s: a family of unit count must not have a name ending in %q", what, s)
			}
		}
	}},
	{"labels", true, func(c *problems, n *yaml.Node, fam *Family, what string) {
		for _, item := range sequence(c, n, what+": labels") {
			name := str(c, item, what+": label name")
			switch {
			case name == "":
				continue
			case !model.LegacyValidation.IsValidLabelName(name) || strings.HasPrefix(name, "__"):
				c.errorf(item.Line, item.Column, "%s: invalid label name %q", what, name)
			case slices.Contains(reservedLabels, name):
				c.errorf(item.Line, item.Column, "%s: label name %q is reserved (the exporter or Prometheus sets it)", what, name)
			case slices.Contains(fam.Labels, name):
				c.errorf(item.Line, item.Column, "%s: label %q is listed twice", what, name)
			}
			fam.Labels = append(fam.Labels, name)
		}
	}},
	{"share_label", false, func(c *problems, n *yaml.Node, fam *Family, what string) {
		fam.ShareLabel = str(c, n, what+": share_label")
		if fam.Unit != "" && fam.Unit != UnitRatio {
			c.errorf(n.Line, n.Column, "%s: share_label is only for families of unit ratio", what)
		} else if fam.ShareLabel != "" && !slices.Contains(fam.Labels, fam.ShareLabel) {
			c.errorf(n.Line, n.Column, "%s: share_label %q is not one of the family's labels", what, fam.ShareLabel)
		}
	}},
}

func (fam *Family) UnmarshalYAML(n *yaml.Node) error {
	fam.Pos = posOf(n)
	return unmarshal(n, familyFields, describe(n, "family", "name"), fam)
}

var sourceFields = fields[Source]{
	{"id", true, func(c *problems, n *yaml.Node, s *Source, _ string) { s.ID = identifier(c, n, "source id") }},
	{"seed", true, func(c *problems, n *yaml.Node, s *Source, what string) {
		s.Seed = str(c, n, what+": seed")
		if strings.ContainsAny(s.Seed, `/\`) || strings.HasPrefix(s.Seed, ".") {
			c.errorf(n.Line, n.Column, "%s: seed must be a plain file name, got %q", what, s.Seed)
		}
	}},
	{"title", true, func(c *problems, n *yaml.Node, s *Source, what string) {
		s.Title = labelText(c, n, what+": title", maxTextLen)
	}},
	{"publisher", false, func(c *problems, n *yaml.Node, s *Source, what string) {
		s.Publisher = labelText(c, n, what+": publisher", maxLabelValueLen)
	}},
	{"author", false, func(c *problems, n *yaml.Node, s *Source, what string) {
		s.Author = labelText(c, n, what+": author", maxLabelValueLen)
	}},
	{"published", false, func(c *problems, n *yaml.Node, s *Source, what string) {
		if t, ok := date(c, n, what+": published"); ok {
			s.Published = &t
		}
	}},
	{"url", false, func(c *problems, n *yaml.Node, s *Source, what string) { s.URL = httpURL(c, n, what+": url") }},
	{"notes", false, func(c *problems, n *yaml.Node, s *Source, what string) { s.Notes = text(c, n, what+": notes") }},
	{"archive_url", false, func(c *problems, n *yaml.Node, s *Source, what string) {
		s.ArchiveURL = httpURL(c, n, what+": archive_url")
	}},
	{"accessed", false, func(c *problems, n *yaml.Node, s *Source, what string) {
		if t, ok := date(c, n, what+": accessed"); ok {
			s.Accessed = &t
		}
	}},
	{"language", false, func(c *problems, n *yaml.Node, s *Source, what string) {
		s.Language = languageTag(c, n, what+": language")
	}},
	{"original_title", false, func(c *problems, n *yaml.Node, s *Source, what string) {
		s.OriginalTitle = labelText(c, n, what+": original_title", maxTextLen)
	}},
	{"original_language", false, func(c *problems, n *yaml.Node, s *Source, what string) {
		s.OriginalLanguage = languageTag(c, n, what+": original_language")
	}},
	{"sha256", false, func(c *problems, n *yaml.Node, s *Source, what string) {
		if s.SHA256 = str(c, n, what+": sha256"); s.SHA256 != "" && !sha256RE.MatchString(s.SHA256) {
			c.errorf(n.Line, n.Column, "%s: sha256 must be 64 lower-case hex digits (sha256sum of the seed file)", what)
		}
	}},
	{"reliability", false, func(c *problems, n *yaml.Node, s *Source, what string) {
		s.graded = true
		if s.Reliability = str(c, n, what+": reliability"); s.Reliability != "" && Reliabilities[s.Reliability] == "" {
			c.errorf(n.Line, n.Column, "%s: reliability %q is not an Admiralty grade (A completely reliable, B usually reliable, C fairly reliable, D not usually reliable, E unreliable, F cannot be judged)", what, s.Reliability)
			s.Reliability = ""
		}
	}},
	{"chain", false, func(c *problems, n *yaml.Node, s *Source, what string) { s.Chain = chain(c, n, what+": chain") }},
	{"excluded", false, func(c *problems, n *yaml.Node, s *Source, what string) {
		for _, e := range decodeList[Exclusion](c, n, what+": excluded", what+": excluded item") {
			s.Excluded = append(s.Excluded, *e)
		}
	}},
}

func (s *Source) UnmarshalYAML(n *yaml.Node) error {
	s.Pos = posOf(n)
	return unmarshal(n, sourceFields, describe(n, "source", "id"), s)
}

var exclusionFields = fields[Exclusion]{
	{"text", true, func(c *problems, n *yaml.Node, e *Exclusion, what string) { e.Text = text(c, n, what+": text") }},
	{"reason", true, func(c *problems, n *yaml.Node, e *Exclusion, what string) { e.Reason = text(c, n, what+": reason") }},
}

func (e *Exclusion) UnmarshalYAML(n *yaml.Node) error {
	e.Pos = posOf(n)
	return unmarshal(n, exclusionFields, "excluded item", e)
}

var figureFields = fields[Figure]{
	{"id", true, func(c *problems, n *yaml.Node, f *Figure, _ string) { f.ID = identifier(c, n, "figure id") }},
	{"family", true, func(c *problems, n *yaml.Node, f *Figure, what string) {
		f.Family, f.at.family = intern(str(c, n, what+": family")), locOf(n)
	}},
	{"labels", true, func(c *problems, n *yaml.Node, f *Figure, what string) {
		f.Labels, f.at.labels = labels(c, n, what), locOf(n)
	}},
	{"value", true, func(c *problems, n *yaml.Node, f *Figure, what string) {
		f.Value, _ = number(c, n, what+": value")
		f.at.value = locOf(n)
	}},
	{"qualifier", true, func(c *problems, n *yaml.Node, f *Figure, what string) {
		f.Qualifier = Qualifier(intern(str(c, n, what+": qualifier")))
		if f.Qualifier != "" && !slices.Contains(Qualifiers, f.Qualifier) {
			c.errorf(n.Line, n.Column, "%s: unknown qualifier %q (want one of %s)", what, f.Qualifier, joinNames(Qualifiers))
		}
	}},
	{"period", true, func(c *problems, n *yaml.Node, f *Figure, what string) {
		decodeObject(c, n, what+": period", &f.Period)
		f.at.period = locOf(n)
	}},
	{"source", true, func(c *problems, n *yaml.Node, f *Figure, what string) {
		f.Source, f.at.source = intern(str(c, n, what+": source")), locOf(n)
	}},
	{"quote", true, func(c *problems, n *yaml.Node, f *Figure, what string) {
		f.Quote, f.at.quote = text(c, n, what+": quote"), locOf(n)
	}},
	{"curated", true, func(c *problems, n *yaml.Node, f *Figure, what string) {
		f.Curated, _ = date(c, n, what+": curated")
		f.at.curated = locOf(n)
	}},
	{"revised", false, func(c *problems, n *yaml.Node, f *Figure, what string) {
		f.at.revised = locOf(n)
		if t, ok := date(c, n, what+": revised"); ok {
			f.Revised = &t
			if !f.Curated.IsZero() && t.Before(f.Curated) {
				c.errorf(n.Line, n.Column, "%s: revised %s is before curated %s", what, t.Format(dateLayout), f.Curated.Format(dateLayout))
			}
		}
	}},
	{"notes", false, func(c *problems, n *yaml.Node, f *Figure, what string) { f.Notes = text(c, n, what+": notes") }},
	{"derived", false, func(c *problems, n *yaml.Node, f *Figure, what string) {
		f.Derived, f.at.derived = &Derivation{}, locOf(n)
		derivationFields.decode(c, n, what+": derived", f.Derived)
	}},
	{"part_of", false, func(c *problems, n *yaml.Node, f *Figure, what string) {
		f.PartOf, f.at.partOf = str(c, n, what+": part_of"), locOf(n)
	}},
	{"share_of", false, func(c *problems, n *yaml.Node, f *Figure, what string) {
		f.ShareOf, f.at.shareOf = &ShareOf{}, locOf(n)
		shareOfFields.decode(c, n, what+": share_of", f.ShareOf)
	}},
	{"contradiction", false, func(c *problems, n *yaml.Node, f *Figure, what string) {
		f.Contradiction, f.at.contradiction = text(c, n, what+": contradiction"), locOf(n)
	}},
	{"credibility", false, func(c *problems, n *yaml.Node, f *Figure, what string) {
		f.Credibility, f.at.credibility = credibility(c, n, what), locOf(n)
	}},
	{"claim", false, func(c *problems, n *yaml.Node, f *Figure, what string) {
		f.Claim, f.at.claim = &Claim{}, locOf(n)
		claimFields.decode(c, n, what+": claim", f.Claim)
	}},
}

var claimFields = fields[Claim]{
	{"id", false, func(c *problems, n *yaml.Node, cl *Claim, what string) { cl.ID = identifier(c, n, what+".id") }},
	{"chain", false, func(c *problems, n *yaml.Node, cl *Claim, what string) { cl.Chain = chain(c, n, what+".chain") }},
}

func (f *Figure) UnmarshalYAML(n *yaml.Node) error {
	f.Pos = posOf(n)
	return unmarshal(n, figureFields, describe(n, "figure", "id"), f)
}

var derivationFields = fields[Derivation]{
	{"from", true, func(c *problems, n *yaml.Node, d *Derivation, what string) { d.From = stringList(c, n, what+".from") }},
	{"method", true, func(c *problems, n *yaml.Node, d *Derivation, what string) { d.Method = text(c, n, what+".method") }},
}

var shareOfFields = fields[ShareOf]{
	{"part", true, func(c *problems, n *yaml.Node, s *ShareOf, what string) { s.Part = str(c, n, what+".part") }},
	{"whole", true, func(c *problems, n *yaml.Node, s *ShareOf, what string) { s.Whole = str(c, n, what+".whole") }},
}

var periodFields = fields[Period]{
	{"start", false, func(c *problems, n *yaml.Node, p *Period, _ string) {
		if t, ok := date(c, n, "period start"); ok {
			p.Start = &t
		}
	}},
	{"end", true, func(c *problems, n *yaml.Node, p *Period, _ string) {
		p.End, _ = date(c, n, "period end")
		if p.Start != nil && !p.End.IsZero() && p.End.Before(*p.Start) {
			c.errorf(n.Line, n.Column, "period ends (%s) before it starts (%s)", p.End.Format(dateLayout), p.Start.Format(dateLayout))
		}
	}},
	{"inferred", false, func(c *problems, n *yaml.Node, p *Period, _ string) { p.Inferred = text(c, n, "period inferred") }},
}

func (p *Period) UnmarshalYAML(n *yaml.Node) error {
	return unmarshal(n, periodFields, "period", p)
}

const credibilityGrades = "1 confirmed by other sources, 2 probably true, 3 possibly true, 4 doubtful, 5 improbable, 6 cannot be judged"

// credibility decodes an Admiralty credibility grade, 1-6, or 0 when it is
// not one. A word in its place (the TODO that extract proposes) is named as
// the grade it is not, rather than as a number it is not.
func credibility(c *problems, n *yaml.Node, what string) int {
	if r := resolve(n); r.Kind == yaml.ScalarNode && r.Tag == "!!str" && strings.TrimSpace(r.Value) != "" {
		c.errorf(r.Line, r.Column, "%s: credibility %q is not an Admiralty grade (%s)", what, r.Value, credibilityGrades)
		return 0
	}
	v, ok := number(c, n, what+": credibility")
	if g := int(v); ok && v == float64(g) && Credibilities[g] != "" {
		return g
	} else if ok {
		c.errorf(n.Line, n.Column, "%s: credibility %g is not an Admiralty grade (%s)", what, v, credibilityGrades)
	}
	return 0
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

// unitSuffix returns the unit suffix name ends in (_ratio, _total, a
// currency, ...), or "".
func unitSuffix(name string) string {
	i := strings.LastIndexByte(name, '_')
	if i < 0 {
		return ""
	}
	s := name[i:]
	if slices.Contains([]string{"_ratio", "_total", "_seconds", "_bytes", "_info"}, s) || isCurrencyCode(s[1:]) {
		return s
	}
	return ""
}

// isCurrencyCode reports whether s is the lower-case ISO 4217 code of a
// currency (golang.org/x/text/currency knows the list); XXX (no currency)
// and XTS (testing) are not amounts of money.
func isCurrencyCode(s string) bool {
	if len(s) != 3 || strings.ToLower(s) != s || s == "xxx" || s == "xts" {
		return false
	}
	_, err := currency.ParseISO(s)
	return err == nil
}

// isCountryCode reports whether s is an ISO 3166-1 alpha-2 code of a country
// (golang.org/x/text/language knows them): not a private-use code such as XX
// or a group such as EU, nor a deprecated one such as UK (GB), except XK
// (Kosovo), which is in common use.
func isCountryCode(s string) bool {
	if len(s) != 2 {
		return false
	}
	r, err := language.ParseRegion(s)
	return err == nil && r.Canonicalize().String() == s && r.IsCountry() && (!r.IsPrivateUse() || s == "XK")
}

func checkMetricName(c *problems, n *yaml.Node, name string) {
	switch {
	case !model.LegacyValidation.IsValidMetricName(name):
		c.errorf(n.Line, n.Column, "invalid metric name %q", name)
	case strings.Contains(name, ":"):
		c.errorf(n.Line, n.Column, "metric name %q contains a colon, which is reserved for recording rules", name)
	case slices.ContainsFunc(reservedPrefixes, func(p string) bool { return strings.HasPrefix(name, p) }):
		c.errorf(n.Line, n.Column, "metric name %q uses a prefix reserved for the exporter's own metrics (%s)", name, strings.Join(reservedPrefixes, ", "))
	}
}

// httpURL decodes an absolute http(s) URL.
func httpURL(c *problems, n *yaml.Node, field string) string {
	s := labelText(c, n, field, maxTextLen)
	if u, err := url.Parse(s); s != "" && (err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "") {
		c.errorf(n.Line, n.Column, "%s %q is not an absolute http(s) URL", field, s)
		return ""
	}
	return s
}

// languageTag decodes a BCP 47 language tag (en, ko, zh-Hant).
func languageTag(c *problems, n *yaml.Node, field string) string {
	s := str(c, n, field)
	if _, err := language.Parse(s); s != "" && err != nil {
		c.errorf(n.Line, n.Column, "%s %q is not a BCP 47 language tag (en, ko, ...)", field, s)
		return ""
	}
	return s
}

// chain decodes a claim chain: who stated a claim, in order, each one line
// of text as it ends up in a label.
func chain(c *problems, n *yaml.Node, field string) []string {
	var out []string
	for _, item := range sequence(c, n, field) {
		if s := labelText(c, item, field+" item", maxLabelValueLen); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// isCountryLabel reports whether a label holds ISO 3166-1 country codes.
func isCountryLabel(name string) bool {
	return name == "country" || strings.HasSuffix(name, "_country") || strings.HasSuffix(name, "_countries")
}

func joinNames[S ~string](names []S) string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = string(n)
	}
	return strings.Join(out, ", ")
}

// labels decodes a figure's label mapping, sorted by name.
func labels(c *problems, n *yaml.Node, what string) []Label {
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
		if value != "" && isCountryLabel(name) {
			for _, code := range strings.Split(value, "+") {
				if !isCountryCode(code) {
					c.errorf(v.Line, v.Column, "%s: label %s: %q is not an ISO 3166-1 alpha-2 country code (join several with +, as in CN+KP)", what, name, code)
					break
				}
			}
		}
		out = append(out, Label{Name: intern(name), Value: intern(value), at: locOf(v)})
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
func identifier(c *problems, n *yaml.Node, field string) string {
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
func text(c *problems, n *yaml.Node, field string) string {
	return checkedText(c, n, field, maxTextLen, true)
}

// labelText decodes a value that ends up in a Prometheus label: one line.
func labelText(c *problems, n *yaml.Node, field string, max int) string {
	return checkedText(c, n, field, max, false)
}

func checkedText(c *problems, n *yaml.Node, field string, max int, multiline bool) string {
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
		if k.Kind == yaml.ScalarNode && k.Value == key && v.Kind == yaml.ScalarNode && v.Tag == "!!str" && len(v.Value) <= maxIDLen && model.LegacyValidation.IsValidMetricName(strings.ReplaceAll(strings.ReplaceAll(v.Value, "-", "_"), ".", "_")) {
			return what + " " + v.Value
		}
	}
	return what
}
