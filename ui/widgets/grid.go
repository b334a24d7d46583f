package widgets

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"github.com/wezterm-parallel/wezterm-parallel/internal/wezterm"
)

// PaneGrid draws one tab's panes to scale from their cell geometry. Tiles
// are kept by pane id across updates, so a tick refreshes them instead of
// rebuilding them.
type PaneGrid struct {
	widget.BaseWidget
	Tab    TabView
	OnTap  func(v PaneView, mods fyne.KeyModifier)
	OnMenu func(v PaneView, at fyne.Position)

	tiles map[wezterm.PaneID]*Tile
	order []*Tile
}

// NewPaneGrid returns a grid for tab.
func NewPaneGrid(tab TabView) *PaneGrid {
	g := &PaneGrid{tiles: map[wezterm.PaneID]*Tile{}}
	g.ExtendBaseWidget(g)
	g.setTab(tab)
	return g
}

// Update shows tab, reusing tiles.
func (g *PaneGrid) Update(tab TabView) {
	g.setTab(tab)
	g.Refresh()
}

func (g *PaneGrid) setTab(tab TabView) {
	g.Tab = tab
	keep := map[wezterm.PaneID]bool{}
	g.order = g.order[:0]
	for _, v := range tab.Panes {
		keep[v.ID] = true
		t, ok := g.tiles[v.ID]
		if !ok {
			t = NewTile(v)
			t.OnTap = func(v PaneView, m fyne.KeyModifier) {
				if g.OnTap != nil {
					g.OnTap(v, m)
				}
			}
			t.OnMenu = func(v PaneView, at fyne.Position) {
				if g.OnMenu != nil {
					g.OnMenu(v, at)
				}
			}
			g.tiles[v.ID] = t
		} else {
			t.Update(v)
		}
		g.order = append(g.order, t)
	}
	for id := range g.tiles {
		if !keep[id] {
			delete(g.tiles, id)
		}
	}
}

// Tile returns the tile of a pane (tests tap it).
func (g *PaneGrid) Tile(id wezterm.PaneID) *Tile { return g.tiles[id] }

// CreateRenderer implements fyne.Widget.
func (g *PaneGrid) CreateRenderer() fyne.WidgetRenderer { return &gridRenderer{g: g} }

type gridRenderer struct{ g *PaneGrid }

func (r *gridRenderer) Layout(size fyne.Size) {
	tab := r.g.Tab
	cols, rows := float32(max(tab.Cols, 1)), float32(max(tab.Rows, 1))
	zoomed := false
	for _, v := range tab.Panes {
		zoomed = zoomed || v.Zoomed
	}
	gap := float32(2)
	for _, t := range r.g.order {
		v := t.View
		if zoomed && !v.Zoomed {
			t.Hide() // a zoomed pane fills the tab, as in WezTerm
			continue
		}
		t.Show()
		x, y, w, h := float32(v.Left), float32(v.Top), float32(v.Cols), float32(v.Rows)
		if v.Zoomed {
			x, y, w, h = 0, 0, cols, rows
		}
		t.Move(fyne.NewPos(x/cols*size.Width+gap/2, y/rows*size.Height+gap/2))
		t.Resize(fyne.NewSize(w/cols*size.Width-gap, h/rows*size.Height-gap))
	}
}

// MinSize is small: the container decides the grid's size and the tiles
// scale with it.
func (r *gridRenderer) MinSize() fyne.Size { return fyne.NewSize(120, 80) }

func (r *gridRenderer) Refresh() {
	r.Layout(r.g.Size())
	for _, t := range r.g.order {
		t.Refresh()
	}
}

func (r *gridRenderer) Objects() []fyne.CanvasObject {
	out := make([]fyne.CanvasObject, len(r.g.order))
	for i, t := range r.g.order {
		out[i] = t
	}
	return out
}

func (r *gridRenderer) Destroy() {}
