package ui

import (
	"context"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"

	"github.com/wezterm-parallel/wezterm-parallel/assets"
	"github.com/wezterm-parallel/wezterm-parallel/internal/config"
	"github.com/wezterm-parallel/wezterm-parallel/internal/control"
	"github.com/wezterm-parallel/wezterm-parallel/internal/metrics"
	"github.com/wezterm-parallel/wezterm-parallel/internal/monitor"
	"github.com/wezterm-parallel/wezterm-parallel/internal/wezterm"
)

// AppID is the Fyne application id (matches FyneApp.toml).
const AppID = "io.github.wezterm_parallel"

// Run opens the main window on c, polls every interval, and returns when
// the window closes or ctx ends. store may be nil (no preferences).
func Run(ctx context.Context, c *wezterm.Client, store *config.Store, interval time.Duration, hint string) int {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
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
	win = New(a, Deps{Control: ctl, SetDetail: mon.SetDetail, SetInterval: mon.SetInterval, Store: store, Hint: hint})
	win.Window().SetMaster()
	if store != nil {
		applyTheme(a, store.Prefs().Theme)
		go watchPrefs(ctx, store, func(p config.Preferences) {
			mon.SetInterval(p.RefreshInterval)
			fyne.Do(func() { applyTheme(a, p.Theme) })
		})
	}
	go mon.Run(ctx)
	go func() {
		<-ctx.Done()
		fyne.Do(a.Quit)
	}()
	win.Window().ShowAndRun()
	return 0
}

// watchPrefs applies hand edits of config.toml without a restart.
func watchPrefs(ctx context.Context, store *config.Store, apply func(config.Preferences)) {
	t := time.NewTicker(2 * time.Second)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if changed, _ := store.Reload(); changed {
				apply(store.Prefs())
			}
		}
	}
}
