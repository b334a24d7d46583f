package app

import (
	"context"
	"fmt"
	"path/filepath"
	"time"

	"github.com/wezterm-parallel/wezterm-parallel/assets"
	"github.com/wezterm-parallel/wezterm-parallel/internal/agents"
	"github.com/wezterm-parallel/wezterm-parallel/internal/config"
	"github.com/wezterm-parallel/wezterm-parallel/internal/metrics"
	"github.com/wezterm-parallel/wezterm-parallel/internal/monitor"
	"github.com/wezterm-parallel/wezterm-parallel/internal/spend"
	"github.com/wezterm-parallel/wezterm-parallel/internal/topology"
	"github.com/wezterm-parallel/wezterm-parallel/internal/wezterm"
)

// agentRules are the bundled rules plus agents.toml beside the
// preferences; problems in the user's file are printed, the bundled rules
// still apply.
func (r *runner) agentRules() []agents.Rule {
	if r.rules != nil {
		return r.rules
	}
	path := r.g.config
	if path == "" {
		path, _ = config.DefaultPath()
	}
	user := ""
	if path != "" {
		user = filepath.Join(filepath.Dir(path), "agents.toml")
	}
	rules, err := agents.LoadRules(assets.AgentRules, user, config.ReadFile)
	if err != nil {
		fmt.Fprintln(r.o.Stderr, err)
	}
	r.rules = rules
	return rules
}

// newMonitor returns a monitor for c that also tracks agents, reading
// their screens on every step (commands take few steps).
// Agent panes carry their spend.
func (r *runner) newMonitor(c *wezterm.Client, s *metrics.Sampler) *monitor.Monitor {
	m := r.agentMonitor(c, s)
	m.SetSpend(r.newLive(spend.DefaultRoots(r.o.Getenv, r.home()), listKeep))
	return m
}

// agentMonitor is newMonitor without spend.
func (r *runner) agentMonitor(c *wezterm.Client, s *metrics.Sampler) *monitor.Monitor {
	return monitor.Build(monitor.Options{Source: c, Sampler: s, Interval: time.Second, Rules: r.agentRules()})
}

// sampledTree takes one tick (two, interval apart, with interval > 0 so
// CPU % is known) and returns the tree with usage and agents.
func sampledTree(ctx context.Context, m *monitor.Monitor, interval time.Duration) (topology.Tree, error) {
	snap := m.Step(ctx)
	if snap.Status == monitor.Connected && interval > 0 {
		select {
		case <-time.After(interval):
		case <-ctx.Done():
			return snap.Tree, ctx.Err()
		}
		snap = m.Step(ctx)
	}
	if snap.Status != monitor.Connected {
		return snap.Tree, snap.Err
	}
	// Interrupted while reading the agents' records: the spend is partial.
	return snap.Tree, ctx.Err()
}
