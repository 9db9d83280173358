package coverage

import (
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"maps"
	"slices"
	"strings"

	"github.com/figures-exporter/figures_exporter/exporter/figures"
)

// CheckSeeds verifies ds against the articles' text files, read from seeds
// (`check --seeds.dir`): every source's seed file exists and has the sha256
// the source records (a source recording none is warned about, with the
// value to record), and every figure's quote appears verbatim in its
// source's seed. White space is folded (articles wrap lines differently
// from YAML), nothing else: typographic quotes and dashes must match.
func CheckSeeds(ds *figures.Dataset, seeds fs.FS) figures.Diagnostics {
	var diags figures.Diagnostics
	texts := map[string]string{}
	for _, id := range slices.Sorted(maps.Keys(ds.Sources)) {
		src := ds.Sources[id]
		data, err := fs.ReadFile(seeds, src.Seed)
		if err != nil {
			diags = append(diags, figures.NewDiagnostic(src.Pos, figures.Error, "source %s: cannot read seed file %s: %s", src.ID, src.Seed, figures.DescribeFSError(err)))
			continue
		}
		texts[src.Seed] = figures.FoldSpace(string(data))
		sum := sha256.Sum256(data)
		switch got := hex.EncodeToString(sum[:]); {
		case src.SHA256 == "":
			diags = append(diags, figures.NewDiagnostic(src.Pos, figures.Warning, "source %s: no sha256 recorded for seed %s (it is %s)", src.ID, src.Seed, got))
		case src.SHA256 != got:
			diags = append(diags, figures.NewDiagnostic(src.Pos, figures.Error, "source %s: seed %s has changed since it was curated: its sha256 is %s, the source records %s; check every quote of it, then record the new sum", src.ID, src.Seed, got, src.SHA256))
		}
	}
	for _, fig := range ds.Figures {
		seed := ds.Source(fig).Seed
		if text := texts[seed]; text != "" && !strings.Contains(text, figures.FoldSpace(fig.Quote)) {
			diags = append(diags, figures.NewDiagnostic(fig.QuotePos(), figures.Error, "figure %s: quote does not appear verbatim in seed %s", fig.ID, seed))
		}
	}
	return diags
}
