package alerts

import (
	"testing"
	"time"

	"github.com/wezterm-parallel/wezterm-parallel/internal/topology"
	"github.com/wezterm-parallel/wezterm-parallel/internal/wezterm"
)

func tree(cpu float64, rss uint64, procs int, ids ...wezterm.PaneID) topology.Tree {
	var panes []topology.Pane
	for _, id := range ids {
		c, r, n := cpu, rss, procs
		panes = append(panes, topology.Pane{ID: id, Title: "agent", Workspace: "w",
			Usage: &topology.Usage{CPUPercent: &c, RSSBytes: &r, ProcessCount: &n, Foreground: &topology.Foreground{Name: "claude"}}})
	}
	return topology.Tree{Workspaces: []topology.Workspace{{Name: "w", Windows: []topology.Window{{Tabs: []topology.Tab{{Panes: panes}}}}}}}
}

func TestEpisodes(t *testing.T) {
	c := Config{CPUPercent: 90, MemBytes: 1 << 30, After: 10 * time.Second}
	tr := New()
	t0 := time.Unix(1000, 0)
	kinds := func(as []Alert) string {
		s := ""
		for _, a := range as {
			s += a.Kind + " "
		}
		return s
	}
	steps := []struct {
		at   time.Duration
		tree topology.Tree
		want string
	}{
		{0, tree(150, 100<<20, 2, 1), ""},                    // above, episode starts
		{5 * time.Second, tree(150, 100<<20, 2, 1), ""},      // not long enough
		{10 * time.Second, tree(150, 100<<20, 2, 1), "cpu "}, // fires once
		{20 * time.Second, tree(150, 100<<20, 2, 1), ""},     // same episode: quiet
		{21 * time.Second, tree(10, 100<<20, 2, 1), ""},      // ends
		{22 * time.Second, tree(150, 2<<30, 2, 1), ""},       // new episode, memory too
		{32 * time.Second, tree(150, 2<<30, 2, 1), "cpu memory "},
		{33 * time.Second, tree(0, 1<<20, 0, 1), "exited "}, // the program ended
		{34 * time.Second, tree(0, 1<<20, 0, 1), ""},        // said once
		{35 * time.Second, tree(0, 0, 0), ""},               // pane gone
	}
	for i, s := range steps {
		if got := kinds(tr.Update(t0.Add(s.at), s.tree, c)); got != s.want {
			t.Errorf("step %d (%v): alerts %q, want %q", i, s.at, got, s.want)
		}
	}
	if len(tr.since) != 0 || len(tr.exited) != 0 {
		t.Errorf("state kept for a vanished pane: %v %v", tr.since, tr.exited)
	}
}

func TestNoUsageNoAlerts(t *testing.T) {
	tr := New()
	tree := topology.Tree{Workspaces: []topology.Workspace{{Windows: []topology.Window{{Tabs: []topology.Tab{{Panes: []topology.Pane{{ID: 1}}}}}}}}}
	if a := tr.Update(time.Now(), tree, Config{After: 0}); len(a) != 0 {
		t.Errorf("alerts without usage: %+v", a)
	}
}
