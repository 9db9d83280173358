package collector

import (
	"runtime"
	"sync"
	"sync/atomic"
)

// pool runs the jobs of one encoding pass on a fixed number of goroutines
// besides the caller. Jobs may submit further jobs (a family submits its
// runs). A job goes to an idle worker through a short queue, or runs at
// once in the goroutine that submits it when the queue is full: so a pass
// never deadlocks, and the work in flight (and the series it holds) stays
// bounded by the queue.
type pool struct {
	jobs    chan func()
	pending atomic.Int64  // jobs not finished, plus one until Wait
	done    chan struct{} // closed when pending drops to zero
	workers sync.WaitGroup
}

// workersFor is how many goroutines encode beside the caller. At startup
// there is nothing to serve yet, so every core works. At a reload (or for
// a format first asked for by a scrape) scrapes are served meanwhile from
// the current snapshot, so together the pass takes at most half the cores
// (on 2 cores, only the caller): a scrape that finds every P busy waits for
// the scheduler's 10 ms preemption, which is what a scrape's p99 during
// reloads measured (bench/run.sh: 48 ms against 5.5 ms without reloads).
func workersFor(startup bool) int {
	procs := runtime.GOMAXPROCS(0)
	if startup {
		return procs - 1
	}
	return max(0, procs/2-1)
}

func newPool(workers int) *pool {
	p := &pool{jobs: make(chan func(), 2*workers), done: make(chan struct{})}
	// The caller's hold: pending cannot reach zero (and close done) between
	// two of its submissions.
	p.pending.Store(1)
	for range workers {
		p.workers.Go(func() {
			for job := range p.jobs {
				job()
			}
		})
	}
	return p
}

// Go runs job on the pool; call it from the caller before Wait, or from a
// job.
func (p *pool) Go(job func()) {
	p.pending.Add(1)
	wrapped := func() {
		defer p.finish()
		job()
	}
	select {
	case p.jobs <- wrapped:
	default:
		wrapped()
	}
}

// Wait works on queued jobs until every job has finished, then stops the
// workers.
func (p *pool) Wait() {
	p.finish() // the caller's hold
loop:
	for {
		select {
		case job := <-p.jobs:
			job()
		case <-p.done:
			break loop
		}
	}
	close(p.jobs)
	p.workers.Wait()
}

func (p *pool) finish() {
	if p.pending.Add(-1) == 0 {
		close(p.done)
	}
}
