// Package resident is the process that lives in the tray all day: it polls
// WezTerm (the monitor), decides (notifications, queued prompts, the tray
// menu), carries those out, and feeds the window process over ipc when one
// is open. The window side (Feed) takes snapshots from it, or polls on its
// own when no resident answers. No Fyne here: the tray edge (systray) and
// the window are in ui/.
package resident

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/wezterm-parallel/wezterm-parallel/internal/agents"
	"github.com/wezterm-parallel/wezterm-parallel/internal/config"
	"github.com/wezterm-parallel/wezterm-parallel/internal/control"
	"github.com/wezterm-parallel/wezterm-parallel/internal/decide"
	"github.com/wezterm-parallel/wezterm-parallel/internal/execx"
	"github.com/wezterm-parallel/wezterm-parallel/internal/ipc"
	"github.com/wezterm-parallel/wezterm-parallel/internal/launch"
	"github.com/wezterm-parallel/wezterm-parallel/internal/monitor"
	"github.com/wezterm-parallel/wezterm-parallel/internal/restore"
	"github.com/wezterm-parallel/wezterm-parallel/internal/snapshot"
	"github.com/wezterm-parallel/wezterm-parallel/internal/spend"
	"github.com/wezterm-parallel/wezterm-parallel/internal/textsafe"
	"github.com/wezterm-parallel/wezterm-parallel/internal/tray"
	"github.com/wezterm-parallel/wezterm-parallel/internal/wezterm"
)

// Options are what the resident needs.
type Options struct {
	Client *wezterm.Client
	// NewClient makes a client for another binary (wezterm_path edited in
	// the preferences).
	NewClient  func(bin string) *wezterm.Client
	Store      *config.Store // nil: defaults
	Interval   time.Duration
	AgentRules []agents.Rule
	Calls      *execx.Counter // counts wezterm processes (nil: not counted)
	Log        *slog.Logger
	Dir        string // the runtime folder (ipc)
	// Notify shows a desktop notification.
	Notify func(title, body string) error
	// StartWindow starts the window process; exited (when the process
	// ends) gets its exit code and the end of its stderr.
	StartWindow func(exited func(code int, stderr string)) error
	// Sampler (nil: metrics.New).
	Sampler monitor.Sampler
	// HasTray: a tray shows this process (for Stats).
	HasTray bool
	// Spend puts the agents' token spend on the snapshots (nil: none).
	Spend monitor.Spender
	// Restore and Snapshots: the snapshots the resident keeps of the
	// running state (debounced, at least every 5 min) and the tray's
	// restore item. nil with a Store (the real resident): the state
	// folder's, with AgentRules; nil without one (tests): none.
	Restore   *restore.Service
	Snapshots *snapshot.Writer
}

// DefaultRestore is restoring from the state folder's snapshots with
// rules, the agents' records under home and the preferences in store.
func DefaultRestore(store *config.Store, rules []agents.Rule) (*restore.Service, error) {
	dir, err := snapshot.DefaultDir()
	if err != nil {
		return nil, err
	}
	home, _ := os.UserHomeDir()
	svc := &restore.Service{Store: snapshot.Open(dir), Rules: rules, Home: home,
		Sessions: restore.Sessions{Roots: spend.DefaultRoots(os.Getenv, home)}}
	if store != nil {
		svc.Prefs, svc.Config = store.Prefs, store
	}
	return svc, nil
}

// Service is the resident.
type Service struct {
	o       Options
	mon     *monitor.Monitor
	dec     *decide.Decider
	ctl     *control.Controller
	names   *Names
	started time.Time
	trayCh  chan tray.Model
	quit    chan struct{}
	quitted sync.Once

	mu         sync.Mutex
	win        *ipc.Conn // the open window
	sentFull   bool
	last       monitor.Snapshot
	lastAt     time.Time // when the monitor last published
	stuckSaid  bool
	pending    []ipc.Msg // for the window being started
	spawnedAt  time.Time
	notifyWarn bool
	bin        string
	conns      map[*ipc.Conn]bool
	snapErr    string // the last snapshot error logged
}

