//go:build unix

package wsswitch

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wezterm-parallel/wezterm-parallel/internal/sim"
	"github.com/wezterm-parallel/wezterm-parallel/internal/sim/simtest"
	"github.com/wezterm-parallel/wezterm-parallel/internal/wezterm"
)

// Issue 19, each checked on WezTerm 20250223-062404-4ff581a8 too (see
// docs/wezterm-compat.md).

// WezTerm since 20230320 loads ~/.wezterm.lua before
// $XDG_CONFIG_HOME/wezterm/wezterm.lua: lua --install must edit that one.
func TestConfigPathPrefersHomeWeztermLua(t *testing.T) {
	home := t.TempDir()
	xdg := filepath.Join(home, ".config")
	os.MkdirAll(filepath.Join(xdg, "wezterm"), 0o700)
	os.WriteFile(filepath.Join(xdg, "wezterm", "wezterm.lua"), []byte("return {}\n"), 0o600)
	os.WriteFile(filepath.Join(home, ".wezterm.lua"), []byte("return {}\n"), 0o600)
	get := func(k string) string { return map[string]string{"XDG_CONFIG_HOME": xdg}[k] }
	if got := ConfigPath(get, home); got != filepath.Join(home, ".wezterm.lua") {
		t.Errorf("ConfigPath = %s, want ~/.wezterm.lua (WezTerm reads it first)", got)
	}
	os.Remove(filepath.Join(home, ".wezterm.lua"))
	if got := ConfigPath(get, home); got != filepath.Join(xdg, "wezterm", "wezterm.lua") {
		t.Errorf("ConfigPath without ~/.wezterm.lua = %s", got)
	}
}

// The module must be where WezTerm's package.path looks whatever
// XDG_CONFIG_HOME says: ~/.wezterm (config/src/lua.rs).
func TestModuleIsOnPackagePathWhateverXDG(t *testing.T) {
	home := t.TempDir()
	if got := ModulePath(home); got != filepath.Join(home, ".wezterm", "wezterm_parallel.lua") {
		t.Errorf("ModulePath = %s, want ~/.wezterm/wezterm_parallel.lua", got)
	}
	// An old copy in ~/.config/wezterm comes first on package.path: an
	// install removes it (when it is ours).
	old := oldModulePath(home)
	os.MkdirAll(filepath.Dir(old), 0o700)
	os.WriteFile(old, []byte("-- "+Marker+"\nreturn {}\n"), 0o644)
	cfg := filepath.Join(home, ".wezterm.lua")
	if _, err := Install(cfg, home, false, time.Now()); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(old); !os.IsNotExist(err) {
		t.Errorf("the old module is still there: %v", err)
	}
	if _, err := os.Stat(ModulePath(home)); err != nil {
		t.Error(err)
	}
}

// "switch_workspace" is a user var many configs use for their own
// handlers: ours is namespaced, and a config that only mentions the old
// name is not taken for ours.
func TestUserVarIsNamespaced(t *testing.T) {
	if UserVar == LegacyUserVar || !strings.HasPrefix(UserVar, "wezterm_parallel") {
		t.Fatalf("UserVar = %q", UserVar)
	}
	if strings.Contains(Snippet(false), "'"+LegacyUserVar+"'") {
		t.Error("the snippet still reacts to switch_workspace")
	}
	home := t.TempDir()
	t.Setenv("HOME", home)
	os.WriteFile(filepath.Join(home, ".wezterm.lua"), []byte(
		"local wezterm = require 'wezterm'\nwezterm.on('user-var-changed', function(w, p, name, value)\n  if name == 'switch_workspace' then end\nend)\nreturn {}\n"), 0o600)
	if f, _ := FindSnippet(func(string) string { return "" }); f != "" {
		t.Errorf("a user's own switch_workspace handler was taken for the snippet: %s", f)
	}
	// The stand-in and the switcher agree on the names.
	if sim.SnippetVar != UserVar || sim.LegacySnippetVar != LegacyUserVar || sim.SnippetPingVar != PingVar ||
		filepath.ToSlash(sim.SnippetPongFile()) != PongFile() {
		t.Error("internal/sim's snippet names differ from wsswitch's")
	}
}

