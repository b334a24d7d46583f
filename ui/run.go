package ui

import (
	"context"
	"fmt"
	"os"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"

	"github.com/wezterm-parallel/wezterm-parallel/assets"
	"github.com/wezterm-parallel/wezterm-parallel/internal/agents"
	wpapp "github.com/wezterm-parallel/wezterm-parallel/internal/app"
	"github.com/wezterm-parallel/wezterm-parallel/internal/config"
	"github.com/wezterm-parallel/wezterm-parallel/internal/control"
	"github.com/wezterm-parallel/wezterm-parallel/internal/desktop"
	"github.com/wezterm-parallel/wezterm-parallel/internal/execx"
	"github.com/wezterm-parallel/wezterm-parallel/internal/metrics"
	"github.com/wezterm-parallel/wezterm-parallel/internal/monitor"
	"github.com/wezterm-parallel/wezterm-parallel/internal/sim"
	"github.com/wezterm-parallel/wezterm-parallel/internal/wezterm"
)

// AppID is the Fyne application id (matches FyneApp.toml).
const AppID = "io.github.wezterm_parallel"

// Run opens the main window, polls every p.Interval, and returns when the
// window closes or ctx ends. p.Store may be nil (no preferences).
func Run(ctx context.Context, p wpapp.GUIParams) int {
	c, store, interval, hint := p.Client, p.Store, p.Interval, p.Hint
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
	poll := 2 * time.Second
	if store != nil {
		poll = store.Prefs().AgentPoll
	}
	mon.SetAgents(agents.NewTracker(p.AgentRules), poll)
	swap := func(nc *wezterm.Client) {
		ctl.SetClient(nc)
		mon.SetSource(nc)
	}
	var demo *sim.Demo
	defer func() {
		if demo != nil {
			demo.Close()
		}
	}()
	deps := Deps{Control: ctl, SetDetail: mon.SetDetail, SetInterval: mon.SetInterval, SetLight: mon.SetLight, Store: store, Hint: hint,
		SetWezterm: func(path string) error {
			if store != nil {
				if err := store.Update(func(pr *config.Preferences) { pr.WeztermPath = path }); err != nil {
					return err
				}
			}
			swap(p.NewClient(config.ExpandHome(path), nil))
			return nil
		},
		StartWezterm: func() error {
			bin := c.Bin()
			if err := execx.Detach([]string{bin, "start"}, nil); err != nil {
				return fmt.Errorf("start WezTerm: %w", err)
			}
			time.AfterFunc(1500*time.Millisecond, mon.Kick)
			return nil
		},
		StartDemo: func() (string, error) {
			if demo != nil {
				return demo.Socket, nil
			}
			d, err := sim.StartDemo()
			if err != nil {
				return "", err
			}
			demo = d
			swap(p.NewClient(d.Link, append(os.Environ(), "WEZTERM_UNIX_SOCKET="+d.Socket)))
			return d.Socket, nil
		},
	}
	win = New(a, deps)
	win.Window().SetMaster()
	prefs := config.Defaults()
	if store != nil {
		prefs = store.Prefs()
	}
	hasTray, why := desktop.TrayAvailable()
	if hasTray {
		hasTray = win.enableTray()
	}
	if hasTray {
		win.Window().SetCloseIntercept(func() {
			if store != nil && !store.Prefs().CloseToTray {
				a.Quit()
				return
			}
			win.HideWindow()
		})
	} else {
		// Said once; the window works as an ordinary one and closing quits.
		if why == "" {
			why = "this driver has no tray"
		}
		note := "No system tray: " + why + ". Closing the window quits."
		if hint != "" {
			note = hint + "  ·  No system tray: closing the window quits."
		}
		win.message.SetText(note)
		if p.Log != nil {
			p.Log.Info("no system tray", "why", why)
		}
	}
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
	if hasTray && (p.Hidden || prefs.StartHidden) {
		win.shown = false
		mon.SetLight(true)
		a.Run()
	} else {
		win.Window().ShowAndRun()
	}
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
