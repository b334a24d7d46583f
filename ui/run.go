package ui

import (
	"context"
	"errors"
	"fmt"
	"github.com/wezterm-parallel/wezterm-parallel/internal/status"
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
	"github.com/wezterm-parallel/wezterm-parallel/internal/execx"
	"github.com/wezterm-parallel/wezterm-parallel/internal/ipc"
	"github.com/wezterm-parallel/wezterm-parallel/internal/metrics"
	"github.com/wezterm-parallel/wezterm-parallel/internal/monitor"
	"github.com/wezterm-parallel/wezterm-parallel/internal/resident"
	"github.com/wezterm-parallel/wezterm-parallel/internal/sim"
	"github.com/wezterm-parallel/wezterm-parallel/internal/wezterm"
	"github.com/wezterm-parallel/wezterm-parallel/internal/wsswitch"
	"github.com/wezterm-parallel/wezterm-parallel/ui/traymenu"
	"github.com/wezterm-parallel/wezterm-parallel/ui/widgets"
)

// AppID is the Fyne application id (matches FyneApp.toml).
const AppID = "io.github.wezterm_parallel"

// Run starts the GUI process the command line chose: the resident in the
// tray, or the window.
func Run(ctx context.Context, p wpapp.GUIParams) int {
	if p.Log != nil {
		// Fyne and systray report their troubles (a missing notification
		// service, a bus that went away) through the standard logger: into
		// our log file, not onto the user's terminal.
		log.SetOutput(logWriter{p.Log})
		log.SetFlags(0)
	}
	if p.Role == wpapp.RoleResident {
		return traymenu.Run(ctx, p)
	}
	return runWindow(ctx, p)
}

