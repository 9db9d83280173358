package extract

import "strings"

// wordNumber parses an expression that starts with a word: number words
// (four, twenty-five, a dozen, two million), fractions (half, a third,
// four-fifths, one in five), multiples (three-fold, tripled, twice as).
func (p *parser) wordNumber(i int) (match, bool) {
	t := p.toks[i]
	w := t.low
	m := match{start: t.start, stop: t.end, unit: uChange, qual: qNone, end: i + 1}

	// Multiples written as one word: doubled, tripled, halved, threefold.
	if f, ok := multipleVerbs[w]; ok {
		m.value = f - 1
		p.qualify(&m, i, i)
		return m, true
	}
	if strings.HasSuffix(w, "fold") && len(w) > 4 {
		if v, ok := singleNumberWord(w[:len(w)-4]); ok && v > 1 {
			m.value = v - 1
			p.qualify(&m, i, i)
			return m, true
		}
		return match{}, false
	}
	// twice as many, twice the number; more than double the previous year
	if f, ok := multipleWords[w]; ok {
		if n, _ := p.nextWord(i); n == "as" || n == "the" || n == "that" || n == "its" || n == "their" || n == "from" {
			m.value = f - 1
			p.qualify(&m, i, i)
			return m, true
		}
		return match{}, false
	}

	// Fractions: "half", "a third", "one-quarter".
	if w == "half" {
		// half a million: a scaled count
		if a, j := p.nextWord(i); a == "a" {
			if sc, k := p.nextWord(j); scales[sc] >= 3 {
				m := match{start: t.start, stop: p.toks[k].end, unit: uCount, value: 0.5 * pow10(scales[sc]), qual: qNone, end: k + 1}
				if jc, code := p.currencyAfter(k); jc >= 0 {
					m.unit, m.stop, m.end = code, p.toks[jc].end, jc+1
				}
				p.qualify(&m, i, m.end-1)
				return m, true
			}
		}
		return p.fraction(i, i, 1, 2)
	}
	if w == "a" || w == "an" || w == "one" {
		if d, j := p.nextWord(i); denominators[d] != 0 && !strings.HasSuffix(d, "s") {
			return p.fraction(i, j, 1, denominators[d])
		}
	}

	v, last, ok := p.wordValue(i)
	if !ok {
		return match{}, false
	}
	// one-point-two trillion: spelt-out decimals, then a scale.
	pointed := false
	if frac, j, ok := p.pointDecimal(last); ok {
		v += parseDec("0."+frac, 0)
		last, pointed = j, true
		if s, k := p.nextWord(last); scales[s] >= 3 {
			v *= pow10(scales[s])
			last = k
		}
	}
	m.stop, m.end = p.toks[last].end, last+1

	// A fraction: two-thirds, four-fifths, three quarters.
	if d, j := p.nextWord(last); denominators[d] != 0 && v >= 1 && v < float64(denominators[d]) {
		return p.fraction(i, j, v, denominators[d])
	}
	// An ordinal: twenty-first.
	if d, _ := p.nextWord(last); ordinalWords[d] && p.sym(last+1) == "-" {
		return match{skip: true, end: last + 3}, true
	}
	// "one in five", "nine out of ten": a ratio.
	if r, j, ok := p.inRatio(last, v); ok {
		m.unit, m.value, m.stop, m.end = uRatio, r, p.toks[j].end, j+1
		p.qualify(&m, i, j)
		return m, true
	}
	scaled := false
	for k := i; k <= last; k++ {
		if scales[p.toks[k].low] >= 3 {
			scaled = true
		}
	}
	switch {
	case p.foldAfter(last) >= 0:
		j := p.foldAfter(last)
		m.unit, m.value, m.stop, m.end = uChange, v-1, p.toks[j].end, j+1
		p.qualify(&m, i, j)
		return m, true
	case p.timesAfter(last) >= 0:
		j := p.timesAfter(last)
		m.unit, m.value, m.stop, m.end = uChange, v-1, p.toks[j].end, j+1
		p.qualify(&m, i, j)
		return m, true
	}
	if j, _ := p.percentAfter(last); j >= 0 {
		m.unit, m.value, m.stop, m.end = uRatio, v/100, p.toks[j].end, j+1
		p.qualify(&m, i, j)
		if s := p.changeSign(&m, i, j); s != 0 {
			m.unit, m.value = uChange, s*m.value
		}
		return m, true
	}
	if j, code := p.currencyAfter(last); j >= 0 {
		m.unit, m.value, m.stop, m.end = code, v, p.toks[j].end, j+1
		p.qualify(&m, i, j)
		return m, true
	}
	// A lone "one" is an article more often than a number ("one official
	// said"); "zero-day" is a kind of vulnerability.
	if !scaled && !pointed && (w == "one" && last == i) {
		return match{}, false
	}
	if w == "zero" {
		if n, _ := p.nextWord(last); n == "day" || n == "trust" || n == "click" || n == "sum" {
			return match{skip: true, end: last + 1}, true
		}
	}
	if p.ageOrAgo(i, last) || p.isPeriod(i, last) || p.aloneOnLine(m.start, m.stop) {
		return match{skip: true, end: last + 1}, true
	}
	m.unit, m.value = uCount, v
	p.qualify(&m, i, last)
	return m, true
}

