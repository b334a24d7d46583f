//go:build unix

package difftest

// The product itself against a real WezTerm (issue 19): workspace
// switching through the real Lua config, finding the GUI from outside, and
// launching the bundled layouts. Each test needs WEZTERM_PARALLEL_REAL_WEZTERM
// and says so when it is absent; each has a control that shows, on the real
// WezTerm, what the product did before.

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/wezterm-parallel/wezterm-parallel/assets"
	"github.com/wezterm-parallel/wezterm-parallel/internal/app"
	"github.com/wezterm-parallel/wezterm-parallel/internal/execx"
	"github.com/wezterm-parallel/wezterm-parallel/internal/launch"
	"github.com/wezterm-parallel/wezterm-parallel/internal/layout"
	"github.com/wezterm-parallel/wezterm-parallel/internal/topology"
	"github.com/wezterm-parallel/wezterm-parallel/internal/wezterm"
	"github.com/wezterm-parallel/wezterm-parallel/internal/wsswitch"
)

func needReal(t *testing.T) string {
	t.Helper()
	bin := os.Getenv(EnvReal)
	if bin == "" {
		t.Skipf("%s is not set: this test runs only against a real WezTerm", EnvReal)
	}
	return bin
}

func (r *real) client(extra ...wezterm.Option) *wezterm.Client {
	return wezterm.New(r.bin, execx.Exec{}, append([]wezterm.Option{wezterm.WithEnv(r.env), wezterm.WithTimeout(10 * time.Second)}, extra...)...)
}

// asUser points this process's HOME and cache at the run's, as the
// product would run for that user (the snippet's files are under them).
func (r *real) asUser(t *testing.T) {
	t.Setenv("HOME", r.homeDir)
	t.Setenv("XDG_CACHE_HOME", filepath.Join(r.homeDir, ".cache"))
	t.Setenv("XDG_CONFIG_HOME", filepath.Join(r.homeDir, ".config"))
}

