package viewmodel

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/wezterm-parallel/wezterm-parallel/internal/agents"
	"github.com/wezterm-parallel/wezterm-parallel/internal/monitor"
	"github.com/wezterm-parallel/wezterm-parallel/internal/topology"
	"github.com/wezterm-parallel/wezterm-parallel/internal/wezterm"
)

func ptr[T any](v T) *T { return &v }

var now = time.Date(2026, 12, 2, 12, 0, 0, 0, time.UTC)

func pane(id wezterm.PaneID, ws string, cpu float64, mem uint64, agent *topology.Agent) topology.Pane {
	return topology.Pane{ID: id, Title: fmt.Sprintf("agent %d", id), CWD: "/home/a/src/app", Workspace: ws, Cols: 80, Rows: 24,
		TTY: ptr(fmt.Sprintf("/dev/pts/%d", id)), Agent: agent,
		Usage: &topology.Usage{CPUPercent: ptr(cpu), RSSBytes: ptr(mem << 20), ProcessCount: ptr(int(id)),
			Foreground: &topology.Foreground{Name: "claude", Cmdline: "claude --resume"}}}
}

func snap(panes ...topology.Pane) monitor.Snapshot {
	byWS := map[string][]topology.Pane{}
	var order []string
	for _, p := range panes {
		if _, ok := byWS[p.Workspace]; !ok {
			order = append(order, p.Workspace)
		}
		byWS[p.Workspace] = append(byWS[p.Workspace], p)
	}
	tree := topology.Tree{GUIWorkspace: order[0]}
	for i, ws := range order {
		tree.Workspaces = append(tree.Workspaces, topology.Workspace{Name: ws, Visible: i == 0,
			Windows: []topology.Window{{ID: wezterm.WindowID(i), Tabs: []topology.Tab{{ID: wezterm.TabID(i), Cols: 160, Rows: 48, Panes: byWS[ws]}}}}})
	}
	var att []wezterm.PaneID
	for _, p := range panes {
		if p.Agent != nil && p.Agent.Status == agents.Waiting {
			att = append(att, p.ID)
		}
	}
	return monitor.Snapshot{Status: monitor.Connected, Tree: tree, Attention: att}
}

// Every size keeps CPU and memory; the cwd and program go first, then the
// labels, then everything but the numbers.
func TestFieldsBySize(t *testing.T) {
	const line = 20
	for _, tc := range []struct {
		w, h float32
		want Fields
	}{
		{400, 200, Fields{Title: true, Program: true, CWD: true, Labels: true, Bar: true, Spark: true}},
		{400, 90, Fields{Title: true, Program: true, CWD: true, Labels: true, Bar: true}},
		{150, 70, Fields{Title: true, Program: true, Bar: true}},
		{150, 45, Fields{Title: true}},
		{150, 30, Fields{Compact: true}},
		{80, 200, Fields{Compact: true}},
	} {
		if got := FieldsFor(tc.w, tc.h, line); got != tc.want {
			t.Errorf("%vx%v: %+v, want %+v", tc.w, tc.h, got, tc.want)
		}
	}
}

// Colour by meaning: a working agent at 94 % is "working" (its hue) with
// a hot bar, not a red tile; waiting is amber with how long it waited.
func TestTileMeaning(t *testing.T) {
	w := pane(1, "a", 94, 300, &topology.Agent{Name: "Claude Code", Status: agents.Working, Since: now.Add(-time.Minute)})
	tile := TileOf(w, nil, Options{Now: now})
	if tile.Badge.Role != RoleWorking || tile.Heat != RoleHeatHigh || tile.CPU != " 94.0%" || tile.Mem != "300.0 MiB" {
		t.Errorf("working: %+v %+v", tile, tile.Badge)
	}
	q := pane(2, "a", 0, 300, &topology.Agent{Name: "Claude Code", Status: agents.Waiting, Since: now.Add(-3 * time.Minute)})
	if b := TileOf(q, nil, Options{Now: now}).Badge; b.Role != RoleWaiting || b.Text != "needs you · 3m" {
		t.Errorf("waiting: %+v", b)
	}
	for st, role := range map[agents.Status]Role{agents.Idle: RoleIdle, agents.Exited: RoleExited} {
		p := pane(3, "a", 0, 1, &topology.Agent{Status: st})
		if b := TileOf(p, nil, Options{Now: now}).Badge; b.Role != role {
			t.Errorf("%s: %v", st, b.Role)
		}
	}
	// Selection is the user's, not WezTerm's focus.
	f := pane(4, "a", 0, 1, nil)
	f.Focused, f.Active = true, true
	if ti := TileOf(f, nil, Options{}); ti.Selected || !ti.Focused {
		t.Errorf("focus is not selection: %+v", ti)
	}
	if ti := TileOf(f, nil, Options{HasDetail: true, Detail: 4}); !ti.Selected {
		t.Error("the detail pane is selected")
	}
	// A long, hostile title is escaped; nothing from the pane is raw.
	h := pane(5, "a", 0, 1, nil)
	h.Title = "x\x1b[2J" + strings.Repeat("long ", 100)
	if ti := TileOf(h, nil, Options{}); strings.Contains(ti.Title, "\x1b") || Width(ti.Title) > 200 {
		t.Errorf("title %q", ti.Title)
	}
	if !TileOf(h, nil, Options{}).Equal(TileOf(h, nil, Options{})) || TileOf(h, nil, Options{}).Equal(TileOf(f, nil, Options{})) {
		t.Error("Equal")
	}
}

