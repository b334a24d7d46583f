package viewmodel

import (
	"math"
	"time"

	"github.com/wezterm-parallel/wezterm-parallel/internal/monitor"
	"github.com/wezterm-parallel/wezterm-parallel/internal/wezterm"
)

// Neighbour is the pane an arrow key moves to in the map: the nearest
// tile in direction (dx, dy) from the selected one, by the centres of the
// tiles (tabs stacked top to bottom). Without a selection (has false) it
// is WezTerm's focused pane, else the first; ok is false when there is
// nowhere to go.
func Neighbour(tabs []Tab, cur wezterm.PaneID, has bool, dx, dy int) (wezterm.PaneID, bool) {
	type spot struct {
		id     wezterm.PaneID
		cx, cy float64
	}
	var spots []spot
	at, focused := -1, -1
	for k, tab := range tabs {
		for _, t := range tab.Tiles {
			if has && t.ID == cur {
				at = len(spots)
			}
			if t.Focused && focused < 0 {
				focused = len(spots)
			}
			spots = append(spots, spot{t.ID, float64(t.Left) + float64(t.Cols)/2, float64(k*10000) + float64(t.Top) + float64(t.Rows)/2})
		}
	}
	switch {
	case len(spots) == 0:
		return 0, false
	case at < 0 && focused >= 0:
		return spots[focused].id, true
	case at < 0:
		return spots[0].id, true
	}
	c := spots[at]
	best, bestScore := -1, math.Inf(1)
	for i, s := range spots {
		ax, ay := s.cx-c.cx, s.cy-c.cy
		along, across := ax*float64(dx)+ay*float64(dy), math.Abs(ax*float64(dy))+math.Abs(ay*float64(dx))
		if i == at || along <= 0.5 {
			continue
		}
		if score := along + 2*across; score < bestScore {
			best, bestScore = i, score
		}
	}
	if best < 0 {
		return 0, false
	}
	return spots[best].id, true
}

// Greyed is the table of a picture that is no longer live: every cell in
// the stale colour.
func (t Table) Greyed() Table {
	for i := range t.Rows {
		for c := range t.Rows[i].Roles {
			t.Rows[i].Roles[c] = RoleStale
		}
	}
	return t
}

// HeaderFor is the header for the latest snapshot while the picture is
// drawn from shown (the same, or the last live one while WezTerm is
// away): the machine's numbers and today's spend stay those of the
// picture, the connection line says what is happening now.
func HeaderFor(latest, shown monitor.Snapshot, now time.Time, retryIn time.Duration, dailyBudget float64) Header {
	h := HeaderOf(latest, now, retryIn)
	if latest.Tree.System == nil && shown.Tree.System != nil {
		p := HeaderOf(shown, now, 0)
		h.CPU, h.Mem = p.CPU, p.Mem
	}
	h.Today, h.TodayRole = TodayOf(shown.Tree.SpendToday, dailyBudget)
	return h
}
