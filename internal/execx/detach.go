package execx

import (
	"errors"
	"fmt"
	"os/exec"
	"sync"
)

// Detach starts a long-lived program (a GUI, like `wezterm start`) that
// outlives the call: no timeout applies, its output is discarded, it gets
// its own session, and it is reaped when it exits. Use Run for commands
// whose result matters.
func Detach(argv []string, env []string) error {
	if len(argv) == 0 {
		return fmt.Errorf("execx: empty argv")
	}
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Env = env
	detachAttrs(cmd)
	if err := cmd.Start(); err != nil {
		return &CmdError{Args: argv, ExitCode: -1, Err: err}
	}
	go cmd.Wait() //nolint:errcheck // reap; the program's fate is not ours
	return nil
}

// maxTail bounds what DetachWatched keeps of a program's stderr.
const maxTail = 4 << 10

// tailWriter keeps the last maxTail bytes written to it.
type tailWriter struct {
	mu  sync.Mutex
	buf []byte
}

func (t *tailWriter) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.buf = append(t.buf, p...)
	if over := len(t.buf) - maxTail; over > 0 {
		t.buf = append(t.buf[:0], t.buf[over:]...)
	}
	return len(p), nil
}

func (t *tailWriter) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return string(t.buf)
}

// DetachWatched is Detach for a program whose failure must not go
// unnoticed (the window started from the tray): the last few KiB of its
// stderr are kept and exited gets its exit code and them when it ends.
func DetachWatched(argv []string, env []string, exited func(code int, stderr string)) error {
	if len(argv) == 0 {
		return fmt.Errorf("execx: empty argv")
	}
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Env = env
	tail := &tailWriter{}
	cmd.Stderr = tail
	detachAttrs(cmd)
	if err := cmd.Start(); err != nil {
		return &CmdError{Args: argv, ExitCode: -1, Err: err}
	}
	go func() {
		err := cmd.Wait()
		code := 0
		if err != nil {
			code = -1
			var ee *exec.ExitError
			if errors.As(err, &ee) {
				code = ee.ExitCode()
			}
		}
		if exited != nil {
			exited(code, tail.String())
		}
	}()
	return nil
}
