package ui

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/wezterm-parallel/wezterm-parallel/internal/agents"
	"github.com/wezterm-parallel/wezterm-parallel/internal/control"
	"github.com/wezterm-parallel/wezterm-parallel/internal/monitor"
	"github.com/wezterm-parallel/wezterm-parallel/internal/topology"
	"github.com/wezterm-parallel/wezterm-parallel/internal/wezterm"
	"github.com/wezterm-parallel/wezterm-parallel/ui/widgets"
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
	waiting := snapshot(false)
	waiting.Time = time.Date(2026, 12, 2, 12, 0, 0, 0, time.UTC)
	waiting.Tree.EachPane(func(p *topology.Pane) {
		switch p.ID {
		case 2:
			p.Agent = &topology.Agent{Name: "Codex", Status: agents.Waiting, Since: waiting.Time.Add(-3 * time.Minute), Why: "prompt on screen: Allow?"}
		case 3:
			p.Agent = &topology.Agent{Name: "aider", Status: agents.Working, Since: waiting.Time, Why: "title"}
		}
	})
	waiting.Attention = []wezterm.PaneID{2}
	// Spend: a priced session with a rate, one of a model without a
	// price (unknown, never $0), and today's total in the header.
	spent := waiting
	spent.Tree = topology.Tree{}
	data, _ := json.Marshal(waiting.Tree)
	json.Unmarshal(data, &spent.Tree)
	spent.Tree.SpendToday = &topology.SpendTotal{TokensIn: 12000, TokensOut: 40000, CacheRead: 2_000_000, CostUSD: ptrF(4.2), Unpriced: 0}
	spent.Tree.EachPane(func(p *topology.Pane) {
		switch p.ID {
		case 2:
			p.Spend = &topology.Spend{Model: "gpt-5.1-codex", TokensIn: 9000, TokensOut: 30000, CacheRead: 1_500_000, CostUSD: ptrF(3.14), USDPerHour: ptrF(6.5), Session: "s"}
		case 3:
			p.Spend = &topology.Spend{Model: "my-local-model", TokensIn: 3000, TokensOut: 10000, Session: "t"}
		}
	})
	tests := []struct {
		name  string
		snaps []monitor.Snapshot
		act   func(w *Window)
	}{
		{"not_installed", []monitor.Snapshot{{Status: monitor.NotInstalled}}, nil},
		{"not_running", []monitor.Snapshot{{Status: monitor.NotRunning}}, nil},
		{"unreachable_keeps_picture", []monitor.Snapshot{snapshot(false), {Status: monitor.NotRunning}}, nil},
		{"empty", []monitor.Snapshot{{Status: monitor.Connected, Version: "20240203-110809-5046fc22"}}, nil},
		{"two_workspaces_zoomed", []monitor.Snapshot{snapshot(true)}, nil},
		{"sixteen_panes", []monitor.Snapshot{sixteen()}, nil},
		{"twenty_four_panes_table", []monitor.Snapshot{many(24)}, nil},
		{"agents_waiting_and_working", []monitor.Snapshot{waiting}, nil},
		{"agents_spend", []monitor.Snapshot{spent}, nil},
		{"detail_open", []monitor.Snapshot{snapshot(false)}, func(w *Window) { w.selectPane(3, 0) }},
		{"kill_dialog", []monitor.Snapshot{snapshot(false)}, func(w *Window) { w.selectPane(2, 0); w.panes.kill() }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := test.NewTempApp(t)
			test.ApplyTheme(t, widgets.NewTheme("dark"))
			// What the session offers: the fixes for a missing WezTerm.
			w := New(context.Background(), a, Deps{Control: control.New(&recorder{}), SetWezterm: func(string) error { return nil },
				StartWezterm: func(context.Context) error { return nil }, StartDemo: func(context.Context) (string, error) { return "", nil }})
			w.Window().Resize(fyne.NewSize(1280, 800))
			for _, s := range tt.snaps {
				w.Apply(s)
			}
			if tt.act != nil {
				tt.act(w)
			}
			w.Wait()
			test.AssertRendersToMarkup(t, "states/"+tt.name+".xml", w.Window().Canvas())
			w.Window().Close()
		})
	}
}

func ptrF(f float64) *float64 { return &f }
