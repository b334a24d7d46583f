package widgets

import (
	"image"
	"image/color"
	"image/draw"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// Sparkline draws values (0..Max) as a small filled chart.
type Sparkline struct {
	widget.BaseWidget
	Values []float64
	Max    float64
	raster *canvas.Raster
}

// NewSparkline returns an empty sparkline scaled to max.
func NewSparkline(max float64) *Sparkline {
	s := &Sparkline{Max: max}
	s.ExtendBaseWidget(s)
	return s
}

// SetValues replaces the values and redraws.
func (s *Sparkline) SetValues(v []float64) {
	s.Values = v
	s.Refresh()
}

// CreateRenderer implements fyne.Widget.
func (s *Sparkline) CreateRenderer() fyne.WidgetRenderer {
	s.raster = canvas.NewRaster(s.draw)
	s.raster.ScaleMode = canvas.ImageScaleFastest
	return &sparkRenderer{s: s}
}

func (s *Sparkline) draw(w, h int) image.Image {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	n := len(s.Values)
	if n == 0 || w == 0 || h == 0 {
		return img
	}
	line := toNRGBA(theme.Color(theme.ColorNamePrimary))
	fill := line
	fill.A = 70
	max := s.Max
	for _, v := range s.Values {
		if v > max {
			max = v
		}
	}
	for x := 0; x < w; x++ {
		i := x * n / w
		v := s.Values[i] / max
		top := h - 1 - int(v*float64(h-1))
		draw.Draw(img, image.Rect(x, top, x+1, h), &image.Uniform{fill}, image.Point{}, draw.Src)
		img.SetNRGBA(x, top, line)
	}
	return img
}

func toNRGBA(c color.Color) color.NRGBA {
	return color.NRGBAModel.Convert(c).(color.NRGBA)
}

type sparkRenderer struct{ s *Sparkline }

func (r *sparkRenderer) Layout(size fyne.Size)        { r.s.raster.Resize(size) }
func (r *sparkRenderer) MinSize() fyne.Size           { return fyne.NewSize(40, 14) }
func (r *sparkRenderer) Refresh()                     { r.s.raster.Refresh() }
func (r *sparkRenderer) Objects() []fyne.CanvasObject { return []fyne.CanvasObject{r.s.raster} }
func (r *sparkRenderer) Destroy()                     {}
