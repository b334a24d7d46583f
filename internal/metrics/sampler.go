// Package metrics samples CPU and memory: the whole machine, and each
// WezTerm pane's process tree (the processes whose controlling terminal is
// the pane's tty, and their descendants). One pass over the process table
// per tick; CPU % from deltas between ticks, counted as top does (100 % =
// one core busy) for panes and processes.
package metrics

import (
	"context"
	"slices"
	"sort"
	"time"

	"github.com/wezterm-parallel/wezterm-parallel/internal/wezterm"
)

// PaneRef names a pane to sample and its tty ("" when WezTerm reports none).
type PaneRef struct {
	ID  wezterm.PaneID
	TTY string
}

// Proc is one process of a pane.
type Proc struct {
	PID     int32  `json:"pid"`
	PPID    int32  `json:"ppid"`
	PGID    int32  `json:"-"`
	Name    string `json:"name"`
	Cmdline string `json:"cmdline"`
	// CPUPercent is nil until the process has been seen on two ticks (or
	// started after the previous one).
	CPUPercent *float64  `json:"cpu_percent"`
	RSS        uint64    `json:"rss_bytes"`
	State      string    `json:"state"`
	Start      time.Time `json:"start_time"`
	Depth      int       `json:"depth"` // 0 for processes on the tty whose parent is not
}

// Pane is one pane's process tree.
type Pane struct {
	// Available is false when the pane has no tty (Windows, remote panes)
	// or this system cannot map processes to terminals.
	Available bool `json:"available"`
	// CPUPercent is nil on the first tick a pane is seen.
	CPUPercent   *float64 `json:"cpu_percent"`
	RSS          uint64   `json:"rss_bytes"`
	ProcessCount int      `json:"process_count"`
	// Foreground is the leader of the tty's foreground process group: what
	// a user calls "what runs in that pane". nil when not known.
	Foreground *Proc `json:"foreground"`
	// Group is the rest of the foreground process group, in tree order (at
	// most maxGroup): what a launcher or wrapper that did not exec runs
	// (npx → sh -c → claude; a shell script → the agent).
	Group []Proc `json:"-"`
	Procs []Proc `json:"processes"` // tree order
}

// maxGroup bounds Pane.Group (a make -j keeps many in one group).
const maxGroup = 16

// Snapshot is one tick. It is a value: the sampler never changes it later.
type Snapshot struct {
	Time     time.Time               `json:"time"`
	Interval time.Duration           `json:"interval"` // since the previous tick, 0 on the first
	System   System                  `json:"system"`
	Panes    map[wezterm.PaneID]Pane `json:"panes"`
}

// Options configure a Sampler.
type Options struct {
	// History is how many ticks the rings keep (default 600: 10 minutes at
	// 1 Hz).
	History int
}

// Sampler produces Snapshots. It is not safe for concurrent use: one
// goroutine (the poller) calls Sample.
type Sampler struct {
	reader  procReader
	history int

	last      time.Time
	prevProcs map[procKey]float64 // CPU seconds of pane processes at the last tick
	prevPanes map[wezterm.PaneID]bool
	prevAll   cpuTicks
	prevCores []cpuTicks
	ttyCache  map[string]uint64
	cmdCache  map[procKey]string

	paneHist map[wezterm.PaneID]*Ring
	sysHist  *Ring
}

// New returns a sampler for this system.
func New(o Options) *Sampler {
	if o.History <= 0 {
		o.History = 600
	}
	return newSampler(newReader(), o)
}

func newSampler(r procReader, o Options) *Sampler {
	return &Sampler{
		reader: r, history: o.History,
		prevProcs: map[procKey]float64{}, prevPanes: map[wezterm.PaneID]bool{},
		ttyCache: map[string]uint64{}, cmdCache: map[procKey]string{},
		paneHist: map[wezterm.PaneID]*Ring{}, sysHist: NewRing(o.History),
	}
}

// Close releases files the sampler keeps open between ticks.
func (s *Sampler) Close() { s.reader.Close() }