// ageOrAgo reports whether a count is an age (aged five, five years old), a
// relative time (two days ago) or another descriptor (a five-year plan).
func (p *parser) ageOrAgo(i, last int) bool {
	if ws, _ := p.wordsBefore(i, 1); len(ws) == 1 && (ws[0] == "aged" || referenceWords[ws[0]]) {
		return true
	}
	return p.descriptor(last)
}

// fraction makes the ratio num/den of tokens i..j. A fraction is taken only
// where it cannot be an ordinal or a period: written with a hyphen
// (two-thirds), before "of" or "the" (half of the attacks), or after "by",
// "than", "in" or a hedge (fell by a third, more than half, cut in half).
func (p *parser) fraction(i, j int, num float64, den int) (match, bool) {
	m := match{start: p.toks[i].start, stop: p.toks[j].end, unit: uRatio, value: num / float64(den), qual: qNone, end: j + 1}
	ok := i != j && p.sym(i+1) == "-" && p.adj(i, i+1)
	next, _ := p.nextWord(j)
	if next == "of" || next == "the" {
		ok = true
	}
	ws, _ := p.wordsBefore(i, 3)
	if len(ws) > 0 {
		switch ws[0] {
		case "by", "than", "in", "nearly", "almost", "about", "roughly", "around", "over", "under", "some", "approximately", "just", "only", "fully":
			ok = true
		}
		if ordinalWords[ws[0]] {
			ok = false // the first half, the second quarter
		}
	}
	switch next {
	case "year", "years", "hour", "hours", "time", "century", "decade", "month", "months", "day", "days", "an", "a", "way", "dozen", "point", "percent", "mile":
		ok = false
	}
	if p.sym(j+1) == "-" && p.adj(j, j+1) {
		ok = false // half-year, a third-party
	}
	if !ok {
		return match{}, false
	}
	p.qualify(&m, i, j)
	if s := p.changeSign(&m, i, j); s != 0 {
		m.unit, m.value = uChange, s*m.value
	}
	return m, true
}

