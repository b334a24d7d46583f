// Package backend is the window's contract with the rest of the app, Fyne-
// free: what the window may ask (Backend) and what it is told (Sink).
// internal/session implements it; ui only renders and asks. Keeping the
// types here lets ui stay clear of the command line, the stand-in, ipc and
// process starts (`go list -deps ./ui` shows none of them).
package backend

import (
	"context"
	"time"

	"github.com/wezterm-parallel/wezterm-parallel/internal/broadcast"
	"github.com/wezterm-parallel/wezterm-parallel/internal/config"
	"github.com/wezterm-parallel/wezterm-parallel/internal/control"
	"github.com/wezterm-parallel/wezterm-parallel/internal/monitor"
	"github.com/wezterm-parallel/wezterm-parallel/internal/restore"
	"github.com/wezterm-parallel/wezterm-parallel/internal/topology"
	"github.com/wezterm-parallel/wezterm-parallel/internal/wezterm"
)

// Backend is what the window may ask of the rest of the app. Nil funcs
// are not offered (the window hides what they would do). Every func may
// block: the window calls them off its UI goroutine.
type Backend struct {
	Control *control.Controller
	// Queue holds the prompts waiting for their agent: the resident's (a
	// round trip of up to 2 s) or the window's own (nil: a fresh one).
	Queue Queue
	// Store holds the preferences (nil: the defaults, nothing saved).
	Store *config.Store
	// Hint is a first line for the status bar.
	Hint string
	// HasTray: the desktop shows a tray (tray-only preferences are hidden
	// without one).
	HasTray bool
	// SetDetail tells the monitor which pane's process tree to carry.
	SetDetail func(wezterm.PaneID)
	// SetInterval changes the monitor's tick (preferences apply live).
	SetInterval func(time.Duration)
	// SetWezterm switches to another wezterm binary and remembers it.
	SetWezterm func(path string) error
	// StartWezterm starts WezTerm where the app looks for it and returns
	// once it answers, or why it did not within a few seconds.
	StartWezterm func(ctx context.Context) error
	// StartDemo runs the stand-in and switches to it; it returns its
	// socket.
	StartDemo func(ctx context.Context) (string, error)
	// SnippetMissing reports whether the config WezTerm loads lacks the
	// workspace-switch snippet (nil: never ask, e.g. in the demo).
	SnippetMissing func(ctx context.Context) bool
	// InstallSnippet installs it, returning what it did.
	InstallSnippet func(ctx context.Context) (string, error)
	// Restore is restoring snapshots (the banner, the dialog, the
	// palette; nil: not offered, e.g. in the demo). RestoreRun carries a
	// plan out on the WezTerm the window watches.
	Restore    *restore.Service
	RestoreRun func(ctx context.Context, p *restore.Plan, progress func(restore.Event)) (restore.Report, error)
	// Close is called when the user closes the window, before it quits
	// (the resident is told to quit too unless close_to_tray).
	Close func()
	// Notify, when set, receives notifications instead of the desktop
	// (tests).
	Notify func(title, body string)
}

// Prefs are the preferences in use (the defaults without a store).
func (b *Backend) Prefs() config.Preferences { return b.Store.Prefs() }

// Queue is where broadcast prompts wait for their agent.
type Queue interface {
	// Plan splits a broadcast: panes whose agent works get the prompt
	// queued, the others are returned to send now.
	Plan(now time.Time, tree topology.Tree, panes []wezterm.PaneID, text string) ([]wezterm.PaneID, []broadcast.Item)
	Cancel(id int) bool
	Queued() []broadcast.Item
}

// Sink is what the rest of the app tells the window. The funcs are called
// from any goroutine; the window hops to its own.
type Sink struct {
	// Snapshot is the newest picture.
	Snapshot func(monitor.Snapshot)
	// Request is what the tray or a second start asks of the window.
	Request func(Request)
	// Linked says whether the resident feeds the window.
	Linked func(linked bool)
	// Prefs are the preferences after a hand edit of the file.
	Prefs func(config.Preferences)
	// Say is a line for the status bar (failed: in red).
	Say func(text string, failed bool)
	// Notify is a desktop notification the preferences already allow.
	Notify func(title, body string)
}

// Op is what a Request asks.
type Op int

const (
	Focus   Op = iota + 1 // bring the window to the front
	Prefs                 // show the preferences
	Select                // select Request.Pane and show its workspace
	Restore               // open the restore dialog (Request.Snapshot; "" the newest)
	Quit                  // close the window
)

// Request is something asked of the window from outside it.
type Request struct {
	Op       Op
	Pane     wezterm.PaneID
	Snapshot string
}
