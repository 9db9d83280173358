package figures

import (
	"regexp"
	"slices"
	"strings"

	"github.com/prometheus/common/model"
	"go.yaml.in/yaml/v3"
)

// Every type of the model decodes itself from its yaml.Node through its table
// of fields and checks what can be checked without the rest of the dataset;
// checks that need other objects (references, duplicates, consistency) live
// in validate.go. Every problem goes to the file's problems, so that one pass
// yields all of them.

var sha256RE = regexp.MustCompile(`^[0-9a-f]{64}$`)

var fileFields = fields[File]{
	{"families", false, func(c *problems, n *yaml.Node, f *File, _ string) {
		f.Families = decodeList(c, n, "families", "family", (*Family).decode)
	}},
	{"sources", false, func(c *problems, n *yaml.Node, f *File, _ string) {
		f.Sources = decodeList(c, n, "sources", "source", (*Source).decode)
	}},
	{"figures", false, func(c *problems, n *yaml.Node, f *File, _ string) {
		f.Figures = decodeList(c, n, "figures", "figure", (*Figure).decode)
	}},
}

// decodeFile decodes the root node of a file.
func decodeFile(c *problems, n *yaml.Node) *File {
	f := &File{}
	if fileFields.decode(c, n, "file", f) && len(resolve(n).Content) == 0 {
		c.errorf(n.Line, n.Column, "file defines no families, sources or figures")
	}
	return f
}

// decodeList decodes each item of a list into a new *T with decode. A null
// item (a bare "-") is refused here, as it would otherwise pass for an
// object without any of its required fields checked.
//
// Once the file has MaxDiagnostics problems, the rest of its objects are not
// decoded at all: a file of a million broken entries costs its parse, not a
// million objects and messages.
func decodeList[T any](c *problems, n *yaml.Node, what, item string, decode func(*T, *problems, *yaml.Node)) []*T {
	var out []*T
	for _, v := range sequence(c, n, what) {
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

func (fam *Family) decode(c *problems, n *yaml.Node) {
	fam.Pos = c.pos(n)
	familyFields.decode(c, n, describe(n, "family", "name"), fam)
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
		s.Published = optionalDate(c, n, what+": published")
	}},
	{"url", false, func(c *problems, n *yaml.Node, s *Source, what string) { s.URL = httpURL(c, n, what+": url") }},
	{"notes", false, func(c *problems, n *yaml.Node, s *Source, what string) { s.Notes = text(c, n, what+": notes") }},
	{"archive_url", false, func(c *problems, n *yaml.Node, s *Source, what string) {
		s.ArchiveURL = httpURL(c, n, what+": archive_url")
	}},
	{"accessed", false, func(c *problems, n *yaml.Node, s *Source, what string) {
		s.Accessed = optionalDate(c, n, what+": accessed")
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
		for _, e := range decodeList(c, n, what+": excluded", what+": excluded item", (*Exclusion).decode) {
			s.Excluded = append(s.Excluded, *e)
		}
	}},
}

func (s *Source) decode(c *problems, n *yaml.Node) {
	s.Pos = c.pos(n)
	sourceFields.decode(c, n, describe(n, "source", "id"), s)
}

var exclusionFields = fields[Exclusion]{
	{"text", true, func(c *problems, n *yaml.Node, e *Exclusion, what string) { e.Text = text(c, n, what+": text") }},
	{"reason", true, func(c *problems, n *yaml.Node, e *Exclusion, what string) { e.Reason = text(c, n, what+": reason") }},
}

func (e *Exclusion) decode(c *problems, n *yaml.Node) {
	e.Pos = c.pos(n)
	exclusionFields.decode(c, n, "excluded item", e)
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
		if r := resolve(n); r.Kind == yaml.ScalarNode && r.Tag == "!!null" {
			c.errorf(r.Line, r.Column, "%s: period must be a mapping, got null", what)
		} else {
			periodFields.decode(c, n, "period", &f.Period)
		}
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
		if f.Revised = optionalDate(c, n, what+": revised"); f.Revised != nil && f.Revised.Before(f.Curated) {
			c.errorf(n.Line, n.Column, "%s: revised %s is before curated %s", what, f.Revised.Format(dateLayout), f.Curated.Format(dateLayout))
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

func (f *Figure) decode(c *problems, n *yaml.Node) {
	f.Pos = c.pos(n)
	figureFields.decode(c, n, describe(n, "figure", "id"), f)
}

var claimFields = fields[Claim]{
	{"id", false, func(c *problems, n *yaml.Node, cl *Claim, what string) { cl.ID = identifier(c, n, what+".id") }},
	{"chain", false, func(c *problems, n *yaml.Node, cl *Claim, what string) { cl.Chain = chain(c, n, what+".chain") }},
}

var derivationFields = fields[Derivation]{
	{"from", true, func(c *problems, n *yaml.Node, d *Derivation, what string) {
		d.From = list(c, n, what+".from", str)
	}},
	{"method", true, func(c *problems, n *yaml.Node, d *Derivation, what string) { d.Method = text(c, n, what+".method") }},
}

var shareOfFields = fields[ShareOf]{
	{"part", true, func(c *problems, n *yaml.Node, s *ShareOf, what string) { s.Part = str(c, n, what+".part") }},
	{"whole", true, func(c *problems, n *yaml.Node, s *ShareOf, what string) { s.Whole = str(c, n, what+".whole") }},
}

var periodFields = fields[Period]{
	{"start", false, func(c *problems, n *yaml.Node, p *Period, _ string) { p.Start = optionalDate(c, n, "period start") }},
	{"end", true, func(c *problems, n *yaml.Node, p *Period, _ string) {
		p.End, _ = date(c, n, "period end")
		if p.Start != nil && !p.End.IsZero() && p.End.Before(*p.Start) {
			c.errorf(n.Line, n.Column, "period ends (%s) before it starts (%s)", p.End.Format(dateLayout), p.Start.Format(dateLayout))
		}
	}},
	{"inferred", false, func(c *problems, n *yaml.Node, p *Period, _ string) { p.Inferred = text(c, n, "period inferred") }},
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
