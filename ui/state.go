package ui

import (
	"fmt"

	"github.com/wezterm-parallel/wezterm-parallel/internal/monitor"
	"github.com/wezterm-parallel/wezterm-parallel/internal/topology"
	"github.com/wezterm-parallel/wezterm-parallel/internal/viewmodel"
	"github.com/wezterm-parallel/wezterm-parallel/internal/wezterm"
)

// view modes of the centre.
const (
	viewAuto = iota // the map, or the table above TableThreshold panes
	viewMap
	viewTable
)

// state is what the window shows and the user chose: the latest snapshot,
// the last live one (drawn greyed while WezTerm is away), the selection,
// the filter and the map/table choice per workspace. Only the UI
// goroutine touches it.
type state struct {
	snap     monitor.Snapshot
	lastLive monitor.Snapshot
	hasLive  bool
	sel      viewmodel.Selection
	filter   string
	modes    map[string]int // absent: auto
}

func newState() *state {
	return &state{modes: map[string]int{}, sel: viewmodel.Selection{Multi: map[wezterm.PaneID]bool{}}}
}

// apply keeps a snapshot; a live one also moves the selection along.
func (s *state) apply(snap monitor.Snapshot) {
	s.snap = snap
	if snap.Status == monitor.Connected {
		s.lastLive, s.hasLive = snap, true
		s.sel.Follow(snap.Tree)
	}
}

// view is the snapshot the picture is drawn from: the latest, or the last
// live one, greyed (stale), while WezTerm is unreachable.
func (s *state) view() (monitor.Snapshot, bool) {
	if s.snap.Status != monitor.Connected && s.hasLive {
		v := s.lastLive
		v.Attention = nil
		return v, true
	}
	return s.snap, false
}

func (s *state) reachable() bool { return s.snap.Status == monitor.Connected }

// selected reports whether actions on the detail pane apply now.
func (s *state) selected() bool { return s.reachable() && s.sel.HasDetail }

func (s *state) pane(id wezterm.PaneID) (topology.Pane, bool) {
	for _, p := range s.snap.Tree.Panes() {
		if p.ID == id {
			return p, true
		}
	}
	return topology.Pane{}, false
}

// paneName is how a dialog names a pane: its number and, readably, what
// runs in it.
func (s *state) paneName(id wezterm.PaneID) string {
	p, ok := s.pane(id)
	if !ok {
		return fmt.Sprintf("pane %d", id)
	}
	what := viewmodel.Ellipsize(p.Title, 40)
	if p.Usage != nil && p.Foreground != nil {
		what = viewmodel.Program(p.Foreground.Name, p.Foreground.Cmdline, 60)
	}
	return fmt.Sprintf("pane %d (%s)", id, what)
}

// tableShown: the table for the shown workspace, by the user's choice,
// else when a tab has more than TableThreshold panes.
func (s *state) tableShown() bool {
	switch s.modes[s.sel.Workspace] {
	case viewTable:
		return true
	case viewMap:
		return false
	}
	v, _ := s.view()
	return viewmodel.MaxTabPanes(v, s.sel.Workspace) > viewmodel.TableThreshold
}

// toggleView switches the shown workspace between the map and the table.
func (s *state) toggleView() {
	if s.tableShown() {
		s.modes[s.sel.Workspace] = viewMap
	} else {
		s.modes[s.sel.Workspace] = viewTable
	}
}
