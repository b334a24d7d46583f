// Command wezterm-parallel is a control panel for WezTerm. The same binary is
// also the stand-in WezTerm when invoked as wezterm-sim (the demo links it).
package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"time"

	earlyenv "early.wezterm-parallel.local/env"

	"github.com/wezterm-parallel/wezterm-parallel/internal/app"
	"github.com/wezterm-parallel/wezterm-parallel/internal/session"
	"github.com/wezterm-parallel/wezterm-parallel/internal/sim"
	"github.com/wezterm-parallel/wezterm-parallel/ui"
	"github.com/wezterm-parallel/wezterm-parallel/ui/traymenu"
)

func main() {
	earlyenv.Restore() // the user's locale, as it was before Fyne's init
	if sim.IsSimName(os.Args[0]) {
		os.Exit(sim.Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
	}
	stop := profile(os.Getenv("WEZTERM_PARALLEL_PROFILE"))
	code := app.Main(os.Args[1:], app.Options{GUI: gui})
	stop()
	os.Exit(code)
}

// gui runs the GUI process the command line chose: the resident in the
// tray, or the window with its back end.
func gui(ctx context.Context, p app.GUIParams) int {
	if p.Role == app.RoleResident {
		return traymenu.Run(ctx, p)
	}
	s := session.New(p)
	defer s.Close()
	return ui.Run(ctx, s.Backend(), s.Start)
}

// profile writes cpu.pprof and allocs.pprof into dir, the CPU profile
// from 10 s after start (the steady state, not start-up) to the end
// (scripts/idle-cost.sh PROFILE_DIR); "" does nothing.
func profile(dir string) func() {
	if dir == "" {
		return func() {}
	}
	f, err := os.Create(filepath.Join(dir, "cpu.pprof"))
	if err != nil {
		fmt.Fprintln(os.Stderr, "wezterm-parallel: profile:", err)
		return func() {}
	}
	time.AfterFunc(10*time.Second, func() { pprof.StartCPUProfile(f) })
	return func() {
		pprof.StopCPUProfile()
		f.Close()
		if a, err := os.Create(filepath.Join(dir, "allocs.pprof")); err == nil {
			runtime.GC()
			pprof.Lookup("allocs").WriteTo(a, 0)
			a.Close()
		}
	}
}
