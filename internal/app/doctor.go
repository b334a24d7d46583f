package app

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/wezterm-parallel/wezterm-parallel/internal/ipc"
	"github.com/wezterm-parallel/wezterm-parallel/internal/resident"
	"github.com/wezterm-parallel/wezterm-parallel/internal/textsafe"

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
	r.pricesLine(line, time.Now())
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
	r.socketLines(line, c)
	guiPID := 0
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
			if gui.Workspace == "" {
				line("warn", "GUI client", fmt.Sprintf("pid %d reports no workspace: a GUI attached with `wezterm connect` (the mux server never learns its workspace), so switching workspaces from outside cannot work", gui.PID))
			} else {
				line("ok", "GUI client", fmt.Sprintf("pid %d shows workspace %q, focused pane %s", gui.PID, gui.Workspace, focus))
			}
			guiPID = gui.PID
		} else {
			line("warn", "GUI client", "none attached (a headless mux server): panes exist but nothing shows them")
		}
	}
	home, _ := os.UserHomeDir()
	loaded, fromPane := wsswitch.LoadedConfig(ctx, panes)
	if fromPane {
		line("ok", "config file", "WezTerm loaded "+textsafe.Escape(loaded)+" (WEZTERM_CONFIG_FILE in its panes)")
	} else {
		line("info", "config file", "no pane names the file WezTerm loaded (none, or not Linux); by WezTerm's search order: "+
			textsafe.Escape(wsswitch.ConfigPath(r.o.Getenv, home)))
	}
	var pong *wsswitch.Pong
	switch st := wsswitch.CheckInstalled(r.o.Getenv, home); {
	case !v.Has(wezterm.FeatUserVarChanged):
		line("warn", "switch snippet", fmt.Sprintf("WezTerm %s has no user-var-changed event (since %s): switching workspaces from outside needs a newer WezTerm", v, wezterm.Since(wezterm.FeatUserVarChanged)))
	case !st.OK:
		line("warn", "switch snippet", st.Detail)
	case guiPID == 0:
		line("ok", "switch snippet", st.Detail+"; not checked whether loaded (no GUI)")
	default:
		sw := wsswitch.New(c)
		sw.Wait = 1500 * time.Millisecond
		start := time.Now()
		p, err := sw.Ping(ctx)
		switch {
		case err == nil:
			pong = &p
			line("ok", "switch snippet", fmt.Sprintf("loaded: the GUI answered in %s (config %s); %s", time.Since(start).Round(time.Millisecond), textsafe.Escape(p.ConfigFile), st.Detail))
		case errors.Is(err, wsswitch.ErrNoPong) && sw.Legacy:
			line("warn", "switch snippet", st.Detail+"; an old snippet cannot answer whether it is loaded")
		case errors.Is(err, wsswitch.ErrNoPong):
			why := "restart WezTerm (a config file created while it runs is read only at its next start), or see its log for a Lua error"
			if found, _ := wsswitch.FindSnippet(r.o.Getenv); fromPane && found != "" && found != loaded {
				why = "WezTerm loaded " + textsafe.Escape(loaded) + ", not " + textsafe.Escape(found) + ": `wezterm-parallel lua --install` puts it there"
			}
			line("warn", "switch snippet", st.Detail+", but WezTerm has not loaded it: "+why)
		default:
			line("warn", "switch snippet", st.Detail+"; could not ask the GUI: "+r.explain(err))
		}
	}
	r.versionLine(line, v, guiPID, pong)
	if failed {
		return 1
	}
	return 0
}

// socketLines say which WezTerm answers: the socket, how it was found (as
// wezterm cli finds it), the GUI's pid in its name and whether it lives;
// when the environment's socket was passed over for the GUI on screen, why.
func (r *runner) socketLines(line func(status, check, msg string), c *wezterm.Client) {
	ep, note := c.Endpoint()
	msg := fmt.Sprintf("%s (%s)", textsafe.Escape(ep.Socket), ep.Via)
	switch {
	case ep.GUIPID > 0:
		msg += fmt.Sprintf(" → GUI pid %d, %s", ep.GUIPID, map[bool]string{true: "alive", false: "not running"}[pidAlive(ep.GUIPID)])
	case ep.IsMux():
		msg += " → a mux server (no GUI link for this DISPLAY/WAYLAND_DISPLAY)"
	}
	status := "ok"
	if note != "" {
		status, msg = "warn", msg+"; "+textsafe.Escape(note)
	}
	line(status, "socket", msg)
	if live := wezterm.LiveGUISockets(envGetter(c.Env())); len(live) > 1 {
		var pids []string
		for _, l := range live {
			pids = append(pids, fmt.Sprint(l.GUIPID))
		}
		line("warn", "socket", fmt.Sprintf("%d WezTerm GUIs answer (pids %s): each has its own panes; the app sees one", len(live), strings.Join(pids, ", ")))
	}
}

// versionLine compares the CLI's release with the GUI's: the snippet's
// answer when it gave one, else the wezterm beside the GUI's executable.
// A GUI left running after an upgrade (its executable replaced) or a
// nightly with another mux protocol makes calls fail with decode errors.
func (r *runner) versionLine(line func(status, check, msg string), v wezterm.Version, guiPID int, pong *wsswitch.Pong) {
	if guiPID == 0 {
		return
	}
	gv, how := "", ""
	exe, err := os.Readlink(fmt.Sprintf("/proc/%d/exe", guiPID))
	if pong != nil && pong.Version != "" {
		gv, how = pong.Version, "as the GUI's Lua says"
	} else if err == nil && !strings.HasSuffix(exe, " (deleted)") {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if out, err := exec.CommandContext(ctx, filepath.Join(filepath.Dir(exe), "wezterm"), "--version").Output(); err == nil {
			gv, how = wezterm.ParseVersion(string(out)).Raw, "the wezterm beside "+textsafe.Escape(exe)
		}
	}
	switch {
	case err == nil && strings.HasSuffix(exe, " (deleted)"):
		line("warn", "GUI version", fmt.Sprintf("the GUI (pid %d) runs %s, replaced on disk since it started (an upgrade?): restart WezTerm so that it and `wezterm cli` %s agree", guiPID, textsafe.Escape(exe), v.Raw))
	case gv == "":
		line("info", "GUI version", fmt.Sprintf("not known (pid %d)", guiPID))
	case gv != v.Raw:
		line("warn", "GUI version", fmt.Sprintf("the GUI (pid %d) is %s (%s), the CLI %s: a different mux protocol makes calls fail; restart WezTerm or use the matching wezterm", guiPID, gv, how, v.Raw))
	default:
		line("ok", "GUI version", fmt.Sprintf("%s, the CLI's (%s)", gv, how))
	}
}

func pidAlive(pid int) bool {
	p, err := os.FindProcess(pid)
	if err != nil {
		return false
	}
	return p.Signal(syscall.Signal(0)) == nil
}

func envGetter(env []string) func(string) string {
	return func(k string) string {
		for i := len(env) - 1; i >= 0; i-- {
			if v, ok := strings.CutPrefix(env[i], k+"="); ok {
				return v
			}
		}
		return ""
	}
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
