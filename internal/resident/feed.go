package resident

import (
	"context"
	"errors"
	"log/slog"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/wezterm-parallel/wezterm-parallel/internal/broadcast"
	"github.com/wezterm-parallel/wezterm-parallel/internal/config"
	"github.com/wezterm-parallel/wezterm-parallel/internal/decide"
	"github.com/wezterm-parallel/wezterm-parallel/internal/ipc"
	"github.com/wezterm-parallel/wezterm-parallel/internal/monitor"
	"github.com/wezterm-parallel/wezterm-parallel/internal/snapshot"
	"github.com/wezterm-parallel/wezterm-parallel/internal/topology"
	"github.com/wezterm-parallel/wezterm-parallel/internal/wezterm"
)

// RetryEvery is how often a window polling on its own looks for the
// resident again.
const RetryEvery = 5 * time.Second

// planTimeout bounds a broadcast's round trip to the resident.
const planTimeout = 2 * time.Second

// FeedOptions are what the window's feed needs.
type FeedOptions struct {
	// Dir is the runtime folder; "" never looks for a resident (the demo).
	Dir string
	// NewLocal makes the window's own monitor (publishing to the given
	// function) for when no resident answers.
	NewLocal func(publish func(monitor.Snapshot)) *monitor.Monitor
	// Publish gets each snapshot, with its effects when the window decided
	// them itself (no resident: notifications and queued prompts are the
	// window's to carry out).
	Publish func(s monitor.Snapshot, e decide.Effects, linked bool)
	Prefs   func() config.Preferences
	Layouts func() []string
	Shown   func() bool
	// OnMsg gets what the resident asks of the window (focus, prefs,
	// select, close, quit).
	OnMsg func(ipc.Msg)
	// OnLink is told when the resident comes or goes.
	OnLink func(linked bool)
	Log    *slog.Logger
	// Retry is how often to look for the resident while alone (default
	// RetryEvery).
	Retry time.Duration
	// Snapshots keeps snapshots of the running state while the window
	// polls alone (no resident: nobody else does); nil: none (the demo).
	Snapshots *snapshot.Writer
}

// Feed gives the window its snapshots: from the resident when one runs
// (the window then polls nothing), else from a monitor of its own, looking
// for the resident again every RetryEvery.
type Feed struct {
	o   FeedOptions
	dec *decide.Decider // the window's own decisions, when alone

	mu       sync.Mutex
	conn     *ipc.Conn
	local    *monitor.Monitor
	stop     context.CancelFunc
	stopped  chan struct{}
	detached bool
	detail   wezterm.PaneID
	hasDet   bool
	queued   []broadcast.Item
	hist     ipc.Histories
	seq      int
	replies  map[int]chan ipc.Msg
	wake     chan struct{}
	// last is the last snapshot the resident sent (shown as stale when
	// it stops answering).
	last    monitor.Snapshot
	refused string // why the resident does not feed the window, said once

	lastSnapErr string
}

// NewFeed makes a feed; Run starts it.
func NewFeed(o FeedOptions) *Feed {
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	if o.Retry <= 0 {
		o.Retry = RetryEvery
	}
	return &Feed{o: o, dec: decide.New(), replies: map[int]chan ipc.Msg{}, wake: make(chan struct{}, 1)}
}

// Linked reports whether the resident feeds the window.
func (f *Feed) Linked() bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.conn != nil
}

// Run feeds until ctx ends.
func (f *Feed) Run(ctx context.Context) {
	defer f.stopLocal()
	for ctx.Err() == nil {
		f.mu.Lock()
		detached := f.detached
		f.mu.Unlock()
		if !detached && f.o.Dir != "" {
			c, err := ipc.Dial(f.o.Dir, ipc.Resident, time.Second)
			switch {
			case err == nil:
				f.linked(ctx, c)
				if ctx.Err() != nil {
					return
				}
				f.o.Log.Info("resident not running: the window polls on its own")
			case errors.Is(err, ipc.ErrRefused):
				if err.Error() != f.refused { // said once, not every RetryEvery
					f.refused = err.Error()
					f.o.Log.Warn("the tray process is refused: the window polls on its own", "err", err)
				}
			}
		}
		f.startLocal(ctx)
		select {
		case <-ctx.Done():
			return
		case <-time.After(f.o.Retry):
		case <-f.wake:
		}
	}
}

// The resident answers hello at once and beats every ipc.BeatEvery: after
// one beat missed the window shows what it has as stale, after two it
// polls on its own (the resident stopped, froze, or stopped accepting).
const (
	staleAfter = ipc.BeatEvery + time.Second
	leaveAfter = 2*ipc.BeatEvery + time.Second
)

