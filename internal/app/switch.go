package app

import (
	"context"
	"flag"
	"fmt"
	"runtime"
	"strconv"

	"github.com/wezterm-parallel/wezterm-parallel/internal/wezterm"
	"github.com/wezterm-parallel/wezterm-parallel/internal/wsswitch"
)

// lua prints the wezterm.lua snippet that lets the app switch workspaces.
func (r *runner) lua(args []string) int {
	fs := flag.NewFlagSet("lua", flag.ContinueOnError)
	fs.SetOutput(r.o.Stderr)
	windows := fs.Bool("windows", runtime.GOOS == "windows", "the variant for Windows (a request file instead of a tty)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	fmt.Fprint(r.o.Stdout, wsswitch.Snippet(*windows))
	return 0
}

// switchCmd makes the WezTerm GUI show a workspace.
func (r *runner) switchCmd(ctx context.Context, args []string) int {
	if len(args) != 1 {
		fmt.Fprintln(r.o.Stderr, "usage: wezterm-parallel switch WORKSPACE")
		return 2
	}
	s := &wsswitch.Switcher{C: r.client("", nil), Foreground: wsswitch.ProcForeground}
	if err := s.Switch(ctx, args[0]); err != nil {
		fmt.Fprintln(r.o.Stderr, "wezterm-parallel:", r.explain(err))
		return 1
	}
	return 0
}

// jump focuses a pane, switching the GUI to its workspace first.
func (r *runner) jump(ctx context.Context, args []string) int {
	if len(args) != 1 {
		fmt.Fprintln(r.o.Stderr, "usage: wezterm-parallel jump PANE_ID")
		return 2
	}
	n, err := strconv.ParseUint(args[0], 10, 64)
	if err != nil {
		fmt.Fprintf(r.o.Stderr, "wezterm-parallel: %q is not a pane id\n", args[0])
		return 2
	}
	c := r.client("", nil)
	if err := wsswitch.Jump(ctx, c, &wsswitch.Switcher{C: c, Foreground: wsswitch.ProcForeground}, wezterm.PaneID(n)); err != nil {
		fmt.Fprintln(r.o.Stderr, "wezterm-parallel:", r.explain(err))
		return 1
	}
	return 0
}