// Sample takes one tick for the given panes.
func (s *Sampler) Sample(ctx context.Context, panes []PaneRef) (Snapshot, error) {
	now := time.Now()
	snap := Snapshot{Time: now, Panes: make(map[wezterm.PaneID]Pane, len(panes))}
	var dt float64
	if !s.last.IsZero() {
		snap.Interval = now.Sub(s.last)
		dt = snap.Interval.Seconds()
	}
	sys, all, cores, err := readSystem(ctx, s.prevAll, s.prevCores)
	if err == nil {
		snap.System = sys
		s.prevAll, s.prevCores = all, cores
	}
	var procs []procInfo
	if s.reader.ttys() {
		ttys := make(map[uint64]bool, len(panes))
		for _, ref := range panes {
			if ref.TTY != "" {
				if dev, ok := s.ttyFor(ref.TTY); ok {
					ttys[dev] = true
				}
			}
		}
		s.reader.watch(ttys)
		procs, err = s.reader.read()
		if err != nil {
			return snap, err
		}
	}
	t := indexProcs(procs)
	nextProcs := make(map[procKey]float64, len(s.prevProcs))
	nextPanes := make(map[wezterm.PaneID]bool, len(panes))
	for _, ref := range panes {
		p := s.samplePane(ref, t, dt, nextProcs)
		if p.Available {
			nextPanes[ref.ID] = true
			if !s.prevPanes[ref.ID] {
				p.CPUPercent = nil // first tick of this pane: nothing to compare with
			}
		}
		snap.Panes[ref.ID] = p
	}
	s.prevProcs, s.prevPanes = nextProcs, nextPanes
	s.last = now
	s.record(snap)
	s.trimCaches(nextProcs)
	return snap, nil
}

// procTable indexes one read of the process table.
type procTable struct {
	procs    []procInfo
	byPID    map[int32]int
	children map[int32][]int
	byTTY    map[uint64][]int
}

func indexProcs(procs []procInfo) *procTable {
	t := &procTable{procs: procs, byPID: make(map[int32]int, len(procs)),
		children: make(map[int32][]int, len(procs)/2), byTTY: map[uint64][]int{}}
	for i := range procs {
		p := &procs[i]
		t.byPID[p.PID] = i
		t.children[p.PPID] = append(t.children[p.PPID], i)
		if p.TTY != 0 {
			t.byTTY[p.TTY] = append(t.byTTY[p.TTY], i)
		}
	}
	return t
}

func (s *Sampler) ttyFor(path string) (uint64, bool) {
	if id, ok := s.ttyCache[path]; ok {
		return id, true
	}
	id, err := ttyID(path)
	if err != nil {
		return 0, false
	}
	// /dev/pts/N keeps its device number for as long as the path exists.
	s.ttyCache[path] = id
	return id, true
}

func (s *Sampler) samplePane(ref PaneRef, t *procTable, dt float64, next map[procKey]float64) Pane {
	var out Pane
	if ref.TTY == "" || !s.reader.ttys() {
		return out
	}
	dev, ok := s.ttyFor(ref.TTY)
	if !ok {
		return out
	}
	out.Available = true
	// Members: processes on the tty, then their descendants (which may have
	// left the terminal, e.g. with setsid).
	onTTY := t.byTTY[dev]
	member := make(map[int]bool, len(onTTY))
	queue := slices.Clone(onTTY)
	for len(queue) > 0 {
		i := queue[0]
		queue = queue[1:]
		if member[i] {
			continue
		}
		member[i] = true
		queue = append(queue, t.children[t.procs[i].PID]...)
	}
	var roots []int
	for i := range member {
		if pi, ok := t.byPID[t.procs[i].PPID]; !ok || !member[pi] || pi == i {
			roots = append(roots, i)
		}
	}
	sort.Slice(roots, func(a, b int) bool { return t.procs[roots[a]].PID < t.procs[roots[b]].PID })
	var total float64
	known := dt > 0
	var walk func(i, depth int)
	walk = func(i, depth int) {
		p := &t.procs[i]
		s.reader.fill(p)
		pr := Proc{PID: p.PID, PPID: p.PPID, PGID: p.PGID, Name: p.Name, RSS: p.RSS, State: p.State, Start: p.Start, Depth: depth}
		if pct, ok := s.procCPU(p, dt); ok {
			pr.CPUPercent = &pct
			total += pct
		}
		next[p.key()] = p.CPU
		pr.Cmdline = s.cmdline(p)
		out.RSS += p.RSS
		out.Procs = append(out.Procs, pr)
		kids := slices.Clone(t.children[p.PID])
		sort.Slice(kids, func(a, b int) bool { return t.procs[kids[a]].PID < t.procs[kids[b]].PID })
		for _, k := range kids {
			if member[k] {
				walk(k, depth+1)
			}
		}
	}
	for _, r := range roots {
		walk(r, 0)
	}
	out.ProcessCount = len(out.Procs)
	if known {
		out.CPUPercent = &total
	}
	out.Foreground = foreground(out.Procs, t, onTTY)
	if fg := out.Foreground; fg != nil && len(onTTY) > 0 {
		tpgid := t.procs[onTTY[0]].TPGID
		for _, p := range out.Procs {
			if p.PGID == tpgid && p.PID != fg.PID && len(out.Group) < maxGroup {
				out.Group = append(out.Group, p)
			}
		}
	}
	return out
}

