// Package monitor is the polling loop: every tick it lists WezTerm's panes
// and clients, samples CPU and memory, and publishes one immutable Snapshot
// through a callback. It backs off while WezTerm is absent and can be asked
// to poll at once (after an action).
package monitor

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/wezterm-parallel/wezterm-parallel/internal/agents"
	"github.com/wezterm-parallel/wezterm-parallel/internal/metrics"
	"github.com/wezterm-parallel/wezterm-parallel/internal/topology"
	"github.com/wezterm-parallel/wezterm-parallel/internal/wezterm"
)

// Status is WezTerm's state as the app sees it.
type Status int

// Statuses.
const (
	Connected    Status = iota
	NotInstalled        // no wezterm binary
	NotRunning          // nothing answers on the socket
	Failing             // it answers, but with errors (timeouts, garbage)
)

func (s Status) String() string {
	return [...]string{"connected", "not installed", "not running", "failing"}[s]
}

// HistoryLen is how many samples a Snapshot carries per pane for sparklines.
const HistoryLen = 60

// Snapshot is one tick. Nothing in it is changed after it is published.
type Snapshot struct {
	Time    time.Time
	Status  Status
	Version string
	Err     error // why Status is not Connected
	Tree    topology.Tree
	// History holds the last samples of every pane and of the machine.
	History       map[wezterm.PaneID][]metrics.Sample
	SystemHistory []metrics.Sample
	// Procs is the process tree of the pane asked for with SetDetail.
	Detail      wezterm.PaneID
	DetailProcs []metrics.Proc
	// Attention lists the panes whose agent waits for the user, oldest
	// first (agents also show in Tree, per pane).
	Attention []wezterm.PaneID
	// NextTry is when the monitor tries again while WezTerm is not
	// reachable (zero when connected), for "retrying in N s".
	NextTry time.Time
}

// Source is what the monitor needs from WezTerm (a *wezterm.Client).
type Source interface {
	Version(ctx context.Context) (wezterm.Version, error)
	List(ctx context.Context) ([]wezterm.Pane, error)
	ListClients(ctx context.Context) ([]wezterm.ClientInfo, error)
	GetText(ctx context.Context, pane wezterm.PaneID, o wezterm.GetTextOptions) (string, error)
}

// Monitor polls. Step may be called directly (tests); Run loops.
type Monitor struct {
	src     Source
	sampler *metrics.Sampler
	publish func(Snapshot)

	mu       sync.Mutex
	interval time.Duration
	detail   wezterm.PaneID
	kick     chan struct{}
	failures int
	light    bool
	// wasConnected: the previous step reached WezTerm.
	wasConnected bool
	// firstAgents: the next agent step is the first since (re)connecting,
	// and (unless readFirst) goes out without reading screens.
	firstAgents bool
	readFirst   bool

	agents   *agents.Tracker
	poll     time.Duration // least time between two get-text of one pane
	lastRead map[wezterm.PaneID]time.Time
}

// SetAgents turns on agent status: panes whose foreground matches a rule
// have their screen read (get-text) at most every poll.
func (m *Monitor) SetAgents(t *agents.Tracker, poll time.Duration) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.agents, m.poll, m.lastRead = t, poll, map[wezterm.PaneID]time.Time{}
	// poll 0 (the command line: one or two steps) reads screens at once.
	m.readFirst = poll == 0
}

// SetLight drops what only the window draws (sparkline histories, the
// detail process tree) from snapshots, while the window is hidden.
func (m *Monitor) SetLight(light bool) {
	m.mu.Lock()
	m.light = light
	m.mu.Unlock()
}

// New returns a monitor publishing to publish (called from the monitor's
// goroutine: the UI must hop to its own thread).
func New(src Source, sampler *metrics.Sampler, interval time.Duration, publish func(Snapshot)) *Monitor {
	return &Monitor{src: src, sampler: sampler, publish: publish, interval: interval, kick: make(chan struct{}, 1)}
}

// SetInterval changes the tick (preferences apply live).
func (m *Monitor) SetInterval(d time.Duration) {
	m.mu.Lock()
	m.interval = d
	m.mu.Unlock()
	m.Kick()
}

// SetSource switches to another WezTerm (a new binary, or the demo).
func (m *Monitor) SetSource(src Source) {
	m.mu.Lock()
	m.src = src
	m.failures = 0
	m.mu.Unlock()
	m.Kick()
}

// SetDetail chooses the pane whose process tree snapshots carry.
func (m *Monitor) SetDetail(id wezterm.PaneID) {
	m.mu.Lock()
	m.detail = id
	m.mu.Unlock()
}

// Kick asks for a tick now (after an action, so the UI shows its effect).
func (m *Monitor) Kick() {
	select {
	case m.kick <- struct{}{}:
	default:
	}
}

