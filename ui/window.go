// Package ui is wezterm-parallel's Fyne window: workspaces, tabs drawn to
// scale with live CPU and memory, and actions on panes. It renders monitor
// snapshots and sends actions through the controller; it never runs a
// command itself.
package ui

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/wezterm-parallel/wezterm-parallel/internal/alerts"
	"github.com/wezterm-parallel/wezterm-parallel/internal/broadcast"
	"github.com/wezterm-parallel/wezterm-parallel/internal/config"
	"github.com/wezterm-parallel/wezterm-parallel/internal/control"
	"github.com/wezterm-parallel/wezterm-parallel/internal/metrics"
	"github.com/wezterm-parallel/wezterm-parallel/internal/monitor"
	"github.com/wezterm-parallel/wezterm-parallel/internal/textsafe"
	"github.com/wezterm-parallel/wezterm-parallel/internal/topology"
	"github.com/wezterm-parallel/wezterm-parallel/internal/wezterm"
	"github.com/wezterm-parallel/wezterm-parallel/internal/wsswitch"
	"github.com/wezterm-parallel/wezterm-parallel/ui/widgets"
)

// actionTimeout bounds one action (each wezterm call has its own timeout
// too).
const actionTimeout = 15 * time.Second

// Deps are what the window needs from the rest of the app.
type Deps struct {
	Control *control.Controller
	// SetDetail tells the monitor which pane's process tree to carry.
	SetDetail func(wezterm.PaneID)
	// SetInterval changes the monitor's tick (preferences apply live).
	SetInterval func(time.Duration)
	// SetLight tells the monitor the window is hidden (less to collect).
	SetLight func(bool)
	// Store holds the preferences (nil: none, e.g. in tests).
	Store *config.Store
	// Hint is a first line for the status bar.
	Hint string
	// SetWezterm switches to another wezterm binary and remembers it.
	SetWezterm func(path string) error
	// StartWezterm launches the WezTerm GUI.
	StartWezterm func() error
	// StartDemo runs the stand-in and switches to it; it returns its socket.
	StartDemo func() (string, error)
	// Notify, when set, receives notifications instead of the desktop
	// (tests count them).
	Notify func(title, body string)
}

// Window is the main window.
type Window struct {
	app  fyne.App
	win  fyne.Window
	ctl  *control.Controller
	d    Deps
	hint string
	// SetDetail tells the monitor which pane's process tree to carry.
	setDetail func(wezterm.PaneID)
	tabs      *container.AppTabs
	gallery   *fyne.Container
	invalid   *widget.Label

	snap      monitor.Snapshot
	workspace string
	selected  map[wezterm.PaneID]bool
	detail    wezterm.PaneID
	hasDetail bool
	filter    string

	status   *widget.Label
	fixes    *fyne.Container // what to do when WezTerm is missing
	setPath  *widget.Button
	startWT  *widget.Button
	system   *widget.Label
	sysSpark *widgets.Sparkline
	message  *widget.Label
	wsList   *widget.List
	wsItems  []topology.Workspace
	search   *widget.Entry
	tabsBox  *fyne.Container
	grids    map[wezterm.TabID]*widgets.PaneGrid
	titles   map[wezterm.TabID]*widget.Label
	tabOrder []wezterm.TabID
	detailHd *widget.Label
	procs    *widget.Label
	preview  *widget.Label

	wg          sync.WaitGroup
	lastPreview time.Time
	snippetTold atomic.Bool

	shown  bool // the window is on screen; hidden, Apply renders nothing
	tray   trayState
	alerts *alerts.Tracker

	agentWas    map[wezterm.PaneID]string
	agentToldAt map[wezterm.PaneID]time.Time
	queue       *fyne.Container // the attention queue in the header

	bq      broadcast.Queue // prompts waiting for busy agents
	queued  *widget.Button  // "Queued (n)" in the header
	bqShown dialog.Dialog
}