// linked runs while the resident feeds the window.
func (f *Feed) linked(ctx context.Context, c *ipc.Conn) {
	if err := c.Send(ipc.Msg{Op: ipc.OpHello, PID: os.Getpid()}); err != nil {
		c.Close()
		return
	}
	// Nothing is shown as fed until the resident answers.
	c.SetReadDeadline(time.Now().Add(leaveAfter))
	first, err := c.Recv()
	if err != nil || first.Op != ipc.OpBeat {
		why := "it does not answer"
		if err == nil && first.Op == ipc.OpError {
			why = first.Error
		}
		if why != f.refused { // said once, not every RetryEvery
			f.refused = why
			f.o.Log.Warn("the tray process does not feed the window: it polls on its own", "why", why)
		}
		c.Close()
		return
	}
	f.refused = ""
	c.SetReadDeadline(time.Time{})
	f.stopLocal()
	f.mu.Lock()
	f.conn, f.hist, f.last = c, ipc.Histories{}, monitor.Snapshot{}
	detail, has := f.detail, f.hasDet
	f.mu.Unlock()
	if has {
		c.Send(ipc.Msg{Op: ipc.OpDetail, Pane: detail})
	}
	f.o.Log.Info("fed by the resident")
	if f.o.OnLink != nil {
		f.o.OnLink(true)
	}
	stop := context.AfterFunc(ctx, func() { c.Close() })
	defer stop()
	heard := make(chan struct{}, 1)
	done := make(chan struct{})
	defer close(done)
	// busy: the window is taking a snapshot (building itself, say): what
	// the resident sends meanwhile waits unread, and is not silence.
	var busy atomic.Bool
	go f.watch(c, heard, done, &busy)
	for {
		m, err := c.Recv()
		if err != nil {
			break
		}
		select {
		case heard <- struct{}{}:
		default:
		}
		switch m.Op {
		case ipc.OpBeat:
		case ipc.OpSnapshot:
			if m.Snap == nil {
				continue
			}
			f.mu.Lock()
			s := f.hist.Decode(m.Snap)
			f.queued = m.Queued
			f.last = s
			f.mu.Unlock()
			busy.Store(true)
			f.o.Publish(s, decide.Effects{}, true)
			busy.Store(false)
			select {
			case heard <- struct{}{}:
			default:
			}
		case ipc.OpPlanned, ipc.OpError:
			f.mu.Lock()
			ch := f.replies[m.Seq]
			delete(f.replies, m.Seq)
			f.mu.Unlock()
			if ch != nil {
				ch <- m
			}
		default:
			if f.o.OnMsg != nil {
				f.o.OnMsg(m)
			}
		}
	}
	c.Close()
	f.mu.Lock()
	f.conn = nil
	for seq, ch := range f.replies {
		close(ch)
		delete(f.replies, seq)
	}
	f.mu.Unlock()
	if f.o.OnLink != nil && ctx.Err() == nil {
		f.o.OnLink(false)
	}
}

// watch marks the picture stale when the resident misses a beat and
// closes the connection when it misses two (Run then polls on its own).
func (f *Feed) watch(c *ipc.Conn, heard, done <-chan struct{}, busy *atomic.Bool) {
	last := time.Now()
	stale := false
	t := time.NewTicker(ipc.BeatEvery / 4)
	defer t.Stop()
	for {
		select {
		case <-done:
			return
		case <-heard:
			last, stale = time.Now(), false
		case now := <-t.C:
			if busy.Load() {
				last = now
				continue
			}
			switch quiet := now.Sub(last); {
			case quiet >= leaveAfter:
				f.o.Log.Warn("the tray process stopped answering: the window polls on its own", "quiet", quiet.Round(time.Millisecond))
				c.Close()
				return
			case quiet >= staleAfter && !stale:
				stale = true
				f.mu.Lock()
				s := f.last
				f.mu.Unlock()
				s.Status, s.Err = monitor.Stale, errors.New("the tray process stopped answering")
				s.NextTry = last.Add(leaveAfter)
				s.Attention = nil // who waits is not known any more
				f.o.Publish(s, decide.Effects{}, true)
			}
		}
	}
}

// startLocal starts the window's own monitor unless it runs.
func (f *Feed) startLocal(ctx context.Context) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.local != nil {
		return
	}
	m := f.o.NewLocal(func(s monitor.Snapshot) {
		if w := f.o.Snapshots; w != nil && s.Status == monitor.Connected {
			if _, err := w.Observe(s.Time, s.Tree); err != nil {
				f.snapErr(err)
			}
		}
		e := f.dec.Step(s, f.o.Prefs(), f.o.Layouts(), f.o.Shown())
		f.o.Publish(s, e, false)
	})
	if f.hasDet {
		m.SetDetail(f.detail)
	}
	lctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	f.local, f.stop, f.stopped = m, cancel, done
	go func() { m.Run(lctx); close(done) }()
}

// snapErr logs a snapshot error once until it changes.
func (f *Feed) snapErr(err error) {
	f.mu.Lock()
	changed := err.Error() != f.lastSnapErr
	f.lastSnapErr = err.Error()
	f.mu.Unlock()
	if changed {
		f.o.Log.Warn("snapshot not written", "err", err)
	}
}

func (f *Feed) stopLocal() {
	f.mu.Lock()
	stop, done := f.stop, f.stopped
	f.local, f.stop, f.stopped = nil, nil, nil
	f.mu.Unlock()
	if stop != nil {
		stop()
		<-done
	}
}

// Local is the window's own monitor, nil while the resident feeds it.
func (f *Feed) Local() *monitor.Monitor {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.local
}

