package extract

import (
	"strconv"
	"strings"
)

// parser recognises quantitative expressions in the tokens of one chunk.
//
// The grammar, in order of application to an expression:
//
//	expression := [hedge] [currency] core [scale] [unit] [hedge-after]
//	core       := digits | number-words | fraction | multiple | korean-number
//	korean     := (digits (십|백|천)*)+ (만|억|조)? ... [여] [counter|currency]
//
// then the context decides the unit: a percentage is a ratio, or a change
// ratio after "increase of", "rose", "up", before "increase", "more" (and
// 증가, 늘어, 감소 ...); a multiple (three-fold, tripled, 3배) is a change ratio
// of factor-1; an amount with a currency is that currency's lower-case ISO
// 4217 code; anything else is a count. Counts that are not quantities
// (years, dates, times, ages, ordinals, references such as "page 5",
// numbers glued to letters such as "F1" or "5G", phone numbers, list
// numbering, numbers alone on a line) are recognised and skipped.
type parser struct {
	s    string
	toks []token
	// letters[i] is the number of letters in s[:i], and breaks the offsets
	// of the line breaks of s; both built on first use by aloneOnLine.
	letters []int32
	breaks  []int
}

// match is one expression found: the byte span of its text in the chunk,
// its value in base units, unit and qualifier. skip marks an expression
// recognised as something that is not a figure (a date, a year ...): it is
// consumed so that its parts are not read again, and not proposed. end is
// the index of the first token after all that the expression consumed.
type match struct {
	start, stop int
	value       float64
	unit        string
	qual        string
	skip        bool
	end         int
	// then is the second number of a range (10-15%, 3~5만 명), proposed
	// after this one.
	then *match
}

func (p *parser) n() int { return len(p.toks) }

// adj reports whether tokens i and j (i < j) touch.
func (p *parser) adj(i, j int) bool {
	return i >= 0 && j < len(p.toks) && p.toks[i].end == p.toks[j].start
}

// next returns the index of the first token after i that is not white space
// without a line break between, or -1. A line break ends an expression's
// context: a heading's number has nothing to do with the next line.
func (p *parser) next(i int) int { return p.step(i, 1) }

// prev is next backwards.
func (p *parser) prev(i int) int { return p.step(i, -1) }

func (p *parser) step(i, d int) int {
	j := i + d
	if j >= 0 && j < len(p.toks) && p.toks[j].kind == kSpace {
		if p.toks[j].nl > 0 {
			return -1
		}
		j += d
	}
	if j < 0 || j >= len(p.toks) {
		return -1
	}
	return j
}

// word returns the lower-case word at i, or "" when i is not a word.
func (p *parser) word(i int) string {
	if i < 0 || i >= len(p.toks) || p.toks[i].kind != kWord {
		return ""
	}
	return p.toks[i].low
}

func (p *parser) sym(i int) string {
	if i < 0 || i >= len(p.toks) || p.toks[i].kind != kSym {
		return ""
	}
	return p.toks[i].text
}

func (p *parser) hangul(i int) string {
	if i < 0 || i >= len(p.toks) || p.toks[i].kind != kHangul {
		return ""
	}
	return p.toks[i].text
}

// nextWord returns the word after i (across one space or an adjacent
// hyphen) and its index.
func (p *parser) nextWord(i int) (string, int) {
	j := p.next(i)
	if j < 0 {
		return "", -1
	}
	if p.sym(j) == "-" && p.adj(i, j) && p.adj(j, j+1) {
		j++
	}
	return p.word(j), j
}

// wordsBefore returns up to n words before token i, nearest first, with
// their indices, crossing single spaces only (no punctuation, no line
// break).
func (p *parser) wordsBefore(i, n int) ([]string, []int) { return p.words(i, n, -1) }

// wordsAfter returns up to n words after token i, with their indices,
// crossing single spaces and hyphens (year-on-year).
func (p *parser) wordsAfter(i, n int) ([]string, []int) { return p.words(i, n, 1) }

func (p *parser) words(i, n, d int) ([]string, []int) {
	var ws []string
	var at []int
	for j := p.step(i, d); j >= 0 && len(ws) < n; j = p.step(j, d) {
		if d > 0 && p.sym(j) == "-" && p.adj(j-1, j) {
			continue
		}
		w := p.word(j)
		if w == "" {
			break
		}
		ws = append(ws, w)
		at = append(at, j)
	}
	return ws, at
}

