package figures

import (
	"cmp"
	"slices"
	"strings"
	"time"

	"github.com/prometheus/common/model"
	"golang.org/x/text/currency"
	"golang.org/x/text/language"
)

// File is one figures file as a curator writes it. A dataset may be split
// over several files (one per report is the natural unit); Parse merges
// them before cross-checking.
type File struct {
	Families []*Family
	Sources  []*Source
	Figures  []*Figure
}

// Unit says what a family's values measure; it fixes the metric-name
// suffix and the range of valid values.
type Unit string

const (
	UnitCount Unit = "count" // things: attacks, victims, arrests, ...
	UnitRatio Unit = "ratio" // a share of a whole, in [0, 1]: 70 % is 0.7
	// UnitChangeRatio is new/old - 1, in [-1, +Inf): +15 % is 0.15,
	// "three-fold" is 2.
	UnitChangeRatio Unit = "change_ratio"
)

// IsCurrency reports whether u is an amount of money: a lower-case ISO 4217
// code.
func (u Unit) IsCurrency() bool { return isCurrencyCode(string(u)) }

// suffix is the ending the name of a family of unit u must have, if any.
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
	if i >= 0 && (slices.Contains([]string{"_ratio", "_total", "_seconds", "_bytes", "_info"}, name[i:]) || isCurrencyCode(name[i+1:])) {
		return name[i:]
	}
	return ""
}

// isCurrencyCode reports whether s is the lower-case ISO 4217 code of a
// currency; XXX (no currency) and XTS (testing) are not amounts of money.
func isCurrencyCode(s string) bool {
	if len(s) != 3 || strings.ToLower(s) != s || s == "xxx" || s == "xts" {
		return false
	}
	_, err := currency.ParseISO(s)
	return err == nil
}

// Family is one metric family: each of its figures becomes a series of the
// gauge Name, with the family's label names.
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

// reservedLabels are set on figure series by the exporter or by Prometheus.
var reservedLabels = []string{"figure_id", "period", "instance", "job", "le", "quantile"}

// reservedPrefixes are where the exporter's own metrics live.
var reservedPrefixes = []string{"figures_exporter_", "figures_figure_"}

func checkMetricName(v value, name string) {
	switch {
	case !model.LegacyValidation.IsValidMetricName(name):
		v.errorf("invalid metric name %q", name)
	case strings.Contains(name, ":"):
		v.errorf("metric name %q contains a colon, which is reserved for recording rules", name)
	case slices.ContainsFunc(reservedPrefixes, func(p string) bool { return strings.HasPrefix(name, p) }):
		v.errorf("metric name %q uses a prefix reserved for the exporter's own metrics (%s)", name, strings.Join(reservedPrefixes, ", "))
	}
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

	// Where and when the text was read and archived, its language and, for
	// a translation, the original's headline and language. SHA256 is of the
	// seed file, so that check --seeds.dir notices an article that changed.
	ArchiveURL       string
	Accessed         *time.Time
	Language         string // BCP 47 tag of the text we have
	OriginalTitle    string
	OriginalLanguage string
	SHA256           string

	Reliability string // Admiralty grade, A-F; "" when ungraded
	graded      bool   // reliability is written, valid or not
	// Chain is who stated the source's figures before it, from the original
	// claimant to the last intermediary; empty when the outlet itself is
	// the claimant. A figure's claim may override it.
	Chain []string

	// Excluded is what the curator read and left out on purpose, with the
	// reason, so that a coverage check tells a skipped number from a
	// missed one.
	Excluded []Exclusion

	Pos Position
}

