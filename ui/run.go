package ui

import (
	"context"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"

	"github.com/wezterm-parallel/wezterm-parallel/assets"
	"github.com/wezterm-parallel/wezterm-parallel/internal/control"
	"github.com/wezterm-parallel/wezterm-parallel/internal/metrics"
	"github.com/wezterm-parallel/wezterm-parallel/internal/monitor"
	"github.com/wezterm-parallel/wezterm-parallel/internal/wezterm"
)

// AppID is the Fyne application id (matches FyneApp.toml).
const AppID = "io.github.wezterm_parallel"

// Run opens the main window on c, polls every interval, and returns when
// the window closes or ctx ends.
func Run(ctx context.Context, c *wezterm.Client, interval time.Duration, hint string) int {
	a := app.NewWithID(AppID)
	a.SetIcon(fyne.NewStaticResource("icon.png", assets.Icon))
	sampler := metrics.New(metrics.Options{})
	defer sampler.Close()
	ctl := control.New(c)
	var win *Window
	mon := monitor.New(c, sampler, interval, func(s monitor.Snapshot) {
		fyne.Do(func() { win.Apply(s) })
	})
	ctl.After = mon.Kick
	win = New(a, ctl, mon.SetDetail, hint)
	win.Window().SetMaster()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go mon.Run(ctx)
	go func() {
		<-ctx.Done()
		fyne.Do(a.Quit)
	}()
	win.Window().ShowAndRun()
	return 0
}
