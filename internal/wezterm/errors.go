package wezterm

import (
	"errors"
	"regexp"
	"strings"

	"github.com/wezterm-parallel/wezterm-parallel/internal/command"
)

// Error kinds, for errors.Is.
var (
	ErrNotInstalled = errors.New("wezterm is not installed")
	ErrNotRunning   = errors.New("wezterm is not running")
	ErrNoSuchPane   = errors.New("no such pane")
	ErrTimeout      = errors.New("wezterm did not answer in time")
	ErrUnsupported  = errors.New("not supported by this wezterm release")
	ErrMalformed    = errors.New("malformed output from wezterm")
	ErrUsage        = errors.New("wezterm rejected the arguments")
	ErrFailed       = errors.New("wezterm reported an error")
)

// Error is a failed wezterm call: Op names the call ("kill-pane 3"), Kind is
// one of the Err* values above, Reason is WezTerm's own message when it gave
// one.
type Error struct {
	Op     string
	Kind   error
	Reason string
	Err    error
}

func (e *Error) Error() string {
	msg := e.Kind.Error()
	if e.Reason != "" {
		msg = e.Reason
	}
	if e.Op == "" {
		return msg
	}
	return e.Op + ": " + msg
}

// Is matches the kind, so errors.Is(err, ErrNoSuchPane) works.
func (e *Error) Is(target error) bool { return target == e.Kind }

func (e *Error) Unwrap() error { return e.Err }

// UnsupportedError says which release a feature needs.
type UnsupportedError struct {
	Feature   Feature
	Installed string
	Since     string
}

func (e *UnsupportedError) Error() string {
	return "wezterm " + e.Installed + " lacks " + string(e.Feature) + " (needs " + e.Since + " or newer)"
}

func (e *UnsupportedError) Is(target error) bool { return target == ErrUnsupported }

var (
	reasonRE = regexp.MustCompile(`reason: "((?:[^"\\]|\\.)*)"`)
	// WezTerm's log line: "HH:MM:SS.mmm  ERROR  wezterm > message; terminating".
	errorLineRE = regexp.MustCompile(`(?m)^\S+\s+ERROR\s+\S+\s+>\s+(.*?)(?:; terminating)?\s*$`)
	// Each subcommand's words for a pane that does not exist (wezterm-cli.md
	// §9): the mux server's, activate-pane's, the session handler's
	// (split-pane, adjust-pane-size), and the CLI's own when it cannot
	// resolve the pane's tab, window or workspace.
	noPaneRE = regexp.MustCompile(`no such pane|pane \d+ not found|pane_id \d+ invalid|invalid pane|unable to resolve current (tab|window|workspace)`)
	// clap 2 (releases up to 20220408) exits 1 on usage errors: its
	// message is the giveaway.
	clap2UsageRE = regexp.MustCompile(`(?m)^error: .*(\n.*)*\n\s*USAGE:`)
)

// classify turns a runner error into an *Error with a kind and WezTerm's
// reason.
func classify(op string, err error) error {
	if err == nil {
		return nil
	}
	var ce *command.CmdError
	if !errors.As(err, &ce) {
		return &Error{Op: op, Kind: ErrFailed, Reason: err.Error(), Err: err}
	}
	switch {
	case ce.TimedOut:
		return &Error{Op: op, Kind: ErrTimeout, Err: err}
	case ce.NotFound():
		return &Error{Op: op, Kind: ErrNotInstalled, Reason: "wezterm not found (" + ce.Args[0] + ")", Err: err}
	}
	reason := stderrReason(ce.Stderr)
	kind := ErrFailed
	switch {
	case ce.ExitCode == 2, ce.ExitCode == 1 && clap2UsageRE.MatchString(ce.Stderr):
		kind = ErrUsage
	case strings.Contains(ce.Stderr, "failed to connect to Socket"),
		strings.Contains(ce.Stderr, "no default unix domain is configured"),
		strings.Contains(ce.Stderr, "failed to connect to"):
		kind = ErrNotRunning
	case noPaneRE.MatchString(ce.Stderr):
		kind = ErrNoSuchPane
	}
	return &Error{Op: op, Kind: kind, Reason: reason, Err: err}
}

// stderrReason extracts the most useful human message from WezTerm's stderr:
// the server's ErrorResponse reason, else the ERROR log line, else the first
// non-empty line (clap usage errors start with "error: ").
func stderrReason(stderr string) string {
	if m := reasonRE.FindStringSubmatch(stderr); m != nil {
		r := strings.ReplaceAll(m[1], `\"`, `"`)
		return strings.TrimPrefix(r, "Error: ")
	}
	if m := errorLineRE.FindStringSubmatch(stderr); m != nil {
		return strings.TrimSpace(m[1])
	}
	for _, l := range strings.Split(stderr, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			return l
		}
	}
	return ""
}
