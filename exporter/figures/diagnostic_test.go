package figures

import (
	"fmt"
	"strings"
	"testing"
)

// TestTooManyWarnings: the note that diagnostics were left out under
// MaxDiagnostics is an error only when an error was left out, so that a
// large ungraded dataset, whose every figure is warned about, still loads,
// and a flood of errors is still refused.
func TestTooManyWarnings(t *testing.T) {
	for _, tc := range []struct {
		name      string
		figures   int
		sameLabel bool // every figure makes one series: errors past the cap
		wantNote  Severity
	}{
		{"warnings only", MaxDiagnostics + 50, false, Warning},
		{"errors left out", MaxDiagnostics + 50, true, Error},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var b strings.Builder
			b.WriteString("families:\n  - {name: figures_attacks, help: Attacks., unit: count, labels: [n]}\n")
			b.WriteString("sources:\n  - {id: src, seed: 001.txt, title: A report, reliability: B}\nfigures:\n")
			for i := range tc.figures {
				label := i
				if tc.sameLabel {
					label = 0
				}
				fmt.Fprintf(&b, "  - {id: f%d, family: figures_attacks, labels: {n: '%d'}, value: 1, qualifier: none, period: {end: 2023-06-30}, source: src, quote: q, curated: 2024-01-01}\n", i, label)
			}
			ds, diags := Parse([]RawFile{{Name: "many.yaml", Data: []byte(b.String())}}, parseNow)
			var notes Diagnostics
			for _, d := range diags {
				if strings.HasPrefix(d.Message, "too many problems") {
					notes = append(notes, d)
				}
			}
			if len(notes) != 1 || notes[0].Severity != tc.wantNote {
				t.Errorf("notes of left-out diagnostics %v, want one of severity %s", notes, tc.wantNote)
			}
			if refused := ds == nil; refused != (tc.wantNote == Error) {
				t.Errorf("dataset refused = %v, want %v\n%v", refused, tc.wantNote == Error, diags.Errors())
			}
			if got := len(diags.Warnings()); tc.wantNote == Warning && got != MaxDiagnostics+1 {
				t.Errorf("%d warnings, want the first %d and the note", got, MaxDiagnostics)
			}
		})
	}
}
