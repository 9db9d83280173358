package extract

import (
	"math"
	"strings"
	"unicode/utf8"
)

// korKind is what the Hangul after a Korean number makes it.
type korKind int

const (
	korNone     korKind = iota // nothing known: a plain count
	korCount                   // a counter: 건, 명, 대 ...
	korCurrency                // 원, 달러, 유로, 엔, 위안
	korPercent                 // 퍼센트
	korMultiple                // 배
)

func startsWithKoreanUnit(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return koreanSmallUnits[r] != 0 || koreanBigUnits[r] != 0
}

func exp10(u float64) int { return int(math.Round(math.Log10(u))) }

// koreanNumber reads digits at i with the Korean numeral units glued to them
// (십, 백, 천 within a group of four digits; 만, 억, 조, 경 between groups),
// over several groups written together or one space apart: 162만 =
// 1,620,000; 2조 2천억 = 2.2e12; 3억4천만 = 3.4e8; 1천만 = 1e7. Groups must
// come in decreasing order, so "100만 200만" is two numbers. It returns the
// value, the last token read and the Hangul of that token left after the
// units (the counter or currency, particles ...).
func (p *parser) koreanNumber(i int) (float64, int, string) {
	type term struct {
		digits string
		exp    int
	}
	var total float64
	var pending []term // terms of the group below the next big unit
	lastBig := math.Inf(1)
	j := i
	var last int
	var tail string
	for {
		digits := p.toks[j].digits
		h := p.toks[j+1].text
		have := true // digits not yet multiplied by a unit
		k := 0
	units:
		for k < len(h) {
			r, size := utf8.DecodeRuneInString(h[k:])
			if u, ok := koreanSmallUnits[r]; ok {
				d := digits
				if !have {
					d = "1"
				}
				pending = append(pending, term{d, exp10(u)})
				have = false
			} else if u, ok := koreanBigUnits[r]; ok && u < lastBig {
				if have {
					pending = append(pending, term{digits, 0})
				}
				if len(pending) == 0 {
					pending = append(pending, term{"1", 0})
				}
				for _, t := range pending {
					total += parseDec(t.digits, t.exp+exp10(u))
				}
				pending, lastBig, have = nil, u, false
			} else {
				break units
			}
			k += size
		}
		if have {
			pending = append(pending, term{digits, 0})
		}
		last, tail = j+1, h[k:]
		if tail != "" {
			break
		}
		// Another group: glued (3억4천만, 3천500만) or, after a big unit,
		// one space apart (2조 2천억).
		n := j + 2
		if n < p.n() && p.toks[n].kind == kSpace && p.toks[n].nl == 0 && !math.IsInf(lastBig, 1) {
			n++
		}
		if n+1 >= p.n() || p.toks[n].kind != kNum || p.toks[n].frac || !p.adj(n, n+1) || p.toks[n+1].kind != kHangul {
			break
		}
		if !startsWithKoreanUnit(p.toks[n+1].text) {
			// The ones below the last big unit, with the counter or
			// currency (or 여): 34만 2,000개, 34만2000개 = 342,000, 1만2000여 건.
			if rest := p.toks[n+1].text; !math.IsInf(lastBig, 1) && p.toks[n].intDigits <= 4 && (koreanCountOrMoney(rest) || strings.HasPrefix(rest, "여")) {
				pending = append(pending, term{p.toks[n].digits, 0})
				last, tail = n+1, rest
			}
			break
		}
		if p.junk(n) || !smallerGroup(p.toks[n+1].text, lastBig) {
			break
		}
		j = n
	}
	for _, t := range pending {
		total += parseDec(t.digits, t.exp)
	}
	return total, last, tail
}

// koreanCountOrMoney reports whether s starts with a counter or a currency.
func koreanCountOrMoney(s string) bool {
	if w, counter := longestKorean(s); w != "" && counter {
		return true
	}
	for _, c := range koreanCurrencies {
		if strings.HasPrefix(s, c.prefix) {
			return true
		}
	}
	return false
}

// smallerGroup reports whether the units at the start of h make a group
// below the big unit last (so that it continues the number).
func smallerGroup(h string, last float64) bool {
	for _, r := range h {
		if u, ok := koreanBigUnits[r]; ok {
			return u < last
		}
		if koreanSmallUnits[r] == 0 {
			break
		}
	}
	return last > 1e4 || last > 1e3 // a group of 천/백/십 after 만 or more
}

