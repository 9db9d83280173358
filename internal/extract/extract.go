// Package extract proposes figures from the text of an article, English or
// Korean: every quantitative statement it finds becomes a Candidate with
// its value in base units, its unit, its hedge and the sentence that states
// it, for a curator to review and paste into a figures file.
//
// The grammar is in grammar.go (digits, scales, currencies, percentages,
// multiples, ranges), numwords.go (number words, fractions, "one in five"),
// korean.go (만/억/조 with 천/백/십, counters, 원/달러, 배, 여/이상/미만 ...) and
// context.go (hedges, and the words that make a percentage a change).
// skip.go recognises what is not a figure, so that it is consumed and not
// proposed: years, dates, times, ages, ordinals, references (page 5,
// Section 3, Unit 180), phone numbers, codes glued to letters (F1, 5G),
// list numbering, numbers alone on a line, page counters (Comments 3), the
// period a figure covers (over five years, 5년간) and the denominators of
// rates (per 100,000 people, 1인당).
//
// Positions: Line and Column are 1-based, and Column counts characters
// (runes), not bytes, as yaml.v3 and so `figures_exporter check` report
// columns. They point into the text extraction ran on: for a plain-text
// file, the file itself; for HTML, the text Text reduced it to (which
// `extract --format=text` prints, and which is what should be saved as the
// source's seed file, since `check --seeds.dir` compares quotes with the
// seed's text).
package extract

import (
	"errors"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Candidate is one proposed figure.
type Candidate struct {
	File   string `json:"file"`
	Line   int    `json:"line"`
	Column int    `json:"column"`
	// Text is the expression as written (verbatim): "$1.7 billion", "34억 원".
	Text string `json:"text"`
	// Value is in base units: 0.7 for 70 %, 1.7e9 for $1.7 billion, 2 for
	// "three-fold" (a change ratio is new/old - 1).
	Value float64 `json:"value"`
	// Unit is count, ratio, change_ratio or a lower-case ISO 4217 code.
	Unit string `json:"unit"`
	// Qualifier is the exporter's: none, about, at_least, more_than,
	// at_most, less_than.
	Qualifier string `json:"qualifier"`
	// Quote is the sentence (or, for a long one, the clause) that states
	// the figure: verbatim from the text except that each run of white
	// space is one space, which is how `check --seeds.dir` compares quotes.
	Quote string `json:"quote"`
	// Family is the name of the family of the given dataset that fits, by
	// unit and the words of its help text; nil when none fits.
	Family *string `json:"family"`
	// Offset and End are the byte span of Text in the text (for the
	// coverage check, which places candidates inside quotes).
	Offset int `json:"-"`
	End    int `json:"-"`
}

// MaxCandidates bounds the candidates of one text. An article has tens; a
// text with more is not an article (a table dump, a hostile input), and
// bounding the output bounds the memory extraction takes.
const MaxCandidates = 10000

// ErrTooMany is returned, with the first MaxCandidates candidates, for a
// text that has more.
var ErrTooMany = errors.New("more than 10000 numbers: only the first 10000 are proposed")

// maxChunk bounds the text lexed at once, so that the token slice of a
// large input stays small. Chunks end at a blank line (or a line break, or
// a space) so that no sentence is cut, except in a text with no such break.
const maxChunk = 64 << 10

// Extract returns the candidates of text, in order. name is the file name
// the candidates carry; families are those a candidate's family is chosen
// from (none: every family is nil).
func Extract(name, text string, families []Family) ([]Candidate, error) {
	ix := newFamilyIndex(families)
	var out []Candidate
	var toks []token
	pos := positioner{text: text, line: 1, col: 1}
	full := false
	// the content words of the last quote, shared by the numbers of one
	// sentence
	var quoteWords []qword
	quoteWordsOf := ""
	for off := 0; off < len(text) && !full; {
		end := chunkEnd(text, off)
		chunk := text[off:end]
		toks = lex(chunk, toks)
		p := parser{s: chunk, toks: toks}
		// the span of the last sentence in the chunk and its quote, shared
		// by the numbers of that sentence
		lastA, lastB, quote := -1, -1, ""
		p.scan(func(m match) bool {
			if len(out) >= MaxCandidates {
				full = true
				return false
			}
			a, b := sentenceAt(chunk, m.start, m.stop)
			if a != lastA || b != lastB {
				lastA, lastB, quote = a, b, foldSpace(chunk[a:b])
			}
			line, col := pos.at(off + m.start)
			c := Candidate{
				File: name, Line: line, Column: col,
				Text: chunk[m.start:m.stop], Value: roundValue(m.value), Unit: m.unit, Qualifier: m.qual,
				Quote:  quote,
				Offset: off + m.start, End: off + m.stop,
			}
			// Where the number stands in the quote: its offset in the
			// sentence, unless the quote's white space was folded.
			at, end := m.start-a, m.stop-a
			if len(quote) != b-a {
				prefix := chunk[a:m.start]
				at = len(foldSpace(prefix))
				if r, _ := utf8.DecodeLastRuneInString(prefix); at > 0 && unicode.IsSpace(r) {
					at++
				}
				end = at + len(foldSpace(c.Text))
			}
			if quoteWordsOf != c.Quote {
				quoteWords, quoteWordsOf = contentWords(c.Quote), c.Quote
			}
			c.Family = ix.pick(c.Unit, c.Quote, quoteWords, at, end)
			out = append(out, c)
			return true
		})
		off = end
	}
	if full {
		return out, ErrTooMany
	}
	return out, nil
}

// roundValue drops the binary noise of arithmetic on decimals (2.3 - 1 is
// 1.2999999999999998): 15 significant digits are more than any article
// states.
func roundValue(v float64) float64 {
	r, err := strconv.ParseFloat(strconv.FormatFloat(v, 'g', 15, 64), 64)
	if err != nil {
		return v
	}
	return r
}

// chunkEnd returns where the chunk that starts at off ends.
func chunkEnd(text string, off int) int {
	if len(text)-off <= maxChunk {
		return len(text)
	}
	window := text[off : off+maxChunk]
	for _, sep := range []string{"\n\n", "\n", " "} {
		if k := strings.LastIndex(window, sep); k > maxChunk/2 {
			return off + k + len(sep)
		}
	}
	end := off + maxChunk
	for end > off && !utf8.RuneStart(text[end]) {
		end--
	}
	if end == off {
		return off + maxChunk
	}
	return end
}

// positioner turns byte offsets, asked in increasing order, into 1-based
// lines and rune columns, in one pass over the text.
type positioner struct {
	text      string
	off       int
	line, col int
}

func (p *positioner) at(off int) (int, int) {
	for p.off < off && p.off < len(p.text) {
		r, size := utf8.DecodeRuneInString(p.text[p.off:])
		if r == '\n' {
			p.line, p.col = p.line+1, 1
		} else {
			p.col++
		}
		p.off += size
	}
	return p.line, p.col
}
