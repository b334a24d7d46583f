package tray

import (
	"testing"

	"github.com/wezterm-parallel/wezterm-parallel/internal/monitor"
	"github.com/wezterm-parallel/wezterm-parallel/internal/topology"
)

func snap() monitor.Snapshot {
	pane := topology.Pane{ID: 1}
	return monitor.Snapshot{Status: monitor.Connected, Tree: topology.Tree{Workspaces: []topology.Workspace{
		{Name: "agents", Visible: true, Windows: []topology.Window{{Tabs: []topology.Tab{{Panes: []topology.Pane{pane, pane}}}}}},
		{Name: "default", Windows: []topology.Window{{Tabs: []topology.Tab{{Panes: []topology.Pane{pane}}}}}},
	}}}
}

func TestBuild(t *testing.T) {
	m := Build(snap(), []string{"agents-2x2", "dev"}, true)
	if m.Status != "2 workspaces · 3 panes" || len(m.Workspaces) != 2 || m.Workspaces[0].Label() != "● agents (2)" ||
		m.Workspaces[1].Label() != "default (1)" || len(m.Layouts) != 2 || len(m.Attention) != 0 {
		t.Fatalf("model = %+v", m)
	}
	for _, tt := range []struct {
		st   monitor.Status
		want string
	}{{monitor.NotInstalled, "WezTerm is not installed"}, {monitor.NotRunning, "WezTerm is not running"}, {monitor.Failing, "WezTerm does not answer"}} {
		if got := Build(monitor.Snapshot{Status: tt.st}, nil, false); got.Status != tt.want || len(got.Workspaces) != 0 {
			t.Errorf("%v: %+v", tt.st, got)
		}
	}
}

func TestEqualIgnoresTicksThatChangeNothing(t *testing.T) {
	a := Build(snap(), []string{"dev"}, true)
	s := snap()
	cpu := 50.0
	s.Tree.Workspaces[0].Windows[0].Tabs[0].Panes[0].Usage = &topology.Usage{CPUPercent: &cpu}
	if b := Build(s, []string{"dev"}, true); !a.Equal(b) {
		t.Error("a CPU change must not rebuild the tray menu")
	}
	if b := Build(s, []string{"dev"}, false); a.Equal(b) {
		t.Error("hiding the window changes the Show/Hide item")
	}
	s.Tree.Workspaces[1].Visible, s.Tree.Workspaces[0].Visible = true, false
	if b := Build(s, []string{"dev"}, true); a.Equal(b) {
		t.Error("the current workspace moved")
	}
}

func TestStatusShowsTodaySpend(t *testing.T) {
	s := monitor.Snapshot{Status: monitor.Connected}
	c := func(v float64) *float64 { return &v }
	for _, tc := range []struct {
		t    *topology.SpendTotal
		want string
	}{
		{nil, "0 workspaces · 0 panes"},
		{&topology.SpendTotal{CostUSD: c(0)}, "0 workspaces · 0 panes"},
		{&topology.SpendTotal{TokensIn: 9, CostUSD: c(0.47)}, "0 workspaces · 0 panes · today $0.47"},
		{&topology.SpendTotal{TokensIn: 9, CostUSD: c(12.99)}, "0 workspaces · 0 panes · today $12.99"},
		{&topology.SpendTotal{TokensIn: 9, CostUSD: c(3.2), Unpriced: 5}, "0 workspaces · 0 panes · today ≥$3.20"},
	} {
		s.Tree.SpendToday = tc.t
		if got := Build(s, nil, false).Status; got != tc.want {
			t.Errorf("%+v: %q, want %q", tc.t, got, tc.want)
		}
	}
	// The tray says the window's figure, to the cent; more tokens at the
	// same cost do not rebuild the menu.
	s.Tree.SpendToday = &topology.SpendTotal{TokensIn: 9, CostUSD: c(12.10)}
	a := Build(s, nil, false)
	s.Tree.SpendToday = &topology.SpendTotal{TokensIn: 10, CostUSD: c(12.10)}
	if !a.Equal(Build(s, nil, false)) {
		t.Error("tokens alone changed the menu")
	}
	s.Tree.SpendToday = &topology.SpendTotal{TokensIn: 10, CostUSD: c(12.11)}
	if a.Equal(Build(s, nil, false)) {
		t.Error("a cent more is not shown")
	}
}
