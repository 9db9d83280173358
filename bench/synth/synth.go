// Package synth generates synthetic figures datasets for benchmarks: valid
// for the exporter's schema and shaped like the curated figures.yaml (about
// 50 families of 2 to 4 low-cardinality labels, one source per handful of
// figures, quoted sentences, notes, derivations, parts and shares), at any
// number of figures. The output is deterministic for a given size and
// variant, so that benchmark runs compare like with like; two variants of
// one size differ only in the value of their first figure, which makes a
// reload between them a real (changed) reload of the whole dataset.
package synth

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Families is how many metric families every generated dataset defines.
const Families = 50

// FiguresPerSource is how many figures cite one source on average (the
// curated dataset has 27 figures from 4 sources).
const FiguresPerSource = 6

// label dimensions with the value sets the curated dataset uses, widened a
// little so that series stay distinct.
var dimensions = []struct {
	name   string
	values []string
}{
	{"target_country", []string{"KR", "US", "JP", "GB", "DE"}},
	{"origin_country", []string{"KP", "CN", "RU", "IR", "CN+KP"}},
	{"reporter", []string{"nis", "un_panel_of_experts", "inss", "kr_government", "us_government", "chainalysis"}},
	{"scope", []string{"foreign", "adversaries", "state_backed_and_global", "public_sector"}},
	{"baseline", []string{"previous_year", "previous_half", "previous_quarter"}},
	{"stream", []string{"cyber", "all", "arms", "labour"}},
	{"vector", []string{"security_products", "supply_chain", "phishing", "watering_hole"}},
	{"data", []string{"credit_card", "resident_id", "medical", "email"}},
	{"software", []string{"security_certification", "vpn", "groupware", "ERP"}},
	{"programme", []string{"ballistic_missile", "weapons_development", "nuclear"}},
	{"country", []string{"KR", "US", "JP"}},
	{"plan", []string{"national_cybersecurity_basic_plan", "defence_cyber_plan"}},
	{"task_type", []string{"all", "individual", "joint"}},
}

var subjects = []string{
	"cyberattacks", "phishing_campaigns", "ransomware_incidents", "stolen_digital_assets", "cryptocurrency_theft",
	"exposed_computers", "targeted_organizations", "personal_data_theft", "illicit_revenue", "cybercrime_arrests",
	"supply_chain_compromises", "defence_contractor_breaches", "hacking_groups", "malware_samples", "laundered_assets",
	"it_worker_schemes", "sanctions_designations", "bounty_payouts", "vulnerability_reports", "espionage_operations",
	"leaked_documents", "ddos_attacks", "website_defacements", "account_takeovers", "smishing_messages",
}

type unitKind struct {
	unit, suffix string
	lo, hi       float64
}

var unitKinds = []unitKind{
	{"count", "", 1, 2e6},
	{"ratio", "_ratio", 0, 1},
	{"change_ratio", "_ratio", -0.9, 3},
	{"usd", "_usd", 1e5, 2e10},
	{"krw", "_krw", 1e8, 5e12},
}

var qualifiers = []string{"none", "none", "none", "about", "at_least", "more_than", "at_most", "less_than"}

var publishers = []string{"The Korea Herald", "Yonhap News Agency", "The Korea Times", "Digital Today", "NK News", "Reuters", "The Diplomat", "Viewus Global"}

var words = strings.Fields(`the national intelligence service said hackers linked to the north stole
millions of dollars in cryptocurrency and attacked public institutions defence contractors and
financial firms according to a report released on tuesday by the agency which warned that state
backed groups are expanding their operations against the south with more sophisticated malware
phishing emails and supply chain attacks that compromise widely used security software`)

type family struct {
	name, help string
	unit       unitKind
	labels     []int // indexes into dimensions
	shareLabel string
	combos     int
}

// Generate writes a dataset of n figures as one file. variant 0 and 1
// differ only in the value of the first figure.
func Generate(w io.Writer, n int, variant int) error {
	d := generate(n, variant)
	bw := bufio.NewWriterSize(w, 1<<20)
	bw.Write(d.families)
	bw.WriteString("sources:\n")
	for _, src := range d.sources {
		bw.Write(src)
	}
	bw.WriteString("\nfigures:\n")
	for _, figs := range d.figures {
		bw.Write(figs)
	}
	return bw.Flush()
}

