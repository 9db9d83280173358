package figures

import (
	"fmt"
	"maps"
	"math"
	"slices"
	"strings"
	"time"
)

// ShareTolerance is how far a stated share may be from part/whole (in
// absolute terms: 0.01 is one percentage point) before the two disagree.
// Reports round shares; one point absorbs that without hiding typos.
const ShareTolerance = 0.01

// epsilon absorbs float rounding in sums of shares and parts.
const epsilon = 1e-9

// validator runs the checks that need the whole dataset: references,
// duplicates, value ranges, dates, consistency between related figures.
type validator struct {
	now      time.Time
	families map[string]*Family
	sources  map[string]*Source
	figures  map[string]*Figure
	figs     []*Figure // in the files' order
	diags    problems  // capped at MaxDiagnostics
	// inconsistent holds the figures a consistency check flagged, so that an
	// acknowledged contradiction nothing backs is reported too.
	inconsistent map[string]bool
}

func (v *validator) errorf(pos Position, format string, args ...any) {
	v.diags.add(NewDiagnostic(pos, Error, format, args...))
}

func (v *validator) warnf(pos Position, format string, args ...any) {
	v.diags.add(NewDiagnostic(pos, Warning, format, args...))
}

// future reports a date after now: what's field ("source src: published").
func (v *validator) future(pos Position, what, field string, t *time.Time) {
	if t != nil && !t.IsZero() && t.After(v.now) {
		v.errorf(pos, "%s: %s %s is in the future", what, field, t.Format(dateLayout))
	}
}

// ungraded reports a missing Admiralty grade: a warning that check
// --strict refuses (Diagnostic.Strict).
func (v *validator) ungraded(pos Position, format string, args ...any) {
	d := NewDiagnostic(pos, Warning, format+"; check --strict refuses it ungraded", args...)
	d.Strict = true
	v.diags.add(d)
}

// inconsistency reports a disagreement between related figures: an error,
// or a warning when one of them acknowledges that its source contradicts
// itself (the data is kept as reported).
func (v *validator) inconsistency(pos Position, involved []*Figure, format string, args ...any) {
	// Formatted here: passed to errorf as one argument, it would be clipped.
	d := NewDiagnostic(pos, Error, format, args...)
	for _, f := range involved {
		v.inconsistent[f.ID] = true
	}
	if i := slices.IndexFunc(involved, func(f *Figure) bool { return f.Contradiction != "" }); i >= 0 {
		d.Severity = Warning
		d.Message += message(" (acknowledged on figure %s as a contradiction in the source)", involved[i].ID)
	}
	v.diags.add(d)
}

