package figures

import (
	"io/fs"
	"strings"
)

// CheckQuotes verifies that every figure's quote appears verbatim in the text
// of its source's seed file, read from seeds. White space is folded (articles
// wrap lines differently from YAML), nothing else: typographic quotes and
// dashes must match. A missing seed file is an error too.
func (d *Dataset) CheckQuotes(seeds fs.FS) Diagnostics {
	var diags Diagnostics
	texts := map[string]string{}
	for _, fig := range d.Figures {
		src := d.Source(fig)
		text, ok := texts[src.Seed]
		if !ok {
			data, err := fs.ReadFile(seeds, src.Seed)
			if err != nil {
				diags = append(diags, Diagnostic{Pos: src.Pos, Severity: Error, Message: "source " + src.ID + ": cannot read seed file " + src.Seed + ": " + describeFSError(err).Error()})
			}
			text = foldSpace(string(data))
			texts[src.Seed] = text
		}
		if text != "" && !strings.Contains(text, foldSpace(fig.Quote)) {
			diags = append(diags, Diagnostic{Pos: fig.pos(fig.at.quote), Severity: Error, Message: "figure " + fig.ID + ": quote does not appear verbatim in seed " + src.Seed})
		}
	}
	return diags
}

func foldSpace(s string) string { return strings.Join(strings.Fields(s), " ") }
