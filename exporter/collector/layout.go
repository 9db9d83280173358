package collector

import (
	"github.com/prometheus/common/expfmt"

	"github.com/figures-exporter/figures_exporter/exporter/figures"
)

// A reload usually changes a few figures out of thousands, and the parser
// (figures.Parser) hands back the very objects of the previous dataset for
// the items whose bytes did not change. Making the series of every figure
// again, only to find by their keys that all runs but a few are unchanged,
// was most of a rebuild (450 ms and 118 MB at 100k figures). So Build's
// pass keeps each family's layout: the order of its figures' series and
// its runs. The next Build then takes a family from the previous snapshot:
//
//   - whole, without making a series, when its figures are the same
//     objects in the same order, and so are the sources and family
//     definitions its series read;
//   - but for the runs holding a figure that was replaced by another with
//     the same id (a value edited): those runs' series are made again,
//     checked to sort exactly where the old ones did (then the order and
//     the runs are the same as a cold build's), keyed and encoded.
//
// Anything else (figures added, removed or moved, many replaced, a format
// the previous snapshot did not serve) goes the full way (encode.go),
// which finds by key whatever it can reuse.

// layout is how Build's pass ordered a family's series and cut them into
// runs. It is never modified once set.
type layout struct {
	order []int32 // order[k] is the index in figs of the figure of series k
	runs  []span
}

func layoutOf(ss []series, runs []span) *layout {
	l := &layout{order: make([]int32, len(ss)), runs: runs}
	for k := range ss {
		l.order[k] = ss[k].fig
	}
	return l
}

// previous is what a rebuild takes from the snapshot it replaces.
type previous struct {
	e     *Exposition
	index map[string]int              // family name -> its index in e.fams
	encs  map[expfmt.Format]*Encoding // e's encodings, by format
	// The ids of the sources, and the names of the family definitions, that
	// are not the same objects as in e's dataset (or are in only one of
	// them): the info series of a figure read its source and family, the
	// published series its source.
	sources, families map[string]bool
}

func newPrevious(ds *figures.Dataset, e *Exposition, encs map[expfmt.Format]*Encoding) *previous {
	pv := &previous{e: e, index: make(map[string]int, len(e.fams)), encs: encs, sources: map[string]bool{}, families: map[string]bool{}}
	for i, f := range e.fams {
		pv.index[f.name] = i
	}
	old := e.ds
	for id, src := range ds.Sources {
		if old.Sources[id] != src {
			pv.sources[id] = true
		}
	}
	for id := range old.Sources {
		if ds.Sources[id] == nil {
			pv.sources[id] = true
		}
	}
	for _, fam := range ds.Families {
		if old.Family(fam.Name) != fam {
			pv.families[fam.Name] = true
		}
	}
	for _, fam := range old.Families {
		if ds.Family(fam.Name) == nil {
			pv.families[fam.Name] = true
		}
	}
	return pv
}

// readsChanged says whether a series of f for fig reads a source or family
// definition that changed.
func (pv *previous) readsChanged(f *family, fig *figures.Figure) bool {
	switch f.kind {
	case kindInfo:
		return pv.sources[fig.Source] || pv.families[fig.Family]
	case kindPublished:
		return pv.sources[fig.Source]
	}
	return false
}

// replacedShare bounds the figures of a family that may have been replaced
// (1 in replacedShare) for it to be taken from the previous snapshot: past
// that, most runs are made again anyway, and the full way makes them on
// several cores.
const replacedShare = 8

