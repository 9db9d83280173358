package extract

import (
	"math/rand"
	"runtime"
	"strings"
	"testing"
	"time"
)

// FuzzExtract feeds arbitrary bytes, as text and as HTML: extraction must
// not panic, and every candidate must satisfy the invariants (its text is
// the input at its offset, its quote is verbatim in the input, its line and
// column point at it).
func FuzzExtract(f *testing.F) {
	for _, tc := range expressions {
		f.Add([]byte(tc.in))
	}
	for _, in := range notFigures {
		f.Add([]byte(in))
	}
	f.Add([]byte("<html><body><p>They stole <b>$1.7</b> billion.</p><script>var x = 5;</script></body></html>"))
	f.Add([]byte("2조 2천억 원 3억4천만 1천만 대 1만여 건 15%가량 3분의 1 1/3"))
	f.Add([]byte("\xff\xfe1,000\x00 million\u00a0won $"))
	fams := []Family{{Name: "figures_attacks", Unit: "count", Help: "Number of attacks."}}
	f.Fuzz(func(t *testing.T, data []byte) {
		text := string(data)
		cands, _ := Extract("f.txt", text, fams)
		checkInvariants(t, text, cands)
		html := HTMLText(data)
		cands, _ = Extract("f.html", html, fams)
		checkInvariants(t, html, cands)
	})
}

// TestLargeInputs runs large inputs built to be hard: 4 MiB of random bytes
// and 4 MiB of numbers without a sentence end, and 1 MiB (enough to show
// that nothing grows with the square of the input, and cheaper under the
// race detector) of one line of digits and separators, Korean units, one
// long word, dots between numbers and deep HTML. Each must finish in bounded
// time and memory and stop at MaxCandidates.
func TestLargeInputs(t *testing.T) {
	const size = 4 << 20
	const small = 1 << 20
	rng := rand.New(rand.NewSource(1))
	random := make([]byte, size)
	rng.Read(random)
	for _, tc := range []struct {
		name string
		in   string
		html bool
	}{
		{"random bytes", string(random), false},
		{"numbers without a sentence end", strings.Repeat("about 12 million dollars and ", size/29), false},
		{"digits and commas", strings.Repeat("1,000,", small/6), false},
		{"korean units", strings.Repeat("2조 2천억 원 ", small/17), false},
		{"one long word", strings.Repeat("a", small), false},
		{"digits only", strings.Repeat("7", small), false},
		{"points and spaces", strings.Repeat(". 1 ", small/4), false},
		{"deep html", strings.Repeat("<div><p>5 attacks ", small/18), true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			start := time.Now()
			text := tc.in
			if tc.html {
				text = HTMLText([]byte(tc.in))
			}
			cands, err := Extract("big.txt", text, nil)
			elapsed := time.Since(start)
			runtime.ReadMemStats(&after)
			if len(cands) > MaxCandidates {
				t.Errorf("%d candidates, more than MaxCandidates", len(cands))
			}
			if len(cands) == MaxCandidates && err != ErrTooMany {
				t.Errorf("stopped at MaxCandidates without ErrTooMany")
			}
			allocated := after.TotalAlloc - before.TotalAlloc
			t.Logf("%d candidates in %v, %d MiB allocated", len(cands), elapsed, allocated>>20)
			// Generous bounds (the race detector slows this down ~10x):
			// what matters is that nothing grows with the square of the
			// input.
			if elapsed > 30*time.Second {
				t.Errorf("took %v", elapsed)
			}
			if allocated > 512<<20 {
				t.Errorf("allocated %d MiB", allocated>>20)
			}
		})
	}
}

// article is a news article of about 100 kB: English and Korean
// paragraphs with the kinds of numbers articles have, and dates, years and
// page furniture that must be skipped.
func article() string {
	paras := []string{
		"SEOUL, Nov. 1 (Yonhap) -- The spy service chief told lawmakers that more than 80 percent of foreign cyberattacks against South Korea were by North Korea and China, and that the frequency of such cyberattacks has increased by about 32 percent so far this year compared to the year prior.",
		"The report further states that the value of digital assets stolen by North Korea's state-sponsored attacks spiked three-fold from 2021 to 2022, totaling approximately $1.7 billion, while four individuals were arrested for extracting 3.4 billion won ($2 million).",
		"국정원은 북한이 2015년 이후 15억달러 이상 가상자산을 탈취했으며, 올해 상반기에만 1억8000만달러 이상 해킹 사고에 관여했다고 밝혔다. 하루 평균 162만 건의 공격이 있었고 전년 대비 15% 증가했다.",
		"The Basic Plan comprises 100 action tasks, including 93 individual tasks and 7 joint tasks from 14 ministries, published on July 19, 2023 at 10 a.m.; see page 12.",
		"Published : Nov. 1, 2023 - 18:41 | By Kim Arin | Comments 0",
	}
	var b strings.Builder
	for b.Len() < 100<<10 {
		for _, p := range paras {
			b.WriteString(p)
			b.WriteString("\n\n")
		}
	}
	return b.String()
}

// BenchmarkExtract measures extraction of a 100 kB article (the target is
// under 50 ms); b.SetBytes makes the result readable as MB/s, the cost per
// megabyte.
func BenchmarkExtract(b *testing.B) {
	text := article()
	fams := []Family{
		{Name: "figures_cyberattacks_change_ratio", Unit: "change_ratio", Help: "Relative change in cyberattacks against the target country."},
		{Name: "figures_stolen_digital_assets_usd", Unit: "usd", Help: "Value of digital assets stolen, in US dollars."},
		{Name: "figures_cybersecurity_plan_tasks", Unit: "count", Help: "Number of action tasks in a government cybersecurity plan."},
	}
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Extract("article.txt", text, fams); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkHTMLText measures reducing a 100 kB HTML page to its text.
func BenchmarkHTMLText(b *testing.B) {
	var page strings.Builder
	page.WriteString("<html><head><script>var a = 1;</script></head><body>")
	for _, p := range strings.Split(article(), "\n\n") {
		page.WriteString("<p>" + p + "</p>\n")
	}
	page.WriteString("</body></html>")
	data := []byte(page.String())
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		HTMLText(data)
	}
}
