// Package execx is the one place where wezterm-parallel runs external
// programs: always with a context and a timeout, argv slices only (never a
// shell string), stderr captured, and failures returned as *CmdError.
package execx

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os/exec"
	"strings"
	"time"
)

// DefaultTimeout bounds a command whose Cmd.Timeout is zero.
const DefaultTimeout = 10 * time.Second

// waitDelay is how long Wait waits for the pipes after the process is killed,
// so a grandchild holding stdout open cannot hang us.
const waitDelay = 500 * time.Millisecond

// Cmd describes one program run.
type Cmd struct {
	Args    []string      // argv; Args[0] is the program
	Env     []string      // full environment; nil means the parent's
	Stdin   []byte        // nil means an empty stdin (never the parent's)
	Dir     string        // working directory; "" means the parent's
	Timeout time.Duration // 0 means DefaultTimeout
}

// Result is what a finished program produced.
type Result struct {
	Stdout   []byte
	Stderr   []byte
	ExitCode int
	Duration time.Duration
}

// Runner runs commands. Production code uses Exec; tests use fakes.
type Runner interface {
	Run(ctx context.Context, cmd Cmd) (Result, error)
}

// CmdError is returned when a program could not start, exited non-zero, or
// ran past its deadline. It keeps argv, exit code and stderr for callers that
// classify failures.
type CmdError struct {
	Args     []string
	ExitCode int // -1 when the program did not exit by itself
	Stderr   string
	TimedOut bool
	Err      error
}

func (e *CmdError) Error() string {
	var b strings.Builder
	b.WriteString(strings.Join(Redact(e.Args), " "))
	b.WriteString(": ")
	switch {
	case e.TimedOut:
		b.WriteString("timed out")
	case e.Err != nil:
		b.WriteString(e.Err.Error())
	default:
		fmt.Fprintf(&b, "exit status %d", e.ExitCode)
	}
	if s := strings.TrimSpace(e.Stderr); s != "" {
		b.WriteString(": ")
		b.WriteString(s)
	}
	return b.String()
}

func (e *CmdError) Unwrap() error { return e.Err }

// NotFound reports whether the program itself could not be found or executed.
func (e *CmdError) NotFound() bool {
	return errors.Is(e.Err, exec.ErrNotFound) || isNotExist(e.Err)
}

// Exec runs real processes.
type Exec struct {
	Log *slog.Logger // may be nil
}

// Run implements Runner.
func (r Exec) Run(ctx context.Context, c Cmd) (Result, error) {
	if len(c.Args) == 0 {
		return Result{}, errors.New("execx: empty argv")
	}
	timeout := c.Timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	cmd := exec.CommandContext(ctx, c.Args[0], c.Args[1:]...)
	cmd.Env = c.Env
	cmd.Dir = c.Dir
	cmd.WaitDelay = waitDelay
	setProcessGroup(cmd)
	var stdout, stderr bytes.Buffer
	cmd.Stdout = &stdout
	cmd.Stderr = &stderr
	// Never the parent's stdin: `wezterm cli send-text` without TEXT would
	// otherwise block reading our terminal.
	cmd.Stdin = bytes.NewReader(c.Stdin)

	start := time.Now()
	err := cmd.Run()
	res := Result{Stdout: stdout.Bytes(), Stderr: stderr.Bytes(), Duration: time.Since(start)}
	res.ExitCode = exitCode(cmd, err)
	if r.Log != nil {
		r.Log.LogAttrs(ctx, slog.LevelDebug, "exec",
			slog.Any("argv", Redact(c.Args)), slog.Int("stdin_bytes", len(c.Stdin)), slog.Int("exit", res.ExitCode),
			slog.Duration("took", res.Duration), slog.Int("stdout_bytes", len(res.Stdout)))
	}
	if err == nil {
		return res, nil
	}
	ce := &CmdError{Args: c.Args, ExitCode: res.ExitCode, Stderr: string(res.Stderr), Err: err}
	if ctxErr := ctx.Err(); ctxErr != nil {
		ce.TimedOut = errors.Is(ctxErr, context.DeadlineExceeded)
		ce.Err = ctxErr
		ce.ExitCode = -1
	}
	return res, ce
}

func exitCode(cmd *exec.Cmd, err error) int {
	if err == nil {
		return 0
	}
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return ee.ExitCode()
	}
	if cmd.ProcessState != nil {
		return cmd.ProcessState.ExitCode()
	}
	return -1
}

// Redact returns argv fit for a log: the values of env(1) assignments
// (a layout's env may hold tokens) are replaced by their length. Sent text
// never is in argv: it goes on stdin, whose length alone is logged.
func Redact(args []string) []string {
	out := args
	inEnv := false
	for i, a := range args {
		switch {
		case !inEnv && (a == "env" || strings.HasSuffix(a, "/env")):
			inEnv = true
			continue
		case inEnv && a == "--":
			continue
		case inEnv:
			k, v, ok := strings.Cut(a, "=")
			if !ok || k == "" {
				inEnv = false
				continue
			}
			if &out[0] == &args[0] {
				out = append([]string(nil), args...)
			}
			out[i] = fmt.Sprintf("%s=<%d bytes>", k, len(v))
		}
	}
	return out
}