func guiWorkspace(t *testing.T, c *wezterm.Client) string {
	t.Helper()
	cs, err := c.ListClients(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	g, _ := wezterm.GUIClient(cs)
	return g.Workspace
}

// oldSnippet is what `lua --install` wrote before issue 19: a module in
// ~/.config/wezterm reacting to switch_workspace, required just before
// the config's return.
const oldSnippet = `-- wezterm-parallel: workspace switching
local wezterm = require 'wezterm'
wezterm.on('user-var-changed', function(window, pane, name, value)
  if name == "switch_workspace" then
    window:perform_action(wezterm.action.SwitchToWorkspace { name = value }, pane)
  end
end)

return {}
`

const oldRequire = "pcall(require, 'wezterm_parallel') -- wezterm-parallel: workspace switching"

// userHandlerThatErrors is a user's own handler, registered before ours,
// that fails on values it does not expect (JSON-parses every user var).
const userHandlerThatErrors = `local wezterm = require 'wezterm'
wezterm.on('user-var-changed', function(window, pane, name, value)
  local v = wezterm.json_parse(value)
end)
`

// switchOnce spawns a window in workspace "other" and switches the GUI to it.
func switchOnce(t *testing.T, r *real, legacy bool) error {
	t.Helper()
	c := r.client()
	ctx := context.Background()
	if _, err := c.Spawn(ctx, wezterm.SpawnOptions{NewWindow: true, Workspace: "other"}); err != nil {
		t.Fatal(err)
	}
	s := wsswitch.New(c)
	s.Legacy = legacy
	var err error
	// A config WezTerm reloads by itself takes a moment to be re-read.
	for i := 0; i < 4; i++ {
		if err = s.Switch(ctx, "other"); err == nil {
			break
		}
	}
	if err == nil && guiWorkspace(t, c) != "other" {
		err = errors.New("list-clients does not show the switch")
	}
	return err
}

func TestRealWorkspaceSwitch(t *testing.T) {
	bin := needReal(t)
	sw := `front_end = "Software", default_prog = { "/bin/sh" }, check_for_updates = false`

	t.Run("fresh HOME: lua --install, then WezTerm starts", func(t *testing.T) {
		// No config file at all: lua --install creates one, where WezTerm
		// looks; WezTerm reads a new file only when it starts.
		r := startRealWith(t, bin, realOpts{mode: "gui", prepare: func(r *real) {
			r.asUser(t)
			get := func(k string) string {
				return map[string]string{"XDG_CONFIG_HOME": filepath.Join(r.homeDir, ".config")}[k]
			}
			res, err := wsswitch.Install(wsswitch.ConfigPath(get, r.homeDir), r.homeDir, false, time.Now())
			if err != nil || !res.Created {
				t.Fatalf("%+v %v", res, err)
			}
		}})
		if err := switchOnce(t, r, false); err != nil {
			t.Fatal(err)
		}
	})

	t.Run("both config files: the one WezTerm loaded is edited", func(t *testing.T) {
		r := startRealWith(t, bin, realOpts{mode: "gui", config: "return { " + sw + " }\n"})
		xdg := filepath.Join(r.homeDir, ".config", "wezterm", "wezterm.lua")
		os.MkdirAll(filepath.Dir(xdg), 0o700)
		os.WriteFile(xdg, []byte("return { "+sw+" }\n"), 0o600)
		r.asUser(t)
		panes, err := r.client().List(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		loaded, ok := wsswitch.LoadedConfig(context.Background(), panes)
		if !ok || loaded != filepath.Join(r.homeDir, ".wezterm.lua") {
			t.Fatalf("LoadedConfig = %q %v, want ~/.wezterm.lua (loaded before the XDG file since 20230320)", loaded, ok)
		}
		// Control: the XDG file, which lua --install edited before, is
		// never read.
		if _, err := wsswitch.Install(xdg, r.homeDir, false, time.Now()); err != nil {
			t.Fatal(err)
		}
		time.Sleep(1500 * time.Millisecond)
		s := wsswitch.New(r.client())
		s.Wait = time.Second
		if _, err := s.Ping(context.Background()); !errors.Is(err, wsswitch.ErrNoPong) {
			t.Errorf("control: the snippet in the XDG file answered (%v): WezTerm read it", err)
		}
		if _, err := wsswitch.Install(loaded, r.homeDir, false, time.Now()); err != nil {
			t.Fatal(err)
		}
		if err := switchOnce(t, r, false); err != nil {
			t.Fatal(err)
		}
		s.Wait = 3 * time.Second
		if p, err := s.Ping(context.Background()); err != nil || p.ConfigFile != loaded {
			t.Errorf("ping: %+v %v", p, err)
		}
	})

	t.Run("an earlier user handler that errors", func(t *testing.T) {
		cfg := userHandlerThatErrors + "return { " + sw + " }\n"
		// Control: the old install (require before the return) is stopped
		// by the user's failing handler.
		old := startRealWith(t, bin, realOpts{mode: "gui", config: strings.Replace(cfg, "return {", oldRequire+"\nreturn {", 1)})
		os.MkdirAll(filepath.Join(old.homeDir, ".config", "wezterm"), 0o700)
		os.WriteFile(filepath.Join(old.homeDir, ".config", "wezterm", "wezterm_parallel.lua"), []byte(oldSnippet), 0o644)
		old.asUser(t)
		if err := switchOnce(t, old, true); err == nil {
			t.Error("control: the old install switched despite the failing handler")
		}
		r := startRealWith(t, bin, realOpts{mode: "gui", config: cfg})
		r.asUser(t)
		if _, err := wsswitch.Install(filepath.Join(r.homeDir, ".wezterm.lua"), r.homeDir, false, time.Now()); err != nil {
			t.Fatal(err)
		}
		if err := switchOnce(t, r, false); err != nil {
			t.Fatal(err)
		}
	})

	t.Run("XDG_CONFIG_HOME elsewhere", func(t *testing.T) {
		elsewhere := t.TempDir()
		cfg := "return { " + sw + " }\n"
		old := startRealWith(t, bin, realOpts{mode: "gui", config: strings.Replace(cfg, "return {", oldRequire+"\nreturn {", 1),
			env: map[string]string{"XDG_CONFIG_HOME": elsewhere}})
		os.MkdirAll(filepath.Join(old.homeDir, ".config", "wezterm"), 0o700)
		os.WriteFile(filepath.Join(old.homeDir, ".config", "wezterm", "wezterm_parallel.lua"), []byte(oldSnippet), 0o644)
		old.asUser(t)
		if err := switchOnce(t, old, true); err == nil {
			t.Error("control: the old module in ~/.config/wezterm was found though XDG_CONFIG_HOME points elsewhere")
		}
		r := startRealWith(t, bin, realOpts{mode: "gui", config: cfg, env: map[string]string{"XDG_CONFIG_HOME": elsewhere}})
		r.asUser(t)
		if _, err := wsswitch.Install(filepath.Join(r.homeDir, ".wezterm.lua"), r.homeDir, false, time.Now()); err != nil {
			t.Fatal(err)
		}
		if err := switchOnce(t, r, false); err != nil {
			t.Fatal(err)
		}
	})
}

func mustRead(t *testing.T, p string) []byte {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// listFrom returns the workspaces of the panes a client sees.
func listFrom(t *testing.T, c *wezterm.Client) (string, error) {
	t.Helper()
	panes, err := c.List(context.Background())
	if err != nil {
		return "", err
	}
	seen := map[string]bool{}
	var ws []string
	for _, p := range panes {
		if !seen[p.Workspace] {
			seen[p.Workspace] = true
			ws = append(ws, p.Workspace)
		}
	}
	return strings.Join(ws, ","), nil
}

// noWezterm is the environment of a desktop launcher or the tray's
// autostart: no WEZTERM_* variables.
func (r *real) noWezterm() []string {
	var env []string
	for _, kv := range r.env {
		if !strings.HasPrefix(kv, "WEZTERM_") {
			env = append(env, kv)
		}
	}
	return env
}

func TestRealDiscovery(t *testing.T) {
	bin := needReal(t)
	cfg := `return { front_end = "Software", default_prog = { "/bin/sh" }, default_workspace = "on-screen" }` + "\n"
	plain := func(t *testing.T, r *real, env []string) error {
		t.Helper()
		res := r.cliEnv(env, nil, []string{"list", "--format", "json"}, "")
		if res.Code != 0 {
			return errors.New(strings.TrimSpace(res.Stderr))
		}
		if !strings.Contains(res.Stdout, `"on-screen"`) {
			return fmt.Errorf("answered by another WezTerm: %.80s", res.Stdout)
		}
		return nil
	}
	product := func(t *testing.T, env []string, bin string) (string, string) {
		t.Helper()
		c := wezterm.New(bin, execx.Exec{}, wezterm.WithEnv(env))
		ws, err := listFrom(t, c)
		if err != nil {
			t.Fatalf("the product: %v", err)
		}
		_, note := c.Endpoint()
		return ws, note
	}

	t.Run("no WEZTERM_* variables", func(t *testing.T) {
		r := startRealWith(t, bin, realOpts{mode: "gui", config: cfg})
		if err := plain(t, r, r.noWezterm()); err != nil {
			t.Errorf("wezterm cli: %v", err)
		}
		if ws, _ := product(t, r.noWezterm(), bin); ws != "on-screen" {
			t.Errorf("product saw %q", ws)
		}
	})
	t.Run("a stale WEZTERM_UNIX_SOCKET", func(t *testing.T) {
		r := startRealWith(t, bin, realOpts{mode: "gui", config: cfg})
		env := withEnv(r.noWezterm(), "WEZTERM_UNIX_SOCKET", filepath.Join(r.runtime(), "gui-sock-1"))
		if err := plain(t, r, env); err == nil {
			t.Error("control: wezterm cli reached the GUI through a stale socket")
		}
		if ws, note := product(t, env, bin); ws != "on-screen" || note == "" {
			t.Errorf("product saw %q (%s)", ws, note)
		}
	})
	for _, tc := range []struct {
		name string
		args []string
	}{
		{"--class", []string{"start", "--class", "org.example.other"}},
		{"--config-file", nil}, // filled below
		{"--always-new-process", []string{"start", "--always-new-process"}},
	} {
		t.Run("a GUI started with "+tc.name+" and a hidden mux server", func(t *testing.T) {
			args := tc.args
			r := startRealWith(t, bin, realOpts{mode: "gui", config: cfg, noStart: true})
			if tc.name == "--config-file" {
				p := filepath.Join(r.homeDir, "other.lua")
				os.WriteFile(p, []byte(cfg), 0o600)
				args = []string{"--config-file", p}
			}
			o := realOpts{mode: "gui", guiArgs: args, linkless: true, display: r.display}
			if err := r.launch(o); err != nil {
				t.Fatal(err)
			}
			r.ready(t, o)
			// A --class GUI publishes a link for its own class only.
			if links, _ := filepath.Glob(filepath.Join(r.runtime(), "*-"+wezterm.DefaultClass)); len(links) > 0 {
				t.Errorf("the GUI published %v", links)
			}
			links, _ := filepath.Glob(filepath.Join(r.runtime(), "x11-*"))
			t.Logf("links: %v", links)
			if err := plain(t, r, r.noWezterm()); err == nil {
				t.Error("control: wezterm cli found a GUI that publishes no link")
			}
			// A headless mux server on the default socket (auto-started
			// earlier by some wezterm cli call without --no-auto-start).
			if err := r.start([]string{filepath.Join(filepath.Dir(bin), "wezterm-mux-server"), "--config", "default_workspace=\"hidden-mux\""}, "mux.log"); err != nil {
				t.Fatal(err)
			}
			deadline := time.Now().Add(10 * time.Second)
			for !strings.Contains(r.cliEnv(r.noWezterm(), nil, []string{"list"}, "").Stdout, "hidden-mux") {
				if time.Now().After(deadline) {
					t.Fatal("the mux server did not start")
				}
				time.Sleep(100 * time.Millisecond)
			}
			if err := plain(t, r, r.noWezterm()); err == nil {
				t.Error("control: wezterm cli reached the GUI, not the hidden mux server")
			}
			if ws, note := product(t, r.noWezterm(), bin); ws != "on-screen" || !strings.Contains(note, "mux server") {
				t.Errorf("product saw %q (%s), want the GUI's panes", ws, note)
			}
		})
	}
	t.Run("a crashed GUI's link", func(t *testing.T) {
		r := startRealWith(t, bin, realOpts{mode: "gui", config: cfg})
		for _, p := range r.procs[1:] {
			syscall.Kill(-p.Process.Pid, syscall.SIGKILL)
		}
		time.Sleep(500 * time.Millisecond)
		o := realOpts{mode: "gui", guiArgs: []string{"start", "--class", "again"}, linkless: true, display: r.display}
		if err := r.launch(o); err != nil {
			t.Fatal(err)
		}
		r.ready(t, o)
		if err := plain(t, r, r.noWezterm()); err == nil {
			t.Error("control: wezterm cli passed over the stale link")
		}
		if ws, _ := product(t, r.noWezterm(), bin); ws != "on-screen" {
			t.Errorf("product saw %q", ws)
		}
	})
	t.Run("wezterm connect unix", func(t *testing.T) {
		r := startRealWith(t, bin, realOpts{mode: "mux", config: cfg})
		xr := startRealWith(t, bin, realOpts{mode: "gui", noStart: true})
		o := realOpts{mode: "gui", guiArgs: []string{"connect", "unix"}, linkless: true, display: xr.display}
		if err := r.launch(o); err != nil {
			t.Fatal(err)
		}
		time.Sleep(3 * time.Second)
		c := wezterm.New(bin, execx.Exec{}, wezterm.WithEnv(r.noWezterm()))
		cs, err := c.ListClients(context.Background())
		if err != nil || len(cs) != 1 || cs[0].Workspace != "" {
			t.Fatalf("list-clients = %+v %v, want one client with workspace \"\"", cs, err)
		}
		if ws, err := listFrom(t, c); err != nil || ws != "on-screen" {
			t.Errorf("product saw %q %v, want the mux server's panes", ws, err)
		}
		if err := wsswitch.New(c).Switch(context.Background(), "x"); !errors.Is(err, wsswitch.ErrWorkspaceUnknown) {
			t.Errorf("switch: %v, want ErrWorkspaceUnknown", err)
		}
	})
}

// TestRealLaunchGeometry launches every bundled layout into the visible
// workspace and into a hidden one, and checks each pane is where the
// layout puts it in the shown window's size, within a cell — also after a
// switch shows the hidden one.
func TestRealLaunchGeometry(t *testing.T) {
	bin := needReal(t)
	cfg := `return { front_end = "Software", default_prog = { "/bin/sh" }, initial_cols = 120, initial_rows = 36 }` + "\n"
	names, _ := assets.Layouts.ReadDir("layouts")
	for _, de := range names {
		name := strings.TrimSuffix(de.Name(), ".toml")
		for _, mode := range []string{"visible", "hidden", "hidden, as launched before issue 19"} {
			hidden := mode != "visible"
			t.Run(name+"/"+mode, func(t *testing.T) {
				r := startRealWith(t, bin, realOpts{mode: "gui", config: cfg})
				r.maximize(t)
				r.asUser(t)
				if _, err := wsswitch.Install(filepath.Join(r.homeDir, ".wezterm.lua"), r.homeDir, false, time.Now()); err != nil {
					t.Fatal(err)
				}
				c := r.client()
				ctx := context.Background()
				data, _ := assets.Layouts.ReadFile("layouts/" + de.Name())
				l, err := layout.Parse("bundled:"+de.Name(), data, name, layout.CheckOptions{CWD: r.homeDir})
				if err != nil {
					t.Fatal(err)
				}
				ws := "default" // the visible one
				if hidden {
					ws = "launched"
				}
				p, err := launch.Make(l, launch.Options{Workspace: ws, Vars: layout.Vars{"agent_command": "sleep 600"}})
				if err != nil {
					t.Fatal(err)
				}
				var lc launch.Client = c
				old := strings.Contains(mode, "before")
				if old {
					lc = noInitialSize{c}
				}
				if _, err := launch.Run(ctx, lc, p, launch.RunOptions{}); err != nil {
					t.Fatal(err)
				}
				check := func(when string) {
					panes, _ := c.List(ctx)
					clients, _ := c.ListClients(ctx)
					tr := topology.Build(panes, clients)
					if old {
						// Control: the old launch is lopsided once shown.
						if strings.HasPrefix(when, "after") && launchedExactly(tr, ws, l) {
							t.Errorf("control: %s the old launch matched the layout", when)
						}
						logLaunched(t, when, tr, ws)
						return
					}
					checkLaunched(t, when, tr, ws, l)
				}
				check("right after the launch")
				if hidden {
					if err := wsswitch.New(c).Switch(ctx, ws); err != nil {
						t.Fatal(err)
					}
					time.Sleep(500 * time.Millisecond)
					check("after a switch shows it")
				}
			})
		}
	}
}

// checkLaunched compares the launched window's tabs (the last window of
// workspace ws) with the layout's geometry at the tab's size.
func checkLaunched(t *testing.T, when string, tr topology.Tree, ws string, l *layout.Layout) {
	t.Helper()
	var w *topology.Window
	for i := range tr.Workspaces {
		if tr.Workspaces[i].Name == ws {
			wins := tr.Workspaces[i].Windows
			w = &wins[len(wins)-1]
		}
	}
	if w == nil || len(w.Tabs) != len(l.Tabs) {
		t.Fatalf("%s: launched window not found in %q (%+v)", when, ws, w)
	}
	for ti, tab := range w.Tabs {
		want, ok := layout.Geometry(l.Tabs[ti], tab.Cols, tab.Rows)
		if !ok || len(want) != len(tab.Panes) {
			t.Fatalf("%s: tab %d: %d panes, layout %d", when, ti, len(tab.Panes), len(want))
		}
		var got, exp []string
		for i, p := range tab.Panes {
			g := want[i]
			got = append(got, fmt.Sprintf("%dx%d@%d,%d", p.Cols, p.Rows, p.Left, p.Top))
			exp = append(exp, fmt.Sprintf("%dx%d@%d,%d", g.Cols, g.Rows, g.Left, g.Top))
			if abs(p.Cols-g.Cols) > 1 || abs(p.Rows-g.Rows) > 1 || abs(p.Left-g.Left) > 1 || abs(p.Top-g.Top) > 1 {
				t.Errorf("%s: tab %d pane %d is %dx%d at %d,%d; the layout says %dx%d at %d,%d in %dx%d",
					when, ti, i, p.Cols, p.Rows, p.Left, p.Top, g.Cols, g.Rows, g.Left, g.Top, tab.Cols, tab.Rows)
			}
		}
		t.Logf("%s: tab %d (%dx%d): %s (layout: %s)", when, ti, tab.Cols, tab.Rows, strings.Join(got, " "), strings.Join(exp, " "))
	}
}

// launchedExactly: every pane of the launched window is where the layout
// puts it, to the cell.
func launchedExactly(tr topology.Tree, ws string, l *layout.Layout) bool {
	for _, w := range tr.Workspaces {
		if w.Name != ws {
			continue
		}
		win := w.Windows[len(w.Windows)-1]
		for ti, tab := range win.Tabs {
			want, ok := layout.Geometry(l.Tabs[ti], tab.Cols, tab.Rows)
			if !ok || len(want) != len(tab.Panes) {
				return false
			}
			for i, p := range tab.Panes {
				if g := want[i]; p.Cols != g.Cols || p.Rows != g.Rows || p.Left != g.Left || p.Top != g.Top {
					return false
				}
			}
		}
	}
	return true
}

// noInitialSize launches as before issue 19: the new window at WezTerm's
// initial size.
type noInitialSize struct{ *wezterm.Client }

func (n noInitialSize) Spawn(ctx context.Context, o wezterm.SpawnOptions) (wezterm.PaneID, error) {
	o.InitialCols, o.InitialRows = 0, 0
	return n.Client.Spawn(ctx, o)
}

func logLaunched(t *testing.T, when string, tr topology.Tree, ws string) {
	for _, w := range tr.Workspaces {
		if w.Name != ws {
			continue
		}
		win := w.Windows[len(w.Windows)-1]
		for ti, tab := range win.Tabs {
			var got []string
			for _, p := range tab.Panes {
				got = append(got, fmt.Sprintf("%dx%d@%d,%d", p.Cols, p.Rows, p.Left, p.Top))
			}
			t.Logf("%s: tab %d (%dx%d): %s", when, ti, tab.Cols, tab.Rows, strings.Join(got, " "))
		}
	}
}

// maximize makes the GUI's window larger than initial_cols×initial_rows,
// as a user's maximized window is (needs xdotool; else the test says so).
func (r *real) maximize(t *testing.T) {
	t.Helper()
	xdo, err := exec.LookPath("xdotool")
	if err != nil {
		t.Logf("no xdotool: the GUI's window stays at its initial size, so hidden and shown sizes agree")
		return
	}
	env := append(os.Environ(), "DISPLAY="+r.display)
	cmd := exec.Command(xdo, "search", "--sync", "--class", wezterm.DefaultClass)
	cmd.Env = env
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("xdotool search: %v", err)
	}
	win := strings.Fields(string(out))[0]
	cmd = exec.Command(xdo, "windowsize", win, "1400", "880")
	cmd.Env = env
	if err := cmd.Run(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		panes, _ := r.client().List(context.Background())
		if len(panes) > 0 && panes[0].Size.Cols > 120 {
			t.Logf("the GUI's window: %dx%d cells", panes[0].Size.Cols, panes[0].Size.Rows)
			return
		}
		if time.Now().After(deadline) {
			t.Fatal("the GUI did not resize")
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// TestRealSaveRoundTrip saves a running workspace with `layout save` —
// one pane in a project folder, one running a program, one where the user
// "ssh'ed away" (the remote shell's OSC 7 names build-box; the local
// foreground is ssh) — launches it again, and checks the copy: the same
// shape, the local folders, and never the remote path as a local one.
func TestRealSaveRoundTrip(t *testing.T) {
	bin := needReal(t)
	cfg := `return { front_end = "Software", default_prog = { "/bin/sh" }, initial_cols = 120, initial_rows = 36 }` + "\n"
	r := startRealWith(t, bin, realOpts{mode: "gui", config: cfg})
	r.asUser(t)
	proj := filepath.Join(r.dir, "proj")
	for _, d := range []string{"web", "api", "ops"} {
		os.MkdirAll(filepath.Join(proj, d), 0o700)
	}
	// An "ssh" on this machine: a shell under that name, after the remote
	// side's OSC 7 (what `ssh build-box` with shell integration there shows).
	sshBin := filepath.Join(r.dir, "bin", "ssh")
	os.MkdirAll(filepath.Dir(sshBin), 0o700)
	if err := os.WriteFile(sshBin, mustRead(t, "/bin/sh"), 0o755); err != nil {
		t.Fatal(err)
	}
	c := r.client()
	ctx := context.Background()
	p0, err := c.Spawn(ctx, wezterm.SpawnOptions{NewWindow: true, Workspace: "orig", CWD: filepath.Join(proj, "web"), InitialCols: 120, InitialRows: 36})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.SplitPane(ctx, p0, wezterm.SplitOptions{Direction: wezterm.Right, Percent: 40, CWD: filepath.Join(proj, "api"),
		Program: []string{"sleep", "301"}}); err != nil {
		t.Fatal(err)
	}
	ssh, err := c.SplitPane(ctx, p0, wezterm.SplitOptions{Direction: wezterm.Down, CWD: filepath.Join(proj, "ops"),
		Program: []string{"sh", "-c", `printf '\033]7;file://build-box/home/u/proj\033\\'; exec "$0"`, sshBin}})
	if err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		panes, _ := c.List(ctx)
		ok := false
		for _, p := range panes {
			ok = ok || p.PaneID == ssh && strings.Contains(p.CWD, "build-box")
		}
		if ok {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the ssh pane never reported build-box: %+v", panes)
		}
		time.Sleep(100 * time.Millisecond)
	}
	prefs := filepath.Join(r.dir, "prefs", "config.toml")
	app := func(args ...string) string {
		t.Helper()
		out, errOut, code := runProduct(t, r, append([]string{"--config", prefs, "--wezterm", bin}, args...)...)
		if code != 0 {
			t.Fatalf("wezterm-parallel %v: exit %d\n%s%s", args, code, out, errOut)
		}
		return out
	}
	app("layout", "save", "--workspace", "orig", "copy")
	saved := string(mustRead(t, filepath.Join(filepath.Dir(prefs), "layouts", "copy.toml")))
	t.Logf("saved:\n%s", saved)
	if strings.Contains(saved, "home/u") {
		t.Errorf("the remote folder was saved as a local one:\n%s", saved)
	}
	for _, want := range []string{`cwd = "` + proj + `"`, `cwd = "web"`, `cwd = "api"`, `cwd = "ops"`, `command = "sleep 301"`, sshBin} {
		if !strings.Contains(saved, want) {
			t.Errorf("saved layout lacks %s", want)
		}
	}
	app("launch", "--workspace", "copy", "copy")
	panes, _ := c.List(ctx)
	clients, _ := c.ListClients(ctx)
	tr := topology.Build(panes, clients)
	type cell struct {
		c, r, l, t int
		cwd        string
	}
	shape := func(ws string) []cell {
		var out []cell
		for _, w := range tr.Workspaces {
			if w.Name == ws {
				for _, win := range w.Windows {
					for _, tab := range win.Tabs {
						for _, p := range tab.Panes {
							out = append(out, cell{p.Cols, p.Rows, p.Left, p.Top, strings.TrimPrefix(p.CWD, proj)})
						}
					}
				}
			}
		}
		return out
	}
	a, b := shape("orig"), shape("copy")
	t.Logf("orig: %v\ncopy: %v", a, b)
	if len(a) != len(b) {
		t.Fatalf("pane counts differ")
	}
	for i := range a {
		// The ssh pane's copy starts in the folder ssh ran in and
		// reports it (no remote shell to send OSC 7 there). Sizes are
		// saved as percentages: within a cell.
		if a[i].cwd == "/home/u/proj" {
			a[i].cwd = "/ops"
		}
		if a[i].cwd != b[i].cwd || abs(a[i].c-b[i].c) > 1 || abs(a[i].r-b[i].r) > 1 || abs(a[i].l-b[i].l) > 1 || abs(a[i].t-b[i].t) > 1 {
			t.Errorf("pane %d: %+v, copy %+v", i, a[i], b[i])
		}
	}
}

// runProduct runs wezterm-parallel in this process with the run's
// environment.
func runProduct(t *testing.T, r *real, args ...string) (string, string, int) {
	t.Helper()
	var out, errb strings.Builder
	get := envGetter(r.env)
	code := app.Main(append([]string{"--log-file", filepath.Join(r.dir, "wp.log")}, args...),
		app.Options{Stdout: &out, Stderr: &errb, Env: r.env, Getenv: get})
	return out.String(), errb.String(), code
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
