// Package alerts decides which desktop notifications a tick deserves: a
// pane above its CPU or memory threshold for long enough (once per episode)
// and a pane whose program exited with an error. Pure: no clock, no Fyne.
package alerts

import (
	"fmt"
	"time"

	"github.com/wezterm-parallel/wezterm-parallel/internal/topology"
	"github.com/wezterm-parallel/wezterm-parallel/internal/wezterm"
)

// Config are the thresholds (from the preferences).
type Config struct {
	CPUPercent float64 // 100 = one core
	MemBytes   uint64
	After      time.Duration
}

// Alert is one notification.
type Alert struct {
	Pane  wezterm.PaneID
	Kind  string // "cpu", "memory" or "exited"
	Title string
	Body  string
}

type key struct {
	pane wezterm.PaneID
	kind string
}

// Tracker remembers episodes between ticks.
type Tracker struct {
	since  map[key]time.Time // above the threshold since
	fired  map[key]bool      // notified in this episode
	exited map[wezterm.PaneID]bool
}

// New returns an empty tracker.
func New() *Tracker {
	return &Tracker{since: map[key]time.Time{}, fired: map[key]bool{}, exited: map[wezterm.PaneID]bool{}}
}

// Update looks at one tick and returns the alerts it raises.
func (t *Tracker) Update(now time.Time, tree topology.Tree, c Config) []Alert {
	var out []Alert
	live := map[wezterm.PaneID]bool{}
	for _, p := range tree.Panes() {
		live[p.ID] = true
		u := p.Usage
		if u == nil || u.RSSBytes == nil {
			continue // no numbers for this pane (no tty)
		}
		name := paneName(p)
		if u.CPUPercent != nil {
			if a, ok := t.episode(now, key{p.ID, "cpu"}, *u.CPUPercent > c.CPUPercent, c.After); ok {
				out = append(out, Alert{Pane: p.ID, Kind: "cpu", Title: fmt.Sprintf("%s is using %.0f%% CPU", name, *u.CPUPercent),
					Body: fmt.Sprintf("Above %.0f%% for %s (pane %d, workspace %s)", c.CPUPercent, a.Round(time.Second), p.ID, p.Workspace)})
			}
		}
		if a, ok := t.episode(now, key{p.ID, "memory"}, c.MemBytes > 0 && *u.RSSBytes > c.MemBytes, c.After); ok {
			out = append(out, Alert{Pane: p.ID, Kind: "memory", Title: fmt.Sprintf("%s is using %d MiB", name, *u.RSSBytes>>20),
				Body: fmt.Sprintf("Above %d MiB for %s (pane %d, workspace %s)", c.MemBytes>>20, a.Round(time.Second), p.ID, p.Workspace)})
		}
		// WezTerm keeps a pane whose program failed (exit_behavior
		// CloseOnCleanExit); with no process left on its tty, it ended.
		if u.ProcessCount != nil && *u.ProcessCount == 0 && !t.exited[p.ID] {
			t.exited[p.ID] = true
			out = append(out, Alert{Pane: p.ID, Kind: "exited", Title: fmt.Sprintf("%s exited with an error", p.Title),
				Body: fmt.Sprintf("Pane %d in workspace %s: its program ended; the pane shows why", p.ID, p.Workspace)})
		}
	}
	for k := range t.since {
		if !live[k.pane] {
			delete(t.since, k)
			delete(t.fired, k)
		}
	}
	for id := range t.exited {
		if !live[id] {
			delete(t.exited, id)
		}
	}
	return out
}

// episode tracks one condition; it fires once when the condition has held
// for after, and again only after it stopped holding.
func (t *Tracker) episode(now time.Time, k key, above bool, after time.Duration) (time.Duration, bool) {
	if !above {
		delete(t.since, k)
		delete(t.fired, k)
		return 0, false
	}
	start, ok := t.since[k]
	if !ok {
		t.since[k] = now
		start = now
	}
	if d := now.Sub(start); d >= after && !t.fired[k] {
		t.fired[k] = true
		return d, true
	}
	return 0, false
}

func paneName(p topology.Pane) string {
	if p.Usage != nil && p.Foreground != nil && p.Foreground.Name != "" {
		return p.Foreground.Name
	}
	return p.Title
}
