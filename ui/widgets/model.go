// Package widgets holds wezterm-parallel's custom Fyne widgets. They are
// fed plain view-model structs and report user intent through callbacks;
// they never run commands.
package widgets

import "github.com/wezterm-parallel/wezterm-parallel/internal/wezterm"

// PaneView is what a tile shows.
type PaneView struct {
	ID         wezterm.PaneID
	Title      string
	Foreground string // program in the foreground ("" when unknown)
	CWD        string // short
	CPU        *float64
	RSS        *uint64
	History    []float64 // CPU % samples, oldest first
	Left, Top  int       // cells
	Cols, Rows int
	Active     bool // active pane of its tab
	Focused    bool // the pane the WezTerm GUI focuses
	Zoomed     bool
	Selected   bool   // selected in this app (multi-select)
	Status     string // agent status line ("Claude Code: waiting")
	Waiting    bool   // the agent waits for the user: shown in the error colour
	// Thumbnail: a picture of a layout, not a live pane (no usage line).
	Thumbnail bool
}

// TabView is one tab drawn to scale.
type TabView struct {
	Title      string
	Cols, Rows int
	Panes      []PaneView
}
