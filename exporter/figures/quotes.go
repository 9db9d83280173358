package figures

import (
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"strings"
)

// CheckSeeds verifies the dataset against the articles' text files, read from
// seeds: every source's seed file exists and has the sha256 the source
// records (a source recording none is warned about, with the value to
// record), and every figure's quote appears verbatim in its source's seed.
// White space is folded (articles wrap lines differently from YAML), nothing
// else: typographic quotes and dashes must match.
func (d *Dataset) CheckSeeds(seeds fs.FS) Diagnostics {
	var diags Diagnostics
	texts := map[string]string{}
	for _, id := range sortedKeys(d.Sources) {
		src := d.Sources[id]
		data, err := fs.ReadFile(seeds, src.Seed)
		if err != nil {
			diags = append(diags, Diagnostic{Pos: src.Pos, Severity: Error, Message: "source " + src.ID + ": cannot read seed file " + src.Seed + ": " + describeFSError(err).Error()})
			continue
		}
		texts[src.Seed] = foldSpace(string(data))
		sum := sha256.Sum256(data)
		switch got := hex.EncodeToString(sum[:]); {
		case src.SHA256 == "":
			diags = append(diags, Diagnostic{Pos: src.Pos, Severity: Warning, Message: "source " + src.ID + ": no sha256 recorded for seed " + src.Seed + " (it is " + got + ")"})
		case src.SHA256 != got:
			diags = append(diags, Diagnostic{Pos: src.Pos, Severity: Error, Message: "source " + src.ID + ": seed " + src.Seed + " has changed since it was curated: its sha256 is " + got + ", the source records " + src.SHA256 + "; check every quote of it, then record the new sum"})
		}
	}
	for _, fig := range d.Figures {
		text := texts[d.Source(fig).Seed]
		if text != "" && !strings.Contains(text, foldSpace(fig.Quote)) {
			diags = append(diags, Diagnostic{Pos: fig.pos(fig.at.quote), Severity: Error, Message: "figure " + fig.ID + ": quote does not appear verbatim in seed " + d.Source(fig).Seed})
		}
	}
	return diags
}

func foldSpace(s string) string { return strings.Join(strings.Fields(s), " ") }