// validate checks a merged dataset; the validator it returns holds every
// finding and the objects by name, from which a valid dataset is built.
func validate(files []*File, now time.Time) *validator {
	v := &validator{
		now:          now,
		families:     map[string]*Family{},
		sources:      map[string]*Source{},
		figures:      map[string]*Figure{},
		inconsistent: map[string]bool{},
	}
	for _, f := range files {
		for _, fam := range f.Families {
			define(v, v.families, fam, "family", fam.Name)
		}
		for _, src := range f.Sources {
			if define(v, v.sources, src, "source", src.ID) {
				v.future(src.Pos, "source "+src.ID, "published", src.Published)
				v.future(src.Pos, "source "+src.ID, "accessed", src.Accessed)
			}
		}
		for _, fig := range f.Figures {
			if define(v, v.figures, fig, "figure", fig.ID) {
				v.figs = append(v.figs, fig)
			}
		}
	}
	series := make(map[string]*Figure, len(v.figs))
	usedFamilies, usedSources := map[string]bool{}, map[string]bool{}
	for _, fig := range v.figs {
		usedFamilies[fig.Family] = true
		usedSources[fig.Source] = true
		v.checkFigure(fig)
		if _, ok := v.families[fig.Family]; ok {
			key := seriesKey(fig, "")
			if prev, dup := series[key]; dup {
				v.errorf(fig.Pos, "figures %s and %s would produce the same series (same family, labels and period; only the figure id differs), defined at %s", prev.ID, fig.ID, prev.Pos)
			} else {
				series[key] = fig
			}
		}
	}
	v.checkParts()
	v.checkShares()
	v.checkShareLabels()
	for _, fig := range v.figs {
		// A value derived from contradicted figures (an alternative reading
		// of what the source meant) carries the contradiction too.
		derivedFromInconsistent := fig.Derived != nil && slices.ContainsFunc(fig.Derived.From, func(id string) bool { return v.inconsistent[id] })
		if fig.Contradiction != "" && !v.inconsistent[fig.ID] && !derivedFromInconsistent {
			v.warnf(fig.pos(fig.at.contradiction), "figure %s acknowledges a contradiction, but no consistency check finds one", fig.ID)
		}
	}
	for _, name := range sortedKeys(v.families) {
		if !usedFamilies[name] {
			v.warnf(v.families[name].Pos, "family %s has no figures", name)
		}
	}
	for _, id := range sortedKeys(v.sources) {
		// A source with excluded entries and no figure was read and
		// found to state nothing this dataset records.
		if !usedSources[id] && len(v.sources[id].Excluded) == 0 {
			v.warnf(v.sources[id].Pos, "source %s is not cited by any figure", id)
		}
	}
	// Missing grades come last, so that under MaxDiagnostics they never
	// crowd out an error. Only a cited source grades a figure.
	for _, id := range sortedKeys(v.sources) {
		if src := v.sources[id]; usedSources[id] && !src.graded {
			v.ungraded(src.Pos, "source %s has no reliability: grade how reliable it is, A (completely reliable) to F (reliability cannot be judged)", id)
		}
	}
	for _, fig := range v.figs {
		if fig.Credibility == 0 && fig.at.credibility.line == 0 {
			v.ungraded(fig.Pos, "figure %s has no credibility: grade how credible its value is, 1 (confirmed by other sources) to 6 (truth cannot be judged)", fig.ID)
		}
	}
	return v
}

// define adds obj to byName, unless it has no name (its decoding said why)
// or its name is taken.
func define[T interface{ position() Position }](v *validator, byName map[string]T, obj T, what, name string) bool {
	if prev, dup := byName[name]; dup {
		v.errorf(obj.position(), "%s %s is already defined at %s", what, name, prev.position())
		return false
	}
	if name != "" {
		byName[name] = obj
	}
	return name != ""
}

func (v *validator) checkFigure(fig *Figure) {
	what := "figure " + fig.ID
	fam, famOK := v.families[fig.Family]
	if fig.Family != "" && !famOK {
		v.errorf(fig.pos(fig.at.family), "%s: family %q is not defined", what, fig.Family)
	}
	src, srcOK := v.sources[fig.Source]
	if fig.Source != "" && !srcOK {
		v.errorf(fig.pos(fig.at.source), "%s: source %q is not defined", what, fig.Source)
	}
	if famOK {
		v.checkLabels(fig, fam)
		v.checkRange(fig, fam)
	}
	v.future(fig.pos(fig.at.curated), what, "curated date", &fig.Curated)
	v.future(fig.pos(fig.at.revised), what, "revised date", fig.Revised)
	v.future(fig.pos(fig.at.period), what, "period date", &fig.Period.End)
	if srcOK && src.Published != nil && !fig.Period.End.IsZero() && fig.Period.End.After(*src.Published) {
		v.warnf(fig.pos(fig.at.period), "%s: period ends %s, after its source was published (%s)", what, fig.Period.End.Format(dateLayout), src.Published.Format(dateLayout))
	}
	if fig.Derived != nil {
		for _, id := range fig.Derived.From {
			v.figure(fig, fig.at.derived, "derived from", id)
		}
	}
}

// figure returns the figure called id, which fig's field at refers to (how:
// "part_of names"); an id that names no figure is reported there.
func (v *validator) figure(fig *Figure, at loc, how, id string) (*Figure, bool) {
	f, ok := v.figures[id]
	if !ok && id != "" {
		v.errorf(fig.pos(at), "figure %s: %s figure %q, which is not defined", fig.ID, how, id)
	}
	return f, ok
}

