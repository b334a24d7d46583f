package ui

import (
	"context"
	"fmt"
	"image/color"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/wezterm-parallel/wezterm-parallel/internal/agents"
	"github.com/wezterm-parallel/wezterm-parallel/internal/broadcast"
	"github.com/wezterm-parallel/wezterm-parallel/internal/control"
	"github.com/wezterm-parallel/wezterm-parallel/internal/monitor"
	"github.com/wezterm-parallel/wezterm-parallel/internal/topology"
	"github.com/wezterm-parallel/wezterm-parallel/internal/viewmodel"
	"github.com/wezterm-parallel/wezterm-parallel/internal/wezterm"
	"github.com/wezterm-parallel/wezterm-parallel/ui/widgets"
)

// recorder is a control.Client that records calls.
type recorder struct {
	mu    sync.Mutex
	calls []string
}

func (r *recorder) add(format string, args ...any) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.calls = append(r.calls, fmt.Sprintf(format, args...))
	return nil
}

func (r *recorder) count(prefix string) (n int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, c := range r.calls {
		if strings.HasPrefix(c, prefix) {
			n++
		}
	}
	return n
}

func (r *recorder) with(prefix string) []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []string
	for _, c := range r.calls {
		if strings.HasPrefix(c, prefix) {
			out = append(out, c)
		}
	}
	return out
}

func (r *recorder) ActivatePane(_ context.Context, p wezterm.PaneID) error {
	return r.add("activate-pane %d", p)
}
func (r *recorder) SplitPane(_ context.Context, p wezterm.PaneID, o wezterm.SplitOptions) (wezterm.PaneID, error) {
	return 99, r.add("split-pane %d %s", p, o.Direction)
}
func (r *recorder) Spawn(_ context.Context, o wezterm.SpawnOptions) (wezterm.PaneID, error) {
	return 98, r.add("spawn")
}
func (r *recorder) SendText(_ context.Context, p wezterm.PaneID, text string, paste bool) error {
	return r.add("send-text %d %q", p, text)
}
func (r *recorder) SetTabTitle(_ context.Context, _ *wezterm.TabID, p *wezterm.PaneID, title string) error {
	return r.add("set-tab-title %d %s", *p, title)
}
func (r *recorder) RenameWorkspace(_ context.Context, old string, _ *wezterm.PaneID, n string) error {
	return r.add("rename-workspace %s %s", old, n)
}
func (r *recorder) ZoomPane(_ context.Context, p wezterm.PaneID, m wezterm.ZoomMode) error {
	return r.add("zoom-pane %d", p)
}
func (r *recorder) MovePaneToNewTab(_ context.Context, p wezterm.PaneID, o wezterm.MoveOptions) error {
	return r.add("move-pane-to-new-tab %d", p)
}
func (r *recorder) KillPane(_ context.Context, p wezterm.PaneID) error {
	return r.add("kill-pane %d", p)
}
func (r *recorder) GetText(_ context.Context, p wezterm.PaneID, o wezterm.GetTextOptions) (string, error) {
	return "$ make test\nok\n", r.add("get-text %d", p)
}

func (r *recorder) List(context.Context) ([]wezterm.Pane, error) {
	ps := []wezterm.Pane{{PaneID: 98, WindowID: 7, Workspace: "agents", Size: wezterm.Size{Cols: 160, Rows: 48}}}
	for id := wezterm.PaneID(1); id <= 5; id++ {
		ps = append(ps, wezterm.Pane{PaneID: id, Workspace: "agents"})
	}
	return ps, r.add("list")
}

func (r *recorder) ListClients(context.Context) ([]wezterm.ClientInfo, error) {
	return []wezterm.ClientInfo{{Workspace: "agents", FocusedPaneID: ptr(wezterm.PaneID(1))}}, r.add("list-clients")
}

func ptr[T any](v T) *T { return &v }

