package control

import (
	"context"
	"fmt"
	"path/filepath"

	"github.com/wezterm-parallel/wezterm-parallel/internal/config"
	"github.com/wezterm-parallel/wezterm-parallel/internal/launch"
	"github.com/wezterm-parallel/wezterm-parallel/internal/layout"
	"github.com/wezterm-parallel/wezterm-parallel/internal/status"
	"github.com/wezterm-parallel/wezterm-parallel/internal/textsafe"
	"github.com/wezterm-parallel/wezterm-parallel/internal/wezterm"
)

// Prepared is a layout ready to launch, made the same way wherever it is
// launched from: the command line, the window or the tray.
type Prepared struct {
	Entry layout.Entry
	// Data is what the file said when it was read: consent is for this.
	Data   []byte
	Layout *layout.Layout
	// Plan is what a launch opens (a fan-out opens it once per worktree).
	Plan *launch.Plan
	Opts launch.Options
}

// PrepareOptions are the command line's overrides.
type PrepareOptions struct {
	Workspace string // instead of the layout's
	CWD       string // the root for relative folders (--cwd)
}

// Prepare parses a layout read from e and plans it: a project layout's
// folders are relative to its own folder, the others' to default_cwd;
// ${agent_command} is the preferences'.
func Prepare(e layout.Entry, data []byte, prefs config.Preferences, o PrepareOptions) (*Prepared, error) {
	l, err := layout.Parse(e.Path, data, e.Name, CheckOptions(e, o.CWD, prefs.DefaultCWD))
	if err != nil {
		return nil, err
	}
	opts := launch.Options{Workspace: o.Workspace, Vars: layout.Vars{"agent_command": prefs.AgentCommand}}
	p, err := launch.Make(l, opts)
	if err != nil {
		return nil, fmt.Errorf("layout %s: %w", e.Name, err)
	}
	return &Prepared{Entry: e, Data: data, Layout: l, Plan: p, Opts: opts}, nil
}

// CheckOptions are how e is read: a project layout's folders relative to
// its own folder, the others' to defaultRoot (default_cwd); cwd is the
// command line's --cwd.
func CheckOptions(e layout.Entry, cwd, defaultRoot string) layout.CheckOptions {
	co := layout.CheckOptions{CWD: cwd, DefaultRoot: defaultRoot}
	if e.Source == layout.Project {
		co.DefaultRoot = filepath.Dir(e.Path)
	}
	return co
}

// PrepareNamed finds layout name (a file, or a name in dir or bundled)
// and prepares it.
func PrepareNamed(name, dir string, prefs config.Preferences, o PrepareOptions) (*Prepared, error) {
	e, data, err := layout.Find(name, dir)
	if err != nil {
		return nil, err
	}
	return Prepare(e, data, prefs, o)
}

// Workspace is where the layout's panes open.
func (p *Prepared) Workspace() string {
	switch {
	case p.Opts.Workspace != "":
		return p.Opts.Workspace
	case p.Layout.Workspace != "":
		return p.Layout.Workspace
	}
	return wezterm.DefaultWorkspace
}

// Launched is what a launch did.
type Launched struct {
	Name, Workspace string
	Panes           int // per copy
	// Copies is how many worktree copies a fan-out launched (0: a plain
	// launch, whose panes Result names).
	Copies int
	Result launch.Result
}

// String says it, one way for the command line, the window and the tray.
func (l Launched) String() string {
	if l.Copies > 0 {
		return fmt.Sprintf("Launched %d copies of %s, each in its own git worktree (clean up: wezterm-parallel layout cleanup %s)", l.Copies, l.Name, l.Name)
	}
	return fmt.Sprintf("Launched %s: %s in workspace %s", l.Name, status.Plural(l.Panes, "pane"), textsafe.Quote(l.Workspace))
}

// LaunchPrepared launches p: its worktrees and a copy in each for a
// fan-out, else its plan, reporting each step. The caller has asked for
// consent where it was needed.
func (k *Controller) LaunchPrepared(ctx context.Context, p *Prepared, ro launch.RunOptions) (Launched, error) {
	done := Launched{Name: p.Entry.Name, Workspace: p.Workspace(), Panes: p.Plan.Panes}
	if p.Layout.Worktree {
		n, err := k.FanOut(ctx, p.Layout, p.Opts, ro.Progress)
		done.Copies = n
		if err != nil {
			return done, fmt.Errorf("fan-out %s (%d copies launched): %w", p.Entry.Name, n, err)
		}
		return done, nil
	}
	res, err := launch.Run(ctx, k.client(), p.Plan, ro)
	done.Result = res
	if err = k.done(err); err != nil {
		return done, fmt.Errorf("launch %s: %w", p.Entry.Name, err)
	}
	return done, nil
}
