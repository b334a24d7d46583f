package ui

import (
	"context"
	"errors"
	"fmt"
	"log"
	"log/slog"
	"os"
	"runtime"
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"

	"github.com/wezterm-parallel/wezterm-parallel/assets"
	"github.com/wezterm-parallel/wezterm-parallel/internal/agents"
	wpapp "github.com/wezterm-parallel/wezterm-parallel/internal/app"
	"github.com/wezterm-parallel/wezterm-parallel/internal/config"
	"github.com/wezterm-parallel/wezterm-parallel/internal/control"
	"github.com/wezterm-parallel/wezterm-parallel/internal/decide"
	"github.com/wezterm-parallel/wezterm-parallel/internal/desktop"
	"github.com/wezterm-parallel/wezterm-parallel/internal/execx"
	"github.com/wezterm-parallel/wezterm-parallel/internal/layout"
	"github.com/wezterm-parallel/wezterm-parallel/internal/metrics"
	"github.com/wezterm-parallel/wezterm-parallel/internal/monitor"
	"github.com/wezterm-parallel/wezterm-parallel/internal/sim"
	"github.com/wezterm-parallel/wezterm-parallel/internal/wezterm"
	"github.com/wezterm-parallel/wezterm-parallel/internal/wsswitch"
	"github.com/wezterm-parallel/wezterm-parallel/ui/widgets"
)

// AppID is the Fyne application id (matches FyneApp.toml).
const AppID = "io.github.wezterm_parallel"

