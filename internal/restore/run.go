package restore

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/wezterm-parallel/wezterm-parallel/internal/launch"
	"github.com/wezterm-parallel/wezterm-parallel/internal/layout"
	"github.com/wezterm-parallel/wezterm-parallel/internal/snapshot"
	"github.com/wezterm-parallel/wezterm-parallel/internal/textsafe"
	"github.com/wezterm-parallel/wezterm-parallel/internal/wezterm"
)

// Client is what a restore needs from WezTerm (a *wezterm.Client): what a
// launch needs.
type Client = launch.Client

// Event is progress: a launch step of window Window (1-based) of
// workspace Target.
type Event struct {
	Target         string
	Window, Of     int
	Step           launch.Event
	WorkspaceIndex int // 1-based, of Workspaces
	Workspaces     int
}

// RunOptions control a restore.
type RunOptions struct {
	Progress func(Event)
}

// Report says what a restore did: what came back, what did not and why.
// The JSON is what `restore --json` prints.
type Report struct {
	Snapshot  string   `json:"snapshot"`
	Restored  []Done   `json:"restored"`
	Unchanged []string `json:"unchanged"` // there already (merge found every tab), or skipped
	Failed    []Failed `json:"failed"`
	NotTried  []string `json:"not_tried"` // after a failure that stops everything (WezTerm gone)
	Notes     []string `json:"notes"`
	// ClosedStartup is the pane WezTerm opened at its start, closed once
	// everything was restored.
	ClosedStartup *wezterm.PaneID `json:"closed_startup_pane,omitempty"`
}

// Done is a workspace restored.
type Done struct {
	Name    string           `json:"name"`
	Target  string           `json:"target"`
	Action  Action           `json:"action"`
	Windows int              `json:"windows"`
	Tabs    int              `json:"tabs"`
	Panes   []wezterm.PaneID `json:"panes"`
	Agents  int              `json:"agents"`
	Resumed int              `json:"resumed"`
	Waiting int              `json:"waiting"` // programs at their prompt
}

// Failed is a workspace that did not come back; what it had opened was
// closed again (Closed), so no half-built window stays.
type Failed struct {
	Name     string           `json:"name"`
	Target   string           `json:"target"`
	Err      string           `json:"error"`
	Closed   []wezterm.PaneID `json:"closed"`
	CloseErr string           `json:"close_error,omitempty"`
}

// Run carries out p. Each workspace is built window by window through
// internal/launch (whose planner sizes the splits for the tab WezTerm
// really opens); a workspace whose build fails is closed again whole and
// the next one is tried, unless WezTerm is gone or ctx ends. The error is
// nil when everything planned came back.
func Run(ctx context.Context, c Client, p *Plan, o RunOptions) (Report, error) {
	rep := Report{Snapshot: p.Snapshot.ID, Restored: []Done{}, Unchanged: []string{}, Failed: []Failed{}, NotTried: []string{}, Notes: p.Notes()}
	if rep.Notes == nil {
		rep.Notes = []string{}
	}
	var errs []error
	stopped := false
	for i, wp := range p.Workspaces {
		if len(wp.Windows) == 0 {
			rep.Unchanged = append(rep.Unchanged, wp.Name)
			continue
		}
		if stopped {
			rep.NotTried = append(rep.NotTried, wp.Name)
			continue
		}
		done, fail, notes, err := runWorkspace(ctx, c, wp, func(win, of int, ev launch.Event) {
			if o.Progress != nil {
				o.Progress(Event{Target: wp.Target, Window: win, Of: of, Step: ev, WorkspaceIndex: i + 1, Workspaces: len(p.Workspaces)})
			}
		})
		rep.Notes = append(rep.Notes, notes...)
		if err != nil {
			rep.Failed = append(rep.Failed, fail)
			errs = append(errs, fmt.Errorf("workspace %s: %w", textsafe.Quote(wp.Target), err))
			if errors.Is(err, wezterm.ErrNotRunning) || errors.Is(err, wezterm.ErrNotInstalled) || ctx.Err() != nil {
				stopped = true
			}
			continue
		}
		rep.Restored = append(rep.Restored, done)
	}
	if p.Blank != nil && len(errs) == 0 && len(rep.Restored) > 0 {
		// Everything is back: the start-up pane WezTerm opened goes.
		if err := c.KillPane(context.WithoutCancel(ctx), *p.Blank); err == nil || errors.Is(err, wezterm.ErrNoSuchPane) {
			rep.ClosedStartup = p.Blank
		} else {
			rep.Notes = append(rep.Notes, fmt.Sprintf("the pane WezTerm opened at its start (%d) was not closed: %v", *p.Blank, err))
		}
	}
	return rep, errors.Join(errs...)
}

