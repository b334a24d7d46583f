package launch

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"

	"github.com/wezterm-parallel/wezterm-parallel/internal/command"
	"github.com/wezterm-parallel/wezterm-parallel/internal/textsafe"
	"github.com/wezterm-parallel/wezterm-parallel/internal/wezterm"
)

// Event reports progress: step Index (1-based) of Total is about to run
// (Err nil, Done false), finished (Done), or failed (Err).
type Event struct {
	Index, Total int
	Step         Step
	Done         bool
	Err          error
}

// RunOptions control a launch.
type RunOptions struct {
	// KeepPartial leaves the panes a failed launch opened (default: close
	// them; they hold nothing yet).
	KeepPartial bool
	Progress    func(Event)
}

// Result is what a launch opened.
type Result struct {
	Window    wezterm.WindowID
	Panes     []wezterm.PaneID // by plan pane number
	windowSet bool             // Window was learned
}

// StepError is a failed launch step.
type StepError struct {
	Index, Total int
	Step         Step
	Err          error
	// Closed are the panes the launch closed again: those it knew it had
	// opened, and those that appeared in its window (or, before the window
	// was known, in new windows of its workspace) though their reply was
	// lost to a timeout or garbled.
	Closed   []wezterm.PaneID
	CloseErr error // failures while closing them
	// Unchecked says why panes may remain: the list could not be re-read.
	Unchecked error
}

func (e *StepError) Error() string {
	msg := fmt.Sprintf("step %d of %d (%s): %v", e.Index, e.Total, e.Step.Desc(), e.Err)
	if len(e.Closed) > 0 {
		ids := make([]string, len(e.Closed))
		for i, id := range e.Closed {
			ids[i] = strconv.FormatUint(uint64(id), 10)
		}
		msg += fmt.Sprintf("; closed the %d pane(s) this launch had opened (%s)", len(e.Closed), strings.Join(ids, ", "))
	}
	if e.CloseErr != nil {
		msg += fmt.Sprintf("; closing its panes failed: %v", e.CloseErr)
	}
	if e.Unchecked != nil {
		msg += fmt.Sprintf("; panes it opened may remain (%v)", e.Unchecked)
	}
	return msg
}

// Client is what a launch needs from WezTerm (a *wezterm.Client).
type Client interface {
	Spawn(ctx context.Context, o wezterm.SpawnOptions) (wezterm.PaneID, error)
	List(ctx context.Context) ([]wezterm.Pane, error)
	SplitPane(ctx context.Context, pane wezterm.PaneID, o wezterm.SplitOptions) (wezterm.PaneID, error)
	SetTabTitle(ctx context.Context, tab *wezterm.TabID, pane *wezterm.PaneID, title string) error
	SendText(ctx context.Context, pane wezterm.PaneID, text string, paste bool) error
	ZoomPane(ctx context.Context, pane wezterm.PaneID, m wezterm.ZoomMode) error
	ActivatePane(ctx context.Context, pane wezterm.PaneID) error
	KillPane(ctx context.Context, pane wezterm.PaneID) error
}

