// Package weztermtest holds test helpers for code that runs wezterm: an
// expectation-based fake runner (exact argv, in order, unused expectations
// reported at the end of the test) and access to the shared fixtures.
package weztermtest

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/wezterm-parallel/wezterm-parallel/internal/command"
)

// Expectation is one expected command and its canned answer.
type Expectation struct {
	args   []string
	stdin  *string
	stdout string
	stderr string
	exit   int
	err    error
	used   bool
}

// Stdin sets what the command must get on stdin (without it, any stdin
// is a failure).
func (e *Expectation) Stdin(s string) *Expectation { e.stdin = &s; return e }

// Stdout sets what the command prints.
func (e *Expectation) Stdout(s string) *Expectation { e.stdout = s; return e }

// Fail makes the command exit with code and print stderr.
func (e *Expectation) Fail(code int, stderr string) *Expectation {
	e.exit, e.stderr = code, stderr
	return e
}

// Err makes the runner return err as is (e.g. a *command.CmdError with
// TimedOut set).
func (e *Expectation) Err(err error) *Expectation { e.err = err; return e }

// FakeRunner is a command.Runner that answers only the commands it was told
// to expect, in order.
type FakeRunner struct {
	t     testing.TB
	mu    sync.Mutex
	exps  []*Expectation
	calls []command.Cmd
}

// NewFakeRunner returns a runner bound to t; at cleanup it fails t if any
// expectation was not used.
func NewFakeRunner(t testing.TB) *FakeRunner {
	f := &FakeRunner{t: t}
	t.Cleanup(func() {
		f.mu.Lock()
		defer f.mu.Unlock()
		for _, e := range f.exps {
			if !e.used {
				t.Errorf("expected command never ran: %s", strings.Join(e.args, " "))
			}
		}
	})
	return f
}

// Expect adds an expected argv (Args[0] included).
func (f *FakeRunner) Expect(args ...string) *Expectation {
	f.mu.Lock()
	defer f.mu.Unlock()
	e := &Expectation{args: args}
	f.exps = append(f.exps, e)
	return e
}

// ExpectVersion expects `bin --version` answering with release v.
func (f *FakeRunner) ExpectVersion(bin, v string) *Expectation {
	return f.Expect(bin, "--version").Stdout("wezterm " + v + "\n")
}

// Calls returns every command run so far.
func (f *FakeRunner) Calls() []command.Cmd {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.calls)
}

// Run implements command.Runner.
func (f *FakeRunner) Run(ctx context.Context, c command.Cmd) (command.Result, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, c)
	for _, e := range f.exps {
		if e.used {
			continue
		}
		if !slices.Equal(e.args, c.Args) {
			f.t.Errorf("unexpected command:\n  got  %q\n  want %q", c.Args, e.args)
			return command.Result{ExitCode: -1}, fmt.Errorf("fake runner: unexpected command %q", c.Args)
		}
		e.used = true
		switch {
		case e.stdin != nil && string(c.Stdin) != *e.stdin:
			f.t.Errorf("%q: stdin %q, want %q", c.Args, c.Stdin, *e.stdin)
		case e.stdin == nil && len(c.Stdin) > 0:
			f.t.Errorf("%q: unexpected stdin %q", c.Args, c.Stdin)
		}
		res := command.Result{Stdout: []byte(e.stdout), Stderr: []byte(e.stderr), ExitCode: e.exit}
		if e.err != nil {
			return res, e.err
		}
		if e.exit != 0 {
			return res, &command.CmdError{Args: c.Args, ExitCode: e.exit, Stderr: e.stderr,
				Err: fmt.Errorf("exit status %d", e.exit)}
		}
		return res, nil
	}
	f.t.Errorf("unexpected command (no expectations left): %q", c.Args)
	return command.Result{ExitCode: -1}, fmt.Errorf("fake runner: unexpected command %q", c.Args)
}
