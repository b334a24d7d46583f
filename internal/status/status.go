// Package status words the app's state the same way everywhere it is said:
// the window's header, the tray's status line, plurals.
package status

import (
	"fmt"
	"time"

	"github.com/wezterm-parallel/wezterm-parallel/internal/monitor"
)

// Line is the one sentence about WezTerm's state: how much it shows when
// it answers, else why not and (retryIn > 0) when the next try is.
func Line(s monitor.Snapshot, retryIn time.Duration) string {
	var line string
	switch s.Status {
	case monitor.Connected:
		n := 0
		for _, ws := range s.Tree.Workspaces {
			n += ws.PaneCount()
		}
		return Plural(len(s.Tree.Workspaces), "workspace") + " · " + Plural(n, "pane")
	case monitor.NotInstalled:
		return "WezTerm is not installed"
	case monitor.Stale:
		// The picture is the tray process's last; the window takes over.
		return "The tray process stopped answering — this window polls on its own in " + Retry(retryIn)
	case monitor.NotRunning:
		line = "WezTerm is not running"
	default:
		line = "WezTerm does not answer"
	}
	if retryIn > 0 {
		line += " — retrying in " + Retry(retryIn)
	}
	return line
}

// Retry is "4 s", rounded up (never less than 1 s: "now" reads as broken).
func Retry(d time.Duration) string {
	return fmt.Sprintf("%d s", max(1, int((d+time.Second-1)/time.Second)))
}

// Plural is "1 pane", "2 panes" (English plurals of the words the app
// counts: pane, workspace, tab, agent, prompt).
func Plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}