// New builds the main window.
func New(a fyne.App, d Deps) *Window {
	ctl, setDetail, hint := d.Control, d.SetDetail, d.Hint
	if d.SetInterval == nil {
		d.SetInterval = func(time.Duration) {}
	}
	if d.SetLight == nil {
		d.SetLight = func(bool) {}
	}
	w := &Window{app: a, d: d, win: a.NewWindow("wezterm-parallel"), ctl: ctl, hint: hint, setDetail: setDetail, shown: true, alerts: alerts.New(),
		selected: map[wezterm.PaneID]bool{}, grids: map[wezterm.TabID]*widgets.PaneGrid{}, titles: map[wezterm.TabID]*widget.Label{}}
	if w.setDetail == nil {
		w.setDetail = func(wezterm.PaneID) {}
	}
	w.status = widget.NewLabel("Looking for WezTerm…")
	w.status.TextStyle = fyne.TextStyle{Bold: true}
	w.status.Truncation = fyne.TextTruncateEllipsis
	w.system = widget.NewLabel("")
	w.sysSpark = widgets.NewSparkline(100)
	w.message = widget.NewLabel(hint)
	w.message.Wrapping = fyne.TextWrapWord
	w.search = widget.NewEntry()
	w.search.SetPlaceHolder("Filter: workspace, title, cwd, program")
	w.search.OnChanged = func(s string) {
		w.filter = strings.ToLower(strings.TrimSpace(s))
		w.render()
	}
	w.wsList = widget.NewList(
		func() int { return len(w.wsItems) },
		func() fyne.CanvasObject { return widget.NewLabel("workspace with a long name") },
		func(i widget.ListItemID, o fyne.CanvasObject) { o.(*widget.Label).SetText(w.wsLabel(i)) },
	)
	w.wsList.OnSelected = func(i widget.ListItemID) {
		if i < len(w.wsItems) && w.workspace != w.wsItems[i].Name {
			w.workspace = w.wsItems[i].Name
			w.render()
		}
	}
	w.tabsBox = container.NewVBox()
	w.detailHd = widget.NewLabel("Select a pane")
	w.detailHd.TextStyle = fyne.TextStyle{Bold: true}
	w.detailHd.Wrapping = fyne.TextWrapWord
	w.procs = widget.NewLabel("")
	w.procs.TextStyle = fyne.TextStyle{Monospace: true}
	w.preview = widget.NewLabel("")
	w.preview.TextStyle = fyne.TextStyle{Monospace: true}

	w.setPath = widget.NewButtonWithIcon("Set path…", theme.FolderOpenIcon(), w.onSetPath)
	w.startWT = widget.NewButtonWithIcon("Start WezTerm", theme.MediaPlayIcon(), w.onStartWezterm)
	w.fixes = container.NewHBox(w.setPath, w.startWT, widget.NewButtonWithIcon("Try the demo", theme.ComputerIcon(), w.onDemo))
	w.fixes.Hide()
	// The status takes what the machine figures leave (it truncates with
	// an ellipsis on narrow windows).
	w.queue = container.NewHBox()
	w.queued = widget.NewButtonWithIcon("", theme.HistoryIcon(), w.showQueued)
	w.queued.Hide()
	header := container.NewBorder(nil, nil, nil,
		container.NewHBox(w.queue, w.queued, w.fixes, w.system, container.NewGridWrap(fyne.NewSize(120, 28), w.sysSpark)), w.status)
	toolbar := widget.NewToolbar(
		widget.NewToolbarAction(theme.NavigateNextIcon(), func() { w.onSplit(wezterm.Right) }),
		widget.NewToolbarAction(theme.MoveDownIcon(), func() { w.onSplit(wezterm.Down) }),
		widget.NewToolbarAction(theme.ContentAddIcon(), w.onNewTab),
		widget.NewToolbarSeparator(),
		widget.NewToolbarAction(theme.MailSendIcon(), w.onSend),
		widget.NewToolbarAction(theme.DocumentCreateIcon(), w.onRenameTab),
		widget.NewToolbarAction(theme.ViewFullScreenIcon(), w.onZoom),
		widget.NewToolbarAction(theme.DeleteIcon(), w.onKill),
		widget.NewToolbarSpacer(),
		widget.NewToolbarAction(theme.SettingsIcon(), w.showPrefs),
	)
	sidebar := container.NewBorder(w.search, nil, nil, nil, w.wsList)
	detail := container.NewVScroll(container.NewVBox(w.detailHd, widget.NewSeparator(),
		widget.NewLabelWithStyle("Processes", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), w.procs,
		widget.NewLabelWithStyle("Screen", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), w.preview))
	main := container.NewHSplit(container.NewVScroll(w.tabsBox), detail)
	main.Offset = 0.72
	body := container.NewHSplit(sidebar, main)
	body.Offset = 0.2
	w.tabs = container.NewAppTabs(
		container.NewTabItem("Panes", body),
		container.NewTabItem("Layouts", w.layoutsView()),
	)
	w.tabs.OnSelected = func(t *container.TabItem) {
		if t.Text == "Layouts" {
			w.reloadLayouts()
		}
	}
	w.win.SetContent(container.NewBorder(container.NewVBox(header, toolbar), w.message, nil, nil, w.tabs))
	w.win.Resize(fyne.NewSize(1280, 800))
	w.shortcuts()
	return w
}

