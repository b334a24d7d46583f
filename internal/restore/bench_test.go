//go:build unix

package restore

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/wezterm-parallel/wezterm-parallel/internal/snapshot"
	"github.com/wezterm-parallel/wezterm-parallel/internal/topology"
)

// fiftyPanes is 5 workspaces of 2 tabs of 5 panes (a pane on the left, four
// stacked on the right), each pane in its own folder, one program per tab
// waiting at its prompt.
func fiftyPanes(base string) topology.Tree {
	var tr topology.Tree
	id := 0
	for w := 0; w < 5; w++ {
		var tabs []topology.Tab
		for t := 0; t < 2; t++ {
			var panes []topology.Pane
			for i := 0; i < 5; i++ {
				dir := filepath.Join(base, fmt.Sprintf("ws %d", w), fmt.Sprintf("pane %d-%d", t, i))
				os.MkdirAll(dir, 0o700)
				left, top, cols, rows := 0, 0, 80, 48
				if i > 0 {
					left, top, cols, rows = 81, (i-1)*12, 79, 11
					if i == 4 {
						rows = 12
					}
				}
				fg, cmd := "bash", "bash"
				if i == 4 {
					fg, cmd = "sleep", "sleep 3600"
				}
				id++
				panes = append(panes, pane(id, left, top, cols, rows, dir, fg, cmd))
			}
			tabs = append(tabs, tab(fmt.Sprintf("tab %d", t), panes...))
		}
		tr.Workspaces = append(tr.Workspaces, ws(fmt.Sprintf("project %d", w), tabs...))
	}
	return tr
}

// BenchmarkRestore50 is the time to restore 50 panes (5 workspaces, 10
// tabs, 10 commands left at their prompt) into a fresh stand-in, through
// real wezterm cli processes (the stand-in's), from the plan to the last
// command typed. Run it with -benchtime 3x for the closing note's figure.
func BenchmarkRestore50(b *testing.B) {
	base := b.TempDir()
	snap := snapshot.Take(fiftyPanes(base), time.Now(), "bench")
	snap.ID = "bench"
	var total time.Duration
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		w := start(b, base)
		if err := w.env.Server.EnsureWorkspace("default"); err != nil {
			b.Fatal(err)
		}
		plan, err := NewPlan(snap, w.tree(b), Options{Rules: rules(b), Home: base})
		if err != nil {
			b.Fatal(err)
		}
		if m := plan.Summary(); m.Panes != 50 || m.Waits != 10 {
			b.Fatalf("plan %+v", m)
		}
		b.StartTimer()
		began := time.Now()
		rep, err := Run(context.Background(), w.c, plan, RunOptions{})
		total += time.Since(began)
		b.StopTimer()
		if err != nil || len(rep.Restored) != 5 {
			b.Fatalf("%v %+v", err, rep)
		}
		if n := len(w.tree(b).Panes()); n != 50 {
			b.Fatalf("%d panes after the restore", n)
		}
		w.env.Server.Close()
	}
	b.ReportMetric(total.Seconds()/float64(b.N), "s/restore")
}
