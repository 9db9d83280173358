package extract

import (
	"strings"
	"unicode"
)

// attributionCues are the words by which an article says whose a number is
// ("according to the NIS", "Jung cited information ... claiming", "국정원에
// 따르면"). English cues are whole lower-case words (phrases word by word);
// Korean cues are stems matched inside a word, since Korean glues endings
// to them (밝혔다, 밝혔으며).
var (
	attributionCuesEN = [][]string{
		{"according", "to"}, {"citing"}, {"cited"}, {"cites"}, {"claiming"}, {"claimed"}, {"claims"},
		{"said"}, {"says"}, {"told"}, {"stated"}, {"states"}, {"estimated"}, {"estimates"},
		{"reported"}, {"reports"}, {"revealed"}, {"noted"}, {"added"}, {"confirmed"},
		{"show"}, {"shows"}, {"showed"},
	}
	attributionCuesKO = []string{"에 따르면", "밝혔", "말했", "주장", "추산", "발표", "전했"}
)

// attributionReach is how many words either side of a cue Attribution
// keeps: enough for "Jung further cited information coming out of the
// United States", short enough for a comment line.
const attributionReach = 8

// Attribution returns the words of a quote that attribute its figure to
// someone, a cue with up to attributionReach words either side, marked with
// "…" where the quote goes on; "" when the quote has no cue. It is a hint
// for the curator, who compares it with the source's claim chain: a sentence
// that cites someone other than the chain's first link needs the figure's
// own claim chain. A cue finds a claimant only when the sentence names one;
// "said" in a quote of someone else's words is a hint too.
func Attribution(quote string) string {
	words := strings.Fields(quote)
	lower := make([]string, len(words))
	for i, w := range words {
		lower[i] = strings.ToLower(strings.TrimFunc(w, func(r rune) bool { return !unicode.IsLetter(r) }))
	}
	for i := range words {
		n := 0
		for _, cue := range attributionCuesEN {
			if i+len(cue) <= len(words) && equalWords(lower[i:i+len(cue)], cue) {
				n = len(cue)
				break
			}
		}
		if n == 0 && i+1 < len(words) && strings.HasSuffix(words[i], "에") && lower[i+1] == "따르면" {
			n = 2
		}
		if n == 0 {
			for _, cue := range attributionCuesKO[1:] {
				if strings.Contains(words[i], cue) {
					n = 1
					break
				}
			}
		}
		if n > 0 {
			a, b := max(0, i-attributionReach), min(len(words), i+n+attributionReach)
			s := strings.Join(words[a:b], " ")
			if a > 0 {
				s = "…" + s
			}
			if b < len(words) {
				s += "…"
			}
			return s
		}
	}
	return ""
}