// Step takes one tick and returns its snapshot (it does not publish).
func (m *Monitor) Step(ctx context.Context) Snapshot {
	m.mu.Lock()
	detail, src, light, tracker := m.detail, m.src, m.light, m.agents
	m.mu.Unlock()
	snap := Snapshot{Time: time.Now(), Detail: detail}
	v, err := src.Version(ctx)
	if err == nil {
		snap.Version = v.String()
		var panes []wezterm.Pane
		panes, err = src.List(ctx)
		if err == nil {
			clients, cerr := src.ListClients(ctx)
			if cerr != nil && !errors.Is(cerr, wezterm.ErrUnsupported) {
				err = cerr
			}
			snap.Tree = topology.Build(panes, clients)
		}
	}
	snap.Status, snap.Err = classify(err)
	refs := PaneRefs(snap.Tree)
	ms, merr := m.sampler.Sample(ctx, refs)
	if merr == nil && light {
		Attach(&snap.Tree, ms)
	} else if merr == nil {
		Attach(&snap.Tree, ms)
		snap.History = make(map[wezterm.PaneID][]metrics.Sample, len(refs))
		for _, r := range refs {
			snap.History[r.ID] = m.sampler.HistoryTail(r.ID, HistoryLen)
		}
		snap.SystemHistory = m.sampler.SystemHistoryTail(HistoryLen)
		if p, ok := ms.Panes[detail]; ok {
			snap.DetailProcs = p.Procs
		}
	}
	if tracker != nil && snap.Status == Connected {
		if !m.wasConnected {
			// After WezTerm (re)started its pane ids name other panes:
			// what the tracker knew about them no longer holds.
			tracker.Reset()
			m.lastRead = map[wezterm.PaneID]time.Time{}
			m.firstAgents = !m.readFirst
		}
		m.agentStep(ctx, src, tracker, &snap)
	}
	m.wasConnected = snap.Status == Connected
	return snap
}

// agentStep observes every pane for the agent tracker, reading the screen
// of matched panes when their poll interval has passed.
func (m *Monitor) agentStep(ctx context.Context, src Source, tr *agents.Tracker, snap *Snapshot) {
	var obs []agents.Observation
	now := snap.Time
	snap.Tree.EachPane(func(p *topology.Pane) {
		o := agents.Observation{Pane: p.ID, Title: p.Title}
		if p.TTY != nil {
			o.TTY = *p.TTY
		}
		if u := p.Usage; u != nil {
			if u.Foreground != nil {
				o.Foreground, o.Cmdline = u.Foreground.Name, u.Foreground.Cmdline
			}
			if u.CPUPercent != nil {
				o.CPU = *u.CPUPercent
			}
			if u.ProcessCount != nil {
				o.Processes = *u.ProcessCount
			} else {
				o.Processes = 1 // unknown (no tty): assume it runs
			}
		} else {
			o.Processes = 1
		}
		if m.firstAgents {
			// The first snapshot goes out without reading screens (one
			// process per agent pane): the window's first frame should not
			// wait for them; the next step reads them.
			if tr.Matches(o.Foreground, o.Cmdline) {
				m.lastRead[p.ID] = now.Add(-m.poll)
			}
		} else if tr.Matches(o.Foreground, o.Cmdline) && now.Sub(m.lastRead[p.ID]) >= m.poll {
			if text, err := src.GetText(ctx, p.ID, wezterm.GetTextOptions{}); err == nil {
				o.Screen, o.Read = text, true
				m.lastRead[p.ID] = now
			}
		}
		obs = append(obs, o)
	})
	m.firstAgents = false
	states := tr.Update(now, obs)
	snap.Tree.EachPane(func(p *topology.Pane) {
		if s, ok := states[p.ID]; ok {
			p.Agent = &topology.Agent{Name: s.Name, Status: s.Status, Since: s.Since, Why: s.Why}
		}
	})
	snap.Attention = agents.Queue(states)
	for id := range m.lastRead {
		if _, ok := states[id]; !ok {
			delete(m.lastRead, id)
		}
	}
}

func classify(err error) (Status, error) {
	switch {
	case err == nil:
		return Connected, nil
	case errors.Is(err, wezterm.ErrNotInstalled):
		return NotInstalled, err
	case errors.Is(err, wezterm.ErrNotRunning):
		return NotRunning, err
	}
	return Failing, err
}

// Run ticks until ctx ends. While WezTerm is absent it waits longer
// between ticks (up to 10 s), so an idle app costs nothing.
func (m *Monitor) Run(ctx context.Context) {
	for {
		snap := m.Step(ctx)
		if ctx.Err() != nil {
			return
		}
		m.mu.Lock()
		wait := m.interval
		if snap.Status == Connected {
			m.failures = 0
		} else {
			m.failures++
			wait = min(wait<<min(m.failures, 4), 10*time.Second)
			snap.NextTry = time.Now().Add(wait)
		}
		m.mu.Unlock()
		m.publish(snap)
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-m.kick:
			t.Stop()
		case <-t.C:
		}
	}
}

// PaneRefs lists the panes of tree for the sampler.
func PaneRefs(tree topology.Tree) []metrics.PaneRef {
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

// Attach copies a metrics snapshot into the tree (usage per pane, system).
func Attach(tree *topology.Tree, snap metrics.Snapshot) {
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
