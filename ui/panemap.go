package ui

import (
	"slices"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/wezterm-parallel/wezterm-parallel/internal/viewmodel"
	"github.com/wezterm-parallel/wezterm-parallel/internal/wezterm"
	"github.com/wezterm-parallel/wezterm-parallel/ui/widgets"
)

// mapView draws the shown workspace's tabs, each to scale: one tab fills
// the space; several share it down to a minimum height, then scroll.
type mapView struct {
	widget.BaseWidget
	tips   *tips
	onTap  func(id wezterm.PaneID, mods fyne.KeyModifier)
	onMenu func(id wezterm.PaneID, at fyne.Position)
	stack  *tabStack
	scroll *container.Scroll
	grids  map[wezterm.TabID]*widgets.PaneGrid
	labels map[wezterm.TabID]*widget.Label
	order  []wezterm.TabID
	tabs   []viewmodel.Tab // as last rendered (keyboard navigation)
}

// newMapView: onTap gets a click on a tile (with Ctrl/Shift), onMenu a
// right-click; hovering shows the tile's tooltip.
func newMapView(tt *tips, onTap func(wezterm.PaneID, fyne.KeyModifier), onMenu func(wezterm.PaneID, fyne.Position)) *mapView {
	m := &mapView{tips: tt, onTap: onTap, onMenu: onMenu, grids: map[wezterm.TabID]*widgets.PaneGrid{}, labels: map[wezterm.TabID]*widget.Label{}}
	m.stack = &tabStack{}
	m.stack.ExtendBaseWidget(m.stack)
	m.scroll = container.NewVScroll(m.stack)
	m.ExtendBaseWidget(m)
	return m
}

// render shows tabs, reusing grids; a tick that changes nothing draws
// nothing (the tiles compare their models).
func (m *mapView) render(tabs []viewmodel.Tab, keepAspect bool) {
	m.tabs = tabs
	var order []wezterm.TabID
	seen := map[wezterm.TabID]bool{}
	for _, t := range tabs {
		order = append(order, t.ID)
		seen[t.ID] = true
		if g, ok := m.grids[t.ID]; ok {
			if g.KeepAspect != keepAspect {
				g.KeepAspect = keepAspect
				g.Refresh()
			}
			g.Update(t)
			if l := m.labels[t.ID]; l.Text != t.Label {
				l.SetText(t.Label)
			}
			continue
		}
		g := widgets.NewPaneGrid(t)
		g.KeepAspect = keepAspect
		g.OnTap = func(t viewmodel.Tile, mods fyne.KeyModifier) { m.tips.hide(); m.onTap(t.ID, mods) }
		g.OnMenu = func(t viewmodel.Tile, at fyne.Position) { m.tips.hide(); m.onMenu(t.ID, at) }
		g.OnHover = m.hover
		g.OnMove = m.tips.move
		m.grids[t.ID] = g
		l := widget.NewLabel(t.Label)
		l.Truncation = fyne.TextTruncateEllipsis
		m.labels[t.ID] = l
	}
	for id := range m.grids {
		if !seen[id] {
			delete(m.grids, id)
			delete(m.labels, id)
		}
	}
	if !slices.Equal(order, m.order) {
		m.order = order
		var objs []fyne.CanvasObject
		for _, id := range order {
			objs = append(objs, m.labels[id], m.grids[id])
		}
		m.stack.objs = objs
		m.stack.Refresh()
		m.scroll.Refresh()
	}
}

// hover shows a tile's tooltip where the pointer rests.
func (m *mapView) hover(t viewmodel.Tile, at fyne.Position, in bool) {
	if !in {
		m.tips.hide()
		return
	}
	m.tips.show(viewmodel.TileTip(t), at)
}

func (m *mapView) CreateRenderer() fyne.WidgetRenderer { return &mapRenderer{m: m} }

type mapRenderer struct{ m *mapView }

func (r *mapRenderer) Layout(size fyne.Size) {
	r.m.stack.viewport = size.Height
	r.m.scroll.Resize(size)
	r.m.scroll.Move(fyne.NewPos(0, 0))
}
func (r *mapRenderer) MinSize() fyne.Size { return fyne.NewSize(120, 80) }
func (r *mapRenderer) Refresh()           { r.Layout(r.m.Size()) }
func (r *mapRenderer) Objects() []fyne.CanvasObject {
	return []fyne.CanvasObject{r.m.scroll}
}
func (r *mapRenderer) Destroy() {}

// tabStack lays out label, grid, label, grid…: grids share the viewport's
// height, each at least minTabHeight.
type tabStack struct {
	widget.BaseWidget
	objs     []fyne.CanvasObject
	viewport float32
}

const minTabHeight = 220

func (s *tabStack) heights() (label, grid float32) {
	n := len(s.objs) / 2
	if n == 0 {
		return 0, 0
	}
	label = s.objs[0].MinSize().Height
	grid = (s.viewport - float32(n)*label) / float32(n)
	return label, max(grid, minTabHeight)
}

func (s *tabStack) CreateRenderer() fyne.WidgetRenderer { return &stackRenderer{s: s} }

type stackRenderer struct{ s *tabStack }

func (r *stackRenderer) Layout(size fyne.Size) {
	lh, gh := r.s.heights()
	y := float32(0)
	for i, o := range r.s.objs {
		h := gh
		if i%2 == 0 {
			h = lh
		}
		o.Move(fyne.NewPos(0, y))
		o.Resize(fyne.NewSize(size.Width, h))
		y += h
	}
}

func (r *stackRenderer) MinSize() fyne.Size {
	lh, gh := r.s.heights()
	n := float32(len(r.s.objs) / 2)
	return fyne.NewSize(100, n*(lh+gh))
}

func (r *stackRenderer) Refresh()                     { r.Layout(r.s.Size()) }
func (r *stackRenderer) Objects() []fyne.CanvasObject { return r.s.objs }
func (r *stackRenderer) Destroy()                     {}
