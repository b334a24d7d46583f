//go:build unix

package resident

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wezterm-parallel/wezterm-parallel/internal/agents"
	"github.com/wezterm-parallel/wezterm-parallel/internal/config"
	"github.com/wezterm-parallel/wezterm-parallel/internal/decide"
	"github.com/wezterm-parallel/wezterm-parallel/internal/execx"
	"github.com/wezterm-parallel/wezterm-parallel/internal/ipc"
	"github.com/wezterm-parallel/wezterm-parallel/internal/ipc/ipctest"
	"github.com/wezterm-parallel/wezterm-parallel/internal/metrics"
	"github.com/wezterm-parallel/wezterm-parallel/internal/monitor"
	"github.com/wezterm-parallel/wezterm-parallel/internal/restore"
	"github.com/wezterm-parallel/wezterm-parallel/internal/sim"
	"github.com/wezterm-parallel/wezterm-parallel/internal/sim/simtest"
	"github.com/wezterm-parallel/wezterm-parallel/internal/snapshot"
	"github.com/wezterm-parallel/wezterm-parallel/internal/wezterm"
)

func TestMain(m *testing.M) {
	ipctest.Main()
	simtest.Main(m)
}

var fakeRules, _ = agents.ParseRules("t.toml", []byte("[[agents]]\nname = \"fake\"\nprocess = ['fake-agent']\n"+
	"waiting = ['Do you want to proceed\\?']\n"))

// rig: a stand-in, a resident on it, and a window's feed.
type rig struct {
	env     *simtest.Env
	dir     string
	calls   *execx.Counter
	started chan struct{}

	mu       sync.Mutex
	snaps    []monitor.Snapshot
	linked   []bool
	msgs     []ipc.Msg
	notes    []string
	locals   int
	lastLink bool
	exited   func(int, string) // how the last window started ends

	restore        *restore.Service // for the resident (nil: none)
	residentWriter *snapshot.Writer // for the resident (nil: from restore)
	writer         *snapshot.Writer // for the feed alone (nil: none)
}

func newRig(t *testing.T) *rig {
	env := simtest.Start(t, sim.Config{})
	return &rig{env: env, dir: t.TempDir(), calls: execx.NewCounter(execx.Exec{}), started: make(chan struct{}, 10)}
}

func (r *rig) resident(t *testing.T, ctx context.Context) (*Service, chan error) {
	t.Helper()
	release, held, err := Claim(r.dir, ipc.Resident)
	if err != nil || held {
		t.Fatalf("claim: held %v err %v", held, err)
	}
	c := wezterm.New(r.env.Link, r.calls, wezterm.WithEnv(r.env.Env), wezterm.WithTimeout(10*time.Second))
	s := New(Options{Client: c, Interval: 200 * time.Millisecond, AgentRules: fakeRules, Calls: r.calls, Dir: r.dir,
		Notify: func(title, body string) error {
			r.mu.Lock()
			r.notes = append(r.notes, title)
			r.mu.Unlock()
			return nil
		},
		StartWindow: func(exited func(int, string)) error {
			r.mu.Lock()
			r.exited = exited
			r.mu.Unlock()
			r.started <- struct{}{}
			return nil
		}, Restore: r.restore, Snapshots: r.residentWriter})
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx); release() }()
	simtest.Eventually(t, "the resident answers", func() bool { return Running(r.dir) })
	return s, done
}

func (r *rig) feed(t *testing.T) *Feed {
	c := r.env.Client()
	return NewFeed(FeedOptions{Dir: r.dir, Retry: 200 * time.Millisecond, Snapshots: r.writer,
		NewLocal: func(publish func(monitor.Snapshot)) *monitor.Monitor {
			r.mu.Lock()
			r.locals++
			r.mu.Unlock()
			return monitor.New(c, metrics.New(metrics.Options{}), 200*time.Millisecond, publish)
		},
		Publish: func(s monitor.Snapshot, _ decide.Effects, linked bool) {
			r.mu.Lock()
			r.snaps = append(r.snaps, s)
			r.linked = append(r.linked, linked)
			r.mu.Unlock()
		},
		Prefs: config.Defaults, Layouts: func() []string { return nil }, Shown: func() bool { return true },
		OnMsg: func(m ipc.Msg) {
			r.mu.Lock()
			r.msgs = append(r.msgs, m)
			r.mu.Unlock()
		},
		OnLink: func(l bool) {
			r.mu.Lock()
			r.lastLink = l
			r.mu.Unlock()
		}})
}

func (r *rig) last() (monitor.Snapshot, bool, int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.snaps) == 0 {
		return monitor.Snapshot{}, false, 0
	}
	return r.snaps[len(r.snaps)-1], r.linked[len(r.linked)-1], len(r.snaps)
}

func (r *rig) gotMsg(op string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, m := range r.msgs {
		if m.Op == op {
			return true
		}
	}
	return false
}