// koreanSuffix reads the Hangul after a number: the hedge 여 (1만여 건), then
// a counter, a currency, 퍼센트 or 배, glued (1000건) or after a space
// (162만 건, 34억 원), then particles and a hedge after it (1000건 이상,
// 1000건이 넘는). It sets m's text end, unit, qualifier, and skip for a
// date, time, age or ordinal (2023년, 7월, 19일, 45세, 8차).
func (p *parser) koreanSuffix(m *match, tail string, at, tok int, value float64, t token, scaled bool) korKind {
	rest, pos := tail, at
	if strings.HasPrefix(rest, "여") && !strings.HasPrefix(rest, "여러") && !strings.HasPrefix(rest, "여름") {
		m.qual = qMoreThan
		rest, pos = rest[len("여"):], pos+len("여")
		m.stop = pos
	}
	spaced := false
	if rest == "" {
		if j := p.next(tok); j > tok+1 && p.toks[j].kind == kHangul {
			rest, pos, tok, spaced = p.toks[j].text, p.toks[j].start, j, true
		}
	}
	if rest == "" {
		return korNone
	}
	if q, n := koreanHedge(rest); q != "" && n > 0 {
		if m.qual == qNone {
			m.qual = q
		}
		if !spaced {
			m.end = tok + 1
		}
		return korNone
	}
	kind := korNone
	n := 0
	unit := ""
	switch {
	case strings.HasPrefix(rest, "퍼센트"):
		kind, n = korPercent, len("퍼센트")
	case strings.HasPrefix(rest, "배") && !strings.HasPrefix(rest, "배터리") && !strings.HasPrefix(rest, "배포"):
		kind, n = korMultiple, len("배")
	}
	if kind == korNone {
		for _, c := range koreanCurrencies {
			if strings.HasPrefix(rest, c.prefix) {
				kind, n, unit = korCurrency, len(c.prefix), c.code
				break
			}
		}
	}
	if kind == korNone {
		word, counter := longestKorean(rest)
		if word == "" {
			return korNone // some other word: a plain count
		}
		if spaced && !koreanTailOK(rest[len(word):]) {
			return korNone // 162만 시민, 100만 일자리: another word after a space
		}
		if !counter {
			m.skip = true
			return korNone
		}
		small := !t.comma && !t.frac && !scaled
		if word == "대" && small && value >= 10 && value <= 90 && int(value)%10 == 0 {
			m.skip = true // an age group (20대)
			return korNone
		}
		if strings.HasPrefix(rest[len(word):], "당") {
			m.skip = true // 1인당, 10만 명당: the denominator of a rate
			return korNone
		}
		kind, n = korCount, len(word)
	}
	after := rest[n:]
	if spaced && !koreanTailOK(after) {
		return korNone // 원인, 배경, 건물 ...: not a counter after a space
	}
	m.stop = pos + n
	m.end = tok + 1
	switch kind {
	case korCurrency:
		m.unit = unit
	case korCount:
		m.unit = uCount
	}
	// A hedge after the counter: glued (건이상), after a particle and a
	// space (건이 넘는), or after a space (건 이상).
	if m.qual == qNone {
		stripped := stripParticle(after)
		if q, k := koreanHedge(after); q != "" && k > 0 {
			m.qual = q // 2.5배가량: the hedge before any particle
		} else if q, k := koreanHedge(stripped); q != "" && k > 0 {
			m.qual = q
		} else if stripped == "" || stripped != after {
			if j := p.next(tok); j > tok+1 && p.toks[j].kind == kHangul {
				if q, k := koreanHedge(p.toks[j].text); q != "" && k > 0 && p.toks[j].text != "여" {
					m.qual = q
					m.end = j + 1
				}
			}
		}
	}
	return kind
}

// koreanHedge returns the qualifier of a hedge at the start of s and its
// length.
func koreanHedge(s string) (string, int) {
	for _, h := range koreanHedgesAfter {
		if h.prefix == "여" {
			continue // only right after the number, handled there
		}
		if strings.HasPrefix(s, h.prefix) {
			return h.q, len(h.prefix)
		}
	}
	return "", 0
}

// longestKorean returns the longest counter or non-count word at the start
// of s, and whether it is a counter.
func longestKorean(s string) (string, bool) {
	best, counter := "", false
	for _, c := range koreanCounters {
		if strings.HasPrefix(s, c) && len(c) > len(best) {
			best, counter = c, true
		}
	}
	for _, c := range koreanNotCounts {
		if strings.HasPrefix(s, c) && len(c) > len(best) {
			best, counter = c, false
		}
	}
	return best, counter
}

// stripParticle removes one particle at the start of s.
func stripParticle(s string) string {
	for _, p := range koreanParticles {
		if strings.HasPrefix(s, p) {
			return s[len(p):]
		}
	}
	return s
}

// koreanTailOK reports whether what follows a spaced counter or currency is
// nothing, a particle or a hedge: "원을" is won, "원인" is a cause.
func koreanTailOK(s string) bool {
	if s == "" {
		return true
	}
	if q, _ := koreanHedge(s); q != "" {
		return true
	}
	for _, p := range koreanParticles {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}

// koreanNative reads a native Korean numeral before a counter: 네 명 (four
// people), 두 배 (twice).
func (p *parser) koreanNative(i int) (match, bool) {
	if strings.HasPrefix(p.toks[i].text, "절반") {
		return p.koreanHalf(i)
	}
	v, ok := koreanNative[p.toks[i].text]
	if !ok {
		return match{}, false
	}
	j := p.next(i)
	if j != i+2 || p.toks[j].kind != kHangul {
		return match{}, false
	}
	word, counter := longestKorean(p.toks[j].text)
	isMultiple := strings.HasPrefix(p.toks[j].text, "배")
	if isMultiple {
		word, counter = "배", true
	}
	if !counter || word == "년" || word == "주" || !koreanTailOK(p.toks[j].text[len(word):]) {
		return match{}, false
	}
	m := match{start: p.toks[i].start, stop: p.toks[j].start + len(word), unit: uCount, value: float64(v), qual: qNone, end: j + 1}
	if isMultiple {
		m.unit, m.value = uChange, float64(v-1)
	}
	p.qualify(&m, i, j)
	return m, true
}

// koreanHalf reads 절반 (half): 절반 이상이 (more than half), 절반가량.
func (p *parser) koreanHalf(i int) (match, bool) {
	t := p.toks[i]
	m := match{start: t.start, stop: t.start + len("절반"), unit: uRatio, value: 0.5, qual: qNone, end: i + 1}
	if q, n := koreanHedge(t.text[len("절반"):]); n > 0 {
		m.qual = q
	} else {
		p.qualify(&m, i, i)
	}
	if s := p.changeSign(&m, i, i); s != 0 {
		m.unit, m.value = uChange, s*m.value
	}
	return m, true
}
