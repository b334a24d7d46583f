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

func TestMain(m *testing.M) { simtest.Main(m) }

func guiWorkspace(t *testing.T, c *wezterm.Client) string {
	t.Helper()
	cs, err := c.ListClients(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	g, _ := wezterm.GUIClient(cs)
	return g.Workspace
}

func TestSwitchWithSnippet(t *testing.T) {
	env := simtest.Start(t, sim.Config{LuaSnippet: true})
	c := env.Client()
	ctx := context.Background()
	for _, ws := range []string{"alpha", "beta"} {
		if _, err := c.Spawn(ctx, wezterm.SpawnOptions{NewWindow: true, Workspace: ws}); err != nil {
			t.Fatal(err)
		}
	}
	if got := guiWorkspace(t, c); got != "alpha" {
		t.Fatalf("GUI starts on %q", got)
	}
	s := &Switcher{C: c}
	if err := s.Switch(ctx, "beta"); err != nil {
		t.Fatal(err)
	}
	if got := guiWorkspace(t, c); got != "beta" {
		t.Fatalf("after switch: %q", got)
	}
	// Already there: nothing to do.
	if err := s.Switch(ctx, "beta"); err != nil {
		t.Fatal(err)
	}
}

func TestSwitchWithoutSnippetSaysSo(t *testing.T) {
	env := simtest.Start(t, sim.Config{})
	c := env.Client()
	ctx := context.Background()
	for _, ws := range []string{"alpha", "beta"} {
		c.Spawn(ctx, wezterm.SpawnOptions{NewWindow: true, Workspace: ws})
	}
	s := &Switcher{C: c, Wait: 300 * time.Millisecond}
	err := s.Switch(ctx, "beta")
	if !errors.Is(err, ErrSnippetMissing) || !strings.Contains(err.Error(), "wezterm-parallel lua") {
		t.Fatalf("err = %v", err)
	}
	if got := guiWorkspace(t, c); got != "alpha" {
		t.Errorf("the GUI moved without the snippet: %q", got)
	}
	env.Server.Control("gui", "off")
	if err := s.Switch(ctx, "beta"); !errors.Is(err, ErrNoGUI) {
		t.Errorf("headless: %v", err)
	}
}

func TestSnippetAndFind(t *testing.T) {
	lua := Snippet(false)
	for _, want := range []string{"user-var-changed", `name == 'wezterm_parallel_switch'`, "SwitchToWorkspace { name = value }", Marker, "pcall"} {
		if !strings.Contains(lua, want) {
			t.Errorf("snippet lacks %q:\n%s", want, lua)
		}
	}
	if w := Snippet(true); !strings.Contains(w, "update-status") || !strings.Contains(w, "os.remove") {
		t.Errorf("windows snippet:\n%s", w)
	}
	if Sequence("agents") != "\x1b]1337;SetUserVar=wezterm_parallel_switch=YWdlbnRz\x07" {
		t.Errorf("sequence %q", Sequence("agents"))
	}
	dir := t.TempDir()
	t.Setenv("HOME", t.TempDir())
	env := map[string]string{"XDG_CONFIG_HOME": dir}
	get := func(k string) string { return env[k] }
	if f, _ := FindSnippet(get); f != "" {
		t.Fatalf("found %s in an empty dir", f)
	}
	os.MkdirAll(filepath.Join(dir, "wezterm"), 0o700)
	os.WriteFile(filepath.Join(dir, "wezterm", "wezterm.lua"), []byte("local x = 1\n"+lua), 0o600)
	if f, _ := FindSnippet(get); f != filepath.Join(dir, "wezterm", "wezterm.lua") {
		t.Errorf("FindSnippet = %q", f)
	}
}
