// Package session wires the window's process, without Fyne: the wezterm
// client (and its swap for another binary or the demo), the feed of
// snapshots (the resident's, or a monitor of the window's own), carrying
// out what the window decides when alone, the window's ipc endpoint and
// the preferences watcher. It gives the window a backend.Backend and tells
// it what happens through a backend.Sink; ui only renders and asks.
package session

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"log/slog"
	"os"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/wezterm-parallel/wezterm-parallel/internal/app"
	"github.com/wezterm-parallel/wezterm-parallel/internal/backend"
	"github.com/wezterm-parallel/wezterm-parallel/internal/config"
	"github.com/wezterm-parallel/wezterm-parallel/internal/control"
	"github.com/wezterm-parallel/wezterm-parallel/internal/decide"
	"github.com/wezterm-parallel/wezterm-parallel/internal/desktop"
	"github.com/wezterm-parallel/wezterm-parallel/internal/execx"
	"github.com/wezterm-parallel/wezterm-parallel/internal/ipc"
	"github.com/wezterm-parallel/wezterm-parallel/internal/monitor"
	"github.com/wezterm-parallel/wezterm-parallel/internal/resident"
	"github.com/wezterm-parallel/wezterm-parallel/internal/restore"
	"github.com/wezterm-parallel/wezterm-parallel/internal/sim"
	"github.com/wezterm-parallel/wezterm-parallel/internal/wezterm"
	"github.com/wezterm-parallel/wezterm-parallel/internal/wsswitch"
)

// Session is the window process's back end.
type Session struct {
	p       app.GUIParams
	ctl     *control.Controller
	feed    *resident.Feed
	dir     string // the runtime folder ("" alone: the demo)
	started time.Time

	mu     sync.Mutex
	client *wezterm.Client
	demo   *sim.Demo
	spend  func() monitor.Spender // the local monitor's, the demo's once it runs
	sink   backend.Sink
	first  bool // the first frame with data was logged
}

// New builds the session for p; Start runs it once the window exists.
func New(p app.GUIParams) *Session {
	if p.Log == nil {
		p.Log = slog.New(slog.DiscardHandler)
	}
	// Fyne and systray report their troubles (a missing notification
	// service, a bus that went away) through the standard logger: into
	// our log file, not onto the user's terminal.
	log.SetOutput(logWriter{p.Log})
	log.SetFlags(0)
	s := &Session{p: p, ctl: control.New(p.Client), client: p.Client, spend: p.NewSpend, started: time.Now()}
	s.dir = p.RuntimeDir
	if p.Demo {
		s.dir = "" // the demo stands alone: the resident watches the real WezTerm
	}
	s.feed = resident.NewFeed(resident.FeedOptions{
		Dir: s.dir, Log: p.Log, Prefs: s.prefs, Layouts: func() []string { return nil }, Snapshots: p.Snapshots,
		Shown:    func() bool { return true }, // this process is the window
		NewLocal: s.newLocal,
		Publish:  s.publish,
		OnMsg:    s.request,
		OnLink:   func(linked bool) { s.sinkOf().Linked(linked) },
	})
	s.ctl.After = s.feed.Kick
	s.ctl.Git = execx.Exec{Log: p.Log}
	return s
}

func (s *Session) prefs() config.Preferences { return s.p.Store.Prefs() }

func (s *Session) sinkOf() backend.Sink {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.sink
}

// newLocal builds the window's own monitor (no resident feeds it).
func (s *Session) newLocal(publish func(monitor.Snapshot)) *monitor.Monitor {
	s.mu.Lock()
	cl, newSpend := s.client, s.spend
	s.mu.Unlock()
	iv := s.p.Interval
	if !s.p.Demo && s.p.Store != nil {
		iv = s.prefs().RefreshInterval // edited since the start
	}
	o := monitor.Options{Source: cl, Interval: iv, Publish: publish, Rules: s.p.AgentRules, Poll: s.prefs().AgentPoll}
	if newSpend != nil {
		o.Spend = newSpend()
	}
	return monitor.Build(o)
}

// publish passes a snapshot to the window, carrying out first what the
// window decided when alone (the resident carries out its own).
func (s *Session) publish(snap monitor.Snapshot, e decide.Effects, linked bool) {
	sink := s.sinkOf()
	if !linked {
		s.ctl.CarryOut(context.Background(), e, func(n decide.Note) { sink.Notify(n.Title, n.Body) },
			func(c control.Carried) { sink.Say(c.String(), c.Err != nil) })
	}
	sink.Snapshot(snap)
	if snap.Status == monitor.Connected {
		s.mu.Lock()
		first := !s.first
		s.first = true
		s.mu.Unlock()
		if first {
			s.p.Log.Info("first frame with data", "since_start", time.Since(s.started).Round(time.Millisecond), "fed", linked)
		}
	}
}