// Window returns the Fyne window.
func (w *Window) Window() fyne.Window { return w.win }

// Wait blocks until running actions finish (tests).
func (w *Window) Wait() { w.wg.Wait() }

func (w *Window) shortcuts() {
	c := w.win.Canvas()
	for i, k := range []fyne.KeyName{fyne.Key1, fyne.Key2, fyne.Key3, fyne.Key4, fyne.Key5, fyne.Key6, fyne.Key7, fyne.Key8, fyne.Key9} {
		i := i
		c.AddShortcut(&desktop.CustomShortcut{KeyName: k, Modifier: fyne.KeyModifierShortcutDefault}, func(fyne.Shortcut) {
			if i < len(w.wsItems) {
				w.tabs.SelectIndex(0)
				w.wsList.Select(i)
			}
		})
	}
	c.AddShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyF, Modifier: fyne.KeyModifierShortcutDefault}, func(fyne.Shortcut) {
		w.tabs.SelectIndex(0)
		c.Focus(w.search)
	})
	c.AddShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyL, Modifier: fyne.KeyModifierShortcutDefault}, func(fyne.Shortcut) {
		w.tabs.SelectIndex(1)
	})
	c.AddShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyComma, Modifier: fyne.KeyModifierShortcutDefault}, func(fyne.Shortcut) {
		w.showPrefs()
	})
	c.SetOnTypedKey(func(e *fyne.KeyEvent) {
		switch e.Name {
		case fyne.KeyReturn, fyne.KeyEnter:
			if w.hasDetail {
				w.focusPane(w.detail)
			}
		case fyne.KeyDelete:
			w.onKill()
		}
	})
}

// Apply shows a snapshot. Call it on the UI goroutine (fyne.Do). While the
// window is hidden only the tray menu follows.
func (w *Window) Apply(s monitor.Snapshot) {
	w.snap = s
	w.updateTray()
	w.checkAlerts(s)
	w.checkAgents(s)
	w.deliverQueued()
	if !w.shown {
		return
	}
	w.status.SetText(statusText(s))
	switch s.Status {
	case monitor.NotInstalled:
		w.setPath.Show()
		w.startWT.Hide()
		w.fixes.Show()
	case monitor.NotRunning:
		w.setPath.Hide()
		w.startWT.Show()
		w.fixes.Show()
	default:
		w.fixes.Hide()
	}
	if sys := s.Tree.System; sys != nil && s.Status == monitor.Connected {
		cpu := "-"
		if sys.CPUPercent != nil {
			cpu = fmt.Sprintf("%.0f%%", *sys.CPUPercent)
		}
		w.system.SetText(fmt.Sprintf("CPU %s  memory %s / %s", cpu, widgets.HumanBytes(sys.MemUsedBytes), widgets.HumanBytes(sys.MemTotalBytes)))
		w.sysSpark.SetValues(cpuValues(s.SystemHistory))
	}
	if w.workspace == "" || !hasWorkspace(s.Tree, w.workspace) {
		w.workspace = s.Tree.GUIWorkspace
		if !hasWorkspace(s.Tree, w.workspace) && len(s.Tree.Workspaces) > 0 {
			w.workspace = s.Tree.Workspaces[0].Name
		}
	}
	for id := range w.selected {
		if !hasPane(s.Tree, id) {
			delete(w.selected, id)
		}
	}
	if w.hasDetail && !hasPane(s.Tree, w.detail) {
		w.hasDetail = false
	}
	w.renderQueue()
	w.render()
	w.renderDetail()
}

