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
	// search is what free text matches of the report: its title and
	// original title, lower-cased.
	search string
}

// figView is a figure as the pages show it.
type figView struct {
	F   *figures.Figure
	Fam *figures.Family
	Src *srcView
	// Counts is what the figure counts, for a row: the family's help
	// without its parenthesised notes for metric users (the figure's page
	// has the whole help).
	Counts string
	Flags  []flagInfo // shared between figures with the same flags
	Chain  []string   // the report's, unless the figure's claim names another
	order  int        // position in the catalogue
	// Claim lists every figure reporting the same claim, this one
	// included, in catalogue order; nil when the figure is alone.
	Claim []*figView
	// Parts are the figures whose part_of names this one.
	Parts []*figView
	// search is what free text matches of the figure: id and quote,
	// lower-cased (the report's title is in Src.search).
	search    string
	countries []string
}

// Value is the figure's value as people read it: "about US$1.7 billion".
// It is worded when a page shows it, not when the view is built: a page
// shows a hundred figures of a dataset that may hold a hundred thousand.
func (fv *figView) Value() string {
	return Readable(fv.F.Value, fv.Fam.Unit, fv.F.Qualifier)
}

// Period is the figure's period in words: "H1 2023".
func (fv *figView) Period() string { return periodWords(fv.F.Period) }

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
	for _, sv := range v.srcs {
		// The report's own chain; a figure's claim may name another.
		sv.Chain = (&figures.Figure{}).ClaimChain(sv.S)
		sv.search = strings.ToLower(sv.S.Title + "\x00" + sv.S.OriginalTitle)
	}
	countries := map[string]bool{}
	claims := map[string][]*figView{}
	counts := map[string]string{}
	for _, fam := range ds.Families {
		counts[fam.Name] = cardHelp(fam.Help)
	}
	// One allocation for all figures, and one flag list per combination of
	// flags, so that indexing 100k figures stays a matter of milliseconds.
	views := make([]figView, len(ds.Figures))
	flagSets := map[uint8][]flagInfo{}
	for i, f := range ds.Figures {
		sv := v.srcByID[f.Source]
		fv := &views[i]
		*fv = figView{F: f, Fam: ds.Family(f.Family), Src: sv, Counts: counts[f.Family], Chain: sv.Chain,
			search: strings.ToLower(f.ID + "\x00" + f.Quote)}
		if f.Claim != nil && len(f.Claim.Chain) > 0 {
			fv.Chain = f.ClaimChain(sv.S)
		}
		var set uint8
		for j, fl := range ds.Flags(f) {
			if fl.On {
				set |= 1 << j
			}
		}
		if set != 0 {
			if _, ok := flagSets[set]; !ok {
				for j, info := range flagLegend {
					if set&(1<<j) != 0 {
						flagSets[set] = append(flagSets[set], info)
					}
				}
			}
			fv.Flags = flagSets[set]
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
		v.figs = append(v.figs, sv.Figs...)
	}
	for i, fv := range v.figs {
		fv.order = i
	}
	for _, group := range claims {
		if len(group) < 2 {
			continue
		}
		slices.SortFunc(group, func(a, b *figView) int { return a.order - b.order })
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