// Exclusion is a passage of a source stating a number not recorded.
type Exclusion struct {
	Text   string // words of the article that state the number
	Reason string
	Pos    Position
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

// Qualifiers are the valid qualifiers, in the order docs/figures-file.md
// lists them.
var Qualifiers = []Qualifier{QualifierNone, QualifierAbout, QualifierAtLeast, QualifierMoreThan, QualifierAtMost, QualifierLessThan}

// Period is the time a figure covers, inclusive dates. Start is nil for a
// cumulative figure known only "as of" End.
type Period struct {
	Start *time.Time
	End   time.Time
	// Inferred says why the period is the curator's inference (an undated
	// article, "this year"); "" when the article states it.
	Inferred string
}

// Claim says who originally stated a figure and who passed it on. Figures
// of different sources that report one claim share its ID.
type Claim struct {
	ID    string
	Chain []string // overrides the source's chain when set
}

// Label is one label value with where it was written.
type Label struct {
	Name  string
	Value string
	at    loc
}

// isCountryLabel reports whether a label holds ISO 3166-1 country codes.
func isCountryLabel(name string) bool {
	return name == "country" || strings.HasSuffix(name, "_country") || strings.HasSuffix(name, "_countries")
}

// isCountryCode reports whether s is the ISO 3166-1 alpha-2 code of a
// country: not private use (XX), a group (EU) or deprecated (UK), but XK
// (Kosovo), which is in common use.
func isCountryCode(s string) bool {
	if len(s) != 2 {
		return false
	}
	r, err := language.ParseRegion(s)
	return err == nil && r.Canonicalize().String() == s && r.IsCountry() && (!r.IsPrivateUse() || s == "XK")
}

// Derivation marks a value the article implies but does not state.
type Derivation struct {
	From   []string // figure ids it was computed from
	Method string
}

// ShareOf ties a ratio figure to the part and whole figures it is the share of.
type ShareOf struct {
	Part, Whole string
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
	Credibility   int // Admiralty grade, 1-6; 0 when ungraded
	Claim         *Claim

	Pos Position
	at  figureLocs // where the fields messages point at were written
}

// loc is a line and column within the file of the object that holds it.
type loc struct{ line, col int32 }

// figureLocs are the positions of a figure's fields; a zero loc means the
// field is absent, and messages about it point at the figure.
type figureLocs struct {
	family, labels, value, period, source, quote, curated, revised loc
	derived, partOf, shareOf, contradiction, credibility, claim    loc
}

func (fam *Family) position() Position { return fam.Pos }
func (s *Source) position() Position   { return s.Pos }
func (f *Figure) position() Position   { return f.Pos }

// pos turns a loc of the figure into a Position in its file.
func (f *Figure) pos(l loc) Position {
	if l.line == 0 {
		return f.Pos
	}
	return Position{File: f.Pos.File, Line: int(l.line), Column: int(l.col)}
}

// QuotePos is where the figure's quote was written.
func (f *Figure) QuotePos() Position { return f.pos(f.at.quote) }

// LastRevised is when the figure was last curated or revised.
func (f *Figure) LastRevised() time.Time {
	if f.Revised != nil {
		return *f.Revised
	}
	return f.Curated
}

// Reliabilities and Credibilities are the Admiralty (NATO) grades: how
// reliable a source is, and how credible a piece of information.
var (
	Reliabilities = map[string]string{
		"A": "completely reliable", "B": "usually reliable", "C": "fairly reliable",
		"D": "not usually reliable", "E": "unreliable", "F": "reliability cannot be judged",
	}
	Credibilities = map[int]string{
		1: "confirmed by other sources", 2: "probably true", 3: "possibly true",
		4: "doubtful", 5: "improbable", 6: "truth cannot be judged",
	}
)

// ClaimChain returns who stated the figure, from the original claimant to
// the outlet (the source's publisher, or its title when it names none).
func (f *Figure) ClaimChain(src *Source) []string {
	chain := src.Chain
	if f.Claim != nil && len(f.Claim.Chain) > 0 {
		chain = f.Claim.Chain
	}
	outlet := cmp.Or(src.Publisher, src.Title)
	if len(chain) > 0 && chain[len(chain)-1] == outlet {
		return chain
	}
	return append(slices.Clip(chain), outlet)
}

// ClaimID identifies the claim the figure reports: its claim's id, or the
// figure's own.
func (f *Figure) ClaimID() string {
	if f.Claim != nil && f.Claim.ID != "" {
		return f.Claim.ID
	}
	return f.ID
}

// LabelValue returns the value of label name, or "".
func (f *Figure) LabelValue(name string) string {
	if i := slices.IndexFunc(f.Labels, func(l Label) bool { return l.Name == name }); i >= 0 {
		return f.Labels[i].Value
	}
	return ""
}
