package collector

import (
	"fmt"
	"runtime"
	"sync/atomic"
	"testing"
)

// TestPool: every job runs once, jobs submitted by jobs too, whatever the
// number of workers, and Wait returns only when all have run.
func TestPool(t *testing.T) {
	for _, workers := range []int{0, 1, 3} {
		t.Run(fmt.Sprintf("%d workers", workers), func(t *testing.T) {
			p := newPool(workers)
			var ran [300]atomic.Int32
			for i := range 100 {
				p.Go(func() {
					ran[i].Add(1)
					for k := 1; k <= 2; k++ {
						p.Go(func() { ran[i+100*k].Add(1) })
					}
				})
			}
			p.Wait()
			for i := range ran {
				if n := ran[i].Load(); n != 1 {
					t.Fatalf("job %d ran %d times", i, n)
				}
			}
		})
	}
}

// TestWorkersFor: a reload leaves half the cores to scrapes (on 1 or 2
// cores the caller works alone); startup takes them all.
func TestWorkersFor(t *testing.T) {
	for _, tc := range []struct {
		procs, startup, reload int
	}{{1, 0, 0}, {2, 1, 0}, {4, 3, 1}, {8, 7, 3}, {16, 15, 7}} {
		t.Run(fmt.Sprint(tc.procs), func(t *testing.T) {
			defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(tc.procs))
			if got := workersFor(true); got != tc.startup {
				t.Errorf("startup: %d workers, want %d", got, tc.startup)
			}
			if got := workersFor(false); got != tc.reload {
				t.Errorf("reload: %d workers, want %d", got, tc.reload)
			}
		})
	}
}
