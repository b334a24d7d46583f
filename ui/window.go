// Package ui is wezterm-parallel's Fyne window: workspaces, tabs drawn to
// scale with live CPU and memory, a sortable table, and actions on panes.
// Each view (header, sidebar, pane map, table, empty state, detail,
// layouts, preferences, status) is its own struct and file, fed view
// models that internal/viewmodel computes; the actions live in
// controllers (panes.go, wezterm.go, layouts.go) with narrow dependencies.
// Blocking work goes through run (jobs.go): off the UI goroutine, its
// outcome back on it. What the window needs from the rest of the app is a
// backend.Backend; internal/session provides it.
package ui

import (
	"context"
	"fmt"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/wezterm-parallel/wezterm-parallel/internal/backend"
	"github.com/wezterm-parallel/wezterm-parallel/internal/config"
	"github.com/wezterm-parallel/wezterm-parallel/internal/decide"
	"github.com/wezterm-parallel/wezterm-parallel/internal/monitor"
	"github.com/wezterm-parallel/wezterm-parallel/internal/topology"
	"github.com/wezterm-parallel/wezterm-parallel/internal/viewmodel"
	"github.com/wezterm-parallel/wezterm-parallel/internal/wezterm"
)

// Deps are what the window needs from the rest of the app.
type Deps = backend.Backend

// views are the window's parts.
type views struct {
	header  *headerView
	side    *sidebarView
	mapv    *mapView
	table   *tableView
	empty   *emptyView
	centre  *fyne.Container // the map, the table or the empty state
	detail  *detailView
	status  *statusView
	banner  *bannerView // the workspace-switch snippet
	offer   *bannerView // restoring a snapshot
	tools   map[string]*tipButton
	tabs    *container.AppTabs
	layouts *layoutsView
}

// Window is the main window: its views, what it shows (state), and the
// controllers that act.
type Window struct {
	app   fyne.App
	win   fyne.Window
	b     *backend.Backend
	st    *state
	jobs  *jobs
	acts  actions
	keys  keyRouter
	tips  *tips
	v     views
	panes *paneActions
	wez   *weztermActions
	rest  *restoreActions
	prev  *preview
	tick  chan struct{} // the "retrying in N s" countdown's ticker while unreachable
}