// snapshot builds a workspace "agents" with a 2x2 tab (pane 2 zoomed when
// zoom is set) and a workspace "servers" with one pane.
func snapshot(zoom bool) monitor.Snapshot {
	pane := func(id wezterm.PaneID, left, top, cols, rows int, cpu float64, prog string) topology.Pane {
		return topology.Pane{ID: id, Title: fmt.Sprintf("agent %d", id), CWD: "/home/a/src/app", Left: left, Top: top,
			Cols: cols, Rows: rows, TTY: ptr(fmt.Sprintf("/dev/pts/%d", id)), Workspace: "agents",
			Active: id == 1, Focused: id == 1, Zoomed: zoom && id == 2,
			Usage: &topology.Usage{CPUPercent: ptr(cpu), RSSBytes: ptr(uint64(200 << 20)), ProcessCount: ptr(3),
				Foreground: &topology.Foreground{PID: int32(id) + 100, Name: prog, Cmdline: prog + " --resume"}}}
	}
	tree := topology.Tree{GUIWorkspace: "agents", Workspaces: []topology.Workspace{
		{Name: "agents", Visible: true, Windows: []topology.Window{{ID: 0, Title: "w", Tabs: []topology.Tab{{
			ID: 0, Title: "agents", Cols: 160, Rows: 48,
			Panes: []topology.Pane{pane(1, 0, 0, 80, 24, 2, "claude"), pane(2, 81, 0, 79, 24, 95, "codex"),
				pane(3, 0, 25, 80, 23, 0, "aider"), pane(4, 81, 25, 79, 23, 40, "gemini")}}}}}},
		{Name: "servers", Windows: []topology.Window{{ID: 1, Tabs: []topology.Tab{{ID: 1, Cols: 160, Rows: 48,
			Panes: []topology.Pane{{ID: 5, Title: "npm run dev", Cols: 160, Rows: 48, Workspace: "servers"}}}}}}},
	}}
	tree.System = &topology.SystemUsage{CPUPercent: ptr(37.0), MemUsedBytes: 6 << 30, MemTotalBytes: 16 << 30}
	return monitor.Snapshot{Status: monitor.Connected, Version: "20240203-110809-5046fc22", Tree: tree}
}

func newTestWindow(t *testing.T) (*Window, *recorder) { return newTestWindowWith(t, nil) }

// newTestWindowWith builds a window whose back end offers what the
// session offers (edit changes it first); the fixes for a missing WezTerm
// are recorded as calls.
func newTestWindowWith(t *testing.T, edit func(*Deps)) (*Window, *recorder) {
	w, rec := newBareWindow(t, edit)
	w.Apply(snapshot(false))
	return w, rec
}

// newBareWindow is a window that has seen no snapshot yet.
func newBareWindow(t *testing.T, edit func(*Deps)) (*Window, *recorder) {
	a := test.NewTempApp(t)
	test.ApplyTheme(t, theme.DefaultTheme())
	rec := &recorder{}
	d := Deps{Control: control.New(rec),
		SetWezterm:   func(path string) error { return rec.add("set-wezterm %s", path) },
		StartWezterm: func(context.Context) error { return rec.add("start-wezterm") },
		StartDemo:    func(context.Context) (string, error) { return "/tmp/demo.sock", rec.add("start-demo") }}
	if edit != nil {
		edit(&d)
	}
	w := New(context.Background(), a, d)
	w.Window().Resize(fyne.NewSize(1280, 800))
	t.Cleanup(w.Window().Close)
	return w, rec
}

// tileOf returns the tile of a pane in the shown map.
func tileOf(t *testing.T, w *Window, id wezterm.PaneID) *widgets.Tile {
	t.Helper()
	for _, g := range w.v.mapv.grids {
		if tile := g.Tile(id); tile != nil {
			return tile
		}
	}
	t.Fatalf("no tile for pane %d", id)
	return nil
}

// overlayButton finds a button by its text in the top overlay (a dialog).
func overlayButton(t *testing.T, w *Window, text string) *keyButton {
	t.Helper()
	top := w.Window().Canvas().Overlays().Top()
	if top == nil {
		t.Fatalf("no dialog shown")
	}
	found := find(t, top, func(b *keyButton) bool { return b.Text == text })
	if found == nil {
		t.Fatalf("no %q button in the dialog", text)
	}
	return found
}

func geometry(w *Window) map[wezterm.PaneID]fyne.Size {
	out := map[wezterm.PaneID]fyne.Size{}
	for _, g := range w.v.mapv.grids {
		for _, tile := range g.Tab.Tiles {
			tl := g.Tile(tile.ID)
			out[tile.ID] = fyne.NewSize(tl.Position().X*1000+tl.Size().Width, tl.Position().Y*1000+tl.Size().Height)
		}
	}
	return out
}

func TestTapTileSelectsFocusesAndKeepsTheLayout(t *testing.T) {
	w, rec := newTestWindow(t)
	before := geometry(w)
	mapSize := w.v.mapv.Size()
	test.Tap(tileOf(t, w, 3))
	w.Wait()
	if n := rec.count("activate-pane"); n != 1 || rec.count("activate-pane 3") != 1 {
		t.Fatalf("calls: %v", rec.calls)
	}
	if !strings.Contains(w.v.detail.heading.Text, "Pane 3 · agent 3") || !strings.Contains(w.v.detail.program.Text, "aider --resume") {
		t.Errorf("detail = %q / %q", w.v.detail.heading.Text, w.v.detail.program.Text)
	}
	if !strings.Contains(w.v.detail.screen.Text, "make test") {
		t.Errorf("screen = %q", w.v.detail.screen.Text)
	}
	// A click never moves the layout: same grid, same tiles.
	if after := geometry(w); fmt.Sprint(after) != fmt.Sprint(before) || w.v.mapv.Size() != mapSize {
		t.Errorf("the grid moved on a click:\n%v\n%v", before, after)
	}
}

