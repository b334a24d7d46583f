//go:build unix

package wezterm_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wezterm-parallel/wezterm-parallel/internal/execx"
	"github.com/wezterm-parallel/wezterm-parallel/internal/sim"
	"github.com/wezterm-parallel/wezterm-parallel/internal/sim/simtest"
	"github.com/wezterm-parallel/wezterm-parallel/internal/wezterm"
)

func TestMain(m *testing.M) { simtest.Main(m) }

func startSim(t *testing.T, cfg sim.Config) *simtest.Env { return simtest.Start(t, cfg) }

func byID(t *testing.T, c *wezterm.Client) map[wezterm.PaneID]wezterm.Pane {
	t.Helper()
	panes, err := c.List(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	m := map[wezterm.PaneID]wezterm.Pane{}
	for _, p := range panes {
		m[p.PaneID] = p
	}
	return m
}

var waitFor = simtest.Eventually

// TestClientAgainstStandIn drives every subcommand of the client through
// real processes against the stand-in.
func TestClientAgainstStandIn(t *testing.T) {
	s := startSim(t, sim.Config{Cols: 160, Rows: 48})
	c := s.Client()
	ctx := context.Background()

	v, err := c.Version(ctx)
	if err != nil || v.Raw != sim.DefaultVersion {
		t.Fatalf("Version = %v, %v", v, err)
	}
	// spawn: a new window in a named workspace; WEZTERM_PANE=0 in our
	// environment must not leak into the call.
	p0, err := c.Spawn(ctx, wezterm.SpawnOptions{NewWindow: true, Workspace: "agents", CWD: os.TempDir(), InitialCols: 160, InitialRows: 48})
	if err != nil {
		t.Fatal(err)
	}
	// split-pane: 30 % to the right of a 160x48 pane.
	p1, err := c.SplitPane(ctx, p0, wezterm.SplitOptions{Direction: wezterm.Right, Percent: 30})
	if err != nil {
		t.Fatal(err)
	}
	ps := byID(t, c)
	if a, b := ps[p0], ps[p1]; b.Size.Cols != 48 || b.LeftCol != 112 || a.Size.Cols != 111 || !b.HasPosition || !b.HasState {
		t.Fatalf("geometry: %+v / %+v", a.Size, b.Size)
	}
	if tty := ps[p1].TTY(); !strings.HasPrefix(tty, "/dev/pts/") {
		t.Fatalf("tty = %q", tty)
	}
	if loc := ps[p0].Location(); loc.Path != filepath.Clean(os.TempDir()) {
		t.Errorf("cwd = %+v, want %s", loc, os.TempDir())
	}
	// spawn a tab next to a pane; split below with cells.
	p2, err := c.Spawn(ctx, wezterm.SpawnOptions{PaneID: &p0})
	if err != nil {
		t.Fatal(err)
	}
	p3, err := c.SplitPane(ctx, p2, wezterm.SplitOptions{Direction: wezterm.Down, Cells: 10, Program: []string{"sleep", "60"}})
	if err != nil {
		t.Fatal(err)
	}
	ps = byID(t, c)
	if ps[p2].TabID == ps[p0].TabID || ps[p2].WindowID != ps[p0].WindowID || ps[p3].Size.Rows != 10 {
		t.Fatalf("tab spawn/split: %+v %+v", ps[p2], ps[p3])
	}

	// send-text, then get-text shows the output.
	if err := c.SendText(ctx, p0, "echo hello-$((6*7))\r", false); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "get-text to show the output", func() bool {
		txt, err := c.GetText(ctx, p0, wezterm.GetTextOptions{})
		return err == nil && strings.Contains(txt, "hello-42")
	})
	if err := c.SendText(ctx, p0, "echo pasted-ok\n", true); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "pasted text to run", func() bool {
		txt, _ := c.GetText(ctx, p0, wezterm.GetTextOptions{StartLine: wezterm.Ptr(-100), EndLine: wezterm.Ptr(47)})
		return strings.Count(txt, "pasted-ok") >= 2 // the echoed input and the output
	})

	// activate-pane, activate-pane-direction, get-pane-direction.
	if err := c.ActivatePane(ctx, p0); err != nil {
		t.Fatal(err)
	}
	if !byID(t, c)[p0].IsActive {
		t.Error("activate-pane did not activate")
	}
	if n, ok, err := c.GetPaneDirection(ctx, p0, wezterm.Right); err != nil || !ok || n != p1 {
		t.Errorf("get-pane-direction Right = %d %v %v", n, ok, err)
	}
	if _, ok, err := c.GetPaneDirection(ctx, p0, wezterm.Left); err != nil || ok {
		t.Errorf("get-pane-direction Left = %v %v", ok, err)
	}
	if err := c.ActivatePaneDirection(ctx, p0, wezterm.Right); err != nil || !byID(t, c)[p1].IsActive {
		t.Errorf("activate-pane-direction: %v", err)
	}
	// adjust-pane-size moves the divider.
	if err := c.AdjustPaneSize(ctx, p0, wezterm.Right, 4); err != nil {
		t.Fatal(err)
	}
	if got := byID(t, c)[p0].Size.Cols; got != 115 {
		t.Errorf("after adjust: %d cols, want 115", got)
	}
	// zoom-pane.
	if err := c.ZoomPane(ctx, p1, wezterm.Zoom); err != nil {
		t.Fatal(err)
	}
	if z := byID(t, c)[p1]; !z.IsZoomed || z.Size.Cols != 160 {
		t.Errorf("zoomed: %+v", z)
	}
	if err := c.ZoomPane(ctx, p1, wezterm.Unzoom); err != nil || byID(t, c)[p1].IsZoomed {
		t.Errorf("unzoom: %v", err)
	}
	// activate-tab by index and by id.
	if err := c.ActivateTab(ctx, wezterm.TabTarget{PaneID: &p0, Index: wezterm.Ptr(-1)}); err != nil {
		t.Fatal(err)
	}
	if err := c.ActivateTab(ctx, wezterm.TabTarget{TabID: wezterm.Ptr(ps[p0].TabID)}); err != nil {
		t.Fatal(err)
	}
	// Titles and workspace rename.
	if err := c.SetTabTitle(ctx, nil, &p0, "-agents-"); err != nil {
		t.Fatal(err)
	}
	if err := c.SetWindowTitle(ctx, nil, &p0, "main"); err != nil {
		t.Fatal(err)
	}
	if err := c.RenameWorkspace(ctx, "agents", nil, "crew"); err != nil {
		t.Fatal(err)
	}
	ps = byID(t, c)
	if p := ps[p0]; p.TabTitle != "-agents-" || p.WindowTitle != "main" || p.Workspace != "crew" {
		t.Errorf("titles/rename: %+v", p)
	}
	clients, err := c.ListClients(ctx)
	if err != nil || len(clients) != 1 || clients[0].Workspace != "crew" {
		t.Fatalf("list-clients = %+v, %v", clients, err)
	}
	// move-pane-to-new-tab prints nothing; the pane shows up in a new tab.
	if err := c.MovePaneToNewTab(ctx, p3, wezterm.MoveOptions{NewWindow: true, Workspace: "side"}); err != nil {
		t.Fatal(err)
	}
	if p := byID(t, c)[p3]; p.Workspace != "side" || p.Size.Rows != 48 {
		t.Errorf("moved pane: %+v", p)
	}
	// split-pane --move-pane-id is refused on 20240203, where it can kill
	// panes (the stand-in imitates that release); a nightly with the fix
	// puts the pane back.
	if _, err := c.SplitPane(ctx, p2, wezterm.SplitOptions{Direction: wezterm.Down, MovePaneID: &p3}); !errors.Is(err, wezterm.ErrUnsupported) {
		t.Fatalf("move-pane-id on 20240203: %v", err)
	}
	if _, err := s.Server.Control("version", "20240901-083012-1a2b3c4d"); err != nil {
		t.Fatal(err)
	}
	nightly := s.Client()
	if _, err := nightly.SplitPane(ctx, p2, wezterm.SplitOptions{Direction: wezterm.Down, MovePaneID: &p3}); err != nil {
		t.Fatal(err)
	}
	if p := byID(t, c)[p3]; p.Workspace != "crew" || p.TabID != byID(t, c)[p2].TabID {
		t.Errorf("move back: %+v", p)
	}
	// kill-pane, then the vanished pane is ErrNoSuchPane.
	if err := c.KillPane(ctx, p3); err != nil {
		t.Fatal(err)
	}
	if _, ok := byID(t, c)[p3]; ok {
		t.Error("killed pane still listed")
	}
	err = c.KillPane(ctx, p3)
	if !errors.Is(err, wezterm.ErrNoSuchPane) || !strings.Contains(err.Error(), "no such pane") {
		t.Errorf("kill vanished pane: %v", err)
	}
	if _, err := c.GetText(ctx, 999, wezterm.GetTextOptions{}); !errors.Is(err, wezterm.ErrNoSuchPane) {
		t.Errorf("get-text 999: %v", err)
	}
}

