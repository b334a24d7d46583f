package ui

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
)

// find returns the first object of type T under root (widgets are opened
// through their renderers) for which ok holds; the zero T when none does.
func find[T fyne.CanvasObject](t *testing.T, root fyne.CanvasObject, ok func(T) bool) T {
	t.Helper()
	var found T
	done := false
	var walk func(o fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		if done || o == nil {
			return
		}
		if x, is := o.(T); is && ok(x) {
			found, done = x, true
			return
		}
		switch c := o.(type) {
		case *fyne.Container:
			for _, x := range c.Objects {
				walk(x)
			}
		case fyne.Widget:
			for _, x := range test.TempWidgetRenderer(t, c).Objects() {
				walk(x)
			}
		}
	}
	walk(root)
	return found
}
