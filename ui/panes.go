package ui

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"

	"github.com/wezterm-parallel/wezterm-parallel/internal/backend"
	"github.com/wezterm-parallel/wezterm-parallel/internal/broadcast"
	"github.com/wezterm-parallel/wezterm-parallel/internal/control"
	"github.com/wezterm-parallel/wezterm-parallel/internal/textsafe"
	"github.com/wezterm-parallel/wezterm-parallel/internal/topology"
	"github.com/wezterm-parallel/wezterm-parallel/internal/viewmodel"
	"github.com/wezterm-parallel/wezterm-parallel/internal/wezterm"
	"github.com/wezterm-parallel/wezterm-parallel/internal/wsswitch"
)

// paneActions are the actions on panes (split, send, broadcast, rename,
// zoom, move, kill, focus), whatever runs them: the toolbar, a menu, the
// palette or a key. Each asks what it needs in a dialog, then does the
// WezTerm part off the UI goroutine and says how it went.
type paneActions struct {
	st    *state
	ctl   *control.Controller
	b     *backend.Backend
	jobs  *jobs
	say   *statusView
	dlg   dialogs
	queue backend.Queue
	// key is an action's shortcut, for messages; changed redraws after
	// the selection or the queue changed; noSnippet explains the missing
	// workspace-switch snippet (WezTerm stayed on its workspace).
	key       func(id string) string
	changed   func()
	noSnippet func()
}

func (a *paneActions) split(dir wezterm.Direction) {
	id := a.st.sel.Detail
	cmd := newKeyEntry(false)
	cmd.SetPlaceHolder("a command to run in it, e.g. htop (empty: a shell)")
	where := "right of"
	if dir == wezterm.Down {
		where = "below"
	}
	a.dlg.form("Split "+a.st.paneName(id), "Split", false,
		widget.NewLabel("A new pane opens "+where+" it."), []field{{label: "Command", entry: cmd}}, func() {
			text := cmd.Text
			act(a.jobs, a.say, func(ctx context.Context) (string, error) {
				n, err := a.ctl.Split(ctx, id, dir, text)
				if err != nil {
					return "", err
				}
				return fmt.Sprintf("Opened pane %d", n), nil
			})
		})
}

func (a *paneActions) newTab() {
	id := a.st.sel.Detail
	act(a.jobs, a.say, func(ctx context.Context) (string, error) {
		n, err := a.ctl.NewTab(ctx, id)
		if err != nil {
			return "", err
		}
		return fmt.Sprintf("Opened pane %d in a new tab", n), nil
	})
}

func (a *paneActions) send() {
	id := a.st.sel.Detail
	text := newKeyEntry(true)
	text.SetPlaceHolder("text to type into the pane")
	enter := newKeyCheck("Press Enter after it (submit it as a prompt)", nil, a.dlg.pass)
	enter.SetChecked(true)
	fd := a.dlg.form("Send text to "+a.st.paneName(id), "Send", false, nil,
		[]field{{label: "Text", entry: text, hint: "Ctrl+Enter sends · Esc cancels", below: enter}}, func() {
			t, submit := text.Text, enter.Checked
			act(a.jobs, a.say, func(ctx context.Context) (string, error) {
				if err := a.ctl.SendText(ctx, id, t, submit); err != nil {
					return "", err
				}
				return fmt.Sprintf("Sent to pane %d", id), nil
			})
		})
	fd.d.Resize(fyne.NewSize(560, 340))
}

// selectTab puts every pane of the detail pane's tab into the selection.
func (a *paneActions) selectTab() {
	if p, ok := a.st.pane(a.st.sel.Detail); ok {
		if tab, ok := tabOf(a.st.snap.Tree, p); ok {
			for _, q := range tab.Panes {
				a.st.sel.Add(q.ID)
			}
		}
	}
	a.say.info(fmt.Sprintf("%s selected: Broadcast (%s) sends to all of them", viewmodel.Plural(len(a.st.sel.Multi), "pane"), a.key("broadcast")))
	a.changed()
}

