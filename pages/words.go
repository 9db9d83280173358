package pages

import (
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"

	"golang.org/x/text/language"
	"golang.org/x/text/language/display"
	textmessage "golang.org/x/text/message"
	"golang.org/x/text/number"

	"github.com/figures-exporter/figures_exporter/exporter/figures"
)

// This file says in words what the dataset writes in codes: periods, dates,
// grades, flags, label names and country codes. Plain words come first on
// every page; the code stays beside them for people who search by it.

const dayLayout = "2 Jan 2006"

// dateWords writes a date as people read it: "19 Jul 2023".
func dateWords(t time.Time) string { return t.Format(dayLayout) }

// periodWords writes a period as people say it: "2023", "H1 2023",
// "Q3 2023", "Jul 2023", "2017–2023", "19 Jul 2023", "1 Jan – 1 Nov 2023",
// "1 Jan 2022 – 1 Nov 2023", or "as of 19 Jul 2023" for a cumulative figure
// with no start. Whether the period is inferred is said separately.
func periodWords(p figures.Period) string {
	end := p.End
	if p.Start == nil {
		return "as of " + dateWords(end)
	}
	start := *p.Start
	if start.Equal(end) {
		return dateWords(end)
	}
	// Whole calendar units: the period starts on the first day of a month
	// and ends on the last day of one.
	if start.Day() == 1 && end.AddDate(0, 0, 1).Day() == 1 {
		months := (end.Year()-start.Year())*12 + int(end.Month()-start.Month()) + 1
		sm := int(start.Month())
		switch {
		case sm == 1 && months == 12:
			return strconv.Itoa(start.Year())
		case sm == 1 && months%12 == 0:
			return strconv.Itoa(start.Year()) + "–" + strconv.Itoa(end.Year())
		case months == 6 && (sm == 1 || sm == 7):
			return "H" + strconv.Itoa((sm-1)/6+1) + " " + strconv.Itoa(start.Year())
		case months == 3 && (sm-1)%3 == 0:
			return "Q" + strconv.Itoa((sm-1)/3+1) + " " + strconv.Itoa(start.Year())
		case months == 1:
			return start.Format("Jan 2006")
		}
	}
	if start.Year() == end.Year() {
		return start.Format("2 Jan") + " – " + dateWords(end)
	}
	return dateWords(start) + " – " + dateWords(end)
}

// isoPeriod is the period as an ISO 8601 interval, the form PromQL users and
// the info series' period_start/period_end labels use.
func isoPeriod(p figures.Period) string { return figures.PeriodLabel(p) }

// credibilityWords: "probably true (2)"; "not graded" for 0.
func credibilityWords(g int) string {
	if g == 0 {
		return "not graded"
	}
	return figures.Credibilities[g] + " (" + strconv.Itoa(g) + ")"
}

// reliabilityWords: "fairly reliable (C)"; "not graded" for "".
func reliabilityWords(g string) string {
	if g == "" {
		return "not graded"
	}
	return figures.Reliabilities[g] + " (" + g + ")"
}

// flagInfo is what a flag means, for its badge's tooltip and the legend.
type flagInfo struct {
	Name    string // as the info label and the filter name it
	Words   string // on the badge
	Meaning string // tooltip and legend
}

// flagLegend lists every flag in figures.Dataset.Flags' order.
var flagLegend = []flagInfo{
	{"contradiction", "contradiction", "the article contradicts itself around this figure; read its note before using it"},
	{"derived", "derived", "the article implies this value but does not state it; it is computed from other figures"},
	{"period_inferred", "period inferred", "the article does not state the period; the curator inferred it"},
	{"undated", "undated", "the article carries no publication date"},
	{"translated", "translated", "the text we have is a translation; the original is in another language"},
}

var flagByName = func() map[string]flagInfo {
	m := map[string]flagInfo{}
	for _, f := range flagLegend {
		m[f.Name] = f
	}
	return m
}()

// labelWords names a label in words: "origin_country" -> "origin country".
func labelWords(name string) string { return strings.ReplaceAll(name, "_", " ") }

// isCountryLabel mirrors the validator's rule (exporter/figures, unexported):
// these labels hold ISO 3166-1 alpha-2 codes, several joined with "+".
func isCountryLabel(name string) bool {
	return name == "country" || strings.HasSuffix(name, "_country") || strings.HasSuffix(name, "_countries")
}

var regionNames = display.English.Regions()

// countryWords names the countries of a country label value: "CN+KP" ->
// "China + North Korea". A code without an English name stays as it is.
func countryWords(value string) string {
	codes := strings.Split(value, "+")
	for i, c := range codes {
		if r, err := language.ParseRegion(c); err == nil {
			if n := regionNames.Name(r); n != "" {
				codes[i] = n
			}
		}
	}
	return strings.Join(codes, " + ")
}

// labelValueWords is a label's value as shown: countries by name, other
// values with underscores as spaces ("state_backed_and_global").
func labelValueWords(name, value string) string {
	if isCountryLabel(name) {
		return countryWords(value)
	}
	return strings.ReplaceAll(value, "_", " ")
}

var englishNumbers = textmessage.NewPrinter(language.English)

// floatRE finds the numbers validator messages print with %g in exponent
// form ("1.355e+10"), which few readers parse at a glance.
var floatRE = regexp.MustCompile(`\b[0-9]+(?:\.[0-9]+)?e[+-][0-9]+\b`)

// plainNumbers rewrites exponent-form numbers with thousands separators:
// "part 1.355e+10 is larger" -> "part 13,550,000,000 is larger".
func plainNumbers(s string) string {
	return floatRE.ReplaceAllStringFunc(s, func(m string) string {
		v, err := strconv.ParseFloat(m, 64)
		if err != nil || v > 1e15 || v < 1e-6 {
			return m
		}
		return englishNumbers.Sprint(number.Decimal(v))
	})
}

// baseUnits writes a value in the base units the metric carries, in full
// rather than in exponent form: 13,550,000,000; 0.2146.
func baseUnits(v float64) string {
	if math.Abs(v) >= 1e21 || (v != 0 && math.Abs(v) < 1e-6) {
		return strconv.FormatFloat(v, 'g', -1, 64)
	}
	return englishNumbers.Sprint(number.Decimal(v, number.MaxFractionDigits(12)))
}
