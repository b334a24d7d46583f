package ui

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"

	"github.com/wezterm-parallel/wezterm-parallel/internal/metrics"
	"github.com/wezterm-parallel/wezterm-parallel/internal/textsafe"
	"github.com/wezterm-parallel/wezterm-parallel/internal/topology"
	"github.com/wezterm-parallel/wezterm-parallel/internal/viewmodel"
	"github.com/wezterm-parallel/wezterm-parallel/internal/wezterm"
)

type paneT = topology.Pane

func cpuValues(h []metrics.Sample) []float64 {
	out := make([]float64, len(h))
	for i, s := range h {
		out[i] = s.CPU
	}
	return out
}

// paneName is how a dialog names a pane: its number and, readably, what
// runs in it.
func (w *Window) paneName(id wezterm.PaneID) string {
	p, ok := w.pane(id)
	if !ok {
		return fmt.Sprintf("pane %d", id)
	}
	what := viewmodel.Ellipsize(p.Title, 40)
	if p.Usage != nil && p.Foreground != nil {
		what = viewmodel.Program(p.Foreground.Name, p.Foreground.Cmdline, 60)
	}
	return fmt.Sprintf("pane %d (%s)", id, what)
}

func (w *Window) onSplit(dir wezterm.Direction) {
	id := w.sel.Detail
	cmd := newKeyEntry(false)
	cmd.SetPlaceHolder("a command to run in it, e.g. htop (empty: a shell)")
	where := "right of"
	if dir == wezterm.Down {
		where = "below"
	}
	showForm(w.win, &w.keys, "Split "+w.paneName(id), "Split", false,
		widget.NewLabel("A new pane opens "+where+" it."), []field{{label: "Command", entry: cmd}}, func() {
			text := cmd.Text
			w.run(func(ctx context.Context) (string, error) {
				n, err := w.ctl.Split(ctx, id, dir, text)
				if err != nil {
					return "", err
				}
				return fmt.Sprintf("Opened pane %d", n), nil
			})
		})
}

func (w *Window) onNewTab() {
	id := w.sel.Detail
	w.run(func(ctx context.Context) (string, error) {
		n, err := w.ctl.NewTab(ctx, id)
		if err != nil {
			return "", err
		}
		return fmt.Sprintf("Opened pane %d in a new tab", n), nil
	})
}

func (w *Window) onSend() {
	id := w.sel.Detail
	text := newKeyEntry(true)
	text.SetPlaceHolder("text to type into the pane")
	enter := newKeyCheck("Press Enter after it (submit it as a prompt)", nil, func(e *fyne.KeyEvent) { w.keys.handle(e.Name) })
	enter.SetChecked(true)
	fd := showForm(w.win, &w.keys, "Send text to "+w.paneName(id), "Send", false, nil,
		[]field{{label: "Text", entry: text, hint: "Ctrl+Enter sends · Esc cancels", below: enter}}, func() {
			t, submit := text.Text, enter.Checked
			w.run(func(ctx context.Context) (string, error) {
				if err := w.ctl.SendText(ctx, id, t, submit); err != nil {
					return "", err
				}
				return fmt.Sprintf("Sent to pane %d", id), nil
			})
		})
	fd.d.Resize(fyne.NewSize(560, 340))
}

// broadcastTargets are the selected panes (or the detail pane alone).
func (w *Window) broadcastTargets() []wezterm.PaneID {
	var ids []wezterm.PaneID
	for _, p := range w.snap.Tree.Panes() {
		if w.sel.Multi[p.ID] {
			ids = append(ids, p.ID)
		}
	}
	if len(ids) == 0 && w.sel.HasDetail {
		ids = []wezterm.PaneID{w.sel.Detail}
	}
	return ids
}

func (w *Window) selectTab() {
	for _, ws := range w.snap.Tree.Workspaces {
		for _, win := range ws.Windows {
			for _, tab := range win.Tabs {
				if !slices.ContainsFunc(tab.Panes, func(p topology.Pane) bool { return p.ID == w.sel.Detail }) {
					continue
				}
				for _, q := range tab.Panes {
					w.sel.Multi[q.ID] = true
				}
			}
		}
	}
	w.status.info(fmt.Sprintf("%s selected: Broadcast (%s) sends to all of them", viewmodel.Plural(len(w.sel.Multi), "pane"), w.acts.get("broadcast").keyLabel()))
	w.render()
}

