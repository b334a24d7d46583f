package metrics

import (
	"context"
	"testing"
	"time"
)

func TestRing(t *testing.T) {
	r := NewRing(3)
	for i := 1; i <= 5; i++ {
		r.Push(Sample{CPU: float64(i)})
	}
	got := r.Samples()
	if r.Len() != 3 || r.Cap() != 3 || got[0].CPU != 3 || got[2].CPU != 5 {
		t.Fatalf("ring = %+v", got)
	}
	if NewRing(0).Cap() != 1 {
		t.Error("zero capacity not raised to 1")
	}
	e := NewRing(4)
	e.Push(Sample{CPU: 1})
	if s := e.Samples(); len(s) != 1 || s[0].CPU != 1 {
		t.Errorf("partial ring = %+v", s)
	}
}

func TestBusyPercent(t *testing.T) {
	tests := []struct {
		name      string
		prev, cur cpuTicks
		want      float64
		ok        bool
	}{
		{"half busy", cpuTicks{10, 100}, cpuTicks{60, 200}, 50, true},
		{"idle", cpuTicks{10, 100}, cpuTicks{10, 200}, 0, true},
		{"no time passed", cpuTicks{10, 100}, cpuTicks{10, 100}, 0, false},
		{"counter reset", cpuTicks{10, 100}, cpuTicks{1, 50}, 0, false},
		{"clamped", cpuTicks{0, 100}, cpuTicks{300, 200}, 100, true},
	}
	for _, tt := range tests {
		got, ok := busyPercent(tt.prev, tt.cur)
		if ok != tt.ok || (ok && got != tt.want) {
			t.Errorf("%s: got %v %v, want %v %v", tt.name, got, ok, tt.want, tt.ok)
		}
	}
}

// fakeReader serves a scripted process table.
type fakeReader struct {
	procs []procInfo
}

func (f *fakeReader) read() ([]procInfo, error) { return append([]procInfo(nil), f.procs...), nil }
func (f *fakeReader) fill(*procInfo)            {}
func (f *fakeReader) watch(map[uint64]bool)     {}
func (f *fakeReader) cmdline(pid int32) string  { return "cmd-of-" + string(rune('0'+pid%10)) }
func (f *fakeReader) ttys() bool                { return true }
func (f *fakeReader) Close()                    {}

func TestSamplerTreeAndCPU(t *testing.T) {
	const tty = uint64(136)<<32 | 5
	old := time.Now().Add(-time.Hour)
	r := &fakeReader{procs: []procInfo{
		{PID: 10, PPID: 1, PGID: 10, TPGID: 20, TTY: tty, Name: "bash", CPU: 1, RSS: 100, Start: old, startKey: 1},
		{PID: 20, PPID: 10, PGID: 20, TPGID: 20, TTY: tty, Name: "claude", CPU: 5, RSS: 1000, Start: old, startKey: 2},
		{PID: 30, PPID: 20, PGID: 30, TPGID: 20, TTY: 0, Name: "node", CPU: 2, RSS: 500, Start: old, startKey: 3}, // left the tty (setsid)
		{PID: 40, PPID: 30, PGID: 30, TPGID: 0, TTY: 0, Name: "rg", CPU: 0, RSS: 50, Start: old, startKey: 4},     // child of a child
		{PID: 50, PPID: 1, PGID: 50, TPGID: 0, TTY: 0, Name: "sshd", CPU: 9, RSS: 9, Start: old, startKey: 5},     // not ours
	}}
	s := newSampler(r, Options{History: 5})
	s.ttyCache["/dev/pts/5"] = tty
	refs := []PaneRef{{ID: 7, TTY: "/dev/pts/5"}, {ID: 8, TTY: ""}}
	ctx := context.Background()

	snap, err := s.Sample(ctx, refs)
	if err != nil {
		t.Fatal(err)
	}
	p := snap.Panes[7]
	if !p.Available || p.CPUPercent != nil || p.ProcessCount != 4 || p.RSS != 1650 {
		t.Fatalf("first tick: %+v", p)
	}
	if p.Foreground == nil || p.Foreground.PID != 20 || p.Foreground.Name != "claude" {
		t.Errorf("foreground = %+v", p.Foreground)
	}
	wantOrder := []int32{10, 20, 30, 40}
	for i, pr := range p.Procs {
		if pr.PID != wantOrder[i] || pr.Depth != i {
			t.Errorf("proc %d = pid %d depth %d", i, pr.PID, pr.Depth)
		}
	}
	if snap.Panes[8].Available {
		t.Error("a pane without tty must be unavailable")
	}

	// Second tick: claude used 0.5 s of CPU over the interval; a new process
	// started after the first tick counts from zero.
	time.Sleep(20 * time.Millisecond)
	r.procs[1].CPU = 5.5
	r.procs = append(r.procs, procInfo{PID: 60, PPID: 20, PGID: 20, TPGID: 20, TTY: tty, Name: "git", CPU: 0.1, RSS: 10, Start: time.Now(), startKey: 6})
	snap, _ = s.Sample(ctx, refs)
	p = snap.Panes[7]
	dt := snap.Interval.Seconds()
	if p.CPUPercent == nil {
		t.Fatal("second tick has no CPU")
	}
	want := (0.5 + 0.1) / dt * 100
	if diff := *p.CPUPercent - want; diff > 0.01 || diff < -0.01 {
		t.Errorf("pane CPU = %.2f, want %.2f", *p.CPUPercent, want)
	}
	if len(s.History(7)) != 1 || s.History(8) != nil {
		t.Errorf("history: %d / %v", len(s.History(7)), s.History(8))
	}

	// A pid reused by a different process (new start) is not compared with
	// the old one's CPU.
	r.procs[1] = procInfo{PID: 20, PPID: 10, PGID: 20, TPGID: 20, TTY: tty, Name: "vim", CPU: 0.2, RSS: 1, Start: old, startKey: 99}
	snap, _ = s.Sample(ctx, refs)
	for _, pr := range snap.Panes[7].Procs {
		if pr.PID == 20 && pr.CPUPercent != nil {
			t.Errorf("reused pid got a CPU figure: %v", *pr.CPUPercent)
		}
	}

	// The pane disappears: its history goes.
	snap, _ = s.Sample(ctx, nil)
	if len(snap.Panes) != 0 || s.History(7) != nil {
		t.Errorf("history kept for a vanished pane")
	}
}

func TestJoinArgs(t *testing.T) {
	tests := []struct {
		in   []string
		want string
	}{
		{[]string{"sleep", "5"}, "sleep 5"},
		{[]string{"sh", "-c", "sleep 301; :"}, "sh -c 'sleep 301; :'"},
		{[]string{"echo", "it's"}, `echo 'it'\''s'`},
		{[]string{"x", ""}, "x ''"},
	}
	for _, tt := range tests {
		if got := joinArgs(tt.in); got != tt.want {
			t.Errorf("joinArgs(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
