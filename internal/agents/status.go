package agents

import (
	"hash/fnv"
	"strings"
	"sync"
	"time"

	"github.com/wezterm-parallel/wezterm-parallel/internal/wezterm"
)

// Status of an agent.
type Status string

// Statuses.
const (
	Working Status = "working"
	Waiting Status = "waiting"
	Idle    Status = "idle"
	Exited  Status = "exited"
)

// Observation is what one tick saw of a pane.
type Observation struct {
	Pane       wezterm.PaneID
	TTY        string // a pane id whose tty changed is another pane
	Foreground string // program name ("" when none)
	Cmdline    string
	PID        int32  // the foreground program's
	Group      []Proc // the rest of its process group: what a launcher runs
	Title      string
	CPU        float64 // percent, 0 when unknown
	Processes  int
	// Screen is the pane's text when it was read this tick ("" = not read).
	Screen string
	Read   bool
	// Reported is what the agent says of itself (nil: it keeps no state
	// we read, or it could not be read): it decides when present.
	Reported *Report
}

// Proc is a process of a pane's foreground group.
type Proc struct {
	PID     int32
	Name    string
	Cmdline string
}

// Report is an agent's own account of its state.
type Report struct {
	Status  Status
	Why     string
	Session string // its session id, when it says
}

// lastLines are the screen lines prompts are looked for in.
const lastLines = 12

// classify is one tick's raw verdict for a matched rule; why says which
// signal decided it.
func classify(r *Rule, o Observation, changed bool) (Status, string) {
	if o.Processes == 0 {
		return Exited, "no process left on the tty"
	}
	if o.Reported != nil {
		return o.Reported.Status, o.Reported.Why
	}
	// A working title beats prompt text still on screen from before an
	// answer; an agent shows its question with an idle title.
	if anyMatch(r.WorkingTitle, o.Title) {
		return Working, "title " + o.Title
	}
	if anyMatch(r.WaitingTitle, o.Title) {
		return Waiting, "title " + o.Title
	}
	if o.Read {
		lines := strings.Split(strings.TrimRight(o.Screen, "\n "), "\n")
		if len(lines) > lastLines {
			lines = lines[len(lines)-lastLines:]
		}
		for _, l := range lines {
			// WezTerm prints the blanks a program wrote or erased at the
			// end of a line (get-text keeps every cell the line holds).
			l = strings.TrimRight(l, " ")
			if anyMatch(r.Waiting, l) {
				return Waiting, "prompt on screen: " + strings.TrimSpace(l)
			}
		}
	}
	switch {
	case anyMatch(r.IdleTitle, o.Title):
		return Idle, "title " + o.Title
	case o.CPU >= 5:
		return Working, "CPU busy"
	case o.Read && changed:
		return Working, "screen changing"
	}
	return Idle, "quiet: no CPU, screen unchanged"
}

// State is an agent's debounced status.
type State struct {
	Name    string
	Status  Status
	Since   time.Time
	Why     string // the signal that decided the status
	PID     int32  // the agent's process
	Session string // the session id it reported, if any
}

type paneState struct {
	rule      *Rule
	tty       string
	state     State
	candidate Status
	seen      int
	hash      uint64
	hashed    bool
	screen    string // the last screen read (ticks between reads reuse it)
}

// Tracker follows agents across ticks. A new status must be seen on
// Debounce consecutive ticks before it is reported (exits at once), so a
// status does not flicker.
type Tracker struct {
	Rules    []Rule
	Debounce int
	panes    map[wezterm.PaneID]*paneState

	// matched remembers which rule a program matched (-1: none), by its
	// name and command line: the same programs are asked about every
	// tick, and the rules' expressions cost more than a map lookup.
	mu      sync.Mutex
	matched map[string]int
}

// maxMatched bounds the remembered programs (a long session meets many).
const maxMatched = 4096

// NewTracker returns a tracker with the given rules.
func NewTracker(rules []Rule) *Tracker {
	return &Tracker{Rules: rules, Debounce: 2, panes: map[wezterm.PaneID]*paneState{}}
}

// Find returns the rule of the agent a pane runs and the agent's pid: the
// foreground program, else the first of its process group that matches
// (npx, a wrapper script that did not exec, sh -c).
func (t *Tracker) Find(o Observation) (*Rule, int32, bool) {
	if r, ok := t.match(o.Foreground, o.Cmdline); ok {
		return r, o.PID, true
	}
	for _, p := range o.Group {
		if r, ok := t.match(p.Name, p.Cmdline); ok {
			return r, p.PID, true
		}
	}
	return nil, 0, false
}