// onBroadcast sends one prompt to every selected pane; agents that are
// working get it when they next ask (queued).
func (w *Window) onBroadcast() {
	ids := w.broadcastTargets()
	text := newKeyEntry(true)
	text.SetPlaceHolder("the prompt for every selected pane")
	names := make([]string, len(ids))
	for i, id := range ids {
		names[i] = w.paneName(id)
	}
	intro := widget.NewLabel(fmt.Sprintf("To %s. Agents that are working get it when they next ask.", strings.Join(names, ", ")))
	intro.Wrapping = fyne.TextWrapWord
	fd := showForm(w.win, &w.keys, "Broadcast to "+viewmodel.Plural(len(ids), "pane"), "Send to all", false, intro,
		[]field{{label: "Prompt", entry: text, hint: "Ctrl+Enter sends · Esc cancels"}}, func() {
			t := text.Text
			if strings.TrimSpace(t) == "" {
				return
			}
			now, queued := w.d.Queue.Plan(time.Now(), w.snap.Tree, ids, t)
			w.run(func(ctx context.Context) (string, error) {
				if err := w.ctl.Broadcast(ctx, now, t); err != nil {
					return "", err
				}
				msg := "Sent to " + viewmodel.Plural(len(now), "pane")
				if len(queued) > 0 {
					msg += fmt.Sprintf("; %d queued until their agent asks", len(queued))
				}
				return msg, nil
			})
			w.render()
		})
	fd.d.Resize(fyne.NewSize(600, 340))
}

func (w *Window) onRenameTab() {
	id := w.sel.Detail
	e := newKeyEntry(false)
	if p, ok := w.pane(id); ok {
		for _, ws := range w.snap.Tree.Workspaces {
			for _, win := range ws.Windows {
				for _, t := range win.Tabs {
					if t.ID == p.TabID && t.TitleSet {
						e.SetText(t.Title)
					}
				}
			}
		}
	}
	showForm(w.win, &w.keys, "Rename the tab of "+w.paneName(id), "Rename", false, nil, []field{{label: "Title", entry: e}}, func() {
		title := e.Text
		w.run(func(ctx context.Context) (string, error) { return "Tab renamed", w.ctl.RenameTab(ctx, id, title) })
	})
}

func (w *Window) onRenameWorkspace() {
	old := w.sel.Workspace
	e := newKeyEntry(false)
	e.SetText(old)
	showForm(w.win, &w.keys, "Rename workspace "+textsafe.Quote(old), "Rename", false, nil, []field{{label: "New name", entry: e}}, func() {
		name := e.Text
		if name == old {
			return
		}
		w.run(func(ctx context.Context) (string, error) {
			if err := w.ctl.RenameWorkspace(ctx, old, name); err != nil {
				return "", err
			}
			onUI(func() { w.sel.Workspace = name })
			return "Workspace renamed to " + textsafe.Quote(name), nil
		})
	})
}

func (w *Window) onZoom() {
	id := w.sel.Detail
	msg := fmt.Sprintf("Pane %d unzoomed: its tab shows every pane again", id)
	if p, ok := w.pane(id); ok && !p.Zoomed {
		others := 0
		for _, q := range w.snap.Tree.Panes() {
			if q.TabID == p.TabID && q.WindowID == p.WindowID && q.ID != id {
				others++
			}
		}
		msg = fmt.Sprintf("Pane %d zoomed: %s of its tab hidden until you unzoom (%s)", id, viewmodel.Plural(others, "other pane"), w.acts.get("zoom").keyLabel())
	}
	w.run(func(ctx context.Context) (string, error) { return msg, w.ctl.ToggleZoom(ctx, id) })
}

func (w *Window) onMoveToTab() {
	id := w.sel.Detail
	w.run(func(ctx context.Context) (string, error) {
		return fmt.Sprintf("Pane %d moved to a new tab", id), w.ctl.MoveToNewTab(ctx, id)
	})
}

