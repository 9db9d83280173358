package extract

// The context of a number: the hedges around it (its qualifier) and the
// words that make a percentage or fraction a change.

import "strings"

// qualify sets the qualifier from the hedges around tokens first..last. A
// bound (at least, more than, at most, less than) says more than "about":
// "약 15억 달러 이상" is at least, whichever side each stands on. Otherwise
// the hedge before the number wins over one after it.
func (p *parser) qualify(m *match, first, last int) {
	before := ""
	ws, _ := p.wordsBefore(first, 4)
	for _, h := range hedgesBefore {
		if hasPhrase(ws, h.words) {
			before = h.q
			break
		}
	}
	if before == "" {
		if j := p.prev(first); j >= 0 {
			before = koreanHedgesBefore[p.hangul(j)]
		}
	}
	suffix := m.qual // read with a Korean counter (1만여 건, 1000건 이상)
	if before != "" {
		m.qual = before
	}
	if before == qAbout && suffix != qNone && suffix != qAbout {
		m.qual = suffix
		return
	}
	if m.qual == qNone || m.qual == qAbout {
		after := p.hedgeAfter(last)
		if after != qNone && (m.qual == qNone || after != qAbout) {
			m.qual = after
		}
	}
}

// hedgeAfter reads the hedge after token last: English (or more, or so,
// +, -plus) or Korean (이상, 가량, 넘는 ...).
func (p *parser) hedgeAfter(last int) string {
	if s := p.sym(last + 1); s == "+" && p.adj(last, last+1) {
		return qMoreThan
	}
	after, _ := p.wordsAfter(last, 2)
	for _, h := range hedgesAfter {
		if len(after) >= len(h.words) && equalWords(after[:len(h.words)], h.words) {
			return h.q
		}
	}
	return p.koreanHedgeAfter(last)
}

// koreanHedgeAfter reads a Korean hedge after token last: glued after a
// particle (60%가량), or after a space (60% 이상, 60%가 넘는).
func (p *parser) koreanHedgeAfter(last int) string {
	j := last + 1
	if h := p.hangul(j); h != "" && p.adj(last, j) {
		rest := stripParticle(h)
		if q, n := koreanHedge(h); n > 0 {
			return q
		}
		if q, n := koreanHedge(rest); n > 0 {
			return q
		}
		if rest != "" {
			return qNone
		}
	} else {
		j = last
	}
	if k := p.next(j); k > j+1 {
		if q, n := koreanHedge(p.hangul(k)); n > 0 {
			return q
		}
	}
	return qNone
}

// hasPhrase reports whether the words before a number (nearest first) end
// with phrase (written in reading order).
func hasPhrase(before, phrase []string) bool {
	if len(before) < len(phrase) {
		return false
	}
	for k := range phrase {
		if before[len(phrase)-1-k] != phrase[k] {
			return false
		}
	}
	return true
}

