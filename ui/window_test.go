package ui

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/wezterm-parallel/wezterm-parallel/internal/config"
	"github.com/wezterm-parallel/wezterm-parallel/internal/control"
	"github.com/wezterm-parallel/wezterm-parallel/internal/monitor"
	"github.com/wezterm-parallel/wezterm-parallel/internal/topology"
	"github.com/wezterm-parallel/wezterm-parallel/internal/wezterm"
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

func newTestWindow(t *testing.T) (*Window, *recorder) {
	a := test.NewTempApp(t)
	test.ApplyTheme(t, theme.DefaultTheme())
	rec := &recorder{}
	w := New(a, Deps{Control: control.New(rec)})
	w.Window().Resize(fyne.NewSize(1280, 800))
	w.Apply(snapshot(false))
	t.Cleanup(w.Window().Close)
	return w, rec
}

func TestTapTileFocusesOnce(t *testing.T) {
	w, rec := newTestWindow(t)
	grid := w.grids[0]
	if grid == nil || grid.Tile(3) == nil {
		t.Fatal("no tile for pane 3")
	}
	test.Tap(grid.Tile(3))
	w.Wait()
	if n := rec.count("activate-pane"); n != 1 || rec.count("activate-pane 3") != 1 {
		t.Fatalf("calls: %v", rec.calls)
	}
	if !strings.Contains(w.detailHd.Text, "Pane 3 · agent 3") || !strings.Contains(w.detailHd.Text, "aider --resume") {
		t.Errorf("detail = %q", w.detailHd.Text)
	}
	if !strings.Contains(w.preview.Text, "make test") {
		t.Errorf("preview = %q", w.preview.Text)
	}
}

// overlayButton finds a button by its text in the top overlay (a dialog).
func overlayButton(t *testing.T, w *Window, text string) *widget.Button {
	t.Helper()
	top := w.Window().Canvas().Overlays().Top()
	if top == nil {
		t.Fatalf("no dialog shown")
	}
	found := find(t, top, func(b *widget.Button) bool { return b.Text == text })
	if found == nil {
		t.Fatalf("no %q button in the dialog", text)
	}
	return found
}

func TestKillAsksFirst(t *testing.T) {
	w, rec := newTestWindow(t)
	test.Tap(w.grids[0].Tile(2))
	w.Wait()
	w.onKill()
	w.Wait()
	if rec.count("kill-pane") != 0 {
		t.Fatal("killed without asking")
	}
	test.Tap(overlayButton(t, w, "Kill"))
	w.Wait()
	if got := rec.with("kill-pane"); len(got) != 1 || got[0] != "kill-pane 2" {
		t.Fatalf("kill calls: %v", got)
	}
}

func TestBroadcastToSelected(t *testing.T) {
	w, rec := newTestWindow(t)
	for _, id := range []wezterm.PaneID{1, 3, 4} {
		tile := w.grids[0].Tile(id)
		tile.MouseDown(&desktop.MouseEvent{Modifier: fyne.KeyModifierControl})
		test.Tap(tile)
	}
	w.Wait()
	if rec.count("activate-pane") != 0 {
		t.Errorf("a ctrl-click focused a pane: %v", rec.calls)
	}
	w.onBroadcast()
	entry := find(t, w.Window().Canvas().Overlays().Top(), func(e *widget.Entry) bool { return e.MultiLine })
	if entry == nil {
		t.Fatal("no text entry in the broadcast dialog")
	}
	entry.SetText("run the tests")
	test.Tap(overlayButton(t, w, "Send to all"))
	w.Wait()
	got := strings.Join(rec.with("send-text"), "; ")
	want := `send-text 1 "run the tests"; send-text 1 "\r"; send-text 3 "run the tests"; send-text 3 "\r"; send-text 4 "run the tests"; send-text 4 "\r"`
	if got != want {
		t.Fatalf("sent: %s\nwant: %s", got, want)
	}
}

func TestStates(t *testing.T) {
	w, _ := newTestWindow(t)
	for _, tt := range []struct {
		status monitor.Status
		want   string
	}{
		{monitor.NotInstalled, "WezTerm is not installed"},
		{monitor.NotRunning, "WezTerm is not running"},
		{monitor.Connected, "2 workspaces, 5 panes"},
	} {
		s := snapshot(false)
		s.Status = tt.status
		if tt.status != monitor.Connected {
			s.Tree = topology.Tree{}
		}
		w.Apply(s)
		if !strings.Contains(w.status.Text, tt.want) {
			t.Errorf("%v: status %q", tt.status, w.status.Text)
		}
	}
	// Zoomed: the zoomed tile fills the tab, the others are hidden.
	w.Apply(snapshot(true))
	if z := w.grids[0].Tile(2); !z.Visible() || w.grids[0].Tile(1).Visible() {
		t.Error("zoom not drawn")
	}
	// The filter keeps only matching workspaces.
	w.search.SetText("npm")
	if len(w.wsItems) != 1 || w.wsItems[0].Name != "servers" {
		t.Errorf("filter: %+v", w.wsItems)
	}
}