// WriteFiles writes the files of GenerateFiles into dir and returns their
// paths, in order: what tests and benchmarks serve.
func WriteFiles(dir string, n, perFile, variant int) ([]string, error) {
	var paths []string
	err := GenerateFiles(n, perFile, variant, func(name string, data []byte) error {
		path := filepath.Join(dir, name)
		paths = append(paths, path)
		return os.WriteFile(path, data, 0o644)
	})
	return paths, err
}

// GenerateFiles makes the same dataset as Generate split into files the way
// a curator splits one, by report: families.yaml holds the families, and
// each further file a report (a source) and the figures quoted from it, or
// several reports so that a file holds about perFile figures (at least one
// report). It hands each file to write, in order.
func GenerateFiles(n, perFile, variant int, write func(name string, data []byte) error) error {
	d := generate(n, variant)
	if err := write("families.yaml", d.families); err != nil {
		return err
	}
	per := max(1, perFile/FiguresPerSource)
	for first := 0; first < len(d.sources); first += per {
		last := min(first+per, len(d.sources))
		var b bytes.Buffer
		b.WriteString("sources:\n")
		for _, src := range d.sources[first:last] {
			b.Write(src)
		}
		if figs := bytes.Join(d.figures[first:last], nil); len(figs) > 0 {
			b.WriteString("\nfigures:\n")
			b.Write(figs)
		}
		if err := write(fmt.Sprintf("report-%06d.yaml", first), b.Bytes()); err != nil {
			return err
		}
	}
	return nil
}

// dataset is a generated dataset in pieces: the families section (with the
// file's header comment), each source's list item and, per source, the list
// items of the figures quoted from it.
type dataset struct {
	families []byte
	sources  [][]byte
	figures  [][]byte
}

func generate(n int, variant int) dataset {
	r := rand.New(rand.NewPCG(uint64(n), 0x5eed))
	fams := makeFamilies(r)
	nSources := n/FiguresPerSource + 1
	d := dataset{sources: make([][]byte, nSources), figures: make([][]byte, nSources)}

	var bw bytes.Buffer
	fmt.Fprintf(&bw, "# Synthetic dataset for benchmarks: %d figures, %d families, %d sources (bench/synth).\n", n, len(fams), nSources)
	bw.WriteString("families:\n")
	for _, f := range fams {
		fmt.Fprintf(&bw, "  - name: %s\n    help: %q\n    unit: %s\n    labels: [", f.name, f.help, f.unit.unit)
		for i, d := range f.labels {
			if i > 0 {
				bw.WriteString(", ")
			}
			bw.WriteString(dimensions[d].name)
		}
		bw.WriteString("]\n")
		if f.shareLabel != "" {
			fmt.Fprintf(&bw, "    share_label: %s\n", f.shareLabel)
		}
		bw.WriteString("\n")
	}
	d.families = bytes.Clone(bw.Bytes())

	base := time.Date(2016, 1, 1, 0, 0, 0, 0, time.UTC)
	for s := 0; s < nSources; s++ {
		bw.Reset()
		fmt.Fprintf(&bw, "  - id: src-%06d\n    seed: %03d_%016x.txt\n    title: %q\n", s, s%1000, r.Uint64(), title(r))
		if s%5 != 0 {
			fmt.Fprintf(&bw, "    publisher: %s\n", publishers[r.IntN(len(publishers))])
		}
		if s%3 != 0 {
			fmt.Fprintf(&bw, "    author: %s %s\n", []string{"Kim", "Lee", "Park", "Choi", "Jung"}[r.IntN(5)], []string{"Arin", "Jin-kyu", "Min-ji", "Daniel", "Seo-yeon"}[r.IntN(5)])
		}
		if s%7 != 0 {
			// Published after every period of its figures (see below).
			fmt.Fprintf(&bw, "    published: %s\n", base.AddDate(0, 0, 3650).Format(time.DateOnly))
		}
		if s%4 == 0 {
			fmt.Fprintf(&bw, "    notes: >-\n      %s\n", sentence(r, 30))
		}
		d.sources[s] = bytes.Clone(bw.Bytes())
	}

	perFamily := make([]int, len(fams))
	var lastID string
	figs := make([]bytes.Buffer, nSources)
	for i := 0; i < n; i++ {
		// Figures cite their sources in order, FiguresPerSource each.
		src := (i / FiguresPerSource) % nSources
		bw := &figs[src]
		fi := i % len(fams)
		f := fams[fi]
		k := perFamily[fi]
		perFamily[fi]++
		id := fmt.Sprintf("%s-%07d", strings.TrimPrefix(f.name, "figures_"), i)
		id = strings.ReplaceAll(id, "_", "-")
		// Labels: k mod combos picks the label values, k / combos the
		// period, so that (labels, period) is unique within the family.
		combo, slot := k%f.combos, k/f.combos
		end := base.AddDate(0, 0, slot%3000)
		value := f.unit.lo + r.Float64()*(f.unit.hi-f.unit.lo)
		if f.unit.unit == "count" {
			value = float64(int(value))
		}
		if f.shareLabel != "" {
			value /= 6
		}
		if i == 0 {
			// The first family counts, so any positive value is valid.
			value = float64(1000 + variant)
		}
		fmt.Fprintf(bw, "  - id: %s\n    family: %s\n    labels: {", id, f.name)
		c := combo
		for j, d := range f.labels {
			vals := dimensions[d].values
			if j > 0 {
				bw.WriteString(", ")
			}
			fmt.Fprintf(bw, "%s: %s", dimensions[d].name, vals[c%len(vals)])
			c /= len(vals)
		}
		fmt.Fprintf(bw, "}\n    value: %.6g\n    qualifier: %s\n", value, qualifiers[r.IntN(len(qualifiers))])
		if i%9 == 4 {
			fmt.Fprintf(bw, "    period: {end: %s}\n", end.Format(time.DateOnly))
		} else {
			start := end.AddDate(0, -1-r.IntN(24), 0)
			fmt.Fprintf(bw, "    period: {start: %s, end: %s}\n", start.Format(time.DateOnly), end.Format(time.DateOnly))
		}
		fmt.Fprintf(bw, "    source: src-%06d\n    quote: %q\n    curated: 2026-01-15\n", src, sentence(r, 12+r.IntN(20)))
		if i%10 == 3 {
			bw.WriteString("    revised: 2026-03-02\n")
		}
		if i%6 == 1 {
			fmt.Fprintf(bw, "    notes: %s\n", sentence(r, 15+r.IntN(15)))
		}
		if i%25 == 7 && lastID != "" {
			fmt.Fprintf(bw, "    derived:\n      from: [%s]\n      method: %s\n", lastID, sentence(r, 10))
		}
		lastID = id
	}
	for s := range figs {
		d.figures[s] = figs[s].Bytes()
	}
	return d
}

