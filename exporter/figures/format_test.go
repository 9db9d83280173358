package figures

import "testing"

func TestReadable(t *testing.T) {
	for _, tc := range []struct {
		v    float64
		u    Unit
		q    Qualifier
		want string
	}{
		{0.7, UnitRatio, QualifierNone, "70 %"},
		{0.2146, UnitRatio, QualifierNone, "21.46 %"},
		{0.8, UnitRatio, QualifierMoreThan, "more than 80 %"},
		{0.15, UnitChangeRatio, QualifierNone, "+15 %"},
		{0.32, UnitChangeRatio, QualifierAbout, "about +32 %"},
		{-0.25, UnitChangeRatio, QualifierNone, "-25 %"},
		{2, UnitChangeRatio, QualifierNone, "+200 % (×3)"},
		{1.7e9, "usd", QualifierAbout, "about US$1.7 billion"},
		{13.55e9, "usd", QualifierNone, "US$13.55 billion"},
		{750e6, "usd", QualifierAtLeast, "at least US$750 million"},
		{2e6, "usd", QualifierNone, "US$2 million"},
		{3.4e9, "krw", QualifierNone, "₩3.4 billion"},
		{2.2e12, "krw", QualifierNone, "₩2.2 trillion"},
		{1.2e6, "chf", QualifierNone, "CHF 1.2 million"},
		{500, "eur", QualifierLessThan, "less than €500"},
		{1.37e6, UnitCount, QualifierNone, "1.37 million"},
		{1e7, UnitCount, QualifierMoreThan, "more than 10 million"},
		{1000, UnitCount, QualifierAbout, "about 1,000"},
		{250000, UnitCount, QualifierNone, "250,000"},
		{17, UnitCount, QualifierAtLeast, "at least 17"},
		{2.5, UnitCount, QualifierNone, "2.5"},
		{0, UnitCount, QualifierNone, "0"},
	} {
		if got := Readable(tc.v, tc.u, tc.q); got != tc.want {
			t.Errorf("Readable(%g, %s, %s) = %q, want %q", tc.v, tc.u, tc.q, got, tc.want)
		}
	}
}