// Run opens the main window, polls every p.Interval, and returns when the
// window closes or ctx ends. p.Store may be nil (no preferences).
func Run(ctx context.Context, p wpapp.GUIParams) int {
	started := time.Now()
	if p.Log != nil {
		// Fyne reports its troubles (a missing notification service, a
		// bus that went away) through the standard logger: into our log
		// file, not onto the user's terminal.
		log.SetOutput(logWriter{p.Log})
		log.SetFlags(0)
	}
	c, store, interval, hint := p.Client, p.Store, p.Interval, p.Hint
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	a := app.NewWithID(AppID)
	a.SetIcon(fyne.NewStaticResource("icon.png", assets.Icon))
	prefs := func() config.Preferences {
		if store == nil {
			return config.Defaults()
		}
		return store.Prefs()
	}
	a.Settings().SetTheme(widgets.NewTheme(prefs().Theme))
	sampler := metrics.New(metrics.Options{})
	defer sampler.Close()
	ctl := control.New(c)
	dec := decide.New()
	var (
		win       *Window
		tr        *trayEdge
		trayMu    sync.Mutex
		names     = &layoutNames{}
		demo      *sim.Demo
		client    = c
		clientMu  sync.Mutex
		firstData bool
	)
	winReady := make(chan struct{})
	mon := monitor.New(c, sampler, interval, func(s monitor.Snapshot) {
		// The first step runs while the window is being built; its
		// snapshot waits for the window.
		select {
		case <-winReady:
		case <-ctx.Done():
			return
		}
		// Decide (pure), carry out at the edge, then render.
		eff := dec.Step(s, prefs(), names.get(), win.Shown())
		carry(ctx, win, ctl, eff, func(f func(*trayEdge)) {
			trayMu.Lock()
			t := tr
			trayMu.Unlock()
			if t != nil {
				onUI(func() { f(t) })
			}
		})
		onUI(func() {
			win.Apply(s)
			if s.Status == monitor.Connected && !firstData && p.Log != nil {
				firstData = true
				p.Log.Info("first frame with data", "since_start", time.Since(started).Round(time.Millisecond))
			}
		})
	})
	ctl.After = mon.Kick
	poll := 2 * time.Second
	if store != nil {
		poll = store.Prefs().AgentPoll
	}
	mon.SetAgents(agents.NewTracker(p.AgentRules), poll)
	go mon.Run(ctx)
	swap := func(nc *wezterm.Client) {
		clientMu.Lock()
		client = nc
		clientMu.Unlock()
		ctl.SetClient(nc)
		mon.SetSource(nc)
		dec.Reset()
		mon.Kick()
	}
	defer func() {
		if demo != nil {
			demo.Close()
		}
	}()
	hasTray, why := desktop.TrayAvailable()
	deps := Deps{Control: ctl, Decider: dec, SetDetail: mon.SetDetail, SetInterval: mon.SetInterval, SetLight: mon.SetLight,
		Store: store, Hint: hint, Ctx: ctx, HasTray: hasTray,
		SetWezterm: func(path string) error {
			if store != nil {
				if err := store.Update(func(pr *config.Preferences) { pr.WeztermPath = path }); err != nil {
					return err
				}
			}
			swap(p.NewClient(config.ExpandHome(path), nil))
			return nil
		},
		StartWezterm: func(ctx context.Context) error {
			clientMu.Lock()
			cl := client
			clientMu.Unlock()
			return startWezterm(ctx, cl, mon.Kick)
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
	if !p.Demo {
		home, _ := os.UserHomeDir()
		deps.SnippetMissing = func() bool { f, _ := wsswitch.FindSnippet(os.Getenv); return f == "" }
		deps.InstallSnippet = func() (string, error) {
			path := wsswitch.ConfigPath(os.Getenv, home)
			r, err := wsswitch.Install(path, home, runtime.GOOS == "windows", time.Now())
			switch {
			case err != nil:
				return "", err
			case r.Already:
				return "The snippet is already in " + r.Config, nil
			case r.Created:
				return fmt.Sprintf("Created %s with the snippet's require line (module %s); restart WezTerm or let it reload", r.Config, r.Module), nil
			}
			return fmt.Sprintf("Added one line to %s (backup %s) and the module %s; WezTerm reloads it by itself", r.Config, r.Backup, r.Module), nil
		}
	}
	win = New(a, deps)
	win.Window().SetMaster()
	if hasTray {
		if t := win.enableTray(); t != nil {
			trayMu.Lock()
			tr = t
			trayMu.Unlock()
		} else {
			hasTray = false
		}
	}
	if hasTray {
		win.Window().SetCloseIntercept(func() {
			if !prefs().CloseToTray {
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
		win.status.info(note)
		if p.Log != nil {
			p.Log.Info("no system tray", "why", why)
		}
	}
	if store != nil {
		go names.watch(ctx, func() string { return config.LayoutsDir(store.Prefs(), store.Path()) })
		go watchPrefs(ctx, store, func(p config.Preferences) {
			mon.SetInterval(p.RefreshInterval)
			onUI(func() {
				a.Settings().SetTheme(widgets.NewTheme(p.Theme))
				win.render()
			})
		})
	}
	if p.Log != nil {
		p.Log.Info("window built", "since_start", time.Since(started).Round(time.Millisecond))
	}
	hidden := hasTray && (p.Hidden || prefs().StartHidden)
	if hidden {
		win.shown.Store(false)
		mon.SetLight(true)
	}
	close(winReady)
	go func() {
		<-ctx.Done()
		onUI(a.Quit)
	}()
	if hidden {
		a.Run()
	} else {
		win.Window().ShowAndRun()
	}
	return 0
}

// carry carries out a snapshot's effects: notifications and the tray menu
// on the UI goroutine, due prompts typed from a goroutine.
func carry(ctx context.Context, w *Window, ctl *control.Controller, e decide.Effects, withTray func(func(*trayEdge))) {
	for _, n := range e.Notes {
		n := n
		onUI(func() { w.notifyNow(n.Title, n.Body) })
	}
	for _, it := range e.Deliver {
		it := it
		go func() {
			cctx, cancel := context.WithTimeout(ctx, actionTimeout)
			defer cancel()
			err := ctl.SendText(cctx, it.Pane, it.Text, true)
			onUI(func() {
				if err != nil {
					w.status.fail(err.Error())
				} else {
					w.status.info(fmt.Sprintf("Delivered the queued prompt to pane %d", it.Pane))
				}
			})
		}()
	}
	if len(e.Dropped) > 0 {
		n := len(e.Dropped)
		onUI(func() { w.status.info(fmt.Sprintf("Dropped %d queued prompt(s): the pane or its agent is gone", n)) })
	}
	if e.Tray != nil {
		m := *e.Tray
		withTray(func(t *trayEdge) { t.set(m) })
	}
}

// notifyNow sends a notification the decider already allowed.
func (w *Window) notifyNow(title, body string) {
	if w.d.Notify != nil {
		w.d.Notify(title, body)
		return
	}
	w.app.SendNotification(fyne.NewNotification(title, body))
}

// startWezterm starts WezTerm with the client's own environment (so it
// listens where the app looks) and waits until it answers, up to 5 s.
func startWezterm(ctx context.Context, c *wezterm.Client, kick func()) error {
	if err := execx.Detach([]string{c.Bin(), "start"}, c.Env()); err != nil {
		return fmt.Errorf("start WezTerm: %w", err)
	}
	deadline := time.Now().Add(5 * time.Second)
	var last error
	for time.Now().Before(deadline) {
		if _, err := c.List(ctx); err == nil {
			kick()
			return nil
		} else {
			last = err
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(250 * time.Millisecond):
		}
	}
	if errors.Is(last, wezterm.ErrNotRunning) {
		return fmt.Errorf("WezTerm was started but does not answer after 5 s (is it on another display, or another socket?)")
	}
	return fmt.Errorf("WezTerm was started but does not answer after 5 s: %w", last)
}

// layoutNames keeps the layout names for the tray, read from the folder
// every 5 s off the UI goroutine.
type layoutNames struct {
	mu    sync.Mutex
	names []string
}

func (l *layoutNames) get() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.names
}

func (l *layoutNames) watch(ctx context.Context, dir func() string) {
	t := time.NewTicker(5 * time.Second)
	defer t.Stop()
	for {
		if entries, err := layout.List(dir()); err == nil {
			names := make([]string, len(entries))
			for i, e := range entries {
				names[i] = e.Name
			}
			l.mu.Lock()
			l.names = names
			l.mu.Unlock()
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// logWriter sends standard-logger lines to the app's log.
type logWriter struct{ l *slog.Logger }

func (w logWriter) Write(b []byte) (int, error) {
	w.l.Warn("fyne", "msg", strings.TrimSpace(string(b)))
	return len(b), nil
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
