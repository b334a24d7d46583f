package app

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/wezterm-parallel/wezterm-parallel/internal/desktop"
	"github.com/wezterm-parallel/wezterm-parallel/internal/execx"
	"github.com/wezterm-parallel/wezterm-parallel/internal/ipc"
	"github.com/wezterm-parallel/wezterm-parallel/internal/resident"
	"github.com/wezterm-parallel/wezterm-parallel/internal/wezterm"
)

// gui starts what `wezterm-parallel` (no command) means on a desktop: the
// resident in the tray (--hidden, or start_hidden), else the window, fed
// by a resident it starts when a tray can show one. One of each per user
// session: a second start brings the open window to the front.
func (r *runner) gui(ctx context.Context) int {
	store := r.store()
	hint := ""
	if n := store.Notice(); n != "" {
		hint = "⚠ " + n
	}
	p := r.guiParams(r.client("", nil), store, store.Prefs().RefreshInterval, hint)
	trayOK := r.o.TrayAvailable
	if trayOK == nil {
		trayOK = desktop.TrayAvailable
	}
	p.HasTray, p.TrayWhy = trayOK()
	if r.g.hidden && !p.HasTray {
		// At login the tray may register after the autostart entry ran.
		wait := r.o.TrayWait
		if wait == 0 {
			wait = 30 * time.Second
		}
		for end := time.Now().Add(wait); !p.HasTray && time.Now().Before(end); {
			select {
			case <-ctx.Done():
				return 1
			case <-time.After(time.Second):
			}
			p.HasTray, p.TrayWhy = trayOK()
		}
		if !p.HasTray {
			fmt.Fprintf(r.o.Stderr, "wezterm-parallel: --hidden needs a system tray, and there is none (%s): `wezterm-parallel` opens the window instead\n", p.TrayWhy)
			return 1
		}
	}
	windowRole := !(p.HasTray && (r.g.hidden || store.Prefs().StartHidden))
	if windowRole {
		if err := r.probeDisplay(); err != nil {
			fmt.Fprintln(r.o.Stderr, "wezterm-parallel: the window cannot open:", err)
			return 1
		}
	}
	dir, err := ipc.Dir(r.o.Getenv)
	if err != nil {
		r.log.Warn("no runtime folder: the window runs alone", "err", err)
		return r.o.GUI(ctx, p)
	}
	p.RuntimeDir = dir
	if !windowRole {
		release, held, err := resident.Claim(dir, ipc.Resident)
		switch {
		case err != nil:
			fmt.Fprintln(r.o.Stderr, "wezterm-parallel:", err)
			return 1
		case held:
			fmt.Fprintln(r.o.Stdout, "wezterm-parallel already runs in the tray; `wezterm-parallel` opens its window")
			return 0
		}
		defer release()
		p.Role, p.WindowArgv = RoleResident, r.selfArgv(false)
		return r.o.GUI(ctx, p)
	}
	release, held, err := resident.Claim(dir, ipc.Window)
	switch {
	case err != nil:
		// A folder that cannot be made ours (another user's, a link, or
		// holding another user's socket) is never dialled: whoever
		// listens there would read what the window sends and feed it
		// what they like.
		fmt.Fprintf(r.o.Stderr, "wezterm-parallel: %v: the window runs alone (no tray process)\n", err)
		r.log.Warn("runtime folder refused: the window runs alone", "err", err)
		p.RuntimeDir = ""
		return r.o.GUI(ctx, p)
	case held:
		if err := resident.Tell(dir, ipc.Window, ipc.Msg{Op: ipc.OpFocus}); err != nil {
			fmt.Fprintln(r.o.Stderr, "wezterm-parallel: a window is open but does not answer:", err)
			return 1
		}
		fmt.Fprintln(r.o.Stdout, "wezterm-parallel: the window is already open; it was brought to the front")
		return 0
	default:
		defer release()
	}
	if p.HasTray && !resident.Running(dir) {
		if err := r.startResident(dir); err != nil {
			r.log.Warn("the window runs alone", "err", err)
		}
	}
	return r.o.GUI(ctx, p)
}

// startResident starts the tray process and waits until it answers.
func (r *runner) startResident(dir string) error {
	argv := r.selfArgv(true)
	start := r.o.Start
	if start == nil {
		start = func(argv []string) error { return execx.Detach(argv, nil) }
	}
	if err := start(argv); err != nil {
		return fmt.Errorf("start the tray process: %w", err)
	}
	deadline := time.Now().Add(3 * time.Second)
	for time.Now().Before(deadline) {
		if resident.Running(dir) {
			return nil
		}
		time.Sleep(50 * time.Millisecond)
	}
	return fmt.Errorf("the tray process was started but does not answer after 3 s")
}

// selfArgv is this program with the command line's global flags, for the
// other process (hidden: the resident; else the window).
func (r *runner) selfArgv(hidden bool) []string {
	exe := r.o.Exe
	if exe == "" {
		exe, _ = os.Executable()
	}
	argv := []string{exe}
	if r.g.wezterm != "" && r.g.wezterm != r.o.Getenv(EnvWezterm) {
		argv = append(argv, "--wezterm", r.g.wezterm)
	}
	if r.g.config != "" {
		argv = append(argv, "--config", r.g.config)
	}
	if r.g.logFile != "" {
		argv = append(argv, "--log-file", r.g.logFile)
	}
	if r.g.logLevel != "" && r.g.logLevel != "info" {
		argv = append(argv, "--log-level", r.g.logLevel)
	}
	if r.g.timeout != wezterm.DefaultTimeout {
		argv = append(argv, "--timeout", r.g.timeout.String())
	}
	if hidden {
		argv = append(argv, "--hidden")
	}
	return argv
}

// probeDisplay says why the window cannot open here (nil: it can).
func (r *runner) probeDisplay() error {
	if r.o.ProbeDisplay != nil {
		return r.o.ProbeDisplay()
	}
	return desktop.ProbeDisplay(r.o.Getenv)
}