// renderQueue shows the agents waiting for the user, oldest first; a click
// jumps to the pane.
func (w *Window) renderQueue() {
	var objs []fyne.CanvasObject
	if n := len(w.snap.Attention); n > 0 {
		objs = append(objs, widget.NewLabelWithStyle(fmt.Sprintf("Needs you (%d):", n), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
	}
	for i, id := range w.snap.Attention {
		if i == 3 {
			objs = append(objs, widget.NewLabel(fmt.Sprintf("+%d", len(w.snap.Attention)-3)))
			break
		}
		p, _ := w.pane(id)
		name := p.Title
		if p.Agent != nil {
			name = p.Agent.Name
		}
		id := id
		b := widget.NewButtonWithIcon(fmt.Sprintf("%s · %d", trunc(name, 18), id), theme.WarningIcon(), func() { w.jump(id) })
		b.Importance = widget.WarningImportance
		objs = append(objs, b)
	}
	w.queue.Objects = objs
	w.queue.Refresh()
}

func statusText(s monitor.Snapshot) string {
	switch s.Status {
	case monitor.Connected:
		n := 0
		for _, ws := range s.Tree.Workspaces {
			n += ws.PaneCount()
		}
		return fmt.Sprintf("WezTerm %s — %d workspaces, %d panes", s.Version, len(s.Tree.Workspaces), n)
	case monitor.NotInstalled:
		return "WezTerm is not installed — install it, or set wezterm_path in the preferences; `wezterm-parallel demo` shows the app without it"
	case monitor.NotRunning:
		return "WezTerm is not running — start WezTerm (same desktop session), or try `wezterm-parallel demo`"
	}
	return fmt.Sprintf("WezTerm is not answering: %v", s.Err)
}

func cpuValues(h []metrics.Sample) []float64 {
	out := make([]float64, len(h))
	for i, s := range h {
		out[i] = s.CPU
	}
	return out
}

func hasWorkspace(t topology.Tree, name string) bool {
	for _, ws := range t.Workspaces {
		if ws.Name == name {
			return true
		}
	}
	return false
}

func hasPane(t topology.Tree, id wezterm.PaneID) bool {
	for _, p := range t.Panes() {
		if p.ID == id {
			return true
		}
	}
	return false
}

func (w *Window) matches(p topology.Pane) bool {
	if w.filter == "" {
		return true
	}
	hay := strings.ToLower(p.Workspace + " " + p.Title + " " + p.CWD)
	if p.Usage != nil && p.Foreground != nil {
		hay += " " + strings.ToLower(p.Foreground.Cmdline)
	}
	return strings.Contains(hay, w.filter)
}

func (w *Window) wsLabel(i int) string {
	ws := w.wsItems[i]
	var cpu float64
	var mem uint64
	for _, p := range paneList(ws) {
		if p.Usage != nil && p.CPUPercent != nil {
			cpu += *p.CPUPercent
		}
		if p.Usage != nil && p.RSSBytes != nil {
			mem += *p.RSSBytes
		}
	}
	mark := "  "
	if ws.Visible {
		mark = "● "
	}
	return fmt.Sprintf("%s%s  (%d)  %.0f%%  %s", mark, ws.Name, ws.PaneCount(), cpu, widgets.HumanBytes(mem))
}

func paneList(ws topology.Workspace) []topology.Pane {
	var out []topology.Pane
	for _, win := range ws.Windows {
		for _, t := range win.Tabs {
			out = append(out, t.Panes...)
		}
	}
	return out
}

// render updates the sidebar and the tabs of the selected workspace,
// reusing grids of tabs that are still there.
func (w *Window) render() {
	w.wsItems = w.wsItems[:0]
	for _, ws := range w.snap.Tree.Workspaces {
		for _, p := range paneList(ws) {
			if w.matches(p) {
				w.wsItems = append(w.wsItems, ws)
				break
			}
		}
	}
	w.wsList.Refresh()
	for i, ws := range w.wsItems {
		if ws.Name == w.workspace {
			w.wsList.Select(i)
		}
	}
	var order []wezterm.TabID
	seen := map[wezterm.TabID]bool{}
	for _, ws := range w.snap.Tree.Workspaces {
		if ws.Name != w.workspace {
			continue
		}
		for _, win := range ws.Windows {
			for _, tab := range win.Tabs {
				view := w.tabView(tab)
				if len(view.Panes) == 0 {
					continue
				}
				order = append(order, tab.ID)
				seen[tab.ID] = true
				title := fmt.Sprintf("window %d · tab %d · %s  (%d×%d)", win.ID, tab.Index+1, tab.Title, tab.Cols, tab.Rows)
				if g, ok := w.grids[tab.ID]; ok {
					g.Update(view)
					w.titles[tab.ID].SetText(title)
					continue
				}
				g := widgets.NewPaneGrid(view)
				g.OnTap = w.onTileTap
				g.OnMenu = w.onTileMenu
				w.grids[tab.ID] = g
				w.titles[tab.ID] = widget.NewLabelWithStyle(title, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
			}
		}
	}
	for id := range w.grids {
		if !seen[id] {
			delete(w.grids, id)
			delete(w.titles, id)
		}
	}
	if !equalIDs(order, w.tabOrder) {
		w.tabOrder = order
		objs := make([]fyne.CanvasObject, 0, 2*len(order))
		for _, id := range order {
			objs = append(objs, w.titles[id], container.New(&heightLayout{grid: w.grids[id]}, w.grids[id]))
		}
		if len(objs) == 0 {
			objs = append(objs, widget.NewLabel("No panes here."))
		}
		w.tabsBox.Objects = objs
		w.tabsBox.Refresh()
	}
}

// heightLayout gives a tab grid the full width and a height that keeps
// the tab's aspect (a cell is about twice as tall as wide), within bounds.
type heightLayout struct{ grid *widgets.PaneGrid }

func (l *heightLayout) height(width float32) float32 {
	t := l.grid.Tab
	h := width * float32(max(t.Rows, 1)) * 2.1 / float32(max(t.Cols, 1))
	return min(max(h, 240), 640)
}

func (l *heightLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objs {
		o.Move(fyne.NewPos(0, 0))
		o.Resize(size)
	}
}

func (l *heightLayout) MinSize([]fyne.CanvasObject) fyne.Size {
	w := l.grid.Size().Width
	if w < 100 {
		w = 800
	}
	return fyne.NewSize(200, l.height(w))
}

func equalIDs(a, b []wezterm.TabID) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func (w *Window) tabView(tab topology.Tab) widgets.TabView {
	v := widgets.TabView{Title: tab.Title, Cols: tab.Cols, Rows: tab.Rows}
	for _, p := range tab.Panes {
		if !w.matches(p) {
			continue
		}
		pv := widgets.PaneView{ID: p.ID, Title: p.Title, CWD: shortPath(p.CWD), Left: p.Left, Top: p.Top,
			Cols: p.Cols, Rows: p.Rows, Active: p.Active, Focused: p.Focused, Zoomed: p.Zoomed,
			Selected: w.selected[p.ID] || (w.hasDetail && w.detail == p.ID && len(w.selected) == 0)}
		if u := p.Usage; u != nil {
			pv.CPU, pv.RSS = u.CPUPercent, u.RSSBytes
			if u.Foreground != nil {
				pv.Foreground = u.Foreground.Name // the full command line is in the detail panel
			}
		}
		pv.History = cpuValues(w.snap.History[p.ID])
		if a := p.Agent; a != nil {
			pv.Status = a.Name + ": " + a.Status
			pv.Waiting = a.Status == "waiting"
		}
		v.Panes = append(v.Panes, pv)
	}
	return v
}

func shortPath(p string) string {
	if p == "" {
		return ""
	}
	parts := strings.Split(filepath.ToSlash(p), "/")
	if len(parts) > 3 {
		return "…/" + strings.Join(parts[len(parts)-2:], "/")
	}
	return p
}

func (w *Window) pane(id wezterm.PaneID) (topology.Pane, bool) {
	for _, p := range w.snap.Tree.Panes() {
		if p.ID == id {
			return p, true
		}
	}
	return topology.Pane{}, false
}

func (w *Window) renderDetail() {
	if !w.hasDetail {
		w.detailHd.SetText("Select a pane (Ctrl/Shift-click to select several)")
		w.procs.SetText("")
		w.preview.SetText("")
		return
	}
	p, _ := w.pane(w.detail)
	fg := ""
	if p.Usage != nil && p.Foreground != nil {
		fg = p.Foreground.Cmdline
	}
	w.detailHd.SetText(fmt.Sprintf("Pane %d · %s\n%s\n%s", p.ID, p.Title, fg, p.CWD))
	if w.snap.Detail == w.detail {
		var b strings.Builder
		for _, pr := range w.snap.DetailProcs {
			cpu := "   -"
			if pr.CPUPercent != nil {
				cpu = fmt.Sprintf("%4.0f%%", *pr.CPUPercent)
			}
			fmt.Fprintf(&b, "%s%-6d %s %8s  %s\n", strings.Repeat("  ", pr.Depth), pr.PID, cpu, widgets.HumanBytes(pr.RSS), trunc(pr.Cmdline, 60))
		}
		w.procs.SetText(b.String())
	}
	if time.Since(w.lastPreview) >= time.Second {
		w.lastPreview = time.Now()
		id := w.detail
		w.run(func(ctx context.Context) (string, error) {
			text, err := w.ctl.Preview(ctx, id)
			if err != nil {
				return "", err
			}
			fyne.Do(func() {
				if w.hasDetail && w.detail == id {
					w.preview.SetText(lastLines(text, 30))
				}
			})
			return "", nil
		})
	}
}

func trunc(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n "), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// run performs an action off the UI goroutine and shows its outcome (a
// failure as one short message with WezTerm's reason).
func (w *Window) run(f func(ctx context.Context) (string, error)) {
	w.wg.Add(1)
	go func() {
		defer w.wg.Done()
		ctx, cancel := context.WithTimeout(context.Background(), actionTimeout)
		defer cancel()
		ok, err := f(ctx)
		fyne.Do(func() {
			switch {
			case err != nil:
				w.message.SetText("⚠ " + err.Error())
			case ok != "":
				w.message.SetText(ok)
			}
		})
	}()
}

func (w *Window) focusPane(id wezterm.PaneID) {
	w.run(func(ctx context.Context) (string, error) { return "", w.ctl.Focus(ctx, id) })
}

func (w *Window) onTileTap(v widgets.PaneView, mods fyne.KeyModifier) {
	if mods&(fyne.KeyModifierControl|fyne.KeyModifierShift|fyne.KeyModifierSuper) != 0 {
		if w.selected[v.ID] {
			delete(w.selected, v.ID)
		} else {
			w.selected[v.ID] = true
			if w.hasDetail && len(w.selected) == 1 && w.detail != v.ID {
				w.selected[w.detail] = true // the pane shown becomes part of the selection
			}
		}
		w.message.SetText(fmt.Sprintf("%d panes selected: Broadcast sends to all of them", len(w.selected)))
		w.render()
		return
	}
	w.selected = map[wezterm.PaneID]bool{}
	w.detail, w.hasDetail = v.ID, true
	w.lastPreview = time.Time{}
	w.setDetail(v.ID)
	w.render()
	w.renderDetail()
	id := v.ID
	w.run(func(ctx context.Context) (string, error) {
		err := w.ctl.Jump(ctx, id)
		if errors.Is(err, wsswitch.ErrSnippetMissing) {
			// Said once: the pane was focused within its workspace anyway.
			if w.snippetTold.Swap(true) {
				return "", nil
			}
			return "", fmt.Errorf("focused pane %d in its workspace, but %w", id, err)
		}
		return "", err
	})
}

func (w *Window) onTileMenu(v widgets.PaneView, at fyne.Position) {
	w.detail, w.hasDetail = v.ID, true
	w.setDetail(v.ID)
	m := fyne.NewMenu("",
		fyne.NewMenuItem("Focus in WezTerm", func() { w.focusPane(v.ID) }),
		fyne.NewMenuItem("Split right", func() { w.onSplit(wezterm.Right) }),
		fyne.NewMenuItem("Split down", func() { w.onSplit(wezterm.Down) }),
		fyne.NewMenuItem("New tab", w.onNewTab),
		fyne.NewMenuItemSeparator(),
		fyne.NewMenuItem("Send text…", w.onSend),
		fyne.NewMenuItem("Broadcast to selected…", w.onBroadcast),
		fyne.NewMenuItem("Rename tab…", w.onRenameTab),
		fyne.NewMenuItem("Rename workspace…", w.onRenameWorkspace),
		fyne.NewMenuItem("Zoom / unzoom", w.onZoom),
		fyne.NewMenuItem("Move to new tab", func() {
			w.run(func(ctx context.Context) (string, error) { return "", w.ctl.MoveToNewTab(ctx, v.ID) })
		}),
		fyne.NewMenuItemSeparator(),
		fyne.NewMenuItem("Kill…", w.onKill),
	)
	widget.ShowPopUpMenuAtPosition(m, w.win.Canvas(), at)
}

// target is the pane actions apply to.
func (w *Window) target() (wezterm.PaneID, bool) {
	if w.hasDetail {
		return w.detail, true
	}
	w.message.SetText("Select a pane first")
	return 0, false
}

func (w *Window) onSplit(dir wezterm.Direction) {
	id, ok := w.target()
	if !ok {
		return
	}
	cmd := widget.NewEntry()
	cmd.SetPlaceHolder("optional command, e.g. htop")
	dialog.ShowForm("Split pane "+fmt.Sprint(id)+" "+strings.ToLower(string(dir)), "Split", "Cancel",
		[]*widget.FormItem{widget.NewFormItem("Command", cmd)}, func(ok bool) {
			if ok {
				text := cmd.Text
				w.run(func(ctx context.Context) (string, error) {
					_, err := w.ctl.Split(ctx, id, dir, text)
					return "", err
				})
			}
		}, w.win)
}

func (w *Window) onNewTab() {
	if id, ok := w.target(); ok {
		w.run(func(ctx context.Context) (string, error) {
			_, err := w.ctl.NewTab(ctx, id)
			return "", err
		})
	}
}

func (w *Window) onSend() {
	if len(w.selected) > 1 {
		w.onBroadcast()
		return
	}
	id, ok := w.target()
	if !ok {
		return
	}
	e := widget.NewMultiLineEntry()
	dialog.ShowForm(fmt.Sprintf("Send text to pane %d", id), "Send", "Cancel",
		[]*widget.FormItem{widget.NewFormItem("Text", e)}, func(ok bool) {
			if ok && e.Text != "" {
				text := e.Text
				w.run(func(ctx context.Context) (string, error) { return "", w.ctl.SendText(ctx, id, text, true) })
			}
		}, w.win)
}

// onBroadcast asks for one text and sends it to every selected pane,
// listing them in the confirmation.
func (w *Window) onBroadcast() {
	ids := make([]wezterm.PaneID, 0, len(w.selected))
	for id := range w.selected {
		ids = append(ids, id)
	}
	if len(ids) == 0 {
		w.message.SetText("Ctrl- or Shift-click tiles to select the panes to broadcast to")
		return
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	var names []string
	for _, id := range ids {
		p, _ := w.pane(id)
		names = append(names, fmt.Sprintf("%d %s", id, p.Title))
	}
	e := widget.NewMultiLineEntry()
	dialog.ShowForm(fmt.Sprintf("Broadcast to %d panes", len(ids)), "Send to all", "Cancel",
		[]*widget.FormItem{widget.NewFormItem("To", widget.NewLabel(strings.Join(names, "\n"))), widget.NewFormItem("Text", e)},
		func(ok bool) {
			if ok && e.Text != "" {
				text := e.Text
				// Busy agents get the prompt when they next wait.
				now, queued := w.bq.Plan(time.Now(), ids, text, w.agentStatus)
				w.renderQueued()
				w.run(func(ctx context.Context) (string, error) {
					if err := w.ctl.Broadcast(ctx, now, text); err != nil {
						return "", err
					}
					msg := fmt.Sprintf("Sent to %d panes", len(now))
					if len(queued) > 0 {
						msg += fmt.Sprintf("; queued for %d busy agents until they wait", len(queued))
					}
					return msg, nil
				})
			}
		}, w.win)
}

func (w *Window) onRenameTab() {
	id, ok := w.target()
	if !ok {
		return
	}
	e := widget.NewEntry()
	dialog.ShowForm("Rename tab", "Rename", "Cancel", []*widget.FormItem{widget.NewFormItem("Title", e)}, func(ok bool) {
		if ok {
			title := e.Text
			w.run(func(ctx context.Context) (string, error) { return "", w.ctl.RenameTab(ctx, id, title) })
		}
	}, w.win)
}

func (w *Window) onRenameWorkspace() {
	old := w.workspace
	e := widget.NewEntry()
	e.SetText(old)
	dialog.ShowForm("Rename workspace "+textsafe.Escape(old), "Rename", "Cancel", []*widget.FormItem{widget.NewFormItem("Name", e)}, func(ok bool) {
		if ok && e.Text != old {
			name := e.Text
			w.run(func(ctx context.Context) (string, error) { return "", w.ctl.RenameWorkspace(ctx, old, name) })
		}
	}, w.win)
}

func (w *Window) onZoom() {
	if id, ok := w.target(); ok {
		w.run(func(ctx context.Context) (string, error) { return "", w.ctl.ToggleZoom(ctx, id) })
	}
}

// onKill asks first, naming the program that will die.
func (w *Window) onKill() {
	id, ok := w.target()
	if !ok {
		return
	}
	p, _ := w.pane(id)
	what := p.Title
	if p.Usage != nil && p.Foreground != nil {
		what = p.Foreground.Cmdline
	}
	if w.d.Store != nil && !w.d.Store.Prefs().ConfirmKill {
		w.run(func(ctx context.Context) (string, error) { return "", w.ctl.Kill(ctx, id) })
		return
	}
	d := dialog.NewConfirm(fmt.Sprintf("Kill pane %d?", id),
		fmt.Sprintf("%s will be killed, with everything running in the pane.", textsafe.Escape(what)),
		func(ok bool) {
			if ok {
				w.run(func(ctx context.Context) (string, error) { return "", w.ctl.Kill(ctx, id) })
			}
		}, w.win)
	d.SetConfirmText("Kill")
	d.Show()
}

func (w *Window) onSetPath() {
	if w.d.SetWezterm == nil {
		return
	}
	e := widget.NewEntry()
	e.SetPlaceHolder("/usr/bin/wezterm")
	e.SetText(w.prefs().WeztermPath)
	dialog.ShowForm("Where is wezterm?", "Use it", "Cancel", []*widget.FormItem{widget.NewFormItem("Path", e)}, func(ok bool) {
		if ok {
			if err := w.d.SetWezterm(strings.TrimSpace(e.Text)); err != nil {
				w.message.SetText("⚠ " + err.Error())
			}
		}
	}, w.win)
}

func (w *Window) onStartWezterm() {
	if w.d.StartWezterm == nil {
		return
	}
	if err := w.d.StartWezterm(); err != nil {
		w.message.SetText("⚠ " + err.Error())
		return
	}
	w.message.SetText("Starting WezTerm…")
}

func (w *Window) onDemo() {
	if w.d.StartDemo == nil {
		return
	}
	sock, err := w.d.StartDemo()
	if err != nil {
		w.message.SetText("⚠ demo: " + err.Error())
		return
	}
	w.message.SetText("Demo: a stand-in WezTerm with real programs on real ptys (socket " + sock + ")")
}

// agentStatus tells the broadcast queue a pane's agent status.
func (w *Window) agentStatus(id wezterm.PaneID) (string, bool) {
	p, ok := w.pane(id)
	if !ok {
		return "", false
	}
	if p.Agent == nil {
		return "", true
	}
	return p.Agent.Status, true
}

// deliverQueued sends the queued prompts whose agent now waits.
func (w *Window) deliverQueued() {
	deliver, dropped := w.bq.Due(w.agentStatus)
	for _, it := range deliver {
		it := it
		w.run(func(ctx context.Context) (string, error) {
			if err := w.ctl.SendText(ctx, it.Pane, it.Text, true); err != nil {
				return "", err
			}
			return fmt.Sprintf("Delivered the queued prompt to pane %d", it.Pane), nil
		})
	}
	if len(dropped) > 0 {
		w.message.SetText(fmt.Sprintf("Dropped %d queued prompt(s): the pane or its agent is gone", len(dropped)))
	}
	if len(deliver)+len(dropped) > 0 {
		w.renderQueued()
	}
}

func (w *Window) renderQueued() {
	n := len(w.bq.Items())
	if n == 0 {
		w.queued.Hide()
		if w.bqShown != nil {
			w.bqShown.Hide()
		}
		return
	}
	w.queued.SetText(fmt.Sprintf("Queued (%d)", n))
	w.queued.Show()
}

// showQueued lists the queued prompts, each with Cancel.
func (w *Window) showQueued() {
	box := container.NewVBox()
	for _, it := range w.bq.Items() {
		it := it
		p, _ := w.pane(it.Pane)
		label := widget.NewLabel(fmt.Sprintf("pane %d (%s), queued %s ago: %s", it.Pane, p.Title,
			time.Since(it.Queued).Round(time.Second), trunc(strings.ReplaceAll(it.Text, "\n", " "), 50)))
		var row *fyne.Container
		cancel := widget.NewButton("Cancel", func() {
			w.bq.Cancel(it.ID)
			box.Remove(row)
			w.renderQueued()
		})
		row = container.NewBorder(nil, nil, nil, cancel, label)
		box.Add(row)
	}
	d := dialog.NewCustom("Prompts waiting for busy agents", "Close", box, w.win)
	d.Resize(fyne.NewSize(640, 300))
	w.bqShown = d
	d.Show()
}
