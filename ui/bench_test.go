package ui

import (
	"context"
	"flag"
	"fmt"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"

	"github.com/wezterm-parallel/wezterm-parallel/internal/control"
	"github.com/wezterm-parallel/wezterm-parallel/internal/metrics"
	"github.com/wezterm-parallel/wezterm-parallel/internal/monitor"
	"github.com/wezterm-parallel/wezterm-parallel/internal/topology"
	"github.com/wezterm-parallel/wezterm-parallel/internal/wezterm"
)

// bigSnapshot has n panes in 20 workspaces, four panes a tab, with usage
// and 60 samples of history each; tick varies the numbers.
func bigSnapshot(n, tick int) monitor.Snapshot {
	tree := topology.Tree{GUIWorkspace: "ws-00"}
	hist := map[wezterm.PaneID][]metrics.Sample{}
	for w := 0; w < 20; w++ {
		ws := topology.Workspace{Name: fmt.Sprintf("ws-%02d", w), Visible: w == 0}
		win := topology.Window{ID: wezterm.WindowID(w)}
		for t := 0; t < n/20/4; t++ {
			tab := topology.Tab{ID: wezterm.TabID(w*100 + t), Title: "agents", Cols: 160, Rows: 48}
			for p := 0; p < 4; p++ {
				id := wezterm.PaneID(w*1000 + t*4 + p)
				cpu := float64((int(id)+tick)%100) + 0.5
				rss := uint64(100+p) << 20
				tab.Panes = append(tab.Panes, topology.Pane{ID: id, Title: fmt.Sprintf("agent %d", id), CWD: "/home/a/src/app",
					Left: (p % 2) * 81, Top: (p / 2) * 25, Cols: 80 - p%2, Rows: 24 - p/2, Active: p == 0, Workspace: ws.Name,
					Usage: &topology.Usage{CPUPercent: &cpu, RSSBytes: &rss, ProcessCount: ptr(3),
						Foreground: &topology.Foreground{Name: "claude", Cmdline: "claude --resume"}}})
				h := make([]metrics.Sample, 60)
				for i := range h {
					h[i].CPU = float64((i + tick) % 100)
				}
				hist[id] = h
			}
			win.Tabs = append(win.Tabs, tab)
		}
		ws.Windows = []topology.Window{win}
		tree.Workspaces = append(tree.Workspaces, ws)
	}
	tree.System = &topology.SystemUsage{CPUPercent: ptr(40.0), MemUsedBytes: 8 << 30, MemTotalBytes: 16 << 30}
	return monitor.Snapshot{Status: monitor.Connected, Version: "20240203-110809-5046fc22", Tree: tree, History: hist}
}

var capture = flag.Bool("capture", false, "BenchmarkApply500 also renders each frame in software")

// BenchmarkApply500 is one tick of a 500-pane, 20-workspace snapshot
// applied to the window (test driver, rendering included). Target: 16 ms.
func BenchmarkApply500(b *testing.B) {
	a := test.NewTempApp(b)
	a.Settings().SetTheme(theme.DefaultTheme())
	w := New(context.Background(), a, Deps{Control: control.New(&recorder{})})
	w.Window().Resize(fyne.NewSize(1440, 900))
	snaps := []monitor.Snapshot{bigSnapshot(500, 0), bigSnapshot(500, 1)}
	w.Apply(snaps[0])
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		i++
		w.Apply(snaps[i%2])
		if *capture {
			w.Window().Canvas().Capture() // software rendering of the whole frame
		}
	}
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/tick")
}