// New makes the resident; Run starts it.
func New(o Options) *Service {
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	s := &Service{o: o, dec: decide.New(), ctl: control.New(o.Client), names: &Names{}, started: time.Now(),
		trayCh: make(chan tray.Model, 1), quit: make(chan struct{}), conns: map[*ipc.Conn]bool{}}
	if o.Client != nil {
		s.bin = o.Client.Bin()
	}
	if o.Restore == nil && o.Store != nil {
		if svc, err := DefaultRestore(o.Store, o.AgentRules); err == nil {
			s.o.Restore = svc
		} else {
			o.Log.Warn("no snapshots: no state folder", "err", err)
		}
	}
	if s.o.Snapshots == nil && s.o.Restore != nil {
		s.o.Snapshots = snapshot.NewWriter(s.o.Restore.Store, "resident")
	}
	s.mon = monitor.Build(monitor.Options{Source: o.Client, Sampler: o.Sampler, Interval: o.Interval, Publish: s.publish,
		Rules: o.AgentRules, Poll: o.Store.Prefs().AgentPoll, Spend: o.Spend, Hidden: true})
	s.ctl.After = s.mon.Kick
	s.ctl.Git = execx.Exec{Log: o.Log}
	return s
}

func (s *Service) prefs() config.Preferences { return s.o.Store.Prefs() }

// Tray delivers the tray menu's models, the newest only.
func (s *Service) Tray() <-chan tray.Model { return s.trayCh }

// Done is closed when the resident was asked to quit (the tray's Quit, or
// the window with close_to_tray off).
func (s *Service) Done() <-chan struct{} { return s.quit }

// Quit ends the resident and the window with it.
func (s *Service) Quit() {
	s.quitted.Do(func() {
		s.mu.Lock()
		w := s.win
		s.mu.Unlock()
		if w != nil {
			w.Send(ipc.Msg{Op: ipc.OpQuit})
		}
		close(s.quit)
	})
}

// Run serves until ctx ends or Quit. The caller holds the resident lock.
func (s *Service) Run(ctx context.Context) error {
	l, err := ipc.Listen(s.o.Dir, ipc.Resident)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go func() {
		select {
		case <-ctx.Done():
		case <-s.quit:
		}
		cancel()
		l.Close()
		// Windows and questions in flight see the resident go.
		s.mu.Lock()
		for c := range s.conns {
			c.Close()
		}
		s.mu.Unlock()
	}()
	l.SetLog(s.o.Log)
	go s.accept(ctx, l)
	go s.mon.Run(ctx)
	go s.beat(ctx)
	if s.o.Store != nil {
		go s.names.Watch(ctx, func() string { return config.LayoutsDir(s.o.Store.Prefs(), s.o.Store.Path()) })
		go s.watchPrefs(ctx)
	} else {
		go s.names.Watch(ctx, func() string { return "" })
	}
	s.o.Log.Info("resident running", "pid", os.Getpid(), "socket", ipc.Path(s.o.Dir, ipc.Resident))
	t := time.NewTicker(time.Minute)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
			if s.o.Calls != nil {
				m := s.o.Calls.LastMinute()
				args := []any{"per_minute", m.Total, "shown", s.isShown()}
				for _, k := range m.Keys() {
					args = append(args, k, m.ByKey[k])
				}
				s.o.Log.Info("wezterm processes", args...)
			}
		}
	}
}

func (s *Service) isShown() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.win != nil
}

// publish decides a snapshot's effects, carries them out and passes the
// snapshot to the window.
func (s *Service) publish(snap monitor.Snapshot) {
	p := s.prefs()
	shown := s.isShown()
	if snap.Status == monitor.Connected {
		s.keepSnapshot(snap)
	}
	eff := s.dec.Step(snap, p, s.names.Get(), shown)
	s.ctl.CarryOut(context.Background(), eff, func(n decide.Note) { s.notify(n.Title, n.Body) }, func(c control.Carried) {
		switch {
		case c.Dropped > 0:
			s.o.Log.Info("queued prompts dropped: the pane or its agent is gone", "count", c.Dropped)
		case c.Err != nil:
			s.o.Log.Warn("queued prompt not delivered", "pane", c.Pane, "err", c.Err)
			s.note(decide.Layout, "A queued prompt was not delivered", fmt.Sprintf("Pane %d: %v", c.Pane, c.Err))
		default:
			s.o.Log.Info("queued prompt delivered", "pane", c.Pane)
		}
	})
	if eff.Tray != nil {
		select { // the newest model replaces one not yet shown
		case <-s.trayCh:
		default:
		}
		s.trayCh <- *eff.Tray
	}
	s.mu.Lock()
	s.last, s.lastAt = snap, time.Now()
	w, full := s.win, !s.sentFull && snap.History != nil
	if w != nil && snap.History != nil {
		s.sentFull = true
	}
	s.mu.Unlock()
	if w != nil {
		if err := w.Send(ipc.Msg{Op: ipc.OpSnapshot, Snap: ipc.Encode(snap, full), Queued: s.dec.Queued()}); err != nil {
			s.o.Log.Info("window gone", "err", err)
			w.Close()
		}
	}
}