// A 300-character title or cwd neither widens the window nor moves the
// panels.
func TestLongTextDoesNotGrowTheWindow(t *testing.T) {
	w, _ := newTestWindow(t)
	min0 := w.Window().Content().MinSize()
	side0, detail0 := w.v.side.root.Size(), w.v.detail.root.Size()
	s := snapshot(false)
	long := strings.Repeat("a very long pane title ", 14)[:300]
	s.Tree.EachPane(func(p *topology.Pane) {
		p.Title, p.CWD = long, "/"+strings.Repeat("deep/", 60)
		p.Workspace = p.Workspace + strings.Repeat("x", 0)
	})
	s.Tree.Workspaces[0].Name = "agents"
	w.Apply(s)
	test.Tap(tileOf(t, w, 2))
	w.Wait()
	if m := w.Window().Content().MinSize(); m != min0 {
		t.Errorf("min size %v became %v", min0, m)
	}
	if w.v.side.root.Size() != side0 || w.v.detail.root.Size() != detail0 {
		t.Errorf("panels moved: %v %v -> %v %v", side0, detail0, w.v.side.root.Size(), w.v.detail.root.Size())
	}
	if tl := tileOf(t, w, 2); tl.Size().Width > w.v.mapv.Size().Width {
		t.Errorf("tile %v wider than the map %v", tl.Size(), w.v.mapv.Size())
	}
}

func TestKillAsksRedAndDoesNotWarnAfter(t *testing.T) {
	w, rec := newTestWindow(t)
	test.Tap(tileOf(t, w, 2))
	w.Wait()
	w.acts.get("kill").trigger()
	if rec.count("kill-pane") != 0 {
		t.Fatal("killed without asking")
	}
	kill := overlayButton(t, w, "Kill")
	if kill.Importance != widget.DangerImportance {
		t.Error("Kill is not red")
	}
	top := w.Window().Canvas().Overlays().Top()
	if find(t, top, func(l *widget.Label) bool { return strings.Contains(l.Text, "pane 2 (codex --resume)") }) == nil {
		t.Error("the dialog does not name the program readably")
	}
	// Enter confirms (no field has the focus).
	w.typedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	w.Wait()
	if got := rec.with("kill-pane"); len(got) != 1 || got[0] != "kill-pane 2" {
		t.Fatalf("kill calls: %v", got)
	}
	if w.st.sel.HasDetail || strings.Contains(w.v.status.message(), "no such pane") || w.v.status.message() != "Killed pane 2" {
		t.Errorf("after the kill: detail %v, status %q", w.st.sel.HasDetail, w.v.status.message())
	}
}

// Dialogs are keyboard first: the first field has the focus, Enter
// submits, Esc cancels, fields are at least 400 px wide.
func TestDialogsKeyboardFirst(t *testing.T) {
	w, rec := newTestWindow(t)
	test.Tap(tileOf(t, w, 4))
	w.Wait()
	w.acts.get("split-right").trigger()
	focused, ok := w.Window().Canvas().Focused().(*keyEntry)
	if !ok {
		t.Fatalf("focus on %T", w.Window().Canvas().Focused())
	}
	if focused.Size().Width < 400 {
		t.Errorf("command field is %v wide", focused.Size().Width)
	}
	test.Type(focused, "htop")
	focused.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	w.Wait()
	if rec.count("split-pane 4 Right") != 1 || rec.count(`send-text 99 "htop\r"`) != 1 {
		t.Fatalf("enter did not submit: %v", rec.calls)
	}
	if w.Window().Canvas().Overlays().Top() != nil {
		t.Error("the dialog stayed open")
	}
	w.acts.get("split-down").trigger()
	w.Window().Canvas().Focused().(*keyEntry).TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if w.Window().Canvas().Overlays().Top() != nil || rec.count("split-pane 4 Down") != 0 {
		t.Error("Esc did not cancel")
	}
}

func TestBroadcastToSelected(t *testing.T) {
	w, rec := newTestWindow(t)
	for _, id := range []wezterm.PaneID{1, 3, 4} {
		tile := tileOf(t, w, id)
		tile.MouseDown(&desktop.MouseEvent{Modifier: fyne.KeyModifierControl})
		test.Tap(tile)
	}
	w.Wait()
	if rec.count("activate-pane") != 0 {
		t.Errorf("a ctrl-click focused a pane: %v", rec.calls)
	}
	w.acts.get("broadcast").trigger()
	entry := w.Window().Canvas().Focused().(*keyEntry)
	entry.SetText("run the tests")
	test.Tap(overlayButton(t, w, "Send to all"))
	w.Wait()
	got := strings.Join(rec.with("send-text"), "; ")
	// The pastes, then (after control.PasteSettle) the Enters.
	want := `send-text 1 "run the tests"; send-text 3 "run the tests"; send-text 4 "run the tests"; send-text 1 "\r"; send-text 3 "\r"; send-text 4 "\r"`
	if got != want {
		t.Fatalf("sent: %s\nwant: %s", got, want)
	}
}

