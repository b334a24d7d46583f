package monitor

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/wezterm-parallel/wezterm-parallel/internal/agents"
	"github.com/wezterm-parallel/wezterm-parallel/internal/metrics"
	"github.com/wezterm-parallel/wezterm-parallel/internal/wezterm"
)

// countingSource is a WezTerm with fixed panes that counts what it is
// asked.
type countingSource struct {
	mu                         sync.Mutex
	panes                      []wezterm.Pane
	screen                     map[wezterm.PaneID]string
	lists, clients, reads      int
	readPanes                  []wezterm.PaneID
	versionCalls, versionCount int
}

func (s *countingSource) Version(context.Context) (wezterm.Version, error) {
	return wezterm.ParseVersion("wezterm 20240203-110809-5046fc22"), nil
}
func (s *countingSource) List(context.Context) ([]wezterm.Pane, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.lists++
	return append([]wezterm.Pane(nil), s.panes...), nil
}
func (s *countingSource) ListClients(context.Context) ([]wezterm.ClientInfo, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.clients++
	return nil, nil
}
func (s *countingSource) GetText(_ context.Context, id wezterm.PaneID, _ wezterm.GetTextOptions) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.reads++
	s.readPanes = append(s.readPanes, id)
	return s.screen[id], nil
}

func (s *countingSource) counts() (lists, clients, reads int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.lists, s.clients, s.reads
}

// scriptedSampler reports the CPU and processes the test sets per pane.
type scriptedSampler struct {
	cpu   map[wezterm.PaneID]float64
	procs map[wezterm.PaneID][]metrics.Proc
	n     int
}

func (s *scriptedSampler) Sample(_ context.Context, refs []metrics.PaneRef) (metrics.Snapshot, error) {
	s.n++
	out := metrics.Snapshot{Panes: map[wezterm.PaneID]metrics.Pane{}}
	for _, r := range refs {
		cpu := s.cpu[r.ID]
		procs := s.procs[r.ID]
		p := metrics.Pane{Available: true, CPUPercent: &cpu, ProcessCount: len(procs), Procs: procs}
		if len(procs) > 0 {
			fg := procs[len(procs)-1]
			p.Foreground = &fg
		}
		out.Panes[r.ID] = p
	}
	return out, nil
}
func (s *scriptedSampler) HistoryTail(wezterm.PaneID, int) []metrics.Sample { return nil }
func (s *scriptedSampler) SystemHistoryTail(int) []metrics.Sample           { return nil }

// cadenceRig: 8 panes, panes 0..3 run an agent waiting at its prompt, the
// others a sleeping shell; a clock the test moves one second per step.
type cadenceRig struct {
	src *countingSource
	smp *scriptedSampler
	m   *Monitor
	now time.Time
}

func newCadenceRig(t *testing.T) *cadenceRig {
	t.Helper()
	src := &countingSource{screen: map[wezterm.PaneID]string{}}
	smp := &scriptedSampler{cpu: map[wezterm.PaneID]float64{}, procs: map[wezterm.PaneID][]metrics.Proc{}}
	start := time.Unix(1_700_000_000, 0)
	for i := 0; i < 8; i++ {
		id := wezterm.PaneID(i)
		tty := "/dev/pts/" + string(rune('0'+i))
		src.panes = append(src.panes, wezterm.Pane{PaneID: id, TabID: 1, WindowID: 1, Workspace: "w", Title: "sh", TTYName: &tty,
			Size: wezterm.Size{Rows: 24, Cols: 80}})
		name := "sleep"
		if i < 4 {
			name = "fake-agent"
			src.panes[i].Title = "✳ agent"
			src.screen[id] = "Edit parser.go\nApprove? [y/N] "
		}
		smp.procs[id] = []metrics.Proc{{PID: int32(100 + 2*i), Name: "sh", Start: start}, {PID: int32(101 + 2*i), Name: name, Start: start}}
	}
	rules, err := agents.ParseRules("t.toml", []byte("[[agents]]\nname = \"fake\"\nprocess = ['fake-agent']\n"+
		"working_title = ['^[\\x{2800}-\\x{28FF}]']\nidle_title = ['^✳']\nwaiting = ['Approve\\? \\[y/N\\]']\n"))
	if err != nil {
		t.Fatal(err)
	}
	r := &cadenceRig{src: src, smp: smp, now: start}
	r.m = New(src, smp, time.Second, nil)
	r.m.now = func() time.Time { return r.now }
	r.m.SetAgents(agents.NewTracker(rules), 2*time.Second)
	return r
}

func (r *cadenceRig) step() Snapshot {
	s := r.m.Step(context.Background())
	r.now = r.now.Add(time.Second)
	return s
}

// TestHiddenCadence: hidden, with nothing changing, WezTerm is asked a
// few times a minute — lists every 5 s, clients once, each quiet agent's
// screen once — well within 20 processes a minute for 4 idle agents.
func TestHiddenCadence(t *testing.T) {
	r := newCadenceRig(t)
	r.m.SetHidden(true)
	for i := 0; i < 5; i++ { // settle: first reads, debounce
		r.step()
	}
	l0, c0, g0 := r.src.counts()
	var last Snapshot
	for i := 0; i < 60; i++ {
		last = r.step()
	}
	l1, c1, g1 := r.src.counts()
	lists, clients, reads := l1-l0, c1-c0, g1-g0
	t.Logf("one hidden minute: %d lists, %d list-clients, %d get-text", lists, clients, reads)
	if lists != 12 || clients != 1 || reads > 4 {
		t.Errorf("one hidden minute: %d lists (want 12), %d list-clients (want 1), %d get-text (want ≤ 4)", lists, clients, reads)
	}
	if total := lists + clients + reads; total > 20 {
		t.Errorf("%d wezterm processes in a hidden minute, want ≤ 20", total)
	}
	if len(last.Attention) != 4 {
		t.Errorf("attention %v, want the 4 waiting agents", last.Attention)
	}
	if last.History != nil {
		t.Error("hidden snapshots carry histories")
	}
	// Over HiddenReadQuiet every quiet agent is read again, and only once.
	for i := 0; i < int(HiddenReadQuiet/time.Second); i++ {
		r.step()
	}
	_, _, g2 := r.src.counts()
	if n := g2 - g1; n < 4 || n > 8 {
		t.Errorf("%d reads over %v, want each of 4 agents read once or twice", n, HiddenReadQuiet)
	}
}

