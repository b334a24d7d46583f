//go:build unix

package monitor

import (
	"context"
	"errors"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/wezterm-parallel/wezterm-parallel/internal/execx"
	"github.com/wezterm-parallel/wezterm-parallel/internal/metrics"
	"github.com/wezterm-parallel/wezterm-parallel/internal/sim"
	"github.com/wezterm-parallel/wezterm-parallel/internal/sim/simtest"
	"github.com/wezterm-parallel/wezterm-parallel/internal/wezterm"
)

func TestMain(m *testing.M) { simtest.Main(m) }

func TestStepAgainstStandIn(t *testing.T) {
	env := simtest.Start(t, sim.Config{})
	c := env.Client()
	id, err := c.Spawn(context.Background(), wezterm.SpawnOptions{Program: []string{"sleep", "300"}})
	if err != nil {
		t.Fatal(err)
	}
	s := metrics.New(metrics.Options{})
	defer s.Close()
	m := New(c, s, time.Second, nil)
	m.SetDetail(id)
	first := m.Step(context.Background())
	if first.Status != Connected || first.Version != sim.DefaultVersion || len(first.Tree.Panes()) != 1 {
		t.Fatalf("first: %+v", first)
	}
	p := first.Tree.Panes()[0]
	if p.Usage == nil || p.RSSBytes == nil || p.CPUPercent != nil {
		t.Errorf("first tick usage: %+v", p.Usage)
	}
	if len(first.DetailProcs) != 1 || first.DetailProcs[0].Name != "sleep" {
		t.Errorf("detail procs: %+v", first.DetailProcs)
	}
	time.Sleep(50 * time.Millisecond) // let /proc/stat's counters (10 ms steps) move
	second := m.Step(context.Background())
	if second.Tree.Panes()[0].CPUPercent == nil || len(second.History[id]) != 1 || len(second.SystemHistory) != 1 {
		t.Errorf("second tick: cpu %v, history %d/%d", second.Tree.Panes()[0].CPUPercent, len(second.History[id]), len(second.SystemHistory))
	}
	env.Server.Kill()
	if down := m.Step(context.Background()); down.Status != NotRunning || !errors.Is(down.Err, wezterm.ErrNotRunning) {
		t.Errorf("after kill: %v %v", down.Status, down.Err)
	}
	missing := New(wezterm.New(filepath.Join(t.TempDir(), "wezterm"), execx.Exec{}), s, time.Second, nil)
	if st := missing.Step(context.Background()).Status; st != NotInstalled {
		t.Errorf("missing binary: %v", st)
	}
}

// fakeSource counts calls and fails as told.
type fakeSource struct {
	mu    sync.Mutex
	calls int
	err   error
}

func (f *fakeSource) Version(context.Context) (wezterm.Version, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls++
	return wezterm.ParseVersion("wezterm 20240203-110809-5046fc22"), f.err
}
func (f *fakeSource) List(context.Context) ([]wezterm.Pane, error)              { return nil, nil }
func (f *fakeSource) ListClients(context.Context) ([]wezterm.ClientInfo, error) { return nil, nil }
func (f *fakeSource) GetText(context.Context, wezterm.PaneID, wezterm.GetTextOptions) (string, error) {
	return "", nil
}

func TestRunPublishesKicksAndBacksOff(t *testing.T) {
	src := &fakeSource{err: wezterm.ErrNotRunning}
	got := make(chan Snapshot, 100)
	m := New(src, metrics.New(metrics.Options{}), 50*time.Millisecond, func(s Snapshot) { got <- s })
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { m.Run(ctx); close(done) }()
	first := <-got
	if first.Status != Failing && first.Status != NotRunning {
		t.Errorf("status %v", first.Status)
	}
	// Failing: the wait doubles, so a kick is what makes the next tick
	// come quickly.
	m.Kick()
	select {
	case <-got:
	case <-time.After(5 * time.Second):
		t.Fatal("kick did not cause a tick")
	}
	cancel()
	<-done
}

func TestHiddenSnapshotsCarryNoHistory(t *testing.T) {
	env := simtest.Start(t, sim.Config{})
	c := env.Client()
	id, _ := c.Spawn(context.Background(), wezterm.SpawnOptions{Program: []string{"sleep", "300"}})
	m := New(c, metrics.New(metrics.Options{}), time.Second, nil)
	m.SetDetail(id)
	m.SetHidden(true)
	m.Step(context.Background())
	s := m.Step(context.Background())
	if s.History != nil || s.DetailProcs != nil || len(s.Tree.Panes()) != 1 || s.Tree.Panes()[0].Usage == nil {
		t.Errorf("light snapshot: history %v, procs %v, panes %d", s.History, s.DetailProcs, len(s.Tree.Panes()))
	}
}
