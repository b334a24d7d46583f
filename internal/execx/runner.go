// Package execx is the one place where wezterm-parallel runs external
// programs: always with a context and a timeout, argv slices only (never a
// shell string), stderr captured, and failures returned as *CmdError.
package execx

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"os/exec"
	"time"

	"github.com/wezterm-parallel/wezterm-parallel/internal/command"
)

// waitDelay is how long Wait waits for the pipes after the process is killed,
// so a grandchild holding stdout open cannot hang us.
const waitDelay = 500 * time.Millisecond

// The command's types live in internal/command (which starts nothing);
// they are named here too for the callers that run commands.
type (
	Cmd      = command.Cmd
	Result   = command.Result
	Runner   = command.Runner
	CmdError = command.CmdError
)

// DefaultTimeout bounds a command whose Cmd.Timeout is zero.
const DefaultTimeout = command.DefaultTimeout

// Redact returns argv fit for a log (command.Redact).
func Redact(args []string) []string { return command.Redact(args) }

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
