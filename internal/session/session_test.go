//go:build unix

package session

import (
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wezterm-parallel/wezterm-parallel/internal/app"
	"github.com/wezterm-parallel/wezterm-parallel/internal/backend"
	"github.com/wezterm-parallel/wezterm-parallel/internal/config"
	"github.com/wezterm-parallel/wezterm-parallel/internal/ipc"
	"github.com/wezterm-parallel/wezterm-parallel/internal/monitor"
	"github.com/wezterm-parallel/wezterm-parallel/internal/sim"
	"github.com/wezterm-parallel/wezterm-parallel/internal/sim/simtest"
	"github.com/wezterm-parallel/wezterm-parallel/internal/wezterm"
)

func TestMain(m *testing.M) { simtest.Main(m) }

// sink records what the session tells the window.
type sink struct {
	mu       sync.Mutex
	snaps    []monitor.Snapshot
	requests []backend.Request
	said     []string
	prefs    []config.Preferences
}

func (k *sink) backend() backend.Sink {
	return backend.Sink{
		Snapshot: func(s monitor.Snapshot) { k.mu.Lock(); k.snaps = append(k.snaps, s); k.mu.Unlock() },
		Request:  func(r backend.Request) { k.mu.Lock(); k.requests = append(k.requests, r); k.mu.Unlock() },
		Say:      func(s string, _ bool) { k.mu.Lock(); k.said = append(k.said, s); k.mu.Unlock() },
		Prefs:    func(p config.Preferences) { k.mu.Lock(); k.prefs = append(k.prefs, p); k.mu.Unlock() },
	}
}

func (k *sink) connected() bool {
	k.mu.Lock()
	defer k.mu.Unlock()
	for _, s := range k.snaps {
		if s.Status == monitor.Connected && len(s.Tree.Panes()) > 0 {
			return true
		}
	}
	return false
}

// The session feeds the window from a monitor of its own when no resident
// runs, answers a second start on the window's endpoint, and follows hand
// edits of the preferences: all without Fyne, and nothing reaches the
// window before Start.
func TestSessionFeedsTheWindow(t *testing.T) {
	env := simtest.Start(t, sim.Config{})
	if _, err := env.Client().Spawn(context.Background(), wezterm.SpawnOptions{}); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	store := config.Open(filepath.Join(dir, "config.toml"))
	if err := store.Update(func(p *config.Preferences) { p.RefreshInterval = 250 * time.Millisecond }); err != nil {
		t.Fatal(err)
	}
	runtime := filepath.Join(dir, "run")
	os.Mkdir(runtime, 0o700)
	s := New(app.GUIParams{Client: env.Client(), Store: store, Interval: 250 * time.Millisecond, RuntimeDir: runtime,
		HasTray: false, TrayWhy: "a test", Log: slog.New(slog.DiscardHandler),
		NewClient: func(bin string, e []string) *wezterm.Client { return env.Client() }})
	b := s.Backend()
	if !strings.Contains(b.Hint, "No system tray: a test") || b.SnippetMissing == nil || b.StartDemo == nil {
		t.Errorf("backend: hint %q", b.Hint)
	}
	var k sink
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	s.Start(ctx, k.backend())
	simtest.Eventually(t, "a snapshot with the pane", k.connected)

	// A second start asks the window to come to the front, and to select.
	c, err := ipc.Dial(runtime, ipc.Window, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.Send(ipc.Msg{Op: ipc.OpFocus})
	c.Send(ipc.Msg{Op: ipc.OpSelect, Pane: 7})
	c.Send(ipc.Msg{Op: "nonsense"})
	simtest.Eventually(t, "two requests", func() bool {
		k.mu.Lock()
		defer k.mu.Unlock()
		return len(k.requests) == 2
	})
	if r := k.requests; r[0].Op != backend.Focus || r[1] != (backend.Request{Op: backend.Select, Pane: 7}) {
		t.Errorf("requests %+v", r)
	}

	// A hand edit of config.toml reaches the window.
	time.Sleep(10 * time.Millisecond) // a new mtime
	os.WriteFile(store.Path(), []byte("refresh_interval = \"500ms\"\ntheme = \"dark\"\n"), 0o600)
	simtest.Eventually(t, "the edited preferences", func() bool {
		k.mu.Lock()
		defer k.mu.Unlock()
		return len(k.prefs) > 0 && k.prefs[len(k.prefs)-1].Theme == "dark"
	})
}

// Without a tray the hint says closing quits; with one, only the command
// line's hint.
func TestHint(t *testing.T) {
	for _, tc := range []struct {
		tray       bool
		hint, want string
	}{
		{true, "", ""},
		{true, "⚠ config.toml:3:1: …", "⚠ config.toml:3:1: …"},
		{false, "", "No system tray: this desktop shows no tray. Closing the window quits."},
		{false, "Demo: …", "Demo: …  ·  No system tray: closing the window quits."},
	} {
		s := New(app.GUIParams{HasTray: tc.tray, Hint: tc.hint})
		if got := s.hint(); got != tc.want {
			t.Errorf("tray %v hint %q: %q, want %q", tc.tray, tc.hint, got, tc.want)
		}
	}
}