// reuse takes family i of e from the previous snapshot into every target,
// if it can (see above), and records its layout; it reports whether it
// did. When it reports false it has set nothing, and the family goes the
// full way.
func (pv *previous) reuse(p *pool, e *Exposition, f *family, i int, targets []*target) bool {
	if pv == nil || f.kind == kindSingle {
		return false
	}
	oi, ok := pv.index[f.name]
	if !ok {
		return false
	}
	of := pv.e.fams[oi]
	lay := of.layout
	if lay == nil || of.kind != f.kind || of.help != f.help || len(of.figs) != len(f.figs) {
		return false
	}
	// Every target must have the family's runs from the previous snapshot.
	olds := make([]*Encoding, len(targets))
	for k, t := range targets {
		old := pv.encs[t.enc.format]
		if old == nil || old.first[oi+1]-old.first[oi] != piecesOf(t, lay) {
			return false
		}
		olds[k] = old
	}
	var replaced []int32
	for j, fig := range f.figs {
		was := of.figs[j]
		if fig == was && !pv.readsChanged(f, fig) {
			continue
		}
		if fig.ID != was.ID || len(replaced) >= len(f.figs)/replacedShare+1 {
			return false
		}
		replaced = append(replaced, int32(j))
	}
	if len(replaced) == 0 {
		for k, t := range targets {
			t.fams[i] = oldPieces(olds[k], oi, piecesOf(t, lay))
		}
		f.layout = lay
		return true
	}
	for _, t := range targets {
		if !t.split {
			return false // the family is one piece: all its series would be needed
		}
	}
	dirty, ok := pv.dirtyRuns(e, f, lay, replaced)
	if !ok {
		return false
	}
	// Make the series of each dirty run and of the series on either side
	// of it, and check that they are strictly in promhttp's order. The
	// series of the other figures are those of the previous snapshot, which
	// were, so the order of the whole is unchanged. So are the runs: their
	// cuts depend on the ids in that order alone (runs.go), and the
	// replaced figures kept their ids.
	made := make(map[int][]series, len(dirty))
	for _, r := range dirty {
		run := lay.runs[r]
		lo, hi := max(0, run.start-1), min(len(lay.order), run.end+1)
		figs := make([]*figures.Figure, hi-lo)
		for k := range figs {
			figs[k] = f.figs[lay.order[lo+k]]
		}
		ss := f.seriesOf(e.ds, figs)
		e.stats[i].made.Add(int64(len(figs)))
		if len(ss) != len(figs) {
			return false // a published series appeared or went
		}
		for k := 1; k < len(ss); k++ {
			if compareSeries(ss[k-1], ss[k]) >= 0 {
				return false
			}
		}
		made[r] = ss[run.start-lo : run.end-lo]
	}
	for k, t := range targets {
		t.fams[i] = oldPieces(olds[k], oi, len(lay.runs))
	}
	f.layout = lay
	for _, r := range dirty {
		run, ss := lay.runs[r], made[r]
		w := keyWriters.Get().(*keyWriter)
		key := w.key(f, ss, span{start: 0, end: len(ss), header: run.header})
		keyWriters.Put(w)
		var slots []slot
		for _, t := range targets {
			t.fams[i][r] = piece{}
			if s := (slot{t, &t.fams[i][r]}); !s.reuse(key) {
				slots = append(slots, s)
			}
		}
		if len(slots) > 0 {
			p.Go(func() { encodeRun(f, ss, run.header, slots) })
		}
	}
	return true
}

// dirtyRuns returns the runs of lay that hold the series of the replaced
// figures (indices in f.figs, ascending), in order. It reports false if a
// replaced figure without a series in lay would now have one.
func (pv *previous) dirtyRuns(e *Exposition, f *family, lay *layout, replaced []int32) ([]int, bool) {
	pending := make([]uint64, (len(f.figs)+63)/64) // a bit per figure: replaced and not yet found in lay
	for _, j := range replaced {
		pending[j/64] |= 1 << (j % 64)
	}
	left := len(replaced)
	var dirty []int
	r := 0
	for k, j := range lay.order {
		if pending[j/64]&(1<<(j%64)) == 0 {
			continue
		}
		pending[j/64] &^= 1 << (j % 64)
		left--
		for lay.runs[r].end <= k {
			r++
		}
		if len(dirty) == 0 || dirty[len(dirty)-1] != r {
			dirty = append(dirty, r)
		}
	}
	// Only a published family leaves out figures (those with an undated
	// source); such a figure must still have none.
	for _, j := range replaced {
		if left > 0 && pending[j/64]&(1<<(j%64)) != 0 {
			if f.kind != kindPublished || e.ds.Source(f.figs[j]).Published != nil {
				return nil, false
			}
		}
	}
	return dirty, true
}

// piecesOf is how many pieces a family of layout lay has in t's format.
func piecesOf(t *target, lay *layout) int {
	if t.split {
		return len(lay.runs)
	}
	return 1
}

// oldPieces returns the n compressed runs of family oi of old, as reused
// pieces.
func oldPieces(old *Encoding, oi, n int) []piece {
	ps := make([]piece, n)
	for k := range ps {
		r := old.first[oi] + k
		m := old.runs[r]
		ps[k] = piece{deflatePiece: deflatePiece{data: old.gz[old.off[r]:old.off[r+1]], crc: m.crc, size: m.size}, key: m.key, reused: true}
	}
	return ps
}