// runWorkspace opens wp's windows; when one fails, those it opened before
// are closed again.
func runWorkspace(ctx context.Context, c Client, wp *WorkspacePlan, progress func(win, of int, ev launch.Event)) (Done, Failed, []string, error) {
	done := Done{Name: wp.Name, Target: wp.Target, Action: wp.Action, Panes: []wezterm.PaneID{}}
	fail := Failed{Name: wp.Name, Target: wp.Target, Closed: []wezterm.PaneID{}}
	var notes []string
	var opened []wezterm.PaneID
	for wi, win := range wp.Windows {
		l, byLeaf := win.Layout(wp)
		lp, err := launch.Make(l, launch.Options{Cols: win.Cols, Rows: win.Rows})
		if err == nil {
			var res launch.Result
			res, err = launch.Run(ctx, c, lp, launch.RunOptions{Progress: func(ev launch.Event) { progress(wi+1, len(wp.Windows), ev) }})
			if err == nil {
				opened = append(opened, res.Panes...)
				done.Windows++
				done.Tabs += len(win.Tabs)
				for id, leaf := range lp.Leaves {
					pp := byLeaf[leaf]
					if pp == nil {
						continue
					}
					pane := res.Panes[id]
					done.Panes = append(done.Panes, pane)
					switch {
					case pp.Kind == Agent:
						done.Agents++
						if pp.Resumed {
							done.Resumed++
						}
					case pp.Mode == Waits:
						// At the prompt, for the user's Enter.
						if terr := c.SendText(ctx, pane, pp.Command, false); terr != nil {
							notes = append(notes, fmt.Sprintf("%s: %s was not typed into pane %d: %v", textsafe.Quote(wp.Target), textsafe.Quote(pp.Command), pane, terr))
						} else {
							done.Waiting++
						}
					}
				}
				continue
			}
			var se *launch.StepError
			if errors.As(err, &se) {
				fail.Closed = append(fail.Closed, se.Closed...)
				if se.CloseErr != nil || se.Unchecked != nil {
					fail.CloseErr = strings.TrimPrefix(fmt.Sprintf("%v; %v", se.CloseErr, se.Unchecked), "<nil>; ")
				}
			}
		}
		// Close what the workspace's earlier windows opened: a workspace
		// comes back whole or not at all.
		var cerrs []error
		for i := len(opened) - 1; i >= 0; i-- {
			if kerr := c.KillPane(context.WithoutCancel(ctx), opened[i]); kerr != nil && !errors.Is(kerr, wezterm.ErrNoSuchPane) {
				cerrs = append(cerrs, kerr)
				continue
			}
			fail.Closed = append(fail.Closed, opened[i])
		}
		if cerr := errors.Join(cerrs...); cerr != nil {
			fail.CloseErr = strings.TrimPrefix(fail.CloseErr+"; "+cerr.Error(), "; ")
		}
		fail.Err = err.Error()
		return done, fail, notes, fmt.Errorf("window %d of %d: %w", wi+1, len(wp.Windows), err)
	}
	return done, fail, notes, nil
}

// Layout is the window as a layout for internal/launch: its tabs and
// split trees with their sizes, each pane in its folder, the commands
// that run typed with Enter. byLeaf maps the layout's panes back.
func (win *WindowPlan) Layout(wp *WorkspacePlan) (*layout.Layout, map[*layout.Node]*PanePlan) {
	byLeaf := map[*layout.Node]*PanePlan{}
	l := &layout.Layout{Name: wp.Target, Workspace: wp.Target, CWD: wp.Root, Source: "snapshot", Dir: wp.Root, DefaultRoot: wp.Root}
	focusSet := false
	for _, tp := range win.Tabs {
		i := 0
		var conv func(n *snapshot.Node) *layout.Node
		conv = func(n *snapshot.Node) *layout.Node {
			out := &layout.Node{Size: layout.Size{Percent: n.Size}}
			if n.Pane != nil {
				pp := tp.Panes[i]
				i++
				out.CWD, out.Zoom = pp.Dir, pp.Zoomed
				if pp.Mode == Runs {
					out.Command = pp.Command
				}
				if pp.Focused && !focusSet {
					out.Focus, focusSet = true, true
				}
				byLeaf[out] = pp
				return out
			}
			out.Split = layout.Direction(n.Split)
			for _, c := range n.Children {
				out.Children = append(out.Children, conv(c))
			}
			return out
		}
		l.Tabs = append(l.Tabs, &layout.Tab{Title: tp.Title, Root: conv(tp.Node)})
	}
	return l, byLeaf
}

// DryRun returns the wezterm commands the plan runs, window by window
// (pane ids as $p0, $p1… of each window), with bin as the wezterm binary
// and version as the release it imitates.
func DryRun(ctx context.Context, p *Plan, bin, version string) ([]string, error) {
	var out []string
	for _, wp := range p.Workspaces {
		if len(wp.Windows) == 0 {
			continue
		}
		for wi, win := range wp.Windows {
			l, byLeaf := win.Layout(wp)
			lp, err := launch.Make(l, launch.Options{Cols: win.Cols, Rows: win.Rows})
			if err != nil {
				return nil, fmt.Errorf("workspace %s: %w", textsafe.Quote(wp.Target), err)
			}
			lines, err := launch.DryRun(ctx, lp, bin, version)
			if err != nil {
				return nil, err
			}
			out = append(out, fmt.Sprintf("# workspace %s (%s), window %d of %d: %s, cells for a %dx%d tab (a restore uses the real tab's size)",
				textsafe.Escape(wp.Target), wp.Action, wi+1, len(wp.Windows), snapshot.Plural(lp.Panes, "pane"), lp.Cols, lp.Rows))
			out = append(out, lines...)
			for id, leaf := range lp.Leaves {
				if pp := byLeaf[leaf]; pp != nil && pp.Mode == Waits {
					out = append(out, fmt.Sprintf("printf %%s %s | %s cli --no-auto-start send-text --pane-id $p%d --no-paste   # waits for your Enter",
						textsafe.Quote(pp.Command), textsafe.Quote(bin), id))
				}
			}
		}
	}
	if p.Blank != nil {
		out = append(out, fmt.Sprintf("%s cli --no-auto-start kill-pane --pane-id %d   # the pane WezTerm opened at its start", textsafe.Quote(bin), *p.Blank))
	}
	return out, nil
}
