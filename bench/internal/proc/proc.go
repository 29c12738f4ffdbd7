// Package proc starts bridge server processes for benchmarks and tests,
// optionally pinned to CPUs with taskset, and tells when they answer, when
// they die and how much memory and CPU they use.
package proc

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/echofn/echofn/bench/internal/load"
	"github.com/echofn/echofn/bench/internal/procstat"
)

// Spec describes a server process.
type Spec struct {
	// Name labels the process in errors.
	Name string
	// Path and Args are the program and its arguments.
	Path string
	Args []string
	// Dir is the working directory; Env is added to this process's
	// environment.
	Dir string
	Env []string
	// CPUs, when set, pins the process with `taskset -c CPUs`.
	CPUs string
	// LogFile, when set, receives the process's standard output and error
	// directly (no pipe through this process); otherwise the last 64 KiB
	// are kept in memory. Either way Process.Output returns the end.
	LogFile string
}

// Process is a started server.
type Process struct {
	spec    Spec
	cmd     *exec.Cmd
	started time.Time
	done    chan struct{}
	waitErr error
	tail    *tailBuffer
	logFile *os.File
}

// Start starts the process. The caller must Stop it.
func Start(s Spec) (*Process, error) {
	path, args := s.Path, s.Args
	if s.CPUs != "" {
		ts, err := exec.LookPath("taskset")
		if err != nil {
			return nil, fmt.Errorf("pinning %s to CPU %s: %w", s.Name, s.CPUs, err)
		}
		args = append([]string{"-c", s.CPUs, path}, args...)
		path = ts
	}
	cmd := exec.Command(path, args...)
	cmd.Dir = s.Dir
	cmd.Env = append(os.Environ(), s.Env...)
	p := &Process{spec: s, cmd: cmd, done: make(chan struct{}), tail: &tailBuffer{max: 64 << 10}}
	if s.LogFile != "" {
		f, err := os.OpenFile(s.LogFile, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
		if err != nil {
			return nil, err
		}
		p.logFile = f
		cmd.Stdout, cmd.Stderr = f, f
	} else {
		cmd.Stdout, cmd.Stderr = p.tail, p.tail
	}
	p.started = time.Now()
	if err := cmd.Start(); err != nil {
		if p.logFile != nil {
			p.logFile.Close()
		}
		return nil, fmt.Errorf("starting %s: %w", s.Name, err)
	}
	go func() {
		p.waitErr = cmd.Wait()
		if p.logFile != nil {
			p.logFile.Close()
		}
		close(p.done)
	}()
	return p, nil
}

// Started is when Start was called.
func (p *Process) Started() time.Time { return p.started }

// Pid is the process id (taskset runs the program in its own process).
func (p *Process) Pid() int { return p.cmd.Process.Pid }

// Exited reports whether the process has ended, and how.
func (p *Process) Exited() (bool, error) {
	select {
	case <-p.done:
		return true, p.waitErr
	default:
		return false, nil
	}
}

// Done is closed when the process ends.
func (p *Process) Done() <-chan struct{} { return p.done }

// Output returns the end (at most 64 KiB) of what the process wrote.
func (p *Process) Output() string {
	if p.spec.LogFile == "" {
		return p.tail.String()
	}
	raw, err := readTail(p.spec.LogFile, 64<<10)
	if err != nil {
		return "(log unreadable: " + err.Error() + ")"
	}
	return string(raw)
}

func readTail(path string, max int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	off := st.Size() - max
	if off < 0 {
		off = 0
	}
	return io.ReadAll(io.NewSectionReader(f, off, st.Size()-off))
}

// Status reads the process's /proc status.
func (p *Process) Status() (procstat.Status, error) { return procstat.Read(p.Pid()) }

// CPUTime is the CPU time the process has used.
func (p *Process) CPUTime() (time.Duration, error) { return procstat.CPUTime(p.Pid()) }

// Stop sends SIGTERM, waits up to grace for the process to end, then kills
// it. It returns the exit error, if the process did not end cleanly on
// SIGTERM.
func (p *Process) Stop(grace time.Duration) error {
	if done, err := p.Exited(); done {
		return fmt.Errorf("%s had already exited: %v", p.spec.Name, err)
	}
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.done:
		return p.waitErr
	case <-time.After(grace):
		_ = p.cmd.Process.Kill()
		<-p.done
		return fmt.Errorf("%s did not stop within %v of SIGTERM", p.spec.Name, grace)
	}
}

