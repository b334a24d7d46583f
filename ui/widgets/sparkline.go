package widgets

import (
	"image"
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// sparkHeight is the chart's vertical resolution in pixels: the image is
// one pixel per sample wide and this tall, and the GPU stretches it to the
// widget's size. Redrawing a small image each tick costs a fraction of
// drawing the widget's full size in Go.
const sparkHeight = 40

// Sparkline draws values (0..Max) as a small filled chart.
type Sparkline struct {
	widget.BaseWidget
	Values []float64
	Max    float64
	// Color is the line's colour (nil: the theme's primary).
	Color color.Color
	img   *canvas.Image
}

// NewSparkline returns an empty sparkline scaled to max.
func NewSparkline(max float64) *Sparkline {
	s := &Sparkline{Max: max}
	s.ExtendBaseWidget(s)
	return s
}

// SetValues replaces the values and redraws when they changed.
func (s *Sparkline) SetValues(v []float64) {
	if equalFloats(s.Values, v) {
		return
	}
	s.Values = v
	s.Refresh()
}

// SetColor sets the line's colour.
func (s *Sparkline) SetColor(c color.Color) {
	if s.Color == c {
		return
	}
	s.Color = c
	s.Refresh()
}

func equalFloats(a, b []float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// CreateRenderer implements fyne.Widget.
func (s *Sparkline) CreateRenderer() fyne.WidgetRenderer {
	s.img = canvas.NewImageFromImage(s.draw())
	s.img.FillMode = canvas.ImageFillStretch
	s.img.ScaleMode = canvas.ImageScaleFastest
	return &sparkRenderer{s: s}
}

// draw renders the values one pixel per sample.
func (s *Sparkline) draw() image.Image {
	n := max(len(s.Values), 1)
	img := image.NewNRGBA(image.Rect(0, 0, n, sparkHeight))
	if len(s.Values) == 0 {
		return img
	}
	c := s.Color
	if c == nil {
		c = theme.Color(theme.ColorNamePrimary)
	}
	// An area in one colour: stretched by the GPU, a separate line colour
	// would turn into blocks.
	fill := toNRGBA(c)
	fill.A = 110
	top := s.Max
	for _, v := range s.Values {
		top = max(top, v)
	}
	for x, v := range s.Values {
		y := sparkHeight - 1 - int(v/top*float64(sparkHeight-1))
		for yy := y; yy < sparkHeight; yy++ {
			img.SetNRGBA(x, yy, fill)
		}
	}
	return img
}

func toNRGBA(c color.Color) color.NRGBA {
	return color.NRGBAModel.Convert(c).(color.NRGBA)
}

type sparkRenderer struct{ s *Sparkline }

func (r *sparkRenderer) Layout(size fyne.Size) { r.s.img.Resize(size) }
func (r *sparkRenderer) MinSize() fyne.Size    { return fyne.NewSize(40, 14) }
func (r *sparkRenderer) Refresh() {
	if !r.s.Visible() {
		return
	}
	r.s.img.Image = r.s.draw()
	r.s.img.Refresh()
}
func (r *sparkRenderer) Objects() []fyne.CanvasObject { return []fyne.CanvasObject{r.s.img} }
func (r *sparkRenderer) Destroy()                     {}
