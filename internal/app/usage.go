package app

import (
	"context"
	"time"

	"github.com/wezterm-parallel/wezterm-parallel/internal/metrics"
	"github.com/wezterm-parallel/wezterm-parallel/internal/topology"
	"github.com/wezterm-parallel/wezterm-parallel/internal/wezterm"
)

// paneRefs lists the panes of tree for the sampler.
func paneRefs(tree topology.Tree) []metrics.PaneRef {
	var refs []metrics.PaneRef
	for _, p := range tree.Panes() {
		tty := ""
		if p.TTY != nil {
			tty = *p.TTY
		}
		refs = append(refs, metrics.PaneRef{ID: p.ID, TTY: tty})
	}
	return refs
}

// attachUsage copies a metrics snapshot into the tree.
func attachUsage(tree *topology.Tree, snap metrics.Snapshot) {
	sys := snap.System
	tree.System = &topology.SystemUsage{CPUPercent: sys.CPUPercent, MemUsedBytes: sys.MemUsed, MemTotalBytes: sys.MemTotal}
	tree.EachPane(func(p *topology.Pane) {
		u := &topology.Usage{}
		p.Usage = u
		m, ok := snap.Panes[p.ID]
		if !ok || !m.Available {
			return
		}
		u.CPUPercent = m.CPUPercent
		rss, n := m.RSS, m.ProcessCount
		u.RSSBytes, u.ProcessCount = &rss, &n
		if fg := m.Foreground; fg != nil {
			u.Foreground = &topology.Foreground{PID: fg.PID, Name: fg.Name, Cmdline: fg.Cmdline}
		}
	})
}

// sampledTree lists panes and samples their usage; with interval > 0 it
// samples twice, interval apart, so CPU % is known.
func sampledTree(ctx context.Context, c *wezterm.Client, s *metrics.Sampler, interval time.Duration) (topology.Tree, error) {
	tree, err := snapshot(ctx, c)
	if err != nil {
		return tree, err
	}
	refs := paneRefs(tree)
	snap, err := s.Sample(ctx, refs)
	if err != nil {
		return tree, err
	}
	if interval > 0 {
		select {
		case <-time.After(interval):
		case <-ctx.Done():
			return tree, ctx.Err()
		}
		if snap, err = s.Sample(ctx, refs); err != nil {
			return tree, err
		}
	}
	attachUsage(&tree, snap)
	return tree, nil
}
