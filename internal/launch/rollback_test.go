package launch

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/wezterm-parallel/wezterm-parallel/internal/layout"
	"github.com/wezterm-parallel/wezterm-parallel/internal/wezterm"
)

// lossyMux is an in-memory WezTerm whose replies can be lost: the call
// takes effect, the caller gets a timeout or garbage instead of the id.
type lossyMux struct {
	mu        sync.Mutex
	panes     []wezterm.Pane
	nextPane  wezterm.PaneID
	nextWin   wezterm.WindowID
	loseSpawn int // lose the reply of this spawn/split call (1-based), 0 never
	calls     int
	failList  int // fail this list call (1-based), 0 never
	lists     int
	failSplit int // fail this spawn/split call outright
}

var errLost = &wezterm.Error{Op: "spawn", Kind: wezterm.ErrTimeout, Reason: "timed out"}

func (m *lossyMux) open(win wezterm.WindowID, ws string) (wezterm.PaneID, error) {
	m.calls++
	if m.calls == m.failSplit {
		return 0, errors.New("no space")
	}
	id := m.nextPane
	m.nextPane++
	m.panes = append(m.panes, wezterm.Pane{PaneID: id, WindowID: win, Workspace: ws, Size: wezterm.Size{Rows: 48, Cols: 160}})
	if m.calls == m.loseSpawn {
		return 0, errLost
	}
	return id, nil
}

func (m *lossyMux) Spawn(_ context.Context, o wezterm.SpawnOptions) (wezterm.PaneID, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if o.NewWindow {
		w := m.nextWin
		m.nextWin++
		return m.open(w, o.Workspace)
	}
	return m.open(*o.WindowID, m.wsOf(*o.WindowID))
}

func (m *lossyMux) wsOf(w wezterm.WindowID) string {
	for _, p := range m.panes {
		if p.WindowID == w {
			return p.Workspace
		}
	}
	return "default"
}

func (m *lossyMux) SplitPane(_ context.Context, pane wezterm.PaneID, _ wezterm.SplitOptions) (wezterm.PaneID, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, p := range m.panes {
		if p.PaneID == pane {
			return m.open(p.WindowID, p.Workspace)
		}
	}
	return 0, wezterm.ErrNoSuchPane
}

func (m *lossyMux) List(context.Context) ([]wezterm.Pane, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.lists++
	if m.lists == m.failList {
		return nil, errors.New("garbled list")
	}
	return append([]wezterm.Pane(nil), m.panes...), nil
}

func (m *lossyMux) KillPane(_ context.Context, pane wezterm.PaneID) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	for i, p := range m.panes {
		if p.PaneID == pane {
			m.panes = append(m.panes[:i], m.panes[i+1:]...)
			return nil
		}
	}
	return wezterm.ErrNoSuchPane
}

func (m *lossyMux) SetTabTitle(context.Context, *wezterm.TabID, *wezterm.PaneID, string) error {
	return nil
}
func (m *lossyMux) SendText(context.Context, wezterm.PaneID, string, bool) error { return nil }
func (m *lossyMux) ZoomPane(context.Context, wezterm.PaneID, wezterm.ZoomMode) error {
	return nil
}
func (m *lossyMux) ActivatePane(context.Context, wezterm.PaneID) error { return nil }

func (m *lossyMux) ids() []wezterm.PaneID {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []wezterm.PaneID
	for _, p := range m.panes {
		out = append(out, p.PaneID)
	}
	return out
}

func TestRollbackFindsPanesWhoseReplyWasLost(t *testing.T) {
	l, err := layout.Parse("x.toml", []byte("workspace = \"crew\"\n[[tabs]]\ngrid = \"2x2\"\n[[tabs]]\ncommand = \"htop\"\n"), "x", layout.CheckOptions{SkipDirs: true})
	if err != nil {
		t.Fatal(err)
	}
	p, err := Make(l, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name       string
		mux        *lossyMux
		wantClosed int
		unchecked  bool
	}{
		// The user's own window (pane 0, window 0) exists before.
		{"first spawn's reply lost", &lossyMux{loseSpawn: 2}, 1, false},
		{"a split's reply lost", &lossyMux{loseSpawn: 3}, 2, false},
		{"the new tab's reply lost", &lossyMux{loseSpawn: 6}, 5, false},
		{"plain failure", &lossyMux{failSplit: 4}, 2, false},
		// The re-read fails: say so rather than claim all is closed.
		{"lost, and the list cannot be re-read", &lossyMux{loseSpawn: 3, failList: 3}, 1, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := tc.mux
			m.Spawn(context.Background(), wezterm.SpawnOptions{NewWindow: true, Workspace: "crew"}) // the user's
			m.calls = 1
			_, err := Run(context.Background(), m, p, RunOptions{})
			var se *StepError
			if !errors.As(err, &se) {
				t.Fatalf("err = %v", err)
			}
			if len(se.Closed) != tc.wantClosed {
				t.Errorf("closed %v, want %d: %v", se.Closed, tc.wantClosed, err)
			}
			if tc.unchecked != (se.Unchecked != nil) || tc.unchecked && !strings.Contains(err.Error(), "may remain") {
				t.Errorf("unchecked = %v: %v", se.Unchecked, err)
			}
			left := m.ids()
			if !tc.unchecked && (len(left) != 1 || left[0] != 0) {
				t.Errorf("left behind: %v (want only the user's pane 0): %v", left, err)
			}
			if !strings.Contains(err.Error(), "closed the") && tc.wantClosed > 0 {
				t.Errorf("message does not say what was closed: %v", err)
			}
		})
	}
}
