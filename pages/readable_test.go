package pages

import (
	"testing"

	"github.com/figures-exporter/figures_exporter/exporter/figures"
)

func TestReadable(t *testing.T) {
	for _, tc := range []struct {
		v    float64
		u    figures.Unit
		q    figures.Qualifier
		want string
	}{
		{0.7, figures.UnitRatio, figures.QualifierNone, "70 %"},
		{0.2146, figures.UnitRatio, figures.QualifierNone, "21.46 %"},
		{0.8, figures.UnitRatio, figures.QualifierMoreThan, "more than 80 %"},
		{0.15, figures.UnitChangeRatio, figures.QualifierNone, "+15 %"},
		{0.32, figures.UnitChangeRatio, figures.QualifierAbout, "about +32 %"},
		{-0.25, figures.UnitChangeRatio, figures.QualifierNone, "-25 %"},
		{2, figures.UnitChangeRatio, figures.QualifierNone, "+200 % (×3)"},
		{1.7e9, "usd", figures.QualifierAbout, "about US$1.7 billion"},
		{13.55e9, "usd", figures.QualifierNone, "US$13.55 billion"},
		{750e6, "usd", figures.QualifierAtLeast, "at least US$750 million"},
		{2e6, "usd", figures.QualifierNone, "US$2 million"},
		{3.4e9, "krw", figures.QualifierNone, "₩3.4 billion"},
		{2.2e12, "krw", figures.QualifierNone, "₩2.2 trillion"},
		{1.2e6, "chf", figures.QualifierNone, "CHF 1.2 million"},
		{500, "eur", figures.QualifierLessThan, "less than €500"},
		{1.37e6, figures.UnitCount, figures.QualifierNone, "1.37 million"},
		{1e7, figures.UnitCount, figures.QualifierMoreThan, "more than 10 million"},
		{1000, figures.UnitCount, figures.QualifierAbout, "about 1,000"},
		{250000, figures.UnitCount, figures.QualifierNone, "250,000"},
		{17, figures.UnitCount, figures.QualifierAtLeast, "at least 17"},
		{2.5, figures.UnitCount, figures.QualifierNone, "2.5"},
		{0, figures.UnitCount, figures.QualifierNone, "0"},
	} {
		if got := Readable(tc.v, tc.u, tc.q); got != tc.want {
			t.Errorf("Readable(%g, %s, %s) = %q, want %q", tc.v, tc.u, tc.q, got, tc.want)
		}
	}
}
