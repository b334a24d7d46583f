package metrics

import (
	"os/exec"
	"testing"
)

func TestParseStat(t *testing.T) {
	tests := []struct {
		name string
		line string
		ok   bool
		want procInfo
	}{
		{"plain", "1234 (bash) S 1 1234 1234 34821 5678 4194560 1 2 3 4 150 50 0 0 20 0 1 0 999 1000 321 18446744073709551615",
			true, procInfo{PID: 1234, PPID: 1, PGID: 1234, TPGID: 5678, Name: "bash", State: "sleeping", CPU: 2, RSS: 321, startKey: 999}},
		{"comm with spaces and parens", "77 (tmux: (server) x) R 1 77 77 0 -1 0 0 0 0 0 7 3 0 0 20 0 1 0 5 0 12",
			true, procInfo{PID: 77, PPID: 1, PGID: 77, TPGID: -1, Name: "tmux: (server) x", State: "running", CPU: 0.1, RSS: 12, startKey: 5}},
		{"truncated", "1 (x) S 1 2", false, procInfo{}},
		{"garbage", "not a stat line", false, procInfo{}},
		{"bad number", "1 (x) S 1 x 1 0 -1 0 0 0 0 0 7 3 0 0 20 0 1 0 5 0 12", false, procInfo{}},
	}
	for _, tt := range tests {
		got, ok := parseStat([]byte(tt.line))
		if ok != tt.ok {
			t.Errorf("%s: ok = %v", tt.name, ok)
			continue
		}
		if !ok {
			continue
		}
		got.TTY, got.filled = 0, false
		if got != tt.want {
			t.Errorf("%s:\n got %+v\nwant %+v", tt.name, got, tt.want)
		}
	}
	// tty_nr 34821 is major 136, minor 5: /dev/pts/5.
	if p, _ := parseStat([]byte(tests[0].line)); p.TTY != uint64(136)<<32|5 {
		t.Errorf("tty = %x", p.TTY)
	}
}

func FuzzParseStat(f *testing.F) {
	f.Add([]byte("1234 (bash) S 1 1234 1234 34821 5678 4194560 1 2 3 4 150 50 0 0 20 0 1 0 999 1000 321 0"))
	f.Add([]byte("1 ((() R"))
	f.Fuzz(func(t *testing.T, b []byte) {
		p, ok := parseStat(b)
		if ok && (p.CPU < 0 || p.Name == "" && len(b) == 0) {
			t.Fatalf("accepted %q as %+v", b, p)
		}
	})
}

// The reader keeps stat files open between ticks; an exited process must
// drop out (and its descriptor close) on the next read.
func TestReaderDropsExitedProcesses(t *testing.T) {
	r := newReader().(*linuxReader)
	defer r.Close()
	cmd := exec.Command("sleep", "60")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	pid := int32(cmd.Process.Pid)
	has := func() bool {
		procs, err := r.read()
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range procs {
			if p.PID == pid {
				return p.Name == "sleep"
			}
		}
		return false
	}
	if !has() || r.fds[pid] == 0 {
		t.Fatal("running process not read or not kept open")
	}
	if !has() {
		t.Fatal("second read through the kept descriptor lost the process")
	}
	cmd.Process.Kill()
	cmd.Wait()
	if has() {
		t.Fatal("exited process still listed")
	}
	if _, ok := r.fds[pid]; ok {
		t.Fatal("descriptor of an exited process kept")
	}
}