// keepSnapshot gives the tick to the snapshot writer and decides the
// tray's restore item.
func (s *Service) keepSnapshot(snap monitor.Snapshot) {
	if w := s.o.Snapshots; w != nil {
		did, err := w.Observe(snap.Time, snap.Tree)
		msg := ""
		if err != nil {
			msg = err.Error()
		}
		s.mu.Lock()
		changed := msg != s.snapErr
		s.snapErr = msg
		s.mu.Unlock()
		switch {
		case err != nil && changed:
			s.o.Log.Warn("snapshot not written", "err", err)
		case err == nil && changed:
			s.o.Log.Info("snapshots written again")
		case did == snapshot.Created:
			s.o.Log.Info("snapshot taken", "workspaces", len(snap.Tree.Workspaces))
		}
		if (did == snapshot.Created || did == snapshot.Updated) && s.o.Restore != nil {
			s.o.Restore.Forget()
		}
	}
	if s.o.Restore != nil {
		s.dec.SetRestore(s.o.Restore.TrayLabel(snap.Tree, snap.Time))
	}
}

// Restore opens the window's restore dialog for snapshot id ("" : the
// newest), starting the window if needed (the tray's restore item).
func (s *Service) Restore(id string) { s.toWindow(ipc.Msg{Op: ipc.OpRestore, Text: id}) }

// note notifies when the preferences allow kind.
func (s *Service) note(kind decide.Kind, title, body string) {
	if decide.Allowed(s.prefs(), kind) {
		s.notify(title, body)
	}
}

// notify shows a notification; a desktop without the service is said
// once in the log, not at every notification.
func (s *Service) notify(title, body string) {
	if err := s.o.Notify(title, body); err != nil {
		s.mu.Lock()
		warn := !s.notifyWarn
		s.notifyWarn = true
		s.mu.Unlock()
		if warn {
			s.o.Log.Warn("notifications do not show", "err", err)
		}
	}
}

// accept serves connections until the listener closes (Accept retries
// what fails on the way, such as running out of file descriptors).
func (s *Service) accept(ctx context.Context, l *ipc.Listener) {
	for {
		c, err := l.Accept()
		if err != nil {
			if ctx.Err() == nil && !errors.Is(err, net.ErrClosed) {
				s.o.Log.Warn("ipc accept", "err", err)
			}
			return
		}
		go s.serve(ctx, c)
	}
}

// stuckAfter is how long the monitor may go without publishing before
// the resident stops vouching for it: its longest wait between ticks
// (the interval, or 10 s while WezTerm is away) twice, and a slow call.
func (s *Service) stuckAfter() time.Duration {
	return 2*max(s.prefs().RefreshInterval, 10*time.Second) + 30*time.Second
}

// alive reports whether the monitor published lately; it says once in
// the log when it stopped (a window then polls on its own).
func (s *Service) alive() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	at := s.lastAt
	if at.IsZero() {
		at = s.started
	}
	if time.Since(at) <= s.stuckAfter() {
		s.stuckSaid = false
		return true
	}
	if !s.stuckSaid {
		s.stuckSaid = true
		s.o.Log.Warn("the monitor has not ticked for a while: the window is left to poll on its own", "since", at.Format(time.TimeOnly))
	}
	return false
}

// beat tells the open window every ipc.BeatEvery that the resident is
// alive and its monitor ticks: a window that hears nothing (the resident
// stopped, frozen, or its monitor stuck) polls on its own.
func (s *Service) beat(ctx context.Context) {
	t := time.NewTicker(ipc.BeatEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		s.mu.Lock()
		w := s.win
		s.mu.Unlock()
		if w != nil && s.alive() {
			w.Send(ipc.Msg{Op: ipc.OpBeat})
		}
	}
}