// procCPU is the process's CPU % over the last interval: from the previous
// tick's reading, or from zero when it started after that tick.
func (s *Sampler) procCPU(p *procInfo, dt float64) (float64, bool) {
	if dt <= 0 {
		return 0, false
	}
	prev, ok := s.prevProcs[p.key()]
	if !ok {
		if p.Start.IsZero() || p.Start.Before(s.last) {
			return 0, false // existed before but was not measured then
		}
		prev = 0
	}
	return max(0, (p.CPU-prev)/dt*100), true
}

// foreground picks the leader of the tty's foreground process group, else
// a member of that group, else the session's first process.
func foreground(procs []Proc, t *procTable, onTTY []int) *Proc {
	if len(onTTY) == 0 {
		return nil
	}
	tpgid := t.procs[onTTY[0]].TPGID
	var inGroup *Proc
	for i := range procs {
		if procs[i].PID == tpgid {
			fg := procs[i]
			return &fg
		}
		if inGroup == nil {
			if j, ok := t.byPID[procs[i].PID]; ok && t.procs[j].PGID == tpgid {
				inGroup = &procs[i]
			}
		}
	}
	if inGroup != nil {
		fg := *inGroup
		return &fg
	}
	if len(procs) > 0 {
		fg := procs[0]
		return &fg
	}
	return nil
}

func (s *Sampler) cmdline(p *procInfo) string {
	k := p.key()
	if c, ok := s.cmdCache[k]; ok {
		return c
	}
	c := s.reader.cmdline(p.PID)
	if c == "" {
		c = p.Name // kernel threads and zombies have none
	}
	s.cmdCache[k] = c
	return c
}

// trimCaches forgets processes that are gone.
func (s *Sampler) trimCaches(live map[procKey]float64) {
	for k := range s.cmdCache {
		if _, ok := live[k]; !ok {
			delete(s.cmdCache, k)
		}
	}
}

func (s *Sampler) record(snap Snapshot) {
	if snap.System.CPUPercent != nil {
		s.sysHist.Push(Sample{T: snap.Time, CPU: *snap.System.CPUPercent, Mem: snap.System.MemUsed})
	}
	for id, p := range snap.Panes {
		if p.CPUPercent == nil {
			continue
		}
		r := s.paneHist[id]
		if r == nil {
			r = NewRing(s.history)
			s.paneHist[id] = r
		}
		r.Push(Sample{T: snap.Time, CPU: *p.CPUPercent, Mem: p.RSS})
	}
	// Panes that disappeared lose their history.
	for id := range s.paneHist {
		if _, ok := snap.Panes[id]; !ok {
			delete(s.paneHist, id)
		}
	}
}

// History returns a pane's samples, oldest first (nil when none).
func (s *Sampler) History(id wezterm.PaneID) []Sample {
	if r := s.paneHist[id]; r != nil {
		return r.Samples()
	}
	return nil
}

// HistoryTail returns up to the last n samples of a pane, oldest first.
func (s *Sampler) HistoryTail(id wezterm.PaneID, n int) []Sample {
	r := s.paneHist[id]
	if r == nil {
		return nil
	}
	return r.tail(n)
}

// SystemHistoryTail returns up to the last n samples of the machine.
func (s *Sampler) SystemHistoryTail(n int) []Sample { return s.sysHist.tail(n) }

// SystemHistory returns the machine's samples, oldest first.
func (s *Sampler) SystemHistory() []Sample { return s.sysHist.Samples() }

// Foregrounds returns what runs in the foreground of each pane's tty now:
// one pass over the process table, for a one-off question (which pane sits
// at a shell prompt) outside the poller.
func Foregrounds(ctx context.Context, refs []PaneRef) (map[wezterm.PaneID]Proc, error) {
	s := New(Options{History: 1})
	defer s.Close()
	snap, err := s.Sample(ctx, refs)
	if err != nil {
		return nil, err
	}
	out := map[wezterm.PaneID]Proc{}
	for id, p := range snap.Panes {
		if p.Foreground != nil {
			out[id] = *p.Foreground
		}
	}
	return out, nil
}
