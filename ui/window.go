// Package ui is wezterm-parallel's Fyne window: workspaces, tabs drawn to
// scale with live CPU and memory, a sortable table, and actions on panes.
// Each view (header, sidebar, pane map, table, detail, layouts,
// preferences, status) is its own struct and file, fed view models that
// internal/viewmodel computes from the monitor's snapshots; Apply only
// renders. Decisions (notifications, queued prompts, the tray menu) are
// made in internal/decide and carried out in run.go. Actions go through
// internal/control in goroutines; widgets never run commands.
package ui

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/wezterm-parallel/wezterm-parallel/internal/broadcast"
	"github.com/wezterm-parallel/wezterm-parallel/internal/config"
	"github.com/wezterm-parallel/wezterm-parallel/internal/control"
	"github.com/wezterm-parallel/wezterm-parallel/internal/decide"
	"github.com/wezterm-parallel/wezterm-parallel/internal/monitor"
	"github.com/wezterm-parallel/wezterm-parallel/internal/textsafe"
	"github.com/wezterm-parallel/wezterm-parallel/internal/topology"
	"github.com/wezterm-parallel/wezterm-parallel/internal/viewmodel"
	"github.com/wezterm-parallel/wezterm-parallel/internal/wezterm"
	"github.com/wezterm-parallel/wezterm-parallel/internal/wsswitch"
)

// actionTimeout bounds one action (each wezterm call has its own timeout
// too).
const actionTimeout = 15 * time.Second

// Deps are what the window needs from the rest of the app.
type Deps struct {
	Control *control.Controller
	// Queue holds the prompts waiting for their agent: the resident's
	// (through the feed) or the window's own (nil: a fresh decider).
	Queue Queue
	// SetDetail tells the monitor which pane's process tree to carry.
	SetDetail func(wezterm.PaneID)
	// SetInterval changes the monitor's tick (preferences apply live).
	SetInterval func(time.Duration)
	// Store holds the preferences (nil: none, e.g. in tests).
	Store *config.Store
	// Hint is a first line for the status bar.
	Hint string
	// SetWezterm switches to another wezterm binary and remembers it.
	SetWezterm func(path string) error
	// StartWezterm starts WezTerm where the app looks for it and returns
	// once it answers, or why it did not within a few seconds.
	StartWezterm func(ctx context.Context) error
	// StartDemo runs the stand-in and switches to it; it returns its socket.
	StartDemo func() (string, error)
	// Notify, when set, receives notifications instead of the desktop.
	Notify func(title, body string)
	// SnippetMissing reports whether wezterm.lua lacks the switch snippet
	// (nil: do not ask, e.g. in the demo).
	SnippetMissing func() bool
	// InstallSnippet installs it, returning what it did.
	InstallSnippet func() (string, error)
	// HasTray: the desktop shows a tray (tray-only preferences are hidden
	// without one).
	HasTray bool
	// Ctx ends the window's background work (default: background).
	Ctx context.Context
}

// view modes of the centre.
const (
	viewAuto = iota // the map, or the table above TableThreshold panes
	viewMap
	viewTable
)

// Queue is where broadcast prompts wait for their agent.
type Queue interface {
	// Plan splits a broadcast: panes whose agent works get the prompt
	// queued, the others are returned to send now.
	Plan(now time.Time, tree topology.Tree, panes []wezterm.PaneID, text string) ([]wezterm.PaneID, []broadcast.Item)
	Cancel(id int) bool
	Queued() []broadcast.Item
}

// Window is the main window: views, the user's selection, the latest
// snapshot.
type Window struct {
	app fyne.App
	win fyne.Window
	ctl *control.Controller
	d   Deps
	ctx context.Context

	acts  actions
	keys  keyRouter
	tips  *tips
	tabs  *container.AppTabs
	body  *panels
	modes map[string]int // the user's map/table choice per workspace (absent: auto)
	shown atomic.Bool    // the window is on screen; hidden, Apply renders nothing

	header  *headerView
	side    *sidebarView
	mapv    *mapView
	table   *tableView
	centre  *fyne.Container
	detail  *detailView
	status  *statusView
	banner  *bannerView
	tools   map[string]*tipButton
	layouts *layoutsView

	snap     monitor.Snapshot // latest
	good     monitor.Snapshot // latest connected (shown greyed while unreachable)
	hasGood  bool
	sel      viewmodel.Selection
	filter   string
	countdwn *time.Ticker

	wg          sync.WaitGroup
	lastPreview time.Time
	paletteOpen fyne.CanvasObject
}