// scan calls emit for every expression of the chunk, in order, and stops
// early when emit returns false.
func (p *parser) scan(emit func(match) bool) {
	for i := 0; i < p.n(); {
		m, ok := p.at(i)
		if !ok {
			i++
			continue
		}
		if !m.skip && !emit(m) {
			return
		}
		if m.then != nil && !m.then.skip && !emit(*m.then) {
			return
		}
		if m.end <= i {
			m.end = i + 1
		}
		i = m.end
	}
}

func (p *parser) at(i int) (match, bool) {
	switch p.toks[i].kind {
	case kNum:
		return p.number(i), true
	case kWord:
		return p.wordNumber(i)
	case kHangul:
		return p.koreanNative(i)
	}
	return match{}, false
}

// number parses the expression around the digits at i.
func (p *parser) number(i int) match { return p.numberIn(i, false) }

// rangeSyms join the two ends of a range: 10-15%, 3~5만 명.
var rangeSyms = map[string]bool{"-": true, "–": true, "~": true, "～": true}

// rangeOf reads a range at i (10-15%, 3~9배, 2017-2023, 8~9월): the
// second end is read first, since its unit (and scale) is the first's
// too, and a range of dates or years is skipped whole. A dash between two
// plain counts is left to junk (a phone number, a score).
func (p *parser) rangeOf(i int) (match, bool) {
	t := p.toks[i]
	if i+2 >= p.n() || !rangeSyms[p.sym(i+1)] || !p.adj(i, i+1) || !p.adj(i+1, i+2) || p.toks[i+2].kind != kNum || t.leadZero || t.comma != p.toks[i+2].comma && !t.comma {
		return match{}, false
	}
	if i > 0 && p.adj(i-1, i) && p.toks[i-1].kind != kSpace && p.sym(i-1) != "(" && p.toks[i-1].kind != kHangul {
		return match{}, false
	}
	second := p.numberIn(i+2, true)
	if second.skip {
		second.start = t.start
		return second, true
	}
	dash := p.sym(i+1) != "~" && p.sym(i+1) != "～"
	if second.unit == uCount && (dash || second.stop == p.toks[i+2].end) && !p.countRange(i) {
		return match{}, false
	}
	v := parseDec(t.digits, 0)
	first := match{start: t.start, stop: t.end, unit: second.unit, qual: qNone, end: i + 1}
	d := parseDec(p.toks[i+2].digits, 0)
	switch {
	case second.unit == uRatio:
		first.value = v / 100
	case second.unit == uChange && strings.HasSuffix(p.s[second.start:second.stop], "%"):
		first.value = v / 100 * sign(second.value)
	case second.unit == uChange:
		first.value = v - 1
	case d != 0:
		first.value = v * second.value / d
	}
	p.qualify(&first, i, i)
	first.then, first.end = &second, second.end
	return first, true
}

// countRange reports whether a dash between two plain counts at i and i+2
// is a range, not a phone number or a score: both written with thousands
// separators (6,000-7,000), or a plural noun after the second (50-249
// workers).
func (p *parser) countRange(i int) bool {
	a, b := p.toks[i], p.toks[i+2]
	if a.comma && b.comma {
		return true
	}
	w, k := p.nextWord(i + 2)
	return k == i+4 && a.intDigits <= 4 && b.intDigits <= 4 && len(w) > 3 && strings.HasSuffix(w, "s") && !p.toks[k].upperFirst && parseDec(a.digits, 0) < parseDec(b.digits, 0)
}

func sign(v float64) float64 {
	if v < 0 {
		return -1
	}
	return 1
}

