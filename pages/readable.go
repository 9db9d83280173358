package pages

import (
	"math"
	"strconv"
	"strings"

	"github.com/figures-exporter/figures_exporter/exporter/figures"
)

// currencySymbols are the signs people read amounts in; other currencies are
// shown with their ISO 4217 code ("CHF 1.2 million").
var currencySymbols = map[figures.Unit]string{"usd": "US$", "krw": "₩", "eur": "€", "jpy": "¥", "gbp": "£", "cny": "CN¥"}

// qualifierWords say a qualifier as a sentence would.
var qualifierWords = map[figures.Qualifier]string{
	figures.QualifierAbout: "about", figures.QualifierAtLeast: "at least", figures.QualifierMoreThan: "more than",
	figures.QualifierAtMost: "at most", figures.QualifierLessThan: "less than",
}

var scales = []struct {
	factor float64
	word   string
}{{1e12, "trillion"}, {1e9, "billion"}, {1e6, "million"}}

// Readable shows a value as a person reads it, with its unit and its hedge:
// "70 %", "+15 %", "about US$1.7 billion", "₩3.4 billion", "more than 10
// million", "1,000". It is for pages and messages; metrics keep base units.
func Readable(v float64, u figures.Unit, q figures.Qualifier) string {
	var s string
	switch {
	case u == figures.UnitRatio:
		s = decimal(v*100) + " %"
	case u == figures.UnitChangeRatio:
		s = decimal(v*100) + " %"
		if v >= 0 {
			s = "+" + s
		}
		if v >= 1 {
			s += " (×" + decimal(v+1) + ")"
		}
	case u.IsCurrency():
		if sym, ok := currencySymbols[u]; ok {
			s = sym + amount(v)
		} else {
			s = strings.ToUpper(string(u)) + " " + amount(v)
		}
	default:
		s = amount(v)
	}
	if w := qualifierWords[q]; w != "" {
		s = w + " " + s
	}
	return s
}

// amount writes large numbers with a scale word (1.37 million) and smaller
// ones with thousands separators (250,000).
func amount(v float64) string {
	for _, sc := range scales {
		if math.Abs(v) >= sc.factor {
			return decimal(v/sc.factor) + " " + sc.word
		}
	}
	if v == math.Trunc(v) {
		return englishNumbers.Sprintf("%d", int64(v))
	}
	return decimal(v)
}

// decimal writes v with at most six significant digits and no trailing
// zeros, so that float noise (21.459999999999997) does not show.
func decimal(v float64) string {
	return strconv.FormatFloat(v, 'g', 6, 64)
}
