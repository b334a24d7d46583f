package app

import (
	"context"
	"encoding/json"
	"fmt"
	"github.com/mattn/go-runewidth"
	"io"
	"strings"

	"github.com/wezterm-parallel/wezterm-parallel/internal/metrics"
	"github.com/wezterm-parallel/wezterm-parallel/internal/spend"
	"github.com/wezterm-parallel/wezterm-parallel/internal/textsafe"
	"github.com/wezterm-parallel/wezterm-parallel/internal/topology"
)

func (r *runner) list(ctx context.Context, args []string) int {
	f, _, code, ok := r.parse("list", args)
	if !ok {
		return code
	}
	asJSON, interval := f.bool("json"), f.dur("interval")
	sampler := metrics.New(metrics.Options{History: 2})
	defer sampler.Close()
	tree, err := sampledTree(ctx, r.newMonitor(r.client("", nil), sampler), interval)
	if err != nil {
		fmt.Fprintln(r.o.Stderr, "wezterm-parallel:", r.explain(err))
		return 1
	}
	if asJSON {
		// JSON escapes control characters itself; the raw stream keeps it
		// byte-exact for scripts.
		enc := json.NewEncoder(r.raw)
		enc.SetIndent("", "  ")
		if err := enc.Encode(tree); err != nil {
			fmt.Fprintln(r.o.Stderr, "wezterm-parallel:", err)
			return 1
		}
		return 0
	}
	printTree(r.o.Stdout, tree)
	if interval == 0 && len(tree.Workspaces) > 0 {
		fmt.Fprintln(r.o.Stdout, cpuHint)
	}
	return 0
}

// printTree prints the tree for people.
func printTree(w io.Writer, t topology.Tree) {
	if len(t.Workspaces) == 0 {
		fmt.Fprintln(w, "no panes")
		return
	}
	if s := t.System; s != nil {
		fmt.Fprintf(w, "machine: CPU %s, memory %s of %s\n", percent(s.CPUPercent), bytesHuman(s.MemUsedBytes), bytesHuman(s.MemTotalBytes))
	}
	for _, ws := range t.Workspaces {
		mark := ""
		if ws.Visible {
			mark = "  ◀ shown in WezTerm"
		}
		name := textsafe.Escape(ws.Name)
		if ws.Name == "" {
			name = `""` // a workspace named "", not "default"
		}
		fmt.Fprintf(w, "workspace %s  (%d panes)%s\n", name, ws.PaneCount(), mark)
		for _, win := range ws.Windows {
			fmt.Fprintf(w, "  window %d  %s\n", win.ID, textsafe.Escape(win.Title))
			for _, tab := range win.Tabs {
				fmt.Fprintf(w, "    tab %d [%d]  %s  %dx%d\n", tab.ID, tab.Index, textsafe.Escape(tab.Title), tab.Cols, tab.Rows)
				for _, p := range tab.Panes {
					var flags []string
					if p.Focused {
						flags = append(flags, "focused")
					} else if p.Active {
						flags = append(flags, "active")
					}
					if p.Zoomed {
						flags = append(flags, "zoomed")
					}
					tty := "-"
					if p.TTY != nil {
						tty = textsafe.Escape(*p.TTY)
					}
					cwd := p.CWD
					if p.Host != "" {
						cwd = p.Host + ":" + cwd
					}
					fmt.Fprintf(w, "      pane %-4d %3dx%-3d %-8s %s %s %s%s %s%s\n",
						p.ID, p.Cols, p.Rows, fmt.Sprintf("@%d,%d", p.Left, p.Top), fit(p.Title, 28), fit(cwd, 30), tty, usageText(p.Usage), strings.Join(flags, ","), spendText(p.Spend))
				}
			}
		}
	}
}

// fit escapes s (text from panes must not act on the terminal) and fits it
// to n display cells: cut with "…", padded with spaces, so that columns
// stay aligned with wide (CJK, emoji) characters.
func fit(s string, n int) string {
	s = textsafe.Escape(s)
	if runewidth.StringWidth(s) > n {
		s = runewidth.Truncate(s, n, "…")
	}
	return runewidth.FillRight(s, n)
}

// cpuHint is said under a table whose CPU column is "…".
const cpuHint = "CPU … : it needs two samples; run with --interval 1s to measure it"

// usageText is " cpu rss procs fg" for a pane, or "" when not sampled.
func usageText(u *topology.Usage) string {
	if u == nil {
		return ""
	}
	if u.RSSBytes == nil {
		return "  (no usage: no tty)"
	}
	fg := ""
	if u.Foreground != nil {
		fg = " " + textsafe.Escape(u.Foreground.Name)
	}
	return fmt.Sprintf("  cpu %s rss %s procs %d%s", percent(u.CPUPercent), bytesHuman(*u.RSSBytes), *u.ProcessCount, fg)
}

// percent prints a CPU figure, "…" until a second sample gives it.
func percent(p *float64) string {
	if p == nil {
		return "…"
	}
	return fmt.Sprintf("%.1f%%", *p)
}

// bytesHuman prints a byte count with a binary unit.
func bytesHuman(n uint64) string { return metrics.HumanBytes(n) }

// spendText is an agent pane's spend for the text listing.
func spendText(s *topology.Spend) string {
	if s == nil {
		return ""
	}
	out := fmt.Sprintf(" spent %s (%s tokens, %s)", spend.USD(s.CostUSD), spend.HumanTokens(s.TokensIn+s.TokensOut+s.CacheWrite+s.CacheRead), textsafe.Escape(s.Model))
	if r := spend.Rate(s.USDPerHour); r != "" {
		out += " " + r
	}
	return out
}