func TestHeaderAndSidebar(t *testing.T) {
	s := snap(pane(1, "agents", 10, 100, &topology.Agent{Name: "Codex", Status: agents.Waiting, Since: now.Add(-90 * time.Second)}),
		pane(2, "agents", 20, 100, nil), pane(3, "servers", 5, 50, nil))
	s.Tree.System = &topology.SystemUsage{CPUPercent: ptr(37.0), MemUsedBytes: 6 << 30, MemTotalBytes: 16 << 30}
	h := HeaderOf(s, now, 0)
	if h.Connection != "2 workspaces · 3 panes" || h.CPU != "CPU  37%" || len(h.Attention) != 1 ||
		h.Attention[0].Label != "Codex · pane 1" || h.Attention[0].Waited != "1m" || h.Mem != "MEM   6.0 / 16.0 GiB" {
		t.Errorf("header: %+v", h)
	}
	// The numbers keep their width as they change.
	s.Tree.System.CPUPercent, s.Tree.System.MemUsedBytes = ptr(3.0), 900<<20
	if h2 := HeaderOf(s, now, 0); len(h2.CPU) != len(h.CPU) || Width(h2.Mem) != Width(h.Mem) {
		t.Errorf("widths changed: %q %q / %q %q", h.CPU, h.Mem, h2.CPU, h2.Mem)
	}
	s.Status = monitor.NotRunning
	if h := HeaderOf(s, now, 3500*time.Millisecond); h.Reachable || h.Connection != "WezTerm is not running — retrying in 4 s" {
		t.Errorf("unreachable: %+v", h)
	}
	// The tray process went quiet: the picture is stale, and the fix is
	// not WezTerm's (no "Start WezTerm").
	s.Status = monitor.Stale
	if h := HeaderOf(s, now, 1200*time.Millisecond); !h.Reachable || h.Connection != "The tray process stopped answering — this window polls on its own in 2 s" {
		t.Errorf("stale: %+v", h)
	}
	side := Sidebar(snap(pane(1, "agents", 10, 100, &topology.Agent{Status: agents.Waiting}), pane(2, "", 1, 1, nil)), "")
	if len(side) != 2 || side[0].NeedsYou != 1 || side[1].Label != `""` || side[1].Name != "" {
		t.Errorf("sidebar: %+v", side)
	}
}

func TestRowsSort(t *testing.T) {
	s := snap(pane(1, "a", 10, 300, &topology.Agent{Name: "x", Status: agents.Idle}),
		pane(2, "a", 90, 100, &topology.Agent{Name: "y", Status: agents.Waiting, Since: now}),
		pane(3, "b", 50, 200, nil))
	ids := func(rows []Row) (out []wezterm.PaneID) {
		for _, r := range rows {
			out = append(out, r.Pane)
		}
		return out
	}
	for _, tc := range []struct {
		col  Column
		desc bool
		want string
	}{
		{ColCPU, true, "[2 3 1]"}, {ColMem, true, "[1 3 2]"}, {ColPane, false, "[1 2 3]"},
		{ColAgent, false, "[2 1 3]"}, {ColProcs, true, "[3 2 1]"},
	} {
		if got := fmt.Sprint(ids(RowsBudget(s, "", "", "", now, tc.col, tc.desc, 0))); got != tc.want {
			t.Errorf("sort by %s desc=%v: %s, want %s", Headers[tc.col], tc.desc, got, tc.want)
		}
	}
	rows := RowsBudget(s, "a", "", "", now, ColPane, false, 0)
	if len(rows) != 2 || rows[1].Roles[ColAgent] != RoleWaiting || rows[0].Cells[ColCPU] != " 10.0%" {
		t.Errorf("rows: %+v", rows)
	}
}