// New builds the main window.
func New(a fyne.App, d Deps) *Window {
	if d.SetInterval == nil {
		d.SetInterval = func(time.Duration) {}
	}
	if d.SetDetail == nil {
		d.SetDetail = func(wezterm.PaneID) {}
	}
	if d.Queue == nil {
		d.Queue = decide.New()
	}
	if d.Ctx == nil {
		d.Ctx = context.Background()
	}
	w := &Window{app: a, d: d, ctl: d.Control, ctx: d.Ctx, win: a.NewWindow("wezterm-parallel"), modes: map[string]int{},
		tools: map[string]*tipButton{}, sel: viewmodel.Selection{Multi: map[wezterm.PaneID]bool{}}}
	w.shown.Store(true)
	w.tips = newTips(w.win)
	w.defineActions()
	w.header = newHeaderView(w)
	w.side = newSidebarView(w)
	w.mapv = newMapView(w)
	w.table = newTableView(w)
	w.detail = newDetailView(w)
	w.status = newStatusView()
	w.banner = newBannerView(func() { a.Preferences().SetBool("banner.snippet.dismissed", true) })
	w.layouts = newLayoutsView(w)
	w.status.info(d.Hint)

	w.centre = container.NewStack(w.mapv)
	prefs := a.Preferences()
	w.body = newPanels(w.side.root, w.centre, w.detail.root,
		float32(prefs.FloatWithFallback("panel.left", 240)), float32(prefs.FloatWithFallback("panel.right", 340)),
		func(l, r float32) {
			prefs.SetFloat("panel.left", float64(l))
			prefs.SetFloat("panel.right", float64(r))
		})
	w.tabs = container.NewAppTabs(
		container.NewTabItemWithIcon("Panes", theme.GridIcon(), container.NewBorder(w.banner.root, nil, nil, nil, w.body)),
		container.NewTabItemWithIcon("Layouts", theme.DocumentIcon(), w.layouts.root),
	)
	w.tabs.OnSelected = func(t *container.TabItem) {
		if t.Text == "Layouts" {
			w.layouts.reload()
		}
	}
	top := container.NewVBox(w.header.root, w.toolbar())
	w.win.SetContent(container.NewBorder(top, w.status.root, nil, nil, w.tabs))
	w.win.Resize(fyne.NewSize(1280, 800))
	w.acts.bind(w.win.Canvas())
	w.win.Canvas().SetOnTypedKey(w.typedKey)
	if d.SnippetMissing != nil && !prefs.Bool("banner.snippet.dismissed") && d.SnippetMissing() {
		w.banner.show("Jumping to a pane in another workspace needs a small Lua snippet in your wezterm.lua: WezTerm has no command "+
			"that switches its workspace. Installing adds one line at the top of your config (with a backup) and a module file in ~/.wezterm.",
			"Install it", w.installSnippet)
	}
	return w
}

// Window returns the Fyne window.
func (w *Window) Window() fyne.Window { return w.win }

// Wait blocks until running actions finish (tests).
func (w *Window) Wait() { w.wg.Wait() }

func (w *Window) prefs() config.Preferences {
	if w.d.Store == nil {
		return config.Defaults()
	}
	return w.d.Store.Prefs()
}

