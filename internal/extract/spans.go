package extract

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Span is a byte range [Start, End) of a text.
type Span struct{ Start, End int }

// Holds reports whether t lies inside s.
func (s Span) Holds(t Span) bool { return s.Start <= t.Start && t.End <= s.End }

// Folded is a text with every run of white space folded to one space (as
// `check --seeds.dir` compares quotes), which remembers where each byte
// came from, so that a quote found in the folded text is placed in the
// original: a candidate is then "in" a quote by its place, not by its words.
type Folded struct {
	folded string
	orig   []int // offset in the original text of each byte of folded
}

// Fold folds text.
func Fold(text string) *Folded {
	var b strings.Builder
	orig := make([]int, 0, len(text))
	space := false
	for i, r := range text {
		if unicode.IsSpace(r) {
			space = b.Len() > 0
			continue
		}
		if space {
			b.WriteByte(' ')
			orig = append(orig, i-1)
			space = false
		}
		_, size := utf8.DecodeRuneInString(text[i:])
		b.WriteString(text[i : i+size])
		for k := 0; k < size; k++ {
			orig = append(orig, i+k)
		}
	}
	return &Folded{folded: b.String(), orig: orig}
}

// Find returns every place of the original text where needle appears,
// white space folded on both sides.
func (f *Folded) Find(needle string) []Span {
	n := strings.Join(strings.Fields(needle), " ")
	if n == "" {
		return nil
	}
	var out []Span
	for from := 0; from <= len(f.folded)-len(n); {
		k := strings.Index(f.folded[from:], n)
		if k < 0 {
			break
		}
		a := from + k
		out = append(out, Span{f.orig[a], f.orig[a+len(n)-1] + 1})
		from = a + 1
	}
	return out
}
