package extract

import (
	"strings"
	"unicode"
)

// Family is what the extractor needs to know of a metric family to propose
// it for a candidate: its name, unit and help text. It is not the
// exporter's model type, so that extraction works on any dataset.
type Family struct {
	Name string
	Unit string
	Help string
}

// familyIndex picks a family for a candidate by unit and by the words its
// help text (and name) shares with the candidate's quote.
type familyIndex struct {
	families []Family
	words    []map[string]bool // content-word stems of each family
}

func newFamilyIndex(fams []Family) *familyIndex {
	ix := &familyIndex{families: fams}
	for _, f := range fams {
		ws := map[string]bool{}
		name := strings.TrimPrefix(f.Name, "figures_")
		for _, w := range contentWords(f.Help + " " + strings.ReplaceAll(name, "_", " ")) {
			if w == f.Unit {
				continue // the unit suffix of the name says nothing of the subject
			}
			ws[w] = true
		}
		ix.words = append(ix.words, ws)
	}
	return ix
}

// minShared is how many content words a quote must share with a family's
// help text for the family to be proposed: one shared word ("key", "plan")
// is chance more often than not.
const minShared = 2

// pick returns the name of the family of the candidate's unit that shares
// the most words with the quote, at least minShared, and more than any
// other family of that unit; nil when none fits or two tie.
func (ix *familyIndex) pick(unit, quote string) *string {
	if ix == nil || len(ix.families) == 0 {
		return nil
	}
	qw := map[string]bool{}
	for _, w := range contentWords(quote) {
		qw[w] = true
	}
	for _, g := range koreanGlossary {
		if strings.Contains(quote, g.korean) {
			for _, w := range strings.Fields(g.english) {
				qw[stem(w)] = true
			}
		}
	}
	best, bestScore, tie := -1, 0, false
	for i, f := range ix.families {
		if f.Unit != unit {
			continue
		}
		score := 0
		for w := range ix.words[i] {
			if qw[w] {
				score++
			}
		}
		switch {
		case score > bestScore:
			best, bestScore, tie = i, score, false
		case score == bestScore && score > 0:
			tie = true
		}
	}
	if best < 0 || tie || bestScore < minShared {
		return nil
	}
	name := ix.families[best].Name
	return &name
}

// contentWords returns the stems of the words of s that say what is
// counted, not the grammar around it.
func contentWords(s string) []string {
	var out []string
	for _, w := range strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) }) {
		if len(w) < 3 || stopWords[w] {
			continue
		}
		if w = stem(w); !stopWords[w] {
			out = append(out, w)
		}
	}
	return out
}

// stem strips the common English endings, so that "attacks", "attacked"
// and "attack" meet.
func stem(w string) string {
	for _, suf := range []string{"ies", "ing", "ed", "es", "s"} {
		if len(w) > len(suf)+3 && strings.HasSuffix(w, suf) {
			if suf == "ies" {
				return w[:len(w)-3] + "y"
			}
			return w[:len(w)-len(suf)]
		}
	}
	return w
}

var stopWords = map[string]bool{
	"the": true, "and": true, "for": true, "that": true, "this": true, "with": true, "from": true, "its": true,
	"are": true, "was": true, "were": true, "has": true, "have": true, "been": true, "over": true, "per": true,
	"one": true, "number": true, "period": true, "given": true, "into": true, "than": true, "more": true,
	"which": true, "who": true, "their": true, "his": true, "her": true, "they": true, "said": true, "also": true,
	"not": true, "but": true, "all": true, "any": true, "some": true, "about": true, "such": true, "other": true,
	"country": true, "countries": true, "target": true, "origin": true, "north": true, "south": true, "korea": true,
	"korean": true, "state": true, "backed": true, "compared": true, "baseline": true, "total": true, "year": true,
	"value": true, "amount": true, "share": true, "comes": true, "come": true, "kind": true,
}

// koreanGlossary gives English words for Korean terms, so that a Korean
// quote meets the English help text of a family.
var koreanGlossary = []struct{ korean, english string }{
	{"사이버공격", "cyberattack attack"}, {"사이버 공격", "cyberattack attack"}, {"공격", "attack"},
	{"해킹", "hack hacker"}, {"탈취", "stolen theft"}, {"절취", "stolen theft"}, {"훔", "stolen theft"},
	{"암호화폐", "cryptocurrency digital asset"}, {"가상자산", "digital asset cryptocurrency"},
	{"가상화폐", "cryptocurrency digital asset"}, {"랜섬웨어", "ransomware extort"}, {"체포", "arrest"},
	{"검거", "arrest"}, {"구속", "arrest"}, {"개인정보", "personal data"}, {"신용카드", "credit card personal data"},
	{"기관", "organization"}, {"기업", "organization"}, {"컴퓨터", "computer"}, {"PC", "computer"},
	{"피해", "victim"}, {"미사일", "weapon missile programme"}, {"무기", "weapon programme"},
	{"과제", "task plan"}, {"부처", "ministry"}, {"전략", "strategy"}, {"목표", "objective"},
	{"수익", "revenue"}, {"수입", "revenue"}, {"하루", "daily average day"}, {"일평균", "daily average"},
	{"평균", "average"}, {"증가", "change"}, {"감소", "change"},
}
