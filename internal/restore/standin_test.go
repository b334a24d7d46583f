//go:build unix

package restore

import (
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/wezterm-parallel/wezterm-parallel/internal/agents"
	"github.com/wezterm-parallel/wezterm-parallel/internal/launch"
	"github.com/wezterm-parallel/wezterm-parallel/internal/layout"
	"github.com/wezterm-parallel/wezterm-parallel/internal/metrics"
	"github.com/wezterm-parallel/wezterm-parallel/internal/monitor"
	"github.com/wezterm-parallel/wezterm-parallel/internal/sim"
	"github.com/wezterm-parallel/wezterm-parallel/internal/sim/simtest"
	"github.com/wezterm-parallel/wezterm-parallel/internal/snapshot"
	"github.com/wezterm-parallel/wezterm-parallel/internal/spend"
	"github.com/wezterm-parallel/wezterm-parallel/internal/topology"
	"github.com/wezterm-parallel/wezterm-parallel/internal/wezterm"
)

func TestMain(m *testing.M) { simtest.Main(m) }

// world is a stand-in WezTerm and what watches it.
type world struct {
	env *simtest.Env
	c   *wezterm.Client
	mon *monitor.Monitor
}

func start(t testing.TB, claudeDir string) *world {
	env := append(os.Environ(), "CLAUDE_CONFIG_DIR="+claudeDir)
	st := simtest.Start(t, sim.Config{Cols: 160, Rows: 48, Env: env})
	c := st.Client()
	s := metrics.New(metrics.Options{History: 2})
	t.Cleanup(func() { s.Close() })
	m := monitor.New(c, s, time.Second, nil)
	m.SetAgents(agents.NewTracker(rules(t)), 0)
	return &world{env: st, c: c, mon: m}
}

// tree is what the app sees now (panes, processes, agents).
func (w *world) tree(t testing.TB) topology.Tree {
	t.Helper()
	snap := w.mon.Step(context.Background())
	if snap.Status != monitor.Connected {
		t.Fatalf("stand-in: %v", snap.Err)
	}
	return snap.Tree
}

