// Package decide turns each snapshot into the app's side effects, as data:
// the desktop notifications it deserves (a pane over a threshold, a program
// that failed, an agent that started waiting), the queued prompts now due,
// and the tray menu when it changed. Pure trackers: the caller carries the
// effects out at the edge (notify, send, set the menu), so rendering the
// window never decides anything and the same decisions can run where the
// tray lives.
package decide

import (
	"fmt"
	"sync"
	"time"

	"github.com/wezterm-parallel/wezterm-parallel/internal/agents"
	"github.com/wezterm-parallel/wezterm-parallel/internal/alerts"
	"github.com/wezterm-parallel/wezterm-parallel/internal/broadcast"
	"github.com/wezterm-parallel/wezterm-parallel/internal/config"
	"github.com/wezterm-parallel/wezterm-parallel/internal/monitor"
	"github.com/wezterm-parallel/wezterm-parallel/internal/topology"
	"github.com/wezterm-parallel/wezterm-parallel/internal/tray"
	"github.com/wezterm-parallel/wezterm-parallel/internal/wezterm"
)

// Kind is what a notification is about; each can be switched off.
type Kind int

// Kinds.
const (
	Layout    Kind = iota // a layout launched or failed
	Threshold             // a pane above its CPU or memory threshold
	Exited                // a pane's program exited with an error
	Agent                 // an agent started waiting
	Budget                // spend reached 80 % or 100 % of a budget
)

// Note is a desktop notification.
type Note struct {
	Kind  Kind
	Pane  wezterm.PaneID // 0 for a note about no one pane
	Title string
	Body  string
}

// Allowed reports whether the preferences let a kind through.
func Allowed(p config.Preferences, k Kind) bool {
	if !p.Notifications {
		return false
	}
	switch k {
	case Layout:
		return p.NotifyLayouts
	case Threshold:
		return p.NotifyThresholds
	case Exited:
		return p.NotifyExited
	case Agent:
		return p.NotifyAgents
	case Budget:
		return p.NotifyBudget
	}
	return false
}

// Effects are what one snapshot asks for.
type Effects struct {
	Notes   []Note
	Deliver []broadcast.Item // queued prompts whose agent now waits: type them
	Dropped []broadcast.Item // queued prompts whose pane or agent is gone
	// Tray is the new tray menu, nil when it did not change.
	Tray *tray.Model
}

// agentRenotify is the least time between two "waiting" notifications of
// one pane.
const agentRenotify = time.Minute

// Decider remembers what it decided between snapshots. Safe for
// concurrent use: Step runs where snapshots arrive, Plan and Cancel where
// the user acts.
type Decider struct {
	mu       sync.Mutex
	alerts   *alerts.Tracker
	was      map[wezterm.PaneID]agents.Status
	toldAt   map[wezterm.PaneID]time.Time
	queue    broadcast.Queue
	tray     tray.Model
	hasTray  bool
	statuses map[wezterm.PaneID]agentState
	// budget levels told (0, 80, 100) per episode: "day:YYYY-MM-DD" or
	// "pane:ID:session".
	budget map[string]int
	// restore is the tray's restore item (SetRestore).
	restore string
}

// SetRestore sets the tray menu's restore item for the next Step ("" :
// none); the caller decides it (restore.TrayLabel) from the snapshots on
// disk, which this pure decider does not read.
func (d *Decider) SetRestore(label string) {
	d.mu.Lock()
	d.restore = label
	d.mu.Unlock()
}

type agentState struct {
	status agents.Status
	exists bool
}

// New returns a Decider with nothing remembered.
func New() *Decider {
	return &Decider{alerts: alerts.New(), was: map[wezterm.PaneID]agents.Status{}, toldAt: map[wezterm.PaneID]time.Time{}, budget: map[string]int{}}
}

// Step decides one snapshot's effects. layouts are the names for the
// tray's Layouts menu; shown says whether the window is on screen.
func (d *Decider) Step(s monitor.Snapshot, p config.Preferences, layouts []string, shown bool) Effects {
	d.mu.Lock()
	defer d.mu.Unlock()
	var e Effects
	if s.Status == monitor.Connected {
		e.Notes = append(e.Notes, d.thresholds(s, p)...)
		e.Notes = append(e.Notes, d.agents(s, p)...)
		e.Notes = append(e.Notes, d.budgets(s, p)...)
		d.statuses = map[wezterm.PaneID]agentState{}
		for _, pn := range s.Tree.Panes() {
			st := agentState{exists: true}
			if pn.Agent != nil {
				st.status = pn.Agent.Status
			}
			d.statuses[pn.ID] = st
		}
		e.Deliver, e.Dropped = d.queue.Due(d.status)
	}
	m := tray.Build(s, layouts, shown)
	m.Restore = d.restore
	if !d.hasTray || !m.Equal(d.tray) {
		d.tray, d.hasTray = m, true
		e.Tray = &m
	}
	return e
}

func (d *Decider) status(id wezterm.PaneID) (agents.Status, bool) {
	st := d.statuses[id]
	return st.status, st.exists
}