// broadcast sends one prompt to every selected pane; agents that are
// working get it when they next ask (queued where the decisions are
// made: asking the resident is a round trip, off the UI goroutine).
func (a *paneActions) broadcast() {
	ids := a.st.sel.Targets(a.st.snap.Tree)
	text := newKeyEntry(true)
	text.SetPlaceHolder("the prompt for every selected pane")
	names := make([]string, len(ids))
	for i, id := range ids {
		names[i] = a.st.paneName(id)
	}
	intro := widget.NewLabel(fmt.Sprintf("To %s. Agents that are working get it when they next ask.", strings.Join(names, ", ")))
	intro.Wrapping = fyne.TextWrapWord
	fd := a.dlg.form("Broadcast to "+viewmodel.Plural(len(ids), "pane"), "Send to all", false, intro,
		[]field{{label: "Prompt", entry: text, hint: "Ctrl+Enter sends · Esc cancels"}}, func() {
			t := text.Text
			if strings.TrimSpace(t) == "" {
				return
			}
			tree := a.st.snap.Tree
			run(a.jobs, func(ctx context.Context) (string, error) {
				now, queued := a.queue.Plan(time.Now(), tree, ids, t)
				if err := a.ctl.Broadcast(ctx, now, t); err != nil {
					return "", err
				}
				msg := "Sent to " + viewmodel.Plural(len(now), "pane")
				if len(queued) > 0 {
					msg += fmt.Sprintf("; %d queued until their agent asks", len(queued))
				}
				return msg, nil
			}, func(msg string, err error) {
				report(a.say, msg, err)
				a.changed() // the queue shows in the header
			})
		})
	fd.d.Resize(fyne.NewSize(600, 340))
}

func (a *paneActions) renameTab() {
	id := a.st.sel.Detail
	e := newKeyEntry(false)
	if p, ok := a.st.pane(id); ok {
		if t, ok := tabOf(a.st.snap.Tree, p); ok && t.TitleSet {
			e.SetText(t.Title)
		}
	}
	a.dlg.form("Rename the tab of "+a.st.paneName(id), "Rename", false, nil, []field{{label: "Title", entry: e}}, func() {
		title := e.Text
		act(a.jobs, a.say, func(ctx context.Context) (string, error) { return "Tab renamed", a.ctl.RenameTab(ctx, id, title) })
	})
}

func tabOf(t topology.Tree, p topology.Pane) (topology.Tab, bool) {
	for _, ws := range t.Workspaces {
		for _, win := range ws.Windows {
			for _, tab := range win.Tabs {
				if tab.ID == p.TabID {
					return tab, true
				}
			}
		}
	}
	return topology.Tab{}, false
}

func (a *paneActions) renameWorkspace() {
	old := a.st.sel.Workspace
	e := newKeyEntry(false)
	e.SetText(old)
	a.dlg.form("Rename workspace "+textsafe.Quote(old), "Rename", false, nil, []field{{label: "New name", entry: e}}, func() {
		name := e.Text
		if name == old {
			return
		}
		run(a.jobs, func(ctx context.Context) (struct{}, error) {
			return struct{}{}, a.ctl.RenameWorkspace(ctx, old, name)
		}, func(_ struct{}, err error) {
			if err != nil {
				report(a.say, "", err)
				return
			}
			if a.st.sel.Workspace == old {
				a.st.sel.Choose(name)
			}
			a.say.info("Workspace renamed to " + textsafe.Quote(name))
			a.changed()
		})
	})
}

func (a *paneActions) zoom() {
	id := a.st.sel.Detail
	msg := fmt.Sprintf("Pane %d unzoomed: its tab shows every pane again", id)
	if p, ok := a.st.pane(id); ok && !p.Zoomed {
		others := 0
		for _, q := range a.st.snap.Tree.Panes() {
			if q.TabID == p.TabID && q.WindowID == p.WindowID && q.ID != id {
				others++
			}
		}
		msg = fmt.Sprintf("Pane %d zoomed: %s of its tab hidden until you unzoom (%s)", id, viewmodel.Plural(others, "other pane"), a.key("zoom"))
	}
	act(a.jobs, a.say, func(ctx context.Context) (string, error) { return msg, a.ctl.ToggleZoom(ctx, id) })
}

