package widgets

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"github.com/wezterm-parallel/wezterm-parallel/internal/viewmodel"
	"github.com/wezterm-parallel/wezterm-parallel/internal/wezterm"
)

// PaneGrid draws one tab's panes from their cell geometry, filling the
// space it is given (KeepAspect keeps the tab's shape instead, centred).
// Tiles are kept by pane id across updates, so a tick refreshes only the
// tiles whose model changed.
type PaneGrid struct {
	widget.BaseWidget
	Tab        viewmodel.Tab
	KeepAspect bool
	OnTap      func(m viewmodel.Tile, mods fyne.KeyModifier)
	OnMenu     func(m viewmodel.Tile, at fyne.Position)
	OnHover    func(m viewmodel.Tile, at fyne.Position, in bool)
	OnMove     func(at fyne.Position)

	tiles map[wezterm.PaneID]*Tile
	order []*Tile
}

// NewPaneGrid returns a grid for tab.
func NewPaneGrid(tab viewmodel.Tab) *PaneGrid {
	g := &PaneGrid{tiles: map[wezterm.PaneID]*Tile{}}
	g.ExtendBaseWidget(g)
	g.setTab(tab)
	return g
}

// Update shows tab, reusing tiles; the layout is redone only when the
// panes or their geometry changed.
func (g *PaneGrid) Update(tab viewmodel.Tab) {
	if g.setTab(tab) {
		g.Refresh()
	}
}

// setTab reports whether the set of tiles or their geometry changed.
func (g *PaneGrid) setTab(tab viewmodel.Tab) bool {
	changed := tab.Cols != g.Tab.Cols || tab.Rows != g.Tab.Rows || len(tab.Tiles) != len(g.order)
	g.Tab = tab
	keep := map[wezterm.PaneID]bool{}
	g.order = g.order[:0]
	for _, m := range tab.Tiles {
		keep[m.ID] = true
		t, ok := g.tiles[m.ID]
		if !ok {
			changed = true
			t = NewTile(m)
			t.OnTap = func(m viewmodel.Tile, mods fyne.KeyModifier) {
				if g.OnTap != nil {
					g.OnTap(m, mods)
				}
			}
			t.OnMenu = func(m viewmodel.Tile, at fyne.Position) {
				if g.OnMenu != nil {
					g.OnMenu(m, at)
				}
			}
			t.OnMove = func(at fyne.Position) {
				if g.OnMove != nil {
					g.OnMove(at)
				}
			}
			t.OnHover = func(m viewmodel.Tile, at fyne.Position, in bool) {
				if g.OnHover != nil {
					g.OnHover(m, at, in)
				}
			}
			g.tiles[m.ID] = t
		} else {
			old := t.Model
			changed = changed || old.Left != m.Left || old.Top != m.Top || old.Cols != m.Cols || old.Rows != m.Rows || old.Zoomed != m.Zoomed
			t.Update(m)
		}
		g.order = append(g.order, t)
	}
	for id := range g.tiles {
		if !keep[id] {
			delete(g.tiles, id)
			changed = true
		}
	}
	return changed
}

// Tile returns the tile of a pane (tests tap it).
func (g *PaneGrid) Tile(id wezterm.PaneID) *Tile { return g.tiles[id] }

// CreateRenderer implements fyne.Widget.
func (g *PaneGrid) CreateRenderer() fyne.WidgetRenderer { return &gridRenderer{g: g} }

type gridRenderer struct {
	g       *PaneGrid
	objects []fyne.CanvasObject
}

func (r *gridRenderer) Layout(size fyne.Size) {
	tab := r.g.Tab
	cols, rows := float32(max(tab.Cols, 1)), float32(max(tab.Rows, 1))
	area, off := size, fyne.Position{}
	if r.g.KeepAspect {
		// A cell is about twice as tall as it is wide.
		want := size.Width * rows * 2 / cols
		if want > size.Height {
			area.Width = size.Height * cols / (rows * 2)
			off.X = (size.Width - area.Width) / 2
		} else {
			area.Height = want
		}
	}
	zoomed := false
	for _, t := range r.g.order {
		zoomed = zoomed || t.Model.Zoomed
	}
	gap := float32(3)
	for _, t := range r.g.order {
		m := t.Model
		if zoomed && !m.Zoomed {
			t.Hide() // a zoomed pane fills the tab, as in WezTerm
			continue
		}
		t.Show()
		x, y, w, h := float32(m.Left), float32(m.Top), float32(m.Cols), float32(m.Rows)
		if m.Zoomed {
			x, y, w, h = 0, 0, cols, rows
		}
		// Panes are separated by one cell in WezTerm: stretch each to its
		// neighbour's edge so the gaps stay even.
		if m.Left+m.Cols+1 >= tab.Cols {
			w = cols - x
		} else {
			w++
		}
		if m.Top+m.Rows+1 >= tab.Rows {
			h = rows - y
		} else {
			h++
		}
		t.Move(fyne.NewPos(off.X+x/cols*area.Width+gap/2, off.Y+y/rows*area.Height+gap/2))
		t.Resize(fyne.NewSize(w/cols*area.Width-gap, h/rows*area.Height-gap))
	}
}

// MinSize is small: the container decides the grid's size and the tiles
// follow it; the data never grows the window.
func (r *gridRenderer) MinSize() fyne.Size { return fyne.NewSize(120, 60) }

func (r *gridRenderer) Refresh() {
	r.objects = r.objects[:0]
	for _, t := range r.g.order {
		r.objects = append(r.objects, t)
	}
	r.Layout(r.g.Size())
}

func (r *gridRenderer) Objects() []fyne.CanvasObject {
	if len(r.objects) != len(r.g.order) {
		r.objects = r.objects[:0]
		for _, t := range r.g.order {
			r.objects = append(r.objects, t)
		}
	}
	return r.objects
}

func (r *gridRenderer) Destroy() {}
