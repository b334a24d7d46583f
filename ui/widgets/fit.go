package widgets

import "fyne.io/fyne/v2"

// Fit cuts s so that it is at most width wide when drawn at size in style,
// ending in "…" when cut: nothing the data says can widen a widget.
func Fit(s string, width, size float32, style fyne.TextStyle) string {
	if s == "" || width <= 0 {
		return ""
	}
	if fyne.MeasureText(s, size, style).Width <= width {
		return s
	}
	runes := []rune(s)
	lo, hi := 0, len(runes)
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if fyne.MeasureText(string(runes[:mid])+"…", size, style).Width <= width {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	if lo == 0 {
		if fyne.MeasureText("…", size, style).Width <= width {
			return "…"
		}
		return ""
	}
	return string(runes[:lo]) + "…"
}