// launchLayout opens a layout (the working set is built the way a user's
// layouts are).
func (w *world) launchLayout(t testing.TB, l *layout.Layout) {
	t.Helper()
	p, err := launch.Make(l, launch.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := launch.Run(context.Background(), w.c, p, launch.RunOptions{}); err != nil {
		t.Fatal(err)
	}
}

func leaf(dir, cmd string) *layout.Node { return &layout.Node{CWD: dir, Command: cmd} }

func split(d layout.Direction, pct float64, kids ...*layout.Node) *layout.Node {
	kids[0].Size = layout.Size{Percent: pct}
	return &layout.Node{Split: d, Children: kids}
}

// TestRestoreAfterReboot is the "done when": a working set of 3
// workspaces (one with two windows), splits, folders with spaces and CJK
// names, a dev server, a command that must wait, two agents with their
// sessions; a snapshot; the stand-in stopped as a reboot would; a fresh
// one with its start-up pane; the restore; the trees compared (names,
// sizes within a cell, folders, programs, agents in their sessions); a
// second restore changes nothing.
func TestRestoreAfterReboot(t *testing.T) {
	base := t.TempDir()
	claude := filepath.Join(base, "claude")
	one, two, web, notes := filepath.Join(base, "proj one"), filepath.Join(base, "项目 二"), filepath.Join(base, "proj one", "web 前端"), filepath.Join(base, "notes", "日本語 メモ")
	for _, d := range []string{claude, one, two, web, notes} {
		os.MkdirAll(d, 0o700)
	}
	a := start(t, claude)
	// A GUI window shows "default", as after a login: new windows take its
	// size (launch passes it as initial_cols/rows), as they will after the
	// reboot. Its start-up pane is closed once the working set is there.
	if err := a.env.Server.EnsureWorkspace("default"); err != nil {
		t.Fatal(err)
	}
	agent := func(name string) string { return a.env.Link + " fake-agent --work 300ms --name " + name }
	a.launchLayout(t, &layout.Layout{Workspace: "dev", CWD: one, Tabs: []*layout.Tab{
		{Title: "code", Root: split(layout.Right, 60, leaf(one, ""),
			split(layout.Down, 35, leaf(web, "sleep 3600"), leaf(two, "tail -f /dev/null")))},
		{Root: leaf(notes, "")},
	}})
	a.launchLayout(t, &layout.Layout{Workspace: "agents", CWD: one, Tabs: []*layout.Tab{
		{Title: "pair", Root: split(layout.Right, 0, leaf(one, agent("alpha")), leaf(two, agent("beta")))},
	}})
	a.launchLayout(t, &layout.Layout{Workspace: "文档 docs", CWD: notes, Tabs: []*layout.Tab{{Root: leaf(notes, "")}}})
	a.launchLayout(t, &layout.Layout{Workspace: "文档 docs", CWD: notes, Tabs: []*layout.Tab{
		{Title: "two", Root: split(layout.Down, 30, leaf(notes, ""), leaf(one, ""))},
	}})

	for _, p := range a.tree(t).Panes() {
		if p.Workspace == "default" {
			if err := a.c.KillPane(context.Background(), p.ID); err != nil {
				t.Fatal(err)
			}
		}
	}
	// Wait until the programs run and both agents have named their
	// sessions (Claude Code's state file).
	var before topology.Tree
	simtest.Eventually(t, "the working set running", func() bool {
		before = a.tree(t)
		progs, sessions := 0, 0
		for _, p := range before.Panes() {
			if p.Usage != nil && p.Usage.Foreground != nil && (p.Usage.Foreground.Name == "sleep" || p.Usage.Foreground.Name == "tail") {
				progs++
			}
			if p.Agent != nil && p.Agent.Session != "" {
				sessions++
			}
		}
		return progs == 2 && sessions == 2
	})
	snap := snapshot.Take(before, time.Now(), "test")
	store := snapshot.Open(filepath.Join(base, "state", "snapshots"))
	if _, err := store.Save(snap); err != nil {
		t.Fatal(err)
	}
	sessions := map[string]string{}
	for _, p := range before.Panes() {
		if p.Agent != nil {
			sessions[p.CWD] = p.Agent.Session
		}
	}

	// The reboot: every pane ends; a new WezTerm starts with one shell.
	a.env.Server.Close()
	b := start(t, claude)
	if err := b.env.Server.EnsureWorkspace("default"); err != nil {
		t.Fatal(err)
	}
	fresh := b.tree(t)
	infos, err := store.List()
	if err != nil {
		t.Fatal(err)
	}
	banner, ok := Offer(fresh, infos, time.Now())
	if !ok || banner.Text != "Restore 3 workspaces, 9 panes, 2 agents from "+When(snap.Confirmed, time.Now()) {
		t.Fatalf("banner: %+v %v", banner, ok)
	}
	loaded, err := store.Load(banner.Snapshot)
	if err != nil {
		t.Fatal(err)
	}
	o := Options{Rules: rules(t), Sessions: Sessions{Roots: spend.Roots{Claude: []string{claude}}}, Home: base,
		Allowed: []string{"sleep 3600"}}
	plan, err := NewPlan(loaded, fresh, o)
	if err != nil {
		t.Fatal(err)
	}
	if m := plan.Summary(); m.Panes != 9 || m.Resumed != 2 || m.Runs != 1 || m.Waits != 1 || plan.Blank == nil {
		t.Fatalf("plan: %+v blank %v\n%s", m, plan.Blank, strings.Join(plan.Lines(), "\n"))
	}
	began := time.Now()
	rep, err := Run(context.Background(), b.c, plan, RunOptions{})
	if err != nil {
		t.Fatalf("restore: %v\n%s", err, strings.Join(rep.Lines(), "\n"))
	}
	t.Logf("restored in %s:\n%s", time.Since(began).Round(time.Millisecond), strings.Join(rep.Lines(), "\n"))
	if rep.ClosedStartup == nil || len(rep.Restored) != 3 {
		t.Errorf("report: %+v", rep)
	}

	var after topology.Tree
	simtest.Eventually(t, "the programs and agents back", func() bool {
		after = b.tree(t)
		n := 0
		for _, p := range after.Panes() {
			if p.Agent != nil && p.Agent.Session != "" {
				n++
			}
		}
		return n == 2
	})
	compare(t, snap, snapshot.Take(after, time.Now(), "test"))
	for _, p := range after.Panes() {
		if p.Agent != nil && p.Agent.Session != sessions[p.CWD] {
			t.Errorf("agent in %s: session %s, want %s (its conversation)", p.CWD, p.Agent.Session, sessions[p.CWD])
		}
		if p.CWD == two && p.Workspace == "dev" {
			text, _ := b.c.GetText(context.Background(), p.ID, wezterm.GetTextOptions{})
			if !strings.Contains(text, "tail -f /dev/null") || p.Usage.Foreground.Name == "tail" {
				t.Errorf("the command that must wait is not waiting at the prompt (fg %s):\n%s", p.Usage.Foreground.Name, text)
			}
		}
	}

	// Restoring again changes nothing.
	again, err := NewPlan(loaded, after, o)
	if err != nil {
		t.Fatal(err)
	}
	if !again.Empty() {
		t.Fatalf("a second restore would open:\n%s", strings.Join(again.Lines(), "\n"))
	}
	ids := paneIDs(after)
	rep2, err := Run(context.Background(), b.c, again, RunOptions{})
	if err != nil || len(rep2.Restored) != 0 || len(rep2.Unchanged) != 3 {
		t.Errorf("second restore: %v %+v", err, rep2)
	}
	if now := paneIDs(b.tree(t)); !slices.Equal(now, ids) {
		t.Errorf("the second restore changed the panes: %v -> %v", ids, now)
	}
}

func paneIDs(t topology.Tree) []wezterm.PaneID {
	var out []wezterm.PaneID
	for _, p := range t.Panes() {
		out = append(out, p.ID)
	}
	slices.Sort(out)
	return out
}

// compare checks that got is want again: the same workspaces, windows and
// tabs with their titles, the same split trees with every pane within a
// cell of where it was, in the same folder, running the same program, the
// same agents.
func compare(t *testing.T, want, got *snapshot.Snapshot) {
	t.Helper()
	if len(got.Workspaces) != len(want.Workspaces) {
		t.Fatalf("workspaces: %d, want %d", len(got.Workspaces), len(want.Workspaces))
	}
	for i, ww := range want.Workspaces {
		gw := got.Workspaces[i]
		if gw.Name != ww.Name || len(gw.Windows) != len(ww.Windows) {
			t.Errorf("workspace %q (%d windows), want %q (%d)", gw.Name, len(gw.Windows), ww.Name, len(ww.Windows))
			continue
		}
		for j, win := range ww.Windows {
			gwin := gw.Windows[j]
			if len(gwin.Tabs) != len(win.Tabs) {
				t.Errorf("%s window %d: %d tabs, want %d", ww.Name, j, len(gwin.Tabs), len(win.Tabs))
				continue
			}
			for k, tb := range win.Tabs {
				gt := gwin.Tabs[k]
				at := fmt.Sprintf("%s window %d tab %d", ww.Name, j+1, k+1)
				if gt.Title != tb.Title || gt.Cols != tb.Cols || gt.Rows != tb.Rows {
					t.Errorf("%s: %q %dx%d, want %q %dx%d", at, gt.Title, gt.Cols, gt.Rows, tb.Title, tb.Cols, tb.Rows)
				}
				if shape(gt.Root) != shape(tb.Root) {
					t.Errorf("%s: tree %s, want %s", at, shape(gt.Root), shape(tb.Root))
				}
				wp, gp := tb.Panes(), gt.Panes()
				if len(gp) != len(wp) {
					continue
				}
				for n, p := range wp {
					q := gp[n]
					if math.Abs(float64(q.Left-p.Left)) > 1 || math.Abs(float64(q.Top-p.Top)) > 1 ||
						math.Abs(float64(q.Cols-p.Cols)) > 1 || math.Abs(float64(q.Rows-p.Rows)) > 1 {
						t.Errorf("%s pane %d: %d,%d %dx%d, want %d,%d %dx%d (within a cell)", at, n, q.Left, q.Top, q.Cols, q.Rows, p.Left, p.Top, p.Cols, p.Rows)
					}
					if q.Dir != p.Dir || q.Place != p.Place {
						t.Errorf("%s pane %d: folder %s %q, want %s %q", at, n, q.Place, q.Dir, p.Place, p.Dir)
					}
					switch {
					case p.Agent != nil:
						if q.Agent == nil || q.Agent.Name != p.Agent.Name {
							t.Errorf("%s pane %d: agent %+v, want %+v", at, n, q.Agent, p.Agent)
						}
					case p.Program != nil && p.Program.Name == "tail":
						// Waits at the prompt: the shell is in front.
						if q.Program != nil {
							t.Errorf("%s pane %d: %+v runs; it should wait for Enter", at, n, q.Program)
						}
					case p.Program != nil:
						if q.Program == nil || q.Program.Cmdline != p.Program.Cmdline {
							t.Errorf("%s pane %d: program %+v, want %+v", at, n, q.Program, p.Program)
						}
					default:
						if q.Program != nil {
							t.Errorf("%s pane %d: program %+v, want a shell", at, n, q.Program)
						}
					}
				}
			}
		}
	}
}

// shape is a tree's splits, without sizes.
func shape(n *snapshot.Node) string {
	if n.Pane != nil {
		return "p"
	}
	parts := make([]string, len(n.Children))
	for i, c := range n.Children {
		parts[i] = shape(c)
	}
	return n.Split + "(" + strings.Join(parts, ",") + ")"
}

// TestRestoreFailureHalfway: a workspace whose build fails midway is
// closed again whole (no stray window), the others come back, and the
// report says which is which.
func TestRestoreFailureHalfway(t *testing.T) {
	base := t.TempDir()
	a := start(t, base)
	a.launchLayout(t, &layout.Layout{Workspace: "first", CWD: base, Tabs: []*layout.Tab{{Root: leaf(base, "")}, {Root: leaf(base, "")}}})
	a.launchLayout(t, &layout.Layout{Workspace: "second", CWD: base, Tabs: []*layout.Tab{{Root: leaf(base, "")}}})
	a.launchLayout(t, &layout.Layout{Workspace: "second", CWD: base, Tabs: []*layout.Tab{{Root: split(layout.Down, 0, leaf(base, ""), leaf(base, ""), leaf(base, ""))}}})
	a.launchLayout(t, &layout.Layout{Workspace: "third", CWD: base, Tabs: []*layout.Tab{{Root: leaf(base, "")}}})
	snap := snapshot.Take(a.tree(t), time.Now(), "test")
	snap.ID = "x"
	a.env.Server.Close()

	b := start(t, base)
	if err := b.env.Server.EnsureWorkspace("default"); err != nil {
		t.Fatal(err)
	}
	plan, err := NewPlan(snap, b.tree(t), Options{Rules: rules(t), Home: base})
	if err != nil {
		t.Fatal(err)
	}
	// "second" opens its first window, then its second window's first
	// split (the only splits there are) fails.
	if _, err := b.env.Server.Control("fail", "--sub", "split-pane", "--times", "1", "No space for split!"); err != nil {
		t.Fatal(err)
	}
	rep, err := Run(context.Background(), b.c, plan, RunOptions{})
	if err == nil {
		t.Fatal("no error")
	}
	t.Logf("%v\n%s", err, strings.Join(rep.Lines(), "\n"))
	if len(rep.Restored) != 2 || len(rep.Failed) != 1 || rep.Failed[0].Name != "second" || len(rep.Failed[0].Closed) < 2 {
		t.Fatalf("report: %+v", rep)
	}
	if !strings.Contains(rep.Failed[0].Err, "No space for split!") {
		t.Errorf("the reason: %s", rep.Failed[0].Err)
	}
	if rep.ClosedStartup != nil {
		t.Error("the start-up pane was closed though the restore failed")
	}
	for _, ws := range b.tree(t).Workspaces {
		if ws.Name == "second" {
			t.Errorf("a stray window of the failed workspace stays: %+v", ws)
		}
	}
}