// New builds the main window; ctx ends its background work.
func New(ctx context.Context, a fyne.App, b Deps) *Window {
	if b.Queue == nil {
		b.Queue = decide.New()
	}
	if b.SetDetail == nil {
		b.SetDetail = func(wezterm.PaneID) {}
	}
	w := &Window{app: a, b: &b, st: newState(), jobs: &jobs{ctx: ctx}, win: a.NewWindow("wezterm-parallel")}
	w.tips = newTips(w.win)
	w.tips.onKey = w.typedKey
	// The registry comes first (views show its shortcuts); an action gets
	// the window when it runs, so it cannot hold a view not built yet.
	w.acts.w = w
	w.defineActions()
	dlg := dialogs{win: w.win, keys: &w.keys}
	prefs := a.Preferences()
	v := &w.v
	v.tools = map[string]*tipButton{}
	w.acts.tips, w.acts.tools = w.tips, v.tools
	v.status = newStatusView()
	v.banner = newBannerView(func() { prefs.SetBool("banner.snippet.dismissed", true) }, w.typedKey)
	v.offer = newBannerView(func() { w.rest.dismiss() }, w.typedKey)
	w.panes = &paneActions{st: w.st, ctl: b.Control, b: w.b, jobs: w.jobs, say: v.status, dlg: dlg, queue: b.Queue,
		key: func(id string) string { return w.acts.get(id).keyLabel() }, changed: w.render}
	w.wez = &weztermActions{b: w.b, jobs: w.jobs, say: v.status, dlg: dlg, banner: v.banner,
		dismissed: func() bool { return prefs.Bool("banner.snippet.dismissed") }}
	w.panes.noSnippet = w.wez.noSnippet
	w.rest = &restoreActions{b: w.b, jobs: w.jobs, say: v.status, dlg: dlg, banner: v.offer,
		live: func() topology.Tree { return w.st.lastLive.Tree }, notify: notifier{a, w.b}.notify,
		shown: func(ws string) { w.showLaunched(ws, nil) }}
	hc := headerCalls{queued: w.panes.showQueued, jump: w.selectAndJump, waitingKey: w.acts.get("next-waiting").keyLabel()}
	if b.SetWezterm != nil {
		hc.setPath = w.wez.setPath
	}
	if b.StartWezterm != nil {
		hc.start = w.wez.start
	}
	if b.StartDemo != nil {
		hc.demo = w.wez.demo
	}
	v.header = newHeaderView(w.tips, hc)
	v.side = newSidebarView(func(f string) { w.st.filter = f; w.render() }, w.chooseWorkspace, w.typedKey, func() { w.win.Canvas().Unfocus() })
	v.mapv = newMapView(w.tips, w.onTileTap, w.onTileMenu)
	v.empty = newEmptyView(&w.acts, w.typedKey)
	v.table = newTableView(func(id wezterm.PaneID) { w.selectPane(id, 0) }, func() {
		w.st.modes[w.st.sel.Workspace] = viewTable
		w.render()
	}, w.typedKey)
	v.detail = newDetailView(w.acts.button("focus", "Focus", theme.VisibilityIcon()), w.acts.button("send", "Send…", theme.MailSendIcon()),
		w.acts.button("kill", "Kill…", theme.DeleteIcon()))
	w.prev = &preview{jobs: w.jobs, ctl: b.Control, show: v.detail.setScreen, gone: func(id wezterm.PaneID) {
		if w.st.sel.Detail == id {
			w.st.sel.Drop(id)
			w.render()
		}
	}}
	v.layouts = &layoutsView{b: w.b, ctl: b.Control, jobs: w.jobs, say: v.status, dlg: dlg, onKey: w.typedKey,
		notify: notifier{a, w.b}.notify, openURL: a.OpenURL,
		shown:    func() (topology.Tree, string) { return w.st.lastLive.Tree, w.st.sel.Workspace },
		launched: w.showLaunched}
	v.layouts.build(w.tips)
	v.status.info(b.Hint)

	v.centre = container.NewStack(v.mapv)
	body := newPanels(v.side.root, v.centre, v.detail.root,
		float32(prefs.FloatWithFallback("panel.left", 240)), float32(prefs.FloatWithFallback("panel.right", 340)),
		func(l, r float32) {
			prefs.SetFloat("panel.left", float64(l))
			prefs.SetFloat("panel.right", float64(r))
		})
	banners := newBannerStack(v.offer, v.banner)
	panes := container.New(bannersAbove{}, banners.Container, body)
	banners.parent = panes
	v.tabs = container.NewAppTabs(
		container.NewTabItemWithIcon("Panes", theme.GridIcon(), panes),
		container.NewTabItemWithIcon("Layouts", theme.DocumentIcon(), v.layouts.root),
	)
	v.tabs.OnSelected = func(t *container.TabItem) {
		if t.Text == "Layouts" {
			v.layouts.reload()
		}
	}
	top := container.NewVBox(v.header.root, w.toolbar())
	w.win.SetContent(container.NewBorder(top, v.status.root, nil, nil, v.tabs))
	w.win.Resize(fyne.NewSize(1280, 800))
	w.acts.bind(w.win.Canvas())
	w.win.Canvas().SetOnTypedKey(w.typedKey)
	w.keys.watch(w.win.Canvas())
	w.win.SetOnClosed(func() {
		// Nothing ticks for a window that is gone.
		w.prev.stop()
		w.countdown(false)
	})
	return w
}

// Window returns the Fyne window.
func (w *Window) Window() fyne.Window { return w.win }

// Wait blocks until running work finishes (tests).
func (w *Window) Wait() { w.jobs.wg.Wait() }

