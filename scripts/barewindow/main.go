// Command barewindow is a bare Fyne window (one label), the baseline that
// scripts/idle-cost.sh compares the app's idle cost with.
package main

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/widget"
)

func main() {
	a := app.NewWithID("io.github.wezterm_parallel.barewindow")
	w := a.NewWindow("bare fyne window")
	w.SetContent(widget.NewLabel("a bare Fyne window"))
	w.Resize(fyne.NewSize(1280, 800))
	w.ShowAndRun()
}
