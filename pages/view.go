package pages

import (
	"regexp"
	"slices"
	"strings"
	"sync"

	"github.com/figures-exporter/figures_exporter/exporter/figures"
	"github.com/figures-exporter/figures_exporter/exporter/reload"
)

// view is what the pages show of one snapshot, computed once when a page
// first asks for it after a reload and then only read: the figures in
// catalogue order with everything a row shows already in words, and the
// indexes the pages look up. Invariant: a view is built from a snapshot
// the holder published, so it holds only validated content.
type view struct {
	snap     *reload.Snapshot
	ds       *figures.Dataset
	figs     []*figView // catalogue order: report by report, newest first
	byID     map[string]*figView
	srcs     []*srcView // newest published first, undated last
	srcByID  map[string]*srcView
	families []*figures.Family
	// countries are the codes that occur in country labels, sorted, for
	// the filter's choices.
	countries []string
	// articles caches each source's rendered article (see article.go).
	articles sync.Map // source id -> *articleResult
}

// srcView is a report as the pages show it.
type srcView struct {
	S     *figures.Source
	Figs  []*figView
	Chain []string // who stated its figures, to the outlet
}

// figView is a figure as the pages show it.
type figView struct {
	F     *figures.Figure
	Fam   *figures.Family
	Src   *srcView
	Value string // as people read it: "about US$1.7 billion"
	// Counts is what the figure counts, for a row: the family's help
	// without its parenthesised notes for metric users (the figure's page
	// has the whole help).
	Counts string
	Period string // in words: "H1 2023"
	Flags  []flagInfo
	Chain  []string
	// Claim lists every figure reporting the same claim, this one
	// included, in catalogue order; nil when the figure is alone.
	Claim []*figView
	// Parts are the figures whose part_of names this one.
	Parts []*figView
	// search is what free text matches: id, quote, title and original
	// title, lower-cased.
	search    string
	countries []string
}

// newView indexes a snapshot. It costs O(n log n) in the figures and runs
// once per snapshot (see Server.view).
func newView(snap *reload.Snapshot) *view {
	ds := snap.Dataset
	v := &view{snap: snap, ds: ds, byID: make(map[string]*figView, len(ds.Figures)), srcByID: map[string]*srcView{}, families: ds.Families}
	for _, s := range ds.Sources {
		sv := &srcView{S: s}
		v.srcs = append(v.srcs, sv)
		v.srcByID[s.ID] = sv
	}
	slices.SortFunc(v.srcs, func(a, b *srcView) int {
		pa, pb := a.S.Published, b.S.Published
		switch {
		case pa == nil && pb != nil:
			return 1
		case pa != nil && pb == nil:
			return -1
		case pa != nil && !pa.Equal(*pb):
			return pb.Compare(*pa) // newest first
		}
		if c := strings.Compare(a.S.Title, b.S.Title); c != 0 {
			return c
		}
		return strings.Compare(a.S.ID, b.S.ID)
	})
	countries := map[string]bool{}
	claims := map[string][]*figView{}
	counts := map[string]string{}
	for _, fam := range ds.Families {
		counts[fam.Name] = cardHelp(fam.Help)
	}
	for _, f := range ds.Figures {
		fam := ds.Family(f.Family)
		sv := v.srcByID[f.Source]
		fv := &figView{
			F: f, Fam: fam, Src: sv,
			Value:  figures.Readable(f.Value, fam.Unit, f.Qualifier),
			Counts: counts[f.Family],
			Period: periodWords(f.Period),
			Chain:  f.ClaimChain(sv.S),
			search: strings.ToLower(f.ID + "\x00" + f.Quote + "\x00" + sv.S.Title + "\x00" + sv.S.OriginalTitle),
		}
		for _, fl := range ds.Flags(f) {
			if fl.On {
				fv.Flags = append(fv.Flags, flagByName[fl.Name])
			}
		}
		for _, l := range f.Labels {
			if isCountryLabel(l.Name) {
				for c := range strings.SplitSeq(l.Value, "+") {
					fv.countries = append(fv.countries, c)
					countries[c] = true
				}
			}
		}
		sv.Figs = append(sv.Figs, fv)
		v.byID[f.ID] = fv
		claims[f.ClaimID()] = append(claims[f.ClaimID()], fv)
	}
	for _, sv := range v.srcs {
		// The report's own chain; a figure's claim may name another.
		sv.Chain = (&figures.Figure{}).ClaimChain(sv.S)
		v.figs = append(v.figs, sv.Figs...)
	}
	pos := make(map[*figView]int, len(v.figs))
	for i, fv := range v.figs {
		pos[fv] = i
	}
	for _, group := range claims {
		if len(group) < 2 {
			continue
		}
		slices.SortFunc(group, func(a, b *figView) int { return pos[a] - pos[b] })
		for _, fv := range group {
			fv.Claim = group
		}
	}
	for _, fv := range v.figs {
		if whole := v.byID[fv.F.PartOf]; whole != nil {
			whole.Parts = append(whole.Parts, fv)
		}
	}
	for c := range countries {
		v.countries = append(v.countries, c)
	}
	slices.Sort(v.countries)
	return v
}

var parenthesised = regexp.MustCompile(`\s*\([^()]*\)`)

// cardHelp drops the parenthesised asides of a family's help ("(0.15 is
// +15 %)", "(or countries, joined with +)"): they tell metric users how to
// read the series, which the row already does in words.
func cardHelp(help string) string {
	if s := strings.TrimSpace(parenthesised.ReplaceAllString(help, "")); s != "" && s != "." {
		return s
	}
	return help
}

// view returns the view of the holder's current snapshot, building it on
// first use. Builds are serialised, so that a burst of requests after a
// reload builds it once.
func (s *Server) view() *view {
	snap := s.holder.Snapshot()
	if snap == nil {
		return nil
	}
	if v := s.current.Load(); v != nil && v.snap == snap {
		return v
	}
	s.buildMu.Lock()
	defer s.buildMu.Unlock()
	if v := s.current.Load(); v != nil && v.snap == snap {
		return v
	}
	v := newView(snap)
	s.current.Store(v)
	return v
}

// claimShown bounds how many figures of a claim a row names.
const claimShown = 3

// ClaimOthers are the other figures of the claim a row names (at most
// claimShown).
func (fv *figView) ClaimOthers() []*figView {
	var out []*figView
	for _, o := range fv.Claim {
		if o != fv && len(out) < claimShown {
			out = append(out, o)
		}
	}
	return out
}

// ClaimMore is how many other figures of the claim a row does not name.
func (fv *figView) ClaimMore() int { return max(0, len(fv.Claim)-1-claimShown) }
