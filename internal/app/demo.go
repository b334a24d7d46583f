package app

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/wezterm-parallel/wezterm-parallel/internal/metrics"
	"github.com/wezterm-parallel/wezterm-parallel/internal/monitor"
	"github.com/wezterm-parallel/wezterm-parallel/internal/sim"
	"github.com/wezterm-parallel/wezterm-parallel/internal/spend"
)

// demo runs the stand-in in this process with a few workspaces, and a
// wezterm-sim link to this binary so any wezterm client can reach it.
func (r *runner) demo(ctx context.Context, args []string) int {
	f, _, code, ok := r.parse("demo", args)
	if !ok {
		return code
	}
	once := f.bool("once")
	d, err := sim.StartDemo()
	if err != nil {
		fmt.Fprintln(r.o.Stderr, "wezterm-parallel demo:", err)
		return 1
	}
	defer d.Close()
	c := r.client(d.Link, append(os.Environ(), "WEZTERM_UNIX_SOCKET="+d.Socket))
	gui := !once && r.o.GUI != nil && hasDisplay(r.o.Getenv)
	failed := 0
	if gui {
		if err := r.probeDisplay(); err != nil {
			// The stand-in and its programs stay: the demo goes on in
			// this terminal.
			fmt.Fprintf(r.o.Stderr, "wezterm-parallel demo: the window cannot open: %v\nThe demo runs without it:\n\n", err)
			gui, failed = false, 1
		}
	}
	if gui {
		// Straight to the window: it polls for itself, and a first
		// sample taken here would only delay its first frame.
		hint := fmt.Sprintf("Demo: a stand-in WezTerm with real programs on real ptys (socket %s). Close the window to stop it.", d.Socket)
		gp := r.guiParams(c, r.store(), time.Second, hint)
		gp.Demo = true
		gp.Restore, gp.Snapshots = nil, nil // the demo's panes are not the user's
		// The demo's agents record their (imitation) token use in a folder
		// of their own: the spend shown is theirs, not yours.
		gp.NewSpend = func() monitor.Spender { return gp.DemoSpend(d.UsageDir) }
		return r.o.GUI(ctx, gp)
	}
	sampler := metrics.New(metrics.Options{History: 2})
	defer sampler.Close()
	m := r.agentMonitor(c, sampler)
	m.SetSpend(r.demoSpend(d.UsageDir))
	tree, err := sampledTree(ctx, m, time.Second)
	if err != nil {
		fmt.Fprintln(r.o.Stderr, "wezterm-parallel demo:", r.explain(err))
		return 1
	}
	printTree(r.o.Stdout, tree)
	if once {
		return failed
	}
	exe, _ := os.Executable()
	fmt.Fprintf(r.o.Stdout, `
A stand-in WezTerm is running with these panes (real programs on real ptys).
It stops when you press Ctrl-C. From another terminal:

  export WEZTERM_UNIX_SOCKET=%s
  %s --wezterm %s top
  %s cli --no-auto-start split-pane --pane-id 0 --right
`, d.Socket, exe, d.Link, d.Link)
	<-ctx.Done()
	return failed
}

// demoSpend follows the token records the demo's imitation agents keep in
// dir: the spend a demo shows is theirs, not the user's. The window's "Try
// the demo" uses it too (GUIParams.DemoSpend).
func (r *runner) demoSpend(dir string) monitor.Spender {
	return r.newLive(spend.Roots{Claude: []string{dir}}, ResidentKeep)
}