// request passes what the resident or a second start asks to the window.
func (s *Session) request(m ipc.Msg) {
	var r backend.Request
	switch m.Op {
	case ipc.OpFocus:
		r.Op = backend.Focus
	case ipc.OpPrefs:
		r.Op = backend.Prefs
	case ipc.OpSelect:
		r.Op, r.Pane = backend.Select, m.Pane
	case ipc.OpRestore:
		r.Op, r.Snapshot = backend.Restore, m.Text
	case ipc.OpClose, ipc.OpQuit:
		r.Op = backend.Quit
	default:
		return
	}
	s.sinkOf().Request(r)
}

// Backend is what the window may ask.
func (s *Session) Backend() backend.Backend {
	b := backend.Backend{Control: s.ctl, Queue: s.feed, Store: s.p.Store, Hint: s.hint(), HasTray: s.p.HasTray,
		SetDetail: s.feed.SetDetail, SetInterval: s.feed.SetInterval,
		SetWezterm: s.setWezterm, StartWezterm: s.startWezterm, StartDemo: s.startDemo,
		Close: func() {
			// Closing ends this process (its memory goes back); the
			// resident, if any, keeps watching from the tray — unless
			// close_to_tray is off.
			if s.feed.Linked() && !s.prefs().CloseToTray {
				s.feed.QuitResident()
			}
		}}
	if !s.p.Demo {
		b.SnippetMissing, b.InstallSnippet = snippetMissing, s.installSnippet
	}
	if svc := s.p.Restore; svc != nil && !s.p.Demo {
		b.Restore = svc
		b.RestoreRun = func(ctx context.Context, p *restore.Plan, progress func(restore.Event)) (restore.Report, error) {
			s.mu.Lock()
			c := s.client
			s.mu.Unlock()
			return svc.Run(ctx, c, p, progress)
		}
	}
	return b
}

// hint is the status bar's first line: the command line's, and what
// closing does without a tray.
func (s *Session) hint() string {
	if s.p.HasTray {
		return s.p.Hint
	}
	why := s.p.TrayWhy
	if why == "" {
		why = "this desktop shows no tray"
	}
	s.p.Log.Info("no system tray", "why", why)
	if s.p.Hint != "" {
		return s.p.Hint + "  ·  No system tray: closing the window quits."
	}
	return "No system tray: " + why + ". Closing the window quits."
}

// Start feeds the window until ctx ends: call it once the window exists
// (nothing reaches the sink before).
func (s *Session) Start(ctx context.Context, sink backend.Sink) {
	fill(&sink)
	s.mu.Lock()
	s.sink = sink
	s.mu.Unlock()
	s.p.Log.Info("window built", "since_start", time.Since(s.started).Round(time.Millisecond))
	go s.feed.Run(ctx)
	if s.dir != "" {
		// A second `wezterm-parallel` brings this window to the front.
		if l, err := ipc.Listen(s.dir, ipc.Window); err == nil {
			go serve(ctx, l, s.request)
		} else {
			s.p.Log.Warn("window endpoint", "err", err)
		}
	}
	if s.p.Store != nil {
		go s.p.Store.Watch(ctx, config.WatchEvery, func(p config.Preferences) {
			s.feed.SetInterval(p.RefreshInterval)
			sink.Prefs(p)
		})
	}
}

// fill gives a sink's missing funcs ones that do nothing.
func fill(k *backend.Sink) {
	if k.Snapshot == nil {
		k.Snapshot = func(monitor.Snapshot) {}
	}
	if k.Request == nil {
		k.Request = func(backend.Request) {}
	}
	if k.Linked == nil {
		k.Linked = func(bool) {}
	}
	if k.Prefs == nil {
		k.Prefs = func(config.Preferences) {}
	}
	if k.Say == nil {
		k.Say = func(string, bool) {}
	}
	if k.Notify == nil {
		k.Notify = func(string, string) {}
	}
}

// Close stops the demo, if one runs (the window closed, or ctx ended).
func (s *Session) Close() {
	s.mu.Lock()
	d := s.demo
	s.demo = nil
	s.mu.Unlock()
	if d != nil {
		d.Close()
	}
}

// serve answers the window's endpoint: focus and the like from a second
// start.
func serve(ctx context.Context, l *ipc.Listener, handle func(ipc.Msg)) {
	go func() {
		<-ctx.Done()
		l.Close()
	}()
	for {
		c, err := l.Accept()
		if err != nil {
			return
		}
		go func() {
			defer c.Close()
			for {
				m, err := c.Recv()
				if err != nil {
					return
				}
				handle(m)
			}
		}()
	}
}

// swap points the session at another WezTerm.
func (s *Session) swap(nc *wezterm.Client) {
	s.mu.Lock()
	s.client = nc
	s.mu.Unlock()
	s.ctl.SetClient(nc)
	s.feed.SetSource(nc)
	s.feed.Kick()
}