// Honest state: when WezTerm goes away the last picture stays, greyed,
// with "retrying in N s", and actions are off; back, it is live again.
func TestUnreachableKeepsThePictureGreyed(t *testing.T) {
	w, _ := newTestWindow(t)
	test.Tap(tileOf(t, w, 1))
	w.Wait()
	w.Apply(monitor.Snapshot{Status: monitor.NotRunning, NextTry: time.Now().Add(4 * time.Second)})
	if !strings.HasPrefix(w.v.header.conn.Text, "WezTerm is not running — retrying in ") {
		t.Errorf("header %q", w.v.header.conn.Text)
	}
	if tl := tileOf(t, w, 1); !tl.Model.Stale {
		t.Error("the last-known tiles are not greyed")
	}
	if w.acts.get("kill").ok() || !w.v.tools["kill"].Disabled() {
		t.Error("actions stay enabled on a picture that is not live")
	}
	if !w.v.header.fixes.Visible() || !w.v.header.startWT.Visible() {
		t.Error("no Start WezTerm")
	}
	w.Apply(snapshot(false))
	if tl := tileOf(t, w, 1); tl.Model.Stale || !strings.Contains(w.v.header.conn.Text, "2 workspaces · 5 panes") || w.v.tools["kill"].Disabled() {
		t.Errorf("back: stale %v, header %q", tl.Model.Stale, w.v.header.conn.Text)
	}
}

// The selection follows its pane: a pane that moved to another workspace
// (or went away) is no longer shown in the detail panel.
func TestSelectionFollowsItsPane(t *testing.T) {
	w, _ := newTestWindow(t)
	test.Tap(tileOf(t, w, 4))
	w.Wait()
	s := snapshot(false)
	s.Tree.EachPane(func(p *topology.Pane) {
		if p.ID == 4 {
			p.Workspace = "servers"
		}
	})
	w.Apply(s)
	if w.st.sel.HasDetail || w.v.detail.shown {
		t.Error("the detail panel shows a pane of another workspace")
	}
}

// "Needs you" shows who waits and for how long; a click selects the pane
// here (switching the workspace shown) and focuses it in WezTerm.
func TestNeedsYouSelectsThePane(t *testing.T) {
	w, rec := newTestWindow(t)
	s := snapshot(false)
	s.Time = time.Now()
	s.Tree.EachPane(func(p *topology.Pane) {
		if p.ID == 5 {
			p.Agent = &topology.Agent{Name: "Codex", Status: agents.Waiting, Since: s.Time.Add(-3 * time.Minute), Why: "prompt"}
		}
	})
	s.Attention = []wezterm.PaneID{5}
	w.Apply(s)
	b := find(t, w.v.header.att, func(b *tipButton) bool { return strings.HasPrefix(b.Text, "Codex · pane 5 · 3m") })
	if b == nil {
		t.Fatalf("no needs-you entry: %v", w.v.header.att.Objects)
	}
	test.Tap(b)
	w.Wait()
	if w.st.sel.Workspace != "servers" || !w.st.sel.HasDetail || w.st.sel.Detail != 5 || rec.count("activate-pane 5") != 1 {
		t.Errorf("selection %+v, calls %v", w.st.sel, rec.calls)
	}
}

// Above TableThreshold panes in a tab the table is shown, sortable.
func TestTableForBusyWorkspaces(t *testing.T) {
	a := test.NewTempApp(t)
	test.ApplyTheme(t, theme.DefaultTheme())
	w := New(context.Background(), a, Deps{Control: control.New(&recorder{})})
	w.Window().Resize(fyne.NewSize(1280, 800))
	defer w.Window().Close()
	w.Apply(many(24))
	if w.v.centre.Objects[0] != w.v.table.table || len(w.v.table.model.Rows) != 24 {
		t.Fatalf("24 panes: centre %T, %d rows", w.v.centre.Objects[0], len(w.v.table.model.Rows))
	}
	if w.v.table.model.Rows[0].Pane != 33 { // sorted by CPU, busiest first
		t.Errorf("first row %d", w.v.table.model.Rows[0].Pane)
	}
	w.v.table.sortBy(viewmodel.ColPane)
	if w.v.table.model.Rows[0].Pane != 10 {
		t.Errorf("by pane: first row %d", w.v.table.model.Rows[0].Pane)
	}
	w.acts.get("toggle-view").trigger()
	if w.v.centre.Objects[0] != w.v.mapv {
		t.Error("Ctrl+M did not switch to the map")
	}
}