func (p *parser) numberIn(i int, inRange bool) match {
	if m, ok := p.writtenFraction(i); ok {
		return m
	}
	if !inRange {
		if m, ok := p.rangeOf(i); ok {
			return m
		}
	}
	if p.junkIn(i, inRange) {
		if p.sym(i-1) == "+" {
			return p.phoneRun(i)
		}
		return p.skipRun(i)
	}
	t := p.toks[i]
	m := match{start: t.start, stop: t.end, unit: uCount, qual: qNone, end: i + 1}
	first, last := i, i // tokens of the expression proper
	mant, exp := t.digits, 0
	scaled := false
	var value float64
	valueSet := false

	// A currency before the number: $, US$, ₩, €, or a code (USD 5 million).
	cur, curFirst := p.currencyBefore(i)
	if cur != "" {
		first = curFirst
		m.start = p.toks[first].start
	}

	// Korean numerals glued to the digits: 162만, 2조 2천억, 1천만.
	kor := korNone
	korTail, korAt, korTok := "", -1, -1
	if i+1 < p.n() && p.adj(i, i+1) && p.toks[i+1].kind == kHangul {
		if startsWithKoreanUnit(p.toks[i+1].text) {
			v, lastTok, tail := p.koreanNumber(i)
			value, valueSet, scaled = v, true, true
			last, m.end = lastTok, lastTok+1
			korTail, korAt, korTok = tail, p.toks[lastTok].end-len(tail), lastTok
			m.stop = korAt
		} else {
			korTail, korAt, korTok = p.toks[i+1].text, p.toks[i+1].start, i+1
		}
	} else if j := p.next(i); j == i+2 && p.toks[j].kind == kHangul {
		korAt, korTok = p.toks[i].end, i // a counter after a space: 1000 건
	}

	// Decimals spelt out, as broadcasters write them: 43-point-four
	// percent, one-point-65 billion.
	if !valueSet && !t.frac && korTok < 0 {
		if frac, j, ok := p.pointDecimal(i); ok {
			mant += "." + frac
			last, m.end, m.stop = j, j+1, p.toks[j].end
		}
	}
	// A size of data: 1.2TB, 1014GB (a count of terabytes, gigabytes).
	if i+1 < p.n() && p.adj(i, i+1) && dataUnits[p.word(i+1)] {
		last, m.end, m.stop = i+1, i+2, p.toks[i+1].end
	}
	// An English scale: 1.37 million, $1.7bn, $10m.
	if !valueSet {
		if j := p.scaleAfter(last, cur != ""); j >= 0 {
			exp += scaleOf(p.toks[j].low)
			last, m.end, m.stop, scaled = j, j+1, p.toks[j].end, true
		}
		value = parseDec(mant, exp)
	}

	// What the number counts.
	percent, multiple := false, false
	if korTok >= 0 {
		kor = p.koreanSuffix(&m, korTail, korAt, korTok, value, t, scaled)
		if m.skip {
			return m
		}
		switch kor {
		case korPercent:
			percent = true
		case korMultiple:
			multiple = true
		case korCurrency:
			if cur == "" {
				cur = m.unit
			}
		}
		if kor != korNone {
			last = m.end - 1
		}
	}
	if kor == korNone {
		if j, _ := p.percentAfter(last); j >= 0 {
			percent = true
			last, m.end, m.stop = j, j+1, p.toks[j].end
		} else if j, code := p.currencyAfter(last); j >= 0 && cur == "" {
			cur = code
			last, m.end, m.stop = j, j+1, p.toks[j].end
		} else if j := p.foldAfter(last); j >= 0 {
			multiple = true
			last, m.end, m.stop = j, j+1, p.toks[j].end
		} else if j := p.timesAfter(last); j >= 0 {
			multiple = true
			last, m.end, m.stop = j, j+1, p.toks[j].end
		}
	}
	// A Korean amount in 억 or 조 with no counter is money in won: "34억
	// 뜯은" is 3.4 billion won; counts that large name their counter.
	if valueSet && kor == korNone && cur == "" && !percent && !multiple && strings.ContainsAny(p.s[m.start:m.stop], "억조") {
		cur = "krw"
	}
	// "$732 and $776 million": the scale of the second amount is the first's.
	if !scaled && !valueSet && cur != "" && !percent && !multiple {
		if e := p.sharedScale(last); e > 0 {
			exp += e
			value = parseDec(mant, exp)
		}
	}
	// 10m and 5k alone are metres and a 5K run; "1.62m attempts" and "10m
	// users" are millions: a decimal, or a plural noun after it.
	if (p.glued(last, "m") || p.glued(last, "b") || p.glued(last, "k")) && cur == "" {
		w, k := p.nextWord(last + 1)
		if !t.frac && !(k == last+3 && len(w) > 3 && strings.HasSuffix(w, "s") && !timeUnits[w] && w != "meters" && w != "metres") {
			return p.skipRun(i)
		}
		exp += moneyScales[p.word(last+1)]
		value = parseDec(mant, exp)
		last, m.end, m.stop, scaled = last+1, last+2, p.toks[last+1].end, true
	}

	switch {
	case percent:
		m.unit, m.value = uRatio, value/100
		if !valueSet {
			m.value = parseDec(mant, exp-2)
		}
	case multiple:
		m.unit, m.value = uChange, value-1
	case cur != "":
		m.unit, m.value = cur, value
	default:
		m.unit, m.value = uCount, value
		if !scaled && !valueSet && p.notAQuantity(i, last, t, value) {
			m.skip = true
			return m
		}
		if !scaled && !valueSet {
			if r, j, ok := p.inRatio(last, value); ok {
				m.unit, m.value, m.stop, m.end, last = uRatio, r, p.toks[j].end, j+1, j
			}
		}
		if kor == korCount {
			if r, j, stop, ok := p.koreanOutOf(last, value); ok {
				m.unit, m.value, m.stop, m.end, last = uRatio, r, stop, j+1, j
			}
		}
	}
	if p.aloneOnLine(m.start, m.stop) || p.listNumber(first, last) {
		m.skip = true
		return m
	}
	p.qualify(&m, first, last)
	if percent {
		if sign := p.changeSign(&m, first, last); sign != 0 {
			m.unit, m.value = uChange, sign*m.value
		}
	}
	return m
}