func (s *Session) setWezterm(path string) error {
	if s.p.Store != nil {
		// The resident reads the same file and follows.
		if err := s.p.Store.Update(func(pr *config.Preferences) { pr.WeztermPath = path }); err != nil {
			return err
		}
	}
	s.swap(s.p.NewClient(config.ExpandHome(path), nil))
	return nil
}

func (s *Session) startWezterm(ctx context.Context) error {
	s.mu.Lock()
	c := s.client
	s.mu.Unlock()
	return startWezterm(ctx, c, s.feed.Kick)
}

// startDemo runs the stand-in and switches the window to it, with the
// demo agents' spend (not the user's).
func (s *Session) startDemo(ctx context.Context) (string, error) {
	s.mu.Lock()
	if s.demo != nil {
		defer s.mu.Unlock()
		return s.demo.Socket, nil
	}
	s.mu.Unlock()
	d, err := sim.StartDemo()
	if err != nil {
		return "", fmt.Errorf("start the demo: %w", err)
	}
	s.mu.Lock()
	s.demo = d
	if s.p.DemoSpend != nil {
		s.spend = func() monitor.Spender { return s.p.DemoSpend(d.UsageDir) }
	}
	newSpend := s.spend
	s.mu.Unlock()
	// The resident watches the real WezTerm: the window follows the demo
	// on its own.
	s.feed.Detach()
	if l := s.feed.Local(); l != nil && newSpend != nil {
		l.SetSpend(newSpend())
	}
	s.swap(s.p.NewClient(d.Link, append(os.Environ(), "WEZTERM_UNIX_SOCKET="+d.Socket)))
	return d.Socket, nil
}

func snippetMissing(context.Context) bool {
	f, _ := wsswitch.FindSnippet(os.Getenv)
	return f == ""
}

// installSnippet installs the snippet into the config WezTerm loaded, as
// `lua --install` does.
func (s *Session) installSnippet(ctx context.Context) (string, error) {
	home, err := os.UserHomeDir()
	if err != nil {
		return "", fmt.Errorf("install the snippet: %w", err)
	}
	s.mu.Lock()
	c := s.client
	s.mu.Unlock()
	var l wsswitch.Lister
	if c != nil {
		l = c
	}
	path, _ := wsswitch.Target(ctx, l, os.Getenv, home)
	r, err := wsswitch.Install(path, home, runtime.GOOS == "windows", time.Now())
	if err != nil {
		return "", err
	}
	return r.Summary(), nil
}

// startWezterm starts WezTerm with the client's own environment (so it
// listens where the app looks) and waits until it answers, up to 5 s.
func startWezterm(ctx context.Context, c *wezterm.Client, kick func()) error {
	if err := execx.Detach([]string{c.Bin(), "start"}, c.Env()); err != nil {
		return fmt.Errorf("start WezTerm: %w", err)
	}
	deadline := time.Now().Add(5 * time.Second)
	var last error
	for time.Now().Before(deadline) {
		_, err := c.List(ctx)
		if err == nil {
			kick()
			return nil
		}
		last = err
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(250 * time.Millisecond):
		}
	}
	if errors.Is(last, wezterm.ErrNotRunning) {
		return fmt.Errorf("WezTerm was started but does not answer after 5 s (is it on another display, or another socket?)")
	}
	return fmt.Errorf("WezTerm was started but does not answer after 5 s: %w", last)
}

// Resident builds the tray process's service for p: its notifications
// through the desktop's notifier, the window started (and watched) from
// p.WindowArgv.
func Resident(p app.GUIParams, log *slog.Logger) *resident.Service {
	notifier := desktop.Notifier{Run: execx.Exec{Log: log}, App: "wezterm-parallel"}
	var spend monitor.Spender
	if p.NewSpend != nil {
		spend = p.NewSpend()
	}
	return resident.New(resident.Options{
		Client: p.Client, NewClient: func(bin string) *wezterm.Client { return p.NewClient(bin, nil) },
		Store: p.Store, Interval: p.Interval, AgentRules: p.AgentRules, Calls: p.Calls, Log: log, Dir: p.RuntimeDir,
		Notify:      notifier.Notify,
		StartWindow: func(exited func(int, string)) error { return execx.DetachWatched(p.WindowArgv, nil, exited) },
		HasTray:     true,
		Spend:       spend,
		Restore:     p.Restore,
	})
}

// logWriter sends standard-logger lines to the app's log.
type logWriter struct{ l *slog.Logger }

func (w logWriter) Write(b []byte) (int, error) {
	w.l.Warn("fyne", "msg", strings.TrimSpace(string(b)))
	return len(b), nil
}

var _ io.Writer = logWriter{}
