// Package monitor is the polling loop: every tick it lists WezTerm's panes
// and clients, samples CPU and memory, and publishes one immutable Snapshot
// through a callback. It backs off while WezTerm is absent and can be asked
// to poll at once (after an action).
package monitor

import (
	"context"
	"encoding/binary"
	"errors"
	"hash/fnv"
	"sync"
	"time"

	"github.com/wezterm-parallel/wezterm-parallel/internal/agents"
	"github.com/wezterm-parallel/wezterm-parallel/internal/agentstate"
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
	// Stale: the snapshot is the last one the tray process sent, and it
	// has stopped answering (set by the window's feed, never the monitor).
	Stale
)

func (s Status) String() string {
	return [...]string{"connected", "not installed", "not running", "failing", "stale"}[s]
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
	// DetailProcs is the process tree of the pane asked for with SetDetail.
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

// Sampler is what the monitor needs from the process table (a
// *metrics.Sampler; tests give numbers of their own).
type Sampler interface {
	Sample(ctx context.Context, panes []metrics.PaneRef) (metrics.Snapshot, error)
	HistoryTail(id wezterm.PaneID, n int) []metrics.Sample
	SystemHistoryTail(n int) []metrics.Sample
}

// While hidden (nobody looks at the panes), WezTerm is asked only as often
// as these say, or at once when the process table shows a change. Each call
// is a whole wezterm process (the real binary: ~20 MB mapped, ~15 ms CPU).
const (
	// HiddenListEvery: panes, titles and folders.
	HiddenListEvery = 5 * time.Second
	// HiddenClientsEvery: which workspace the GUI shows (the tray's mark).
	HiddenClientsEvery = time.Minute
	// HiddenReadWorking and HiddenReadQuiet: the least time between two
	// screen reads of an agent whose CPU and title say nothing changed,
	// while it works and while it waits or idles.
	HiddenReadWorking = 10 * time.Second
	HiddenReadQuiet   = 2 * time.Minute
	// churnSpacing: the least time between two lists caused by processes
	// starting or ending on pane terminals (a shell loop starts one each
	// second; its pane's title seldom changes with it).
	churnSpacing = 3 * time.Second
	// FollowAfterKick: after a kick (an action in the app), a hidden
	// monitor lists panes every tick for this long: what the action
	// changes (an answered agent back at work, a new pane) shows within a
	// tick, not at the next HiddenListEvery.
	FollowAfterKick = 10 * time.Second
	// confirmAfter: the wait before the next tick while an agent's new
	// status awaits confirmation (the tracker's debounce), so attention
	// shows within a tick or so of the agent starting to wait.
	confirmAfter = 300 * time.Millisecond
	// busyCPU is the CPU % above which an agent counts as busy (the
	// tracker's own threshold).
	busyCPU = 5
)

// Monitor polls. Step may be called directly (tests); Run loops.
type Monitor struct {
	src     Source
	sampler Sampler
	publish func(Snapshot)
	now     func() time.Time

	mu       sync.Mutex
	interval time.Duration
	detail   wezterm.PaneID
	kick     chan struct{}
	failures int
	hidden   bool
	forced   bool // a kick: list and list-clients on the next step
	// followUntil: hidden steps list until then (a kick; FollowAfterKick).
	followUntil time.Time
	// wasConnected: the previous step reached WezTerm.
	wasConnected bool
	// firstAgents: the next agent step is the first since (re)connecting,
	// and (unless readFirst) goes out without reading screens.
	firstAgents bool
	readFirst   bool
	soon        bool // the next tick comes after confirmAfter

	// What WezTerm said last, reused between lists while hidden.
	panes      []wezterm.Pane
	listedAt   time.Time
	churnAt    time.Time
	clients    []wezterm.ClientInfo
	clientsErr error
	clientsAt  time.Time
	// clientsKnown: clients/clientsErr hold an answer.
	clientsKnown bool
	tree         topology.Tree // the last published tree (titles, agents)
	procSig      map[wezterm.PaneID]uint64

	agents   *agents.Tracker
	reporter Reporter
	spend    Spender
	poll     time.Duration // least time between two get-text of one pane while shown
	reads    map[wezterm.PaneID]readMark
}

// readMark is what a pane looked like when its screen was last read.
type readMark struct {
	at         time.Time
	busy       bool
	titleClass string
	procs      uint64
}

// SetAgents turns on agent status: panes whose foreground matches a rule
// have their screen read (get-text) when their CPU, title or processes
// suggest a change, at most every poll while shown, and slowly while
// hidden.
func (m *Monitor) SetAgents(t *agents.Tracker, poll time.Duration) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.agents, m.poll, m.reads = t, poll, map[wezterm.PaneID]readMark{}
	if m.reporter == nil {
		m.reporter = agentstate.New()
	}
	// poll 0 (the command line: one or two steps) reads screens at once.
	m.readFirst = poll == 0
}

