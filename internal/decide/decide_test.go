package decide

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/wezterm-parallel/wezterm-parallel/internal/agents"
	"github.com/wezterm-parallel/wezterm-parallel/internal/config"
	"github.com/wezterm-parallel/wezterm-parallel/internal/monitor"
	"github.com/wezterm-parallel/wezterm-parallel/internal/topology"
	"github.com/wezterm-parallel/wezterm-parallel/internal/wezterm"
)

func ptr[T any](v T) *T { return &v }

// snapshot: workspace "agents" with panes 1..4 (pane 2 at 95 % CPU) and
// "servers" with pane 5.
func snapshot(t0 time.Time) monitor.Snapshot {
	pane := func(id wezterm.PaneID, cpu float64, prog string) topology.Pane {
		return topology.Pane{ID: id, Title: fmt.Sprintf("agent %d", id), Workspace: "agents",
			Usage: &topology.Usage{CPUPercent: ptr(cpu), RSSBytes: ptr(uint64(200 << 20)), ProcessCount: ptr(3),
				Foreground: &topology.Foreground{Name: prog}}}
	}
	tree := topology.Tree{GUIWorkspace: "agents", Workspaces: []topology.Workspace{
		{Name: "agents", Visible: true, Windows: []topology.Window{{Tabs: []topology.Tab{{Cols: 160, Rows: 48,
			Panes: []topology.Pane{pane(1, 2, "claude"), pane(2, 95, "codex"), pane(3, 0, "aider"), pane(4, 40, "gemini")}}}}}},
		{Name: "servers", Windows: []topology.Window{{ID: 1, Tabs: []topology.Tab{{ID: 1,
			Panes: []topology.Pane{{ID: 5, Title: "npm run dev", Workspace: "servers"}}}}}}},
	}}
	return monitor.Snapshot{Time: t0, Status: monitor.Connected, Tree: tree}
}

func titles(notes []Note) string {
	var out []string
	for _, n := range notes {
		out = append(out, n.Title)
	}
	return strings.Join(out, "; ")
}

func TestThresholdOncePerEpisode(t *testing.T) {
	d := New()
	p := config.Defaults()
	p.AlertAfter, p.CPUAlertPercent = 5*time.Second, 90
	t0 := time.Unix(1000, 0)
	var got []string
	for i := 0; i <= 10; i++ {
		if n := titles(d.Step(snapshot(t0.Add(time.Duration(i)*time.Second)), p, nil, true).Notes); n != "" {
			got = append(got, fmt.Sprintf("%d: %s", i, n))
		}
	}
	if strings.Join(got, " | ") != "5: codex is using 95% CPU" {
		t.Fatalf("notes: %v", got)
	}
	p.NotifyThresholds = false
	d = New()
	for i := 0; i <= 10; i++ {
		if n := d.Step(snapshot(t0.Add(time.Duration(i)*time.Second)), p, nil, true).Notes; len(n) > 0 {
			t.Fatalf("switched off, still: %v", titles(n))
		}
	}
}

// Two agents turning waiting at different times: one notification each.
func TestTwoAgentsNotifiedOnceEach(t *testing.T) {
	d := New()
	t0 := time.Unix(1000, 0)
	var got []string
	tick := func(i int, waiting ...wezterm.PaneID) {
		s := snapshot(t0.Add(time.Duration(i) * time.Second))
		s.Tree.EachPane(func(p *topology.Pane) {
			p.Agent = &topology.Agent{Name: fmt.Sprintf("agent-%d", p.ID), Status: agents.Working}
			for _, id := range waiting {
				if p.ID == id {
					p.Agent.Status = agents.Waiting
				}
			}
		})
		if n := titles(d.Step(s, config.Defaults(), nil, true).Notes); n != "" {
			got = append(got, n)
		}
	}
	tick(0)
	tick(1, 3)
	tick(2, 3)
	tick(3, 3, 1)
	tick(4, 3, 1)
	if strings.Join(got, "; ") != "agent-3 is waiting for you; agent-1 is waiting for you" {
		t.Fatalf("notifications: %v", got)
	}
}

// A prompt for a busy agent waits and goes out when the agent waits; one
// for a pane that went away is dropped.
func TestQueuedPrompts(t *testing.T) {
	d := New()
	with := func(st agents.Status) monitor.Snapshot {
		s := snapshot(time.Unix(1, 0))
		s.Tree.EachPane(func(p *topology.Pane) {
			if p.ID == 3 {
				p.Agent = &topology.Agent{Name: "aider", Status: st}
			}
		})
		return s
	}
	now, queued := d.Plan(time.Unix(1, 0), with(agents.Working).Tree, []wezterm.PaneID{1, 3}, "rebase on main")
	if fmt.Sprint(now) != "[1]" || len(queued) != 1 || len(d.Queued()) != 1 {
		t.Fatalf("plan: %v %v", now, queued)
	}
	if e := d.Step(with(agents.Working), config.Defaults(), nil, true); len(e.Deliver) != 0 {
		t.Fatal("delivered to a busy agent")
	}
	e := d.Step(with(agents.Waiting), config.Defaults(), nil, true)
	if len(e.Deliver) != 1 || e.Deliver[0].Pane != 3 || e.Deliver[0].Text != "rebase on main" || len(d.Queued()) != 0 {
		t.Fatalf("due: %+v", e)
	}
	d.Plan(time.Unix(2, 0), with(agents.Working).Tree, []wezterm.PaneID{3}, "x")
	gone := snapshot(time.Unix(3, 0))
	gone.Tree.Workspaces[0].Windows[0].Tabs[0].Panes = gone.Tree.Workspaces[0].Windows[0].Tabs[0].Panes[:2]
	if e := d.Step(gone, config.Defaults(), nil, true); len(e.Dropped) != 1 {
		t.Fatalf("dropped: %+v", e)
	}
}