func parseDec(mant string, exp int) float64 {
	v, err := strconv.ParseFloat(mant+"e"+strconv.Itoa(exp), 64)
	if err != nil {
		return 0
	}
	return v
}

func scaleOf(w string) int {
	if e, ok := scales[w]; ok {
		return e
	}
	return moneyScales[w]
}

// glued reports whether the token after i is the word w touching it.
func (p *parser) glued(i int, w string) bool {
	return i+1 < p.n() && p.adj(i, i+1) && p.word(i+1) == w
}

// scaleAfter returns the index of a scale word after the number at i, or -1.
func (p *parser) scaleAfter(i int, money bool) int {
	// $1.7-billion, 3.4-trillion-won: the scale joined by a hyphen.
	if p.sym(i+1) == "-" && p.adj(i, i+1) && p.adj(i+1, i+2) && len(p.word(i+2)) > 2 && scales[p.word(i+2)] != 0 {
		return i + 2
	}
	if i+1 < p.n() && p.adj(i, i+1) && p.toks[i+1].kind == kWord {
		w := p.toks[i+1].low
		if scales[w] != 0 || (money && moneyScales[w] != 0) {
			return i + 1
		}
		return -1
	}
	j := p.next(i)
	if j < 0 || j == i+1 {
		return -1
	}
	if w := p.word(j); w != "" && scales[w] != 0 && len(w) > 2 {
		return j
	}
	if w := p.word(j); (w == "bn" || w == "mn" || w == "tn") && money {
		return j
	}
	return -1
}

// currencyBefore finds a currency written before the number at i, and the
// index of its first token.
func (p *parser) currencyBefore(i int) (string, int) {
	j := i - 1
	if j >= 0 && p.toks[j].kind == kSpace && p.toks[j].nl == 0 && len(p.toks[j].text) == 1 {
		j-- // "$ 5" and "USD 5"
	}
	if j < 0 {
		return "", i
	}
	t := p.toks[j]
	if code, ok := currencySymbols[t.text]; ok {
		if t.text == "$" && j > 0 && p.adj(j-1, j) {
			b := p.toks[j-1]
			if b.kind == kWord {
				if c, ok := dollarPrefixes[b.low]; ok {
					return c, j - 1
				}
			}
			if b.text == "." && j > 3 && p.word(j-2) == "s" && p.word(j-4) == "u" {
				return "usd", j - 4 // U.S.$
			}
		}
		if t.text == "¥" && j > 0 && p.adj(j-1, j) && (p.word(j-1) == "cn" || p.word(j-1) == "rmb") {
			return "cny", j - 1
		}
		return code, j
	}
	if t.kind == kWord && t.text == strings.ToUpper(t.text) {
		if code := currencyCodes[t.low]; code != "" {
			return code, j
		}
	}
	if wonSign(p, i) {
		return "krw", i - 1
	}
	return "", i
}