func makeFamilies(r *rand.Rand) []family {
	var fams []family
	seen := map[string]bool{}
	for len(fams) < Families {
		u := unitKinds[len(fams)%len(unitKinds)]
		subj := subjects[r.IntN(len(subjects))]
		name := fmt.Sprintf("figures_%s_%s%s", subj, []string{"total", "reported", "detected", "estimated", "attributed", "confirmed"}[r.IntN(6)], u.suffix)
		if u.unit == "count" {
			name = strings.TrimSuffix(name, "_total") + "_number"
		}
		if seen[name] {
			continue
		}
		seen[name] = true
		nl := 2 + r.IntN(3)
		perm := r.Perm(len(dimensions))[:nl]
		f := family{name: name, unit: u, labels: perm, combos: 1}
		for _, d := range perm {
			f.combos *= len(dimensions[d].values)
		}
		f.help = fmt.Sprintf("Synthetic family %d: %s as the sources report them, by %s.", len(fams), strings.ReplaceAll(subj, "_", " "), dimensions[perm[0]].name)
		if u.unit == "ratio" && len(fams)%2 == 1 {
			// Shares of one whole split by this label. Values of such
			// families stay below 1/6 (see Generate), so however the
			// figures of one period group, their shares sum below 1.
			for _, d := range perm {
				if dimensions[d].name != "origin_country" {
					f.shareLabel = dimensions[d].name
					break
				}
			}
		}
		fams = append(fams, f)
	}
	return fams
}

func title(r *rand.Rand) string {
	t := sentence(r, 8+r.IntN(10))
	return strings.ToUpper(t[:1]) + t[1:]
}

func sentence(r *rand.Rand, n int) string {
	var b strings.Builder
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(words[r.IntN(len(words))])
	}
	return b.String()
}
