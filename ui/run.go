package ui

import (
	"context"
	"fmt"
	"os"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"

	"github.com/wezterm-parallel/wezterm-parallel/assets"
	"github.com/wezterm-parallel/wezterm-parallel/internal/backend"
	"github.com/wezterm-parallel/wezterm-parallel/internal/config"
	"github.com/wezterm-parallel/wezterm-parallel/internal/monitor"
	"github.com/wezterm-parallel/wezterm-parallel/internal/textsafe"
	"github.com/wezterm-parallel/wezterm-parallel/ui/widgets"
)

// AppID is the Fyne application id (matches FyneApp.toml).
const AppID = "io.github.wezterm_parallel"

// Run opens the window with its back end and returns when it closes or
// ctx ends (SIGTERM). start is called once the window exists, with where
// to tell it what happens; it runs the back end until ctx ends.
func Run(ctx context.Context, b backend.Backend, start func(context.Context, backend.Sink)) (code int) {
	// The display is probed before this runs; a GL library that still
	// fails says so in one line rather than with a stack trace.
	defer func() {
		if r := recover(); r != nil {
			fmt.Fprintf(os.Stderr, "wezterm-parallel: the window failed: %v. Without a window: `wezterm-parallel list` (or `top`) prints the panes, `wezterm-parallel --hidden` keeps watching from the tray\n", r)
			code = 1
		}
	}()
	asked := ctx // ends on SIGTERM/SIGINT
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	a := app.NewWithID(AppID)
	a.SetIcon(fyne.NewStaticResource("icon.png", assets.Icon))
	a.Settings().SetTheme(widgets.NewTheme(b.Prefs().Theme))
	// The window exists before anything can reach it.
	w := New(ctx, a, b)
	w.Window().SetMaster()
	w.Window().SetCloseIntercept(func() {
		if b.Close != nil {
			b.Close()
		}
		a.Quit()
	})
	n := notifier{a, w.b}
	start(ctx, backend.Sink{
		Snapshot: func(s monitor.Snapshot) { onUI(func() { w.Apply(s) }) },
		Request:  func(r backend.Request) { onUI(func() { w.handle(r) }) },
		Linked:   func(linked bool) { onUI(func() { w.setLinked(linked) }) },
		Prefs: func(p config.Preferences) {
			onUI(func() {
				a.Settings().SetTheme(widgets.NewTheme(p.Theme))
				w.render()
			})
		},
		Say: func(text string, failed bool) {
			onUI(func() {
				text = textsafe.Escape(text)
				if failed {
					w.v.status.fail(text)
				} else {
					w.v.status.info(text)
				}
			})
		},
		Notify: func(title, body string) { onUI(func() { n.now(title, body) }) },
	})
	go func() {
		<-ctx.Done()
		onUI(a.Quit)
		if asked.Err() == nil {
			return // the window closed by itself
		}
		// A window that does not end on SIGTERM is worse than an abrupt
		// end: seen once under Xvfb, all threads waiting in Fyne's quit.
		time.Sleep(5 * time.Second)
		os.Exit(0)
	}()
	w.Window().ShowAndRun()
	return 0
}