// many is one tab of n panes in a grid, pane i+10 at i*4 % CPU.
func many(n int) monitor.Snapshot {
	cols := 6
	rows := (n + cols - 1) / cols
	tab := topology.Tab{ID: 9, Title: "swarm", Cols: 160, Rows: 48}
	for i := 0; i < n; i++ {
		c, r := i%cols, i/cols
		cpu := float64(i * 4)
		rss := uint64(64+i) << 20
		tab.Panes = append(tab.Panes, topology.Pane{ID: wezterm.PaneID(i + 10), Title: fmt.Sprintf("agent %d", i+1),
			CWD: "/src/app", Left: c * 160 / cols, Top: r * 48 / rows, Cols: 160/cols - 1, Rows: 48/rows - 1, Workspace: "swarm",
			TTY: ptr(fmt.Sprintf("/dev/pts/%d", i+10)),
			Usage: &topology.Usage{CPUPercent: &cpu, RSSBytes: &rss, ProcessCount: ptr(2),
				Foreground: &topology.Foreground{Name: "claude", Cmdline: "claude"}}})
	}
	tree := topology.Tree{GUIWorkspace: "swarm", Workspaces: []topology.Workspace{{Name: "swarm", Visible: true,
		Windows: []topology.Window{{ID: 3, Tabs: []topology.Tab{tab}}}}}}
	tree.System = &topology.SystemUsage{CPUPercent: ptr(50.0), MemUsedBytes: 6 << 30, MemTotalBytes: 16 << 30}
	return monitor.Snapshot{Status: monitor.Connected, Version: "20240203-110809-5046fc22", Tree: tree}
}

func TestCommandPaletteListsEveryAction(t *testing.T) {
	w, _ := newTestWindow(t)
	w.acts.get("palette").trigger()
	focused, ok := w.Window().Canvas().Focused().(*paletteEntry)
	if !ok {
		t.Fatalf("palette focus on %T", w.Window().Canvas().Focused())
	}
	test.Type(focused, "layouts")
	focused.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if w.v.tabs.SelectedIndex() != 1 {
		t.Error("running 'Show layouts' from the palette did nothing")
	}
	// Every action with a shortcut shows it in its tooltip.
	for _, a := range w.acts.list {
		if a.key != "" && !strings.Contains(a.tip(), a.keyLabel()) {
			t.Errorf("%s: tooltip %q lacks its shortcut", a.id, a.tip())
		}
	}
}

// Every action of the registry, in every state the window can be in, runs
// without a panic — through its shortcut path (trigger) and forced (run),
// so no action can hold a view that did not exist when it was bound.
func TestEveryActionInEveryState(t *testing.T) {
	states := []struct {
		name  string
		deps  func(*Deps)
		snap  func() monitor.Snapshot
		pick  bool
		multi bool
	}{
		{"no selection", nil, func() monitor.Snapshot { return snapshot(false) }, false, false},
		{"a pane selected", nil, func() monitor.Snapshot { return snapshot(false) }, true, false},
		{"several selected", nil, func() monitor.Snapshot { return snapshot(false) }, true, true},
		{"zoomed", nil, func() monitor.Snapshot { return snapshot(true) }, true, false},
		{"WezTerm gone", nil, func() monitor.Snapshot {
			return monitor.Snapshot{Status: monitor.NotRunning, NextTry: time.Now().Add(time.Second)}
		}, true, false},
		{"WezTerm not installed", nil, func() monitor.Snapshot { return monitor.Snapshot{Status: monitor.NotInstalled} }, false, false},
		{"nothing yet", nil, func() monitor.Snapshot { return monitor.Snapshot{} }, false, false},
		{"no tray, demo offered", func(d *Deps) {
			d.HasTray = false
			d.StartDemo = func(context.Context) (string, error) { return "/tmp/demo.sock", nil }
			d.StartWezterm = func(context.Context) error { return nil }
			d.InstallSnippet = func(context.Context) (string, error) { return "installed", nil }
		}, func() monitor.Snapshot { return snapshot(false) }, true, false},
	}
	probe := New(context.Background(), test.NewTempApp(t), Deps{Control: control.New(&recorder{})})
	var ids []string
	for _, a := range probe.acts.list {
		ids = append(ids, a.id)
	}
	probe.Window().Close()
	for _, st := range states {
		for _, id := range ids {
			func() {
				defer func() {
					if r := recover(); r != nil {
						t.Errorf("%s, %s: panic: %v", st.name, id, r)
					}
				}()
				a := test.NewTempApp(t)
				a.Settings().SetTheme(widgets.NewTheme("dark"))
				d := Deps{Control: control.New(&recorder{}), HasTray: true}
				if st.deps != nil {
					st.deps(&d)
				}
				w := New(context.Background(), a, d)
				if id != "close" {
					defer w.Window().Close()
				}
				w.Window().Resize(fyne.NewSize(1280, 800))
				w.Apply(snapshot(false))
				if st.pick {
					w.selectPane(2, 0)
				}
				if st.multi {
					w.selectPane(3, fyne.KeyModifierControl)
				}
				w.Apply(st.snap())
				act := w.acts.get(id)
				if act == nil {
					t.Fatalf("%s: no action %q", st.name, id)
				}
				// Enabled: as a shortcut runs it; disabled: forced anyway
				// (a stale palette row, a race with a new snapshot).
				if act.ok() {
					act.trigger()
				} else {
					act.run(w)
				}
				w.Wait()
			}()
		}
	}
}