// Detach stops listening to the resident for good (the window switched to
// the demo, which the resident does not watch).
func (f *Feed) Detach() {
	f.mu.Lock()
	f.detached = true
	c := f.conn
	f.mu.Unlock()
	if c != nil {
		c.Close()
	}
	select {
	case f.wake <- struct{}{}:
	default:
	}
}

func (f *Feed) send(m ipc.Msg) bool {
	f.mu.Lock()
	c := f.conn
	f.mu.Unlock()
	return c != nil && c.Send(m) == nil
}

// SetDetail chooses the pane whose process tree snapshots carry.
func (f *Feed) SetDetail(id wezterm.PaneID) {
	f.mu.Lock()
	f.detail, f.hasDet = id, true
	l := f.local
	f.mu.Unlock()
	if l != nil {
		l.SetDetail(id)
	}
	f.send(ipc.Msg{Op: ipc.OpDetail, Pane: id})
}

// Kick asks for a tick now.
func (f *Feed) Kick() {
	if l := f.Local(); l != nil {
		l.Kick()
	}
	f.send(ipc.Msg{Op: ipc.OpKick})
}

// SetInterval applies the window's refresh interval to its own monitor
// (the resident reads the same preferences file itself).
func (f *Feed) SetInterval(d time.Duration) {
	if l := f.Local(); l != nil {
		l.SetInterval(d)
	}
}

// SetSource points the window's own monitor at another WezTerm.
func (f *Feed) SetSource(src monitor.Source) {
	if l := f.Local(); l != nil {
		l.SetSource(src)
	}
	f.dec.Reset()
}

// QuitResident asks the resident to quit (closing the window with
// close_to_tray off).
func (f *Feed) QuitResident() { f.send(ipc.Msg{Op: ipc.OpQuit}) }

// Plan splits a broadcast: panes whose agent works get the prompt queued
// where the decisions are made (the resident, which types it when the
// agent waits even after the window closed), the others are returned to
// send now.
func (f *Feed) Plan(now time.Time, tree topology.Tree, panes []wezterm.PaneID, text string) ([]wezterm.PaneID, []broadcast.Item) {
	f.mu.Lock()
	c := f.conn
	if len(text)+16*len(panes) > ipc.MaxRequest/2 {
		c = nil // more than the resident reads in one message: queued here
	}
	var ch chan ipc.Msg
	seq := 0
	if c != nil {
		f.seq++
		seq = f.seq
		ch = make(chan ipc.Msg, 1)
		f.replies[seq] = ch
	}
	f.mu.Unlock()
	if c != nil && c.Send(ipc.Msg{Op: ipc.OpPlan, Seq: seq, Panes: panes, Text: text}) == nil {
		select {
		case m, ok := <-ch:
			if ok && m.Op == ipc.OpPlanned {
				f.mu.Lock()
				f.queued = append(f.queued, m.Queued...)
				f.mu.Unlock()
				return m.Panes, m.Queued
			}
		case <-time.After(planTimeout):
		}
		f.mu.Lock()
		delete(f.replies, seq)
		f.mu.Unlock()
		f.o.Log.Warn("the resident did not plan the broadcast: the window queues it")
	}
	return f.dec.Plan(now, tree, panes, text)
}

// Cancel removes a queued prompt.
func (f *Feed) Cancel(id int) bool {
	if f.send(ipc.Msg{Op: ipc.OpCancel, ID: id}) {
		f.mu.Lock()
		for i, it := range f.queued {
			if it.ID == id {
				f.queued = append(f.queued[:i:i], f.queued[i+1:]...)
				break
			}
		}
		f.mu.Unlock()
		return true
	}
	return f.dec.Cancel(id)
}

// Queued lists the prompts waiting for their agent.
func (f *Feed) Queued() []broadcast.Item {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.conn != nil {
		return append([]broadcast.Item(nil), f.queued...)
	}
	return f.dec.Queued()
}

// ErrNoResident: no resident answers.
var ErrNoResident = errors.New("the tray process (resident) is not running")

// AskStats asks the resident what it costs (doctor --verbose). A runtime
// folder or a process that is not the user's is refused (the error says
// why; errors.Is ipc.ErrRefused).
func AskStats(dir string) (ipc.Stats, error) {
	c, err := ipc.Dial(dir, ipc.Resident, time.Second)
	if errors.Is(err, ipc.ErrRefused) {
		return ipc.Stats{}, err
	}
	if err != nil {
		return ipc.Stats{}, ErrNoResident
	}
	defer c.Close()
	if err := c.Send(ipc.Msg{Op: ipc.OpStats, Seq: 1}); err != nil {
		return ipc.Stats{}, err
	}
	done := make(chan struct{})
	defer close(done)
	go func() {
		select {
		case <-done:
		case <-time.After(3 * time.Second):
			c.Close()
		}
	}()
	for {
		m, err := c.Recv()
		if err != nil {
			return ipc.Stats{}, errors.New("the resident did not answer")
		}
		if m.Op == ipc.OpStats && m.Stats != nil {
			return *m.Stats, nil
		}
	}
}
