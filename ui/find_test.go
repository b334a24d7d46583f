package ui

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
)

// walk visits root and what is under it (widgets are opened through their
// renderers), depth first; visit returns false to skip what is under o.
func walk(t *testing.T, root fyne.CanvasObject, visit func(o fyne.CanvasObject) bool) {
	if root == nil || !visit(root) {
		return
	}
	switch c := root.(type) {
	case *fyne.Container:
		for _, x := range c.Objects {
			walk(t, x, visit)
		}
	case fyne.Widget:
		for _, x := range test.TempWidgetRenderer(t, c).Objects() {
			walk(t, x, visit)
		}
	}
}

// find returns the first object of type T under root for which ok holds;
// the zero T when none does.
func find[T fyne.CanvasObject](t *testing.T, root fyne.CanvasObject, ok func(T) bool) T {
	t.Helper()
	var found T
	done := false
	walk(t, root, func(o fyne.CanvasObject) bool {
		if x, is := o.(T); !done && is && ok(x) {
			found, done = x, true
		}
		return !done
	})
	return found
}
