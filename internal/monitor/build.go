package monitor

import (
	"time"

	"github.com/wezterm-parallel/wezterm-parallel/internal/agents"
	"github.com/wezterm-parallel/wezterm-parallel/internal/metrics"
)

// Options describe a monitor with its agents and spend. Build is the one
// way the command line, the window and the resident make one.
type Options struct {
	Source   Source
	Sampler  Sampler // nil: a fresh metrics sampler keeping HistoryLen samples
	Interval time.Duration
	Publish  func(Snapshot)
	// Rules recognise agents.
	Rules []agents.Rule
	// Poll is how often an agent's screen may be read while shown; 0
	// reads at once (the command line's one or two steps).
	Poll time.Duration
	// Spend attaches agents' spend (nil: none).
	Spend Spender
	// Hidden: nobody looks yet (the resident).
	Hidden bool
}

// Build makes the monitor o describes; Run starts it.
func Build(o Options) *Monitor {
	if o.Sampler == nil {
		// Histories as long as a snapshot carries, not the sampler's
		// default ten minutes: at 500 panes the rings were 12 of the
		// resident's 24 MiB of anonymous memory.
		o.Sampler = metrics.New(metrics.Options{History: HistoryLen})
	}
	m := New(o.Source, o.Sampler, o.Interval, o.Publish)
	m.SetAgents(agents.NewTracker(o.Rules), o.Poll)
	if o.Spend != nil {
		m.SetSpend(o.Spend)
	}
	if o.Hidden {
		m.SetHidden(true)
	}
	return m
}