// TestShownCadence: shown, every tick lists panes and clients, and agents
// are read every poll.
func TestShownCadence(t *testing.T) {
	r := newCadenceRig(t)
	for i := 0; i < 3; i++ {
		r.step()
	}
	l0, c0, g0 := r.src.counts()
	for i := 0; i < 10; i++ {
		r.step()
	}
	l1, c1, g1 := r.src.counts()
	if l1-l0 != 10 || c1-c0 != 10 {
		t.Errorf("shown: %d lists, %d list-clients in 10 ticks, want 10 each", l1-l0, c1-c0)
	}
	if n := g1 - g0; n != 20 { // 4 agents every 2 s over 10 s
		t.Errorf("shown: %d reads in 10 s, want 20", n)
	}
}

// TestHiddenAgentStopsWorking: an agent that goes quiet is listed and read
// on the very tick its CPU falls, then confirmed on a quick tick.
func TestHiddenAgentStopsWorking(t *testing.T) {
	r := newCadenceRig(t)
	r.m.SetHidden(true)
	r.src.panes[0].Title = "⠋ agent"
	r.src.screen[0] = "working on step 1.1"
	r.smp.cpu[0] = 95
	for i := 0; i < 12; i++ {
		r.step()
	}
	if s := statusOf(r.step(), 0); s != agents.Working {
		t.Fatalf("pane 0: %s, want working", s)
	}
	// It asks: CPU falls, the title and screen change.
	r.src.panes[0].Title = "✳ agent"
	r.src.screen[0] = "Edit parser.go\nApprove? [y/N] "
	r.smp.cpu[0] = 0
	l0, _, _ := r.src.counts()
	r.src.readPanes = nil
	r.step()
	l1, _, _ := r.src.counts()
	if l1 != l0+1 || len(r.src.readPanes) != 1 || r.src.readPanes[0] != 0 {
		t.Fatalf("on the quiet tick: %d lists, reads %v; want one list and pane 0 read", l1-l0, r.src.readPanes)
	}
	if !r.m.soon {
		t.Error("a status awaiting confirmation did not ask for a quick tick")
	}
	if s := r.step(); len(s.Attention) != 4 || s.Attention[len(s.Attention)-1] != 0 {
		t.Errorf("after the confirming tick: attention %v, want pane 0 among 4", s.Attention)
	}
}

// TestHiddenChurnListsSparingly: processes starting and ending on a pane
// every second cause a list at most every churnSpacing.
func TestHiddenChurnListsSparingly(t *testing.T) {
	r := newCadenceRig(t)
	r.m.SetHidden(true)
	for i := 0; i < 5; i++ {
		r.step()
	}
	l0, _, _ := r.src.counts()
	for i := 0; i < 30; i++ {
		r.smp.procs[7] = []metrics.Proc{{PID: 114, Name: "sh"}, {PID: int32(1000 + i), Name: "date", Start: r.now}}
		r.step()
	}
	l1, _, _ := r.src.counts()
	if n := l1 - l0; n < 6 || n > 11 {
		t.Errorf("30 s of churn: %d lists, want 10 (one per %v), not 30", n, churnSpacing)
	}
}

// TestKickListsAtOnce: an action's kick refreshes panes and clients on the
// next step, hidden or not.
func TestKickListsAtOnce(t *testing.T) {
	r := newCadenceRig(t)
	r.m.SetHidden(true)
	for i := 0; i < 3; i++ {
		r.step()
	}
	l0, c0, _ := r.src.counts()
	r.m.Kick()
	r.step()
	l1, c1, _ := r.src.counts()
	if l1 != l0+1 || c1 != c0+1 {
		t.Errorf("after a kick: %d lists, %d list-clients; want 1 each", l1-l0, c1-c0)
	}
}

func statusOf(s Snapshot, id wezterm.PaneID) agents.Status {
	for _, p := range s.Tree.Panes() {
		if p.ID == id && p.Agent != nil {
			return p.Agent.Status
		}
	}
	return ""
}

// TestHiddenFollowsAfterKick: after an action in the app (a kick) a hidden
// monitor lists every tick for FollowAfterKick — an answered agent's new
// title shows at once — then goes back to its slow cadence.
func TestHiddenFollowsAfterKick(t *testing.T) {
	r := newCadenceRig(t)
	r.m.SetHidden(true)
	for i := 0; i < 7; i++ {
		r.step()
	}
	l0, _, _ := r.src.counts()
	r.m.Kick()
	follow := int(FollowAfterKick / time.Second)
	for i := 0; i < follow; i++ {
		r.step()
	}
	l1, _, _ := r.src.counts()
	if l1-l0 != follow {
		t.Errorf("%d lists in the %d ticks after a kick, want one a tick", l1-l0, follow)
	}
	for i := 0; i < 10; i++ {
		r.step()
	}
	if l2, _, _ := r.src.counts(); l2-l1 != 2 {
		t.Errorf("%d lists in the 10 ticks after that, want 2 (every %s)", l2-l1, HiddenListEvery)
	}
}