// serve answers one connection: a window (after hello) or a one-off
// question (stats).
func (s *Service) serve(ctx context.Context, c *ipc.Conn) {
	s.mu.Lock()
	if ctx.Err() != nil {
		s.mu.Unlock()
		c.Close()
		return
	}
	s.conns[c] = true
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		delete(s.conns, c)
		s.mu.Unlock()
		c.Close()
	}()
	isWin := false
	defer func() {
		if !isWin {
			return
		}
		s.mu.Lock()
		if s.win == c {
			s.win = nil
			s.mon.SetHidden(true)
			s.mon.Kick() // the tray's "Show panel" comes back
		}
		s.mu.Unlock()
		s.o.Log.Info("window closed")
	}()
	for {
		m, err := c.Recv()
		if err != nil {
			return
		}
		switch m.Op {
		case ipc.OpHello:
			if !s.alive() {
				c.Send(ipc.Msg{Op: ipc.OpError, Error: "the tray process's monitor is stuck"})
				return
			}
			// Answered at once: a window that hears nothing polls on its own.
			if err := c.Send(ipc.Msg{Op: ipc.OpBeat}); err != nil {
				return
			}
			isWin = true
			s.mu.Lock()
			old := s.win
			s.win, s.sentFull, s.spawnedAt = c, false, time.Time{}
			pending := s.pending
			s.pending = nil
			s.mu.Unlock()
			if old != nil && old != c {
				old.Close() // one window: the newest
			}
			s.o.Log.Info("window connected", "pid", m.PID)
			s.mon.SetHidden(false)
			for _, p := range pending {
				c.Send(p)
			}
		case ipc.OpDetail:
			s.mon.SetDetail(m.Pane)
		case ipc.OpKick:
			s.mon.Kick()
		case ipc.OpPlan:
			s.mu.Lock()
			tree := s.last.Tree
			s.mu.Unlock()
			now, queued := s.dec.Plan(time.Now(), tree, m.Panes, m.Text)
			c.Send(ipc.Msg{Op: ipc.OpPlanned, Seq: m.Seq, Panes: now, Queued: queued})
			s.mon.Kick()
		case ipc.OpCancel:
			s.dec.Cancel(m.ID)
			s.mon.Kick()
		case ipc.OpStats:
			st := s.Stats()
			c.Send(ipc.Msg{Op: ipc.OpStats, Seq: m.Seq, Stats: &st})
		case ipc.OpQuit:
			s.o.Log.Info("quit asked by the window")
			s.Quit()
			return
		default:
			c.Send(ipc.Msg{Op: ipc.OpError, Seq: m.Seq, Error: "unknown operation " + textsafe.Quote(m.Op)})
		}
		if ctx.Err() != nil {
			return
		}
	}
}

// Stats says what the resident costs and does.
func (s *Service) Stats() ipc.Stats {
	s.mu.Lock()
	st := ipc.Stats{PID: os.Getpid(), Uptime: time.Since(s.started).Round(time.Second).String(), Window: s.win != nil,
		Tray: s.o.HasTray}
	s.mu.Unlock()
	if s.o.Calls != nil {
		st.Wezterm = s.o.Calls.LastMinute()
	}
	st.RSS = selfRSS()
	st.Go, st.Heap = goMemory()
	return st
}

// toWindow sends m to the open window, or starts one that gets m when it
// connects.
func (s *Service) toWindow(m ipc.Msg) {
	s.mu.Lock()
	w := s.win
	if w == nil {
		s.pending = append(s.pending, m)
		if time.Since(s.spawnedAt) < 15*time.Second {
			s.mu.Unlock()
			return // one is on its way
		}
		s.spawnedAt = time.Now()
	}
	s.mu.Unlock()
	if w != nil {
		if err := w.Send(m); err == nil {
			return
		}
	}
	if err := s.o.StartWindow(s.windowExited); err != nil {
		s.o.Log.Error("start the window", "err", err)
		s.note(decide.Layout, "The window did not open", err.Error())
		s.mu.Lock()
		s.pending, s.spawnedAt = nil, time.Time{}
		s.mu.Unlock()
	}
}