// Run executes the plan against c.
func Run(ctx context.Context, c Client, p *Plan, o RunOptions) (Result, error) {
	res := Result{Panes: make([]wezterm.PaneID, p.Panes)}
	created := make([]bool, p.Panes)
	steps := p.Steps
	total := len(steps)
	report := func(e Event) {
		if o.Progress != nil {
			o.Progress(e)
		}
	}
	// What exists before the launch: a spawn whose reply is lost still
	// opens a pane, and this is how a failed launch finds it again.
	var before *baseline
	var panesBefore []wezterm.Pane
	newWindow := len(steps) > 0 && steps[0].Kind == Spawn && steps[0].NewWindow
	if !o.KeepPartial && newWindow {
		panes, err := c.List(ctx)
		if err != nil {
			return res, fmt.Errorf("list panes before the launch: %w", err)
		}
		before = newBaseline(panes)
		panesBefore = panes
	}
	// The new window's size: that of a window the GUI shows (see
	// wezterm.SpawnOptions.InitialCols).
	var cols, rows int
	if newWindow {
		cols, rows = shownSize(ctx, c, panesBefore)
	}
	fail := func(i int, err error) (Result, error) {
		se := &StepError{Index: i + 1, Total: total, Step: steps[i], Err: err}
		report(Event{Index: i + 1, Total: total, Step: steps[i], Err: err})
		if !o.KeepPartial {
			rollback(context.WithoutCancel(ctx), c, p, &res, created, before, se)
		}
		return res, se
	}
	for i := 0; i < len(steps); i++ {
		s := steps[i]
		if err := ctx.Err(); err != nil {
			return fail(i, err)
		}
		report(Event{Index: i + 1, Total: total, Step: s})
		var err error
		switch s.Kind {
		case Spawn:
			o := wezterm.SpawnOptions{CWD: s.CWD, Program: s.Program}
			if s.NewWindow {
				o.NewWindow, o.Workspace = true, s.Workspace
				o.InitialCols, o.InitialRows = cols, rows
			} else {
				w := res.Window
				o.WindowID = &w
			}
			res.Panes[s.Pane], err = c.Spawn(ctx, o)
			created[s.Pane] = err == nil
		case Lookup:
			var panes []wezterm.Pane
			panes, err = c.List(ctx)
			if err == nil {
				err = lookup(panes, res.Panes[s.Pane], &res)
				if err == nil {
					// Re-plan the remaining steps for the real tab size.
					steps, err = resize(p, panes, res.Panes[s.Pane], steps)
				}
			}
		case Split:
			res.Panes[s.Pane], err = c.SplitPane(ctx, res.Panes[s.From], wezterm.SplitOptions{
				Direction: splitDir(s), Cells: s.Cells, CWD: s.CWD, Program: s.Program})
			created[s.Pane] = err == nil
		case TabTitle:
			id := res.Panes[s.Pane]
			err = c.SetTabTitle(ctx, nil, &id, s.Text)
		case Type:
			err = c.SendText(ctx, res.Panes[s.Pane], s.Text, false)
		case Zoom:
			err = c.ZoomPane(ctx, res.Panes[s.Pane], wezterm.Zoom)
		case Focus:
			err = c.ActivatePane(ctx, res.Panes[s.Pane])
		}
		if err != nil {
			return fail(i, err)
		}
		report(Event{Index: i + 1, Total: total, Step: s, Done: true})
	}
	return res, nil
}

// shownSize is the extent of the largest tab of the workspace the GUI
// shows (0, 0 when no GUI answers or it shows nothing).
func shownSize(ctx context.Context, c Client, panes []wezterm.Pane) (cols, rows int) {
	lc, ok := c.(interface {
		ListClients(ctx context.Context) ([]wezterm.ClientInfo, error)
	})
	if !ok {
		return 0, 0
	}
	clients, err := lc.ListClients(ctx)
	if err != nil {
		return 0, 0
	}
	gui, ok := wezterm.GUIClient(clients)
	if !ok || gui.Workspace == "" {
		return 0, 0 // headless, or a `wezterm connect` GUI (workspace unknown)
	}
	if panes == nil {
		if panes, err = c.List(ctx); err != nil {
			return 0, 0
		}
	}
	type ext struct{ c, r int }
	tabs := map[wezterm.TabID]ext{}
	for _, p := range panes {
		if p.Workspace != gui.Workspace {
			continue
		}
		e := tabs[p.TabID]
		e.c, e.r = max(e.c, p.LeftCol+p.Size.Cols), max(e.r, p.TopRow+p.Size.Rows)
		if p.IsZoomed {
			e.c, e.r = max(e.c, p.Size.Cols), max(e.r, p.Size.Rows)
		}
		tabs[p.TabID] = e
	}
	for _, e := range tabs {
		if e.c*e.r > cols*rows {
			cols, rows = e.c, e.r
		}
	}
	return cols, rows
}

// baseline is what existed before a launch.
type baseline struct {
	panes   map[wezterm.PaneID]bool
	windows map[wezterm.WindowID]bool
}

func newBaseline(panes []wezterm.Pane) *baseline {
	b := &baseline{panes: map[wezterm.PaneID]bool{}, windows: map[wezterm.WindowID]bool{}}
	for _, p := range panes {
		b.panes[p.PaneID] = true
		b.windows[p.WindowID] = true
	}
	return b
}

// rollback closes what a failed launch opened: the panes it knows, then
// — from a fresh list — panes that were not there before and sit in the
// launch's window (or, when the window was never learned, in a window that
// is new and in the launch's workspace).
func rollback(ctx context.Context, c Client, p *Plan, res *Result, created []bool, before *baseline, se *StepError) {
	var errs []error
	closed := map[wezterm.PaneID]bool{}
	kill := func(id wezterm.PaneID) {
		if closed[id] {
			return
		}
		if err := c.KillPane(ctx, id); err != nil && !errors.Is(err, wezterm.ErrNoSuchPane) {
			errs = append(errs, err)
			return
		}
		closed[id] = true
		se.Closed = append(se.Closed, id)
	}
	for id := p.Panes - 1; id >= 0; id-- {
		if created[id] {
			kill(res.Panes[id])
		}
	}
	if before != nil {
		panes, err := c.List(ctx)
		if err != nil {
			se.Unchecked = fmt.Errorf("could not re-read the pane list: %w", err)
		} else {
			ws := ""
			if len(p.Steps) > 0 {
				ws = p.Steps[0].Workspace
			}
			for _, pn := range panes {
				if before.panes[pn.PaneID] || closed[pn.PaneID] {
					continue
				}
				if res.windowSet && pn.WindowID == res.Window ||
					!res.windowSet && !before.windows[pn.WindowID] && pn.Workspace == ws {
					kill(pn.PaneID)
				}
			}
		}
	}
	se.CloseErr = errors.Join(errs...)
}