func (d *Decider) thresholds(s monitor.Snapshot, p config.Preferences) []Note {
	cfg := alerts.Config{CPUPercent: p.CPUAlertPercent, MemBytes: uint64(p.MemAlertMB) << 20, After: p.AlertAfter}
	var out []Note
	for _, a := range d.alerts.Update(s.Time, s.Tree, cfg) {
		k := Threshold
		if a.Kind == "exited" {
			k = Exited
		}
		if Allowed(p, k) {
			out = append(out, Note{Kind: k, Pane: a.Pane, Title: a.Title, Body: a.Body})
		}
	}
	return out
}

// agents notifies each transition of an agent to waiting, at most once a
// minute per pane.
func (d *Decider) agents(s monitor.Snapshot, p config.Preferences) []Note {
	var out []Note
	seen := map[wezterm.PaneID]bool{}
	for _, pn := range s.Tree.Panes() {
		if pn.Agent == nil {
			continue
		}
		seen[pn.ID] = true
		was := d.was[pn.ID]
		d.was[pn.ID] = pn.Agent.Status
		if pn.Agent.Status == agents.Waiting && was != agents.Waiting && s.Time.Sub(d.toldAt[pn.ID]) >= agentRenotify {
			d.toldAt[pn.ID] = s.Time
			if Allowed(p, Agent) {
				out = append(out, Note{Kind: Agent, Pane: pn.ID, Title: pn.Agent.Name + " is waiting for you",
					Body: fmt.Sprintf("Pane %d in workspace %s: %s", pn.ID, pn.Workspace, pn.Agent.Why)})
			}
		}
	}
	for id := range d.was {
		if !seen[id] {
			delete(d.was, id)
			delete(d.toldAt, id)
		}
	}
	return out
}

// BudgetLevel is how much of a budget is spent: 0 (under 80 %), 80 or
// 100. No budget (0) or an unknown cost is 0.
func BudgetLevel(cost *float64, budget float64) int {
	switch {
	case budget <= 0 || cost == nil:
		return 0
	case *cost >= budget:
		return 100
	case *cost >= 0.8*budget:
		return 80
	}
	return 0
}

// budgets notifies when today's spend or an agent pane's reaches 80 % and
// 100 % of its budget, once per episode: a day, or a pane's session. A
// spend that falls back (a raised budget) starts a new episode.
func (d *Decider) budgets(s monitor.Snapshot, p config.Preferences) []Note {
	var out []Note
	seen := map[string]bool{}
	check := func(key string, level int, title, body string, pane wezterm.PaneID) {
		seen[key] = true
		was := d.budget[key]
		d.budget[key] = level
		if level > was && Allowed(p, Budget) {
			out = append(out, Note{Kind: Budget, Pane: pane, Title: fmt.Sprintf(title, level), Body: body})
		}
	}
	if t := s.Tree.SpendToday; t != nil && p.BudgetDailyUSD > 0 {
		day := s.Time.Local().Format(time.DateOnly)
		check("day:"+day, BudgetLevel(t.CostUSD, p.BudgetDailyUSD), "Agents spent %d %% of today's budget",
			fmt.Sprintf("$%.2f of $%.2f today", deref(t.CostUSD), p.BudgetDailyUSD), 0)
	}
	if p.BudgetPaneUSD > 0 {
		for _, pn := range s.Tree.Panes() {
			if pn.Spend == nil {
				continue
			}
			name := "agent"
			if pn.Agent != nil {
				name = pn.Agent.Name
			}
			check(fmt.Sprintf("pane:%d:%s", pn.ID, pn.Spend.Session), BudgetLevel(pn.Spend.CostUSD, p.BudgetPaneUSD),
				name+" used %d %% of its pane budget",
				fmt.Sprintf("Pane %d in workspace %s: $%.2f of $%.2f (%s)", pn.ID, pn.Workspace, deref(pn.Spend.CostUSD), p.BudgetPaneUSD, pn.Spend.Model), pn.ID)
		}
	}
	for k := range d.budget {
		if !seen[k] {
			delete(d.budget, k)
		}
	}
	return out
}

func deref(f *float64) float64 {
	if f == nil {
		return 0
	}
	return *f
}

// Plan splits a broadcast: panes whose agent works get the prompt queued
// (typed when it next waits), the others are returned to send now.
func (d *Decider) Plan(now time.Time, tree topology.Tree, panes []wezterm.PaneID, text string) (sendNow []wezterm.PaneID, queued []broadcast.Item) {
	d.mu.Lock()
	defer d.mu.Unlock()
	st := map[wezterm.PaneID]agents.Status{}
	for _, p := range tree.Panes() {
		if p.Agent != nil {
			st[p.ID] = p.Agent.Status
		}
	}
	return d.queue.Plan(now, panes, text, func(id wezterm.PaneID) (agents.Status, bool) { s, ok := st[id]; return s, ok })
}

// Cancel removes a queued prompt.
func (d *Decider) Cancel(id int) bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.queue.Cancel(id)
}

// Queued lists the prompts waiting for their agent, oldest first.
func (d *Decider) Queued() []broadcast.Item {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.queue.Items()
}

// Reset forgets what was decided about panes: after WezTerm restarted, its
// pane ids name other panes.
func (d *Decider) Reset() {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.alerts = alerts.New()
	d.was = map[wezterm.PaneID]agents.Status{}
	d.toldAt = map[wezterm.PaneID]time.Time{}
}
