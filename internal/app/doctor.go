package app

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/wezterm-parallel/wezterm-parallel/internal/ipc"
	"github.com/wezterm-parallel/wezterm-parallel/internal/resident"

	"github.com/wezterm-parallel/wezterm-parallel/internal/wezterm"
	"github.com/wezterm-parallel/wezterm-parallel/internal/wsswitch"
)

// doctor prints one line per check and exits 1 when any check fails.
func (r *runner) doctor(ctx context.Context, args []string) int {
	f, _, code, ok := r.parse("doctor", args)
	if !ok {
		return code
	}
	verbose := f.bool("verbose")
	failed := false
	line := func(status, check, msg string) {
		if status == "FAIL" {
			failed = true
		}
		fmt.Fprintf(r.o.Stdout, "%-5s %-16s %s\n", status, check, msg)
	}
	st := r.store()
	switch n := st.Notice(); {
	case n != "":
		line("warn", "preferences", n)
	case len(st.Warnings()) > 0:
		line("warn", "preferences", fmt.Sprintf("%s loads, with %d warning(s): %s", st.Path(), len(st.Warnings()), st.Warnings()[0]))
	default:
		line("ok", "preferences", st.Path())
	}
	r.residentLine(line, verbose)
	bin := r.g.wezterm
	source := "--wezterm / " + EnvWezterm
	if bin == "" {
		if bin = r.weztermBin(); bin != "" {
			source = "wezterm_path in " + st.Path()
		} else {
			bin, source = "wezterm", "PATH"
		}
	}
	path, err := r.o.LookPath(bin)
	if err != nil {
		line("FAIL", "wezterm binary", fmt.Sprintf("%s not found (looked in %s): install WezTerm, or pass --wezterm PATH (env %s)", bin, source, EnvWezterm))
		return 1
	}
	line("ok", "wezterm binary", path)
	c := r.client(path, nil)
	v, err := c.Version(ctx)
	if err != nil {
		line("FAIL", "wezterm version", r.explain(err))
		return 1
	}
	if missing := v.Missing(); len(missing) > 0 {
		names := make([]string, len(missing))
		for i, f := range missing {
			names[i] = string(f)
		}
		status := "ok"
		if !v.Has(wezterm.FeatListJSON) || !v.Has(wezterm.FeatActivatePane) {
			status = "warn"
		}
		line(status, "wezterm version", fmt.Sprintf("%s (lacks: %s)", v, strings.Join(names, "; ")))
	} else {
		line("ok", "wezterm version", v.String())
	}
	if s := r.o.Getenv("WEZTERM_UNIX_SOCKET"); s != "" {
		line("info", "socket", "WEZTERM_UNIX_SOCKET="+s)
	}
	if p := r.o.Getenv("WEZTERM_PANE"); p != "" {
		line("info", "WEZTERM_PANE", p+" is set (started inside a pane); wezterm-parallel ignores it and always names panes")
	}
	panes, err := c.List(ctx)
	if err != nil {
		line("FAIL", "mux/GUI", r.explain(err))
		return 1
	}
	ws := map[string]bool{}
	for _, p := range panes {
		ws[p.Workspace] = true
	}
	line("ok", "mux/GUI", fmt.Sprintf("answers: %d panes in %d workspaces", len(panes), len(ws)))
	clients, err := c.ListClients(ctx)
	switch {
	case errors.Is(err, wezterm.ErrUnsupported):
		line("warn", "GUI client", "this release cannot list clients: the GUI's workspace is unknown")
	case err != nil:
		line("FAIL", "GUI client", r.explain(err))
	default:
		if gui, ok := wezterm.GUIClient(clients); ok {
			focus := "none"
			if gui.FocusedPaneID != nil {
				focus = fmt.Sprint(*gui.FocusedPaneID)
			}
			line("ok", "GUI client", fmt.Sprintf("pid %d shows workspace %q, focused pane %s", gui.PID, gui.Workspace, focus))
		} else {
			line("warn", "GUI client", "none attached (a headless mux server): panes exist but nothing shows them")
		}
	}
	home, _ := os.UserHomeDir()
	switch st := wsswitch.CheckInstalled(r.o.Getenv, home); {
	case !v.Has(wezterm.FeatUserVarChanged):
		line("warn", "switch snippet", fmt.Sprintf("WezTerm %s has no user-var-changed event (since %s): switching workspaces from outside needs a newer WezTerm", v, wezterm.Since(wezterm.FeatUserVarChanged)))
	case st.OK:
		line("ok", "switch snippet", st.Detail)
	default:
		line("warn", "switch snippet", st.Detail)
	}
	if failed {
		return 1
	}
	return 0
}

// residentLine says whether the tray process runs and, with verbose, what
// it costs: the wezterm processes it started in the last minute.
func (r *runner) residentLine(line func(status, check, msg string), verbose bool) {
	dir, err := ipc.Dir(r.o.Getenv)
	if err != nil {
		line("info", "tray process", err.Error())
		return
	}
	st, err := resident.AskStats(dir)
	switch {
	case errors.Is(err, ipc.ErrRefused):
		line("FAIL", "tray process", fmt.Sprintf("not asked: %v (remove what is not yours, or set %s to a folder of your own)", err, ipc.EnvDir))
		return
	case err != nil:
		line("info", "tray process", "not running (`wezterm-parallel --hidden` starts it; the window starts it too)")
		return
	}
	msg := fmt.Sprintf("pid %d, up %s, window %s, %d wezterm processes in the last minute", st.PID, st.Uptime,
		map[bool]string{true: "open", false: "closed"}[st.Window], st.Wezterm.Total)
	if verbose {
		var parts []string
		for _, k := range st.Wezterm.Keys() {
			parts = append(parts, fmt.Sprintf("%s %d", k, st.Wezterm.ByKey[k]))
		}
		if len(parts) > 0 {
			msg += " (" + strings.Join(parts, ", ") + ")"
		}
		if st.RSS > 0 {
			msg += fmt.Sprintf(", RSS %.1f MiB", float64(st.RSS)/(1<<20))
			if st.Go > 0 {
				msg += fmt.Sprintf(" (Go runtime %.1f MiB, live heap %.1f MiB)", float64(st.Go)/(1<<20), float64(st.Heap)/(1<<20))
			}
		}
		if !st.Tray {
			msg += ", no tray icon"
		}
	}
	line("ok", "tray process", msg)
}