// runWindow opens the main window and returns when it closes or ctx ends.
// The resident feeds it snapshots when one runs; otherwise (no tray, the
// demo, the resident gone) it polls on its own. p.Store may be nil.
func runWindow(ctx context.Context, p wpapp.GUIParams) (code int) {
	// The display is probed before this runs; a GL library that still
	// fails says so in one line rather than with a stack trace.
	defer func() {
		if r := recover(); r != nil {
			fmt.Fprintf(os.Stderr, "wezterm-parallel: the window failed: %v. Without a window: `wezterm-parallel list` (or `top`) prints the panes, `wezterm-parallel --hidden` keeps watching from the tray\n", r)
			if p.Log != nil {
				p.Log.Error("the window failed", "panic", fmt.Sprint(r))
			}
			code = 1
		}
	}()
	started := time.Now()
	c, store, interval, hint := p.Client, p.Store, p.Interval, p.Hint
	asked := ctx // ends on SIGTERM/SIGINT
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
	ctl := control.New(c)
	var (
		win       *Window
		demo      *sim.Demo
		client    = c
		clientMu  sync.Mutex
		firstData bool
	)
	winReady := make(chan struct{})
	poll := 2 * time.Second
	if store != nil {
		poll = store.Prefs().AgentPoll
	}
	dir := p.RuntimeDir
	if p.Demo {
		dir = "" // the demo stands alone: the resident watches the real WezTerm
	}
	feed := resident.NewFeed(resident.FeedOptions{
		Dir: dir, Log: p.Log, Prefs: prefs, Layouts: func() []string { return nil },
		Shown: func() bool { return win != nil && win.Shown() },
		NewLocal: func(publish func(monitor.Snapshot)) *monitor.Monitor {
			clientMu.Lock()
			cl := client
			clientMu.Unlock()
			iv := interval
			if !p.Demo && store != nil {
				iv = prefs().RefreshInterval // edited since the start
			}
			m := monitor.New(cl, metrics.New(metrics.Options{}), iv, publish)
			m.SetAgents(agents.NewTracker(p.AgentRules), poll)
			if p.NewSpend != nil {
				m.SetSpend(p.NewSpend())
			}
			return m
		},
		Publish: func(s monitor.Snapshot, e decide.Effects, linked bool) {
			// The first snapshot may come while the window is being built.
			select {
			case <-winReady:
			case <-ctx.Done():
				return
			}
			if !linked {
				carry(ctx, win, ctl, e)
			}
			onUI(func() {
				win.Apply(s)
				if s.Status == monitor.Connected && !firstData && p.Log != nil {
					firstData = true
					p.Log.Info("first frame with data", "since_start", time.Since(started).Round(time.Millisecond), "fed", linked)
				}
			})
		},
		OnMsg: func(m ipc.Msg) {
			select {
			case <-winReady:
			case <-ctx.Done():
				return
			}
			onUI(func() { win.handle(m, a) })
		},
		OnLink: func(linked bool) {
			select {
			case <-winReady:
			case <-ctx.Done():
				return
			}
			onUI(func() { win.setLinked(linked, p.HasTray) })
		},
	})
	ctl.After = feed.Kick
	go feed.Run(ctx)
	swap := func(nc *wezterm.Client) {
		clientMu.Lock()
		client = nc
		clientMu.Unlock()
		ctl.SetClient(nc)
		feed.SetSource(nc)
		feed.Kick()
	}
	defer func() {
		if demo != nil {
			demo.Close()
		}
	}()
	deps := Deps{Control: ctl, Queue: feed, SetDetail: feed.SetDetail, SetInterval: feed.SetInterval,
		Store: store, Hint: hint, Ctx: ctx, HasTray: p.HasTray,
		SetWezterm: func(path string) error {
			if store != nil {
				// The resident reads the same file and follows.
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
			return startWezterm(ctx, cl, feed.Kick)
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
			// The resident watches the real WezTerm: the window follows
			// the demo on its own.
			feed.Detach()
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
			if err != nil {
				return "", err
			}
			return r.Summary(), nil
		}
	}
	win = New(a, deps)
	win.Window().SetMaster()
	// Closing ends this process (its memory goes back); the resident, if
	// any, keeps watching from the tray — unless close_to_tray is off.
	win.Window().SetCloseIntercept(func() {
		if feed.Linked() && !prefs().CloseToTray {
			feed.QuitResident()
		}
		a.Quit()
	})
	switch {
	case !p.HasTray:
		why := p.TrayWhy
		if why == "" {
			why = "this desktop shows no tray"
		}
		note := "No system tray: " + why + ". Closing the window quits."
		if hint != "" {
			note = hint + "  ·  No system tray: closing the window quits."
		}
		win.status.info(note)
		if p.Log != nil {
			p.Log.Info("no system tray", "why", why)
		}
	case hint != "":
		win.status.info(hint)
	}
	if dir != "" {
		// A second `wezterm-parallel` brings this window to the front.
		if l, err := ipc.Listen(dir, ipc.Window); err == nil {
			defer l.Close()
			go serveWindow(ctx, l, func(m ipc.Msg) {
				<-winReady
				onUI(func() { win.handle(m, a) })
			})
		} else if p.Log != nil {
			p.Log.Warn("window endpoint", "err", err)
		}
	}
	if store != nil {
		go watchPrefs(ctx, store, func(p config.Preferences) {
			feed.SetInterval(p.RefreshInterval)
			onUI(func() {
				a.Settings().SetTheme(widgets.NewTheme(p.Theme))
				win.render()
			})
		})
	}
	if p.Log != nil {
		p.Log.Info("window built", "since_start", time.Since(started).Round(time.Millisecond))
	}
	close(winReady)
	go func() {
		<-ctx.Done()
		onUI(a.Quit)
		if asked.Err() == nil {
			return // the window closed by itself
		}
		// A window that does not end on SIGTERM is worse than an abrupt
		// end: seen once under Xvfb, all threads waiting in Fyne's quit.
		time.Sleep(5 * time.Second)
		if p.Log != nil {
			p.Log.Warn("the window did not close within 5 s of being asked: exiting")
		}
		os.Exit(0)
	}()
	win.Window().ShowAndRun()
	return 0
}

// serveWindow answers the window's endpoint: focus and the like from a
// second start.
func serveWindow(ctx context.Context, l *ipc.Listener, handle func(ipc.Msg)) {
	go func() {
		<-ctx.Done()
		l.Close()
	}()
	for {
		c, err := l.Accept()
		if err != nil {
			return
		}
		go func() {
			defer c.Close()
			for {
				m, err := c.Recv()
				if err != nil {
					return
				}
				handle(m)
			}
		}()
	}
}

// handle does what the resident or a second start asks of the window.
func (w *Window) handle(m ipc.Msg, a fyne.App) {
	switch m.Op {
	case ipc.OpFocus:
		w.ShowWindow()
	case ipc.OpPrefs:
		w.ShowWindow()
		w.showPrefs()
	case ipc.OpSelect:
		w.ShowWindow()
		if p, ok := w.pane(m.Pane); ok && p.Workspace != w.sel.Workspace {
			w.sel.Workspace, w.sel.UserChose = p.Workspace, true
		}
		w.tabs.SelectIndex(0)
		w.selectPane(m.Pane, 0)
	case ipc.OpClose, ipc.OpQuit:
		a.Quit()
	}
}

// setLinked says in the title and the status line whether the resident
// feeds the window.
func (w *Window) setLinked(linked, hasTray bool) {
	if linked {
		w.win.SetTitle("wezterm-parallel")
		w.status.info("Fed by the tray process: closing this window frees its memory; the tray keeps watching")
		return
	}
	w.win.SetTitle("wezterm-parallel — resident not running")
	if hasTray {
		w.status.info("Resident not running: this window polls WezTerm itself and looks for the tray process every few seconds")
	}
}

// carry carries out the effects the window decided itself (no resident):
// notifications on the UI goroutine, due prompts typed from a goroutine.
func carry(ctx context.Context, w *Window, ctl *control.Controller, e decide.Effects) {
	for _, n := range e.Notes {
		onUI(func() { w.notifyNow(n.Title, n.Body) })
	}
	for _, it := range e.Deliver {
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
		onUI(func() {
			w.status.info(fmt.Sprintf("Dropped %s: the pane or its agent is gone", status.Plural(n, "queued prompt")))
		})
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