func TestStandInFailures(t *testing.T) {
	ctx := context.Background()
	t.Run("not running", func(t *testing.T) {
		s := startSim(t, sim.Config{})
		c := s.Client()
		if _, err := c.Version(ctx); err != nil {
			t.Fatal(err)
		}
		s.Server.Kill()
		_, err := c.List(ctx)
		if !errors.Is(err, wezterm.ErrNotRunning) || !strings.Contains(err.Error(), "failed to connect to Socket") {
			t.Fatalf("after kill: %v", err)
		}
	})
	t.Run("not installed", func(t *testing.T) {
		c := wezterm.New(filepath.Join(t.TempDir(), "wezterm"), execx.Exec{})
		if _, err := c.List(ctx); !errors.Is(err, wezterm.ErrNotInstalled) {
			t.Fatalf("missing binary: %v", err)
		}
	})
	t.Run("hung stand-in hits the timeout", func(t *testing.T) {
		s := startSim(t, sim.Config{})
		v, err := s.Client().Version(ctx)
		if err != nil {
			t.Fatal(err)
		}
		c := s.Client(wezterm.WithTimeout(1500*time.Millisecond), wezterm.WithVersion(v))
		if _, err := s.Server.Control("delay", "30s"); err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		_, err = c.List(ctx)
		if !errors.Is(err, wezterm.ErrTimeout) {
			t.Fatalf("hung: %v", err)
		}
		if d := time.Since(start); d > 5*time.Second {
			t.Errorf("timeout took %v", d)
		}
	})
	t.Run("older release is unsupported before running", func(t *testing.T) {
		s := startSim(t, sim.Config{Version: "20230712-072601-f4abf8fd"})
		c := s.Client()
		id, err := c.Spawn(ctx, wezterm.SpawnOptions{})
		if err != nil {
			t.Fatal(err)
		}
		s.Server.Control("fail", "zoom-pane reached the server") // would show if the call ran
		err = c.ZoomPane(ctx, id, wezterm.Zoom)
		var ue *wezterm.UnsupportedError
		if !errors.As(err, &ue) || ue.Installed != "20230712-072601-f4abf8fd" || ue.Since != "20240127" {
			t.Fatalf("zoom on 20230712: %v", err)
		}
	})
	t.Run("garbage output is malformed", func(t *testing.T) {
		s := startSim(t, sim.Config{})
		c := s.Client()
		s.Server.Control("garbage", "on")
		if _, err := c.List(ctx); !errors.Is(err, wezterm.ErrMalformed) {
			t.Fatalf("garbage list: %v", err)
		}
		if _, err := c.Spawn(ctx, wezterm.SpawnOptions{}); !errors.Is(err, wezterm.ErrMalformed) {
			t.Fatalf("garbage spawn: %v", err)
		}
	})
	t.Run("a given error", func(t *testing.T) {
		s := startSim(t, sim.Config{})
		c := s.Client()
		s.Server.Control("fail", "--sub", "split-pane", "disk on fire")
		id, err := c.Spawn(ctx, wezterm.SpawnOptions{})
		if err != nil {
			t.Fatal(err)
		}
		_, err = c.SplitPane(ctx, id, wezterm.SplitOptions{})
		var we *wezterm.Error
		if !errors.As(err, &we) || we.Reason != "disk on fire" || !errors.Is(err, wezterm.ErrFailed) {
			t.Fatalf("given error: %v", err)
		}
	})
	t.Run("old release without JSON parses the table", func(t *testing.T) {
		s := startSim(t, sim.Config{Version: "20220319-142410-0fcdea07"})
		c := s.Client()
		if _, err := c.Spawn(ctx, wezterm.SpawnOptions{Program: []string{"sh", "-c", `printf '\033]0;two words\007'; exec sleep 60`}}); err != nil {
			t.Fatal(err)
		}
		waitFor(t, "title", func() bool {
			ps, err := c.List(ctx)
			return err == nil && len(ps) == 1 && ps[0].Title == "two words" && !ps[0].HasPosition
		})
	})
}
