package spend

import (
	"crypto/sha256"
	"encoding/hex"
	"path/filepath"
	"sort"
	"time"

	"github.com/wezterm-parallel/wezterm-parallel/internal/wezterm"
)

// Agent is an agent process the monitor sees in a pane.
type Agent struct {
	Pane   wezterm.PaneID
	Source Source
	PID    int32
	Start  time.Time // the process's start
	Cwd    string    // where it runs
	// Seen is when the monitor first saw it: what it did before is not
	// known (zero: watched from its start).
	Seen time.Time
	// Session is the session id the agent reported of itself (its state
	// file): that session is its own, whatever the folders say.
	Session string
	// Working are the spans the monitor saw the agent working (the last
	// one open: End zero), oldest first. An agent calls its model while
	// working, so a session whose entries fall in one agent's spans and
	// not in the others' is that agent's.
	Working []Span
}

// Span is a stretch of time; a zero End is open (still going).
type Span struct{ Start, End time.Time }

// spanSlack widens working spans: the status is seen a tick or two late,
// and a message is written as its answer ends.
const spanSlack = 5 * time.Second

// busyAt reports whether a was seen working around t.
func (a Agent) busyAt(t time.Time) bool {
	i := sort.Search(len(a.Working), func(i int) bool {
		end := a.Working[i].End
		return end.IsZero() || !end.Add(spanSlack).Before(t)
	})
	return i < len(a.Working) && !a.Working[i].Start.Add(-spanSlack).After(t)
}

// Slack is how long before its process start an agent's session may
// seem to begin: process start times are counted in clock ticks, record
// times in milliseconds.
const Slack = 2 * time.Second

// RateWindow is the span the $/h rate is taken over.
const RateWindow = 10 * time.Minute

// Sum is the spend of some entries.
type Sum struct {
	Tokens
	USD      float64 // of the entries whose model has a price
	Unpriced int64   // tokens of entries whose model has no price
	Model    string  // the latest entry's model
	Session  string  // the latest entry's session
	Last     time.Time
	Entries  int
}

// Known reports whether every entry was priced (USD is then the cost).
func (s Sum) Known() bool { return s.Unpriced == 0 }

// AddEntry counts e.
func (s *Sum) AddEntry(p Prices, e Entry) {
	s.Tokens = s.Tokens.Add(e.Tokens)
	s.Entries++
	if e.priced == 0 {
		e.price(p)
	}
	if e.priced == 1 {
		s.USD += e.usd
	} else {
		s.Unpriced = satAdd(s.Unpriced, e.Tokens.Total())
	}
	if !e.Time.Before(s.Last) {
		s.Last, s.Model, s.Session = e.Time, e.Model, e.Session
	}
}

// price looks e's cost up once.
func (e *Entry) price(p Prices) {
	e.priced = 2
	if usd, ok := p.Cost(e.Model, e.Tokens); ok {
		e.priced, e.usd = 1, usd
	}
}

// PaneSpend is one agent pane's spend: since its agent started, and over
// the last RateWindow.
type PaneSpend struct {
	Sum
	Recent Sum
}

// Match ties sessions to agents. The rule (docs/spend.md):
//   - a session an agent named as its own (Agent.Session) is that agent's;
//   - otherwise a session's candidates are the running agents of its source whose
//     folder it names (Claude Code and Codex record the folder; Gemini CLI
//     a SHA-256 of it) and whose process had started (less Slack) by the
//     session's first entry since then: an agent cannot have written what
//     was written before it ran;
//   - one candidate: it is the owner;
//   - several (agents sharing a folder): the owner is the candidate the
//     monitor saw working at more of the session's entries than any other,
//     counting only entries written since it has watched them all (only
//     one of several agents in a folder works at a given moment, in most
//     uses: the others wait for the user);
//   - otherwise the session is not tied to a pane — never to the wrong
//     one; its spend still counts in the day's total and in `spend`;
//   - an agent's spend counts its sessions' entries from its start (less
//     Slack): what a resumed session copied from before is not counted.
//
// Fan-out copies run in their own worktrees, so their agents never share
// a folder.
func Match(sessions []*Session, agents []Agent) map[wezterm.PaneID][]*Session {
	out := map[wezterm.PaneID][]*Session{}
	named := map[string]int{}
	for i, a := range agents {
		if a.Session != "" {
			named[string(a.Source)+":"+a.Session] = i
		}
	}
	for _, s := range sessions {
		if i, ok := named[string(s.Source)+":"+s.ID]; ok {
			out[agents[i].Pane] = append(out[agents[i].Pane], s)
			continue
		}
		var idx []int
		earliest := time.Time{}
		for i, a := range agents {
			if a.Source != s.Source || !sameFolder(s, a.Cwd) {
				continue
			}
			idx = append(idx, i)
			if earliest.IsZero() || a.Start.Before(earliest) {
				earliest = a.Start
			}
		}
		if len(idx) == 0 {
			continue
		}
		first, ok := firstFrom(s, earliest.Add(-Slack))
		if !ok {
			continue
		}
		var by []int
		for _, i := range idx {
			if !agents[i].Start.Add(-Slack).After(first) {
				by = append(by, i)
			}
		}
		if i, ok := busiest(s, by, agents); ok {
			out[agents[i].Pane] = append(out[agents[i].Pane], s)
		}
	}
	return out
}

