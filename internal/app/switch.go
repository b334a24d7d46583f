package app

import (
	"context"
	"fmt"
	"os"
	"time"

	"strconv"

	"github.com/wezterm-parallel/wezterm-parallel/internal/textsafe"
	"github.com/wezterm-parallel/wezterm-parallel/internal/wezterm"
	"github.com/wezterm-parallel/wezterm-parallel/internal/wsswitch"
)

// lua prints the wezterm.lua snippet that lets the app switch workspaces.
func (r *runner) lua(args []string) int {
	f, _, code, ok := r.parse("lua", args)
	if !ok {
		return code
	}
	if !f.bool("install") {
		fmt.Fprint(r.o.Stdout, wsswitch.Snippet(f.bool("windows")))
		return 0
	}
	home, err := os.UserHomeDir()
	if err != nil {
		fmt.Fprintln(r.o.Stderr, "wezterm-parallel lua --install:", err)
		return 1
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	target, source := wsswitch.Target(ctx, r.client("", nil), r.o.Getenv, home)
	res, err := wsswitch.Install(target, home, f.bool("windows"), time.Now())
	if err != nil {
		fmt.Fprintln(r.o.Stderr, "wezterm-parallel lua --install:", err)
		return 1
	}
	fmt.Fprintln(r.o.Stdout, res.Summary())
	fmt.Fprintf(r.o.Stdout, "(%s: %s)\n", source, textsafe.Escape(target))
	return 0
}

// switchCmd makes the WezTerm GUI show a workspace.
func (r *runner) switchCmd(ctx context.Context, args []string) int {
	_, args, code, ok := r.parse("switch", args)
	if !ok {
		return code
	}
	s := wsswitch.New(r.client("", nil))
	if err := s.Switch(ctx, args[0]); err != nil {
		fmt.Fprintln(r.o.Stderr, "wezterm-parallel:", r.explain(err))
		return 1
	}
	return 0
}

// jump focuses a pane, switching the GUI to its workspace first.
func (r *runner) jump(ctx context.Context, args []string) int {
	_, args, code, ok := r.parse("jump", args)
	if !ok {
		return code
	}
	n, err := strconv.ParseUint(args[0], 10, 64)
	if err != nil {
		fmt.Fprintf(r.o.Stderr, "wezterm-parallel: %q is not a pane id\n", args[0])
		return 2
	}
	c := r.client("", nil)
	if err := wsswitch.Jump(ctx, c, wsswitch.New(c), wezterm.PaneID(n)); err != nil {
		fmt.Fprintln(r.o.Stderr, "wezterm-parallel:", r.explain(err))
		return 1
	}
	return 0
}
