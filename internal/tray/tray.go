// Package tray builds the system-tray menu's content from a snapshot, as a
// plain value: ui/traymenu turns it into the systray menu and rebuilds that
// only when the model changes, not every tick.
package tray

import (
	"fmt"
	"github.com/wezterm-parallel/wezterm-parallel/internal/spend"
	"github.com/wezterm-parallel/wezterm-parallel/internal/status"

	"github.com/wezterm-parallel/wezterm-parallel/internal/monitor"
	"github.com/wezterm-parallel/wezterm-parallel/internal/topology"
	"github.com/wezterm-parallel/wezterm-parallel/internal/wezterm"
)

// Workspace is one entry of "Workspaces ▸".
type Workspace struct {
	Name    string
	Panes   int
	Current bool // the workspace the WezTerm GUI shows
}

// Label is the menu text.
func (w Workspace) Label() string {
	mark := ""
	if w.Current {
		mark = "● "
	}
	return fmt.Sprintf("%s%s (%d)", mark, w.Name, w.Panes)
}

// Model is the tray menu's content.
type Model struct {
	WindowShown bool
	Status      string // one line: "WezTerm not running", "3 workspaces, 9 panes"
	Workspaces  []Workspace
	Layouts     []string
	// Attention lists panes whose agent waits for the user, oldest first;
	// the submenu is hidden while empty.
	Attention []Item
	// Restore is the restore item's label ("" : no item): the offer when
	// WezTerm shows only its start-up pane ("Restore 4 workspaces, 23
	// panes, 6 agents from 10:42…"), else "Restore a snapshot…" while one
	// is stored. A click opens the window's restore dialog
	// (resident.Service.Restore).
	Restore string
}

// Item is a pane entry (click = jump to it).
type Item struct {
	Pane  wezterm.PaneID
	Label string
}

// Build makes the model for a snapshot, the layout names and whether the
// window is shown.
func Build(s monitor.Snapshot, layouts []string, shown bool) Model {
	m := Model{WindowShown: shown, Layouts: append([]string(nil), layouts...)}
	switch s.Status {
	case monitor.Connected:
		n := 0
		for _, ws := range s.Tree.Workspaces {
			n += ws.PaneCount()
			m.Workspaces = append(m.Workspaces, Workspace{Name: ws.Name, Panes: ws.PaneCount(), Current: ws.Visible})
		}
		m.Status = status.Line(s, 0)
		if t := TodaySpend(s.Tree.SpendToday); t != "" {
			m.Status += " · today " + t
		}
		byID := map[wezterm.PaneID]topology.Pane{}
		for _, p := range s.Tree.Panes() {
			byID[p.ID] = p
		}
		for _, id := range s.Attention {
			p := byID[id]
			name := p.Title
			if p.Agent != nil {
				name = p.Agent.Name
			}
			m.Attention = append(m.Attention, Item{Pane: id, Label: fmt.Sprintf("%s — pane %d in %s", name, id, p.Workspace)})
		}
	default:
		m.Status = status.Line(s, 0)
	}
	return m
}

// Equal reports whether two models would render the same menu.
func (m Model) Equal(o Model) bool {
	if m.WindowShown != o.WindowShown || m.Status != o.Status || m.Restore != o.Restore || len(m.Workspaces) != len(o.Workspaces) ||
		len(m.Layouts) != len(o.Layouts) || len(m.Attention) != len(o.Attention) {
		return false
	}
	for i := range m.Workspaces {
		if m.Workspaces[i] != o.Workspaces[i] {
			return false
		}
	}
	for i := range m.Layouts {
		if m.Layouts[i] != o.Layouts[i] {
			return false
		}
	}
	for i := range m.Attention {
		if m.Attention[i] != o.Attention[i] {
			return false
		}
	}
	return true
}

// TodaySpend is today's agent spend as the window's header says it
// ("$1.65", "≥$3.20"); "" when nothing was used today.
func TodaySpend(t *topology.SpendTotal) string {
	if t == nil || t.TokensIn+t.TokensOut+t.CacheWrite+t.CacheRead == 0 || t.CostUSD == nil {
		return ""
	}
	// The header's figure, to the cent: the tray and the window say the
	// same.
	s := spend.USD(t.CostUSD)
	if t.Unpriced > 0 {
		s = "≥" + s
	}
	return s
}
