package extract

// The rules that recognise a number as something other than a figure (a
// year, a date, a time, an age, a reference, a code, a phone number, list
// numbering, the period a figure covers), so that it is consumed and not
// proposed.

import (
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// skipRun consumes the run of touching non-space tokens from i: a code, a
// time, a date written in digits, a phone number, a file name.
func (p *parser) skipRun(i int) match {
	j := i + 1
	for j < p.n() && p.toks[j].kind != kSpace && p.adj(j-1, j) {
		j++
	}
	return match{skip: true, end: j}
}

// phoneRun consumes a phone number from its country code at i: digit
// groups separated by spaces, hyphens or points (+82 2 1234 5678).
func (p *parser) phoneRun(i int) match {
	j := i + 1
	for j < p.n() {
		t := p.toks[j]
		if (t.kind == kSpace && t.nl == 0) || t.text == "-" || t.text == "." || t.text == ")" || t.text == "(" || (t.kind == kNum && !t.comma && !t.frac) {
			j++
			continue
		}
		break
	}
	return match{skip: true, end: j}
}

// wonSign reports whether the number at i follows the letter W that Korean
// English-language papers write for the won sign (W3.4 billion, W500,000):
// only before an amount, not in a code such as W3.
func wonSign(p *parser, i int) bool {
	if i == 0 || p.toks[i-1].text != "W" || !p.adj(i-1, i) || (i > 1 && p.adj(i-2, i-1) && p.toks[i-2].kind != kSpace && p.sym(i-2) != "(") {
		return false
	}
	return p.toks[i].comma || p.scaleAfter(i, true) >= 0
}

// junk reports whether the number at i is part of something that is not a
// quantity: glued to letters (F1, 5G, 123RF, i3), in a code or file name
// (20240102_0.jpg), a time (18:41), a date or version written with points
// or slashes (2023.07.19, 1/3/2024, v1.2), a digit group of a phone number
// or of a range (02-123-4567, 2017-2023), an ordinal (8th), a decade (1990s).
func (p *parser) junk(i int) bool { return p.junkIn(i, false) }

// junkIn is junk; inRange leaves out the token before i (the range's
// dash or tilde).
func (p *parser) junkIn(i int, inRange bool) bool {
	t := p.toks[i]
	if t.leadZero {
		return true
	}
	if i > 0 && p.adj(i-1, i) && !inRange {
		b := p.toks[i-1]
		switch b.kind {
		case kWord:
			if !(currencyCodes[b.low] != "" && b.text == strings.ToUpper(b.text)) && !wonSign(p, i) {
				return true
			}
		case kNum:
			return true
		case kSym:
			switch b.text {
			case "_", "#", "@", "/", "\\", "&", "=", "?", "№", "·":
				return true
			case ".", ":", "-", "–":
				if i > 1 && p.adj(i-2, i-1) && (p.toks[i-2].kind == kWord || p.toks[i-2].kind == kNum) {
					return true
				}
			case "+":
				if !(i > 1 && p.adj(i-2, i-1) && p.toks[i-2].kind != kSpace) && p.sym(i+1) != "%" {
					return true // a country calling code
				}
			}
		}
	}
	if i+1 < p.n() && p.adj(i, i+1) {
		a := p.toks[i+1]
		switch a.kind {
		case kWord:
			if scales[a.low] == 0 && moneyScales[a.low] == 0 && !dataUnits[a.low] && a.low != "fold" && a.low != "pct" && a.low != "percent" && a.low != "million" {
				return true
			}
		case kSym:
			if i+2 < p.n() && p.adj(i+1, i+2) {
				c := p.toks[i+2]
				switch a.text {
				case ".", ":", "/", "_", "@", "·":
					if c.kind == kNum || c.kind == kWord {
						return true
					}
				case "-", "–":
					if c.kind == kNum {
						return true
					}
				}
			}
			if a.text == "_" || a.text == "@" {
				return true
			}
		}
	}
	return false
}

// yearWords before a four-digit number make it a year ("in 2000", "the
// 2023 audit"); without one, a plural noun after it makes it a count ("2000
// attacks").
var yearWords = map[string]bool{
	"in": true, "since": true, "from": true, "by": true, "of": true, "until": true, "till": true, "to": true,
	"the": true, "and": true, "between": true, "during": true, "before": true, "after": true, "early": true,
	"late": true, "mid": true, "through": true, "for": true, "year": true, "fiscal": true, "fy": true, "or": true,
	"its": true, "this": true, "that": true, "as": true, "on": true, "at": true, "within": true, "than": true,
}

// countNotYear reports whether the four-digit number at i..last counts
// something: a plural noun after it and no word of dates before it.
func (p *parser) countNotYear(i, last int) bool {
	w, k := p.nextWord(last)
	if k != last+2 || len(w) < 4 || !strings.HasSuffix(w, "s") || p.toks[k].upperFirst {
		return false
	}
	ws, _ := p.wordsBefore(i, 1)
	return len(ws) == 0 || !yearWords[ws[0]]
}

// periodWords (after "the") before a count of time units make it a
// period: "the first nine months", "the past two years".
var periodWords = map[string]bool{"first": true, "last": true, "past": true, "next": true, "previous": true, "coming": true, "recent": true, "final": true, "initial": true}

// isPeriod reports whether the count at tokens i..last names the period
// a figure covers, not a figure: a time unit after it, and before it "the
// first/past/next ..." or a preposition of time ("over five years", "in
// just two years", "within three months").
func (p *parser) isPeriod(i, last int) bool {
	w, _ := p.nextWord(last)
	if !timeUnits[w] && w != "quarters" && w != "decades" {
		return false
	}
	ws, _ := p.wordsBefore(i, 3)
	if len(ws) > 0 && (ws[0] == "just" || ws[0] == "only") {
		ws = ws[1:]
	}
	if len(ws) == 0 {
		return false
	}
	if periodPrepositions[ws[0]] {
		return true
	}
	// "to last two months" is a duration, "the last two months" a period.
	return len(ws) > 1 && periodWords[ws[0]] && (ws[1] == "the" || ws[1] == "its" || ws[1] == "their" || ws[1] == "this")
}

// periodPrepositions before a count of time units make it a period.
var periodPrepositions = map[string]bool{"over": true, "within": true, "during": true, "in": true, "throughout": true, "spanning": true}

// notAQuantity reports whether a plain count at tokens i..last is a year, a
// date, a time, an age, a reference (page 5) or a relative time (3 days ago).
func (p *parser) notAQuantity(i, last int, t token, v float64) bool {
	small := !t.comma && !t.frac
	if small && t.intDigits == 4 && v >= 1800 && v <= 2100 && !p.countNotYear(i, last) {
		return true // a year
	}
	if p.isPeriod(i, last) {
		return true
	}
	// A month before (Nov. 1, July 19) or after (19 July) a day number.
	if small && t.intDigits <= 2 && v >= 1 && v <= 31 {
		j := p.prev(i)
		if p.sym(j) == "," {
			j = p.prev(j)
		}
		if p.sym(j) == "." {
			j--
		}
		if months[p.word(j)] {
			return true
		}
		if w, _ := p.nextWord(last); months[w] {
			return true
		}
		if w, k := p.nextWord(last); w == "of" {
			if m, _ := p.nextWord(k); months[m] {
				return true
			}
		}
	}
	// Times: 10 a.m., 3pm, 9 o'clock, 14:00 (the last is junk already).
	if w, k := p.nextWord(last); w == "am" || w == "pm" || w == "gmt" || w == "kst" || w == "utc" || w == "hrs" {
		return true
	} else if (w == "a" || w == "p") && p.sym(k+1) == "." && p.word(k+2) == "m" {
		return true
	} else if w == "o" && p.sym(k+1) == "'" || w == "o" && p.sym(k+1) == "’" {
		return true
	}
	// Ages: 45-year-old, 45 years old, aged 45.
	if w, k := p.nextWord(last); w == "year" || w == "years" {
		if o, _ := p.nextWord(k); o == "old" {
			return true
		}
		if o, _ := p.nextWord(k); o == "ago" {
			return true
		}
	}
	if ws, _ := p.wordsBefore(i, 1); len(ws) == 1 && (ws[0] == "aged" || ws[0] == "age" || ws[0] == "per" || referenceWords[ws[0]]) {
		return true // "per 100,000 people" is the denominator of a rate
	}
	// "No. 5", "p. 12", "Vol. 3"
	if j := p.prev(i); p.sym(j) == "." && referenceWords[p.word(j-1)] {
		return true
	}
	if j := p.prev(i); koreanReferenceWords[p.hangul(j)] {
		return true // 댓글 0, 조회 1,204
	}
	if j := p.prev(i); p.sym(j) == "#" {
		return true
	}
	// "Page 2 of 3", "part 1 of 4": the total of a reference.
	if ws, at := p.wordsBefore(i, 1); len(ws) == 1 && ws[0] == "of" {
		if k := p.prev(at[0]); k >= 0 && p.toks[k].kind == kNum {
			if rw, _ := p.wordsBefore(k, 1); len(rw) == 1 && referenceWords[rw[0]] {
				return true
			}
		}
	}
	if p.descriptor(last) {
		return true
	}
	// A footnote [1], or a parenthesised small number (an age after a name,
	// a list marker).
	if p.sym(i-1) == "[" && p.sym(last+1) == "]" {
		return true
	}
	if p.sym(i-1) == "(" && p.sym(last+1) == ")" && small && v <= 150 {
		return true
	}
	// An age between commas after a name: "Kim, 45, was arrested".
	if small && v <= 120 && p.sym(last+1) == "," {
		if j := p.prev(i); p.sym(j) == "," && j > 0 && p.toks[j-1].kind == kWord && p.toks[j-1].upperFirst {
			return true
		}
	}
	// The rest of an ordinal or a score written as words: "the 3-0 win" is
	// junk already.
	return false
}

// descriptor reports whether the words after a count ending at last make it
// a descriptor, not a figure: a relative time or reading time (3 days ago,
// 5 min read), a length of time used as an adjective (a 24-hour watch, the
// five-year plan), or a page counter (0 Comments).
func (p *parser) descriptor(last int) bool {
	w, k := p.nextWord(last)
	if timeUnits[w] {
		if o, _ := p.nextWord(k); o == "ago" || o == "read" || o == "old" {
			return true
		}
		if p.sym(last+1) == "-" && p.adj(last, last+1) && !strings.HasSuffix(w, "s") {
			return true // 24-hour, five-year
		}
	}
	return pageCounters[w] && k == last+2
}

// aloneOnLine reports whether the line of the span [start, stop) holds no
// letter besides the span: a page number, a list marker, a comment count.
// It counts with prefix sums of letters and the places of line breaks,
// built once per chunk, so that a long line of digits costs no more than
// a short one.
func (p *parser) aloneOnLine(start, stop int) bool {
	if p.letters == nil {
		p.letters = make([]int32, len(p.s)+1)
		for i, r := range p.s {
			n := p.letters[i]
			if unicode.IsLetter(r) {
				n++
			}
			_, size := utf8.DecodeRuneInString(p.s[i:])
			for k := 1; k <= size; k++ {
				p.letters[i+k] = n
			}
			if r == '\n' {
				p.breaks = append(p.breaks, i)
			}
		}
	}
	k := sort.SearchInts(p.breaks, start) // first break at or after start
	lineStart, lineEnd := 0, len(p.s)
	if k > 0 {
		lineStart = p.breaks[k-1] + 1
	}
	if k < len(p.breaks) {
		lineEnd = p.breaks[k]
	}
	inLine := p.letters[lineEnd] - p.letters[lineStart]
	inSpan := p.letters[stop] - p.letters[start]
	return inLine == inSpan
}

// listNumber reports whether the number is the numbering of a list item:
// at the start of a line, followed by "." or ")" and a space.
func (p *parser) listNumber(first, last int) bool {
	if first != last {
		return false
	}
	if s := p.sym(last + 1); s != "." && s != ")" {
		return false
	}
	if last+2 < p.n() && p.toks[last+2].kind != kSpace {
		return false
	}
	for j := first - 1; j >= 0; j-- {
		t := p.toks[j]
		if t.kind == kSpace {
			if t.nl > 0 {
				return true
			}
			continue
		}
		if t.kind == kSym && strings.ContainsAny(t.text, "•*·-–(") {
			continue
		}
		return false
	}
	return true
}