// The tray menu is handed out only when it changes.
func TestTrayOnlyWhenChanged(t *testing.T) {
	d := New()
	s := snapshot(time.Unix(1, 0))
	if e := d.Step(s, config.Defaults(), []string{"dev"}, true); e.Tray == nil || e.Tray.Status != "2 workspaces · 5 panes" {
		t.Fatalf("first: %+v", e.Tray)
	}
	if e := d.Step(s, config.Defaults(), []string{"dev"}, true); e.Tray != nil {
		t.Fatal("unchanged menu handed out again")
	}
	if e := d.Step(monitor.Snapshot{Status: monitor.NotRunning}, config.Defaults(), []string{"dev"}, false); e.Tray == nil || e.Tray.Status != "WezTerm is not running" || e.Tray.WindowShown {
		t.Fatalf("not running: %+v", e.Tray)
	}
}

// Budgets: a notification at 80 % and at 100 %, once per episode (a day;
// a pane's session), again after the spend fell back under 80 %.
func TestBudgetOncePerEpisode(t *testing.T) {
	d := New()
	p := config.Defaults()
	p.BudgetDailyUSD, p.BudgetPaneUSD = 10, 2
	t0 := time.Date(2026, 12, 2, 12, 0, 0, 0, time.Local)
	step := func(at time.Time, day float64, pane *float64, session string) string {
		s := snapshot(at)
		s.Tree.SpendToday = &topology.SpendTotal{CostUSD: ptr(day)}
		s.Tree.EachPane(func(pn *topology.Pane) {
			if pn.ID == 1 {
				pn.Agent = &topology.Agent{Name: "Claude Code", Status: agents.Working}
				pn.Spend = &topology.Spend{CostUSD: pane, Session: session, Model: "claude-sonnet-4-5"}
			}
		})
		var out []string
		for _, n := range d.Step(s, p, nil, true).Notes {
			if n.Kind == Budget {
				out = append(out, n.Title)
			}
		}
		return strings.Join(out, "; ")
	}
	for i, tc := range []struct {
		at      time.Time
		day     float64
		pane    *float64
		session string
		want    string
	}{
		{t0, 1, ptr(0.5), "s1", ""},
		{t0, 8.5, ptr(1.0), "s1", "Agents spent 80 % of today's budget"},
		{t0, 9, ptr(1.7), "s1", "Claude Code used 80 % of its pane budget"},
		{t0, 9.5, ptr(1.8), "s1", ""}, // still the same episodes
		{t0, 10.2, ptr(2.1), "s1", "Agents spent 100 % of today's budget; Claude Code used 100 % of its pane budget"},
		{t0, 11, ptr(2.5), "s1", ""},
		{t0, 11, nil, "s1", ""}, // a model without a price: unknown, no level
		{t0, 11, ptr(1.9), "s2", "Claude Code used 80 % of its pane budget"},               // a new session: a new episode
		{t0.Add(24 * time.Hour), 8, ptr(1.9), "s2", "Agents spent 80 % of today's budget"}, // a new day
	} {
		if got := step(tc.at, tc.day, tc.pane, tc.session); got != tc.want {
			t.Errorf("step %d: %q, want %q", i, got, tc.want)
		}
	}
	// Switched off: nothing.
	p.NotifyBudget = false
	if got := step(t0.Add(48*time.Hour), 10, ptr(3.0), "s3"); got != "" {
		t.Errorf("notify.budget off: %q", got)
	}
}

// TestTrayRestoreItem: the restore item the resident decides from its
// snapshots reaches the tray menu, and a change of it alone rebuilds it.
func TestTrayRestoreItem(t *testing.T) {
	d := New()
	t0 := time.Now()
	if e := d.Step(snapshot(t0), config.Defaults(), nil, false); e.Tray == nil || e.Tray.Restore != "" {
		t.Fatalf("first: %+v", e.Tray)
	}
	d.SetRestore("Restore 2 workspaces, 5 panes from 10:42…")
	e := d.Step(snapshot(t0.Add(time.Second)), config.Defaults(), nil, false)
	if e.Tray == nil || e.Tray.Restore != "Restore 2 workspaces, 5 panes from 10:42…" {
		t.Fatalf("the label did not reach the menu: %+v", e.Tray)
	}
	if e := d.Step(snapshot(t0.Add(2*time.Second)), config.Defaults(), nil, false); e.Tray != nil {
		t.Errorf("rebuilt without a change: %+v", e.Tray)
	}
}