// Kill ends the process at once and waits for it.
func (p *Process) Kill() {
	_ = p.cmd.Process.Kill()
	<-p.done
}

// WaitReady sends r to addr until it is answered with r.Want, the process
// exits or timeout passes, and returns when the answer came.
func (p *Process) WaitReady(addr string, r load.Request, timeout time.Duration) (time.Time, error) {
	deadline := time.Now().Add(timeout)
	var last error
	for time.Now().Before(deadline) {
		if done, err := p.Exited(); done {
			return time.Time{}, fmt.Errorf("%s exited before answering: %v\n%s", p.spec.Name, err, p.Output())
		}
		status, err := Once(addr, r, time.Second)
		if err == nil && status == r.Want {
			return time.Now(), nil
		}
		if err == nil {
			last = fmt.Errorf("status %d", status)
		} else {
			last = err
		}
		time.Sleep(time.Millisecond)
	}
	return time.Time{}, fmt.Errorf("%s did not answer within %v: %v\n%s", p.spec.Name, timeout, last, p.Output())
}

// Once sends one request on a new connection and returns the status.
func Once(addr string, r load.Request, timeout time.Duration) (int, error) {
	c, err := net.DialTimeout("tcp", addr, timeout)
	if err != nil {
		return 0, err
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(timeout))
	if _, err := c.Write(load.Build(nil, addr, &r, time.Now())); err != nil {
		return 0, err
	}
	status, _, _, err := load.ReadResponse(bufio.NewReader(c), nil)
	return status, err
}

// FreeAddr returns a loopback address with a port that was free a moment
// ago.
func FreeAddr() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer l.Close()
	return l.Addr().String(), nil
}

// Port returns the port of a host:port address.
func Port(addr string) string {
	_, port, _ := net.SplitHostPort(addr)
	return port
}

// ErrNotPinned is returned by CheckPinned when the process may run on
// other CPUs than asked.
var ErrNotPinned = errors.New("process is not pinned")

// CheckPinned verifies that the process may only run on the CPUs it was
// pinned to.
func (p *Process) CheckPinned() error {
	if p.spec.CPUs == "" {
		return nil
	}
	s, err := p.Status()
	if err != nil {
		return err
	}
	if s.CPUs != p.spec.CPUs {
		return fmt.Errorf("%w: %s may run on CPUs %q, not only %q", ErrNotPinned, p.spec.Name, s.CPUs, p.spec.CPUs)
	}
	return nil
}

// WaitLine waits until the process has written a line containing substr.
func (p *Process) WaitLine(ctx context.Context, substr string) error {
	for {
		if strings.Contains(p.Output(), substr) {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("%s never wrote %q: %w\n%s", p.spec.Name, substr, ctx.Err(), p.Output())
		case <-p.done:
			return fmt.Errorf("%s exited before writing %q: %v\n%s", p.spec.Name, substr, p.waitErr, p.Output())
		case <-time.After(5 * time.Millisecond):
		}
	}
}

// tailBuffer keeps the last max bytes written to it.
type tailBuffer struct {
	mu  sync.Mutex
	buf []byte
	max int
}

func (t *tailBuffer) Write(b []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.buf = append(t.buf, b...)
	if over := len(t.buf) - t.max; over > 0 {
		t.buf = append(t.buf[:0], t.buf[over:]...)
	}
	return len(b), nil
}

func (t *tailBuffer) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return string(t.buf)
}
