package figures

import (
	"regexp"
	"slices"
	"strings"

	"github.com/prometheus/common/model"
	"go.yaml.in/yaml/v3"
)

// Every type of the model decodes itself through its table of fields and
// checks what it can without the rest of the dataset; checks that need
// other objects (references, duplicates, consistency) are in validate.go.

var sha256RE = regexp.MustCompile(`^[0-9a-f]{64}$`)

var fileFields = fields[File]{
	{"families", false, func(v value, f *File) { f.Families = decodeList(v.c, v.n, "families", "family", (*Family).decode) }},
	{"sources", false, func(v value, f *File) { f.Sources = decodeList(v.c, v.n, "sources", "source", (*Source).decode) }},
	{"figures", false, func(v value, f *File) { f.Figures = decodeList(v.c, v.n, "figures", "figure", (*Figure).decode) }},
}

// decodeFile decodes the root node of a file.
func decodeFile(c *problems, n *yaml.Node) *File {
	f := &File{}
	if fileFields.decode(c, n, "file", ": ", f) && len(resolve(n).Content) == 0 {
		c.errorf(n.Line, n.Column, "file defines no families, sources or figures")
	}
	return f
}

// decodeList decodes each item of a list into a new *T with decode. A null
// item (a bare "-") is refused: it would pass for an object with none of its
// required fields checked. Past MaxDiagnostics problems, items are only
// counted: a million broken entries cost their parse, not their messages.
func decodeList[T any](c *problems, n *yaml.Node, what, item string, decode func(*T, *problems, *yaml.Node)) []*T {
	var out []*T
	for _, v := range (value{c: c, n: n, field: what}).sequence() {
		if r := resolve(v); c.full() {
			c.add(Diagnostic{Pos: c.at(r.Line, r.Column), Severity: Error}) // left out: only counted
		} else if r.Kind == yaml.ScalarNode && r.Tag == "!!null" {
			c.errorf(r.Line, r.Column, "%s must be a mapping, got null", item)
		} else {
			obj := new(T)
			decode(obj, c, v)
			out = append(out, obj)
		}
	}
	return out
}

var familyFields = fields[Family]{
	{"name", true, func(v value, fam *Family) {
		if fam.Name = v.as("family name").str(); fam.Name != "" {
			checkMetricName(v, fam.Name)
		}
	}},
	{"help", true, func(v value, fam *Family) { fam.Help = v.text() }},
	{"unit", true, func(v value, fam *Family) {
		fam.Unit = Unit(v.str())
		switch {
		case fam.Unit == "":
		case fam.Unit != UnitCount && fam.Unit != UnitRatio && fam.Unit != UnitChangeRatio && !fam.Unit.IsCurrency():
			v.errorf("%s: unknown unit %q (want count, ratio, change_ratio or a lower-case ISO 4217 currency code such as usd, krw, eur)", v.what, fam.Unit)
		case fam.Name == "":
		case fam.Unit.suffix() != "" && !strings.HasSuffix(fam.Name, fam.Unit.suffix()):
			v.errorf("%s: a family of unit %s must have a name ending in %q", v.what, fam.Unit, fam.Unit.suffix())
		case fam.Unit == UnitCount:
			if s := unitSuffix(fam.Name); s != "" {
				v.errorf("%s: a family of unit count must not have a name ending in %q", v.what, s)
			}
		}
	}},
	{"labels", true, func(v value, fam *Family) {
		for _, n := range v.sequence() {
			item := value{v.c, n, v.what, ": ", "label name"}
			name := item.str()
			switch {
			case name == "":
				continue
			case !model.LegacyValidation.IsValidLabelName(name) || strings.HasPrefix(name, "__"):
				item.errorf("%s: invalid label name %q", v.what, name)
			case slices.Contains(reservedLabels, name):
				item.errorf("%s: label name %q is reserved (the exporter or Prometheus sets it)", v.what, name)
			case slices.Contains(fam.Labels, name):
				item.errorf("%s: label %q is listed twice", v.what, name)
			}
			fam.Labels = append(fam.Labels, name)
		}
	}},
	{"share_label", false, func(v value, fam *Family) {
		fam.ShareLabel = v.str()
		if fam.Unit != "" && fam.Unit != UnitRatio {
			v.errorf("%s: share_label is only for families of unit ratio", v.what)
		} else if fam.ShareLabel != "" && !slices.Contains(fam.Labels, fam.ShareLabel) {
			v.errorf("%s: share_label %q is not one of the family's labels", v.what, fam.ShareLabel)
		}
	}},
}