// The selection follows its pane or is cleared: a pane from another
// workspace, a pane that is gone, or a pane id that now names another pane.
func TestSelectionFollows(t *testing.T) {
	s := snap(pane(1, "a", 0, 1, nil), pane(2, "a", 0, 1, nil), pane(3, "b", 0, 1, nil))
	sel := Selection{}
	sel.Follow(s.Tree)
	if sel.Workspace != "a" {
		t.Fatalf("starts on the GUI's workspace: %q", sel.Workspace)
	}
	sel.Detail, sel.HasDetail, sel.DetailTTY = 2, true, "/dev/pts/2"
	sel.Multi = map[wezterm.PaneID]bool{1: true, 2: true}
	sel.Follow(s.Tree)
	if !sel.HasDetail || len(sel.Multi) != 2 {
		t.Fatal("kept while valid")
	}
	sel.Workspace, sel.UserChose = "b", true
	sel.Follow(s.Tree)
	if sel.HasDetail || len(sel.Multi) != 0 {
		t.Errorf("panes of another workspace stay selected: %+v", sel)
	}
	sel.Workspace, sel.Detail, sel.HasDetail, sel.DetailTTY = "a", 2, true, "/dev/pts/2"
	other := snap(pane(1, "a", 0, 1, nil), pane(2, "a", 0, 1, nil))
	other.Tree.Workspaces[0].Windows[0].Tabs[0].Panes[1].TTY = ptr("/dev/pts/9")
	sel.Follow(other.Tree)
	if sel.HasDetail {
		t.Error("a pane id that now names another pane stays selected")
	}
	sel.Workspace = "gone"
	sel.Follow(s.Tree)
	if sel.Workspace != "a" || sel.UserChose {
		t.Errorf("a workspace that is gone: %+v", sel)
	}
}

func TestDetail(t *testing.T) {
	p := pane(7, "a", 12, 64, &topology.Agent{Name: "Aider", Status: agents.Idle, Why: "title ✳"})
	p.Title = strings.Repeat("title ", 60)
	d, ok := DetailOf(snap(p), 7, now)
	if !ok || !strings.HasPrefix(d.Heading, "Pane 7 · title") || d.Program != "claude --resume" || d.Why != "title ✳" ||
		d.Numbers != "CPU 12.0% · memory 64.0 MiB · 7 processes" {
		t.Errorf("%+v", d)
	}
	if _, ok := DetailOf(snap(p), 8, now); ok {
		t.Error("found a pane that is not there")
	}
}

// The table leads with what the user called each pane; Spend and Agent
// only appear when some pane has one; while filtering, each row says
// where the filter matched.
func TestTableColumnsAndMatches(t *testing.T) {
	psql, build := pane(1, "a", 3, 50, nil), pane(2, "a", 70, 80, nil)
	psql.Title, build.Title = "psql", "ビルド監視"
	build.CWD = "/srv/psql-tools"
	s := snap(psql, build)
	tb := TableOf(s, "a", "", "", now, ColCPU, true, 0)
	if got := fmt.Sprint(tb.Columns); got != fmt.Sprint([]Column{ColTitle, ColCPU, ColMem, ColProgram, ColWorkspace, ColPane, ColProcs, ColCWD}) {
		t.Errorf("columns without spend or agents: %v", got)
	}
	if tb.Rows[0].Cells[ColTitle] != "ビルド監視" || tb.Rows[1].Cells[ColTitle] != "psql" {
		t.Errorf("titles %q %q", tb.Rows[0].Cells[ColTitle], tb.Rows[1].Cells[ColTitle])
	}
	build.Agent = &topology.Agent{Name: "Codex", Status: agents.Working, Since: now}
	s = snap(psql, build)
	if tb := TableOf(s, "a", "", "", now, ColCPU, true, 0); !slices.Contains(tb.Columns, ColAgent) || slices.Contains(tb.Columns, ColSpend) {
		t.Errorf("with an agent: %v", tb.Columns)
	}
	tb = TableOf(s, "a", "PSQL", "", now, ColTitle, false, 0)
	if len(tb.Rows) != 2 || tb.Columns[len(tb.Columns)-1] != ColMatch {
		t.Fatalf("filtered: %d rows, columns %v", len(tb.Rows), tb.Columns)
	}
	if tb.Rows[0].Cells[ColMatch] != "title: psql" || tb.Rows[1].Cells[ColMatch] != "folder: /srv/psql-tools" {
		t.Errorf("why: %q, %q", tb.Rows[0].Cells[ColMatch], tb.Rows[1].Cells[ColMatch])
	}
	if got := TableOf(s, "a", "no such thing", "", now, ColTitle, false, 0); len(got.Rows) != 0 {
		t.Errorf("a filter that matches nothing: %d rows", len(got.Rows))
	}
}

