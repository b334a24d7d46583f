// Package control is the one way actions reach WezTerm: the UI calls these
// methods (from a goroutine, never its own thread); each runs wezterm cli
// through the typed client and returns an error that names WezTerm's
// reason. No Fyne here.
package control

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/wezterm-parallel/wezterm-parallel/internal/command"
	"github.com/wezterm-parallel/wezterm-parallel/internal/fanout"
	"github.com/wezterm-parallel/wezterm-parallel/internal/launch"
	"github.com/wezterm-parallel/wezterm-parallel/internal/layout"
	"github.com/wezterm-parallel/wezterm-parallel/internal/wezterm"
	"github.com/wezterm-parallel/wezterm-parallel/internal/wsswitch"
)

// Client is the part of *wezterm.Client the controller uses.
type Client interface {
	ActivatePane(ctx context.Context, pane wezterm.PaneID) error
	SplitPane(ctx context.Context, pane wezterm.PaneID, o wezterm.SplitOptions) (wezterm.PaneID, error)
	Spawn(ctx context.Context, o wezterm.SpawnOptions) (wezterm.PaneID, error)
	SendText(ctx context.Context, pane wezterm.PaneID, text string, paste bool) error
	SetTabTitle(ctx context.Context, tab *wezterm.TabID, pane *wezterm.PaneID, title string) error
	RenameWorkspace(ctx context.Context, old string, pane *wezterm.PaneID, newName string) error
	ZoomPane(ctx context.Context, pane wezterm.PaneID, m wezterm.ZoomMode) error
	MovePaneToNewTab(ctx context.Context, pane wezterm.PaneID, o wezterm.MoveOptions) error
	KillPane(ctx context.Context, pane wezterm.PaneID) error
	GetText(ctx context.Context, pane wezterm.PaneID, o wezterm.GetTextOptions) (string, error)
	List(ctx context.Context) ([]wezterm.Pane, error)
	ListClients(ctx context.Context) ([]wezterm.ClientInfo, error)
}

// Controller runs actions; After (optional) is called after each one that
// changed something, so the monitor can refresh at once.
type Controller struct {
	mu    sync.Mutex
	cl    Client
	After func()
	// Git runs git for fan-outs (worktrees); nil: fan-outs are refused.
	Git command.Runner
	// wait pauses between a prompt's paste and its Enter (tests record it).
	wait func(ctx context.Context, d time.Duration) error
}

// PasteSettle is how long a prompt's Enter waits after its paste. Agents
// guard against a paste that submits itself: Gemini CLI 0.61 takes an
// Enter within 40 ms of a paste as part of it (a newline), and one within
// 30 ms of the last key likewise; two `wezterm cli send-text` calls can
// come closer than that.
const PasteSettle = 120 * time.Millisecond

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// New returns a controller for c.
func New(c Client) *Controller { return &Controller{cl: c, wait: sleepCtx} }

// SetClient switches to another WezTerm (a new binary, or the demo).
func (k *Controller) SetClient(c Client) {
	k.mu.Lock()
	k.cl = c
	k.mu.Unlock()
}

func (k *Controller) client() Client {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.cl
}

func (k *Controller) done(err error) error {
	if err == nil && k.After != nil {
		k.After()
	}
	return err
}

// Jump shows a pane: the GUI switches to its workspace when needed (with
// the wezterm.lua snippet; without it the error says so, and the pane is
// still activated within its workspace), then the pane is activated.
func (k *Controller) Jump(ctx context.Context, id wezterm.PaneID) error {
	c := k.client()
	return k.done(wsswitch.Jump(ctx, c, wsswitch.New(c), id))
}

// Switch makes the WezTerm GUI show a workspace (needs the wezterm.lua
// snippet; the error says so when it is missing).
func (k *Controller) Switch(ctx context.Context, workspace string) error {
	return k.done(wsswitch.New(k.client()).Switch(ctx, workspace))
}

// Focus activates a pane within its window, without switching workspace.
func (k *Controller) Focus(ctx context.Context, id wezterm.PaneID) error {
	return k.done(k.client().ActivatePane(ctx, id))
}

// Split opens a pane next to id (Right or Down), typing command into its
// shell when given.
func (k *Controller) Split(ctx context.Context, id wezterm.PaneID, dir wezterm.Direction, command string) (wezterm.PaneID, error) {
	n, err := k.client().SplitPane(ctx, id, wezterm.SplitOptions{Direction: dir})
	if err == nil && strings.TrimSpace(command) != "" {
		err = k.client().SendText(ctx, n, command+"\r", false)
	}
	return n, k.done(err)
}

