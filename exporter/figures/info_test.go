package figures

import (
	"strings"
	"testing"
)

// TestInfoLabels: the info series tells a contradicted, derived or
// inferred figure from a clean one, carries the grades and the claim chain,
// and leaves out what the dataset does not give.
func TestInfoLabels(t *testing.T) {
	data := strings.Replace(string(splitFiles[1].Data), "  - {id: a, seed: a.txt, title: Report A, published: 2023-07-20}",
		"  - {id: a, seed: a.txt, title: Report A, publisher: Outlet A, published: 2023-07-20, reliability: B, chain: [NIS, Rep. Kim], original_title: 원제, language: en}", 1)
	data = strings.Replace(data, "    curated: 2026-01-15\n", "    curated: 2026-01-15\n    credibility: 2\n    claim: {id: nis-daily-2023}\n", 1)
	files := []RawFile{splitFiles[0], {Name: "report-a.yaml", Data: []byte(data)}, splitFiles[2]}
	ds, diags := Parse(files, parseNow)
	if ds == nil {
		t.Fatal(diags)
	}
	for _, tc := range []struct {
		id   string
		want string
	}{
		{"daily-kp", "claim_chain=NIS > Rep. Kim > Outlet A claim_id=nis-daily-2023 claimant=NIS contradiction=false credibility=2 derived=false " +
			"family=figures_attacks_daily_average figure_id=daily-kp language=en period_end=2023-06-30 period_inferred=false period_start=2023-01-01 " +
			"published=2023-07-20 publisher=Outlet A qualifier=about reliability=B seed=a.txt source_id=a source_title=Report A translated=true undated=false unit=count"},
		// No chain: the outlet (here the title, as there is no publisher)
		// is the claimant; ungraded figures have no grade labels.
		{"daily-cn", "claim_chain=Report B claim_id=daily-cn claimant=Report B contradiction=false derived=false " +
			"family=figures_attacks_daily_average figure_id=daily-cn period_end=2023-06-30 period_inferred=false period_start=2023-01-01 " +
			"published=2023-07-21 qualifier=none seed=b.txt source_id=b source_title=Report B translated=false undated=false unit=count"},
	} {
		var parts []string
		for _, l := range ds.InfoLabels(figure(ds, tc.id)) {
			parts = append(parts, l.Name+"="+l.Value)
		}
		if got := strings.Join(parts, " "); got != tc.want {
			t.Errorf("%s:\n got %s\nwant %s", tc.id, got, tc.want)
		}
	}
}