func (v *validator) checkLabels(fig *Figure, fam *Family) {
	for _, l := range fig.Labels {
		if !slices.Contains(fam.Labels, l.Name) {
			v.errorf(fig.pos(l.at), "figure %s: label %q is not a label of family %s (its labels: %s)", fig.ID, l.Name, fam.Name, strings.Join(fam.Labels, ", "))
		}
	}
	for _, name := range fam.Labels {
		if !slices.ContainsFunc(fig.Labels, func(l Label) bool { return l.Name == name }) {
			v.errorf(fig.pos(fig.at.labels), "figure %s: missing label %q of family %s", fig.ID, name, fam.Name)
		}
	}
}

func (v *validator) checkRange(fig *Figure, fam *Family) {
	pos, val := fig.pos(fig.at.value), fig.Value
	switch {
	case fam.Unit == UnitRatio && (val < 0 || val > 1):
		v.errorf(pos, "figure %s: %g is outside [0, 1]; family %s is a ratio (70 %% is 0.7)", fig.ID, val, fam.Name)
	case fam.Unit == UnitChangeRatio && val < -1:
		v.errorf(pos, "figure %s: %g is below -1; a change ratio cannot fall by more than 100 %%", fig.ID, val)
	case (fam.Unit == UnitCount || fam.Unit.IsCurrency()) && val < 0:
		v.errorf(pos, "figure %s: %g is negative; family %s counts %s", fig.ID, val, fam.Name, map[bool]string{true: "an amount of money", false: "things"}[fam.Unit.IsCurrency()])
	}
}

// seriesKey identifies the series a figure produces, leaving out its id and
// the label named except (if any): figures with equal keys for except=""
// would be one series; with except=share_label, they are parts of one whole.
func seriesKey(fig *Figure, except string) string {
	var b strings.Builder
	b.WriteString(fig.Family)
	for _, l := range fig.Labels {
		if l.Name != except {
			fmt.Fprintf(&b, "\xff%s=%s", l.Name, l.Value)
		}
	}
	b.WriteString("\xff" + PeriodLabel(fig.Period))
	return b.String()
}

func (v *validator) unitOf(fig *Figure) Unit {
	if fam, ok := v.families[fig.Family]; ok {
		return fam.Unit
	}
	return ""
}

// checkParts: the parts of one whole (figures naming it in part_of) must not
// add up to more than the whole.
func (v *validator) checkParts() {
	parts := map[string][]*Figure{}
	for _, fig := range v.figs {
		if fig.PartOf == "" {
			continue
		}
		whole, ok := v.figure(fig, fig.at.partOf, "part_of names", fig.PartOf)
		switch {
		case !ok: // reported by v.figure
		case whole == fig:
			v.errorf(fig.pos(fig.at.partOf), "figure %s: a figure cannot be part of itself", fig.ID)
		case v.unitOf(fig) != v.unitOf(whole):
			v.errorf(fig.pos(fig.at.partOf), "figure %s (%s) cannot be part of figure %s (%s): units differ", fig.ID, v.unitOf(fig), whole.ID, v.unitOf(whole))
		default:
			parts[whole.ID] = append(parts[whole.ID], fig)
		}
	}
	for _, wholeID := range sortedKeys(parts) {
		whole, ps := v.figures[wholeID], parts[wholeID]
		sum := 0.0
		for _, p := range ps {
			sum += p.Value
		}
		if sum <= whole.Value*(1+epsilon)+epsilon {
			continue
		}
		involved := append([]*Figure{whole}, ps...)
		if len(ps) == 1 {
			v.inconsistency(ps[0].pos(ps[0].at.value), involved, "figure %s: part %g is larger than its whole, figure %s (%g)", ps[0].ID, ps[0].Value, whole.ID, whole.Value)
		} else {
			v.inconsistency(whole.pos(whole.at.value), involved, "figure %s: its parts (%s) sum to %.6g, more than the whole (%g)", whole.ID, ids(ps), sum, whole.Value)
		}
	}
}