// toolbar is the row of actions on the selected pane(s), each with its
// tooltip and shortcut, then the view toggle, the palette and preferences.
func (w *Window) toolbar() fyne.CanvasObject {
	btn := func(id string, icon fyne.Resource) *tipButton {
		a := w.acts.get(id)
		b := newTipButton("", icon, a.tip(), w.tips, a.trigger)
		b.Importance = widget.LowImportance
		w.tools[id] = b
		return b
	}
	kill := btn("kill", theme.DeleteIcon())
	kill.Importance = widget.DangerImportance
	sep := func() fyne.CanvasObject { return widget.NewSeparator() }
	view := newTipButton("Map / table", theme.ListIcon(), w.acts.get("toggle-view").tip(), w.tips, w.acts.get("toggle-view").trigger)
	view.Importance = widget.LowImportance
	w.tools["toggle-view"] = view
	palette := newTipButton("Actions", theme.SearchIcon(), w.acts.get("palette").tip(), w.tips, w.showPalette)
	palette.Importance = widget.LowImportance
	return container.NewHBox(
		btn("split-right", theme.NavigateNextIcon()), btn("split-down", theme.MoveDownIcon()), btn("new-tab", theme.ContentAddIcon()), sep(),
		btn("send", theme.MailSendIcon()), btn("broadcast", theme.MailForwardIcon()), btn("rename-tab", theme.DocumentCreateIcon()),
		btn("zoom", theme.ViewFullScreenIcon()), btn("move-tab", theme.ContentCutIcon()), kill, sep(),
		view, palette, btn("prefs", theme.SettingsIcon()),
	)
}

func (w *Window) defineActions() {
	sc := fyne.KeyModifierShortcutDefault
	shift := fyne.KeyModifierShift
	pane := func() bool { return w.reachable() && w.sel.HasDetail }
	live := w.reachable
	add := func(a *action) { w.acts.add(a) }
	add(&action{id: "focus", label: "Focus the pane in WezTerm", key: fyne.KeyReturn, run: func() { w.jumpTo(w.sel.Detail) }, enabled: pane})
	add(&action{id: "split-right", label: "Split right…", key: fyne.KeyD, mods: sc, run: func() { w.onSplit(wezterm.Right) }, enabled: pane})
	add(&action{id: "split-down", label: "Split down…", key: fyne.KeyD, mods: sc | shift, run: func() { w.onSplit(wezterm.Down) }, enabled: pane})
	add(&action{id: "new-tab", label: "New tab in the pane's window", key: fyne.KeyT, mods: sc, run: w.onNewTab, enabled: pane})
	add(&action{id: "send", label: "Send text to the pane…", key: fyne.KeyI, mods: sc, run: w.onSend, enabled: pane})
	add(&action{id: "broadcast", label: "Broadcast to the selected panes…", key: fyne.KeyB, mods: sc, run: w.onBroadcast,
		enabled: func() bool { return live() && len(w.broadcastTargets()) > 0 }})
	add(&action{id: "select-tab", label: "Select every pane of the tab", key: fyne.KeyA, mods: sc, run: w.selectTab, enabled: pane})
	add(&action{id: "rename-tab", label: "Rename the tab…", key: fyne.KeyF2, run: w.onRenameTab, enabled: pane})
	add(&action{id: "rename-ws", label: "Rename the workspace…", key: fyne.KeyF2, mods: shift, run: w.onRenameWorkspace,
		enabled: func() bool { return live() && w.sel.Workspace != "" }})
	add(&action{id: "zoom", label: "Zoom / unzoom the pane", key: fyne.KeyZ, mods: sc | shift, run: w.onZoom, enabled: pane})
	add(&action{id: "move-tab", label: "Move the pane to a new tab", key: fyne.KeyT, mods: sc | shift, run: w.onMoveToTab, enabled: pane})
	add(&action{id: "kill", label: "Kill the pane…", key: fyne.KeyDelete, run: w.onKill, enabled: pane})
	for _, d := range []struct {
		key    fyne.KeyName
		name   string
		dx, dy int
	}{{fyne.KeyLeft, "left", -1, 0}, {fyne.KeyRight, "right", 1, 0}, {fyne.KeyUp, "up", 0, -1}, {fyne.KeyDown, "down", 0, 1}} {
		d := d
		add(&action{id: "select-" + d.name, label: "Select the pane " + map[string]string{"left": "to the left", "right": "to the right", "up": "above", "down": "below"}[d.name],
			key: d.key, run: func() { w.move(d.dx, d.dy) }})
	}
	add(&action{id: "next-waiting", label: "Go to the agent waiting longest", key: fyne.KeyJ, mods: sc, run: w.nextWaiting,
		enabled: func() bool { return len(w.snap.Attention) > 0 }})
	add(&action{id: "filter", label: "Filter panes", key: fyne.KeyF, mods: sc, run: func() {
		w.tabs.SelectIndex(0)
		w.win.Canvas().Focus(w.side.filter)
	}})
	add(&action{id: "toggle-view", label: "Switch between the map and the table", key: fyne.KeyM, mods: sc, run: w.toggleView})
	add(&action{id: "layouts", label: "Show layouts", key: fyne.KeyL, mods: sc, run: func() { w.tabs.SelectIndex(1) }})
	add(&action{id: "save-layout", label: "Save the workspace as a layout…", key: fyne.KeyS, mods: sc | shift, run: w.layouts.onSave,
		enabled: func() bool { return live() && w.sel.Workspace != "" }})
	add(&action{id: "queued", label: "Show prompts waiting for busy agents", run: w.showQueued,
		enabled: func() bool { return len(w.d.Queue.Queued()) > 0 }})
	add(&action{id: "prefs", label: "Preferences…", key: fyne.KeyComma, mods: sc, run: w.showPrefs})
	add(&action{id: "palette", label: "All actions…", key: fyne.KeyK, mods: sc, run: w.showPalette})
	add(&action{id: "close", label: "Close the window (the tray keeps watching)", key: fyne.KeyW, mods: sc, run: w.win.Close})
	if w.d.InstallSnippet != nil {
		add(&action{id: "install-snippet", label: "Install the workspace-switch snippet into wezterm.lua", run: w.installSnippet})
	}
	if w.d.StartWezterm != nil {
		add(&action{id: "start", label: "Start WezTerm", run: w.onStartWezterm, enabled: func() bool { return !w.reachable() }})
	}
	for i, k := range []fyne.KeyName{fyne.Key1, fyne.Key2, fyne.Key3, fyne.Key4, fyne.Key5, fyne.Key6, fyne.Key7, fyne.Key8, fyne.Key9} {
		i := i
		add(&action{id: fmt.Sprintf("ws-%d", i+1), label: fmt.Sprintf("Show workspace %d", i+1), key: k, mods: sc, run: func() {
			if i < len(w.side.items) {
				w.tabs.SelectIndex(0)
				w.chooseWorkspace(w.side.items[i].Name)
			}
		}})
	}
}

