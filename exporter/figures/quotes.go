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
			diags = append(diags, newDiagnostic(src.Pos, Error, "source %s: cannot read seed file %s: %s", src.ID, src.Seed, describeFSError(err)))
			continue
		}
		texts[src.Seed] = FoldSpace(string(data))
		sum := sha256.Sum256(data)
		switch got := hex.EncodeToString(sum[:]); {
		case src.SHA256 == "":
			diags = append(diags, newDiagnostic(src.Pos, Warning, "source %s: no sha256 recorded for seed %s (it is %s)", src.ID, src.Seed, got))
		case src.SHA256 != got:
			diags = append(diags, newDiagnostic(src.Pos, Error, "source %s: seed %s has changed since it was curated: its sha256 is %s, the source records %s; check every quote of it, then record the new sum", src.ID, src.Seed, got, src.SHA256))
		}
	}
	for _, fig := range d.Figures {
		text := texts[d.Source(fig).Seed]
		if text != "" && !strings.Contains(text, FoldSpace(fig.Quote)) {
			diags = append(diags, newDiagnostic(fig.pos(fig.at.quote), Error, "figure %s: quote does not appear verbatim in seed %s", fig.ID, d.Source(fig).Seed))
		}
	}
	return diags
}