// toolbar is the row of actions on the selected pane(s), each with its
// tooltip and shortcut, then the view toggle, the palette and preferences.
func (w *Window) toolbar() fyne.CanvasObject {
	btn := func(id string, icon fyne.Resource) fyne.CanvasObject { return w.acts.button(id, "", icon) }
	sep := func() fyne.CanvasObject { return widget.NewSeparator() }
	view := w.acts.button("toggle-view", "Map / table", theme.ListIcon())
	palette := w.acts.button("palette", "Actions", theme.SearchIcon())
	view.Importance, palette.Importance = widget.LowImportance, widget.LowImportance
	return container.NewHBox(
		btn("split-right", theme.NavigateNextIcon()), btn("split-down", theme.MoveDownIcon()), btn("new-tab", theme.ContentAddIcon()), sep(),
		btn("send", theme.MailSendIcon()), btn("broadcast", theme.MailForwardIcon()), btn("rename-tab", theme.DocumentCreateIcon()),
		btn("zoom", theme.ViewFullScreenIcon()), btn("move-tab", theme.ContentCutIcon()), btn("kill", theme.DeleteIcon()), sep(),
		view, palette, btn("prefs", theme.SettingsIcon()),
	)
}

// typedKey handles keys nothing focused took: a dialog's Enter/Esc first,
// then the plain-key actions (Enter focuses, Delete kills).
func (w *Window) typedKey(e *fyne.KeyEvent) {
	if w.keys.handle(e.Name) {
		return
	}
	if e.Name == fyne.KeyEscape {
		w.tips.hide()
		w.win.Canvas().Unfocus() // Esc always gives the keys back to the window
		return
	}
	if e.Name == fyne.KeyF2 && w.keys.shift {
		// Shift+F2 reaches the canvas as F2: Fyne makes no shortcut of
		// Shift alone.
		w.acts.get("rename-ws").trigger()
		return
	}
	if a := w.acts.plain(e.Name); a != nil {
		a.trigger()
	}
}

// Apply shows a snapshot: it renders, and decides nothing. Call it on the
// UI goroutine.
func (w *Window) Apply(s monitor.Snapshot) {
	w.st.apply(s)
	if s.Status == monitor.Connected {
		w.rest.follow(s.Tree)
		w.wez.checkSnippet()
	}
	w.render()
}

// render draws the state; it does no IO (the detail panel's screen has
// its own ticker).
func (w *Window) render() {
	s, stale := w.st.view()
	now := time.Now()
	if !s.Time.IsZero() {
		now = s.Time
	}
	prefs := w.b.Prefs()
	fixes := w.renderCentre(s, stale, now, prefs)
	hdr := viewmodel.HeaderFor(w.st.snap, s, now, retryIn(w.st.snap), prefs.BudgetDailyUSD)
	w.v.header.render(hdr, w.st.snap.Status != monitor.NotInstalled, fixes, len(w.b.Queue.Queued()))
	w.v.status.setVersion(w.st.snap.Version)
	w.v.side.render(viewmodel.Sidebar(s, w.st.filter), w.st.sel.Workspace)
	d, ok := viewmodel.DetailOf(s, w.st.sel.Detail, now)
	ok = ok && w.st.sel.HasDetail
	w.v.detail.render(d, ok)
	for id, b := range w.v.tools {
		if on := w.acts.get(id).ok(); on == b.Disabled() {
			if on {
				b.Enable()
			} else {
				b.Disable()
			}
		}
	}
	w.countdown(!w.st.reachable())
	w.prev.follow(w.st.sel.Detail, ok && w.st.reachable())
}

func retryIn(s monitor.Snapshot) time.Duration {
	if s.NextTry.IsZero() {
		return 0
	}
	return time.Until(s.NextTry)
}