func TestEmptyStates(t *testing.T) {
	for _, tc := range []struct {
		s       monitor.Snapshot
		stale   bool
		shown   int
		filter  string
		title   string
		actions string
	}{
		{monitor.Snapshot{Status: monitor.NotInstalled}, false, 0, "", "WezTerm is not installed — or not where this app looks", "[set-path demo]"},
		{monitor.Snapshot{Status: monitor.NotRunning}, false, 0, "", "WezTerm is not running", "[start demo]"},
		{monitor.Snapshot{Status: monitor.Connected, Time: time.Unix(1, 0)}, false, 0, "psql", `No pane matches "psql"`, "[clear-filter]"},
		{monitor.Snapshot{Status: monitor.Connected, Time: time.Unix(1, 0)}, false, 0, "", "No panes here", "[]"},
		{monitor.Snapshot{}, false, 0, "", "Looking for WezTerm…", "[]"},
	} {
		e, ok := EmptyOf(tc.s, tc.stale, tc.shown, tc.filter)
		if !ok || e.Title != tc.title || fmt.Sprint(e.Actions) != tc.actions {
			t.Errorf("%v/%q: %+v %v", tc.s.Status, tc.filter, e, ok)
		}
	}
	if _, ok := EmptyOf(monitor.Snapshot{Status: monitor.Connected}, false, 3, ""); ok {
		t.Error("an empty state over panes")
	}
	// A last-known picture stays, greyed, while WezTerm is away.
	if e, ok := EmptyOf(monitor.Snapshot{Status: monitor.NotRunning}, true, 0, ""); ok && e.Title == "WezTerm is not running" && len(e.Actions) > 0 {
		t.Errorf("stale: %+v", e)
	}
}

func TestSelectionMethods(t *testing.T) {
	tree := topology.Tree{Workspaces: []topology.Workspace{{Name: "a", Windows: []topology.Window{{Tabs: []topology.Tab{{
		Panes: []topology.Pane{{ID: 1, Workspace: "a"}, {ID: 2, Workspace: "a"}, {ID: 3, Workspace: "a"}}}}}}}}}
	var sel Selection
	if got := sel.Targets(tree); len(got) != 0 {
		t.Fatalf("nothing selected: %v", got)
	}
	sel.Select(2, "/dev/pts/2")
	if got := fmt.Sprint(sel.Targets(tree)); got != "[2]" {
		t.Errorf("detail alone: %s", got)
	}
	sel.Toggle(3) // the detail pane joins
	if got := fmt.Sprint(sel.Targets(tree)); got != "[2 3]" {
		t.Errorf("toggle: %s", got)
	}
	sel.Toggle(3)
	sel.Add(1)
	if got := fmt.Sprint(sel.Targets(tree)); got != "[1 2]" {
		t.Errorf("add: %s", got)
	}
	sel.Drop(2)
	if sel.HasDetail || fmt.Sprint(sel.Targets(tree)) != "[1]" {
		t.Errorf("drop: %+v", sel)
	}
	sel.Select(3, "")
	if len(sel.Multi) != 0 || sel.Detail != 3 {
		t.Errorf("select empties the multi-selection: %+v", sel)
	}
	sel.Choose("b")
	if !sel.UserChose || sel.Workspace != "b" {
		t.Errorf("choose: %+v", sel)
	}
}
