package figures

import "time"

// File is one figures file as written by a curator: the metric families, the
// sources and the figures. A dataset may be split over several files; the
// loader merges them before cross-checking (see Load).
type File struct {
	Families []*Family
	Sources  []*Source
	Figures  []*Figure
}

// Unit says what a family's values measure. It fixes the metric-name suffix
// and the range of valid values.
type Unit string

const (
	// UnitCount is a number of things (attacks, victims, tasks, arrests, ...).
	UnitCount Unit = "count"
	// UnitRatio is a share of a whole, in [0, 1] (70 % is 0.7).
	UnitRatio Unit = "ratio"
	// UnitChangeRatio is a relative change, new/old - 1, in [-1, +Inf)
	// (an increase of 15 % is 0.15, "three-fold" is 2).
	UnitChangeRatio Unit = "change_ratio"
)

// currencyUnits are the ISO 4217 codes accepted as units of money; the metric
// name ends with the lower-case code (_usd, _krw, ...).
var currencyUnits = map[Unit]bool{
	"usd": true, "krw": true, "eur": true, "jpy": true, "cny": true, "gbp": true,
}

// IsCurrency reports whether u is an amount of money.
func (u Unit) IsCurrency() bool { return currencyUnits[u] }

// Family is one metric family: every figure of a family becomes a series of
// one gauge named Name, with the family's label names.
type Family struct {
	Name   string
	Help   string
	Unit   Unit
	Labels []string
	// ShareLabel, for ratio families, names the label that splits one whole
	// into parts: figures differing only in it must not sum above 1. A value
	// joining codes with "+" (CN+KP) is the union of those parts.
	ShareLabel string

	Pos Position
}

// Source is a report figures are quoted from.
type Source struct {
	ID        string
	Seed      string // file name of the article's text under the seeds directory
	Title     string
	Publisher string
	Author    string
	Published *time.Time // nil when the article carries no date
	URL       string
	Notes     string

	Pos Position
}

// Qualifier is how the source hedged a figure.
type Qualifier string

const (
	QualifierNone     Qualifier = "none"
	QualifierAbout    Qualifier = "about"
	QualifierAtLeast  Qualifier = "at_least"
	QualifierMoreThan Qualifier = "more_than"
	QualifierAtMost   Qualifier = "at_most"
	QualifierLessThan Qualifier = "less_than"
)

var qualifiers = []Qualifier{QualifierNone, QualifierAbout, QualifierAtLeast, QualifierMoreThan, QualifierAtMost, QualifierLessThan}

// Period is the time a figure covers, inclusive dates. Start is nil for a
// cumulative figure known only "as of" End.
type Period struct {
	Start *time.Time
	End   time.Time
}

// Label is one label value with where it was written.
type Label struct {
	Name  string
	Value string
	// at is where the value was written in the figure's file (see
	// Figure.LabelPos): a line and column, not a Position, as a dataset of
	// 100k figures holds some 350k labels.
	at lineCol
}

// Derivation marks a value the article implies but does not state.
type Derivation struct {
	From   []string // figure ids it was computed from
	Method string
	Pos    Position
}

// ShareOf ties a ratio figure to the part and whole figures it is the share of.
type ShareOf struct {
	Part, Whole string
	Pos         Position
}

// Figure is one quantitative statement of a source.
type Figure struct {
	ID        string
	Family    string
	Labels    []Label // sorted by name
	Value     float64
	Qualifier Qualifier
	Period    Period
	Source    string
	Quote     string
	Curated   time.Time
	Revised   *time.Time
	Notes     string

	Derived *Derivation
	PartOf  string
	ShareOf *ShareOf
	// Contradiction acknowledges that the source contradicts itself around
	// this figure: consistency findings on it become warnings, not errors.
	Contradiction string

	Pos Position
	// fieldPos keeps where each field was written, for pointed messages: the
	// line and column of field Fields["figure"][i] at index i (0 when
	// absent). A fixed array, not a map: a dataset of 100k figures keeps
	// 100k of them.
	fieldPos [len(figureFields)]lineCol
}

// LastRevised is when the figure was last curated or revised.
func (f *Figure) LastRevised() time.Time {
	if f.Revised != nil {
		return *f.Revised
	}
	return f.Curated
}

// lineCol is a position within the figure's file.
type lineCol struct{ line, col int32 }

// FieldPos returns where field was written, or the figure's own position.
func (f *Figure) FieldPos(field string) Position {
	for i, name := range figureFields {
		if name == field && f.fieldPos[i].line != 0 {
			return Position{File: f.Pos.File, Line: int(f.fieldPos[i].line), Column: int(f.fieldPos[i].col)}
		}
	}
	return f.Pos
}

// LabelPos returns where the value of label l of f was written.
func (f *Figure) LabelPos(l Label) Position {
	return Position{File: f.Pos.File, Line: int(l.at.line), Column: int(l.at.col)}
}

// LabelValue returns the value of label name, or "".
func (f *Figure) LabelValue(name string) string {
	for _, l := range f.Labels {
		if l.Name == name {
			return l.Value
		}
	}
	return ""
}

// hasLabel reports whether the figure sets label name.
func (f *Figure) hasLabel(name string) bool {
	for _, l := range f.Labels {
		if l.Name == name {
			return true
		}
	}
	return false
}
