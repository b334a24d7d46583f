package app

import (
	"context"
	"time"

	"github.com/wezterm-parallel/wezterm-parallel/internal/metrics"
	"github.com/wezterm-parallel/wezterm-parallel/internal/monitor"
	"github.com/wezterm-parallel/wezterm-parallel/internal/topology"
	"github.com/wezterm-parallel/wezterm-parallel/internal/wezterm"
)

// sampledTree lists panes and samples their usage; with interval > 0 it
// samples twice, interval apart, so CPU % is known.
func sampledTree(ctx context.Context, c *wezterm.Client, s *metrics.Sampler, interval time.Duration) (topology.Tree, error) {
	tree, err := snapshot(ctx, c)
	if err != nil {
		return tree, err
	}
	refs := monitor.PaneRefs(tree)
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
	monitor.Attach(&tree, snap)
	return tree, nil
}