func splitDir(s Step) wezterm.Direction {
	if s.Dir == "down" {
		return wezterm.Down
	}
	return wezterm.Right
}

func lookup(panes []wezterm.Pane, id wezterm.PaneID, res *Result) error {
	for _, p := range panes {
		if p.PaneID == id {
			res.Window, res.windowSet = p.WindowID, true
			return nil
		}
	}
	return fmt.Errorf("the new pane %d is not in wezterm's list", id)
}

// resize re-plans for the size the new tab really has, keeping the steps
// already run. The plan's shape does not depend on the size, only cells.
func resize(p *Plan, panes []wezterm.Pane, id wezterm.PaneID, steps []Step) ([]Step, error) {
	for _, pn := range panes {
		if pn.PaneID != id || (pn.Size.Cols == p.Cols && pn.Size.Rows == p.Rows) || pn.Size.Cols == 0 {
			continue
		}
		o := p.opts
		o.Cols, o.Rows = pn.Size.Cols, pn.Size.Rows
		np, err := Make(p.Layout, o)
		if err != nil {
			return steps, err
		}
		if len(np.Steps) != len(steps) {
			return steps, fmt.Errorf("internal: re-planning changed the number of steps")
		}
		return np.Steps, nil
	}
	return steps, nil
}

// DryRun returns the wezterm command lines the plan runs, one per step,
// with pane ids shown as $p0, $p1…: they are recorded from the client
// itself, so they are exactly what a launch would run.
func DryRun(ctx context.Context, p *Plan, bin, version string) ([]string, error) {
	rec := &recorder{cols: p.Cols, rows: p.Rows}
	c := wezterm.New(bin, rec, wezterm.WithVersion(wezterm.ParseVersion(version)))
	if _, err := Run(ctx, c, p, RunOptions{KeepPartial: true}); err != nil {
		return nil, err
	}
	return rec.lines, nil
}

// recorder answers like WezTerm would, with fake ids, and records argv.
type recorder struct {
	mu         sync.Mutex
	next       int
	cols, rows int
	lines      []string
}

const fakeBase = 900000 // fake pane ids, rewritten to $pN in the output

func (r *recorder) Run(_ context.Context, cmd command.Cmd) (command.Result, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	args := append([]string(nil), cmd.Args...)
	for i := 1; i < len(args); i++ {
		switch args[i-1] {
		case "--pane-id", "--move-pane-id":
			if n, err := strconv.Atoi(args[i]); err == nil && n >= fakeBase {
				args[i] = fmt.Sprintf("$p%d", n-fakeBase)
			}
		case "--window-id":
			args[i] = "$window"
		}
	}
	line := shellJoin(args)
	if cmd.Stdin != nil {
		// Text sent on stdin, shown as the shell would pass it.
		line = "printf %s " + textsafe.Quote(string(cmd.Stdin)) + " | " + line
	}
	sub := ""
	if len(cmd.Args) > 3 {
		sub = cmd.Args[3]
	}
	if sub == "list-clients" {
		// The launch's probe for the size of the GUI's window: a dry run
		// has no GUI, so its spawn uses WezTerm's initial size.
		return command.Result{Stdout: []byte("[]")}, nil
	}
	r.lines = append(r.lines, line)
	switch sub {
	case "spawn", "split-pane":
		id := fakeBase + r.next
		r.next++
		return command.Result{Stdout: []byte(strconv.Itoa(id) + "\n")}, nil
	case "list":
		out, _ := json.Marshal([]map[string]any{{"window_id": 0, "tab_id": 0, "pane_id": fakeBase,
			"workspace": "default", "size": map[string]int{"rows": r.rows, "cols": r.cols}}})
		return command.Result{Stdout: out}, nil
	}
	return command.Result{}, nil
}

// shellJoin quotes argv for display as a shell command line; the $pN and
// $window placeholders stay bare so they read as variables.
func shellJoin(args []string) string {
	out := make([]string, len(args))
	for i, a := range args {
		if strings.HasPrefix(a, "$p") || a == "$window" {
			out[i] = a
			continue
		}
		out[i] = textsafe.Quote(a)
	}
	return strings.Join(out, " ")
}