func (a *paneActions) moveToTab() {
	id := a.st.sel.Detail
	act(a.jobs, a.say, func(ctx context.Context) (string, error) {
		return fmt.Sprintf("Pane %d moved to a new tab", id), a.ctl.MoveToNewTab(ctx, id)
	})
}

// kill asks first (unless confirm_kill is off), naming the program
// readably, with a red Kill button; Enter kills, Esc cancels.
func (a *paneActions) kill() {
	id := a.st.sel.Detail
	kill := func() {
		// The pane is going: nothing should keep asking it for its screen.
		a.st.sel.Drop(id)
		a.changed()
		act(a.jobs, a.say, func(ctx context.Context) (string, error) {
			if err := a.ctl.Kill(ctx, id); err != nil {
				return "", err
			}
			return fmt.Sprintf("Killed pane %d", id), nil
		})
	}
	if !a.b.Prefs().ConfirmKill {
		kill()
		return
	}
	msg := widget.NewLabel(fmt.Sprintf("Kill %s?\nEverything running in the pane stops.", a.st.paneName(id)))
	msg.Wrapping = fyne.TextWrapWord
	a.dlg.form("Kill the pane?", "Kill", true, msg, nil, kill)
}

// jump focuses a pane in WezTerm, switching the GUI's workspace when
// needed; a missing snippet is the banner's to explain.
func (a *paneActions) jump(id wezterm.PaneID) {
	run(a.jobs, func(ctx context.Context) (string, error) {
		err := a.ctl.Jump(ctx, id)
		switch {
		case errors.Is(err, wsswitch.ErrSnippetMissing):
			return fmt.Sprintf("Pane %d focused in its workspace (WezTerm did not switch to it)", id), err
		case errors.Is(err, wezterm.ErrNoSuchPane):
			return "", fmt.Errorf("pane %d is gone", id)
		case err != nil:
			return "", err
		}
		return fmt.Sprintf("Pane %d focused in WezTerm", id), nil
	}, func(msg string, err error) {
		if errors.Is(err, wsswitch.ErrSnippetMissing) {
			a.say.info(msg)
			a.noSnippet()
			return
		}
		report(a.say, msg, err)
	})
}

// showQueued lists the prompts waiting for busy agents, each with Cancel;
// Esc or Close closes it.
func (a *paneActions) showQueued() {
	box := container.NewVBox()
	var d dialog.Dialog
	keys := a.dlg.keys
	closeIt := func() { keys.pop(d); d.Hide() }
	for _, it := range a.queue.Queued() {
		box.Add(a.queuedRow(box, it))
	}
	closeBtn := newKeyButton("Close", closeIt, a.dlg.pass)
	d = dialog.NewCustomWithoutButtons("Prompts waiting for busy agents",
		container.NewBorder(nil, container.NewHBox(layout.NewSpacer(), closeBtn), nil, nil, container.NewVScroll(box)), a.dlg.win)
	keys.push(d, func(k fyne.KeyName) bool {
		if k == fyne.KeyEscape || k == fyne.KeyReturn || k == fyne.KeyEnter {
			closeIt()
			return true
		}
		return false
	})
	d.SetOnClosed(func() { keys.pop(d) })
	d.Resize(fyne.NewSize(660, 320))
	d.Show()
	a.dlg.win.Canvas().Unfocus()
}

func (a *paneActions) queuedRow(box *fyne.Container, it broadcast.Item) fyne.CanvasObject {
	label := widget.NewLabel(fmt.Sprintf("%s, queued %s ago: %s", a.st.paneName(it.Pane),
		time.Since(it.Queued).Round(time.Second), viewmodel.Ellipsize(textsafe.Escape(strings.ReplaceAll(it.Text, "\n", " ")), 60)))
	label.Truncation = fyne.TextTruncateEllipsis
	var row *fyne.Container
	cancel := newKeyButton("Cancel", func() {
		id := it.ID
		run(a.jobs, func(context.Context) (bool, error) { return a.queue.Cancel(id), nil }, func(bool, error) {
			box.Remove(row)
			a.changed()
		})
	}, a.dlg.pass)
	row = container.NewBorder(nil, nil, nil, cancel, label)
	return row
}
