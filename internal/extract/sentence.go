package extract

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// maxReach bounds how far (in bytes) a quote reaches each way from its
// number: a sentence longer than that (a run of text without punctuation,
// or a hostile input) is cut at a space, which keeps extraction linear in
// the input.
const maxReach = 600

// maxQuote is the length above which a sentence is narrowed to the clause
// (between ; : – — or parentheses) that holds the number.
const maxQuote = 320

// sentenceAt returns the byte span of the sentence of s that holds
// [start, stop): from after the previous sentence end to after the next one,
// spaces trimmed. A sentence ends at . ! ? or 。 before a space (not after
// an abbreviation, an initial or inside a number), at a blank line, or at a
// line break unless the next line starts in lower case (a hard-wrapped
// paragraph).
func sentenceAt(s string, start, stop int) (int, int) {
	a := sentenceStart(s, start)
	b := sentenceEnd(s, stop)
	a, b = trimSpan(s, a, b)
	if b-a > maxQuote {
		a, b = clauseAt(s, a, b, start, stop)
	}
	return a, b
}

func sentenceStart(s string, start int) int {
	lo := start - maxReach
	if lo < 0 {
		lo = 0
	}
	for i := start; i > lo; {
		r, size := utf8.DecodeLastRuneInString(s[:i])
		if r == '\n' && lineBreakEnds(s, i-size) {
			return i
		}
		if unicode.IsSpace(r) && i-size > 0 && sentenceEndsBefore(s, i-size) {
			return i
		}
		i -= size
	}
	if lo == 0 {
		return 0
	}
	// Too far: start at the next space after lo.
	if k := strings.IndexFunc(s[lo:start], unicode.IsSpace); k >= 0 {
		return lo + k + 1
	}
	return start
}

func sentenceEnd(s string, stop int) int {
	hi := stop + maxReach
	if hi > len(s) {
		hi = len(s)
	}
	for i := stop; i < hi; {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == '\n' && lineBreakEnds(s, i) {
			return i
		}
		if unicode.IsSpace(r) && sentenceEndsBefore(s, i) {
			return i
		}
		i += size
	}
	if hi == len(s) {
		return hi
	}
	if k := strings.LastIndexFunc(s[stop:hi], unicode.IsSpace); k >= 0 {
		return stop + k
	}
	return stop
}

// lineBreakEnds reports whether the line break at s[i] ends a sentence: a
// blank line or a next line that does not start in lower case.
func lineBreakEnds(s string, i int) bool {
	j := i + 1
	for j < len(s) && (s[j] == ' ' || s[j] == '\t' || s[j] == '\r') {
		j++
	}
	if j >= len(s) || s[j] == '\n' {
		return true
	}
	r, _ := utf8.DecodeRuneInString(s[j:])
	return !unicode.IsLower(r)
}

// sentenceEndsBefore reports whether the space at s[i] follows the end of a
// sentence.
func sentenceEndsBefore(s string, i int) bool {
	j := i
	// closing quotes and brackets after the point: ." .” .)
	for j > 0 {
		r, size := utf8.DecodeLastRuneInString(s[:j])
		if r == '"' || r == '”' || r == '’' || r == '\'' || r == ')' || r == ']' || r == '»' {
			j -= size
			continue
		}
		break
	}
	if j == 0 {
		return false
	}
	r, size := utf8.DecodeLastRuneInString(s[:j])
	switch r {
	case '!', '?', '。', '！', '？':
		return true
	case '.':
	default:
		return false
	}
	// What precedes the point: an abbreviation or an initial does not end
	// a sentence (Rep. Yoo, Anthony V. Rinna, U.S. officials).
	k := j - size
	w := k
	for w > 0 {
		r, size := utf8.DecodeLastRuneInString(s[:w])
		if !(unicode.IsLetter(r) || r == '.') {
			break
		}
		w -= size
	}
	word := strings.ToLower(s[w:k])
	if abbreviations[strings.TrimSuffix(word, ".")] {
		// ... unless the next word starts a sentence after a month: rare
		return false
	}
	if initialism(word) {
		return false // U.S., J.D., U.N.
	}
	if utf8.RuneCountInString(word) == 1 {
		if r, _ := utf8.DecodeRuneInString(word); unicode.Is(unicode.Latin, r) {
			return false // an initial
		}
	}
	// The next word in lower case continues the sentence.
	n := i
	for n < len(s) && (s[n] == ' ' || s[n] == '\t') {
		n++
	}
	if n < len(s) {
		r, _ := utf8.DecodeRuneInString(s[n:])
		if unicode.IsLower(r) {
			return false
		}
	}
	return true
}

// trimSpan trims white space and list bullets at both ends of s[a:b].
func trimSpan(s string, a, b int) (int, int) {
	for a < b {
		r, size := utf8.DecodeRuneInString(s[a:])
		if !unicode.IsSpace(r) && r != '•' && r != '·' && r != '▶' && r != '■' && r != '□' && r != '◆' && r != '-' && r != '*' {
			break
		}
		a += size
	}
	for b > a {
		r, size := utf8.DecodeLastRuneInString(s[a:b])
		if !unicode.IsSpace(r) {
			break
		}
		b -= size
	}
	return a, b
}

// clauseAt narrows the long sentence s[a:b] to the clause holding
// [start, stop), between the nearest ; : – — or parentheses around it. A
// parenthesis closed before the number (or opened after it) is skipped
// whole: "(NIS), North Korea's ... totaled $13.55 billion" is one clause.
func clauseAt(s string, a, b, start, stop int) (int, int) {
	ca, cb := a, b
	depth := 0
back:
	for i := start; i > a; {
		r, size := utf8.DecodeLastRuneInString(s[a:i])
		switch {
		case r == ')':
			depth++
		case r == '(' && depth > 0:
			depth--
		case depth == 0 && (r == ';' || r == '–' || r == '—' || r == '(' || (r == ':' && i < len(s) && s[i] == ' ')):
			ca = i
			break back
		}
		i -= size
	}
	depth = 0
fwd:
	for i := stop; i < b; {
		r, size := utf8.DecodeRuneInString(s[i:b])
		switch {
		case r == '(':
			depth++
		case r == ')' && depth > 0:
			depth--
		case depth == 0 && (r == ';' || r == '–' || r == '—' || r == ')' || (r == ':' && i+1 < len(s) && s[i+1] == ' ')):
			cb = i
			break fwd
		}
		i += size
	}
	ca, cb = trimSpan(s, ca, cb)
	if cb <= ca || start < ca || stop > cb {
		return a, b
	}
	return ca, cb
}

// foldSpace replaces every run of white space with one space, the way
// `check --seeds.dir` compares quotes; s is returned unchanged (not
// copied) when it has no such run.
func foldSpace(s string) string {
	clean := true
	prevSpace := false
	for _, r := range s {
		sp := unicode.IsSpace(r)
		if sp && (r != ' ' || prevSpace) {
			clean = false
			break
		}
		prevSpace = sp
	}
	if clean {
		return s
	}
	return strings.Join(strings.Fields(s), " ")
}

// initialism reports whether w is letters joined by points, one or two
// letters each (u.s, j.d, e.g).
func initialism(w string) bool {
	if !strings.Contains(w, ".") {
		return false
	}
	for _, part := range strings.Split(w, ".") {
		if n := utf8.RuneCountInString(part); n == 0 || n > 2 {
			return false
		}
	}
	return true
}