// Reporter reads the state an agent keeps of itself
// (internal/agentstate.Reader): kind is the rule's State.
type Reporter interface {
	Read(kind string, pid int32) (agents.Report, bool)
}

// SetReporter turns on agents' own state: for a rule with a State, what
// the agent says decides its status, and its screen is not read.
func (m *Monitor) SetReporter(r Reporter) {
	m.mu.Lock()
	m.reporter = r
	m.mu.Unlock()
}

// Spender puts agents' token spend on a tree (internal/spend.Live).
type Spender interface {
	Attach(ctx context.Context, tree *topology.Tree, now time.Time)
}

// SetSpend turns on spend: after agents are known, each connected step
// asks s to attach spend to the tree.
func (m *Monitor) SetSpend(s Spender) {
	m.mu.Lock()
	m.spend = s
	m.mu.Unlock()
}

// SetHidden says whether anybody looks: hidden snapshots carry no
// sparkline histories or detail process tree, and WezTerm is asked at the
// Hidden* cadences instead of every tick.
func (m *Monitor) SetHidden(hidden bool) {
	m.mu.Lock()
	changed := m.hidden != hidden
	m.hidden = hidden
	if changed && !hidden {
		m.forced = true // what the window shows first is fresh
	}
	m.mu.Unlock()
	if changed && !hidden {
		m.Kick()
	}
}

// New returns a monitor publishing to publish (called from the monitor's
// goroutine: the UI must hop to its own thread).
func New(src Source, sampler Sampler, interval time.Duration, publish func(Snapshot)) *Monitor {
	return &Monitor{src: src, sampler: sampler, publish: publish, interval: interval, kick: make(chan struct{}, 1),
		now: time.Now, procSig: map[wezterm.PaneID]uint64{}}
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
	m.panes, m.clients, m.clientsErr, m.clientsKnown = nil, nil, nil, false
	m.mu.Unlock()
	m.Kick()
}

// SetDetail chooses the pane whose process tree snapshots carry.
func (m *Monitor) SetDetail(id wezterm.PaneID) {
	m.mu.Lock()
	m.detail = id
	m.mu.Unlock()
}

// Kick asks for a tick now, with a fresh list (after an action, so the UI
// shows its effect).
func (m *Monitor) Kick() {
	m.mu.Lock()
	m.forced = true
	m.followUntil = m.now().Add(FollowAfterKick)
	m.mu.Unlock()
	select {
	case m.kick <- struct{}{}:
	default:
	}
}

// Step takes one tick and returns its snapshot (it does not publish).
//
// Shown, it lists panes and clients every tick. Hidden, it samples the
// process table every tick (cheap: only pane processes are re-read) and
// asks WezTerm only when that or the clock says so: a process started or
// ended on a pane's terminal, an agent's CPU crossed the busy line, or a
// Hidden* cadence is due.
func (m *Monitor) Step(ctx context.Context) Snapshot {
	m.mu.Lock()
	detail, src, hidden, tracker, forced := m.detail, m.src, m.hidden, m.agents, m.forced
	m.forced = false
	following := m.now().Before(m.followUntil)
	m.mu.Unlock()
	now := m.now()
	snap := Snapshot{Time: now, Detail: detail}
	v, err := src.Version(ctx)
	if err != nil {
		return m.finish(ctx, &snap, src, tracker, err, nil, metrics.Snapshot{}, errNoSample, hidden)
	}
	snap.Version = v.String()
	listDue := !hidden || forced || following || m.panes == nil || !m.wasConnected || now.Sub(m.listedAt) >= HiddenListEvery
	var ms metrics.Snapshot
	merr := errNoSample
	if !listDue {
		// Sample first with the panes known: what it shows decides
		// whether WezTerm is asked at all.
		ms, merr = m.sampler.Sample(ctx, PaneRefs(topology.Build(m.panes, nil)))
		if merr == nil {
			listDue = m.changed(now, ms, tracker)
		}
	}
	if listDue {
		panes, lerr := src.List(ctx)
		if lerr != nil {
			return m.finish(ctx, &snap, src, tracker, lerr, nil, ms, merr, hidden)
		}
		m.panes, m.listedAt = panes, now
	}
	if !hidden || forced || !m.clientsKnown || now.Sub(m.clientsAt) >= HiddenClientsEvery {
		m.clients, m.clientsErr = src.ListClients(ctx)
		m.clientsAt, m.clientsKnown = now, true
	}
	if m.clientsErr != nil && !errors.Is(m.clientsErr, wezterm.ErrUnsupported) {
		return m.finish(ctx, &snap, src, tracker, m.clientsErr, nil, ms, merr, hidden)
	}
	return m.finish(ctx, &snap, src, tracker, nil, m.panes, ms, merr, hidden)
}

