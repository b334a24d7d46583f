package viewmodel

import (
	"testing"
	"time"

	"github.com/wezterm-parallel/wezterm-parallel/internal/monitor"
	"github.com/wezterm-parallel/wezterm-parallel/internal/topology"
	"github.com/wezterm-parallel/wezterm-parallel/internal/wezterm"
)

func TestNeighbour(t *testing.T) {
	// 1 | 2
	// --+--
	// 3 | 4     and a second tab below: 5
	tabs := []Tab{{Tiles: []Tile{
		{ID: 1, Left: 0, Top: 0, Cols: 80, Rows: 24}, {ID: 2, Left: 81, Top: 0, Cols: 79, Rows: 24, Focused: true},
		{ID: 3, Left: 0, Top: 25, Cols: 80, Rows: 23}, {ID: 4, Left: 81, Top: 25, Cols: 79, Rows: 23}}},
		{Tiles: []Tile{{ID: 5, Cols: 160, Rows: 48}}}}
	for _, tc := range []struct {
		name   string
		cur    wezterm.PaneID
		has    bool
		dx, dy int
		want   wezterm.PaneID
		ok     bool
	}{
		{"nothing selected: WezTerm's focused pane", 0, false, 1, 0, 2, true},
		{"right", 1, true, 1, 0, 2, true},
		{"down", 1, true, 0, 1, 3, true},
		{"down from the bottom row reaches the next tab", 3, true, 0, 1, 5, true},
		{"left from the right column", 4, true, -1, 0, 3, true},
		{"up from the top: nowhere", 2, true, 0, -1, 0, false},
		{"right from the right: nowhere", 2, true, 1, 0, 0, false},
	} {
		got, ok := Neighbour(tabs, tc.cur, tc.has, tc.dx, tc.dy)
		if got != tc.want || ok != tc.ok {
			t.Errorf("%s: %d %v, want %d %v", tc.name, got, ok, tc.want, tc.ok)
		}
	}
	if _, ok := Neighbour(nil, 0, false, 1, 0); ok {
		t.Error("an empty map has a neighbour")
	}
	if got, _ := Neighbour([]Tab{{Tiles: []Tile{{ID: 7}, {ID: 8, Left: 5}}}}, 0, false, 1, 0); got != 7 {
		t.Errorf("no focused pane: %d, want the first", got)
	}
}

func TestHeaderForAStalePicture(t *testing.T) {
	cpu := 37.0
	live := monitor.Snapshot{Status: monitor.Connected, Tree: topology.Tree{System: &topology.SystemUsage{CPUPercent: &cpu, MemUsedBytes: 6 << 30, MemTotalBytes: 16 << 30}}}
	gone := monitor.Snapshot{Status: monitor.NotRunning}
	h := HeaderFor(gone, live, time.Now(), 3*time.Second, 0)
	if h.CPU != "CPU  37%" || h.Reachable || h.Connection == "" {
		t.Errorf("stale: %+v", h)
	}
	if h := HeaderFor(gone, gone, time.Now(), 0, 0); h.CPU != "CPU    –" {
		t.Errorf("nothing known: %q", h.CPU)
	}
}

func TestGreyed(t *testing.T) {
	tb := Table{Rows: []Row{{Roles: [NumColumns]Role{RoleText, RoleWaiting}}}}
	for _, r := range tb.Greyed().Rows[0].Roles {
		if r != RoleStale {
			t.Errorf("role %v", r)
		}
	}
}
