//go:build unix

// Package simtest runs the stand-in for tests of other packages: an
// in-process server (so -race sees it) and a wezterm-sim link to the test
// binary itself, which acts as the CLI when its TestMain calls Main.
package simtest

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/wezterm-parallel/wezterm-parallel/internal/execx"
	"github.com/wezterm-parallel/wezterm-parallel/internal/sim"
	"github.com/wezterm-parallel/wezterm-parallel/internal/wezterm"
)

// Main is the body of TestMain for packages that use Start: when the test
// binary runs as wezterm-sim it is the stand-in's CLI; otherwise it runs the
// tests.
func Main(m *testing.M) {
	if sim.IsSimName(os.Args[0]) {
		os.Exit(sim.Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}

// Env is a running stand-in.
type Env struct {
	Server *sim.Server
	Link   string   // the wezterm binary to use: a wezterm-sim link to the test binary
	Env    []string // environment reaching the server
	Dir    string   // a short temp dir (unix socket paths are limited to ~100 bytes)
}

// Start runs a stand-in until the test ends. cfg.Socket, Shell and Home get
// test defaults when empty.
func Start(t testing.TB, cfg sim.Config) *Env {
	t.Helper()
	dir, err := os.MkdirTemp("", "wsim")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "wezterm-sim")
	if err := os.Symlink(exe, link); err != nil {
		t.Fatal(err)
	}
	cfg.Socket = filepath.Join(dir, "sock")
	if len(cfg.Shell) == 0 {
		cfg.Shell = []string{"/bin/sh"}
	}
	if cfg.Home == "" {
		cfg.Home = dir
	}
	srv, err := sim.NewServer(cfg)
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve()
	t.Cleanup(func() { srv.Close() })
	// atexit_sleep_ms=0: a -race child otherwise sleeps 1 s before exiting.
	// WEZTERM_PANE is set so that tests notice if it leaks into a call.
	// XDG_RUNTIME_DIR is the test's own: a client that looks for a GUI
	// (wezterm.Client.findGUI) must never find the developer's WezTerm.
	env := append(os.Environ(), "WEZTERM_UNIX_SOCKET="+cfg.Socket, "WEZTERM_SIM_NO_AUTOSTART=1",
		"WEZTERM_PANE=0", "GORACE=atexit_sleep_ms=0", "XDG_RUNTIME_DIR="+dir)
	return &Env{Server: srv, Link: link, Env: env, Dir: dir}
}

// Client returns a real client (real processes) for the stand-in.
func (e *Env) Client(opts ...wezterm.Option) *wezterm.Client {
	base := []wezterm.Option{wezterm.WithEnv(e.Env), wezterm.WithTimeout(10 * time.Second)}
	return wezterm.New(e.Link, execx.Exec{}, append(base, opts...)...)
}

// Eventually polls cond every 30 ms for up to 15 s.
func Eventually(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(30 * time.Millisecond)
	}
}