// currencyAfter finds a currency word or code after the number ending at
// token i: "3.4 billion won", "1.7 billion US dollars", "5 million KRW".
func (p *parser) currencyAfter(i int) (int, string) {
	j := p.next(i)
	if j == i+1 && p.sym(j) == "-" && p.adj(j, j+1) {
		j++ // billion-dollar
	}
	if j < 0 || j == i+1 && p.toks[j].kind != kSpace && !p.adj(i, j) {
		return -1, ""
	}
	w := p.word(j)
	if w == "us" || w == "u" {
		// US dollars, U.S. dollars
		k := j + 1
		for k < p.n() && (p.sym(k) == "." || p.word(k) == "s") && k < j+4 {
			k++
		}
		if d, dj := p.nextWord(k - 1); d == "dollars" || d == "dollar" {
			return dj, "usd"
		}
		return -1, ""
	}
	if code := currencyWords[w]; code != "" {
		return j, code
	}
	if code := currencyCodes[w]; code != "" && p.toks[j].text == strings.ToUpper(p.toks[j].text) {
		return j, code
	}
	return -1, ""
}

// percentAfter finds the percent sign or word after the number ending at i:
// 70%, 15 percent, 40 per cent, 3 percentage points.
func (p *parser) percentAfter(i int) (int, bool) {
	if s := p.sym(i + 1); (s == "%" || s == "％") && p.adj(i, i+1) {
		if p.glued(i+1, "p") {
			return i + 2, true
		}
		return i + 1, false
	}
	if i+1 < p.n() && p.adj(i, i+1) && (p.word(i+1) == "pct" || p.word(i+1) == "percent") {
		return i + 1, false
	}
	if p.sym(i+1) == "-" && p.adj(i, i+1) && p.adj(i+1, i+2) && p.word(i+2) == "percent" {
		return i + 2, false // a 36-percent jump
	}
	j := p.next(i)
	if j < 0 {
		return -1, false
	}
	switch w := p.word(j); w {
	case "%":
		return j, false
	case "percent", "pct", "percentages":
		return j, false
	case "per":
		if c, k := p.nextWord(j); c == "cent" {
			return k, false
		}
	case "percentage":
		if c, k := p.nextWord(j); c == "points" || c == "point" {
			return k, true
		}
	}
	if s := p.sym(j); s == "%" || s == "％" {
		return j, false
	}
	return -1, false
}

// writtenFraction reads a fraction written with digits: 1/3 (a slash
// between a numerator and a denominator of at most 10, not part of a date
// such as 1/3/2024), or the Korean 3분의 1 (one in three).
func (p *parser) writtenFraction(i int) (match, bool) {
	t := p.toks[i]
	if t.comma || t.frac || t.intDigits > 2 {
		return match{}, false
	}
	num, den, last := 0.0, 0.0, -1
	switch {
	case p.sym(i+1) == "/" && p.adj(i, i+1) && i+2 < p.n() && p.adj(i+1, i+2) && p.toks[i+2].kind == kNum:
		d := p.toks[i+2]
		if d.comma || d.frac || d.intDigits > 2 || (i+3 < p.n() && p.adj(i+2, i+3) && p.toks[i+3].kind != kHangul && p.toks[i+3].kind != kSpace && p.sym(i+3) != "," && p.sym(i+3) != ".") {
			return match{}, false
		}
		if i > 0 && p.adj(i-1, i) && p.toks[i-1].kind != kSpace && p.toks[i-1].kind != kHangul && p.sym(i-1) != "(" {
			return match{}, false
		}
		num, den, last = parseDec(t.digits, 0), parseDec(d.digits, 0), i+2
	case p.hangul(i+1) == "분의" && p.adj(i, i+1):
		k := i + 2
		if k < p.n() && p.toks[k].kind == kSpace && p.toks[k].nl == 0 {
			k++
		}
		if k >= p.n() || p.toks[k].kind != kNum || p.toks[k].frac || p.toks[k].comma {
			return match{}, false
		}
		den, num, last = parseDec(t.digits, 0), parseDec(p.toks[k].digits, 0), k
	default:
		return match{}, false
	}
	if den == 0 || num >= den || den > 10 || num == 0 {
		return match{}, false
	}
	m := match{start: t.start, stop: p.toks[last].end, unit: uRatio, value: num / den, qual: qNone, end: last + 1}
	p.qualify(&m, i, last)
	if s := p.changeSign(&m, i, last); s != 0 {
		m.unit, m.value = uChange, s*m.value
	}
	return m, true
}

