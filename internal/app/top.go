package app

import (
	"context"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/wezterm-parallel/wezterm-parallel/internal/metrics"
	"github.com/wezterm-parallel/wezterm-parallel/internal/topology"
	"github.com/wezterm-parallel/wezterm-parallel/internal/wezterm"
)

// top prints a per-pane table every interval until interrupted (or for
// --iterations rounds).
func (r *runner) top(ctx context.Context, args []string) int {
	f, _, code, ok := r.parse("top", args)
	if !ok {
		return code
	}
	interval, iterations, sortBy := f.dur("interval"), f.int("iterations"), f.str("sort")
	if interval < 100*time.Millisecond {
		fmt.Fprintln(r.o.Stderr, "wezterm-parallel top: --interval must be at least 100ms")
		return 2
	}
	switch sortBy {
	case "cpu", "mem", "pane":
	default:
		fmt.Fprintf(r.o.Stderr, "wezterm-parallel top: --sort %q: want cpu, mem or pane\n", sortBy)
		return 2
	}
	return r.topLoop(ctx, r.client("", nil), interval, iterations, sortBy)
}

func (r *runner) topLoop(ctx context.Context, c *wezterm.Client, interval time.Duration, iterations int, sortBy string) int {
	s := metrics.New(metrics.Options{History: 2})
	defer s.Close()
	m := r.newMonitor(c, s) // one monitor: agent status needs its history
	clear := isTerminal(r.raw)
	tick := time.NewTicker(interval)
	defer tick.Stop()
	ok := false // one sample succeeded
	for i := 0; iterations == 0 || i < iterations; i++ {
		tree, err := sampledTree(ctx, m, 0)
		switch {
		case ctx.Err() != nil:
			return exitOf(ok, i)
		case err != nil:
			// A transient failure (WezTerm restarting) is shown, not fatal.
			fmt.Fprintf(r.o.Stdout, "%s  %s\n", time.Now().Format("15:04:05"), r.explain(err))
		default:
			ok = true
			if clear {
				// Our own sequence, on the raw stream: the guard in front
				// of stdout would show it escaped.
				fmt.Fprint(r.raw, "\x1b[H\x1b[2J")
			} else if i > 0 {
				fmt.Fprintln(r.o.Stdout)
			}
			printTop(r.o.Stdout, tree, sortBy)
		}
		if iterations > 0 && i == iterations-1 {
			break
		}
		select {
		case <-ctx.Done():
			return exitOf(ok, i+1)
		case <-tick.C:
		}
	}
	return exitOf(ok, iterations)
}

// exitOf is top's exit code: 1 when it took samples and every one failed,
// so a script notices that WezTerm never answered.
func exitOf(ok bool, samples int) int {
	if !ok && samples > 0 {
		return 1
	}
	return 0
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// printTop prints the machine line and one row per pane.
func printTop(w io.Writer, t topology.Tree, sortBy string) {
	if s := t.System; s != nil {
		fmt.Fprintf(w, "%s  machine CPU %s  memory %s / %s\n", time.Now().Format("15:04:05"),
			percent(s.CPUPercent), bytesHuman(s.MemUsedBytes), bytesHuman(s.MemTotalBytes))
	}
	panes := t.Panes()
	cpu := func(p topology.Pane) float64 {
		if p.Usage == nil || p.CPUPercent == nil {
			return -1
		}
		return *p.CPUPercent
	}
	mem := func(p topology.Pane) uint64 {
		if p.Usage == nil || p.RSSBytes == nil {
			return 0
		}
		return *p.RSSBytes
	}
	sort.SliceStable(panes, func(i, j int) bool {
		switch sortBy {
		case "mem":
			return mem(panes[i]) > mem(panes[j])
		case "pane":
			return panes[i].ID < panes[j].ID
		}
		return cpu(panes[i]) > cpu(panes[j])
	})
	fmt.Fprintf(w, "%5s  %s %7s %10s %5s  %s %s\n", "PANE", fit("WORKSPACE", 14), "CPU", "RSS", "PROCS", fit("FOREGROUND", 18), "TITLE")
	unknown := false
	for _, p := range panes {
		c, rss, procs, fg := "-", "-", "-", "-"
		if u := p.Usage; u != nil && u.RSSBytes != nil {
			c, rss, procs = percent(u.CPUPercent), bytesHuman(*u.RSSBytes), fmt.Sprint(*u.ProcessCount)
			if u.Foreground != nil {
				fg = u.Foreground.Name
			}
		}
		if p.Usage != nil && p.RSSBytes != nil && p.CPUPercent == nil {
			unknown = true
		}
		fmt.Fprintf(w, "%5d  %s %7s %10s %5s  %s %s\n", p.ID, fit(p.Workspace, 14), c, rss, procs,
			fit(fg, 18), strings.TrimRight(fit(p.Title, 40), " "))
	}
	if unknown {
		fmt.Fprintln(w, "CPU … : measured from the next refresh (it needs two samples)")
	}
}
