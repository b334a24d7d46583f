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

// FitFirst returns the first of candidates that fits width at size, and
// size; when none does, the last candidate at the largest size down to
// minSize that fits (numbers stay whole: a smaller digit beats a cut one),
// else the last cut with Fit.
func FitFirst(candidates []string, width, size, minSize float32, style fyne.TextStyle) (string, float32) {
	for _, c := range candidates {
		if fyne.MeasureText(c, size, style).Width <= width {
			return c, size
		}
	}
	last := candidates[len(candidates)-1]
	for s := size - 0.5; s >= minSize; s -= 0.5 {
		if fyne.MeasureText(last, s, style).Width <= width {
			return last, s
		}
	}
	return Fit(last, width, minSize, style), minSize
}