// renderCentre draws the map or the table, whichever applies, or says why
// there is nothing to draw. It reports whether that empty state offers its
// own fixes (the header then leaves them out).
func (w *Window) renderCentre(s monitor.Snapshot, stale bool, now time.Time, prefs config.Preferences) bool {
	st, budget := w.st, prefs.BudgetPaneUSD
	o := viewmodel.Options{Workspace: st.sel.Workspace, Selected: st.sel.Multi, Detail: st.sel.Detail, HasDetail: st.sel.HasDetail,
		Filter: st.filter, Home: home, Now: now, Stale: stale, PaneBudget: budget}
	tabs := viewmodel.TabsOf(s, o)
	shown := 0
	for _, t := range tabs {
		shown += len(t.Tiles)
	}
	show := func(o fyne.CanvasObject) {
		if c := w.v.centre; c.Objects[0] != o {
			c.Objects = []fyne.CanvasObject{o}
			c.Refresh()
		}
	}
	if e, ok := viewmodel.EmptyOf(s, stale, shown, st.filter); ok {
		offered := w.v.empty.render(e)
		show(w.v.empty.root)
		return offered > 0 && e.Actions[0] != "clear-filter"
	}
	if st.tableShown() {
		show(w.v.table.table)
		t := viewmodel.TableOf(s, st.sel.Workspace, st.filter, home, now, w.v.table.col, w.v.table.desc, budget)
		if stale {
			t = t.Greyed()
		}
		w.v.table.render(t, st.sel.Detail, st.sel.HasDetail)
		return false
	}
	show(w.v.mapv)
	w.v.mapv.render(tabs, prefs.MapKeepAspect)
	return false
}

// countdown redraws "retrying in N s" every second while unreachable.
func (w *Window) countdown(on bool) {
	switch {
	case on && w.tick == nil:
		w.tick = every(tickEvery, func() {
			s, _ := w.st.view()
			h := viewmodel.HeaderFor(w.st.snap, s, time.Now(), retryIn(w.st.snap), w.b.Prefs().BudgetDailyUSD)
			w.v.header.render(h, w.st.snap.Status != monitor.NotInstalled, w.v.header.lastFixes, len(w.b.Queue.Queued()))
		})
	case !on && w.tick != nil:
		close(w.tick)
		w.tick = nil
	}
}

var home = viewmodel.Home()

// ShowWindow shows the window and renders the latest snapshot.
func (w *Window) ShowWindow() {
	w.win.Show()
	w.win.RequestFocus()
	w.render()
}

// chooseWorkspace shows a workspace (the user's choice: it stays until
// the workspace goes away).
func (w *Window) chooseWorkspace(name string) {
	if name == w.st.sel.Workspace {
		return
	}
	w.st.sel.Choose(name)
	w.st.sel.Follow(w.st.lastLive.Tree)
	w.render()
}

// selectPane makes id the detail pane (mods: Ctrl/Shift toggles it in the
// multi-selection instead): the one place the selection changes by hand.
func (w *Window) selectPane(id wezterm.PaneID, mods fyne.KeyModifier) {
	if mods&(fyne.KeyModifierControl|fyne.KeyModifierShift|fyne.KeyModifierSuper) != 0 {
		w.st.sel.Toggle(id)
		w.v.status.info(fmt.Sprintf("%s selected: Broadcast (%s) sends to all of them", viewmodel.Plural(len(w.st.sel.Multi), "pane"), w.acts.get("broadcast").keyLabel()))
		w.render()
		return
	}
	tty := ""
	if p, ok := w.st.pane(id); ok && p.TTY != nil {
		tty = *p.TTY
	}
	w.st.sel.Select(id, tty)
	w.b.SetDetail(id)
	w.render()
}

// onTileTap selects the pane and focuses it in WezTerm.
func (w *Window) onTileTap(id wezterm.PaneID, mods fyne.KeyModifier) {
	w.selectPane(id, mods)
	if mods == 0 && w.st.reachable() {
		w.panes.jump(id)
	}
}

