//go:build unix

package app_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wezterm-parallel/wezterm-parallel/internal/app"
	"github.com/wezterm-parallel/wezterm-parallel/internal/sim"
	"github.com/wezterm-parallel/wezterm-parallel/internal/wezterm"
)

// Every command reads the preferences the same way: a broken file is
// named once, FILE:LINE:COL, on stderr, and the command runs on defaults.
func TestEveryCommandReportsABrokenConfigOnce(t *testing.T) {
	s := startSim(t, sim.Config{LuaSnippet: true})
	s.Server.EnsureWorkspace("default")
	dir := t.TempDir()
	cfg := filepath.Join(dir, "config.toml")
	broken := "wezterm_path = \"/opt/wezterm\"\ntheme = \"purple\"\n"
	os.WriteFile(cfg, []byte(broken), 0o600)
	want := cfg + ":2:1: theme must be"
	for _, args := range [][]string{
		{"list"}, {"list", "--json"}, {"top", "--iterations", "1"}, {"doctor"}, {"switch", "default"},
		{"jump", "0"}, {"layout", "list"}, {"launch", "--dry-run", "dev"}, {}, // the overview
	} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			full := append([]string{"--config", cfg, "--wezterm", s.Link}, args...)
			out, errOut, _ := runApp(t, app.Options{Env: s.Env, Getenv: func(string) string { return "" }}, full...)
			if n := strings.Count(errOut, want); n != 1 {
				t.Errorf("stderr names the problem %d times, want once:\n%s", n, errOut)
			}
			if len(args) > 0 && args[0] == "doctor" && !strings.Contains(out, "warn  preferences") {
				t.Errorf("doctor has no preferences line:\n%s", out)
			}
		})
	}
	if data, _ := os.ReadFile(cfg); string(data) != broken {
		t.Errorf("a command changed the broken file: %q", data)
	}
	// Without --wezterm, the missing binary is not blamed alone: the
	// message says the preferences did not load.
	_, errOut, code := runApp(t, app.Options{Env: s.Env, Getenv: func(string) string { return "" }}, "--config", cfg, "list")
	if code != 1 || !strings.Contains(errOut, "preferences did not load") {
		t.Errorf("exit %d: %s", code, errOut)
	}
}

// A broken config.toml is never replaced: trusting a project layout
// launches (the user said yes) but does not write, rename or recreate it.
func TestConsentDoesNotReplaceABrokenConfig(t *testing.T) {
	s := startSim(t, sim.Config{})
	dir := t.TempDir()
	cfg := filepath.Join(dir, "config.toml")
	broken := "refresh_interval = \n"
	os.WriteFile(cfg, []byte(broken), 0o600)
	proj := t.TempDir()
	os.WriteFile(filepath.Join(proj, ".wezterm-parallel.toml"), []byte("workspace = \"p\"\n[[tabs]]\n"), 0o600)
	_, errOut, code := runApp(t, app.Options{Env: s.Env, Stdin: strings.NewReader("y\n")}, "--config", cfg, "--wezterm", s.Link, "launch", proj)
	if code != 0 || !strings.Contains(errOut, "not saved (trust.") || !strings.Contains(errOut, cfg+":1:") {
		t.Errorf("exit %d: %s", code, errOut)
	}
	if data, _ := os.ReadFile(cfg); string(data) != broken {
		t.Errorf("config.toml changed: %q", data)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("files beside it: %v", entries)
	}
}

// Text from panes (workspace names, titles, cwds) reaches the terminal with
// its control characters escaped, in every human-readable output.
func TestPaneTextIsEscaped(t *testing.T) {
	s := startSim(t, sim.Config{})
	c := s.Client()
	ctx := context.Background()
	id, err := c.Spawn(ctx, wezterm.SpawnOptions{NewWindow: true, Workspace: "evil\x1b[2J\x07", Program: []string{"sleep", "300"}})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.SetTabTitle(ctx, nil, &id, "tab\x1b]0;pwned\x07\nline"); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"list"}, {"top", "--iterations", "1"}, {}} {
		out, errOut, _ := runApp(t, app.Options{Env: s.Env}, append([]string{"--wezterm", s.Link}, args...)...)
		for _, bad := range []string{"\x1b", "\x07"} {
			if strings.Contains(out+errOut, bad) {
				t.Errorf("%v: raw %q reached the terminal:\n%q", args, bad, out)
			}
		}
		if !strings.Contains(out, `evil\e[2J\x07`) {
			t.Errorf("%v: escaped name missing:\n%s", args, out)
		}
	}
	out, _, _ := runApp(t, app.Options{Env: s.Env}, "--wezterm", s.Link, "list")
	if !strings.Contains(out, `tab\e]0;pwned\x07\nline`) {
		t.Errorf("tab title not escaped on one line:\n%s", out)
	}
}

func TestTopFailsWhenEverySampleFailed(t *testing.T) {
	s := startSim(t, sim.Config{})
	s.Server.Kill()
	_, _, code := runApp(t, app.Options{Env: s.Env}, "--wezterm", s.Link, "top", "--interval", "100ms", "--iterations", "2")
	if code == 0 {
		t.Error("top exited 0 though WezTerm never answered")
	}
}

func TestLayoutSaveRefusesBadNames(t *testing.T) {
	for _, name := range []string{"", ".", "..", "a/b", "x\x1b[2J", "-rf"} {
		_, errOut, code := runApp(t, app.Options{}, "layout", "save", "--", name)
		if code != 2 || !strings.Contains(errOut, "layout save") {
			t.Errorf("%q: exit %d %s", name, code, errOut)
		}
	}
}