// The table says which pane is which (its title first), and the selected
// pane's whole row stays marked when the rows re-sort under it.
func TestTableSelectionFollowsItsPane(t *testing.T) {
	a := test.NewTempApp(t)
	a.Settings().SetTheme(widgets.NewTheme("dark"))
	rec := &recorder{}
	w := New(context.Background(), a, Deps{Control: control.New(rec)})
	w.Window().Resize(fyne.NewSize(1280, 800))
	defer w.Window().Close()
	s := many(24)
	w.Apply(s)
	if w.v.table.model.Columns[0] != viewmodel.ColTitle || w.v.table.model.Rows[0].Cells[viewmodel.ColTitle] != "agent 24" {
		t.Fatalf("columns %v, first row %q", w.v.table.model.Columns, w.v.table.model.Rows[0].Cells[viewmodel.ColTitle])
	}
	// Click the second row: pane 32 (sorted by CPU, busiest first).
	w.v.table.table.Select(widget.TableCellID{Row: 1, Col: 2})
	w.Wait()
	if !w.st.sel.HasDetail || w.st.sel.Detail != 32 {
		t.Fatalf("selected %+v", w.st.sel)
	}
	marked := func() []wezterm.PaneID {
		var out []wezterm.PaneID
		for i, r := range w.v.table.model.Rows {
			cell := w.v.table.table.CreateCell()
			for c := range w.v.table.model.Columns {
				w.v.table.updateCell(widget.TableCellID{Row: i, Col: c}, cell)
				if cell.(*fyne.Container).Objects[0].(*canvas.Rectangle).FillColor != color.Transparent {
					out = append(out, r.Pane)
					break
				}
			}
		}
		return out
	}
	if got := marked(); len(got) != 1 || got[0] != 32 {
		t.Fatalf("marked rows %v, want pane 32's", got)
	}
	// Pane 32 goes quiet: it sorts last now, and its row is still the one
	// marked; every cell of it.
	s.Tree.EachPane(func(p *topology.Pane) {
		if p.ID == 32 {
			z := 0.0
			p.Usage.CPUPercent = &z
		}
	})
	w.Apply(s)
	if i := w.v.table.rowOf(32); i != len(w.v.table.model.Rows)-1 {
		t.Fatalf("pane 32 at row %d after it went quiet", i)
	}
	if got := marked(); len(got) != 1 || got[0] != 32 {
		t.Errorf("marked rows %v after the re-sort, want pane 32's", got)
	}
	row := w.v.table.rowOf(32)
	for c := range w.v.table.model.Columns {
		cell := w.v.table.table.CreateCell()
		w.v.table.updateCell(widget.TableCellID{Row: row, Col: c}, cell)
		if cell.(*fyne.Container).Objects[0].(*canvas.Rectangle).FillColor == color.Transparent {
			t.Errorf("column %d of the selected row is not marked", c)
		}
	}
	// Arrow keys walk the rows in the order shown.
	w.move(0, -1)
	if w.st.sel.Detail != w.v.table.model.Rows[len(w.v.table.model.Rows)-2].Pane {
		t.Errorf("up from the last row selected pane %d", w.st.sel.Detail)
	}
}

// Tab never strands the keyboard: with the focus on a dialog's button,
// Esc still closes it and Enter presses the focused button; with the
// focus on a button of the window, arrows still move the selection and
// Esc gives the keys back.
func TestTabNeverStrandsTheKeyboard(t *testing.T) {
	w, rec := newTestWindow(t)
	test.Tap(tileOf(t, w, 2))
	w.Wait()
	c := w.Window().Canvas()
	w.acts.get("kill").trigger()
	test.FocusNext(c) // Cancel
	if _, ok := c.Focused().(*keyButton); !ok {
		t.Fatalf("Tab in the kill dialog focused %T", c.Focused())
	}
	c.Focused().TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if c.Overlays().Top() != nil {
		t.Fatal("Esc with a button focused did not close the dialog")
	}
	w.acts.get("kill").trigger()
	test.FocusNext(c)
	c.Focused().TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn}) // Cancel, focused
	w.Wait()
	if c.Overlays().Top() != nil || rec.count("kill-pane") != 0 {
		t.Fatalf("Enter on the focused Cancel: dialog %v, kills %d", c.Overlays().Top(), rec.count("kill-pane"))
	}
	w.acts.get("kill").trigger()
	test.FocusNext(c)
	test.FocusNext(c) // Kill
	c.Focused().TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	w.Wait()
	if rec.count("kill-pane 2") != 1 {
		t.Fatalf("Enter on the focused Kill did not kill: %v", rec.calls)
	}
	// The main window: Tab until a button has the focus, then the arrows.
	w.Apply(snapshot(false))
	w.selectPane(1, 0)
	for i := 0; i < 40; i++ {
		test.FocusNext(c)
		if _, ok := c.Focused().(*tipButton); ok {
			break
		}
	}
	if _, ok := c.Focused().(*tipButton); !ok {
		t.Fatalf("Tab never reached a button (at %T)", c.Focused())
	}
	c.Focused().TypedKey(&fyne.KeyEvent{Name: fyne.KeyRight})
	if w.st.sel.Detail != 2 {
		t.Errorf("Right with a button focused: pane %d selected, want 2", w.st.sel.Detail)
	}
	c.Focused().TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if c.Focused() != nil {
		t.Errorf("Esc left the focus on %T", c.Focused())
	}
}

