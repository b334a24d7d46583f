package ui

import "fyne.io/fyne/v2"

// onUI runs f on the UI goroutine. Every widget change from a goroutine
// (the monitor's, an action's) goes through here; callbacks from widgets
// already run there and call the views directly.
func onUI(f func()) { fyne.Do(f) }
