package ui

import (
	"fmt"

	"fyne.io/fyne/v2"

	"github.com/wezterm-parallel/wezterm-parallel/internal/config"
	"github.com/wezterm-parallel/wezterm-parallel/ui/widgets"

	"github.com/wezterm-parallel/wezterm-parallel/internal/wezterm"
)

// defineActions registers everything the user can do, with its shortcut.
// An action gets the window when it runs (never a view or controller
// captured before it existed).
func (w *Window) defineActions() {
	sc := fyne.KeyModifierShortcutDefault
	shift := fyne.KeyModifierShift
	pane := func() bool { return w.st.selected() }
	live := func() bool { return w.st.reachable() }
	add := func(a *action) { w.acts.add(a) }
	add(&action{id: "focus", label: "Focus the pane in WezTerm", key: fyne.KeyReturn, run: func(w *Window) { w.panes.jump(w.st.sel.Detail) }, enabled: pane})
	add(&action{id: "split-right", label: "Split right…", key: fyne.KeyD, mods: sc, run: func(w *Window) { w.panes.split(wezterm.Right) }, enabled: pane})
	add(&action{id: "split-down", label: "Split down…", key: fyne.KeyD, mods: sc | shift, run: func(w *Window) { w.panes.split(wezterm.Down) }, enabled: pane})
	add(&action{id: "new-tab", label: "New tab in the pane's window", key: fyne.KeyT, mods: sc, run: func(w *Window) { w.panes.newTab() }, enabled: pane})
	add(&action{id: "send", label: "Send text to the pane…", key: fyne.KeyI, mods: sc, run: func(w *Window) { w.panes.send() }, enabled: pane})
	add(&action{id: "broadcast", label: "Broadcast to the selected panes…", key: fyne.KeyB, mods: sc, run: func(w *Window) { w.panes.broadcast() },
		enabled: func() bool { return live() && len(w.st.sel.Targets(w.st.snap.Tree)) > 0 }})
	add(&action{id: "select-tab", label: "Select every pane of the tab", key: fyne.KeyA, mods: sc, run: func(w *Window) { w.panes.selectTab() }, enabled: pane})
	add(&action{id: "rename-tab", label: "Rename the tab…", key: fyne.KeyF2, run: func(w *Window) { w.panes.renameTab() }, enabled: pane})
	add(&action{id: "rename-ws", label: "Rename the workspace…", key: fyne.KeyF2, mods: shift, run: func(w *Window) { w.panes.renameWorkspace() },
		enabled: func() bool { return live() && w.st.sel.Workspace != "" }})
	add(&action{id: "zoom", label: "Zoom / unzoom the pane", key: fyne.KeyZ, mods: sc | shift, run: func(w *Window) { w.panes.zoom() }, enabled: pane})
	add(&action{id: "move-tab", label: "Move the pane to a new tab", key: fyne.KeyT, mods: sc | shift, run: func(w *Window) { w.panes.moveToTab() }, enabled: pane})
	add(&action{id: "kill", label: "Kill the pane…", key: fyne.KeyDelete, run: func(w *Window) { w.panes.kill() }, enabled: pane})
	for _, d := range []struct {
		key       fyne.KeyName
		id, where string
		dx, dy    int
	}{{fyne.KeyLeft, "left", "to the left", -1, 0}, {fyne.KeyRight, "right", "to the right", 1, 0}, {fyne.KeyUp, "up", "above", 0, -1}, {fyne.KeyDown, "down", "below", 0, 1}} {
		add(&action{id: "select-" + d.id, label: "Select the pane " + d.where, key: d.key, run: func(w *Window) { w.move(d.dx, d.dy) }})
	}
	add(&action{id: "next-waiting", label: "Go to the agent waiting longest", key: fyne.KeyJ, mods: sc, run: func(w *Window) {
		if a := w.st.snap.Attention; len(a) > 0 {
			w.selectAndJump(a[0])
		}
	}, enabled: func() bool { return len(w.st.snap.Attention) > 0 }})
	add(&action{id: "filter", label: "Filter panes", key: fyne.KeyF, mods: sc, run: func(w *Window) {
		w.v.tabs.SelectIndex(0)
		w.win.Canvas().Focus(w.v.side.filter)
	}})
	add(&action{id: "clear-filter", label: "Clear the filter", run: func(w *Window) { w.v.side.filter.SetText("") },
		enabled: func() bool { return w.st.filter != "" }})
	add(&action{id: "toggle-view", label: "Switch between the map and the table", key: fyne.KeyM, mods: sc, run: func(w *Window) {
		w.st.toggleView()
		w.render()
	}})
	add(&action{id: "layouts", label: "Show layouts", key: fyne.KeyL, mods: sc, run: func(w *Window) { w.v.tabs.SelectIndex(1) }})
	add(&action{id: "save-layout", label: "Save the workspace as a layout…", key: fyne.KeyS, mods: sc | shift, run: func(w *Window) { w.v.layouts.save() },
		enabled: func() bool { return live() && w.st.sel.Workspace != "" }})
	add(&action{id: "queued", label: "Show prompts waiting for busy agents", run: func(w *Window) { w.panes.showQueued() },
		enabled: func() bool { return len(w.b.Queue.Queued()) > 0 }})
	add(&action{id: "prefs", label: "Preferences…", key: fyne.KeyComma, mods: sc, run: func(w *Window) {
		showPrefs(dialogs{w.win, &w.keys}, w.b, w.jobs, w.v.status, func(p config.Preferences) {
			w.app.Settings().SetTheme(widgets.NewTheme(p.Theme))
			w.render()
		})
	}})
	add(&action{id: "palette", label: "All actions…", key: fyne.KeyK, mods: sc, run: func(w *Window) { showPalette(dialogs{w.win, &w.keys}, w.acts.list) }})
	add(&action{id: "close", label: "Close the window (the tray keeps watching)", key: fyne.KeyW, mods: sc, run: func(w *Window) { w.win.Close() }})
	if w.b.InstallSnippet != nil {
		add(&action{id: "install-snippet", label: "Install the workspace-switch snippet into wezterm.lua", run: func(w *Window) { w.wez.installSnippet() }})
	}
	if w.b.StartWezterm != nil {
		add(&action{id: "start", label: "Start WezTerm", run: func(w *Window) { w.wez.start() }, enabled: func() bool { return !live() }})
	}
	if w.b.Restore != nil {
		add(&action{id: "restore", label: "Restore a snapshot: workspaces, panes and agents as they were…", run: func(w *Window) { w.rest.open("") }})
	}
	if w.b.StartDemo != nil {
		add(&action{id: "demo", label: "Try the demo: a stand-in WezTerm with real programs", run: func(w *Window) { w.wez.demo() }})
	}
	if w.b.SetWezterm != nil {
		add(&action{id: "set-path", label: "Tell the app where the wezterm binary is…", run: func(w *Window) { w.wez.setPath() }})
	}
	for i, k := range []fyne.KeyName{fyne.Key1, fyne.Key2, fyne.Key3, fyne.Key4, fyne.Key5, fyne.Key6, fyne.Key7, fyne.Key8, fyne.Key9} {
		add(&action{id: fmt.Sprintf("ws-%d", i+1), label: fmt.Sprintf("Show workspace %d", i+1), key: k, mods: sc, run: func(w *Window) {
			if i < len(w.v.side.items) {
				w.v.tabs.SelectIndex(0)
				w.chooseWorkspace(w.v.side.items[i].Name)
			}
		}})
	}
}
