//go:build unix

package resident

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/wezterm-parallel/wezterm-parallel/internal/ipc"
	"github.com/wezterm-parallel/wezterm-parallel/internal/monitor"
)

// fakeResident listens as the resident and does what script says with
// each connection.
func fakeResident(t *testing.T, dir string, script func(c *ipc.Conn)) {
	t.Helper()
	l, err := ipc.Listen(dir, ipc.Resident)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			go script(c)
		}
	}()
}

// TestWindowLeavesASilentResident: a resident that never answers hello
// (its accept loop gone, the connection left in the backlog) or that
// stops mid-way (stopped with SIGSTOP, frozen) leaves the window polling
// on its own within two missed beats; meanwhile what it shows is marked
// stale, never passed off as fed.
func TestWindowLeavesASilentResident(t *testing.T) {
	for _, tc := range []struct {
		name   string
		script func(c *ipc.Conn)
		stale  bool // a fed picture was shown, then marked stale
	}{
		{"never answers hello", func(c *ipc.Conn) {
			for {
				if _, err := c.Recv(); err != nil {
					return
				}
			}
		}, false},
		{"stops after a snapshot", func(c *ipc.Conn) {
			c.Recv() // hello
			c.Send(ipc.Msg{Op: ipc.OpBeat})
			c.Send(ipc.Msg{Op: ipc.OpSnapshot, Snap: ipc.Encode(monitor.Snapshot{Time: time.Now(), Version: "fed"}, false)})
			for {
				if _, err := c.Recv(); err != nil {
					return
				}
			}
		}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newRig(t)
			fakeResident(t, r.dir, tc.script)
			f := r.feed(t)
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			start := time.Now()
			go f.Run(ctx)
			wait := func(what string, cond func() bool) {
				t.Helper()
				for deadline := time.Now().Add(15 * time.Second); !cond(); time.Sleep(30 * time.Millisecond) {
					if time.Now().After(deadline) {
						t.Fatalf("not within 15 s: %s", what)
					}
				}
			}
			wait("the window's own monitor started", func() bool { return f.Local() != nil })
			if took := time.Since(start); took > 2*ipc.BeatEvery+3*time.Second {
				t.Errorf("fell back after %v", took)
			}
			wait("the window polling on its own", func() bool {
				s, linked, _ := r.last()
				return !linked && s.Status == monitor.Connected && f.Local() != nil
			})
			r.mu.Lock()
			defer r.mu.Unlock()
			sawStale, sawFed := false, false
			for i, s := range r.snaps {
				if r.linked[i] && s.Status == monitor.Stale {
					sawStale = true
					if !strings.Contains(s.Err.Error(), "stopped answering") || s.NextTry.IsZero() {
						t.Errorf("stale snapshot: %v, next try %v", s.Err, s.NextTry)
					}
				}
				sawFed = sawFed || (r.linked[i] && s.Status == monitor.Connected)
			}
			if sawStale != tc.stale || sawFed != tc.stale {
				t.Errorf("stale shown %v, fed shown %v; want %v", sawStale, sawFed, tc.stale)
			}
		})
	}
}

// TestALiveResidentKeepsTheWindowFed: the resident's beats keep a window
// fed past two beats even when nothing else is sent, and nothing shows as
// stale.
func TestALiveResidentKeepsTheWindowFed(t *testing.T) {
	r := newRig(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	r.resident(t, ctx)
	f := r.feed(t)
	go f.Run(ctx)
	deadline := time.Now().Add(10 * time.Second)
	for !f.Linked() {
		if time.Now().After(deadline) {
			t.Fatal("not fed within 10 s")
		}
		time.Sleep(30 * time.Millisecond)
	}
	time.Sleep(2*ipc.BeatEvery + 2*time.Second)
	if !f.Linked() {
		t.Fatal("the window left a live resident")
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	for i, s := range r.snaps {
		if s.Status == monitor.Stale || (i > 0 && r.linked[i-1] && !r.linked[i]) {
			t.Fatalf("snapshot %d: status %v, linked %v", i, s.Status, r.linked[i])
		}
	}
}
