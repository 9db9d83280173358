package extract

import (
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
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
	words    []map[string]bool         // content-word stems of each family
	df       map[string]map[string]int // unit -> word -> families of the unit with it
}

func newFamilyIndex(fams []Family) *familyIndex {
	ix := &familyIndex{families: fams, df: map[string]map[string]int{}}
	for _, f := range fams {
		ws := map[string]bool{}
		name := strings.TrimPrefix(f.Name, "figures_")
		for _, q := range contentWords(f.Help + " " + strings.ReplaceAll(name, "_", " ")) {
			w := q.w
			if w == f.Unit {
				continue // the unit suffix of the name says nothing of the subject
			}
			ws[w] = true
		}
		ix.words = append(ix.words, ws)
		if ix.df[f.Unit] == nil {
			ix.df[f.Unit] = map[string]int{}
		}
		for w := range ws {
			ix.df[f.Unit][w]++
		}
	}
	return ix
}

// Weights of a word the quote shares with a family's help text: the noun
// right after the number says what is counted ("14 ministries" among "100
// action tasks"), and outweighs the rest of the sentence; words
// near the number (within nearWords) say more than the rest of the
// sentence. A word shared with several families of the unit counts for
// each of them divided by their number, so that "hackers", in many help
// texts, picks none.
const (
	weightNext = 6.0
	weightNear = 2.0
	weightFar  = 1.0
	nearWords  = 8
	// minScore is the least score a family needs: one far word ("key",
	// "plan") is chance more often than not.
	minScore = 2.0
)

// pick returns the name of the family of the candidate's unit whose help
// text best matches the quote around the number (words are the quote's
// content words, the number's text at bytes at..end of the quote), at least
// minScore and more than any other family of that unit; nil when none fits
// or two tie.
func (ix *familyIndex) pick(unit, quote string, words []qword, at, end int) *string {
	if ix == nil || ix.df[unit] == nil {
		return nil
	}
	// Weight of each quote word by its distance to the number.
	weight := map[string]float64{}
	add := func(w string, v float64) {
		if v > weight[w] {
			weight[w] = v
		}
	}
	first := sort.Search(len(words), func(i int) bool { return words[i].off >= end })
	last := sort.Search(len(words), func(i int) bool { return words[i].off >= at })
	for i := 0; i < last; i++ {
		if last-i <= nearWords {
			add(words[i].w, weightNear)
		} else {
			add(words[i].w, weightFar)
		}
	}
	for i := first; i < len(words); i++ {
		switch {
		case i == first:
			add(words[i].w, weightNext)
		case i-first < nearWords:
			add(words[i].w, weightNear)
		default:
			add(words[i].w, weightFar)
		}
	}
	for _, g := range koreanGlossary {
		if strings.Contains(quote, g.korean) {
			for _, w := range strings.Fields(g.english) {
				add(synonym(stem(w)), weightNear)
			}
		}
	}
	df := ix.df[unit]
	best, bestScore, tie := -1, 0.0, false
	for i, f := range ix.families {
		if f.Unit != unit {
			continue
		}
		score := 0.0
		for w := range ix.words[i] {
			score += weight[w] / float64(df[w])
		}
		switch {
		case score > bestScore+1e-9:
			best, bestScore, tie = i, score, false
		case score > 0 && score >= bestScore-1e-9:
			tie = true
		}
	}
	if best < 0 || tie || bestScore < minScore {
		return nil
	}
	name := ix.families[best].Name
	return &name
}

// qword is a content word of a quote and its byte offset.
type qword struct {
	w   string
	off int
}

// contentWords returns the stems of the words of s that say what is
// counted, not the grammar around it, with their offsets.
func contentWords(s string) []qword {
	var out []qword
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if !unicode.IsLetter(r) {
			i += size
			continue
		}
		j := i
		for j < len(s) {
			r, size := utf8.DecodeRuneInString(s[j:])
			if !unicode.IsLetter(r) {
				break
			}
			j += size
		}
		w := lower(s[i:j])
		if len(w) >= 3 && !stopWords[w] {
			if w = synonym(stem(w)); !stopWords[w] {
				out = append(out, qword{w, i})
			}
		}
		i = j
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

// synonym maps words of one meaning onto one, so that an article's words
// meet a help text's: "PCs" and "computers", "theft" and "stolen".
func synonym(w string) string {
	if s, ok := synonyms[w]; ok {
		return s
	}
	return w
}

var synonyms = map[string]string{
	"pc": "computer", "pcs": "computer", "laptop": "computer", "device": "computer",
	"theft": "steal", "thef": "steal", "stolen": "steal", "stole": "steal", "stealing": "steal", "heist": "steal",
	"looted": "steal", "siphon": "steal", "swindl": "steal",
	"illegal": "illicit", "unlawful": "illicit",
	"earning": "revenue", "earn": "revenue", "income": "revenue", "proceed": "revenue",
	"crypto": "cryptocurrency", "bitcoin": "cryptocurrency", "virtual": "digital",
	"firm": "organization", "company": "organization", "compani": "organization", "institution": "organization", "agency": "organization", "agenci": "organization",
	"detain": "arrest", "indict": "arrest", "apprehend": "arrest",
	"individual": "people", "person": "people", "citizen": "people", "victim": "people", "resident": "people",
	"increase": "change", "rise": "change", "decline": "change", "decrease": "change", "growth": "change",
	"cyber": "cyberattack", "hacking": "cyberattack", "attack": "cyberattack",
	"extort": "extortion", "extract": "extortion", "ransom": "ransomware",
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
