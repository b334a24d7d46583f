//go:build unix

package wezterm_test

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/wezterm-parallel/wezterm-parallel/internal/execx"
	"github.com/wezterm-parallel/wezterm-parallel/internal/sim"
	"github.com/wezterm-parallel/wezterm-parallel/internal/wezterm"
)

// discoveryEnv is a private runtime folder with a stand-in GUI listening
// on gui-sock-PID in it, as a WezTerm GUI does, and an environment that
// names nothing: no WEZTERM_* variables.
func discoveryEnv(t *testing.T) (runtimeDir string, gui *sim.Server, link string, base []string) {
	t.Helper()
	e := startSim(t, sim.Config{}) // only for its wezterm-sim link
	runDir := filepath.Join(e.Dir, "run")
	wz := filepath.Join(runDir, "wezterm")
	os.MkdirAll(wz, 0o700)
	srv, err := sim.NewServer(sim.Config{Socket: filepath.Join(wz, "gui-sock-"+strconv.Itoa(os.Getpid())),
		Shell: []string{"/bin/sh"}, Home: e.Dir, Ordered: true})
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve()
	t.Cleanup(func() { srv.Close() })
	if err := srv.EnsureWorkspace("on-screen"); err != nil {
		t.Fatal(err)
	}
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "WEZTERM_") && !strings.HasPrefix(kv, "XDG_RUNTIME_DIR=") && !strings.HasPrefix(kv, "DISPLAY=") {
			base = append(base, kv)
		}
	}
	base = append(base, "XDG_RUNTIME_DIR="+runDir, "DISPLAY=:77", "WEZTERM_SIM_NO_AUTOSTART=1", "GORACE=atexit_sleep_ms=0")
	return wz, srv, e.Link, base
}

func workspaces(t *testing.T, c *wezterm.Client) string {
	t.Helper()
	panes, err := c.List(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var ws []string
	for _, p := range panes {
		ws = append(ws, p.Workspace)
	}
	return strings.Join(ws, ",")
}

// Issue 19: a stale WEZTERM_UNIX_SOCKET (inherited from a pane of a GUI
// that has since restarted) made every call fail while WezTerm was open.
func TestStaleInheritedSocketFindsTheGUI(t *testing.T) {
	wz, _, link, base := discoveryEnv(t)
	env := append(base, "WEZTERM_UNIX_SOCKET="+filepath.Join(wz, "gui-sock-1"))
	c := wezterm.New(link, execx.Exec{}, wezterm.WithEnv(env))
	if got := workspaces(t, c); got != "on-screen" {
		t.Errorf("panes from %q, want the GUI's", got)
	}
	if ep, note := c.Endpoint(); ep.GUIPID != os.Getpid() || !strings.Contains(note, "does not answer") {
		t.Errorf("endpoint %+v, note %q", ep, note)
	}
}

// A GUI started with --class, --config-file, --always-new-process or
// `wezterm connect` publishes no link: the CLI falls back to the mux
// server socket — here a hidden mux server that answers with panes nobody
// sees. The GUI's socket wins.
func TestNoLinkPrefersTheGUIOverAHiddenMux(t *testing.T) {
	wz, _, link, base := discoveryEnv(t)
	mux, err := sim.NewServer(sim.Config{Socket: filepath.Join(wz, "sock"), Shell: []string{"/bin/sh"}, NoGUI: true, Ordered: true})
	if err != nil {
		t.Fatal(err)
	}
	go mux.Serve()
	t.Cleanup(func() { mux.Close() })
	mux.EnsureWorkspace("hidden-mux")
	c := wezterm.New(link, execx.Exec{}, wezterm.WithEnv(base))
	if got := workspaces(t, c); got != "on-screen" {
		t.Errorf("panes from %q, want the GUI's, not the hidden mux server's", got)
	}
	// Without discovery, what wezterm cli itself does: the mux server.
	raw := wezterm.New(link, execx.Exec{}, wezterm.WithEnv(base), wezterm.WithoutDiscovery())
	if got := workspaces(t, raw); got != "hidden-mux" {
		t.Errorf("plain wezterm cli reached %q", got)
	}
}

// A GUI that crashed leaves its link (NameHolder removes it only on a
// clean exit): the link's dead target is passed over for a live GUI.
func TestStaleLinkFindsTheGUI(t *testing.T) {
	wz, _, link, base := discoveryEnv(t)
	if err := os.Symlink(filepath.Join(wz, "gui-sock-1"), filepath.Join(wz, "x11-:77-"+wezterm.DefaultClass)); err != nil {
		t.Fatal(err)
	}
	c := wezterm.New(link, execx.Exec{}, wezterm.WithEnv(base))
	if got := workspaces(t, c); got != "on-screen" {
		t.Errorf("panes from %q", got)
	}
}

// A GUI attached with `wezterm connect unix` publishes no link and shows
// the mux server's panes (its own socket lists local copies without ttys,
// seen on WezTerm 20250223): a mux server with a client is kept.
func TestMuxWithAClientIsKept(t *testing.T) {
	wz, _, link, base := discoveryEnv(t)
	mux, err := sim.NewServer(sim.Config{Socket: filepath.Join(wz, "sock"), Shell: []string{"/bin/sh"}, Ordered: true})
	if err != nil {
		t.Fatal(err)
	}
	go mux.Serve()
	t.Cleanup(func() { mux.Close() })
	mux.EnsureWorkspace("shown-by-connect")
	c := wezterm.New(link, execx.Exec{}, wezterm.WithEnv(base))
	if got := workspaces(t, c); got != "shown-by-connect" {
		t.Errorf("panes from %q, want the mux server's", got)
	}
}
