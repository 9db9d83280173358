package figures

import (
	"cmp"
	"slices"
	"strings"
)

// Dataset is a validated, immutable set of figures: once built it is only
// read, so it can be shared by concurrent scrapes without locking.
type Dataset struct {
	Families []*Family // sorted by name
	Sources  map[string]*Source
	Figures  []*Figure // sorted by family, then id
	Files    []string
	// Revision is the SHA-256 of the files' bytes (see Revision).
	Revision string
	families map[string]*Family
}

// newDataset is the dataset of the files a validator found valid.
func newDataset(raw []RawFile, v *validator) *Dataset {
	d := &Dataset{Sources: v.sources, Figures: v.figs, Revision: Revision(raw), families: v.families}
	for _, rf := range raw {
		d.Files = append(d.Files, rf.Name)
	}
	for _, name := range sortedKeys(v.families) {
		d.Families = append(d.Families, v.families[name])
	}
	// Figure ids are unique in a valid dataset, so the order is total.
	// Family names are interned (see intern), so equal ones compare by
	// pointer at once.
	slices.SortFunc(d.Figures, func(a, b *Figure) int {
		return cmp.Or(strings.Compare(a.Family, b.Family), strings.Compare(a.ID, b.ID))
	})
	return d
}

// Family returns the family called name, or nil.
func (d *Dataset) Family(name string) *Family { return d.families[name] }

// Source returns the source of a figure.
func (d *Dataset) Source(f *Figure) *Source { return d.Sources[f.Source] }
