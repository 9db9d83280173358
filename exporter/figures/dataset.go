package figures

import (
	"slices"
	"sort"
	"strings"
)

// Dataset is a validated, immutable set of figures: once built it is only
// read, so it can be shared by concurrent scrapes without locking.
type Dataset struct {
	Families []*Family // sorted by name
	Sources  map[string]*Source
	Figures  []*Figure // sorted by family, then id
	Files    []string
	// Revision is the SHA-256 of the files' names and bytes (see Revision).
	Revision string
	families map[string]*Family
}

func newDataset(raw []RawFile, revision string, files []*File) *Dataset {
	d := &Dataset{Sources: map[string]*Source{}, families: map[string]*Family{}, Revision: revision}
	for _, rf := range raw {
		d.Files = append(d.Files, rf.Name)
	}
	for _, f := range files {
		for _, fam := range f.Families {
			d.families[fam.Name] = fam
			d.Families = append(d.Families, fam)
		}
		for _, s := range f.Sources {
			d.Sources[s.ID] = s
		}
		d.Figures = append(d.Figures, f.Figures...)
	}
	sort.Slice(d.Families, func(i, j int) bool { return d.Families[i].Name < d.Families[j].Name })
	// Figure ids are unique in a valid dataset, so the order is total.
	// Family names are interned (see intern), so equal ones compare by
	// pointer at once.
	slices.SortFunc(d.Figures, func(a, b *Figure) int {
		if a.Family != b.Family {
			return strings.Compare(a.Family, b.Family)
		}
		return strings.Compare(a.ID, b.ID)
	})
	return d
}

// Family returns the family called name, or nil.
func (d *Dataset) Family(name string) *Family { return d.families[name] }

// Source returns the source of a figure.
func (d *Dataset) Source(f *Figure) *Source { return d.Sources[f.Source] }
