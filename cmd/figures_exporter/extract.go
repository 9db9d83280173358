package main

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	figuresexporter "github.com/figures-exporter/figures_exporter"
	"github.com/figures-exporter/figures_exporter/exporter/figures"
	"github.com/figures-exporter/figures_exporter/internal/extract"
)

// extractFlags are the flags of `figures_exporter extract`.
type extractFlags struct {
	files  []string
	format string
	// sourceStub makes the yaml output a whole report file: a `sources:`
	// entry for the article (seed, sha256, title, grades to fill in) and
	// the proposals under `figures:`, citing it.
	sourceStub bool
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
	if ef.sourceStub && (len(ef.files) > 1 || ef.format != "yaml") {
		// A report file holds one source; two stubs in one output would
		// repeat the sources: and figures: keys.
		fmt.Fprintf(stderr, "%s: --source-stub writes one report file: give one article, with --format=yaml\n", name)
		return 2
	}
	dc := loadExtractContext(ef, stderr)
	code := 0
	var all []extract.Candidate
	type fileCands struct {
		name  string
		data  []byte
		text  string
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
		if ef.sourceStub && extract.IsHTML(name, data) {
			// The seed is the text, not the page: its sha256, lines and
			// quotes must be those of the file check --seeds.dir reads.
			fmt.Fprintf(stderr, "%s: --source-stub needs the article's text: save the output of `extract --format=text %s` as the seed and extract from that\n", name, name)
			code = 1
			continue
		}
		cands, err := extract.Extract(name, text, dc.families)
		if err != nil {
			fmt.Fprintf(stderr, "%s: %s\n", name, err)
		}
		all = append(all, cands...)
		perFile = append(perFile, fileCands{name, data, text, cands})
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
			// An article that is already a source's seed is cited by that
			// source; otherwise the stub's id, or TODO without a stub.
			src := dc.bySeed[filepath.Base(f.name)]
			sourceID := "TODO"
			switch {
			case src != nil:
				sourceID = src.ID
				if ef.sourceStub {
					// Still a report file, to check beside the dataset:
					// figures only, citing the existing source.
					fmt.Fprintf(stderr, "%s: warning: already the seed of source %s (%s); the proposals cite it, and no source stub is written\n", f.name, src.ID, src.Pos)
					fmt.Fprintf(stdout, "# Figures for source %s, which the dataset already has.\nfigures:\n", src.ID)
				}
			case ef.sourceStub:
				sourceID = writeSourceStub(stdout, f.name, f.data, f.text)
			}
			writeProposals(stdout, f.name, f.cands, dc.labels, proposalSource{id: sourceID, src: src}, today)
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

// extractContext is what proposals are matched with: the families of the
// dataset, the label names of each, and its sources by seed file name.
type extractContext struct {
	families []extract.Family
	labels   map[string][]string
	bySeed   map[string]*figures.Source
}

// loadExtractContext loads the dataset proposals are matched with: from
// --figures.file, or the embedded dataset. A dataset that does not load
// leaves every proposal without a family or source, with a warning.
func loadExtractContext(ef extractFlags, stderr io.Writer) extractContext {
	ds, diags := loadDatasetOrEmbedded(ef.figuresFiles, ef.maxFileSize)
	if ds == nil {
		fmt.Fprintf(stderr, "%s: warning: the figures do not load (%d error(s); run `%s check`), so no family is proposed\n", name, len(diags.Errors()), name)
		return extractContext{}
	}
	dc := extractContext{
		families: make([]extract.Family, 0, len(ds.Families)),
		labels:   map[string][]string{},
		bySeed:   map[string]*figures.Source{},
	}
	for _, f := range ds.Families {
		dc.families = append(dc.families, extract.Family{Name: f.Name, Unit: string(f.Unit), Help: f.Help})
		dc.labels[f.Name] = f.Labels
	}
	for _, s := range ds.Sources {
		dc.bySeed[s.Seed] = s
	}
	return dc
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
func writeProposals(w io.Writer, file string, cands []extract.Candidate, labels map[string][]string, ps proposalSource, today string) {
	fmt.Fprintf(w, "# PROPOSALS by `figures_exporter extract` from %s: %d candidate(s).\n", yamlComment(file), len(cands))
	fmt.Fprintf(w, "# Review each entry before pasting it under `figures:`: check value, unit\n")
	fmt.Fprintf(w, "# and qualifier against the quote, choose the family and labels, set id,\n")
	fmt.Fprintf(w, "# period, source and credibility, and the claim chain where a CLAIM line\n")
	fmt.Fprintf(w, "# says the quote is someone else's. Delete what is not a figure, and list\n")
	fmt.Fprintf(w, "# it under the source's `excluded:` with its reason, so that\n")
	fmt.Fprintf(w, "# `check --coverage` is clean.\n")
	base := slug(strings.TrimSuffix(filepath.Base(file), filepath.Ext(file)))
	for i, c := range cands {
		family := `""`
		if c.Family != nil {
			family = *c.Family
		}
		fmt.Fprintf(w, "  # PROPOSAL %s:%d:%d %s (%s)\n", yamlComment(filepath.Base(file)), c.Line, c.Column, yamlComment(strconv.Quote(c.Text)), c.Unit)
		if hint := ps.claimHint(c.Quote); hint != "" {
			fmt.Fprintf(w, "  # CLAIM %s\n", yamlComment(hint))
		}
		fmt.Fprintf(w, "  - id: proposal-%s-%d\n", base, i+1)
		fmt.Fprintf(w, "    family: %s\n", family)
		fmt.Fprintf(w, "    labels: {%s}\n", todoLabels(labels[family]))
		fmt.Fprintf(w, "    value: %s\n", strconv.FormatFloat(c.Value, 'g', -1, 64))
		fmt.Fprintf(w, "    qualifier: %s\n", c.Qualifier)
		fmt.Fprintf(w, "    period: {end: TODO}%s\n", periodHint(c.Quote))
		fmt.Fprintf(w, "    source: %s\n", ps.id)
		fmt.Fprintf(w, "    quote: %s\n", strconv.Quote(c.Quote))
		fmt.Fprintf(w, "    credibility: TODO  # Admiralty 1-6; the reason in notes\n")
		fmt.Fprintf(w, "    curated: %s\n", today)
	}
}

var (
	yearRE     = regexp.MustCompile(`\b((?:19|20)[0-9]{2})\b`) // \b is ASCII: 2023년 is a year
	sinceRE    = regexp.MustCompile(`(?i)\b(?:since|from) ((?:19|20)[0-9]{2})\b|((?:19|20)[0-9]{2})년\s*(?:이후|이래|부터)`)
	firstHalf  = regexp.MustCompile(`(?i)\bfirst (?:and second )?half\b|\bH1\b|상반기`)
	secondHalf = regexp.MustCompile(`(?i)\bsecond half\b|\bH2\b|하반기`)
	// A day is a moment (a publication date, an attack's), not a period.
	dayRE = regexp.MustCompile(`(?i)\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.? [0-9]{1,2}, (?:19|20)[0-9]{2}|(?:19|20)[0-9]{2}-[0-9]{2}-[0-9]{2}|(?:19|20)[0-9]{2}년\s*[0-9]{1,2}월\s*[0-9]{1,2}일`)
)

// periodHint suggests, as a comment after the proposal's period, the period
// the quote's words give when they name one year: the year, its first or
// second half, or its start for a cumulative "since 2017" / "2017년 이후".
// The period stays TODO, which check refuses, so that the curator decides
// (the year in the sentence may be another figure's); no hint when the
// quote names no year or several, or a year only in a date.
func periodHint(quote string) string {
	quote = dayRE.ReplaceAllString(quote, "")
	y := ""
	for _, m := range yearRE.FindAllStringSubmatch(quote, -1) {
		if y != "" && m[1] != y {
			return ""
		}
		y = m[1]
	}
	if y == "" {
		return ""
	}
	var period string
	switch {
	case sinceRE.MatchString(quote):
		period = "{start: " + y + "-01-01, end: TODO}"
	case firstHalf.MatchString(quote) && !secondHalf.MatchString(quote):
		period = "{start: " + y + "-01-01, end: " + y + "-06-30}"
	case secondHalf.MatchString(quote) && !firstHalf.MatchString(quote):
		period = "{start: " + y + "-07-01, end: " + y + "-12-31}"
	default:
		period = "{start: " + y + "-01-01, end: " + y + "-12-31}"
	}
	return "  # the quote names " + y + ": " + period + "?"
}

// proposalSource is the source the proposals of one article cite: a
// source of the dataset whose seed is the article, or the stub's id (or
// TODO) when there is none.
type proposalSource struct {
	id  string
	src *figures.Source
}

// claimHint tells the curator whose claim the figure is said to be: the
// source's chain, which applies to every figure without its own claim
// chain, and the words of the quote that attribute it to someone, which
// may name another claimant (a spokesperson citing "information coming out
// of the United States" in an article whose chain starts at the UN panel).
func (ps proposalSource) claimHint(quote string) string {
	cue := extract.Attribution(quote)
	switch {
	case ps.src != nil && cue != "":
		return fmt.Sprintf("the source's chain applies (%s), but the quote attributes it: %q; if the claimant is not %s, set claim: {chain: [...]} on the figure", chainText(ps.src.Chain), cue, firstLink(ps.src.Chain))
	case ps.src != nil:
		return fmt.Sprintf("the source's chain applies (%s)", chainText(ps.src.Chain))
	case cue != "":
		return fmt.Sprintf("the quote attributes it: %q; set the source's chain, or claim: {chain: [...]} on the figure if its claimant differs", cue)
	}
	return ""
}

func chainText(chain []string) string {
	if len(chain) == 0 {
		return "none: the outlet is the claimant"
	}
	return strings.Join(chain, " > ")
}

func firstLink(chain []string) string {
	if len(chain) == 0 {
		return "the outlet"
	}
	return chain[0]
}

// writeSourceStub starts a report file for an article that is no source
// yet: the `sources:` entry with what the file tells (seed, sha256, a
// title when the first line reads as a headline, the language) and TODO
// where the curator decides (title otherwise, reliability), in a form
// check refuses until filled in; then `figures:`, under which the
// proposals follow. It returns the source's id.
func writeSourceStub(w io.Writer, file string, data []byte, text string) string {
	seed := filepath.Base(file)
	// "seed-" keeps the id from starting with a digit, as seed names do
	// (005_...), which diagnostics would not name; the curator gives the
	// source a stable id of its own.
	id := "seed-" + slug(strings.TrimSuffix(seed, filepath.Ext(seed)))
	sum := sha256.Sum256(data)
	fmt.Fprintf(w, "# A report file started by `%s extract --source-stub`: check it with the\n", name)
	fmt.Fprintf(w, "# dataset it joins (`%s check --seeds.dir DIR --coverage figures.yaml THIS.yaml`).\n", name)
	fmt.Fprintf(w, "sources:\n")
	fmt.Fprintf(w, "  - id: %s\n", id)
	fmt.Fprintf(w, "    seed: %s\n", strconv.Quote(seed))
	fmt.Fprintf(w, "    sha256: %s\n", hex.EncodeToString(sum[:]))
	if h := headline(text); h != "" {
		fmt.Fprintf(w, "    title: %s  # the first line; check it is the headline\n", strconv.Quote(h))
	} else {
		// Empty, which check refuses: a title is required.
		fmt.Fprintf(w, "    title: \"\"  # TODO: the headline, or a description of the article in [brackets]\n")
	}
	fmt.Fprintf(w, "    language: %s\n", textLanguage(text))
	io.WriteString(w, sourceStubTail)
	return id
}

// sourceStubTail ends a source stub: the grade check refuses until it is
// given, the fields the curator fills in from the article, and the key the
// proposals go under.
const sourceStubTail = `    reliability: TODO  # Admiralty A-F; the reason in notes
    # chain: ["who first stated the figures", "intermediaries before this outlet"]
    # publisher, author, published, url, accessed: as the article gives them
    # excluded: [{text: "words of the article", reason: "why it is not a figure"}]
    # notes: how the source was read, and the reason for its grade
figures:
`

// headline returns the first non-empty line of text when it reads as a
// headline (at most 200 characters, not ending as a sentence does), and ""
// otherwise: an article saved without its headline starts with its body.
func headline(text string) string {
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		if utf8.RuneCountInString(line) > 200 || strings.HasSuffix(line, ".") || strings.HasSuffix(line, "다") {
			return ""
		}
		return line
	}
	return ""
}

// textLanguage tells Korean from English text by its letters: ko when the
// Hangul syllables number at least a third of the other letters (a syllable
// is a block of two or three letters, and a Korean text quotes English
// names), so that an English article with a Korean headline in a footnote
// stays en.
func textLanguage(text string) string {
	letters, hangul := 0, 0
	for _, r := range text {
		if unicode.IsLetter(r) {
			letters++
			if unicode.Is(unicode.Hangul, r) {
				hangul++
			}
		}
	}
	if hangul > 0 && hangul*3 >= letters-hangul {
		return "ko"
	}
	return "en"
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
