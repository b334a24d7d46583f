// Command barewindow is a bare Fyne window (one label updated once a
// second), the baseline that scripts/idle-cost.sh and the first-frame
// measurement compare the app with.
package main

import (
	"fmt"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/widget"
)

func main() {
	a := app.NewWithID("io.github.wezterm_parallel.barewindow")
	w := a.NewWindow("bare fyne window")
	l := widget.NewLabel("a bare Fyne window")
	w.SetContent(l)
	w.Resize(fyne.NewSize(1280, 800))
	go func() {
		for t := range time.Tick(time.Second) {
			s := fmt.Sprintf("a bare Fyne window, %s", t.Format("15:04:05"))
			fyne.Do(func() { l.SetText(s) })
		}
	}()
	w.ShowAndRun()
}