// NewTab opens a tab in the window of id.
func (k *Controller) NewTab(ctx context.Context, id wezterm.PaneID) (wezterm.PaneID, error) {
	n, err := k.client().Spawn(ctx, wezterm.SpawnOptions{PaneID: &id})
	return n, k.done(err)
}

// SendText types text into one pane as a prompt (see prompt); without
// enter it is only typed.
func (k *Controller) SendText(ctx context.Context, id wezterm.PaneID, text string, enter bool) error {
	if !enter {
		return k.done(k.client().SendText(ctx, id, text, false))
	}
	return k.done(k.prompt(ctx, id, text))
}

// prompt sends text as a user types a prompt: pasted, so that an agent
// that enabled bracketed paste keeps its newlines inside one prompt, then,
// PasteSettle later, a separate Enter that submits it.
func (k *Controller) prompt(ctx context.Context, id wezterm.PaneID, text string) error {
	return k.prompts(ctx, []wezterm.PaneID{id}, text)
}

// prompts types one prompt into every pane of ids: the pastes first, one
// wait, then the Enters (a broadcast waits once, not once a pane). A pane
// whose paste failed gets no Enter.
func (k *Controller) prompts(ctx context.Context, ids []wezterm.PaneID, text string) error {
	c := k.client()
	var errs []error
	ok := ids
	if text = strings.TrimRight(text, "\r\n"); text != "" {
		ok = nil
		for _, id := range ids {
			if err := c.SendText(ctx, id, text, true); err != nil {
				errs = append(errs, err)
				continue
			}
			ok = append(ok, id)
		}
		if len(ok) > 0 && k.wait != nil {
			if err := k.wait(ctx, PasteSettle); err != nil {
				return errors.Join(append(errs, err)...)
			}
		}
	}
	for _, id := range ok {
		if err := c.SendText(ctx, id, "\r", false); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// Broadcast sends one prompt to every pane of ids, in order, and reports
// every pane that failed (the others still get it).
func (k *Controller) Broadcast(ctx context.Context, ids []wezterm.PaneID, text string) error {
	return k.done(k.prompts(ctx, ids, text))
}

// RenameTab sets the title of id's tab.
func (k *Controller) RenameTab(ctx context.Context, id wezterm.PaneID, title string) error {
	return k.done(k.client().SetTabTitle(ctx, nil, &id, title))
}

// RenameWorkspace renames a workspace.
func (k *Controller) RenameWorkspace(ctx context.Context, old, name string) error {
	if strings.TrimSpace(name) == "" {
		return fmt.Errorf("rename workspace: the new name is empty")
	}
	return k.done(k.client().RenameWorkspace(ctx, old, nil, name))
}

// ToggleZoom zooms or unzooms id.
func (k *Controller) ToggleZoom(ctx context.Context, id wezterm.PaneID) error {
	return k.done(k.client().ZoomPane(ctx, id, wezterm.ToggleZoom))
}

// MoveToNewTab moves id into a new tab of its window.
func (k *Controller) MoveToNewTab(ctx context.Context, id wezterm.PaneID) error {
	return k.done(k.client().MovePaneToNewTab(ctx, id, wezterm.MoveOptions{}))
}

// Kill kills a pane and what runs in it.
func (k *Controller) Kill(ctx context.Context, id wezterm.PaneID) error {
	return k.done(k.client().KillPane(ctx, id))
}

// Launch runs a layout plan, reporting each step; the result names the
// panes it opened.
func (k *Controller) Launch(ctx context.Context, p *launch.Plan, progress func(launch.Event)) (launch.Result, error) {
	res, err := launch.Run(ctx, k.client(), p, launch.RunOptions{Progress: progress})
	return res, k.done(err)
}

// FanOut makes the layout's git worktrees and launches one copy in each.
// Copies launched before a failure stay.
func (k *Controller) FanOut(ctx context.Context, l *layout.Layout, o launch.Options, progress func(launch.Event)) (int, error) {
	if k.Git == nil {
		return 0, fmt.Errorf("fan-out %s: no way to run git here", l.Name)
	}
	copies, err := fanout.Create(ctx, k.Git, l)
	if err != nil {
		return 0, err
	}
	for i, c := range copies {
		p, err := launch.Make(c.Layout, o)
		if err == nil {
			_, err = k.Launch(ctx, p, progress)
		}
		if err != nil {
			return i, fmt.Errorf("copy %d (%s): %w", c.N, c.Dir, err)
		}
	}
	return len(copies), nil
}

// Preview returns a pane's last lines (its screen).
func (k *Controller) Preview(ctx context.Context, id wezterm.PaneID) (string, error) {
	return k.client().GetText(ctx, id, wezterm.GetTextOptions{})
}
