package figures

import (
	"crypto/sha256"
	"encoding/binary"
	"math"
	"strconv"
)

// contentHashBits is how much of a figure's SHA-256 ContentHash keeps: 48
// bits fit a float64's 53-bit mantissa exactly, so the gauge that carries
// it compares equal exactly when the prefixes are equal.
const contentHashBits = 48

// ContentHash is the first 48 bits of a SHA-256 of what a curator can revise
// in a figure and what a reader of a change notification is told about:
// its family, value, hedge, period, labels, quote, claim (id and chain),
// grade, and its source's title, publisher, URL, publication date and
// grade. A change to any of them changes the hash, so that alerting rules
// notice a revision that leaves the value alone (a corrected period, a
// requoted sentence, a regraded source); a change to anything else (notes,
// curation dates, positions in the file, the order of figures or files)
// leaves it alone, so that reformatting a file is not a revision of its
// figures.
//
// Each field is written with its length first, so that no two different
// contents hash the same bytes (the title "a" and publisher "bc" differ
// from "ab" and "c").
func (d *Dataset) ContentHash(f *Figure) float64 {
	h := sha256.New()
	var n [8]byte
	put := func(s string) {
		binary.BigEndian.PutUint64(n[:], uint64(len(s)))
		h.Write(n[:])
		h.Write([]byte(s))
	}
	src := d.Source(f)
	put(f.Family)
	put(strconv.FormatUint(math.Float64bits(f.Value), 16))
	put(string(f.Qualifier))
	put(PeriodLabel(f.Period))
	put(strconv.Itoa(len(f.Labels)))
	for _, l := range f.Labels { // sorted by name
		put(l.Name)
		put(l.Value)
	}
	put(f.Quote)
	put(f.ClaimID())
	chain := f.ClaimChain(src)
	put(strconv.Itoa(len(chain)))
	for _, c := range chain {
		put(c)
	}
	put(strconv.Itoa(f.Credibility))
	put(src.ID)
	put(src.Title)
	put(src.Publisher)
	put(src.URL)
	published := ""
	if src.Published != nil {
		published = src.Published.Format(dateLayout)
	}
	put(published)
	put(src.Reliability)
	sum := h.Sum(nil)
	return float64(binary.BigEndian.Uint64(sum[:8]) >> (64 - contentHashBits))
}
