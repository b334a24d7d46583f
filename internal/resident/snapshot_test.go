//go:build unix

package resident

import (
	"context"
	"testing"
	"time"

	"github.com/wezterm-parallel/wezterm-parallel/internal/ipc"
	"github.com/wezterm-parallel/wezterm-parallel/internal/restore"
	"github.com/wezterm-parallel/wezterm-parallel/internal/sim/simtest"
	"github.com/wezterm-parallel/wezterm-parallel/internal/snapshot"
	"github.com/wezterm-parallel/wezterm-parallel/internal/tray"
	"github.com/wezterm-parallel/wezterm-parallel/internal/wezterm"
)

func twoPanes(t *testing.T, r *rig) {
	c := r.env.Client()
	for _, ws := range []string{"a", "b"} {
		if _, err := c.Spawn(context.Background(), wezterm.SpawnOptions{NewWindow: true, Workspace: ws, Program: []string{"sleep", "300"}}); err != nil {
			t.Fatal(err)
		}
	}
}

func stored(st *snapshot.Store, panes int) func() bool {
	return func() bool {
		infos, _ := st.List()
		return len(infos) > 0 && infos[0].Summary.Panes == panes
	}
}

// TestResidentKeepsSnapshots: the resident writes the running state into
// the snapshots folder by itself, offers a restore in its tray menu, and
// its restore item opens the window's restore dialog.
func TestResidentKeepsSnapshots(t *testing.T) {
	r := newRig(t)
	twoPanes(t, r)
	st := snapshot.Open(t.TempDir())
	r.restore = &restore.Service{Store: st, Rules: fakeRules}
	r.residentWriter = snapshot.NewWriter(st, "resident")
	r.residentWriter.Debounce = 300 * time.Millisecond
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	s, _ := r.resident(t, ctx)
	simtest.Eventually(t, "a snapshot of the two panes", stored(st, 2))
	r.restore.Forget()
	var m tray.Model
	simtest.Eventually(t, "the tray's restore item", func() bool {
		select {
		case m = <-s.Tray():
		default:
		}
		return m.Restore == "Restore a snapshot…"
	})
	s.Restore("20261207T104200Z")
	select {
	case <-r.started:
	case <-time.After(5 * time.Second):
		t.Fatal("no window started for the restore dialog")
	}
	f := r.feed(t)
	go f.Run(ctx)
	simtest.Eventually(t, "the restore dialog asked of the window", func() bool {
		r.mu.Lock()
		defer r.mu.Unlock()
		for _, m := range r.msgs {
			if m.Op == ipc.OpRestore && m.Text == "20261207T104200Z" {
				return true
			}
		}
		return false
	})
}

// TestWindowAloneKeepsSnapshots: with no resident, the window's own
// monitor keeps the snapshots (FeedOptions.Snapshots).
func TestWindowAloneKeepsSnapshots(t *testing.T) {
	r := newRig(t)
	twoPanes(t, r)
	st := snapshot.Open(t.TempDir())
	r.writer = snapshot.NewWriter(st, "window")
	r.writer.Debounce = 300 * time.Millisecond
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	f := r.feed(t)
	go f.Run(ctx)
	simtest.Eventually(t, "a snapshot written by the window alone", stored(st, 2))
	infos, _ := st.List()
	if infos[0].Source != "window" {
		t.Errorf("source %q", infos[0].Source)
	}
}
