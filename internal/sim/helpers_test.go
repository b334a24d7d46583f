//go:build unix

package sim

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// startTestServer runs an in-process server on a short socket path and
// points the in-process CLI at it.
func startTestServer(t *testing.T, cfg Config) *Server {
	t.Helper()
	dir, err := os.MkdirTemp("", "wsim")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	cfg.Socket = filepath.Join(dir, "sock")
	if len(cfg.Shell) == 0 {
		cfg.Shell = []string{"/bin/sh"}
	}
	if cfg.Home == "" {
		cfg.Home = dir
	}
	cfg.Ordered = true
	srv, err := NewServer(cfg)
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve()
	t.Cleanup(func() { srv.Close() })
	testServer = srv
	// The tests' user has initial_cols/initial_rows set to the GUI's size
	// in wezterm.lua (cli adds them to spawn), so that new windows need no
	// resize; plainSpawn spawns with WezTerm's default 80×24.
	cols, rows := cfg.Cols, cfg.Rows
	if cols == 0 || rows == 0 {
		cols, rows = 160, 48 // NewServer's defaults
	}
	initialFlags = []string{"--config", "initial_cols=" + strconv.Itoa(cols), "--config", "initial_rows=" + strconv.Itoa(rows)}
	t.Setenv("WEZTERM_UNIX_SOCKET", cfg.Socket)
	t.Setenv("WEZTERM_SIM_NO_AUTOSTART", "1")
	os.Unsetenv("WEZTERM_PANE")
	return srv
}

type result struct {
	stdout, stderr string
	code           int
}

// run calls the in-process CLI: run(t, "cli", "--no-auto-start", "list").
func run(t *testing.T, args ...string) result {
	t.Helper()
	var out, errb bytes.Buffer
	code := Main(args, strings.NewReader(""), &out, &errb)
	return result{out.String(), errb.String(), code}
}

var (
	initialFlags []string
	testServer   *Server // the last one started
)

// cli runs `cli --no-auto-start args...` and fails the test on error.
func cli(t *testing.T, args ...string) string {
	t.Helper()
	argv := append([]string{"cli", "--no-auto-start"}, args...)
	if len(args) > 0 && args[0] == "spawn" {
		argv = append(append([]string(nil), initialFlags...), argv...)
	}
	r := run(t, argv...)
	if r.code != 0 {
		t.Fatalf("cli %v: exit %d: %s", args, r.code, r.stderr)
	}
	return r.stdout
}

// eventually polls cond for up to 10 s.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