func (fam *Family) decode(c *problems, n *yaml.Node) {
	fam.Pos = c.pos(n)
	familyFields.decode(c, n, describe(n, "family", "name"), ": ", fam)
}

var sourceFields = fields[Source]{
	{"id", true, func(v value, s *Source) { s.ID = v.as("source id").identifier() }},
	{"seed", true, func(v value, s *Source) {
		if s.Seed = v.str(); strings.ContainsAny(s.Seed, `/\`) || strings.HasPrefix(s.Seed, ".") {
			v.errorf("%s: seed must be a plain file name, got %q", v.what, s.Seed)
		}
	}},
	{"title", true, func(v value, s *Source) { s.Title = v.line(maxTextLen) }},
	{"publisher", false, func(v value, s *Source) { s.Publisher = v.line(maxLabelValueLen) }},
	{"author", false, func(v value, s *Source) { s.Author = v.line(maxLabelValueLen) }},
	{"published", false, func(v value, s *Source) { s.Published = v.optionalDate() }},
	{"url", false, func(v value, s *Source) { s.URL = v.url() }},
	{"notes", false, func(v value, s *Source) { s.Notes = v.text() }},
	{"archive_url", false, func(v value, s *Source) { s.ArchiveURL = v.url() }},
	{"accessed", false, func(v value, s *Source) { s.Accessed = v.optionalDate() }},
	{"language", false, func(v value, s *Source) { s.Language = v.language() }},
	{"original_title", false, func(v value, s *Source) { s.OriginalTitle = v.line(maxTextLen) }},
	{"original_language", false, func(v value, s *Source) { s.OriginalLanguage = v.language() }},
	{"sha256", false, func(v value, s *Source) {
		if s.SHA256 = v.str(); s.SHA256 != "" && !sha256RE.MatchString(s.SHA256) {
			v.errorf("%s: sha256 must be 64 lower-case hex digits (sha256sum of the seed file)", v.what)
		}
	}},
	{"reliability", false, func(v value, s *Source) {
		s.graded = true
		if s.Reliability = v.str(); s.Reliability != "" && Reliabilities[s.Reliability] == "" {
			v.errorf("%s: reliability %q is not an Admiralty grade (A completely reliable, B usually reliable, C fairly reliable, D not usually reliable, E unreliable, F cannot be judged)", v.what, s.Reliability)
			s.Reliability = ""
		}
	}},
	{"chain", false, func(v value, s *Source) { s.Chain = v.chain() }},
	{"excluded", false, func(v value, s *Source) {
		for _, e := range decodeList(v.c, v.n, v.name(), v.name()+" item", (*Exclusion).decode) {
			s.Excluded = append(s.Excluded, *e)
		}
	}},
}

func (s *Source) decode(c *problems, n *yaml.Node) {
	s.Pos = c.pos(n)
	sourceFields.decode(c, n, describe(n, "source", "id"), ": ", s)
}

var exclusionFields = fields[Exclusion]{
	{"text", true, func(v value, e *Exclusion) { e.Text = v.text() }},
	{"reason", true, func(v value, e *Exclusion) { e.Reason = v.text() }},
}

func (e *Exclusion) decode(c *problems, n *yaml.Node) {
	e.Pos = c.pos(n)
	exclusionFields.decode(c, n, "excluded item", ": ", e)
}

var figureFields = fields[Figure]{
	{"id", true, func(v value, f *Figure) { f.ID = v.as("figure id").identifier() }},
	{"family", true, func(v value, f *Figure) { f.Family, f.at.family = intern(v.str()), v.loc() }},
	{"labels", true, func(v value, f *Figure) { f.Labels, f.at.labels = v.labels(), v.loc() }},
	{"value", true, func(v value, f *Figure) {
		f.Value, _ = v.number()
		f.at.value = v.loc()
	}},
	{"qualifier", true, func(v value, f *Figure) {
		f.Qualifier = Qualifier(intern(v.str()))
		if f.Qualifier != "" && !slices.Contains(Qualifiers, f.Qualifier) {
			v.errorf("%s: unknown qualifier %q (want one of %s)", v.what, f.Qualifier, joinNames(Qualifiers))
		}
	}},
	{"period", true, func(v value, f *Figure) {
		if r := resolve(v.n); r.Kind == yaml.ScalarNode && r.Tag == "!!null" {
			v.c.errorf(r.Line, r.Column, "%s: period must be a mapping, got null", v.what)
		} else {
			periodFields.decode(v.c, v.n, "period", " ", &f.Period)
		}
		f.at.period = v.loc()
	}},
	{"source", true, func(v value, f *Figure) { f.Source, f.at.source = intern(v.str()), v.loc() }},
	{"quote", true, func(v value, f *Figure) { f.Quote, f.at.quote = v.text(), v.loc() }},
	{"curated", true, func(v value, f *Figure) {
		f.Curated, _ = v.date()
		f.at.curated = v.loc()
	}},
	{"revised", false, func(v value, f *Figure) {
		f.at.revised = v.loc()
		if f.Revised = v.optionalDate(); f.Revised != nil && f.Revised.Before(f.Curated) {
			v.errorf("%s: revised %s is before curated %s", v.what, f.Revised.Format(dateLayout), f.Curated.Format(dateLayout))
		}
	}},
	{"notes", false, func(v value, f *Figure) { f.Notes = v.text() }},
	{"derived", false, func(v value, f *Figure) {
		f.Derived, f.at.derived = &Derivation{}, v.loc()
		derivationFields.decode(v.c, v.n, v.name(), ".", f.Derived)
	}},
	{"part_of", false, func(v value, f *Figure) { f.PartOf, f.at.partOf = v.str(), v.loc() }},
	{"share_of", false, func(v value, f *Figure) {
		f.ShareOf, f.at.shareOf = &ShareOf{}, v.loc()
		shareOfFields.decode(v.c, v.n, v.name(), ".", f.ShareOf)
	}},
	{"contradiction", false, func(v value, f *Figure) { f.Contradiction, f.at.contradiction = v.text(), v.loc() }},
	{"credibility", false, func(v value, f *Figure) { f.Credibility, f.at.credibility = v.credibility(), v.loc() }},
	{"claim", false, func(v value, f *Figure) {
		f.Claim, f.at.claim = &Claim{}, v.loc()
		claimFields.decode(v.c, v.n, v.name(), ".", f.Claim)
	}},
}

func (f *Figure) decode(c *problems, n *yaml.Node) {
	f.Pos = c.pos(n)
	figureFields.decode(c, n, describe(n, "figure", "id"), ": ", f)
}

var claimFields = fields[Claim]{
	{"id", false, func(v value, cl *Claim) { cl.ID = v.identifier() }},
	{"chain", false, func(v value, cl *Claim) { cl.Chain = v.chain() }},
}

var derivationFields = fields[Derivation]{
	{"from", true, func(v value, d *Derivation) { d.From = v.list(value.str) }},
	{"method", true, func(v value, d *Derivation) { d.Method = v.text() }},
}

var shareOfFields = fields[ShareOf]{
	{"part", true, func(v value, s *ShareOf) { s.Part = v.str() }},
	{"whole", true, func(v value, s *ShareOf) { s.Whole = v.str() }},
}

var periodFields = fields[Period]{
	{"start", false, func(v value, p *Period) { p.Start = v.optionalDate() }},
	{"end", true, func(v value, p *Period) {
		p.End, _ = v.date()
		if p.Start != nil && !p.End.IsZero() && p.End.Before(*p.Start) {
			v.errorf("period ends (%s) before it starts (%s)", p.End.Format(dateLayout), p.Start.Format(dateLayout))
		}
	}},
	{"inferred", false, func(v value, p *Period) { p.Inferred = v.text() }},
}

const credibilityGrades = "1 confirmed by other sources, 2 probably true, 3 possibly true, 4 doubtful, 5 improbable, 6 cannot be judged"

// credibility decodes an Admiralty credibility grade, 1-6, or 0 when it is
// not one. A word in its place (the TODO that extract proposes) is named as
// the grade it is not, rather than as a number it is not.
func (v value) credibility() int {
	if r := resolve(v.n); r.Kind == yaml.ScalarNode && r.Tag == "!!str" && strings.TrimSpace(r.Value) != "" {
		v.c.errorf(r.Line, r.Column, "%s: credibility %q is not an Admiralty grade (%s)", v.what, r.Value, credibilityGrades)
		return 0
	}
	f, ok := v.number()
	if g := int(f); ok && f == float64(g) && Credibilities[g] != "" {
		return g
	} else if ok {
		v.errorf("%s: credibility %g is not an Admiralty grade (%s)", v.what, f, credibilityGrades)
	}
	return 0
}