// Ctrl+A selects the tab's panes (Fyne makes it its own Select All, bound
// as such); Shift+F2 renames the workspace, F2 the tab; Esc closes the
// queued prompts' dialog.
func TestCtrlAShiftF2AndEsc(t *testing.T) {
	w, _ := newTestWindow(t)
	test.Tap(tileOf(t, w, 1))
	w.Wait()
	w.Window().Canvas().(fyne.Shortcutable).TypedShortcut(&fyne.ShortcutSelectAll{})
	if len(w.st.sel.Multi) != 4 {
		t.Errorf("Ctrl+A selected %d panes, want the tab's 4", len(w.st.sel.Multi))
	}
	w.keys.shift = true
	w.typedKey(&fyne.KeyEvent{Name: fyne.KeyF2})
	w.keys.shift = false
	top := w.Window().Canvas().Overlays().Top()
	if top == nil || find(t, top, func(l *widget.Label) bool { return strings.Contains(l.Text, "Rename workspace") }) == nil &&
		find(t, top, func(r *widget.RichText) bool { return strings.Contains(r.String(), "Rename workspace") }) == nil {
		if top == nil || !strings.Contains(test.RenderObjectToMarkup(top), "Rename workspace") {
			t.Fatalf("Shift+F2 did not open the workspace's rename")
		}
	}
	w.typedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	w.typedKey(&fyne.KeyEvent{Name: fyne.KeyF2})
	if top := w.Window().Canvas().Overlays().Top(); top == nil || !strings.Contains(test.RenderObjectToMarkup(top), "Rename the tab") {
		t.Fatal("F2 did not open the tab's rename")
	}
	w.typedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	q := &fakeQueue{items: []broadcast.Item{{ID: 1, Pane: 3, Text: "run the tests", Queued: time.Now()}}}
	w.b.Queue = q
	w.panes.showQueued()
	if w.Window().Canvas().Overlays().Top() == nil {
		t.Fatal("no queued dialog")
	}
	w.typedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if w.Window().Canvas().Overlays().Top() != nil {
		t.Error("Esc did not close the queued prompts' dialog")
	}
}

type fakeQueue struct{ items []broadcast.Item }

func (q *fakeQueue) Plan(time.Time, topology.Tree, []wezterm.PaneID, string) ([]wezterm.PaneID, []broadcast.Item) {
	return nil, nil
}
func (q *fakeQueue) Cancel(int) bool          { return true }
func (q *fakeQueue) Queued() []broadcast.Item { return q.items }

// The smallest window: at 800 pixels nothing the data says widens it —
// not eight agents waiting, not a selection — and the detail panel's
// buttons wrap inside it rather than run past its edge.
func TestSmallestWindowIs800(t *testing.T) {
	w, _ := newTestWindow(t)
	base := w.Window().Content().MinSize().Width
	s := snapshot(false)
	s.Time = time.Now()
	for i := 0; i < 8; i++ {
		id := wezterm.PaneID(100 + i)
		s.Tree.Workspaces[1].Windows[0].Tabs[0].Panes = append(s.Tree.Workspaces[1].Windows[0].Tabs[0].Panes,
			topology.Pane{ID: id, Title: fmt.Sprintf("agent with a long name %d", i), Workspace: "servers",
				Agent: &topology.Agent{Name: "Claude Code", Status: agents.Waiting, Since: s.Time.Add(-time.Duration(i) * time.Minute)}})
		s.Attention = append(s.Attention, id)
	}
	w.Apply(s)
	w.selectPane(2, 0)
	if got := w.Window().Content().MinSize().Width; got > 800 || got > base+1 {
		t.Errorf("the window's minimum width went from %v to %v with 8 agents waiting and a selection", base, got)
	}
	w.Window().Resize(fyne.NewSize(800, 600))
	for _, b := range []string{"Focus", "Send…", "Kill…"} {
		btn := find(t, w.v.detail.root, func(x *tipButton) bool { return x.Text == b })
		if btn == nil {
			t.Fatalf("no %s button", b)
		}
		if right := btn.Position().X + btn.Size().Width; right > w.v.detail.root.Size().Width+1 {
			t.Errorf("%s ends at %v, past the detail panel's %v", b, right, w.v.detail.root.Size().Width)
		}
	}
	if chips := w.v.header.att.Objects; len(chips) != 10 {
		t.Fatalf("%d objects in the attention row", len(chips))
	}
	more := w.v.header.att.Objects[len(w.v.header.att.Objects)-1].(*widget.Label)
	if !more.Visible() || !strings.HasPrefix(more.Text, "+") {
		t.Errorf("no '+N more' for the agents that do not fit: %q (shown %v)", more.Text, more.Visible())
	}
}

