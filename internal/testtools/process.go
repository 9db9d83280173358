package testtools

import (
	"net"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// Process is a server process a test started (the exporter, Prometheus,
// Alertmanager, ...). Its output is kept for the test to read and is logged
// when the test fails; it is stopped when the test ends.
type Process struct {
	Name string
	Cmd  *exec.Cmd
	done chan struct{}
	out  Buffer
}

// Log returns what the process has written so far (stdout and stderr).
func (p *Process) Log() string { return p.out.String() }

// Done is closed when the process has exited.
func (p *Process) Done() <-chan struct{} { return p.done }

// Exited says whether the process has ended.
func (p *Process) Exited() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

// Start runs bin as its own process (no shell) and stops it when the test
// ends: SIGTERM, then SIGKILL if it has not exited after 10 s. When the test
// failed, the end of the process's output is logged.
func Start(t testing.TB, name, bin string, args ...string) *Process {
	t.Helper()
	p := &Process{Name: name, done: make(chan struct{})}
	p.Cmd = exec.Command(bin, args...)
	p.Cmd.Stdout, p.Cmd.Stderr = &p.out, &p.out
	if err := p.Cmd.Start(); err != nil {
		t.Fatalf("starting %s: %v", name, err)
	}
	t.Logf("started %s (pid %d): %s %s", name, p.Cmd.Process.Pid, filepath.Base(bin), strings.Join(args, " "))
	go func() {
		_ = p.Cmd.Wait()
		close(p.done)
	}()
	t.Cleanup(func() {
		if !p.Exited() {
			_ = p.Cmd.Process.Signal(syscall.SIGTERM)
			select {
			case <-p.done:
			case <-time.After(10 * time.Second):
				t.Logf("%s (pid %d) did not stop on SIGTERM within 10s; killing it", name, p.Cmd.Process.Pid)
				_ = p.Cmd.Process.Kill()
				<-p.done
			}
		}
		if t.Failed() {
			out := p.Log()
			if len(out) > 6000 {
				out = "…" + out[len(out)-6000:]
			}
			t.Logf("--- output of %s (pid %d) ---\n%s", name, p.Cmd.Process.Pid, out)
		}
	})
	return p
}

// FreeAddr returns a loopback address with a port that was free a moment ago.
func FreeAddr(t testing.TB) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}
