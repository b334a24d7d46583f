package spend

import (
	"cmp"
	"context"
	"os"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/wezterm-parallel/wezterm-parallel/internal/agents"
	"github.com/wezterm-parallel/wezterm-parallel/internal/topology"
	"github.com/wezterm-parallel/wezterm-parallel/internal/wezterm"
)

// Live puts spend on the monitor's trees: each tick it reads what the
// agents appended (Tracker.Poll) and, when something was read, an agent
// came or went, or recomputeEvery passed (the $/h window slides), it
// matches sessions to agent panes again.
type Live struct {
	T *Tracker
	// Usage names the records an agent rule's agent keeps ("" : none).
	Usage func(agentName string) Source
	// Cwd is a process's working folder ("" when unknown); the pane's
	// cwd is the fallback.
	Cwd func(pid int32) string

	mu      sync.Mutex
	known   map[wezterm.PaneID]Agent     // the last agent seen per pane (kept after it exits)
	watched map[wezterm.PaneID]time.Time // when each pane was first seen
	cwds    map[int32]string
	read    int64
	at      time.Time
	agents  string
	panes   map[wezterm.PaneID]PaneSpend
	day     Sum
	dayFrom time.Time
}

const recomputeEvery = 10 * time.Second

// NewLive follows t for the agents rules describe.
func NewLive(t *Tracker, usage func(string) Source) *Live {
	return &Live{T: t, Usage: usage, Cwd: ProcessCwd, known: map[wezterm.PaneID]Agent{}, cwds: map[int32]string{},
		watched: map[wezterm.PaneID]time.Time{}}
}

// UsageOf maps rules to their usage source.
func UsageOf(rules []agents.Rule) func(string) Source {
	m := map[string]Source{}
	for _, r := range rules {
		if _, ok := m[r.Name]; !ok {
			m[r.Name] = Source(r.Usage)
		}
	}
	return func(name string) Source { return m[name] }
}

// ProcessCwd reads /proc/PID/cwd (Linux; "" elsewhere or when gone).
func ProcessCwd(pid int32) string {
	d, err := os.Readlink("/proc/" + strconv.Itoa(int(pid)) + "/cwd")
	if err != nil {
		return ""
	}
	return d
}

// Attach sets each agent pane's Spend and the tree's SpendToday. Reading
// the records stops when ctx ends (what was read so far counts).
func (l *Live) Attach(ctx context.Context, tree *topology.Tree, now time.Time) {
	l.T.PollContext(ctx)
	l.mu.Lock()
	defer l.mu.Unlock()
	present := map[wezterm.PaneID]bool{}
	alive := map[int32]bool{}
	tree.EachPane(func(p *topology.Pane) {
		present[p.ID] = true
		if _, ok := l.watched[p.ID]; !ok {
			l.watched[p.ID] = now
		}
		if p.Agent == nil || p.Agent.Status == agents.Exited || p.Usage == nil || p.Usage.Foreground == nil {
			return
		}
		src := l.Usage(p.Agent.Name)
		if src == "" {
			return
		}
		// The agent's own process: the foreground program, or the member
		// of its group the rules matched (npx, a wrapper).
		fg := *p.Usage.Foreground
		if pid := p.Agent.PID; pid != 0 && pid != fg.PID {
			for _, g := range p.Usage.Group {
				if g.PID == pid {
					fg = g
				}
			}
		}
		alive[fg.PID] = true
		if a, ok := l.known[p.ID]; ok && a.PID == fg.PID && a.Start.Equal(fg.Start) {
			a.Working = working(a.Working, p.Agent.Status == agents.Working, now)
			if p.Agent.Session != "" {
				a.Session = p.Agent.Session
			}
			l.known[p.ID] = a
			return
		}
		cwd, ok := l.cwds[fg.PID]
		if !ok {
			cwd = l.Cwd(fg.PID)
			l.cwds[fg.PID] = cwd
		}
		if cwd == "" {
			cwd = p.CWD
		}
		start := fg.Start
		if start.IsZero() {
			start = p.Agent.Since // no start time from the system: when it was first seen
		}
		// Watched from its start if the pane was watched before it began.
		seen := now
		if w := l.watched[p.ID]; !w.After(start) {
			seen = start
		}
		l.known[p.ID] = Agent{Pane: p.ID, Source: src, PID: fg.PID, Start: start, Cwd: cwd, Seen: seen,
			Session: p.Agent.Session, Working: working(nil, p.Agent.Status == agents.Working, now)}
	})
	for id, a := range l.known {
		if !present[id] || !alive[a.PID] {
			// Gone or exited: its last span ends (its spend stays shown
			// until another agent starts in the pane).
			a.Working = working(a.Working, false, now)
			l.known[id] = a
		}
	}
	for id := range l.known {
		if !present[id] {
			delete(l.known, id)
		}
	}
	for id := range l.watched {
		if !present[id] {
			delete(l.watched, id)
		}
	}
	for pid := range l.cwds {
		if !alive[pid] {
			delete(l.cwds, pid)
		}
	}
	sig := ""
	list := make([]Agent, 0, len(l.known))
	for _, a := range l.known {
		list = append(list, a)
	}
	for _, a := range sortAgents(list) {
		sig += strconv.Itoa(int(a.Pane)) + ":" + strconv.Itoa(int(a.PID)) + ":" + a.Cwd + ":" + a.Session + ";"
	}
	y, m, d := now.Local().Date()
	dayFrom := time.Date(y, m, d, 0, 0, 0, 0, time.Local)
	read := l.T.ReadBytes()
	if read != l.read || sig != l.agents || !dayFrom.Equal(l.dayFrom) || now.Sub(l.at) >= recomputeEvery || l.at.IsZero() {
		l.panes, l.day = l.T.Spend(list, now, dayFrom)
		l.read, l.agents, l.at, l.dayFrom = read, sig, now, dayFrom
	}
	tree.EachPane(func(p *topology.Pane) {
		if ps, ok := l.panes[p.ID]; ok {
			p.Spend = ps.Topology()
		}
	})
	if l.day.Entries > 0 {
		tree.SpendToday = l.day.Total()
	} else {
		zero := 0.0
		tree.SpendToday = &topology.SpendTotal{CostUSD: &zero}
	}
}

