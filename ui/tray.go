package ui

import (
	"context"
	"fmt"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"

	"github.com/wezterm-parallel/wezterm-parallel/assets"
	"github.com/wezterm-parallel/wezterm-parallel/internal/alerts"
	"github.com/wezterm-parallel/wezterm-parallel/internal/layout"
	"github.com/wezterm-parallel/wezterm-parallel/internal/monitor"
	"github.com/wezterm-parallel/wezterm-parallel/internal/tray"
	"github.com/wezterm-parallel/wezterm-parallel/internal/wezterm"
)

// trayState is the system-tray side of the window.
type trayState struct {
	desk      desktop.App // nil: no tray
	model     tray.Model
	built     bool
	attention bool // the icon shows the attention badge
	names     []string
	namesAt   time.Time
}

// enableTray shows the tray icon; the menu follows the snapshots.
func (w *Window) enableTray() bool {
	desk, ok := w.app.(desktop.App)
	if !ok {
		return false
	}
	w.tray.desk = desk
	desk.SetSystemTrayIcon(fyne.NewStaticResource("icon.png", assets.Icon))
	w.updateTray()
	return true
}

// TrayModel returns the model the tray menu shows (tests).
func (w *Window) TrayModel() tray.Model { return w.tray.model }

// layoutNames lists the layouts for the tray, reading the folder at most
// every 5 s (the tray menu is rebuilt from it every tick otherwise).
func (w *Window) layoutNames() []string {
	if time.Since(w.tray.namesAt) < 5*time.Second {
		return w.tray.names
	}
	w.tray.namesAt = time.Now()
	entries, err := layout.List(w.layoutsDir())
	if err != nil {
		return w.tray.names
	}
	names := make([]string, len(entries))
	for i, e := range entries {
		names[i] = e.Name
	}
	w.tray.names = names
	return names
}

// updateTray rebuilds the tray menu when its content changed.
func (w *Window) updateTray() {
	m := tray.Build(w.snap, w.layoutNames(), w.shown)
	if w.tray.built && m.Equal(w.tray.model) {
		return
	}
	w.tray.model, w.tray.built = m, true
	if w.tray.desk == nil {
		return
	}
	w.tray.desk.SetSystemTrayMenu(w.trayMenu(m))
	if need := len(m.Attention) > 0; need != w.tray.attention {
		w.tray.attention = need
		icon := assets.Icon
		if need {
			icon = assets.IconAttention
		}
		w.tray.desk.SetSystemTrayIcon(fyne.NewStaticResource("icon.png", icon))
	}
}

func (w *Window) trayMenu(m tray.Model) *fyne.Menu {
	status := fyne.NewMenuItem(m.Status, nil)
	status.Disabled = true
	toggle := fyne.NewMenuItem("Show panel", w.ShowWindow)
	if m.WindowShown {
		toggle = fyne.NewMenuItem("Hide panel", w.HideWindow)
	}
	layouts := fyne.NewMenuItem("Layouts", nil)
	var litems []*fyne.MenuItem
	for _, name := range m.Layouts {
		name := name
		litems = append(litems, fyne.NewMenuItem(name, func() { w.launchByName(name) }))
	}
	layouts.ChildMenu = fyne.NewMenu("", litems...)
	wss := fyne.NewMenuItem("Workspaces", nil)
	var witems []*fyne.MenuItem
	for _, ws := range m.Workspaces {
		name := ws.Name
		witems = append(witems, fyne.NewMenuItem(ws.Label(), func() { w.switchTo(name) }))
	}
	wss.ChildMenu = fyne.NewMenu("", witems...)
	items := []*fyne.MenuItem{status, fyne.NewMenuItemSeparator(), toggle, layouts, wss}
	if len(m.Attention) > 0 {
		att := fyne.NewMenuItem("Needs attention", nil)
		var aitems []*fyne.MenuItem
		for _, a := range m.Attention {
			id := a.Pane
			aitems = append(aitems, fyne.NewMenuItem(a.Label, func() { w.jump(id) }))
		}
		att.ChildMenu = fyne.NewMenu("", aitems...)
		items = append(items, att)
	}
	items = append(items, fyne.NewMenuItemSeparator(), fyne.NewMenuItem("Preferences…", func() {
		w.ShowWindow()
		w.showPrefs()
	}))
	// Fyne adds Quit to the tray menu itself.
	return fyne.NewMenu("wezterm-parallel", items...)
}

