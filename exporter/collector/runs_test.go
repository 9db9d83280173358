package collector

import (
	"fmt"
	"math"
	"slices"
	"testing"
)

// idSeries makes n series with distinct figure ids.
func idSeries(n int) []series {
	ss := make([]series, n)
	for i := range ss {
		ss[i].id = fmt.Sprintf("figure-%06d", i)
	}
	return ss
}

// bounds are the runs of ss as the ids that start and end them.
func bounds(ss []series, runs []span) [][2]string {
	var out [][2]string
	for _, r := range runs {
		out = append(out, [2]string{ss[r.start].id, ss[r.end-1].id})
	}
	return out
}

// TestCutRuns: runs cover the series in order, only the first carries the
// header, none is longer than maxRun, and the cuts depend on the series'
// own ids: removing one series changes only the run it was in.
func TestCutRuns(t *testing.T) {
	for _, tc := range []struct {
		n       int
		every   uint64
		longest int
	}{
		{1, 512, 4096}, {3, 1, 4096}, {1000, 16, 4096}, {1000, 16, 5}, {20000, 512, 4096},
	} {
		t.Run(fmt.Sprintf("%d series, cut every %d, at most %d", tc.n, tc.every, tc.longest), func(t *testing.T) {
			ss := idSeries(tc.n)
			runs := cutRuns(ss, tc.every, tc.longest)
			next := 0
			for k, r := range runs {
				if r.start != next || r.end <= r.start || r.end-r.start > tc.longest || r.header != (k == 0) {
					t.Fatalf("run %d is %+v after %d", k, r, next)
				}
				if r.end < tc.n && r.end-r.start < tc.longest && !endsRun(ss[r.end-1].id, tc.every) {
					t.Fatalf("run %d ends at %s, which is no cut", k, ss[r.end-1].id)
				}
				next = r.end
			}
			if next != tc.n {
				t.Fatalf("runs end at %d of %d series", next, tc.n)
			}
			if tc.longest < 100 || tc.n < 3 {
				return // fixed-length runs shift, by design
			}
			m := tc.n / 2
			fewer := slices.Delete(slices.Clone(ss), m, m+1)
			before, after := bounds(ss, runs), bounds(fewer, cutRuns(fewer, tc.every, tc.longest))
			changed := 0
			for _, b := range before {
				if !slices.Contains(after, b) {
					changed++
				}
			}
			if changed > 2 || len(after) < len(before)-1 {
				t.Errorf("removing one series changed %d runs (%d -> %d runs)", changed, len(before), len(after))
			}
		})
	}
}

// TestKeysTellContentApart: any change to what a run's bytes depend on
// changes its key, and nothing else does.
func TestKeysTellContentApart(t *testing.T) {
	f := &family{name: "figures_x", help: "Help."}
	base := func() []series {
		return []series{
			{labels: []labelPair{{"a", "1"}, {"figure_id", "x1"}}, value: 0, id: "x1"},
			{labels: []labelPair{{"a", "2"}, {"figure_id", "x2"}}, value: 2, id: "x2"},
		}
	}
	w := newKeyWriter()
	whole := span{start: 0, end: 2, header: true}
	want := w.key(f, base(), whole)
	if again := w.key(f, base(), whole); again != want {
		t.Fatal("the same run keys differently twice")
	}
	for _, tc := range []struct {
		name   string
		f      *family
		change func(ss []series)
		r      span
	}{
		{"value", f, func(ss []series) { ss[1].value = 3 }, whole},
		{"negative zero", f, func(ss []series) { ss[0].value = math.Copysign(0, -1) }, whole}, // written "-0"
		{"label value", f, func(ss []series) { ss[0].labels[0].value = "3" }, whole},
		{"label name", f, func(ss []series) { ss[0].labels[0].name = "b" }, whole},
		{"label moved between name and value", f, func(ss []series) { ss[0].labels[0] = labelPair{"a1", ""} }, whole},
		{"one label fewer", f, func(ss []series) { ss[0].labels = ss[0].labels[:1] }, whole},
		{"family name", &family{name: "figures_y", help: "Help."}, func([]series) {}, whole},
		{"help", &family{name: "figures_x", help: "Other."}, func([]series) {}, whole},
		{"no header", f, func([]series) {}, span{start: 0, end: 2}},
		{"fewer series", f, func([]series) {}, span{start: 0, end: 1, header: true}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ss := base()
			tc.change(ss)
			if got := w.key(tc.f, ss, tc.r); got == want {
				t.Errorf("same key as the original run")
			}
		})
	}
	// The help is only in the key of the run that writes it.
	other := &family{name: "figures_x", help: "Other."}
	if w.key(f, base(), span{start: 1, end: 2}) != w.key(other, base(), span{start: 1, end: 2}) {
		t.Error("the help changes the key of a run without the header")
	}
}