// typedKey handles keys nothing focused took: a dialog's Enter/Esc first,
// then the plain-key actions (Enter focuses, Delete kills).
func (w *Window) typedKey(e *fyne.KeyEvent) {
	if w.keys.handle(e.Name) {
		return
	}
	if e.Name == fyne.KeyEscape {
		w.tips.hide()
		return
	}
	if a := w.acts.plain(e.Name); a != nil {
		a.trigger()
	}
}

func (w *Window) reachable() bool { return w.snap.Status == monitor.Connected }

// Apply shows a snapshot: it renders, and decides nothing. Call it on the
// UI goroutine. While the window is hidden it only keeps the snapshot.
func (w *Window) Apply(s monitor.Snapshot) {
	w.snap = s
	if s.Status == monitor.Connected {
		w.good, w.hasGood = s, true
		w.sel.Follow(s.Tree)
	}
	if !w.shown.Load() {
		return
	}
	w.render()
}

// view is the snapshot the picture is drawn from: the latest, or the last
// connected one, greyed, while WezTerm is unreachable.
func (w *Window) view() (monitor.Snapshot, bool) {
	if w.snap.Status != monitor.Connected && w.hasGood {
		s := w.good
		s.Attention = nil
		return s, true
	}
	return w.snap, false
}

func (w *Window) render() {
	s, stale := w.view()
	now := time.Now()
	if !s.Time.IsZero() {
		now = s.Time
	}
	retry := time.Duration(0)
	if !w.snap.NextTry.IsZero() {
		retry = time.Until(w.snap.NextTry)
	}
	hdr := viewmodel.HeaderOf(w.snap, now, retry)
	hdr.Today, hdr.TodayRole = viewmodel.TodayOf(s.Tree.SpendToday, w.prefs().BudgetDailyUSD)
	if stale && hdr.CPU == "CPU    –" {
		hdr.CPU, hdr.Mem = viewmodel.HeaderOf(s, now, 0).CPU, viewmodel.HeaderOf(s, now, 0).Mem
	}
	w.header.render(hdr, w.snap.Status != monitor.NotInstalled, len(w.d.Queue.Queued()))
	w.status.setVersion(w.snap.Version)
	w.side.render(viewmodel.Sidebar(s, w.filter), w.sel.Workspace)
	w.renderCentre(s, stale, now)
	d, ok := viewmodel.DetailOf(s, w.sel.Detail, now)
	w.detail.render(d, ok && w.sel.HasDetail)
	w.renderTools()
	w.countdown(!w.reachable())
	if w.sel.HasDetail && w.reachable() && time.Since(w.lastPreview) >= time.Second {
		w.fetchScreen(w.sel.Detail)
	}
}