// ShowWindow shows the window and renders the latest snapshot.
func (w *Window) ShowWindow() {
	w.shown = true
	w.d.SetLight(false)
	w.win.Show()
	w.win.RequestFocus()
	w.Apply(w.snap)
}

// HideWindow hides the window to the tray; while hidden the window does no
// rendering work.
func (w *Window) HideWindow() {
	w.shown = false
	w.d.SetLight(true)
	w.win.Hide()
	w.updateTray()
}

// jump switches WezTerm to a pane's workspace and focuses the pane.
func (w *Window) jump(id wezterm.PaneID) {
	w.run(func(ctx context.Context) (string, error) {
		if err := w.ctl.Jump(ctx, id); err != nil {
			return "", err
		}
		return fmt.Sprintf("Pane %d focused in WezTerm", id), nil
	})
}

func (w *Window) switchTo(ws string) {
	w.run(func(ctx context.Context) (string, error) {
		if err := w.ctl.Switch(ctx, ws); err != nil {
			return "", err
		}
		return "WezTerm shows workspace " + ws, nil
	})
}

// launchByName launches a layout from the tray; the result is a desktop
// notification as well as a message.
func (w *Window) launchByName(name string) {
	e, data, err := layout.Find(name, w.layoutsDir())
	if err == nil {
		var l *layout.Layout
		l, err = layout.Parse(e.Path, data, e.Name, layout.CheckOptions{DefaultRoot: w.prefs().DefaultCWD})
		if err == nil {
			w.onLaunch(e, l)
			return
		}
	}
	w.notify("layouts", "Layout "+name+" not launched", err.Error())
	w.message.SetText(fmt.Sprintf("⚠ layout %s: %v", name, err))
}

// notify sends a desktop notification of a kind ("layouts",
// "thresholds", "exited") when the preferences allow it.
func (w *Window) notify(kind, title, body string) {
	p := w.prefs()
	on := map[string]bool{"layouts": p.NotifyLayouts, "thresholds": p.NotifyThresholds, "exited": p.NotifyExited,
		"agents": p.NotifyAgents}[kind]
	if !p.Notifications || !on {
		return
	}
	if w.d.Notify != nil {
		w.d.Notify(title, body)
		return
	}
	w.app.SendNotification(fyne.NewNotification(title, body))
}

// checkAgents notifies each transition of an agent to waiting, at most
// once a minute per pane.
func (w *Window) checkAgents(s monitor.Snapshot) {
	if w.agentWas == nil {
		w.agentWas = map[wezterm.PaneID]string{}
		w.agentToldAt = map[wezterm.PaneID]time.Time{}
	}
	seen := map[wezterm.PaneID]bool{}
	for _, p := range s.Tree.Panes() {
		if p.Agent == nil {
			continue
		}
		seen[p.ID] = true
		was := w.agentWas[p.ID]
		w.agentWas[p.ID] = p.Agent.Status
		if p.Agent.Status == "waiting" && was != "waiting" && s.Time.Sub(w.agentToldAt[p.ID]) >= time.Minute {
			w.agentToldAt[p.ID] = s.Time
			w.notify("agents", p.Agent.Name+" is waiting for you", fmt.Sprintf("Pane %d in workspace %s: %s", p.ID, p.Workspace, p.Agent.Why))
		}
	}
	for id := range w.agentWas {
		if !seen[id] {
			delete(w.agentWas, id)
			delete(w.agentToldAt, id)
		}
	}
}

// checkAlerts notifies panes over their thresholds or whose program
// failed; it runs on every tick, shown or hidden.
func (w *Window) checkAlerts(s monitor.Snapshot) {
	if s.Status != monitor.Connected {
		return
	}
	p := w.prefs()
	cfg := alerts.Config{CPUPercent: p.CPUAlertPercent, MemBytes: uint64(p.MemAlertMB) << 20, After: p.AlertAfter}
	for _, a := range w.alerts.Update(s.Time, s.Tree, cfg) {
		kind := "thresholds"
		if a.Kind == "exited" {
			kind = "exited"
		}
		w.notify(kind, a.Title, a.Body)
	}
}