func sortAgents(a []Agent) []Agent {
	slices.SortFunc(a, func(x, y Agent) int { return cmp.Compare(x.Pane, y.Pane) })
	return a
}

// Topology is the pane's spend as the tree carries it.
func (ps PaneSpend) Topology() *topology.Spend {
	s := &topology.Spend{Model: ps.Model, TokensIn: ps.In, TokensOut: ps.Out, CacheWrite: ps.CacheWrite,
		CacheRead: ps.CacheRead, Session: ps.Session}
	if ps.Known() {
		usd := ps.USD
		s.CostUSD = &usd
	}
	switch {
	case ps.Recent.Entries == 0:
		zero := 0.0
		s.USDPerHour = &zero
	case ps.Recent.Known():
		rate := ps.Recent.USD * float64(time.Hour/RateWindow)
		s.USDPerHour = &rate
	}
	return s
}

// Total is a day's spend as the tree carries it.
func (s Sum) Total() *topology.SpendTotal {
	usd := s.USD
	return &topology.SpendTotal{TokensIn: s.In, TokensOut: s.Out, CacheWrite: s.CacheWrite, CacheRead: s.CacheRead,
		CostUSD: &usd, Unpriced: s.Unpriced}
}

// Agents are the agent processes in tree that keep records we read (for a
// one-off report: no memory of earlier trees).
func (l *Live) Agents(ctx context.Context, tree *topology.Tree) []Agent {
	l.Attach(ctx, tree, time.Now())
	l.mu.Lock()
	defer l.mu.Unlock()
	out := make([]Agent, 0, len(l.known))
	for _, a := range l.known {
		out = append(out, a)
	}
	return sortAgents(out)
}

// maxSpans bounds the working spans kept per agent.
const maxSpans = 512

// working extends spans by what the agent does now.
func working(spans []Span, busy bool, now time.Time) []Span {
	open := len(spans) > 0 && spans[len(spans)-1].End.IsZero()
	switch {
	case busy && !open:
		spans = append(spans, Span{Start: now})
		if len(spans) > maxSpans {
			spans = slices.Delete(spans, 0, len(spans)-maxSpans)
		}
	case !busy && open:
		spans[len(spans)-1].End = now
	}
	return spans
}