var errNoSample = errors.New("not sampled yet")

// finish builds the tree, samples (unless done already), runs the agent
// step and remembers what the next step compares against.
func (m *Monitor) finish(ctx context.Context, snap *Snapshot, src Source, tracker *agents.Tracker, err error,
	panes []wezterm.Pane, ms metrics.Snapshot, merr error, hidden bool) Snapshot {
	snap.Status, snap.Err = classify(err)
	if err != nil {
		// Nothing WezTerm said before holds now.
		m.panes, m.clients, m.clientsErr, m.clientsKnown = nil, nil, nil, false
	} else {
		snap.Tree = topology.Build(panes, m.clients)
	}
	refs := PaneRefs(snap.Tree)
	if errors.Is(merr, errNoSample) {
		ms, merr = m.sampler.Sample(ctx, refs)
	}
	if merr == nil {
		Attach(&snap.Tree, ms)
		m.remember(ms)
		if !hidden {
			snap.History = make(map[wezterm.PaneID][]metrics.Sample, len(refs))
			for _, r := range refs {
				snap.History[r.ID] = m.sampler.HistoryTail(r.ID, HistoryLen)
			}
			snap.SystemHistory = m.sampler.SystemHistoryTail(HistoryLen)
			if p, ok := ms.Panes[snap.Detail]; ok {
				snap.DetailProcs = p.Procs
			}
		}
	}
	m.soon = false
	if tracker != nil && snap.Status == Connected {
		if !m.wasConnected {
			// After WezTerm (re)started its pane ids name other panes:
			// what the tracker knew about them no longer holds.
			tracker.Reset()
			m.reads = map[wezterm.PaneID]readMark{}
			m.firstAgents = !m.readFirst
		}
		m.agentStep(ctx, src, tracker, snap, hidden)
		m.mu.Lock()
		sp := m.spend
		m.mu.Unlock()
		if sp != nil {
			sp.Attach(ctx, &snap.Tree, snap.Time)
		}
	}
	m.wasConnected = snap.Status == Connected
	m.tree = snap.Tree
	return *snap
}

// remember keeps each pane's process signature (which processes run on
// it) for the next step's comparison.
func (m *Monitor) remember(ms metrics.Snapshot) {
	next := make(map[wezterm.PaneID]uint64, len(ms.Panes))
	for id, p := range ms.Panes {
		next[id] = procSignature(p)
	}
	m.procSig = next
}

// procSignature hashes the pids and start times of a pane's processes.
func procSignature(p metrics.Pane) uint64 {
	h := fnv.New64a()
	var b [12]byte
	for _, pr := range p.Procs {
		binary.LittleEndian.PutUint32(b[:4], uint32(pr.PID))
		binary.LittleEndian.PutUint64(b[4:], uint64(pr.Start.UnixNano()))
		h.Write(b[:])
	}
	return h.Sum64()
}

// changed says whether a hidden step must ask WezTerm now: an agent's CPU
// crossed the busy line since its screen was last read (it stopped to ask,
// or went back to work), or processes started or ended on a pane's
// terminal (at most every churnSpacing).
func (m *Monitor) changed(now time.Time, ms metrics.Snapshot, tracker *agents.Tracker) bool {
	churn := false
	for id, p := range ms.Panes {
		if old, ok := m.procSig[id]; ok && old != procSignature(p) {
			churn = true
		}
	}
	if tracker != nil {
		agentBusyChange := false
		m.tree.EachPane(func(p *topology.Pane) {
			if p.Agent == nil || p.Agent.Status == agents.Exited {
				return
			}
			mark, ok := m.reads[p.ID]
			s, has := ms.Panes[p.ID]
			if ok && has && s.CPUPercent != nil && (*s.CPUPercent >= busyCPU) != mark.busy {
				agentBusyChange = true
			}
		})
		if agentBusyChange {
			return true
		}
	}
	if churn && now.Sub(m.churnAt) >= churnSpacing {
		m.churnAt = now
		return true
	}
	return false
}