// onKill asks first (unless confirm_kill is off), naming the program
// readably, with a red Kill button; Enter kills, Esc cancels.
func (w *Window) onKill() {
	id := w.sel.Detail
	kill := func() {
		// The pane is going: nothing should keep asking it for its screen.
		w.sel.HasDetail = false
		delete(w.sel.Multi, id)
		w.render()
		w.run(func(ctx context.Context) (string, error) {
			if err := w.ctl.Kill(ctx, id); err != nil {
				return "", err
			}
			return fmt.Sprintf("Killed pane %d", id), nil
		})
	}
	if !w.prefs().ConfirmKill {
		kill()
		return
	}
	msg := widget.NewLabel(fmt.Sprintf("Kill %s?\nEverything running in the pane stops.", w.paneName(id)))
	msg.Wrapping = fyne.TextWrapWord
	showForm(w.win, &w.keys, "Kill the pane?", "Kill", true, msg, nil, kill)
}

// showQueued lists the prompts waiting for busy agents, each with Cancel;
// Esc or Close closes it.
func (w *Window) showQueued() {
	box := container.NewVBox()
	var d dialog.Dialog
	closeIt := func() { w.keys.pop(d); d.Hide() }
	pass := func(e *fyne.KeyEvent) { w.keys.handle(e.Name) }
	for _, it := range w.d.Queue.Queued() {
		it := it
		label := widget.NewLabel(fmt.Sprintf("%s, queued %s ago: %s", w.paneName(it.Pane),
			time.Since(it.Queued).Round(time.Second), viewmodel.Ellipsize(strings.ReplaceAll(it.Text, "\n", " "), 60)))
		label.Truncation = fyne.TextTruncateEllipsis
		var row *fyne.Container
		cancel := newKeyButton("Cancel", func() {
			w.d.Queue.Cancel(it.ID)
			box.Remove(row)
			w.render()
		}, pass)
		row = container.NewBorder(nil, nil, nil, cancel, label)
		box.Add(row)
	}
	closeBtn := newKeyButton("Close", closeIt, pass)
	d = dialog.NewCustomWithoutButtons("Prompts waiting for busy agents",
		container.NewBorder(nil, container.NewHBox(layout.NewSpacer(), closeBtn), nil, nil, container.NewVScroll(box)), w.win)
	w.keys.push(d, func(k fyne.KeyName) bool {
		if k == fyne.KeyEscape || k == fyne.KeyReturn || k == fyne.KeyEnter {
			closeIt()
			return true
		}
		return false
	})
	d.SetOnClosed(func() { w.keys.pop(d) })
	d.Resize(fyne.NewSize(660, 320))
	d.Show()
	w.win.Canvas().Unfocus()
}

func (w *Window) onSetPath() {
	if w.d.SetWezterm == nil {
		return
	}
	e := newKeyEntry(false)
	e.SetPlaceHolder("/usr/bin/wezterm")
	e.SetText(w.prefs().WeztermPath)
	showForm(w.win, &w.keys, "Where is wezterm?", "Use it", false, nil, []field{{label: "Path", entry: e, hint: "Saved as wezterm_path in the preferences."}}, func() {
		if err := w.d.SetWezterm(strings.TrimSpace(e.Text)); err != nil {
			w.status.fail(err.Error())
		}
	})
}

// onStartWezterm starts WezTerm where the app looks and says within a few
// seconds whether it answers.
func (w *Window) onStartWezterm() {
	if w.d.StartWezterm == nil {
		return
	}
	w.status.info("Starting WezTerm…")
	w.run(func(ctx context.Context) (string, error) {
		if err := w.d.StartWezterm(ctx); err != nil {
			return "", err
		}
		return "WezTerm started", nil
	})
}

func (w *Window) onDemo() {
	if w.d.StartDemo == nil {
		return
	}
	sock, err := w.d.StartDemo()
	if err != nil {
		w.status.fail("demo: " + err.Error())
		return
	}
	w.status.info("Demo: a stand-in WezTerm with real programs on real ptys (socket " + sock + ")")
}
