package ipc

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/wezterm-parallel/wezterm-parallel/internal/metrics"
	"github.com/wezterm-parallel/wezterm-parallel/internal/monitor"
	"github.com/wezterm-parallel/wezterm-parallel/internal/topology"
	"github.com/wezterm-parallel/wezterm-parallel/internal/wezterm"
)

func TestDir(t *testing.T) {
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	if d, _ := Dir(env(map[string]string{EnvDir: "/x/y"})); d != "/x/y" {
		t.Errorf("override: %s", d)
	}
	if runtime.GOOS == "windows" {
		return
	}
	if d, _ := Dir(env(map[string]string{"XDG_RUNTIME_DIR": "/run/user/7"})); d != "/run/user/7/wezterm-parallel" {
		t.Errorf("xdg: %s", d)
	}
	if d, _ := Dir(env(nil)); !strings.HasPrefix(filepath.Base(d), "wezterm-parallel-") {
		t.Errorf("fallback: %s", d)
	}
}

func TestPrepareRefusesFoldersNotPrivate(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("the profile's ACL is the guard")
	}
	base := t.TempDir()
	ok := filepath.Join(base, "ok")
	if err := Prepare(ok); err != nil {
		t.Fatal(err)
	}
	if fi, _ := os.Stat(ok); fi.Mode().Perm() != 0o700 {
		t.Errorf("made %v", fi.Mode().Perm())
	}
	open := filepath.Join(base, "open")
	os.Mkdir(open, 0o777)
	os.Chmod(open, 0o777)
	if err := Prepare(open); err != nil {
		t.Fatal(err)
	}
	if fi, _ := os.Stat(open); fi.Mode().Perm() != 0o700 {
		t.Errorf("an open folder of ours stays %v", fi.Mode().Perm())
	}
	link := filepath.Join(base, "link")
	os.Symlink(ok, link)
	if err := Prepare(link); err == nil || !strings.Contains(err.Error(), "not a folder") {
		t.Errorf("symlink: %v", err)
	}
	if os.Getuid() == 0 {
		theirs := filepath.Join(base, "theirs")
		os.Mkdir(theirs, 0o700)
		os.Chown(theirs, 65534, 65534)
		if err := Prepare(theirs); err == nil || !strings.Contains(err.Error(), "belongs to uid 65534") {
			t.Errorf("another user's folder: %v", err)
		}
	}
}

func TestLockIsExclusive(t *testing.T) {
	dir := t.TempDir()
	release, ok, err := Lock(dir, Resident)
	if err != nil || !ok {
		t.Fatalf("first: %v %v", ok, err)
	}
	if _, ok, err := Lock(dir, Resident); ok || err != nil {
		t.Fatalf("second while held: ok %v err %v", ok, err)
	}
	if _, ok, _ := Lock(dir, Window); !ok {
		t.Fatal("another name is another lock")
	}
	release()
	if r, ok, _ := Lock(dir, Resident); !ok {
		t.Fatal("after release")
	} else {
		r()
	}
}

func TestRoundTripAndStaleSocket(t *testing.T) {
	dir := t.TempDir()
	// A dead process's socket file is taken over.
	os.WriteFile(Path(dir, Resident), nil, 0o600)
	l, err := Listen(dir, Resident)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	got := make(chan Msg, 1)
	go func() {
		c, err := l.Accept()
		if err != nil {
			return
		}
		m, _ := c.Recv()
		got <- m
		c.Send(Msg{Op: OpPlanned, Seq: m.Seq, Panes: []wezterm.PaneID{0, 3}})
	}()
	c, err := Dial(dir, Resident, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	big := strings.Repeat("ü\x1b", 100_000) // larger than the read buffer, within MaxRequest
	if err := c.Send(Msg{Op: OpPlan, Seq: 7, Text: big, Panes: []wezterm.PaneID{0, 3, 4}}); err != nil {
		t.Fatal(err)
	}
	if m := <-got; m.Op != OpPlan || m.Seq != 7 || m.Text != big || len(m.Panes) != 3 {
		t.Fatalf("server got %q seq %d, %d bytes", m.Op, m.Seq, len(m.Text))
	}
	r, err := c.Recv()
	if err != nil || r.Op != OpPlanned || r.Seq != 7 || len(r.Panes) != 2 || r.Panes[0] != 0 {
		t.Fatalf("reply %+v %v", r, err)
	}
}

func TestHistoriesRebuildFromDeltas(t *testing.T) {
	at := func(i int) metrics.Sample { return metrics.Sample{T: time.Unix(int64(i), 0), CPU: float64(i)} }
	hist := func(from, to int) []metrics.Sample {
		var out []metrics.Sample
		for i := from; i < to; i++ {
			out = append(out, at(i))
		}
		return out
	}
	tree := topology.Tree{}
	full := monitor.Snapshot{Tree: tree, History: map[wezterm.PaneID][]metrics.Sample{1: hist(0, 60), 2: hist(50, 60)},
		SystemHistory: hist(0, 60), Err: nil}
	var h Histories
	s := h.Decode(roundTrip(t, Encode(full, true)))
	if len(s.History[1]) != 60 || len(s.History[2]) != 10 || len(s.SystemHistory) != 60 {
		t.Fatalf("full: %d %d %d", len(s.History[1]), len(s.History[2]), len(s.SystemHistory))
	}
	kept := s.History[1]
	// Next tick: pane 2 is gone, pane 3 new.
	next := monitor.Snapshot{History: map[wezterm.PaneID][]metrics.Sample{1: hist(0, 61), 3: hist(60, 61)}, SystemHistory: hist(0, 61),
		Err: wezterm.ErrNotRunning, Status: monitor.NotRunning}
	w := Encode(next, false)
	if len(w.History[1]) != 1 || len(w.SystemHistory) != 1 {
		t.Fatalf("delta carries %d samples", len(w.History[1]))
	}
	s = h.Decode(roundTrip(t, w))
	if len(s.History[1]) != 60 || s.History[1][0].CPU != 1 || s.History[1][59].CPU != 60 {
		t.Errorf("pane 1 after delta: %d samples, %v..%v", len(s.History[1]), s.History[1][0].CPU, s.History[1][59].CPU)
	}
	if _, ok := s.History[2]; ok || len(s.History[3]) != 1 {
		t.Errorf("gone pane kept or new pane missing: %v", s.History)
	}
	if kept[0].CPU != 0 {
		t.Error("a snapshot handed out earlier changed")
	}
	if s.Err == nil || s.Err.Error() != wezterm.ErrNotRunning.Error() || s.Status != monitor.NotRunning {
		t.Errorf("error: %v %v", s.Err, s.Status)
	}
	// Hidden snapshots carry none, and the next full one starts again.
	if s := h.Decode(roundTrip(t, Encode(monitor.Snapshot{}, false))); s.History != nil {
		t.Error("hidden snapshot has histories")
	}
}

func roundTrip(t *testing.T, w *Snapshot) *Snapshot {
	t.Helper()
	dir := t.TempDir()
	l, err := Listen(dir, Window)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	go func() {
		c, err := Dial(dir, Window, time.Second)
		if err == nil {
			c.Send(Msg{Op: OpSnapshot, Snap: w})
			c.Close()
		}
	}()
	c, err := l.Accept()
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	m, err := c.Recv()
	if err != nil || m.Snap == nil {
		t.Fatalf("recv: %v", err)
	}
	return m.Snap
}