// pointDecimal reads "-point-" (or " point ") and the decimals after the
// integer ending at i: digits (one-point-65) or digit words (three-point-
// eight). It returns the decimal digits and the last token read.
func (p *parser) pointDecimal(i int) (string, int, bool) {
	w, j := p.nextWord(i)
	if w != "point" {
		return "", 0, false
	}
	k := j + 1
	if k < p.n() && (p.sym(k) == "-" || (p.toks[k].kind == kSpace && p.toks[k].nl == 0)) {
		k++
	} else {
		return "", 0, false
	}
	if k >= p.n() {
		return "", 0, false
	}
	if t := p.toks[k]; t.kind == kNum {
		if t.comma || t.frac || (k+1 < p.n() && p.adj(k, k+1) && p.toks[k+1].kind == kWord && scales[p.toks[k+1].low] == 0) {
			return "", 0, false
		}
		return t.digits, k, true
	}
	var digits strings.Builder
	last := -1
	for k < p.n() {
		d, ok := smallNumbers[p.word(k)]
		if !ok || d > 9 {
			break
		}
		digits.WriteByte(byte('0' + d))
		last = k
		if k+2 < p.n() && p.sym(k+1) == "-" && p.adj(k, k+1) && p.adj(k+1, k+2) {
			if _, ok := smallNumbers[p.word(k+2)]; ok {
				k += 2
				continue
			}
		}
		break
	}
	if last < 0 {
		return "", 0, false
	}
	return digits.String(), last, true
}

// sharedScale returns the scale of an amount joined to the one ending at i
// by "and", "or" or "to" ("$732 and $776 million"), or 0.
func (p *parser) sharedScale(i int) int {
	w, j := p.nextWord(i)
	if w != "and" && w != "or" && w != "to" {
		return 0
	}
	k := p.next(j)
	if k < 0 {
		return 0
	}
	if _, ok := currencySymbols[p.sym(k)]; ok && k+1 < p.n() && p.adj(k, k+1) {
		k++
	}
	if k >= p.n() || p.toks[k].kind != kNum {
		return 0
	}
	if s := p.scaleAfter(k, true); s >= 0 {
		return scaleOf(p.toks[s].low)
	}
	return 0
}

// foldAfter finds "-fold" or "fold" after the number ending at i.
func (p *parser) foldAfter(i int) int {
	if p.glued(i, "fold") {
		return i + 1
	}
	if w, j := p.nextWord(i); w == "fold" {
		return j
	}
	return -1
}

// timesAfter finds "times" before a comparative: "three times more",
// "five times as many"; "a dozen times" stays a count.
func (p *parser) timesAfter(i int) int {
	w, j := p.nextWord(i)
	if w != "times" {
		return -1
	}
	if c, _ := p.nextWord(j); comparatives[c] {
		if c == "the" {
			if d, k := p.nextWord(j + 1); d != "" {
				_ = k
				if !strings.HasSuffix(d, "er") && d != "amount" && d != "number" && d != "size" && d != "level" && d != "value" {
					return -1
				}
			}
		}
		return j
	}
	return -1
}

// koreanOutOf reads "M건 중 N건" or "M명 가운데 N명" (N out of M) after the count M ending at
// token last: the ratio N/M.
func (p *parser) koreanOutOf(last int, total float64) (float64, int, int, bool) {
	j := p.next(last)
	if j != last+2 || (p.hangul(j) != "중" && p.hangul(j) != "가운데") {
		return 0, 0, 0, false
	}
	k := p.next(j)
	if k != j+2 || p.toks[k].kind != kNum || k+1 >= p.n() || !p.adj(k, k+1) || p.toks[k+1].kind != kHangul {
		return 0, 0, 0, false
	}
	counter, ok := longestKorean(p.toks[k+1].text)
	if !ok || !strings.HasPrefix(p.s[p.toks[last].start:p.toks[last].end], counter) && !strings.Contains(p.toks[last].text, counter) {
		return 0, 0, 0, false
	}
	n := parseDec(p.toks[k].digits, 0)
	if total == 0 || n > total {
		return 0, 0, 0, false
	}
	return n / total, k + 1, p.toks[k+1].start + len(counter), true
}