// TestWindowAndResidentSurviveEachOther: the window is fed by the
// resident (and polls nothing itself), polls on its own when the resident
// dies, and is fed again when a resident comes back; the resident goes
// back to its hidden cadence when the window closes.
func TestWindowAndResidentSurviveEachOther(t *testing.T) {
	r := newRig(t)
	id, err := r.env.Client().Spawn(context.Background(), wezterm.SpawnOptions{Program: []string{"sleep", "300"}})
	if err != nil {
		t.Fatal(err)
	}
	rctx, stopResident := context.WithCancel(context.Background())
	_, done := r.resident(t, rctx)
	f := r.feed(t)
	wctx, closeWindow := context.WithCancel(context.Background())
	fdone := make(chan struct{})
	go func() { f.Run(wctx); close(fdone) }()
	f.SetDetail(id)
	simtest.Eventually(t, "a fed snapshot with histories and the detail", func() bool {
		s, linked, _ := r.last()
		return linked && len(s.Tree.Panes()) == 1 && len(s.History[id]) >= 2 && len(s.DetailProcs) == 1
	})
	r.mu.Lock()
	locals := r.locals
	r.mu.Unlock()
	if locals != 0 {
		t.Errorf("the window started %d monitors of its own while fed", locals)
	}
	// The resident dies: the window polls on its own.
	stopResident()
	<-done
	simtest.Eventually(t, "the window polling alone", func() bool {
		s, linked, _ := r.last()
		r.mu.Lock()
		lastLink := r.lastLink // written by the feed's goroutine
		r.mu.Unlock()
		return !linked && !lastLink && s.Status == monitor.Connected && len(s.Tree.Panes()) == 1
	})
	// A resident comes back: the window is fed again, its own monitor stops.
	rctx2, stopResident2 := context.WithCancel(context.Background())
	defer stopResident2()
	_, done2 := r.resident(t, rctx2)
	simtest.Eventually(t, "fed again", func() bool {
		_, linked, _ := r.last()
		return linked && f.Local() == nil
	})
	st, err := AskStats(r.dir)
	if err != nil || !st.Window || st.Wezterm.Since == 0 {
		t.Fatalf("stats while the window is open: %+v %v", st, err)
	}
	// The window closes: the resident keeps running, hidden.
	closeWindow()
	<-fdone
	simtest.Eventually(t, "the resident notices the window closed", func() bool {
		st, err := AskStats(r.dir)
		return err == nil && !st.Window
	})
	stopResident2()
	<-done2
}

// TestTrayAsksForTheWindow: "Show panel" with no window starts one (once,
// however often it is clicked) and the window gets the request when it
// connects; Quit reaches the window.
func TestTrayAsksForTheWindow(t *testing.T) {
	r := newRig(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	s, done := r.resident(t, ctx)
	s.ShowWindow()
	s.OpenPrefs()
	select {
	case <-r.started:
	case <-time.After(5 * time.Second):
		t.Fatal("no window started")
	}
	select {
	case <-r.started:
		t.Fatal("a second window started while the first was on its way")
	case <-time.After(100 * time.Millisecond):
	}
	f := r.feed(t)
	go f.Run(ctx)
	simtest.Eventually(t, "focus and prefs delivered on connect", func() bool { return r.gotMsg(ipc.OpFocus) && r.gotMsg(ipc.OpPrefs) })
	s.Quit()
	simtest.Eventually(t, "quit reaches the window", func() bool { return r.gotMsg(ipc.OpQuit) })
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

// TestBroadcastQueuedInTheResident: a prompt for a working agent, sent
// from the window, waits in the resident (it survives the window) and is
// typed when the agent asks.
func TestBroadcastQueuedInTheResident(t *testing.T) {
	r := newRig(t)
	c := r.env.Client()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	id, err := c.Spawn(ctx, wezterm.SpawnOptions{NewWindow: true,
		Program: []string{r.env.Link, "fake-agent", "--work", "3s", "--name", "busy"}})
	if err != nil {
		t.Fatal(err)
	}
	r.resident(t, ctx)
	f := r.feed(t)
	wctx, closeWindow := context.WithCancel(ctx)
	go f.Run(wctx)
	simtest.Eventually(t, "the agent seen working", func() bool {
		s, linked, _ := r.last()
		for _, p := range s.Tree.Panes() {
			if linked && p.ID == id && p.Agent != nil && p.Agent.Status == agents.Working {
				return true
			}
		}
		return false
	})
	s, _, _ := r.last()
	now, queued := f.Plan(time.Now(), s.Tree, []wezterm.PaneID{id}, "ship it")
	if len(now) != 0 || len(queued) != 1 || len(f.Queued()) != 1 {
		t.Fatalf("plan: now %v queued %v (feed %v)", now, queued, f.Queued())
	}
	closeWindow() // the resident still holds the prompt
	simtest.Eventually(t, "the prompt typed once the agent asks", func() bool {
		text, _ := c.GetText(ctx, id, wezterm.GetTextOptions{})
		return containsLine(text, "got: ship it")
	})
}

func containsLine(text, want string) bool {
	for i := 0; i+len(want) <= len(text); i++ {
		if text[i:i+len(want)] == want {
			return true
		}
	}
	return false
}

// A window the tray started that fails to open (no display, a crash) is
// not swallowed: the log and a notification say why, and the next "Show
// panel" starts another at once instead of waiting for the first.
func TestWindowThatFailsToOpenIsReported(t *testing.T) {
	r := newRig(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	s, _ := r.resident(t, ctx)
	s.ShowWindow()
	<-r.started
	s.ShowWindow() // one is on its way: not another
	select {
	case <-r.started:
		t.Fatal("a second window was started while the first was on its way")
	case <-time.After(100 * time.Millisecond):
	}
	r.mu.Lock()
	exited := r.exited
	r.mu.Unlock()
	exited(2, "goroutine 1 [running]:\npanic: NotInitialized: The GLFW library is not initialized\n\ngoroutine 1\n")
	r.mu.Lock()
	notes := strings.Join(r.notes, "|")
	r.mu.Unlock()
	if !strings.Contains(notes, "The window did not open") {
		t.Errorf("notes %q", notes)
	}
	s.ShowWindow()
	select {
	case <-r.started:
	case <-time.After(5 * time.Second):
		t.Fatal("after a failed window, Show panel did not try again")
	}
}