// onTileMenu shows the actions on a tile's pane.
func (w *Window) onTileMenu(id wezterm.PaneID, at fyne.Position) {
	if !w.st.sel.HasDetail || w.st.sel.Detail != id {
		w.selectPane(id, 0)
	}
	var items []*fyne.MenuItem
	for _, a := range []string{"focus", "split-right", "split-down", "new-tab", "", "send", "broadcast", "select-tab", "rename-tab", "rename-ws", "zoom", "move-tab", "", "kill"} {
		if a == "" {
			items = append(items, fyne.NewMenuItemSeparator())
			continue
		}
		items = append(items, w.acts.get(a).menuItem())
	}
	widget.ShowPopUpMenuAtPosition(fyne.NewMenu("", items...), w.win.Canvas(), at)
}

// selectAndJump selects a pane (switching the shown workspace to its own)
// and focuses it in WezTerm: the "needs you" entries, the tray's request.
func (w *Window) selectAndJump(id wezterm.PaneID) {
	if p, ok := w.st.pane(id); ok && p.Workspace != w.st.sel.Workspace {
		w.st.sel.Choose(p.Workspace)
	}
	w.v.tabs.SelectIndex(0)
	w.selectPane(id, 0)
	w.panes.jump(id)
}

// showLaunched shows a launched layout's panes: their workspace, the
// first one selected.
func (w *Window) showLaunched(ws string, panes []wezterm.PaneID) {
	w.v.tabs.SelectIndex(0)
	w.st.sel.Choose(ws)
	if len(panes) > 0 {
		w.st.sel.Select(panes[0], "")
		w.b.SetDetail(panes[0])
	}
	w.render()
}

// move selects the pane next to the selected one (arrow keys): in the
// map by geometry, in the table by row.
func (w *Window) move(dx, dy int) {
	if w.v.centre.Objects[0] == w.v.table.table {
		if id, ok := w.v.table.neighbour(dy); ok && dy != 0 {
			w.selectPane(id, 0)
		}
		return
	}
	if id, ok := viewmodel.Neighbour(w.v.mapv.tabs, w.st.sel.Detail, w.st.sel.HasDetail, dx, dy); ok {
		w.selectPane(id, 0)
	}
}

// handle does what the resident or a second start asks of the window.
func (w *Window) handle(r backend.Request) {
	switch r.Op {
	case backend.Focus:
		w.ShowWindow()
	case backend.Prefs:
		w.ShowWindow()
		w.acts.get("prefs").trigger()
	case backend.Select:
		w.ShowWindow()
		if p, ok := w.st.pane(r.Pane); ok && p.Workspace != w.st.sel.Workspace {
			w.st.sel.Choose(p.Workspace)
		}
		w.v.tabs.SelectIndex(0)
		w.selectPane(r.Pane, 0)
	case backend.Restore:
		w.ShowWindow()
		w.v.tabs.SelectIndex(0)
		w.rest.open(r.Snapshot)
	case backend.Quit:
		w.app.Quit()
	}
}

// setLinked says in the title and the status line whether the resident
// feeds the window.
func (w *Window) setLinked(linked bool) {
	if linked {
		w.win.SetTitle("wezterm-parallel")
		w.v.status.info("Fed by the tray process: closing this window frees its memory; the tray keeps watching")
		return
	}
	w.win.SetTitle("wezterm-parallel — resident not running")
	if w.b.HasTray {
		w.v.status.info("Resident not running: this window polls WezTerm itself and looks for the tray process every few seconds")
	}
}

// notifier sends desktop notifications: the window's own as the
// preferences allow (notify), and those already decided (now).
type notifier struct {
	app fyne.App
	b   *backend.Backend
}

func (n notifier) notify(k decide.Kind, title, body string) {
	if decide.Allowed(n.b.Prefs(), k) {
		n.now(title, body)
	}
}

func (n notifier) now(title, body string) {
	if n.b.Notify != nil {
		n.b.Notify(title, body)
		return
	}
	n.app.SendNotification(fyne.NewNotification(title, body))
}
