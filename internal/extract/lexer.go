package extract

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// kind is what a token of the text is. The grammar (grammar.go) works on
// tokens, never on raw bytes, so that every rule sees the same boundaries.
type kind uint8

const (
	kSpace  kind = iota // a run of white space
	kNum                // ASCII digits, with thousands separators and one decimal part
	kWord               // a run of letters other than Hangul
	kHangul             // a run of Hangul syllables (Korean glues units and particles to numbers)
	kSym                // one rune of anything else (punctuation, symbols, invalid bytes)
)

// token is one token of a chunk. start and end are byte offsets into the
// chunk; text is chunk[start:end] for every kind, low its lower case for
// words.
type token struct {
	kind       kind
	start, end int
	text       string
	low        string // kWord: lower case; others: text
	nl         int    // kSpace: newlines in it
	digits     string // kNum: the digits with separators removed, decimal point kept
	comma      bool   // kNum: written with thousands separators
	frac       bool   // kNum: has a decimal part
	intDigits  int    // kNum: digits before the decimal point
	leadZero   bool   // kNum: starts with 0 and has more digits before the point (a code, not a quantity)
	upperFirst bool   // kWord: starts with an upper-case letter
}

func isHangul(r rune) bool {
	return (r >= 0xAC00 && r <= 0xD7A3) || (r >= 0x1100 && r <= 0x11FF) || (r >= 0x3130 && r <= 0x318F)
}

func isDigit(b byte) bool { return b >= '0' && b <= '9' }

// lex splits s into tokens, appending to toks (reused between chunks so that
// a large input allocates one token slice).
func lex(s string, toks []token) []token {
	if want := len(s)/3 + 16; cap(toks) < want {
		toks = make([]token, 0, want) // articles average a token per 3-4 bytes
	}
	toks = toks[:0]
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case isDigit(c):
			t := lexNumber(s, i)
			toks = append(toks, t)
			i = t.end
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		start := i
		switch {
		case unicode.IsSpace(r):
			nl := 0
			for i < len(s) {
				r, size := utf8.DecodeRuneInString(s[i:])
				if !unicode.IsSpace(r) {
					break
				}
				if r == '\n' {
					nl++
				}
				i += size
			}
			toks = append(toks, token{kind: kSpace, start: start, end: i, text: s[start:i], low: s[start:i], nl: nl})
		case isHangul(r):
			for i < len(s) {
				r, size := utf8.DecodeRuneInString(s[i:])
				if !isHangul(r) {
					break
				}
				i += size
			}
			toks = append(toks, token{kind: kHangul, start: start, end: i, text: s[start:i], low: s[start:i]})
		case unicode.IsLetter(r):
			upper := unicode.IsUpper(r)
			for i < len(s) {
				r, size := utf8.DecodeRuneInString(s[i:])
				if !(unicode.IsLetter(r) || unicode.IsMark(r)) || isHangul(r) {
					break
				}
				i += size
			}
			text := s[start:i]
			toks = append(toks, token{kind: kWord, start: start, end: i, text: text, low: lower(text), upperFirst: upper})
		default:
			i += size
			toks = append(toks, token{kind: kSym, start: start, end: i, text: s[start:i], low: s[start:i]})
		}
	}
	return toks
}

// lower is strings.ToLower without an allocation for words already in lower
// case, which most words of an article are.
func lower(s string) string {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x80 || (c >= 'A' && c <= 'Z') {
			return strings.ToLower(s)
		}
	}
	return s
}

// lexNumber reads digits ( "," ddd )* ( "." digits )? at i. A comma is a
// thousands separator only after a first group of one to three digits and
// before exactly three digits; a point is a decimal point only before a
// digit. Anything else ends the number.
func lexNumber(s string, i int) token {
	start := i
	for i < len(s) && isDigit(s[i]) {
		i++
	}
	first := i - start
	t := token{kind: kNum, start: start}
	// The common case, digits alone, needs no copy.
	if !(i+1 < len(s) && (s[i] == ',' || s[i] == '.') && isDigit(s[i+1])) {
		t.end, t.text, t.low, t.digits, t.intDigits = i, s[start:i], s[start:i], s[start:i], first
		t.leadZero = first > 1 && s[start] == '0'
		return t
	}
	var b strings.Builder
	b.WriteString(s[start:i])
	if first <= 3 {
		for i+3 < len(s) && s[i] == ',' && isDigit(s[i+1]) && isDigit(s[i+2]) && isDigit(s[i+3]) && (i+4 >= len(s) || !isDigit(s[i+4])) {
			b.WriteString(s[i+1 : i+4])
			i += 4
			t.comma = true
		}
	}
	t.intDigits = b.Len()
	if i+1 < len(s) && s[i] == '.' && isDigit(s[i+1]) {
		j := i + 1
		for j < len(s) && isDigit(s[j]) {
			j++
		}
		b.WriteString(s[i:j])
		i = j
		t.frac = true
	}
	t.end = i
	t.text = s[start:i]
	t.low = t.text
	t.digits = b.String()
	t.leadZero = t.intDigits > 1 && s[start] == '0'
	return t
}