// renderCentre draws the map or the table, whichever applies.
func (w *Window) renderCentre(s monitor.Snapshot, stale bool, now time.Time) {
	table := w.tableShown(s)
	o := viewmodel.Options{Workspace: w.sel.Workspace, Selected: w.sel.Multi, Detail: w.sel.Detail, HasDetail: w.sel.HasDetail,
		Filter: w.filter, Home: home, Now: now, Stale: stale, PaneBudget: w.prefs().BudgetPaneUSD}
	if table {
		if len(w.centre.Objects) == 0 || w.centre.Objects[0] != w.table.table {
			w.centre.Objects = []fyne.CanvasObject{w.table.table}
			w.centre.Refresh()
		}
		w.table.render(staleRows(viewmodel.RowsBudget(s, w.sel.Workspace, w.filter, home, now, w.table.col, w.table.desc, w.prefs().BudgetPaneUSD), stale))
		return
	}
	if len(w.centre.Objects) == 0 || w.centre.Objects[0] != w.mapv {
		w.centre.Objects = []fyne.CanvasObject{w.mapv}
		w.centre.Refresh()
	}
	w.mapv.render(viewmodel.TabsOf(s, o), w.prefs().MapKeepAspect)
}

// renderTable re-sorts the table (a header was clicked).
func (w *Window) renderTable() {
	s, _ := w.view()
	w.modes[w.sel.Workspace] = viewTable
	w.table.rows = nil
	_, stale := w.view()
	w.table.render(staleRows(viewmodel.RowsBudget(s, w.sel.Workspace, w.filter, home, time.Now(), w.table.col, w.table.desc, w.prefs().BudgetPaneUSD), stale))
	w.table.table.Refresh()
}

// renderTools enables the toolbar's buttons that apply now: nothing acts
// on a picture that is not live, or without a selection.
func (w *Window) renderTools() {
	for id, b := range w.tools {
		ok := w.acts.get(id).ok()
		if ok == b.Disabled() {
			if ok {
				b.Enable()
			} else {
				b.Disable()
			}
		}
	}
}

// countdown redraws "retrying in N s" every second while unreachable.
func (w *Window) countdown(on bool) {
	switch {
	case on && w.countdwn == nil:
		w.countdwn = time.NewTicker(time.Second)
		t := w.countdwn
		go func() {
			for range t.C {
				onUI(func() {
					if w.countdwn == t && w.shown.Load() {
						retry := time.Until(w.snap.NextTry)
						s, _ := w.view()
						h := viewmodel.HeaderOf(w.snap, time.Now(), retry)
						h.CPU, h.Mem = viewmodel.HeaderOf(s, time.Now(), 0).CPU, viewmodel.HeaderOf(s, time.Now(), 0).Mem
						h.Today, h.TodayRole = viewmodel.TodayOf(s.Tree.SpendToday, w.prefs().BudgetDailyUSD)
						w.header.render(h, w.snap.Status != monitor.NotInstalled, len(w.d.Queue.Queued()))
					}
				})
			}
		}()
	case !on && w.countdwn != nil:
		w.countdwn.Stop()
		w.countdwn = nil
	}
}

var home = viewmodel.Home()

// ShowWindow shows the window and renders the latest snapshot.
func (w *Window) ShowWindow() {
	w.shown.Store(true)
	w.win.Show()
	w.win.RequestFocus()
	w.render()
}

// Shown reports whether the window is on screen.
func (w *Window) Shown() bool { return w.shown.Load() }