// checkShares: a ratio stated with share_of must match part/whole.
func (v *validator) checkShares() {
	for _, fig := range v.figs {
		so := fig.ShareOf
		if so == nil {
			continue
		}
		if u := v.unitOf(fig); u != "" && u != UnitRatio {
			v.errorf(fig.pos(fig.at.shareOf), "figure %s: share_of is only for figures of a ratio family, not %s", fig.ID, u)
			continue
		}
		part, okP := v.figure(fig, fig.at.shareOf, "share_of.part names", so.Part)
		whole, okW := v.figure(fig, fig.at.shareOf, "share_of.whole names", so.Whole)
		switch {
		case !okP || !okW:
		case v.unitOf(part) != v.unitOf(whole):
			v.errorf(fig.pos(fig.at.shareOf), "figure %s: part %s (%s) and whole %s (%s) are in different units", fig.ID, part.ID, v.unitOf(part), whole.ID, v.unitOf(whole))
		case whole.Value == 0:
			v.errorf(fig.pos(fig.at.shareOf), "figure %s: the whole, figure %s, is 0", fig.ID, whole.ID)
		case math.Abs(part.Value/whole.Value-fig.Value) > ShareTolerance:
			v.inconsistency(fig.pos(fig.at.value), []*Figure{fig, part, whole}, "figure %s: stated share %g disagrees with %s / %s = %g / %g = %.4g (tolerance %g)", fig.ID, fig.Value, part.ID, whole.ID, part.Value, whole.Value, part.Value/whole.Value, ShareTolerance)
		}
	}
}

// checkShareLabels: in a family with a share_label, figures that differ only
// in that label are parts of one whole. The single parts must not sum above
// 1, and a joined value (CN+KP) must be at least the sum of its single parts.
func (v *validator) checkShareLabels() {
	groups := map[string][]*Figure{}
	for _, fig := range v.figs {
		fam, ok := v.families[fig.Family]
		if !ok || fam.ShareLabel == "" || fig.LabelValue(fam.ShareLabel) == "" {
			continue
		}
		key := seriesKey(fig, fam.ShareLabel)
		groups[key] = append(groups[key], fig)
	}
	for _, key := range sortedKeys(groups) {
		group := groups[key]
		label := v.families[group[0].Family].ShareLabel
		single := map[string]*Figure{}
		var singles, joined []*Figure
		sum := 0.0
		for _, fig := range group {
			if val := fig.LabelValue(label); strings.Contains(val, "+") {
				joined = append(joined, fig)
			} else {
				single[val] = fig
				singles = append(singles, fig)
				sum += fig.Value
			}
		}
		if len(singles) > 1 && sum > 1+epsilon {
			last := singles[len(singles)-1]
			v.inconsistency(last.pos(last.at.value), singles, "figures %s are shares of one whole (they differ only in %s) and sum to %.6g, more than 1", ids(singles), label, sum)
		}
		for _, fig := range joined {
			val := fig.LabelValue(label)
			var members []*Figure
			msum := 0.0
			for _, code := range strings.Split(val, "+") {
				if m, ok := single[code]; ok {
					members = append(members, m)
					msum += m.Value
				}
			}
			if len(members) > 0 && msum > fig.Value+epsilon {
				v.inconsistency(fig.pos(fig.at.value), append([]*Figure{fig}, members...), "figure %s: share %g of %s=%s is less than the sum of its members %s (%.6g)", fig.ID, fig.Value, label, val, ids(members), msum)
			}
		}
	}
}

func ids(figs []*Figure) string {
	names := make([]string, len(figs))
	for i, f := range figs {
		names[i] = f.ID
	}
	return strings.Join(names, ", ")
}

func sortedKeys[V any](m map[string]V) []string { return slices.Sorted(maps.Keys(m)) }