// windowExited hears how a window process this resident started ended: a
// failure (no display, a crash) goes to the log with the end of its
// stderr and to a notification, and the next "Show panel" tries again at
// once.
func (s *Service) windowExited(code int, stderr string) {
	if code == 0 {
		return
	}
	last := strings.TrimSpace(stderr)
	if i := strings.LastIndexByte(last, '\n'); i >= 0 && !strings.Contains(last, "panic:") {
		last = last[i+1:]
	} else if i := strings.Index(last, "panic:"); i >= 0 {
		last, _, _ = strings.Cut(last[i:], "\n")
	}
	s.o.Log.Error("the window process failed", "exit", code, "stderr", stderr)
	s.note(decide.Layout, "The window did not open", textsafe.Escape(fmt.Sprintf("It exited with code %d: %s", code, last)))
	s.mu.Lock()
	s.pending, s.spawnedAt = nil, time.Time{}
	s.mu.Unlock()
}

// ShowWindow brings the window to the front, starting it if needed.
func (s *Service) ShowWindow() { s.toWindow(ipc.Msg{Op: ipc.OpFocus}) }

// HideWindow closes the window (its process ends; the tray stays).
func (s *Service) HideWindow() {
	s.mu.Lock()
	w := s.win
	s.mu.Unlock()
	if w != nil {
		w.Send(ipc.Msg{Op: ipc.OpClose})
	}
}

// OpenPrefs shows the preferences in the window.
func (s *Service) OpenPrefs() { s.toWindow(ipc.Msg{Op: ipc.OpPrefs}) }

// Jump focuses an agent's pane in WezTerm and selects it in the window
// when one is open.
func (s *Service) Jump(id wezterm.PaneID) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := s.ctl.Jump(ctx, id); err != nil {
		s.o.Log.Warn("jump from the tray", "pane", id, "err", err)
		s.note(decide.Layout, fmt.Sprintf("Pane %d not focused", id), err.Error())
	}
	s.mu.Lock()
	w := s.win
	s.mu.Unlock()
	if w != nil {
		w.Send(ipc.Msg{Op: ipc.OpSelect, Pane: id})
	}
}

// Switch shows a workspace in the WezTerm GUI.
func (s *Service) Switch(ws string) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := s.ctl.Switch(ctx, ws); err != nil {
		s.o.Log.Warn("switch from the tray", "workspace", ws, "err", err)
		s.note(decide.Layout, "Workspace "+textsafe.Quote(ws)+" not shown", err.Error())
	}
}

// Launch opens a layout from the tray. The tray lists the bundled and the
// user's own layouts, which run without asking (project layouts are never
// in it).
func (s *Service) Launch(name string) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	msg, err := s.launch(ctx, name)
	if err != nil {
		s.o.Log.Warn("launch from the tray", "layout", name, "err", err)
		s.note(decide.Layout, "Layout "+name+" failed", err.Error())
		return
	}
	s.o.Log.Info("launched from the tray", "layout", name)
	s.note(decide.Layout, "Layout "+name+" launched", msg)
}

func (s *Service) launch(ctx context.Context, name string) (string, error) {
	prefs := s.prefs()
	dir := ""
	if s.o.Store != nil {
		dir = config.LayoutsDir(prefs, s.o.Store.Path())
	}
	p, err := control.PrepareNamed(name, dir, prefs, control.PrepareOptions{})
	if err != nil {
		return "", err
	}
	if !p.Entry.Trusted() {
		return "", fmt.Errorf("%s is a project layout: launch it from the window, which asks first", name)
	}
	done, err := s.ctl.LaunchPrepared(ctx, p, launch.RunOptions{})
	if err != nil {
		return "", err
	}
	return done.String(), nil
}

// watchPrefs applies hand edits (and the window's) of config.toml.
func (s *Service) watchPrefs(ctx context.Context) {
	s.o.Store.Watch(ctx, config.WatchEvery, func(p config.Preferences) {
		s.mon.SetInterval(p.RefreshInterval)
		if bin := config.ExpandHome(p.WeztermPath); bin != "" && bin != s.bin && s.o.NewClient != nil {
			s.bin = bin
			c := s.o.NewClient(bin)
			s.ctl.SetClient(c)
			s.mon.SetSource(c)
			s.dec.Reset()
		}
	})
}