// setFilter narrows every view to panes matching f.
func (w *Window) setFilter(f string) {
	w.filter = f
	w.render()
}

// chooseWorkspace shows a workspace (the user's choice: it stays until
// the workspace goes away).
func (w *Window) chooseWorkspace(name string) {
	if name == w.sel.Workspace {
		return
	}
	w.sel.Workspace, w.sel.UserChose = name, true
	w.sel.Follow(w.good.Tree)
	w.render()
}

// tableShown: the table for this workspace, by the user's choice, else
// when a tab has more than TableThreshold panes.
func (w *Window) tableShown(s monitor.Snapshot) bool {
	switch w.modes[w.sel.Workspace] {
	case viewTable:
		return true
	case viewMap:
		return false
	}
	return viewmodel.MaxTabPanes(s, w.sel.Workspace) > viewmodel.TableThreshold
}

func (w *Window) toggleView() {
	s, _ := w.view()
	if w.tableShown(s) {
		w.modes[w.sel.Workspace] = viewMap
	} else {
		w.modes[w.sel.Workspace] = viewTable
	}
	w.render()
}

// staleRows greys the rows of a picture that is no longer live.
func staleRows(rows []viewmodel.Row, stale bool) []viewmodel.Row {
	if !stale {
		return rows
	}
	for i := range rows {
		for c := range rows[i].Roles {
			rows[i].Roles[c] = viewmodel.RoleStale
		}
	}
	return rows
}

// selectPane makes id the detail pane (mods: Ctrl/Shift toggles it in the
// multi-selection instead).
func (w *Window) selectPane(id wezterm.PaneID, mods fyne.KeyModifier) {
	if mods&(fyne.KeyModifierControl|fyne.KeyModifierShift|fyne.KeyModifierSuper) != 0 {
		if w.sel.Multi[id] {
			delete(w.sel.Multi, id)
		} else {
			w.sel.Multi[id] = true
			if w.sel.HasDetail && len(w.sel.Multi) == 1 && w.sel.Detail != id {
				w.sel.Multi[w.sel.Detail] = true // the pane shown joins the selection
			}
		}
		w.status.info(fmt.Sprintf("%d panes selected: Broadcast (%s) sends to all of them", len(w.sel.Multi), w.acts.get("broadcast").keyLabel()))
		w.render()
		return
	}
	w.sel.Multi = map[wezterm.PaneID]bool{}
	w.sel.Detail, w.sel.HasDetail, w.sel.DetailTTY = id, true, ""
	if p, ok := w.pane(id); ok && p.TTY != nil {
		w.sel.DetailTTY = *p.TTY
	}
	w.lastPreview = time.Time{}
	w.d.SetDetail(id)
	w.render()
}

// onTileTap selects the pane and focuses it in WezTerm.
func (w *Window) onTileTap(m viewmodel.Tile, mods fyne.KeyModifier) {
	w.tips.hide()
	w.selectPane(m.ID, mods)
	if mods == 0 && w.reachable() {
		w.jumpTo(m.ID)
	}
}

func (w *Window) onTileHover(m viewmodel.Tile, at fyne.Position, in bool) {
	if !in {
		w.tips.hide()
		return
	}
	var b strings.Builder
	fmt.Fprintf(&b, "Pane %d · %s", m.ID, m.Title)
	if m.Badge != nil {
		fmt.Fprintf(&b, "\n%s: %s", m.Badge.Name, m.Badge.Text)
	}
	if m.Program != "" {
		b.WriteString("\n" + m.Program)
	}
	if m.CWD != "" {
		b.WriteString("\n" + m.CWD)
	}
	fmt.Fprintf(&b, "\nCPU %s · MEM %s", strings.TrimSpace(m.CPU), strings.TrimSpace(m.Mem))
	if m.Focused {
		b.WriteString("\nWezTerm's focused pane")
	}
	b.WriteString("\nClick: select and focus · Ctrl/Shift-click: add to the selection · right-click: actions")
	w.tips.show(b.String(), at)
}