// A snippet installed before the rename still switches: the switcher
// speaks its language when the installed module is an old one.
func TestLegacySnippetStillSwitches(t *testing.T) {
	home := t.TempDir()
	if LegacyInstalled(home) {
		t.Fatal("nothing installed")
	}
	os.MkdirAll(filepath.Dir(oldModulePath(home)), 0o700)
	os.WriteFile(oldModulePath(home), []byte("-- "+Marker+"\nwezterm.on('user-var-changed', function(w, p, name, value)\n  if name == \"switch_workspace\" then end\nend)\nreturn {}\n"), 0o644)
	if !LegacyInstalled(home) {
		t.Fatal("the old module was not recognised")
	}
	env := simtest.Start(t, sim.Config{})
	env.Server.Control("snippet", "legacy")
	c := env.Client()
	ctx := context.Background()
	for _, ws := range []string{"alpha", "beta"} {
		if _, err := c.Spawn(ctx, wezterm.SpawnOptions{NewWindow: true, Workspace: ws}); err != nil {
			t.Fatal(err)
		}
	}
	if err := (&Switcher{C: c, Legacy: true}).Switch(ctx, "beta"); err != nil {
		t.Fatal(err)
	}
	if err := (&Switcher{C: c, Wait: 300 * time.Millisecond}).Switch(ctx, "alpha"); err == nil {
		t.Error("the new user var switched an old snippet")
	}
}

// Ping proves the GUI loaded the snippet (not merely that a file holds it).
func TestPingAnswersOnlyWhenLoaded(t *testing.T) {
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	env := simtest.Start(t, sim.Config{})
	c := env.Client()
	ctx := context.Background()
	if _, err := c.Spawn(ctx, wezterm.SpawnOptions{NewWindow: true}); err != nil {
		t.Fatal(err)
	}
	s := &Switcher{C: c, Wait: 300 * time.Millisecond}
	if _, err := s.Ping(ctx); err != ErrNoPong {
		t.Errorf("without the snippet: %v", err)
	}
	env.Server.Control("snippet", "on")
	s.Wait = 5 * time.Second
	p, err := s.Ping(ctx)
	if err != nil || p.Version != sim.DefaultVersion {
		t.Errorf("with the snippet: %+v %v", p, err)
	}
}

// On Windows the request file is read on the status tick: the switcher
// waits two of the intervals the snippet reported (issue 19: the fixed 2 s
// ignored status_update_interval).
func TestWindowsWaitFollowsStatusInterval(t *testing.T) {
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	if got := defaultWait("windows"); got != 2*time.Second {
		t.Errorf("no interval known: %v", got)
	}
	p := filepath.FromSlash(IntervalFile())
	os.MkdirAll(filepath.Dir(p), 0o700)
	os.WriteFile(p, []byte("5000\n"), 0o600)
	if got := defaultWait("windows"); got != 11*time.Second {
		t.Errorf("interval 5 s: wait %v, want 11s", got)
	}
	if got := defaultWait("linux"); got != 2*time.Second {
		t.Errorf("linux: %v", got)
	}
}

func TestLuaQuote(t *testing.T) {
	if got := luaQuote(`C:\Users\o'b` + "\n" + "é"); got != `'C:\\Users\\o\'b\010é'` {
		t.Errorf("luaQuote = %s", got)
	}
}

// A GUI attached with `wezterm connect unix` is listed with workspace ""
// (WezTerm 20250223): that is no workspace, not one named "".
func TestConnectGUIWorkspaceIsUnknown(t *testing.T) {
	env := simtest.Start(t, sim.Config{LuaSnippet: true})
	c := env.Client()
	ctx := context.Background()
	for _, ws := range []string{"alpha", "beta"} {
		if _, err := c.Spawn(ctx, wezterm.SpawnOptions{NewWindow: true, Workspace: ws}); err != nil {
			t.Fatal(err)
		}
	}
	env.Server.Control("gui", "connect")
	err := (&Switcher{C: c, Wait: 300 * time.Millisecond}).Switch(ctx, "beta")
	if !errors.Is(err, ErrWorkspaceUnknown) {
		t.Errorf("err = %v, want ErrWorkspaceUnknown", err)
	}
}
