package ui

import (
	"math"

	"github.com/wezterm-parallel/wezterm-parallel/internal/wezterm"
)

// move selects the pane next to the selected one in a direction (arrow
// keys), in the map by geometry, in the table by row; without a selection
// it starts at WezTerm's focused pane, else the first.
func (w *Window) move(dx, dy int) {
	if w.centre.Objects[0] == w.table.table {
		w.moveRow(dy)
		return
	}
	type spot struct {
		id     wezterm.PaneID
		cx, cy float64
	}
	var spots []spot
	for k, tab := range w.mapv.tabs {
		for _, t := range tab.Tiles {
			spots = append(spots, spot{t.ID, float64(t.Left) + float64(t.Cols)/2, float64(k*10000) + float64(t.Top) + float64(t.Rows)/2})
		}
	}
	if len(spots) == 0 {
		return
	}
	cur := -1
	for i, s := range spots {
		if w.sel.HasDetail && s.id == w.sel.Detail {
			cur = i
		}
	}
	if cur < 0 {
		pick := spots[0].id
		for _, tab := range w.mapv.tabs {
			for _, t := range tab.Tiles {
				if t.Focused {
					pick = t.ID
				}
			}
		}
		w.selectPane(pick, 0)
		return
	}
	c := spots[cur]
	best, bestScore := -1, math.Inf(1)
	for i, s := range spots {
		ax, ay := s.cx-c.cx, s.cy-c.cy
		along, across := ax*float64(dx)+ay*float64(dy), math.Abs(ax*float64(dy))+math.Abs(ay*float64(dx))
		if i == cur || along <= 0.5 {
			continue
		}
		if score := along + 2*across; score < bestScore {
			best, bestScore = i, score
		}
	}
	if best >= 0 {
		w.selectPane(spots[best].id, 0)
	}
}

func (w *Window) moveRow(dy int) {
	if dy == 0 {
		return
	}
	if id, ok := w.table.neighbour(dy); ok {
		w.selectPane(id, 0)
	}
}