// busiest is the owner among candidates by: the only one, or the one
// working at more of s's entries than every other, over the entries
// written since the monitor watched them all; ok is false when there is
// none.
func busiest(s *Session, by []int, agents []Agent) (int, bool) {
	switch len(by) {
	case 0:
		return 0, false
	case 1:
		return by[0], true
	}
	var watched time.Time
	for _, i := range by {
		if agents[i].Seen.After(watched) {
			watched = agents[i].Seen
		}
	}
	best, bestN, second := -1, 0, 0
	for _, i := range by {
		n := 0
		for _, e := range s.Entries {
			if !e.Time.Before(watched) && !e.Time.Before(agents[i].Start.Add(-Slack)) && agents[i].busyAt(e.Time) {
				n++
			}
		}
		switch {
		case n > bestN:
			best, second, bestN = i, bestN, n
		case n > second:
			second = n
		}
	}
	return best, best >= 0 && bestN > second
}

// firstFrom is the time of s's first entry at or after t.
func firstFrom(s *Session, t time.Time) (time.Time, bool) {
	var first time.Time
	for _, e := range s.Entries {
		if !e.Time.Before(t) && (first.IsZero() || e.Time.Before(first)) {
			first = e.Time
		}
	}
	return first, !first.IsZero()
}

// sameFolder reports whether session s ran in folder dir.
func sameFolder(s *Session, dir string) bool {
	if dir == "" {
		return false
	}
	dir = filepath.Clean(dir)
	if s.Source == Gemini {
		return s.Gemini != "" && s.Gemini == ProjectHash(dir)
	}
	if s.Cwd != "" && filepath.Clean(s.Cwd) == dir {
		return true
	}
	for _, c := range s.Cwds {
		if filepath.Clean(c) == dir {
			return true
		}
	}
	return false
}

// ProjectHash is Gemini CLI's name for a project's folder under
// ~/.gemini/tmp: the hex SHA-256 of its path.
func ProjectHash(dir string) string {
	h := sha256.Sum256([]byte(dir))
	return hex.EncodeToString(h[:])
}

// Owner is the pane a session's entries from From on belong to.
type Owner struct {
	Pane wezterm.PaneID
	From time.Time
}

// owners matches the sessions active since the earliest agent start.
// Called with t.mu held.
func (t *Tracker) owners(agents []Agent) map[*Session]Owner {
	var earliest time.Time
	for _, a := range agents {
		if earliest.IsZero() || a.Start.Before(earliest) {
			earliest = a.Start
		}
	}
	live := make([]*Session, 0, 8)
	for _, s := range t.sessions {
		if len(agents) > 0 && !s.Last.Before(earliest.Add(-Slack)) {
			live = append(live, s)
		}
	}
	// Map order is random: a stable order keeps the matching stable.
	sort.Slice(live, func(i, j int) bool {
		if !live[i].First.Equal(live[j].First) {
			return live[i].First.Before(live[j].First)
		}
		return live[i].ID < live[j].ID
	})
	byPane := map[wezterm.PaneID]Agent{}
	for _, a := range agents {
		byPane[a.Pane] = a
	}
	out := map[*Session]Owner{}
	for pane, ss := range Match(live, agents) {
		for _, s := range ss {
			out[s] = Owner{Pane: pane, From: byPane[pane].Start.Add(-Slack)}
		}
	}
	return out
}

// Spend ties the tracker's sessions to agents (Match) and sums each
// agent's spend from its start, and every entry since dayStart.
func (t *Tracker) Spend(agents []Agent, now, dayStart time.Time) (map[wezterm.PaneID]PaneSpend, Sum) {
	t.mu.Lock()
	defer t.mu.Unlock()
	var day Sum
	for _, s := range t.sessions {
		if s.Last.Before(dayStart) {
			continue
		}
		for _, e := range s.Entries {
			if !e.Time.Before(dayStart) {
				day.AddEntry(t.o.Prices, e)
			}
		}
	}
	out := map[wezterm.PaneID]PaneSpend{}
	for s, o := range t.owners(agents) {
		ps := out[o.Pane]
		for _, e := range s.Entries {
			if e.Time.Before(o.From) {
				continue
			}
			ps.AddEntry(t.o.Prices, e)
			if now.Sub(e.Time) <= RateWindow {
				ps.Recent.AddEntry(t.o.Prices, e)
			}
		}
		if ps.Entries > 0 {
			out[o.Pane] = ps
		}
	}
	return out, day
}

// EntriesOwned returns the entries since since, each with the pane that
// owns it (ok false: no running agent's).
func (t *Tracker) EntriesOwned(agents []Agent, since time.Time, each func(e Entry, pane wezterm.PaneID, ok bool)) {
	t.mu.Lock()
	defer t.mu.Unlock()
	owners := t.owners(agents)
	for _, s := range t.sessions {
		o, owned := owners[s]
		for _, e := range s.Entries {
			if e.Time.Before(since) {
				continue
			}
			e.Cwd = s.Cwd
			each(e, o.Pane, owned && !e.Time.Before(o.From))
		}
	}
}
