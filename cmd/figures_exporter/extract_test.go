package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/figures-exporter/figures_exporter/exporter/figures"
	"github.com/figures-exporter/figures_exporter/internal/testtools"
)

// extractDataset is a dataset whose one family fits the article below.
const extractDataset = `families:
  - name: figures_cybercrime_arrests
    help: Number of people arrested on charges of helping foreign state-backed hackers.
    unit: count
    labels: [country]
  - name: figures_ransomware_extortion_krw
    help: Amount extorted from victims through ransomware, in South Korean won.
    unit: krw
    labels: [country]
sources:
  - id: src
    seed: article.txt
    title: A report
    published: 2023-10-28
figures: []
`

const extractArticle = "Police arrested four individuals on charges of conspiring with hackers.\n\nThey extracted 3.4 billion won from victims through ransomware attacks in 2023.\n"

// runBinary runs the real figures_exporter with args and returns its exit
// code, stdout and stderr.
func runBinary(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	cmd := exec.Command(testtools.Exporter(t), args...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return code, stdout.String(), stderr.String()
}

// TestExtractCommand runs `figures_exporter extract` as a user would: JSON
// with every key, YAML proposals that become valid figures once the curator
// fills in what extraction cannot know, HTML reduced to its text, and
// errors.
func TestExtractCommand(t *testing.T) {
	dir := t.TempDir()
	dataset := filepath.Join(dir, "figures.yaml")
	article := filepath.Join(dir, "article.txt")
	page := filepath.Join(dir, "page.html")
	korean := filepath.Join(dir, "korean.txt")
	for name, data := range map[string]string{
		dataset: extractDataset,
		article: extractArticle,
		page:    "<!doctype html><html><head><title>x</title><script>var n = 12;</script></head><body><h1>Report</h1><p>Hackers stole <b>$1.7&nbsp;billion</b>, up 36 percent.</p><ul><li>1</li></ul></body></html>",
		korean:  "북한은 약 17억 달러를 훔쳤다.\n하루 평균 162만 건의 공격이 있었다.\n",
	} {
		if err := os.WriteFile(name, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}

	t.Run("json", func(t *testing.T) {
		code, out, errOut := runBinary(t, "extract", "--figures.file", dataset, "--format=json", article, korean)
		if code != 0 {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		var got []map[string]any
		if err := json.Unmarshal([]byte(out), &got); err != nil {
			t.Fatalf("not a JSON array: %v\n%s", err, out)
		}
		want := []struct {
			file, text, unit, qual string
			value                  float64
			line, column           float64
			family                 any
		}{
			{article, "four", "count", "none", 4, 1, 17, "figures_cybercrime_arrests"},
			{article, "3.4 billion won", "krw", "none", 3.4e9, 3, 16, "figures_ransomware_extortion_krw"},
			{korean, "17억 달러", "usd", "about", 1.7e9, 1, 7, nil},
			{korean, "162만 건", "count", "none", 1.62e6, 2, 7, nil},
		}
		if len(got) != len(want) {
			t.Fatalf("got %d candidates, want %d:\n%s", len(got), len(want), out)
		}
		for i, w := range want {
			g := got[i]
			for _, key := range []string{"file", "line", "column", "text", "value", "unit", "qualifier", "quote", "family"} {
				if _, ok := g[key]; !ok {
					t.Errorf("candidate %d lacks key %q", i, key)
				}
			}
			if g["file"] != w.file || g["text"] != w.text || g["unit"] != w.unit || g["qualifier"] != w.qual || g["value"] != w.value || g["line"] != w.line || g["column"] != w.column || g["family"] != w.family {
				t.Errorf("candidate %d is %v, want %+v", i, g, w)
			}
		}
	})

	t.Run("yaml proposals become figures once filled in", func(t *testing.T) {
		code, out, errOut := runBinary(t, "extract", "--figures.file", dataset, article)
		if code != 0 {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		if !strings.HasPrefix(out, "# PROPOSALS by `figures_exporter extract`") {
			t.Errorf("no proposals header:\n%s", out)
		}
		var entries []map[string]any
		if err := yaml.Unmarshal([]byte(out), &entries); err != nil || len(entries) != 2 {
			t.Fatalf("not 2 YAML figures entries (%v):\n%s", err, out)
		}
		if entries[0]["family"] != "figures_cybercrime_arrests" || entries[1]["value"] != 3.4e9 {
			t.Errorf("entries: %v", entries)
		}
		// As pasted, the proposals are rejected: source and period are
		// the curator's to fill in.
		pasted := filepath.Join(dir, "pasted.yaml")
		if err := os.WriteFile(pasted, []byte(strings.Replace(extractDataset, "figures: []\n", "figures:\n", 1)+out), 0o644); err != nil {
			t.Fatal(err)
		}
		if ds, _ := figures.Load([]string{pasted}, 0, time.Now()); ds != nil {
			t.Errorf("unreviewed proposals load as a dataset")
		}
		// Edited as the walkthrough says, they pass check, their quotes
		// verbatim in the article.
		// article.txt is the seed of source src, so the proposals cite it.
		if strings.Count(out, "    source: src\n") != 2 || strings.Count(out, "    credibility: TODO") != 2 {
			t.Errorf("proposals do not cite src, or carry no credibility to grade:\n%s", out)
		}
		edited := strings.NewReplacer("credibility: TODO", "credibility: 2 #", "period: {end: TODO}", "period: {end: 2023-10-28}", `labels: {country: ""}`, "labels: {country: KR}").Replace(out)
		if err := os.WriteFile(pasted, []byte(strings.Replace(extractDataset, "figures: []\n", "figures:\n", 1)+edited), 0o644); err != nil {
			t.Fatal(err)
		}
		if code, out, _ := runBinary(t, "check", "--seeds.dir", dir, pasted); code != 0 {
			t.Errorf("check rejects the edited proposals:\n%s", out)
		}
	})

	t.Run("source stub starts a report file that checks beside the dataset", func(t *testing.T) {
		report := filepath.Join(dir, "report.yaml")
		// A new article: no source of the dataset has it as its seed. Its
		// first sentence names its claimant; its first line is a sentence,
		// not a headline.
		newArticle := filepath.Join(dir, "new.txt")
		newText := "According to the police, hackers extracted 3.4 billion won from victims.\nPolice arrested four individuals last week.\n"
		if err := os.WriteFile(newArticle, []byte(newText), 0o644); err != nil {
			t.Fatal(err)
		}
		code, out, errOut := runBinary(t, "extract", "--figures.file", dataset, "--source-stub", newArticle)
		if code != 0 || errOut != "" {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		sum := sha256.Sum256([]byte(newText))
		for _, want := range []string{
			"sources:\n  - id: seed-new\n    seed: \"new.txt\"\n    sha256: " + hex.EncodeToString(sum[:]) + "\n",
			"    language: en\n",
			"    reliability: TODO",
			"\nfigures:\n",
			"    source: seed-new\n",
			`  # CLAIM the quote attributes it: "According to the police, hackers extracted 3.4 billion won from…"`,
		} {
			if !strings.Contains(out, want) {
				t.Errorf("the report file lacks %q:\n%s", want, out)
			}
		}
		if err := os.WriteFile(report, []byte(out), 0o644); err != nil {
			t.Fatal(err)
		}
		// As written, check refuses every decision left to the curator,
		// each at its line; the dataset's families are found in the
		// dataset's file.
		code, checked, _ := runBinary(t, "check", "--seeds.dir", dir, dataset, report)
		if code != 1 {
			t.Fatalf("check accepts an unreviewed report file:\n%s", checked)
		}
		for _, want := range []string{
			"report.yaml:7:12: error: source seed-new: title must not be empty",
			`report.yaml:9:18: error: source seed-new: reliability "TODO" is not an Admiralty grade`,
			`error: figure proposal-new-1: credibility "TODO" is not an Admiralty grade`,
			"error: figure proposal-new-2: label country must not be empty",
			`error: period end "TODO" is not a date`,
			"FAILED: 8 error(s)",
		} {
			if !strings.Contains(checked, want) {
				t.Errorf("check output lacks %q:\n%s", want, checked)
			}
		}
		// Filled in, it checks with the dataset.
		edited := strings.NewReplacer(`title: ""`, `title: "[police on a ransomware case]" #`, "reliability: TODO", "reliability: C #", "credibility: TODO", "credibility: 3 #",
			"period: {end: TODO}", "period: {end: 2023-10-28}", `labels: {country: ""}`, "labels: {country: KR}").Replace(out)
		if err := os.WriteFile(report, []byte(edited), 0o644); err != nil {
			t.Fatal(err)
		}
		if code, checked, _ := runBinary(t, "check", "--seeds.dir", dir, dataset, report); code != 0 || !strings.Contains(checked, "SUCCESS: 2 figures in 2 families from 2 sources") {
			t.Errorf("check rejects the filled-in report file (exit %d):\n%s", code, checked)
		}
		// Every number of the new article is curated (the dataset's own
		// uncited seed is not this test's business).
		if _, checked, _ := runBinary(t, "check", "--seeds.dir", dir, "--coverage", dataset, report); strings.Contains(checked, "new.txt:") {
			t.Errorf("coverage finds numbers of the new article:\n%s", checked)
		}

		// An article that already is a source's seed gets no stub: its
		// proposals cite that source, and the source's chain is shown.
		code, out, errOut = runBinary(t, "extract", "--figures.file", dataset, "--source-stub", article)
		if code != 0 || !strings.Contains(errOut, "already the seed of source src ("+dataset+":11:5)") || strings.Contains(out, "sources:") || !strings.Contains(out, "\nfigures:\n") || !strings.Contains(out, "    source: src\n") {
			t.Errorf("an existing seed: exit %d, stderr %q:\n%s", code, errOut, out)
		}
		if !strings.Contains(out, "  # CLAIM the source's chain applies (none: the outlet is the claimant)\n") {
			t.Errorf("the source's chain is not shown:\n%s", out)
		}
		// It is a report file too: filled in, it checks beside the dataset.
		filled := strings.NewReplacer("credibility: TODO", "credibility: 2 #", "period: {end: TODO}", "period: {end: 2023-10-28}", `labels: {country: ""}`, "labels: {country: KR}").Replace(out)
		if err := os.WriteFile(report, []byte(filled), 0o644); err != nil {
			t.Fatal(err)
		}
		if code, checked, _ := runBinary(t, "check", "--seeds.dir", dir, dataset, report); code != 0 || !strings.Contains(checked, "SUCCESS: 2 figures in 2 families from 1 sources") {
			t.Errorf("check rejects the filled-in figures of an existing source (exit %d):\n%s", code, checked)
		}
		// One report file, one article, in YAML.
		for _, args := range [][]string{{"extract", "--source-stub", newArticle, article}, {"extract", "--source-stub", "--format=json", newArticle}} {
			if code, out, errOut := runBinary(t, args...); code != 2 || out != "" || !strings.Contains(errOut, "one article") {
				t.Errorf("%v: exit %d, stdout %q, stderr %q", args, code, out, errOut)
			}
		}
		// A stub needs the seed's text, not a page.
		if code, _, errOut := runBinary(t, "extract", "--source-stub", page); code != 1 || !strings.Contains(errOut, "--format=text") {
			t.Errorf("HTML with --source-stub: exit %d, %q", code, errOut)
		}
	})

	t.Run("html", func(t *testing.T) {
		code, text, errOut := runBinary(t, "extract", "--format=text", page)
		if code != 0 {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		if want := "Report\n\nHackers stole $1.7 billion, up 36 percent.\n\n1\n"; text != want {
			t.Errorf("text is %q, want %q", text, want)
		}
		code, out, _ := runBinary(t, "extract", "--format=json", page)
		var got []struct {
			Line, Column int
			Text, Unit   string
			Value        float64
		}
		if err := json.Unmarshal([]byte(out), &got); code != 0 || err != nil {
			t.Fatalf("exit %d, %v:\n%s", code, err, out)
		}
		if len(got) != 2 || got[0].Text != "$1.7 billion" || got[0].Line != 3 || got[0].Column != 15 || got[1].Unit != "change_ratio" || got[1].Value != 0.36 {
			t.Errorf("candidates of the page: %+v", got)
		}
	})

	t.Run("errors", func(t *testing.T) {
		code, _, errOut := runBinary(t, "extract", filepath.Join(dir, "missing.txt"))
		if code != 1 || !strings.Contains(errOut, "missing.txt") {
			t.Errorf("missing file: exit %d, %q", code, errOut)
		}
		eucKR := filepath.Join(dir, "euc-kr.txt")
		if err := os.WriteFile(eucKR, []byte("\xc7\xcf\xb7\xe7 162\xb8\xb8 \xb0\xc7\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		if code, _, errOut := runBinary(t, "extract", eucKR); code != 0 || !strings.Contains(errOut, "not UTF-8") {
			t.Errorf("EUC-KR text: exit %d, %q", code, errOut)
		}
		code, _, _ = runBinary(t, "extract", "--format=xml", article)
		if code != 2 {
			t.Errorf("unknown format: exit %d, want 2", code)
		}
	})
}

// TestSourceStubGuesses: the stub's title is the first line only when it
// reads as a headline, and its language is ko only for Hangul text.
func TestSourceStubGuesses(t *testing.T) {
	for _, tc := range []struct{ text, title, lang string }{
		{"\n\nPolice trace crypto heist to North Korean hackers\n\nBy Lee\n", "Police trace crypto heist to North Korean hackers", "en"},
		{"The spokesperson called for deeper ties. More text.\n", "", "en"},
		{"경찰 \"북한 해킹조직, 직원 1천여 명에 피싱 메일\"\n\n본문이다.\n", "경찰 \"북한 해킹조직, 직원 1천여 명에 피싱 메일\"", "ko"},
		{"경찰은 34억 원을 뜯어냈다고 밝혔다\n", "", "ko"},
		{strings.Repeat("word ", 50) + "\n", "", "en"},
		// a few Korean words in English text leave it English
		{"The Korean headline reads 신용카드 1000건 정보 절취 적발 in the footnote of a long English article about hacking and theft of data.\n", "", "en"},
		{"", "", "en"},
	} {
		if got := headline(tc.text); got != tc.title {
			t.Errorf("headline(%q) = %q, want %q", tc.text, got, tc.title)
		}
		if got := textLanguage(tc.text); got != tc.lang {
			t.Errorf("textLanguage(%q) = %q, want %q", tc.text, got, tc.lang)
		}
	}
}

// TestClaimHint: the CLAIM line names the chain that applies and the
// attributing words, or says nothing when there is neither.
func TestClaimHint(t *testing.T) {
	src := &figures.Source{ID: "s", Chain: []string{"UN Panel of Experts", "Jung Kwang-jae"}}
	cited := "Jung further cited information coming out of the United States claiming that approximately 50% of the cost is coming from cybercrime."
	for _, tc := range []struct {
		name  string
		ps    proposalSource
		quote string
		want  string
	}{
		{"existing source, attributed", proposalSource{id: "s", src: src}, cited,
			`the source's chain applies (UN Panel of Experts > Jung Kwang-jae), but the quote attributes it: "Jung further cited information coming out of the United States claiming…"; if the claimant is not UN Panel of Experts, set claim: {chain: [...]} on the figure`},
		{"existing source", proposalSource{id: "s", src: src}, "Hackers stole $1.7 billion.", "the source's chain applies (UN Panel of Experts > Jung Kwang-jae)"},
		{"outlet is the claimant", proposalSource{id: "s", src: &figures.Source{ID: "s"}}, "Hackers stole $1.7 billion.", "the source's chain applies (none: the outlet is the claimant)"},
		{"new source, attributed", proposalSource{id: "seed-x"}, "According to the police, 4 were arrested.",
			`the quote attributes it: "According to the police, 4 were arrested."; set the source's chain, or claim: {chain: [...]} on the figure if its claimant differs`},
		{"new source", proposalSource{id: "seed-x"}, "Hackers stole $1.7 billion.", ""},
	} {
		if got := tc.ps.claimHint(tc.quote); got != tc.want {
			t.Errorf("%s: claimHint = %q, want %q", tc.name, got, tc.want)
		}
	}
}

// TestCurationWalkthrough keeps docs/curation.md true: the start of the
// report file it shows is what `extract --source-stub` writes for the
// walkthrough's article, the errors it shows are what `check` says of that
// file beside figures.yaml, and the report it shows edited passes `check
// --seeds.dir --coverage --strict`. (The whole walkthrough, servers
// included, is testdata/curation/walkthrough.sh --compare.) It works, as
// the doc does, in walk/ with a copy of the repository's seeds/; the
// outputs name files relative to walk/'s parent and the repository root.
func TestCurationWalkthrough(t *testing.T) {
	root := testtools.RepoRoot(t)
	doc, err := os.ReadFile(filepath.Join(root, "docs", "curation.md"))
	if err != nil {
		t.Fatal(err)
	}
	const article = "005_exchange_heist_walkthrough.txt"
	tmp := t.TempDir()
	seeds := filepath.Join(tmp, "walk", "seeds")
	reports := filepath.Join(tmp, "walk", "reports")
	for _, dir := range []string{seeds, reports} {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	names, _ := filepath.Glob(filepath.Join(root, "seeds", "*.txt"))
	if len(names) == 0 {
		t.Fatal("no seeds/*.txt in the repository")
	}
	for _, name := range append(names, filepath.Join(root, "testdata", "curation", article)) {
		data, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(seeds, filepath.Base(name)), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// relative names the files as the doc's commands, run from the root, do.
	relative := strings.NewReplacer(tmp+string(filepath.Separator), "", root+string(filepath.Separator), "").Replace
	dataset := filepath.Join(root, "figures.yaml")

	// Step 2: the doc shows `head -28` of the report file.
	shown := between(t, string(doc), "$ head -28 walk/reports/005.yaml\n", "$ ")
	code, out, errOut := runBinary(t, "extract", "--source-stub", filepath.Join(seeds, article))
	if code != 0 {
		t.Fatalf("extract: exit %d: %s", code, errOut)
	}
	out = relative(out)
	if lines := strings.SplitAfter(out, "\n"); len(lines) < 28 || strings.Join(lines[:28], "") != shown {
		t.Errorf("docs/curation.md shows a report file extract does not write; it writes:\n%s", out)
	}

	// Step 3: the errors of the unedited file, the dataset's own lines left out.
	report := filepath.Join(reports, "005.yaml")
	if err := os.WriteFile(report, []byte(out), 0o644); err != nil {
		t.Fatal(err)
	}
	shown = between(t, string(doc), "$ ./figures_exporter check --seeds.dir walk/seeds --coverage figures.yaml walk/reports/005.yaml | grep -v '^figures.yaml'\n", "```")
	code, checked, _ := runBinary(t, "check", "--seeds.dir", seeds, "--coverage", dataset, report)
	var got strings.Builder
	for _, line := range strings.SplitAfter(relative(checked), "\n") {
		if !strings.HasPrefix(line, "figures.yaml") {
			got.WriteString(line)
		}
	}
	if code != 1 || got.String() != shown {
		t.Errorf("docs/curation.md shows errors check does not report of the unedited file; check (exit %d) says:\n%s", code, got.String())
	}

	// Step 4's report, edited, passes step 5.
	if err := os.WriteFile(report, []byte(between(t, string(doc), "The report of this walkthrough, edited:\n\n```yaml\n", "```")), 0o644); err != nil {
		t.Fatal(err)
	}
	code, checked, _ = runBinary(t, "check", "--seeds.dir", seeds, "--coverage", "--strict", dataset, report)
	if code != 0 || !strings.Contains(checked, "SUCCESS: 31 figures in 18 families from 6 sources") {
		t.Errorf("the walkthrough's report does not check (exit %d):\n%s", code, checked)
	}
}

// between returns the text of s after start up to the next end.
func between(t *testing.T, s, start, end string) string {
	t.Helper()
	_, after, ok := strings.Cut(s, start)
	if !ok {
		t.Fatalf("docs/curation.md lacks %q", start)
	}
	text, _, ok := strings.Cut(after, end)
	if !ok {
		t.Fatalf("docs/curation.md: nothing ends %q", start)
	}
	return text
}

// TestPeriodHint: the comment a proposal's period carries when its quote
// names one year, as a period of that year, its half, or its start; none
// for no year, several, or a year only in a date.
func TestPeriodHint(t *testing.T) {
	tests := []struct{ quote, want string }{
		{"North Korea-linked hackers stole $1.34 billion in 2024.", "{start: 2024-01-01, end: 2024-12-31}"},
		{"an average of 1.37 million a day in the first half of 2023", "{start: 2023-01-01, end: 2023-06-30}"},
		{"H2 2022 saw 40 attacks", "{start: 2022-07-01, end: 2022-12-31}"},
		{"from 2022, the DPRK has hacked into more than 10 million PCs", "{start: 2022-01-01, end: TODO}"},
		{"Since 2017 it has stolen $3 billion", "{start: 2017-01-01, end: TODO}"},
		{"2023년 상반기 하루 평균 162만 건", "{start: 2023-01-01, end: 2023-06-30}"},
		{"2017년 이후 가상자산 약 4조 원을 탈취", "{start: 2017-01-01, end: TODO}"},
		{"지난해 2024년 피싱 메일 1천여 건", "{start: 2024-01-01, end: 2024-12-31}"},
		{"rose to 47 in 2024, from 20 in 2023", ""},
		{"the firm said 61% of all crypto stolen last year", ""},
		{"Digital Today, July 19, 2023: 1,000 cards", ""},
		{"on 2023-07-19 the agency said 1,000 cards", ""},
		{"2023년 7월 19일 국정원은 1000건", ""},
		{"the 2023 report counted 5 incidents by 2023", "{start: 2023-01-01, end: 2023-12-31}"},
		{"12,020 victims and 20,230 records", ""},
		{"attacks in 2022-2023 rose to 40", ""},
		{"attacks in 2022 2023 rose to 40", ""},
		{"FY2023 and 120231 are not years", ""},
		{"the first and second half of 2023 together", "{start: 2023-01-01, end: 2023-12-31}"},
	}
	for _, tt := range tests {
		got := periodHint(tt.quote)
		want := ""
		if tt.want != "" {
			want = "  # the quote names " + tt.want[8:12] + ": " + tt.want + "?"
		}
		if got != want {
			t.Errorf("periodHint(%q) = %q, want %q", tt.quote, got, want)
		}
	}
}