// match is Match, remembered.
func (t *Tracker) match(name, cmdline string) (*Rule, bool) {
	key := name + "\x00" + cmdline
	t.mu.Lock()
	i, seen := t.matched[key]
	t.mu.Unlock()
	if !seen {
		i = -1
		if r, ok := Match(t.Rules, name, cmdline); ok {
			for j := range t.Rules {
				if &t.Rules[j] == r {
					i = j
				}
			}
		}
		t.mu.Lock()
		if t.matched == nil || len(t.matched) >= maxMatched {
			t.matched = map[string]int{}
		}
		t.matched[key] = i
		t.mu.Unlock()
	}
	if i < 0 {
		return nil, false
	}
	return &t.Rules[i], true
}

// Update takes one tick's observations and returns the agents' states.
// Panes without a matched agent (and never matched) are absent; a pane
// whose agent went away reports Exited.
func (t *Tracker) Update(now time.Time, obs []Observation) map[wezterm.PaneID]State {
	out := map[wezterm.PaneID]State{}
	live := map[wezterm.PaneID]bool{}
	for _, o := range obs {
		live[o.Pane] = true
		ps := t.panes[o.Pane]
		if ps != nil && ps.tty != o.TTY {
			// The id now names another pane (WezTerm restarted): what was
			// known of the old one does not carry over, "exited" included.
			delete(t.panes, o.Pane)
			ps = nil
		}
		rule, pid, ok := t.Find(o)
		if !ok && ps == nil {
			continue
		}
		if !ok {
			// The agent left its pane (back to the shell, or gone).
			if ps.state.Status != Exited {
				ps.state = State{Name: ps.state.Name, Status: Exited, Since: now, Why: "the agent's process ended"}
			}
			out[o.Pane] = ps.state
			continue
		}
		if ps == nil || ps.rule != rule {
			ps = &paneState{rule: rule, tty: o.TTY}
			t.panes[o.Pane] = ps
		}
		changed := false
		if o.Read {
			h := fnv.New64a()
			h.Write([]byte(o.Screen))
			sum := h.Sum64()
			changed = ps.hashed && sum != ps.hash
			ps.hash, ps.hashed, ps.screen = sum, true, o.Screen
		} else if ps.hashed {
			// Not read this tick (agent_poll): the last screen still holds
			// the prompt, and nothing is known to have changed.
			o.Screen, o.Read = ps.screen, true
		}
		st, why := classify(rule, o, changed)
		session := ""
		if o.Reported != nil {
			session = o.Reported.Session
		}
		switch {
		case ps.state.Status == "":
			ps.state = State{Name: rule.Name, Status: st, Since: now, Why: why}
		case st == ps.state.Status:
			ps.candidate, ps.seen = "", 0
			ps.state.Why = why
		case st == Exited || o.Reported != nil:
			// The agent's own word needs no confirmation.
			ps.state = State{Name: rule.Name, Status: st, Since: now, Why: why}
			ps.candidate, ps.seen = "", 0
		default:
			if st == ps.candidate {
				ps.seen++
			} else {
				ps.candidate, ps.seen = st, 1
			}
			if ps.seen >= t.Debounce {
				ps.state = State{Name: rule.Name, Status: st, Since: now, Why: why}
				ps.candidate, ps.seen = "", 0
			}
		}
		ps.state.PID = pid
		if session != "" {
			ps.state.Session = session
		}
		out[o.Pane] = ps.state
	}
	for id := range t.panes {
		if !live[id] {
			delete(t.panes, id)
		}
	}
	return out
}

// TitleClass says what a title tells of a matched agent: "working",
// "waiting", "idle" or "" (nothing), so a caller can notice a change of
// meaning (not every spinner frame).
func TitleClass(r *Rule, title string) string {
	switch {
	case r == nil:
		return ""
	case anyMatch(r.WorkingTitle, title):
		return "working"
	case anyMatch(r.WaitingTitle, title):
		return "waiting"
	case anyMatch(r.IdleTitle, title):
		return "idle"
	}
	return ""
}

// Pending reports whether some pane shows a new status not yet confirmed
// (seen on fewer than Debounce ticks): the caller may tick sooner.
func (t *Tracker) Pending() bool {
	for _, ps := range t.panes {
		if ps.candidate != "" {
			return true
		}
	}
	return false
}

// Reset forgets every pane (WezTerm restarted: its ids name other panes).
func (t *Tracker) Reset() { t.panes = map[wezterm.PaneID]*paneState{} }

// Queue returns the panes waiting for the user, oldest first.
func Queue(states map[wezterm.PaneID]State) []wezterm.PaneID {
	var ids []wezterm.PaneID
	for id, s := range states {
		if s.Status == Waiting {
			ids = append(ids, id)
		}
	}
	for i := 1; i < len(ids); i++ {
		for j := i; j > 0 && less(states[ids[j]], states[ids[j-1]], ids[j], ids[j-1]); j-- {
			ids[j], ids[j-1] = ids[j-1], ids[j]
		}
	}
	return ids
}

func less(a, b State, ida, idb wezterm.PaneID) bool {
	if !a.Since.Equal(b.Since) {
		return a.Since.Before(b.Since)
	}
	return ida < idb
}
