//go:build unix

package launch

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wezterm-parallel/wezterm-parallel/assets"
	"github.com/wezterm-parallel/wezterm-parallel/internal/layout"
	"github.com/wezterm-parallel/wezterm-parallel/internal/metrics"
	"github.com/wezterm-parallel/wezterm-parallel/internal/sim"
	"github.com/wezterm-parallel/wezterm-parallel/internal/sim/simtest"
	"github.com/wezterm-parallel/wezterm-parallel/internal/topology"
	"github.com/wezterm-parallel/wezterm-parallel/internal/wezterm"
)

func TestMain(m *testing.M) { simtest.Main(m) }

func bundled(t *testing.T, name, cwd string) *layout.Layout {
	t.Helper()
	data, err := assets.Layouts.ReadFile("layouts/" + name + ".toml")
	if err != nil {
		t.Fatal(err)
	}
	l, err := layout.Parse("bundled:"+name+".toml", data, name, layout.CheckOptions{CWD: cwd})
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func tree(t *testing.T, c *wezterm.Client) topology.Tree {
	t.Helper()
	panes, err := c.List(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	clients, _ := c.ListClients(context.Background())
	return topology.Build(panes, clients)
}

func workspace(tr topology.Tree, name string) (topology.Workspace, bool) {
	for _, ws := range tr.Workspaces {
		if ws.Name == name {
			return ws, true
		}
	}
	return topology.Workspace{}, false
}

// The layout goes to a hidden workspace ("agents"; the GUI shows the user's
// 160x48 window in "default"). WezTerm makes the new window 80x24 and
// resizes it one cell at a time when it is shown (issue 19: 99|59|39|40);
// the launch gives the new window the shown window's size, so the panes are
// quarters of 160x48 before and after a switch.
func TestLaunchAgentsGrid(t *testing.T) {
	env := simtest.Start(t, sim.Config{Cols: 160, Rows: 48})
	if err := env.Server.EnsureWorkspace("default"); err != nil {
		t.Fatal(err)
	}
	c := env.Client()
	l := bundled(t, "agents-2x2", env.Dir)
	p, err := Make(l, Options{Vars: layout.Vars{"agent_command": "sleep 300"}})
	if err != nil {
		t.Fatal(err)
	}
	var events []Event
	res, err := Run(context.Background(), c, p, RunOptions{Progress: func(e Event) { events = append(events, e) }})
	if err != nil {
		t.Fatal(err)
	}
	ws, ok := workspace(tree(t, c), "agents")
	if !ok || ws.PaneCount() != 4 || len(ws.Windows) != 1 || len(ws.Windows[0].Tabs) != 1 {
		t.Fatalf("agents workspace: %+v", ws)
	}
	tab := ws.Windows[0].Tabs[0]
	if tab.Title != "agents" {
		t.Errorf("tab title %q", tab.Title)
	}
	for _, pn := range tab.Panes {
		if pn.Cols < 79 || pn.Cols > 80 || pn.Rows < 23 || pn.Rows > 24 {
			t.Errorf("pane %d is %dx%d, want a quarter of 160x48", pn.ID, pn.Cols, pn.Rows)
		}
	}
	if err := env.Server.SwitchWorkspace("agents"); err != nil {
		t.Fatal(err)
	}
	ws, _ = workspace(tree(t, c), "agents")
	for _, pn := range ws.Windows[0].Tabs[0].Panes {
		if pn.Cols < 79 || pn.Cols > 80 || pn.Rows < 23 || pn.Rows > 24 {
			t.Errorf("after the switch pane %d is %dx%d, want a quarter of 160x48", pn.ID, pn.Cols, pn.Rows)
		}
		if pn.ID == res.Panes[0] && !pn.Focused {
			t.Errorf("the focus pane is not focused once shown")
		}
	}
	if len(events) != 2*len(p.Steps) || !events[len(events)-1].Done {
		t.Errorf("%d progress events for %d steps", len(events), len(p.Steps))
	}
	// The typed command runs in every pane.
	s := metrics.New(metrics.Options{})
	defer s.Close()
	simtest.Eventually(t, "sleep in the foreground of every pane", func() bool {
		var refs []metrics.PaneRef
		for _, pn := range tab.Panes {
			refs = append(refs, metrics.PaneRef{ID: pn.ID, TTY: *pn.TTY})
		}
		snap, err := s.Sample(context.Background(), refs)
		if err != nil {
			return false
		}
		for _, pn := range tab.Panes {
			if fg := snap.Panes[pn.ID].Foreground; fg == nil || fg.Cmdline != "sleep 300" {
				return false
			}
		}
		return true
	})
}

func TestLaunchFailureRollsBack(t *testing.T) {
	env := simtest.Start(t, sim.Config{})
	// The user's own window: with it gone too, WezTerm's GUI would quit.
	env.Server.EnsureWorkspace("default")
	c := env.Client()
	l := bundled(t, "agents-2x2", env.Dir)
	p, err := Make(l, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Version(context.Background()); err != nil {
		t.Fatal(err)
	}
	// Calls: 1 list (what exists before), 2 list-clients (the shown
	// size), 3 spawn, 4 list, 5 split: the split fails.
	if _, err := env.Server.Control("fail", "--call", "5", "no space for split"); err != nil {
		t.Fatal(err)
	}
	_, err = Run(context.Background(), c, p, RunOptions{})
	var se *StepError
	if !errors.As(err, &se) || se.Index != 3 || se.Step.Kind != Split || len(se.Closed) != 1 {
		t.Fatalf("err = %v", err)
	}
	if !strings.Contains(err.Error(), "step 3 of") || !strings.Contains(err.Error(), "no space for split") {
		t.Errorf("message: %v", err)
	}
	if _, ok := workspace(tree(t, c), "agents"); ok {
		t.Error("the failed launch left panes behind")
	}
	// With KeepPartial the first pane stays (and nothing is listed first;
	// 1 list-clients, 2 list for the shown size, 3 spawn, 4 list, 5 split).
	env.Server.Control("fail", "--call", "5", "no space for split")
	if _, err := Run(context.Background(), c, p, RunOptions{KeepPartial: true}); err == nil {
		t.Fatal("expected a failure")
	}
	if ws, ok := workspace(tree(t, c), "agents"); !ok || ws.PaneCount() != 1 {
		t.Errorf("keep-partial: %+v", ws)
	}
}

// TestSaveRoundTrip launches a layout, saves the workspace as a layout,
// launches that, and compares the two workspaces.
func TestSaveRoundTrip(t *testing.T) {
	env := simtest.Start(t, sim.Config{Cols: 160, Rows: 48})
	c := env.Client()
	root := filepath.Join(env.Dir, "proj")
	os.MkdirAll(filepath.Join(root, "web"), 0o755)
	os.MkdirAll(filepath.Join(root, "api"), 0o755)
	src := `workspace = "orig"
cwd = "` + root + `"
[[tabs]]
title = "main"
split = "right"
  [[tabs.panes]]
  size = "30%"
  cwd = "web"
  command = "sleep 301"
  [[tabs.panes]]
  split = "down"
  panes = [ { cwd = "api", command = "sleep 302" }, { size = 12, focus = true } ]
[[tabs]]
split = "down"
panes = [ { command = "sleep 303" }, { size = "25%", cwd = "web" } ]
`
	l, err := layout.Parse(filepath.Join(env.Dir, "orig.toml"), []byte(src), "orig", layout.CheckOptions{})
	if err != nil {
		t.Fatal(err)
	}
	p, err := Make(l, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Run(context.Background(), c, p, RunOptions{}); err != nil {
		t.Fatal(err)
	}
	s := metrics.New(metrics.Options{})
	defer s.Close()
	var orig topology.Workspace
	simtest.Eventually(t, "commands running", func() bool {
		tr := tree(t, c)
		orig, _ = workspace(tr, "orig")
		refs := []metrics.PaneRef{}
		for _, pn := range tr.Panes() {
			refs = append(refs, metrics.PaneRef{ID: pn.ID, TTY: *pn.TTY})
		}
		snap, err := s.Sample(context.Background(), refs)
		if err != nil {
			return false
		}
		running := 0
		tr.EachPane(func(pn *topology.Pane) {
			m := snap.Panes[pn.ID]
			u := &topology.Usage{}
			if m.Foreground != nil {
				u.Foreground = &topology.Foreground{Name: m.Foreground.Name, Cmdline: m.Foreground.Cmdline}
				if m.Foreground.Name == "sleep" {
					running++
				}
			}
			pn.Usage = u
		})
		orig, _ = workspace(tr, "orig")
		return running == 3
	})
	saved, err := layout.FromWorkspace(orig, "copy")
	if err != nil {
		t.Fatal(err)
	}
	text := layout.Format(saved, "saved by a test")
	t.Log(text)
	l2, err := layout.Parse(filepath.Join(env.Dir, "copy.toml"), []byte(text), "copy", layout.CheckOptions{})
	if err != nil {
		t.Fatalf("%v\n%s", err, text)
	}
	p2, err := Make(l2, Options{Workspace: "copy"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Run(context.Background(), c, p2, RunOptions{}); err != nil {
		t.Fatal(err)
	}
	copyWS, _ := workspace(tree(t, c), "copy")
	a, b := shape(orig), shape(copyWS)
	if len(a) != len(b) {
		t.Fatalf("pane counts differ:\n%v\n%v\n%s", a, b, text)
	}
	for i := range a {
		if !a[i].close(b[i]) {
			t.Errorf("pane %d differs: %+v vs %+v\n%s", i, a[i], b[i], text)
		}
	}
	for _, want := range []string{`command = "sleep 301"`, `cwd = "web"`, `cwd = "api"`, `focus = true`, `title = "main"`} {
		if !strings.Contains(text, want) {
			t.Errorf("saved layout lacks %s:\n%s", want, text)
		}
	}
}

type paneShape struct {
	tab, left, top, cols, rows int
	cwd                        string
}

func (a paneShape) close(b paneShape) bool {
	d := func(x, y int) bool { return x-y <= 1 && y-x <= 1 }
	return a.tab == b.tab && d(a.left, b.left) && d(a.top, b.top) && d(a.cols, b.cols) && d(a.rows, b.rows) && a.cwd == b.cwd
}

func shape(ws topology.Workspace) []paneShape {
	var out []paneShape
	for _, w := range ws.Windows {
		for ti, tab := range w.Tabs {
			for _, p := range tab.Panes {
				out = append(out, paneShape{ti, p.Left, p.Top, p.Cols, p.Rows, p.CWD})
			}
		}
	}
	return out
}