func equalWords(a, b []string) bool {
	for i := range b {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// hedgeLen returns how many words before first belong to its hedge.
func (p *parser) hedgeLen(ws []string) int {
	for _, h := range hedgesBefore {
		if hasPhrase(ws, h.words) {
			return len(h.words)
		}
	}
	return 0
}

// phrasalVerbs before "up" or "down" make a verb of them, not a change:
// "made up two-thirds", "broke down 40 %".
var phrasalVerbs = map[string]bool{
	"made": true, "make": true, "makes": true, "making": true, "took": true, "take": true, "takes": true,
	"taking": true, "ended": true, "end": true, "ends": true, "set": true, "sets": true, "broke": true,
	"broken": true, "break": true, "breaks": true, "added": true, "adds": true, "add": true, "picked": true,
	"summed": true, "shored": true, "tallied": true, "wound": true, "turned": true, "came": true, "come": true,
}

// changeSign tells whether the percentage or fraction at first..last is a
// change (+1 an increase, -1 a decrease) or a share (0).
func (p *parser) changeSign(m *match, first, last int) float64 {
	ws, _ := p.wordsBefore(first, 6)
	h := p.hedgeLen(ws)
	ws = ws[h:]
	if len(ws) > 0 {
		switch {
		case ws[0] == "by" && len(ws) > 1 && changeVerbs[ws[1]] != 0:
			return changeVerbs[ws[1]]
		case ws[0] == "by" && len(ws) > 2 && changeVerbs[ws[2]] != 0 && (ws[1] == "a" || ws[1] == "an" || ws[1] == "about" || ws[1] == "only" || ws[1] == "just" || ws[1] == "nearly"):
			return changeVerbs[ws[2]]
		case ws[0] == "of" && len(ws) > 1 && changeVerbs[ws[1]] != 0:
			return changeVerbs[ws[1]]
		case ws[0] == "of" && len(ws) > 2 && changeVerbs[ws[2]] != 0:
			return changeVerbs[ws[2]] // an increase of 15 %, a sharp rise of 15 %
		case changeVerbs[ws[0]] != 0 && ws[0] != "growth" && ws[0] != "reduction" && ws[0] != "cut" &&
			!((ws[0] == "up" || ws[0] == "down") && len(ws) > 1 && phrasalVerbs[ws[1]]):
			return changeVerbs[ws[0]]
		}
	}
	switch p.sym(last + 1) {
	case "↑", "▲", "⬆":
		return 1
	case "↓", "▼", "⬇":
		return -1
	}
	after, _ := p.wordsAfter(last, 4)
	for k, w := range after {
		if s := changeNouns[w]; s != 0 {
			if w == "more" || w == "less" || w == "fewer" || w == "up" || w == "down" {
				if k > 0 {
					return 0
				}
				if n, _ := p.nextWord(p.lastWordIndex(last, k)); n == "than" && w != "up" && w != "down" {
					return s // "15% more than last year"
				}
			}
			return s
		}
		switch w {
		case "year", "on", "annual", "annually", "yearly", "monthly", "sharp", "steep", "overall", "quarterly", "a":
			continue
		}
		break
	}
	// Korean: 15% 증가, 3배 이상 늘었다, 32%가 늘어. A percentage with 로
	// or 까지 names the level reached, not the change: "80%에서 70%로
	// 줄었다" fell to 70 %.
	if h := p.hangul(last + 1); p.adj(last, last+1) && strings.HasSuffix(p.s[m.start:m.stop], "%") &&
		(strings.HasPrefix(h, "로") || strings.HasPrefix(h, "으로") || strings.HasPrefix(h, "까지")) {
		return 0
	}
	for j, n := last+1, 0; j < p.n() && n < 4; j++ {
		t := p.toks[j]
		if t.kind == kSpace {
			if t.nl > 0 {
				break
			}
			continue
		}
		if t.kind != kHangul {
			break
		}
		n++
		text := t.text
		for _, c := range koreanChange {
			if strings.HasPrefix(text, c.prefix) {
				return c.sign
			}
			// a particle, then the verb: 15%가 증가, 3배로 늘어
			for _, part := range []string{"가", "이", "나", "로", "이나"} {
				if strings.HasPrefix(text, part+c.prefix) {
					return c.sign
				}
			}
		}
		if !isKoreanFiller(text) {
			break
		}
	}
	return 0
}

func (p *parser) lastWordIndex(last, k int) int {
	_, at := p.wordsAfter(last, k+1)
	if k < len(at) {
		return at[k]
	}
	return last
}

// isKoreanFiller reports whether a Hangul word between a percentage and its
// verb leaves the meaning alone (이상, 가량, 가까이, 정도 ...).
func isKoreanFiller(s string) bool {
	for _, h := range koreanHedgesAfter {
		if strings.HasPrefix(s, h.prefix) {
			return true
		}
	}
	for _, part := range koreanParticles {
		if s == part {
			return true
		}
	}
	switch s {
	case "가까이", "포인트", "p", "가량", "넘게", "이상", "씩", "배나", "배로", "배가":
		return true
	}
	return false
}
