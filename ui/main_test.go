package ui

import (
	"os"
	"testing"
)

func TestMain(m *testing.M) {
	// No tickers, and jobs on the test's goroutine: Fyne's test driver
	// runs fyne.Do where it is called, so a ticker or a job would touch
	// widgets beside the test. The detail panel still reads its pane's
	// screen once when a pane is selected.
	tickEvery, inline = 0, true
	os.Exit(m.Run())
}
