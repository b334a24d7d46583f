package ui

import (
	"fmt"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"

	"github.com/wezterm-parallel/wezterm-parallel/internal/control"
	"github.com/wezterm-parallel/wezterm-parallel/internal/monitor"
	"github.com/wezterm-parallel/wezterm-parallel/internal/topology"
	"github.com/wezterm-parallel/wezterm-parallel/internal/wezterm"
)

// sixteen is one tab of 16 panes (4x4) in workspace "swarm".
func sixteen() monitor.Snapshot {
	tab := topology.Tab{ID: 9, Title: "swarm", Cols: 160, Rows: 48}
	for i := 0; i < 16; i++ {
		c, r := i%4, i/4
		cpu := float64(i * 6)
		rss := uint64(64+i) << 20
		tab.Panes = append(tab.Panes, topology.Pane{ID: wezterm.PaneID(i + 10), Title: fmt.Sprintf("agent %d", i+1),
			CWD: "/src/app", Left: c * 40, Top: r * 12, Cols: 39, Rows: 11, Active: i == 0, Workspace: "swarm",
			Usage: &topology.Usage{CPUPercent: &cpu, RSSBytes: &rss, ProcessCount: ptr(2),
				Foreground: &topology.Foreground{Name: "claude"}}})
	}
	tree := topology.Tree{GUIWorkspace: "swarm", Workspaces: []topology.Workspace{{Name: "swarm", Visible: true,
		Windows: []topology.Window{{ID: 3, Tabs: []topology.Tab{tab}}}}}}
	return monitor.Snapshot{Status: monitor.Connected, Version: "20240203-110809-5046fc22", Tree: tree}
}

// TestRendersStates pins the window's rendering of its main states as
// markup masters in testdata/ (a changed rendering writes the new one to
// testdata/failed/ for review).
func TestRendersStates(t *testing.T) {
	tests := []struct {
		name string
		snap monitor.Snapshot
	}{
		{"not_installed", monitor.Snapshot{Status: monitor.NotInstalled}},
		{"not_running", monitor.Snapshot{Status: monitor.NotRunning}},
		{"empty", monitor.Snapshot{Status: monitor.Connected, Version: "20240203-110809-5046fc22"}},
		{"two_workspaces_zoomed", snapshot(true)},
		{"sixteen_panes", sixteen()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := test.NewTempApp(t)
			test.ApplyTheme(t, theme.DefaultTheme())
			w := New(a, Deps{Control: control.New(&recorder{})})
			w.Window().Resize(fyne.NewSize(1280, 800))
			w.Apply(tt.snap)
			test.AssertRendersToMarkup(t, "states/"+tt.name+".xml", w.Window().Canvas())
			w.Window().Close()
		})
	}
}