func (w *Window) onTileMenu(m viewmodel.Tile, at fyne.Position) {
	w.tips.hide()
	if !w.sel.HasDetail || w.sel.Detail != m.ID {
		w.selectPane(m.ID, 0)
	}
	var items []*fyne.MenuItem
	for _, id := range []string{"focus", "split-right", "split-down", "new-tab", "", "send", "broadcast", "select-tab", "rename-tab", "rename-ws", "zoom", "move-tab", "", "kill"} {
		if id == "" {
			items = append(items, fyne.NewMenuItemSeparator())
			continue
		}
		items = append(items, w.acts.get(id).menuItem())
	}
	widget.ShowPopUpMenuAtPosition(fyne.NewMenu("", items...), w.win.Canvas(), at)
}

// selectAndJump selects a pane (switching the shown workspace to its own)
// and focuses it in WezTerm: the "needs you" entries.
func (w *Window) selectAndJump(id wezterm.PaneID) {
	if p, ok := w.pane(id); ok && p.Workspace != w.sel.Workspace {
		w.sel.Workspace, w.sel.UserChose = p.Workspace, true
	}
	w.tabs.SelectIndex(0)
	w.selectPane(id, 0)
	w.jumpTo(id)
}

func (w *Window) nextWaiting() {
	if len(w.snap.Attention) > 0 {
		w.selectAndJump(w.snap.Attention[0])
	}
}

func (w *Window) pane(id wezterm.PaneID) (p paneT, ok bool) {
	for _, x := range w.snap.Tree.Panes() {
		if x.ID == id {
			return x, true
		}
	}
	return p, false
}

// run performs an action off the UI goroutine with the app's context and
// shows its outcome: a failure in red with WezTerm's reason, a success
// plainly (never a warning for an action that succeeded).
func (w *Window) run(f func(ctx context.Context) (string, error)) {
	w.wg.Add(1)
	go func() {
		defer w.wg.Done()
		ctx, cancel := context.WithTimeout(w.ctx, actionTimeout)
		defer cancel()
		ok, err := f(ctx)
		onUI(func() {
			switch {
			case err != nil:
				w.status.fail(textsafe.Escape(err.Error()))
			case ok != "":
				w.status.info(ok)
			}
		})
	}()
}

// jumpTo focuses a pane in WezTerm, switching the GUI's workspace when
// needed; a missing snippet is the banner's to explain, once.
func (w *Window) jumpTo(id wezterm.PaneID) {
	w.run(func(ctx context.Context) (string, error) {
		err := w.ctl.Jump(ctx, id)
		switch {
		case errors.Is(err, wsswitch.ErrSnippetMissing):
			onUI(func() {
				if w.d.InstallSnippet != nil {
					w.banner.show("WezTerm stayed on its workspace: switching needs a small Lua snippet in your wezterm.lua. "+
						"The pane was focused within its own workspace.", "Install it", w.installSnippet)
				}
			})
			return fmt.Sprintf("Pane %d focused in its workspace (WezTerm did not switch to it)", id), nil
		case errors.Is(err, wezterm.ErrNoSuchPane):
			return "", fmt.Errorf("pane %d is gone", id)
		case err != nil:
			return "", err
		}
		return fmt.Sprintf("Pane %d focused in WezTerm", id), nil
	})
}

// fetchScreen reads the detail pane's last lines; a pane that is gone
// clears the selection rather than raising a warning.
func (w *Window) fetchScreen(id wezterm.PaneID) {
	w.lastPreview = time.Now()
	w.wg.Add(1)
	go func() {
		defer w.wg.Done()
		ctx, cancel := context.WithTimeout(w.ctx, actionTimeout)
		defer cancel()
		text, err := w.ctl.Preview(ctx, id)
		onUI(func() {
			switch {
			case errors.Is(err, wezterm.ErrNoSuchPane):
				if w.sel.Detail == id {
					w.sel.HasDetail = false
					w.render()
				}
			case err == nil:
				w.detail.setScreen(id, textsafe.EscapeKeepNewlines(lastLines(text, 30)))
			}
		})
	}()
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n "), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

func (w *Window) installSnippet() {
	if w.d.InstallSnippet == nil {
		return
	}
	msg, err := w.d.InstallSnippet()
	if err != nil {
		w.status.fail("Snippet not installed: " + err.Error())
		return
	}
	w.banner.root.Hide()
	w.status.info(msg)
}
