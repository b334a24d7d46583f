//go:build unix

package sim

import (
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/creack/pty"
)

// pane is a program on a real pty.
type pane struct {
	id   int
	tab  *tab
	node *node
	prog []string

	cmd  *exec.Cmd
	ptmx *os.File
	tty  string

	mu       sync.Mutex // guards scr, cols, rows, exited; taken after Server.mu
	scr      *screen
	cols     int
	rows     int
	exited   bool
	exitCode int
	done     chan struct{} // closed when the output reader has finished
}

// startPane starts prog (argv) in dir on a new pty of the given size.
func startPane(id int, prog []string, dir string, env []string, cols, rows int) (*pane, error) {
	ptmx, tty, err := pty.Open()
	if err != nil {
		return nil, fmt.Errorf("open pty: %w", err)
	}
	defer tty.Close()
	if err := setWinsize(ptmx, cols, rows); err != nil {
		ptmx.Close()
		return nil, fmt.Errorf("size pty: %w", err)
	}
	cmd := exec.Command(prog[0], prog[1:]...)
	cmd.Dir = dir
	cmd.Env = env
	cmd.Stdin, cmd.Stdout, cmd.Stderr = tty, tty, tty
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Setctty: true}
	if err := cmd.Start(); err != nil {
		ptmx.Close()
		return nil, fmt.Errorf("failed to spawn %s: %w", strings.Join(prog, " "), err)
	}
	p := &pane{id: id, prog: prog, cmd: cmd, ptmx: ptmx, tty: tty.Name(),
		scr: newScreen(cols, rows), cols: cols, rows: rows, done: make(chan struct{})}
	go p.readLoop()
	go p.replyLoop()
	return p, nil
}

func (p *pane) readLoop() {
	defer close(p.done)
	buf := make([]byte, 32*1024)
	for {
		n, err := p.ptmx.Read(buf)
		if n > 0 {
			p.mu.Lock()
			p.scr.Write(buf[:n])
			p.mu.Unlock()
		}
		if err != nil {
			return // EIO once every slave fd is closed, or the master closed
		}
	}
}

// replyLoop copies what the terminal answers to the program's queries
// (cursor position, device attributes) to its input, as WezTerm does: TUIs
// such as Claude Code's wait for some of those answers. It ends when the
// pane is removed.
func (p *pane) replyLoop() {
	buf := make([]byte, 4096)
	r := p.scr.Replies()
	for {
		n, err := r.Read(buf)
		if n > 0 {
			_, _ = p.ptmx.Write(buf[:n]) // the program may be gone: answers are dropped
		}
		if err != nil {
			return
		}
	}
}

// wait blocks until the program exits and its output is read (or a
// background child keeps the pty open for too long), and returns the exit
// code WezTerm would report.
func (p *pane) wait() (code int, clean bool) {
	err := p.cmd.Wait()
	select {
	case <-p.done:
	case <-time.After(300 * time.Millisecond):
	}
	code = 0
	if err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			code = ee.ExitCode()
		} else {
			code = -1
		}
	}
	p.mu.Lock()
	p.exited, p.exitCode = true, code
	p.mu.Unlock()
	return code, code == 0
}

// showExit writes WezTerm's CloseOnCleanExit notice into the pane.
func (p *pane) showExit(code int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	what := fmt.Sprintf("Exited with code %d.", code)
	if code < 0 {
		what = "Terminated by signal."
	}
	fmt.Fprintf(p.scr, "\r\n⚠️  Process %q in domain \"local\" didn't exit cleanly\r\n%s\r\nThis message is shown because exit_behavior=\"CloseOnCleanExit\"\r\n",
		strings.Join(p.prog, " "), what)
}

// kill ends the program's whole session and closes the pty.
func (p *pane) kill() {
	if p.cmd.Process != nil {
		_ = syscall.Kill(-p.cmd.Process.Pid, syscall.SIGHUP)
		pid := p.cmd.Process.Pid
		go func() {
			select {
			case <-p.done:
			case <-time.After(2 * time.Second):
			}
			_ = syscall.Kill(-pid, syscall.SIGKILL)
		}()
	}
	_ = p.ptmx.Close()
}

func (p *pane) setSize(cols, rows int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if cols == p.cols && rows == p.rows {
		return
	}
	p.cols, p.rows = cols, rows
	p.scr.resize(cols, rows)
	if !p.exited {
		_ = setWinsize(p.ptmx, cols, rows)
	}
}

// write sends bytes to the program as input.
func (p *pane) write(b []byte) error {
	p.mu.Lock()
	exited := p.exited
	p.mu.Unlock()
	if exited {
		return nil // WezTerm drops input to a dead pane
	}
	_, err := p.ptmx.Write(b)
	if err != nil && !errors.Is(err, io.ErrClosedPipe) {
		return fmt.Errorf("write to pane %d: %w", p.id, err)
	}
	return nil
}

// foreground returns the pid of the tty's foreground process group leader,
// or the program's pid.
func (p *pane) foreground() int {
	if pg, err := tcgetpgrp(p.ptmx); err == nil && pg > 0 {
		return pg
	}
	if p.cmd.Process != nil {
		return p.cmd.Process.Pid
	}
	return 0
}

// title is what WezTerm shows: the OSC title if the program set one, else
// the foreground process name.
func (p *pane) title() string {
	p.mu.Lock()
	t := p.scr.title
	exited := p.exited
	p.mu.Unlock()
	if t != "" {
		return t
	}
	if !exited {
		if name := processName(p.foreground()); name != "" {
			return name
		}
	}
	return filepath.Base(p.prog[0])
}

// cwd is the OSC 7 URL if the program sent one, else the foreground
// process's directory as file:///path/ (WezTerm's Url::from_directory_path).
func (p *pane) cwd() string {
	p.mu.Lock()
	u := p.scr.cwdURL
	exited := p.exited
	p.mu.Unlock()
	if u != "" || exited {
		return u
	}
	dir := processCwd(p.foreground())
	if dir == "" {
		return ""
	}
	if !strings.HasSuffix(dir, "/") {
		dir += "/"
	}
	return (&url.URL{Scheme: "file", Path: dir}).String()
}