func TestWhatToDoWhenWezTermIsMissing(t *testing.T) {
	a := test.NewTempApp(t)
	test.ApplyTheme(t, theme.DefaultTheme())
	var demo, started int
	var path string
	w := New(a, Deps{Control: control.New(&recorder{}),
		StartDemo:    func() (string, error) { demo++; return "/tmp/x/sock", nil },
		StartWezterm: func() error { started++; return nil },
		SetWezterm:   func(p string) error { path = p; return nil }})
	defer w.Window().Close()
	w.Apply(monitor.Snapshot{Status: monitor.NotInstalled})
	if !w.fixes.Visible() || !w.setPath.Visible() || w.startWT.Visible() {
		t.Fatal("not installed: want Set path and Try the demo")
	}
	test.Tap(findButton(t, w.fixes, "Try the demo"))
	if demo != 1 || !strings.Contains(w.message.Text, "/tmp/x/sock") {
		t.Errorf("demo %d, message %q", demo, w.message.Text)
	}
	test.Tap(w.setPath)
	top := w.Window().Canvas().Overlays().Top()
	e := find(t, top, func(*widget.Entry) bool { return true })
	e.SetText("/opt/wezterm/bin/wezterm")
	test.Tap(findButton(t, top, "Use it"))
	if path != "/opt/wezterm/bin/wezterm" {
		t.Errorf("path = %q", path)
	}
	w.Apply(monitor.Snapshot{Status: monitor.NotRunning})
	if w.setPath.Visible() || !w.startWT.Visible() {
		t.Fatal("not running: want Start WezTerm")
	}
	test.Tap(w.startWT)
	if started != 1 {
		t.Errorf("started %d", started)
	}
	w.Apply(snapshot(false))
	if w.fixes.Visible() {
		t.Error("connected: the buttons should go")
	}
}

func TestHiddenWindowOnlyFollowsInTray(t *testing.T) {
	w, _ := newTestWindow(t)
	if m := w.TrayModel(); m.Status != "2 workspaces, 5 panes" || len(m.Workspaces) != 2 || !m.Workspaces[0].Current || !m.WindowShown {
		t.Fatalf("tray model: %+v", m)
	}
	w.HideWindow()
	before := w.status.Text
	w.Apply(monitor.Snapshot{Status: monitor.NotRunning})
	if w.status.Text != before {
		t.Error("a hidden window rendered a snapshot")
	}
	if m := w.TrayModel(); m.Status != "WezTerm is not running" || m.WindowShown {
		t.Errorf("tray while hidden: %+v", m)
	}
	w.ShowWindow()
	if !strings.Contains(w.status.Text, "not running") {
		t.Errorf("shown again, status %q", w.status.Text)
	}
}

func TestThresholdNotificationOncePerEpisode(t *testing.T) {
	a := test.NewTempApp(t)
	test.ApplyTheme(t, theme.DefaultTheme())
	store := config.Open(filepath.Join(t.TempDir(), "config.toml"))
	store.Update(func(p *config.Preferences) { p.AlertAfter = 5 * time.Second; p.CPUAlertPercent = 90 })
	w := New(a, Deps{Control: control.New(&recorder{}), Store: store})
	defer w.Window().Close()
	t0 := time.Now()
	apply := func(from, to int) func() {
		return func() {
			for i := from; i <= to; i++ {
				s := snapshot(false) // pane 2 (codex) runs at 95 %
				s.Time = t0.Add(time.Duration(i) * time.Second)
				w.Apply(s)
			}
		}
	}
	test.AssertNotificationSent(t, &fyne.Notification{Title: "codex is using 95% CPU",
		Content: "Above 90% for 5s (pane 2, workspace agents)"}, apply(0, 5))
	test.AssertNotificationSent(t, nil, apply(6, 10)) // same episode: quiet
	store.Update(func(p *config.Preferences) { p.NotifyThresholds = false })
	test.AssertNotificationSent(t, nil, apply(11, 20)) // switched off
}

