package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	figuresexporter "github.com/figures-exporter/figures_exporter"
	"github.com/figures-exporter/figures_exporter/exporter/figures"
	"github.com/figures-exporter/figures_exporter/internal/extract"
)

// extractFlags are the flags of `figures_exporter extract`.
type extractFlags struct {
	files  []string
	format string
	// figuresFiles and maxFileSize are the command's --figures.file
	// and --figures.max-file-size: the dataset whose families are proposed.
	figuresFiles []string
	maxFileSize  int64
}

// maxArticleSize bounds an article read by extract: a saved web page is a
// few hundred kilobytes; 16 MiB is far above any article and keeps a
// mistaken argument (a video, a disk image) from being read whole.
const maxArticleSize = 16 << 20

// runExtract prints the candidates of every file: figures entries to paste
// under `figures:` (yaml), a JSON array (json), or the text extraction read
// (text: for HTML, the text to save as the source's seed, which the
// candidates' lines, columns and quotes refer to). It exits 1 when a file
// cannot be read, 0 otherwise.
func runExtract(ef extractFlags, stdout, stderr io.Writer) int {
	families, labels := extractFamilies(ef, stderr)
	code := 0
	var all []extract.Candidate
	type fileCands struct {
		name  string
		cands []extract.Candidate
	}
	var perFile []fileCands
	for _, name := range ef.files {
		data, err := readArticle(name)
		if err != nil {
			fmt.Fprintf(stderr, "%s: %s\n", name, err)
			code = 1
			continue
		}
		if !extract.IsHTML(name, data) && !utf8.Valid(data) {
			// Extraction reads UTF-8; a Korean page saved as EUC-KR text
			// would yield nothing but noise.
			fmt.Fprintf(stderr, "%s: warning: not UTF-8 text; convert it first (iconv -f euc-kr -t utf-8)\n", name)
		}
		text := extract.Text(name, data)
		if ef.format == "text" {
			io.WriteString(stdout, text)
			if !strings.HasSuffix(text, "\n") {
				io.WriteString(stdout, "\n")
			}
			continue
		}
		cands, err := extract.Extract(name, text, families)
		if err != nil {
			fmt.Fprintf(stderr, "%s: %s\n", name, err)
		}
		all = append(all, cands...)
		perFile = append(perFile, fileCands{name, cands})
	}
	switch ef.format {
	case "json":
		if all == nil {
			all = []extract.Candidate{}
		}
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		if err := enc.Encode(all); err != nil {
			fmt.Fprintf(stderr, "%s: %s\n", name, err)
			return 1
		}
	case "yaml":
		today := time.Now().UTC().Format("2006-01-02")
		for _, f := range perFile {
			writeProposals(stdout, f.name, f.cands, labels, today)
		}
	}
	return code
}

// readArticle reads a file of at most maxArticleSize bytes.
func readArticle(name string) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxArticleSize+1))
	if err != nil {
		return nil, err
	}
	if len(data) > maxArticleSize {
		return nil, fmt.Errorf("larger than %d MiB: not an article", maxArticleSize>>20)
	}
	return data, nil
}

// extractFamilies loads the families proposals are matched with, and the
// label names of each: from --figures.file, or the embedded dataset. A
// dataset that does not load leaves every proposal without a family, with a
// warning.
func extractFamilies(ef extractFlags, stderr io.Writer) ([]extract.Family, map[string][]string) {
	ds, diags := loadDatasetOrEmbedded(ef.figuresFiles, ef.maxFileSize)
	if ds == nil {
		fmt.Fprintf(stderr, "%s: warning: the figures do not load (%d error(s); run `%s check`), so no family is proposed\n", name, len(diags.Errors()), name)
		return nil, nil
	}
	fams := make([]extract.Family, 0, len(ds.Families))
	labels := map[string][]string{}
	for _, f := range ds.Families {
		fams = append(fams, extract.Family{Name: f.Name, Unit: string(f.Unit), Help: f.Help})
		labels[f.Name] = f.Labels
	}
	return fams, labels
}

// loadDatasetOrEmbedded loads the figures files, or the dataset embedded in
// the binary when none is given, as the server does.
func loadDatasetOrEmbedded(files []string, maxSize int64) (*figures.Dataset, figures.Diagnostics) {
	if len(files) == 0 {
		return figures.Parse([]figures.RawFile{figuresexporter.Embedded()}, time.Now())
	}
	return figures.Load(files, maxSize, time.Now())
}

// writeProposals prints the candidates of one file as figures entries,
// indented to paste under `figures:`. What extraction cannot know is left
// for the curator in a form that `check` rejects until it is filled in
// (source, period, the values of the family's labels, and the family when
// none fits), so that no proposal is served unreviewed.
func writeProposals(w io.Writer, file string, cands []extract.Candidate, labels map[string][]string, today string) {
	fmt.Fprintf(w, "# PROPOSALS by `figures_exporter extract` from %s: %d candidate(s).\n", yamlComment(file), len(cands))
	fmt.Fprintf(w, "# Review each entry before pasting it under `figures:`: check value, unit\n")
	fmt.Fprintf(w, "# and qualifier against the quote, choose the family and labels, set id,\n")
	fmt.Fprintf(w, "# period and source. Delete what is not a figure, and list it under the\n")
	fmt.Fprintf(w, "# source's `excluded:` with its reason, so that `check --coverage` is clean.\n")
	base := slug(strings.TrimSuffix(filepath.Base(file), filepath.Ext(file)))
	for i, c := range cands {
		family := `""`
		if c.Family != nil {
			family = *c.Family
		}
		fmt.Fprintf(w, "  # PROPOSAL %s:%d:%d %s (%s)\n", yamlComment(filepath.Base(file)), c.Line, c.Column, yamlComment(strconv.Quote(c.Text)), c.Unit)
		fmt.Fprintf(w, "  - id: proposal-%s-%d\n", base, i+1)
		fmt.Fprintf(w, "    family: %s\n", family)
		fmt.Fprintf(w, "    labels: {%s}\n", todoLabels(labels[family]))
		fmt.Fprintf(w, "    value: %s\n", strconv.FormatFloat(c.Value, 'g', -1, 64))
		fmt.Fprintf(w, "    qualifier: %s\n", c.Qualifier)
		fmt.Fprintf(w, "    period: {end: TODO}\n")
		fmt.Fprintf(w, "    source: TODO\n")
		fmt.Fprintf(w, "    quote: %s\n", strconv.Quote(c.Quote))
		fmt.Fprintf(w, "    curated: %s\n", today)
	}
}

// todoLabels lists the label names of a family with empty values, which
// check refuses until each is filled in.
func todoLabels(names []string) string {
	parts := make([]string, len(names))
	for i, n := range names {
		parts[i] = n + `: ""`
	}
	return strings.Join(parts, ", ")
}

// slug makes a file name usable in a figure id: a-z, 0-9, '-', '_'.
func slug(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9', r == '-', r == '_':
			b.WriteRune(r)
		default:
			b.WriteByte('-')
		}
	}
	if b.Len() == 0 {
		return "article"
	}
	return b.String()
}

// yamlComment keeps a text on one comment line.
func yamlComment(s string) string {
	return strings.NewReplacer("\n", " ", "\r", " ").Replace(s)
}
