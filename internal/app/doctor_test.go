//go:build unix

package app_test

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/wezterm-parallel/wezterm-parallel/internal/app"
	"github.com/wezterm-parallel/wezterm-parallel/internal/sim"
	"github.com/wezterm-parallel/wezterm-parallel/internal/wsswitch"
)

// Issue 19: doctor says which GUI it talks to (socket → pid, alive), also
// when the environment's socket is stale and the GUI on screen answers
// elsewhere.
func TestDoctorSaysWhichGUI(t *testing.T) {
	e := startSim(t, sim.Config{})
	run := filepath.Join(e.Dir, "run")
	wz := filepath.Join(run, "wezterm")
	os.MkdirAll(wz, 0o700)
	gui, err := sim.NewServer(sim.Config{Socket: filepath.Join(wz, "gui-sock-"+strconv.Itoa(os.Getpid())), Shell: []string{"/bin/sh"}, Home: e.Dir})
	if err != nil {
		t.Fatal(err)
	}
	go gui.Serve()
	t.Cleanup(func() { gui.Close() })
	gui.EnsureWorkspace("default")
	var env []string
	for _, kv := range e.Env {
		if !strings.HasPrefix(kv, "WEZTERM_UNIX_SOCKET=") && !strings.HasPrefix(kv, "XDG_RUNTIME_DIR=") {
			env = append(env, kv)
		}
	}
	env = append(env, "XDG_RUNTIME_DIR="+run, "WEZTERM_UNIX_SOCKET="+filepath.Join(wz, "gui-sock-1"))
	out, errOut, code := runApp(t, app.Options{Env: env}, "--wezterm", e.Link, "doctor")
	if errOut != "" {
		t.Errorf("stderr: %q (the choice of socket goes to the log)", errOut)
	}
	want := "gui-sock-" + strconv.Itoa(os.Getpid()) + " (WEZTERM_UNIX_SOCKET) → GUI pid " + strconv.Itoa(os.Getpid()) + ", alive"
	if code != 0 || !strings.Contains(out, want) || !strings.Contains(out, "gui-sock-1 (WEZTERM_UNIX_SOCKET) does not answer") {
		t.Errorf("exit %d, want %q and the stale socket named:\n%s", code, want, out)
	}
}

// The snippet in a file is not the snippet loaded: doctor asks the GUI.
func TestDoctorSnippetLoadedNotMerelyPresent(t *testing.T) {
	home := t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("XDG_CONFIG_HOME", filepath.Join(home, ".config"))
	t.Setenv("XDG_CACHE_HOME", filepath.Join(home, ".cache"))
	if _, err := wsswitch.Install(filepath.Join(home, ".wezterm.lua"), home, false, timeNow()); err != nil {
		t.Fatal(err)
	}
	s := startSim(t, sim.Config{})
	s.Server.EnsureWorkspace("default")
	out, _, _ := runApp(t, app.Options{Env: s.Env}, "--wezterm", s.Link, "doctor")
	if !strings.Contains(out, "warn  switch snippet") || !strings.Contains(out, "has not loaded it") {
		t.Errorf("present but not loaded:\n%s", out)
	}
	s.Server.Control("snippet", "on")
	out, _, _ = runApp(t, app.Options{Env: s.Env}, "--wezterm", s.Link, "doctor")
	if !strings.Contains(out, "ok    switch snippet   loaded: the GUI answered") {
		t.Errorf("loaded:\n%s", out)
	}
	if !strings.Contains(out, "ok    GUI version      "+sim.DefaultVersion) {
		t.Errorf("same versions:\n%s", out)
	}
}

// A wezterm binary whose release differs from the running GUI's (an
// upgrade, or a nightly that raised the mux protocol version).
func TestDoctorVersionSkew(t *testing.T) {
	home := t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("XDG_CONFIG_HOME", filepath.Join(home, ".config"))
	t.Setenv("XDG_CACHE_HOME", filepath.Join(home, ".cache"))
	wsswitch.Install(filepath.Join(home, ".wezterm.lua"), home, false, timeNow())
	s := startSim(t, sim.Config{LuaSnippet: true, Version: "20240203-110809-5046fc22"})
	s.Server.EnsureWorkspace("default")
	env := append(append([]string(nil), s.Env...), "WEZTERM_SIM_CLI_VERSION=20250223-062404-4ff581a8")
	out, _, _ := runApp(t, app.Options{Env: env}, "--wezterm", s.Link, "doctor")
	if !strings.Contains(out, "warn  GUI version      the GUI") || !strings.Contains(out, "is 20240203-110809-5046fc22") ||
		!strings.Contains(out, "the CLI 20250223-062404-4ff581a8") {
		t.Errorf("version skew:\n%s", out)
	}
}

func timeNow() time.Time { return time.Now() }
