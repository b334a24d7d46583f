package snapshot

import (
	"fmt"
	"testing"

	"github.com/wezterm-parallel/wezterm-parallel/internal/agents"
	"github.com/wezterm-parallel/wezterm-parallel/internal/topology"
)

// bigTree is 500 panes: 10 workspaces of 5 tabs of 10 panes (a 2x5 grid),
// every fifth an agent with a session, every fifth a dev server.
func bigTree() topology.Tree {
	var t topology.Tree
	id := 0
	for w := 0; w < 10; w++ {
		ws := topology.Workspace{Name: fmt.Sprintf("project-%d", w), Windows: []topology.Window{{ID: 1}}}
		for tb := 0; tb < 5; tb++ {
			tab := topology.Tab{Cols: 240, Rows: 64, Title: "agents", TitleSet: true}
			for c := 0; c < 2; c++ {
				for r := 0; r < 5; r++ {
					id++
					dir := fmt.Sprintf("/home/u/src/project-%d/service-%d", w, r)
					p := pane(id, c*120, r*13, 119+c, 12+boolInt(r == 4), dir, "zsh", "-zsh")
					switch id % 5 {
					case 0:
						p.Usage.Foreground = &topology.Foreground{PID: int32(id), Name: "claude", Cmdline: "claude --model opus"}
						p.Agent = &topology.Agent{Name: "Claude Code", Status: agents.Working, PID: int32(id), Session: fmt.Sprintf("%08d-1111-4222-8333-444455556666", id)}
						p.Spend = &topology.Spend{Model: "claude-opus-5-5"}
					case 1:
						p.Usage.Foreground = &topology.Foreground{PID: int32(id), Name: "npm", Cmdline: "npm run dev -- --port 30" + fmt.Sprint(id%100)}
					}
					tab.Panes = append(tab.Panes, p)
				}
			}
			ws.Windows[0].Tabs = append(ws.Windows[0].Tabs, tab)
		}
		t.Workspaces = append(t.Workspaces, ws)
	}
	return t
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// BenchmarkSnapshot500 is the cost of one snapshot of 500 panes: taken
// from the tree, and encoded (what a write costs before the disk).
func BenchmarkSnapshot500(b *testing.B) {
	t := bigTree()
	var size int
	for b.Loop() {
		s := Take(t, t0, "bench")
		data, err := Encode(s)
		if err != nil {
			b.Fatal(err)
		}
		size = len(data)
	}
	b.ReportMetric(float64(size)/1024, "KiB/file")
}

// BenchmarkObserve500 is the resident's cost per tick with 500 panes when
// nothing changed (the common case: the tree is taken and hashed).
func BenchmarkObserve500(b *testing.B) {
	t := bigTree()
	w := NewWriter(Open(b.TempDir()), "bench")
	w.Observe(t0, t)
	w.Observe(t0.Add(Debounce), t)
	n := 0
	for b.Loop() {
		n++
		if did, err := w.Observe(t0.Add(Debounce+1), t); err != nil || did != Nothing {
			b.Fatalf("%s %v", did, err)
		}
	}
}

// BenchmarkSave500 includes the atomic write (temp file, fsync, rename).
func BenchmarkSave500(b *testing.B) {
	t := bigTree()
	st := Open(b.TempDir())
	for b.Loop() {
		if _, err := st.Save(Take(t, t0, "bench")); err != nil {
			b.Fatal(err)
		}
	}
}
