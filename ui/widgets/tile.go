package widgets

import (
	"fmt"
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/wezterm-parallel/wezterm-parallel/internal/metrics"
)

// Tile is one pane: title, program, cwd, CPU and memory with a sparkline,
// a colour that warms with CPU load.
type Tile struct {
	widget.BaseWidget
	View PaneView
	// OnTap is called with the modifiers held (Ctrl/Shift: multi-select).
	OnTap func(v PaneView, mods fyne.KeyModifier)
	// OnMenu is called on a secondary tap at an absolute position.
	OnMenu func(v PaneView, at fyne.Position)

	mods fyne.KeyModifier
}

// NewTile returns a tile for v.
func NewTile(v PaneView) *Tile {
	t := &Tile{View: v}
	t.ExtendBaseWidget(t)
	return t
}

// Update shows v.
func (t *Tile) Update(v PaneView) {
	t.View = v
	t.Refresh()
}

// MouseDown records modifiers for the tap that follows.
func (t *Tile) MouseDown(e *desktop.MouseEvent) { t.mods = e.Modifier }

// MouseUp implements desktop.Mouseable.
func (t *Tile) MouseUp(*desktop.MouseEvent) {}

// Tapped implements fyne.Tappable.
func (t *Tile) Tapped(*fyne.PointEvent) {
	mods := t.mods
	t.mods = 0
	if t.OnTap != nil {
		t.OnTap(t.View, mods)
	}
}

// TappedSecondary implements fyne.SecondaryTappable.
func (t *Tile) TappedSecondary(e *fyne.PointEvent) {
	if t.OnMenu != nil {
		t.OnMenu(t.View, e.AbsolutePosition)
	}
}

// CreateRenderer implements fyne.Widget.
func (t *Tile) CreateRenderer() fyne.WidgetRenderer {
	r := &tileRenderer{t: t,
		bg:     canvas.NewRectangle(color.Transparent),
		border: canvas.NewRectangle(color.Transparent),
		title:  canvas.NewText("", theme.Color(theme.ColorNameForeground)),
		prog:   canvas.NewText("", theme.Color(theme.ColorNameForeground)),
		cwd:    canvas.NewText("", theme.Color(theme.ColorNamePlaceHolder)),
		usage:  canvas.NewText("", theme.Color(theme.ColorNameForeground)),
		badge:  canvas.NewText("", theme.Color(theme.ColorNamePrimary)),
		spark:  NewSparkline(100),
	}
	r.title.TextStyle = fyne.TextStyle{Bold: true}
	r.usage.TextStyle = fyne.TextStyle{Monospace: true}
	r.border.StrokeWidth = 1
	r.bg.CornerRadius = theme.Size(theme.SizeNameInputRadius)
	r.border.CornerRadius = r.bg.CornerRadius
	r.Refresh()
	return r
}

type tileRenderer struct {
	t                              *Tile
	bg, border                     *canvas.Rectangle
	title, prog, cwd, usage, badge *canvas.Text
	spark                          *Sparkline
}

// heat blends the background towards orange and red as CPU rises
// (100 % = one core).
func heat(cpu *float64) color.Color {
	base := toNRGBA(theme.Color(theme.ColorNameInputBackground))
	if cpu == nil || *cpu < 1 {
		return base
	}
	f := min(*cpu/100, 1)
	hot := color.NRGBA{R: 0xe0, G: 0x60, B: 0x20, A: 0xff}
	if f > 0.7 {
		hot = color.NRGBA{R: 0xd0, G: 0x30, B: 0x30, A: 0xff}
	}
	mix := func(a, b uint8) uint8 { return uint8(float64(a)*(1-f*0.6) + float64(b)*f*0.6) }
	return color.NRGBA{R: mix(base.R, hot.R), G: mix(base.G, hot.G), B: mix(base.B, hot.B), A: 0xff}
}

func (r *tileRenderer) Refresh() {
	v := r.t.View
	r.bg.FillColor = heat(v.CPU)
	switch {
	case v.Selected:
		r.border.StrokeColor, r.border.StrokeWidth = theme.Color(theme.ColorNamePrimary), 3
	case v.Focused || v.Active:
		r.border.StrokeColor, r.border.StrokeWidth = theme.Color(theme.ColorNamePrimary), 1.5
	default:
		r.border.StrokeColor, r.border.StrokeWidth = theme.Color(theme.ColorNameSeparator), 1
	}
	r.title.Text = v.Title
	r.title.Color = theme.Color(theme.ColorNameForeground)
	r.prog.Text = v.Foreground
	r.prog.Color = theme.Color(theme.ColorNameForeground)
	r.cwd.Text = v.CWD
	r.cwd.Color = theme.Color(theme.ColorNamePlaceHolder)
	r.usage.Text = usageLine(v)
	if v.Thumbnail {
		r.usage.Text = ""
	}
	r.usage.Color = theme.Color(theme.ColorNameForeground)
	badge := ""
	if v.Focused {
		badge = "●"
	}
	if v.Zoomed {
		badge += " ⤢ zoomed"
	}
	if v.Status != "" {
		badge += " " + v.Status
	}
	r.badge.Text = badge
	r.badge.Color = theme.Color(theme.ColorNamePrimary)
	if v.Waiting {
		r.badge.Color = theme.Color(theme.ColorNameError)
		r.border.StrokeColor, r.border.StrokeWidth = theme.Color(theme.ColorNameError), 2
	}
	r.spark.SetValues(v.History)
	for _, o := range r.Objects() {
		o.Refresh()
	}
}

func usageLine(v PaneView) string {
	cpu, mem := "  -  ", "-"
	if v.CPU != nil {
		cpu = fmt.Sprintf("%5.1f%%", *v.CPU)
	}
	if v.RSS != nil {
		mem = HumanBytes(*v.RSS)
	}
	return cpu + "  " + mem
}

// HumanBytes prints a byte count with a binary unit.
func HumanBytes(n uint64) string { return metrics.HumanBytes(n) }

func (r *tileRenderer) Layout(size fyne.Size) {
	r.bg.Resize(size)
	r.border.Resize(size)
	pad := theme.Size(theme.SizeNamePadding)
	lineH := r.title.MinSize().Height
	y := pad
	place := func(o fyne.CanvasObject, h float32) {
		if y+h > size.Height-pad {
			o.Hide()
			return
		}
		o.Show()
		o.Move(fyne.NewPos(pad, y))
		o.Resize(fyne.NewSize(size.Width-2*pad, h))
		y += h
	}
	place(r.title, lineH)
	place(r.prog, lineH)
	place(r.cwd, lineH)
	place(r.usage, lineH)
	if rest := size.Height - pad - y; rest >= 12 && !r.t.View.Thumbnail {
		place(r.spark, min(rest, 40))
	} else {
		r.spark.Hide()
	}
	bw := r.badge.MinSize().Width
	r.badge.Move(fyne.NewPos(size.Width-bw-pad, pad))
	r.badge.Resize(r.badge.MinSize())
}

func (r *tileRenderer) MinSize() fyne.Size { return fyne.NewSize(60, 30) }

func (r *tileRenderer) Objects() []fyne.CanvasObject {
	return []fyne.CanvasObject{r.bg, r.border, r.title, r.prog, r.cwd, r.usage, r.spark, r.badge}
}

func (r *tileRenderer) Destroy() {}