// inRatio reads "in five" or "out of ten" after a numerator v ending at
// last, and returns v/den, for the denominators of a share (up to ten, 100,
// 1000, or after "every").
func (p *parser) inRatio(last int, v float64) (float64, int, bool) {
	w, j := p.nextWord(last)
	if w == "out" {
		if o, k := p.nextWord(j); o == "of" {
			j = k
		} else {
			return 0, 0, false
		}
	} else if w != "in" {
		return 0, 0, false
	}
	k := p.next(j)
	every := p.word(k) == "every"
	if every {
		k = p.next(k) // 7 out of every 10
	}
	if k < 0 {
		return 0, 0, false
	}
	var den float64
	end := k
	switch p.toks[k].kind {
	case kNum:
		t := p.toks[k]
		if t.frac || t.comma || t.intDigits > 3 || p.junk(k) {
			return 0, 0, false
		}
		den = parseDec(t.digits, 0)
	case kWord:
		d, l, ok := p.wordValue(k)
		if !ok {
			return 0, 0, false
		}
		den, end = d, l
	default:
		return 0, 0, false
	}
	if den <= v || den == 0 || den > 1000 {
		return 0, 0, false
	}
	// "8 out of 10", "one in five", "7 out of every 13" state a share;
	// "ten out of 83 companies" counts ten companies among 83 (two counts).
	if !every && den > 10 && den != 100 && den != 1000 {
		return 0, 0, false
	}
	return v / den, end, true
}

// singleNumberWord is the value of one number word (two, ten, hundred).
func singleNumberWord(w string) (float64, bool) {
	if v, ok := smallNumbers[w]; ok {
		return float64(v), true
	}
	if v, ok := tens[w]; ok {
		return float64(v), true
	}
	switch w {
	case "hundred":
		return 100, true
	case "thousand":
		return 1000, true
	}
	return 0, false
}

// wordValue reads number words from i: "four", "twenty-five", "three
// hundred and twelve", "a dozen", "two million", "a hundred". Words are
// joined by single spaces or hyphens; "and" only after hundred.
func (p *parser) wordValue(i int) (float64, int, bool) {
	var total, cur float64
	last := -1
	seen := false
	j := i
	w := p.word(j)
	if w == "a" || w == "an" {
		n, k := p.nextWord(j)
		if n != "hundred" && n != "thousand" && n != "million" && n != "billion" && n != "trillion" && n != "dozen" {
			return 0, 0, false
		}
		cur, j, w = 1, k, n
	}
	if cur == 0 && smallNumbers[w] == 0 && w != "zero" && tens[w] == 0 {
		return 0, 0, false // a scale word alone ("billion dollars") starts no number
	}
	prevSmall := false
	for j >= 0 {
		switch {
		case smallNumbers[w] != 0 || w == "zero":
			if prevSmall {
				goto done
			}
			cur += float64(smallNumbers[w])
			prevSmall = true
		case tens[w] != 0:
			if prevSmall {
				goto done
			}
			cur += float64(tens[w])
			prevSmall = false
		case w == "hundred":
			if cur == 0 {
				cur = 1
			}
			cur *= 100
			prevSmall = false
		case w == "dozen":
			if cur == 0 {
				cur = 1
			}
			cur *= 12
			prevSmall = false
		case w == "thousand" || w == "million" || w == "billion" || w == "trillion":
			if cur == 0 {
				cur = 1
			}
			total += cur * pow10(scales[w])
			cur = 0
			prevSmall = false
		case w == "and" && seen:
			n, _ := p.nextWord(j)
			if _, ok := singleNumberWord(n); !ok || n == "hundred" || n == "thousand" {
				goto done
			}
			prevSmall = false
			w, j = p.nextWord(j)
			continue
		default:
			goto done
		}
		seen, last = true, j
		// Tens then units: twenty-five, twenty five.
		if tens[w] != 0 {
			prevSmall = false
		}
		w, j = p.nextWord(j)
		if tens[p.word(last)] != 0 && smallNumbers[w] != 0 {
			cur += float64(smallNumbers[w])
			last = j
			prevSmall = true
			w, j = p.nextWord(j)
		}
	}
done:
	if !seen {
		return 0, 0, false
	}
	return total + cur, last, true
}

func pow10(e int) float64 {
	v := 1.0
	for ; e > 0; e-- {
		v *= 10
	}
	return v
}