// agentStep observes every pane for the agent tracker, reading the screen
// of matched panes when something suggests it changed or its time is due.
func (m *Monitor) agentStep(ctx context.Context, src Source, tr *agents.Tracker, snap *Snapshot, hidden bool) {
	var obs []agents.Observation
	now := snap.Time
	m.mu.Lock()
	rep := m.reporter
	m.mu.Unlock()
	snap.Tree.EachPane(func(p *topology.Pane) {
		o := agents.Observation{Pane: p.ID, Title: p.Title}
		if p.TTY != nil {
			o.TTY = *p.TTY
		}
		var sig uint64
		if u := p.Usage; u != nil {
			if u.Foreground != nil {
				o.Foreground, o.Cmdline, o.PID = u.Foreground.Name, u.Foreground.Cmdline, u.Foreground.PID
			}
			for _, g := range u.Group {
				o.Group = append(o.Group, agents.Proc{PID: g.PID, Name: g.Name, Cmdline: g.Cmdline})
			}
			if u.CPUPercent != nil {
				o.CPU = *u.CPUPercent
			}
			if u.ProcessCount != nil {
				o.Processes = *u.ProcessCount
			} else {
				o.Processes = 1 // unknown (no tty): assume it runs
			}
			sig = m.procSig[p.ID]
		} else {
			o.Processes = 1
		}
		rule, pid, ok := tr.Find(o)
		if !ok {
			obs = append(obs, o)
			return
		}
		if rule.State != "" && rep != nil && o.Processes > 0 {
			if r, ok := rep.Read(rule.State, pid); ok {
				// The agent's own word: no screen to read.
				o.Reported = &r
				delete(m.reads, p.ID)
				obs = append(obs, o)
				return
			}
		}
		mark := readMark{at: now, busy: o.CPU >= busyCPU, titleClass: agents.TitleClass(rule, o.Title), procs: sig}
		if m.firstAgents {
			// The first snapshot goes out without reading screens (one
			// process per agent pane): the window's first frame should not
			// wait for them; the next step reads them.
			mark.at = time.Time{}
			m.reads[p.ID] = mark
		} else if m.readDue(p, mark, hidden) {
			if text, err := src.GetText(ctx, p.ID, wezterm.GetTextOptions{}); err == nil {
				o.Screen, o.Read = text, true
				m.reads[p.ID] = mark
			}
		}
		obs = append(obs, o)
	})
	m.firstAgents = false
	states := tr.Update(now, obs)
	snap.Tree.EachPane(func(p *topology.Pane) {
		if s, ok := states[p.ID]; ok {
			p.Agent = &topology.Agent{Name: s.Name, Status: s.Status, Since: s.Since, Why: s.Why, PID: s.PID, Session: s.Session}
		}
	})
	snap.Attention = agents.Queue(states)
	for id := range m.reads {
		if _, ok := states[id]; !ok {
			delete(m.reads, id)
		}
	}
	if tr.Pending() {
		m.soon = true
	}
}

// readDue says whether an agent pane's screen is read this step: when its
// CPU crossed the busy line, its title changed class (working/idle) or its
// processes changed since the last read; otherwise every poll while shown,
// and every HiddenReadWorking/HiddenReadQuiet while hidden.
func (m *Monitor) readDue(p *topology.Pane, now readMark, hidden bool) bool {
	last, ok := m.reads[p.ID]
	if !ok || last.at.IsZero() {
		return true
	}
	if now.busy != last.busy {
		return true
	}
	since := now.at.Sub(last.at)
	if (now.titleClass != last.titleClass || now.procs != last.procs) && since >= m.poll {
		return true
	}
	if !hidden {
		return since >= m.poll
	}
	if p.Agent != nil && p.Agent.Status == agents.Working {
		return since >= HiddenReadWorking
	}
	return since >= HiddenReadQuiet
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
		if m.soon && wait > confirmAfter {
			wait = confirmAfter
		}
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
			u.Foreground = &topology.Foreground{PID: fg.PID, Name: fg.Name, Cmdline: fg.Cmdline, Start: fg.Start}
		}
		for _, g := range m.Group {
			u.Group = append(u.Group, topology.Foreground{PID: g.PID, Name: g.Name, Cmdline: g.Cmdline, Start: g.Start})
		}
	})
}