func TestAttentionQueueAndNotification(t *testing.T) {
	w, rec := newTestWindow(t)
	waiting := func(t0 time.Time) monitor.Snapshot {
		s := snapshot(false)
		s.Time = t0
		s.Tree.EachPane(func(p *topology.Pane) {
			switch p.ID {
			case 2:
				p.Agent = &topology.Agent{Name: "Codex", Status: "waiting", Since: t0, Why: "prompt on screen: Allow command?"}
			case 3:
				p.Agent = &topology.Agent{Name: "aider", Status: "working", Since: t0, Why: "CPU busy"}
			}
		})
		s.Attention = []wezterm.PaneID{2}
		return s
	}
	t0 := time.Now()
	test.AssertNotificationSent(t, &fyne.Notification{Title: "Codex is waiting for you",
		Content: "Pane 2 in workspace agents: prompt on screen: Allow command?"}, func() { w.Apply(waiting(t0)) })
	test.AssertNotificationSent(t, nil, func() { w.Apply(waiting(t0.Add(time.Second))) }) // no new transition
	if m := w.TrayModel(); len(m.Attention) != 1 || m.Attention[0].Pane != 2 || !strings.HasPrefix(m.Attention[0].Label, "Codex — pane 2") {
		t.Fatalf("tray attention: %+v", m.Attention)
	}
	if tile := w.grids[0].Tile(2); !tile.View.Waiting || tile.View.Status != "Codex: waiting" {
		t.Errorf("tile: %+v", tile.View)
	}
	b := find(t, w.queue, func(b *widget.Button) bool { return strings.HasPrefix(b.Text, "Codex · 2") })
	if b == nil {
		t.Fatal("no queue button for pane 2")
	}
	test.Tap(b)
	w.Wait()
	if rec.count("activate-pane 2") != 1 {
		t.Errorf("queue click: %v", rec.calls)
	}
}

// A prompt for a busy agent waits in a queue and goes out when it waits.
func TestBroadcastQueuesForBusyAgents(t *testing.T) {
	w, rec := newTestWindow(t)
	withAgent := func(status string) monitor.Snapshot {
		s := snapshot(false)
		s.Tree.EachPane(func(p *topology.Pane) {
			if p.ID == 3 {
				p.Agent = &topology.Agent{Name: "aider", Status: status}
			}
		})
		return s
	}
	w.Apply(withAgent("working"))
	for _, id := range []wezterm.PaneID{1, 3} {
		tile := w.grids[0].Tile(id)
		tile.MouseDown(&desktop.MouseEvent{Modifier: fyne.KeyModifierShift})
		test.Tap(tile)
	}
	w.onBroadcast()
	entry := find(t, w.Window().Canvas().Overlays().Top(), func(e *widget.Entry) bool { return e.MultiLine })
	entry.SetText("rebase on main")
	test.Tap(overlayButton(t, w, "Send to all"))
	w.Wait()
	if got := strings.Join(rec.with("send-text"), "; "); got != `send-text 1 "rebase on main"; send-text 1 "\r"` {
		t.Fatalf("sent at once: %s", got)
	}
	if !w.queued.Visible() || w.queued.Text != "Queued (1)" {
		t.Fatalf("queued button: %v %q", w.queued.Visible(), w.queued.Text)
	}
	w.Apply(withAgent("working")) // still busy: nothing goes
	w.Wait()
	if rec.count("send-text 3") != 0 {
		t.Fatal("delivered to a busy agent")
	}
	w.Apply(withAgent("waiting"))
	w.Wait()
	if got := strings.Join(rec.with("send-text 3"), "; "); got != `send-text 3 "rebase on main"; send-text 3 "\r"` || w.queued.Visible() {
		t.Fatalf("delivered: %s (button shown %v)", got, w.queued.Visible())
	}
}

// Two agents turning waiting at different times: one notification each,
// and the queue in the header in that order.
func TestTwoAgentsNotifiedOnceEach(t *testing.T) {
	a := test.NewTempApp(t)
	test.ApplyTheme(t, theme.DefaultTheme())
	var got []string
	w := New(a, Deps{Control: control.New(&recorder{}), Notify: func(title, _ string) { got = append(got, title) }})
	defer w.Window().Close()
	t0 := time.Now()
	tick := func(i int, waiting ...wezterm.PaneID) {
		s := snapshot(false)
		s.Time = t0.Add(time.Duration(i) * time.Second)
		s.Tree.EachPane(func(p *topology.Pane) {
			p.Agent = &topology.Agent{Name: fmt.Sprintf("agent-%d", p.ID), Status: "working"}
			for _, id := range waiting {
				if p.ID == id {
					p.Agent.Status = "waiting"
				}
			}
		})
		s.Attention = waiting
		w.Apply(s)
	}
	tick(0)
	tick(1, 3)
	tick(2, 3)
	tick(3, 3, 1)
	tick(4, 3, 1)
	if strings.Join(got, "; ") != "agent-3 is waiting for you; agent-1 is waiting for you" {
		t.Fatalf("notifications: %v", got)
	}
	var order []string
	for _, o := range w.queue.Objects {
		if b, ok := o.(*widget.Button); ok {
			order = append(order, b.Text)
		}
	}
	if strings.Join(order, ", ") != "agent-3 · 3, agent-1 · 1" {
		t.Errorf("header queue: %v", order)
	}
}
