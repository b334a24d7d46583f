// Package command describes a program to run and what came of it: the one
// runner's interface (Runner), the command (argv only, with its deadline)
// and its failure (*CmdError). It starts nothing: internal/execx runs
// commands; the packages that only describe them (the wezterm client, the
// window) need not link process starts.
package command

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"strings"
	"time"
)

// DefaultTimeout bounds a command whose Cmd.Timeout is zero.
const DefaultTimeout = 10 * time.Second

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

// Runner runs commands: internal/execx.Exec for real, fakes in tests.
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
	return errors.Is(e.Err, exec.ErrNotFound) || errors.Is(e.Err, fs.ErrNotExist) || errors.Is(e.Err, fs.ErrPermission)
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

// EnvWithout returns the environment env (os.Environ() when nil) without the
// named variables.
func EnvWithout(env []string, names ...string) []string {
	if env == nil {
		env = os.Environ()
	}
	out := make([]string, 0, len(env))
next:
	for _, kv := range env {
		for _, n := range names {
			if strings.HasPrefix(kv, n+"=") {
				continue next
			}
		}
		out = append(out, kv)
	}
	return out
}
