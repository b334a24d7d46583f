package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// panels lays out a left panel, the centre and a right panel side by side.
// The side panels have fixed widths in pixels that only the user changes
// (by dragging the dividers; the widths are remembered): what the panels
// show never moves the layout, and their content's minimum width is
// ignored (it ellipsizes instead).
type panels struct {
	widget.BaseWidget
	left, centre, right fyne.CanvasObject
	leftW, rightW       float32
	onResized           func(left, right float32)
	dl, dr              *divider
}

const (
	minSide    = 160
	minCentre  = 240
	dividerGap = 6
)

func newPanels(left, centre, right fyne.CanvasObject, leftW, rightW float32, onResized func(l, r float32)) *panels {
	p := &panels{left: left, centre: centre, right: right, leftW: leftW, rightW: rightW, onResized: onResized}
	p.dl = newDivider(func(dx float32) { p.drag(dx, 0) }, p.dragEnd)
	p.dr = newDivider(func(dx float32) { p.drag(0, -dx) }, p.dragEnd)
	p.ExtendBaseWidget(p)
	return p
}

func (p *panels) drag(dl, dr float32) {
	size := p.Size()
	p.leftW = clamp(p.leftW+dl, minSide, size.Width/2)
	p.rightW = clamp(p.rightW+dr, minSide, size.Width/2)
	p.Refresh()
}

func (p *panels) dragEnd() {
	if p.onResized != nil {
		p.onResized(p.leftW, p.rightW)
	}
}

func clamp(v, lo, hi float32) float32 { return max(lo, min(v, max(lo, hi))) }

func (p *panels) CreateRenderer() fyne.WidgetRenderer { return &panelsRenderer{p: p} }

type panelsRenderer struct{ p *panels }

func (r *panelsRenderer) Layout(size fyne.Size) {
	p := r.p
	lw, rw := p.leftW, p.rightW
	// In a narrow window the side panels give way (down to minSide) so the
	// centre keeps at least half: the window's size, not the data, decides.
	if room := size.Width / 2; lw+rw > room {
		f := room / (lw + rw)
		lw, rw = max(minSide, lw*f), max(minSide, rw*f)
	}
	p.left.Move(fyne.NewPos(0, 0))
	p.left.Resize(fyne.NewSize(lw, size.Height))
	p.dl.Move(fyne.NewPos(lw, 0))
	p.dl.Resize(fyne.NewSize(dividerGap, size.Height))
	cx := lw + dividerGap
	cw := size.Width - cx - rw - dividerGap
	p.dr.Move(fyne.NewPos(cx+cw, 0))
	p.dr.Resize(fyne.NewSize(dividerGap, size.Height))
	p.right.Move(fyne.NewPos(cx+cw+dividerGap, 0))
	p.right.Resize(fyne.NewSize(rw, size.Height))
	p.centre.Move(fyne.NewPos(cx, 0))
	p.centre.Resize(fyne.NewSize(cw, size.Height))
}

// MinSize is fixed: the panels' content never sets the window's size.
func (r *panelsRenderer) MinSize() fyne.Size {
	return fyne.NewSize(2*minSide+minCentre+2*dividerGap, 240)
}

func (r *panelsRenderer) Refresh() { r.Layout(r.p.Size()) }

func (r *panelsRenderer) Objects() []fyne.CanvasObject {
	return []fyne.CanvasObject{r.p.left, r.p.centre, r.p.right, r.p.dl, r.p.dr}
}

func (r *panelsRenderer) Destroy() {}

// divider is a draggable strip between panels.
type divider struct {
	widget.BaseWidget
	onDrag func(dx float32)
	onEnd  func()
	line   *canvas.Rectangle
}

func newDivider(onDrag func(float32), onEnd func()) *divider {
	d := &divider{onDrag: onDrag, onEnd: onEnd, line: canvas.NewRectangle(theme.Color(theme.ColorNameSeparator))}
	d.ExtendBaseWidget(d)
	return d
}

func (d *divider) Dragged(e *fyne.DragEvent) { d.onDrag(e.Dragged.DX) }
func (d *divider) DragEnd()                  { d.onEnd() }

// Cursor implements desktop.Cursorable.
func (d *divider) Cursor() desktop.Cursor { return desktop.HResizeCursor }

func (d *divider) CreateRenderer() fyne.WidgetRenderer { return &dividerRenderer{d: d} }

type dividerRenderer struct{ d *divider }

func (r *dividerRenderer) Layout(size fyne.Size) {
	r.d.line.FillColor = theme.Color(theme.ColorNameSeparator)
	r.d.line.Move(fyne.NewPos(size.Width/2-0.5, 0))
	r.d.line.Resize(fyne.NewSize(1, size.Height))
}
func (r *dividerRenderer) MinSize() fyne.Size           { return fyne.NewSize(dividerGap, 10) }
func (r *dividerRenderer) Refresh()                     { r.Layout(r.d.Size()); r.d.line.Refresh() }
func (r *dividerRenderer) Objects() []fyne.CanvasObject { return []fyne.CanvasObject{r.d.line} }
func (r *dividerRenderer) Destroy()                     {}

// flowLayout places its objects left to right at their minimum size and
// wraps onto a new row when the next does not fit: buttons in a narrow
// panel stack instead of running past its edge. Its minimum width is the
// widest object's; its height is that of the rows at the width it was last
// laid out in (Fyne asks the minimum before it lays out).
type flowLayout struct{ width float32 }

func (l *flowLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	l.width = size.Width
	l.place(objs, size.Width, true)
}

// place lays the rows out (or only measures them) and returns their height.
func (l *flowLayout) place(objs []fyne.CanvasObject, width float32, move bool) float32 {
	pad := theme.Padding()
	x, y, rowH := float32(0), float32(0), float32(0)
	for _, o := range objs {
		if !o.Visible() {
			continue
		}
		m := o.MinSize()
		if x > 0 && x+m.Width > width {
			x, y, rowH = 0, y+rowH+pad, 0
		}
		if move {
			o.Move(fyne.NewPos(x, y))
			o.Resize(m)
		}
		x += m.Width + pad
		rowH = max(rowH, m.Height)
	}
	return y + rowH
}

func (l *flowLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var w float32
	for _, o := range objs {
		if o.Visible() {
			w = max(w, o.MinSize().Width)
		}
	}
	width := l.width
	if width <= 0 {
		width = 1 << 20 // not laid out yet: one row
	}
	return fyne.NewSize(w, l.place(objs, max(width, w), false))
}