// A tooltip shows where the pointer rests, below it — not where it
// entered (the top edge of a tall tile, or over the header above the
// toolbar) — and says spend and status in words.
func TestTooltipFollowsThePointer(t *testing.T) {
	w, _ := newTestWindow(t)
	tile := tileOf(t, w, 3)
	entered := tile.Position().Add(fyne.NewPos(10, 2))
	rest := entered.Add(fyne.NewPos(40, 120))
	w.v.mapv.hover(tile.Model, entered, true)
	w.tips.move(rest)
	w.tips.place()
	if p := w.tips.label.Position(); p.Y < rest.Y || p.Y > rest.Y+40 || p.X < rest.X {
		t.Errorf("tooltip at %v; the pointer rests at %v (entered at %v)", p, rest, entered)
	}
	if !strings.Contains(w.tips.label.Text, "Pane 3") {
		t.Errorf("tooltip %q", w.tips.label.Text)
	}
	w.v.mapv.hover(tile.Model, rest, false)
	if w.tips.pop.Visible() {
		t.Error("the tooltip stayed after the pointer left")
	}
}

// Nothing to draw says why, in the middle, with its fixes; the header then
// does not offer them a second time.
func TestEmptyStatesOfferTheirFixes(t *testing.T) {
	w, _ := newTestWindow(t)
	button := func(w *Window, text string) *keyButton {
		for _, o := range w.v.empty.buttons.Objects {
			if b := o.(*keyButton); b.Text == text {
				return b
			}
		}
		t.Fatalf("no %q in the empty state", text)
		return nil
	}

	w.v.side.filter.SetText("no-such-pane")
	if w.v.centre.Objects[0] != w.v.empty.root || w.v.empty.title.Text != `No pane matches "no-such-pane"` {
		t.Fatalf("filter: %q", w.v.empty.title.Text)
	}
	test.Tap(button(w, "Clear the filter"))
	if w.v.side.filter.Text != "" || w.v.centre.Objects[0] != w.v.mapv {
		t.Fatalf("after clearing: filter %q", w.v.side.filter.Text)
	}

	// A fresh window: no picture yet, so WezTerm's absence fills the middle.
	w, rec := newBareWindow(t, nil)
	w.Apply(monitor.Snapshot{Status: monitor.NotRunning})
	if w.v.centre.Objects[0] != w.v.empty.root || w.v.empty.title.Text != "WezTerm is not running" {
		t.Fatalf("not running: %q", w.v.empty.title.Text)
	}
	if w.v.header.fixes.Visible() {
		t.Error("the header repeats the fixes the middle offers")
	}
	test.Tap(button(w, "Start WezTerm"))
	test.Tap(button(w, "Try the demo"))
	w.Wait()
	if rec.count("start-wezterm") != 1 || rec.count("start-demo") != 1 {
		t.Errorf("calls %v", rec.calls)
	}
	// Not offered (the demo has no demo): no button, and the header is
	// not told the middle offers anything.
	w, _ = newBareWindow(t, func(d *Deps) { d.StartDemo, d.StartWezterm = nil, nil })
	w.Apply(monitor.Snapshot{Status: monitor.NotRunning})
	if n := len(w.v.empty.buttons.Objects); n != 0 {
		t.Errorf("%d buttons for fixes nobody offers", n)
	}
}

// A banner's text wraps in a narrow window, and the panes move down for
// it: nothing is drawn over them. Without WezTerm the snippet is not
// offered (it is looked for once WezTerm answers).
func TestBannersTakeTheirRoom(t *testing.T) {
	w, _ := newBareWindow(t, func(d *Deps) { d.SnippetMissing = func(context.Context) bool { return true } })
	w.Apply(monitor.Snapshot{Status: monitor.NotRunning})
	if w.v.banner.root.Visible() {
		t.Error("the snippet offered while WezTerm is not running")
	}
	w.Apply(snapshot(false))
	if !w.v.banner.root.Visible() {
		t.Fatal("the snippet not offered once WezTerm answers")
	}
	for _, width := range []float32{1280, 800} {
		w.Window().Resize(fyne.NewSize(width, 560))
		if b := w.v.banner.root; b.Size().Height < b.MinSize().Height {
			t.Errorf("%v wide: banner %v (min %v)", width, b.Size(), b.MinSize())
		}
		if text := w.v.banner.text; text.Size().Height < text.MinSize().Height {
			t.Errorf("%v wide: the banner's text is %v high, needs %v", width, text.Size().Height, text.MinSize().Height)
		}
	}
}
