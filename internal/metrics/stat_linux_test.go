package metrics

import (
	"os/exec"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/creack/pty"
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

// onPTY starts argv on a new terminal, as a pane's program; it returns the
// command and the terminal's key.
func onPTY(t *testing.T, argv ...string) (*exec.Cmd, uint64) {
	t.Helper()
	ptmx, tty, err := pty.Open()
	if err != nil {
		t.Skip("no ptys:", err)
	}
	t.Cleanup(func() { ptmx.Close() })
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = tty, tty, tty
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Setctty: true}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	tty.Close()
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	id, err := ttyID(tty.Name())
	if err != nil {
		t.Fatal(err)
	}
	return cmd, id
}

func readHas(t *testing.T, r *linuxReader, pid int32) bool {
	t.Helper()
	procs, err := r.read()
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range procs {
		if p.PID == pid {
			return true
		}
	}
	return false
}

// The reader keeps pane processes' stat files open between ticks; an
// exited process must drop out (and its descriptor close) on the next read.
func TestReaderDropsExitedProcesses(t *testing.T) {
	r := newReader().(*linuxReader)
	defer r.Close()
	cmd, tty := onPTY(t, "sleep", "60")
	r.watch(map[uint64]bool{tty: true})
	pid := int32(cmd.Process.Pid)
	if !readHas(t, r, pid) || r.fds[pid] == 0 {
		t.Fatal("running pane process not read or not kept open")
	}
	if !readHas(t, r, pid) {
		t.Fatal("second read through the kept descriptor lost the process")
	}
	cmd.Process.Kill()
	cmd.Wait()
	if readHas(t, r, pid) {
		t.Fatal("exited process still listed")
	}
	if _, ok := r.fds[pid]; ok {
		t.Fatal("descriptor of an exited process kept")
	}
}

// Processes that are not a pane's are classified once and then left
// alone: a tick reads only pane processes (and newcomers for a moment).
// A terminal that becomes a pane's later is found by a full pass.
func TestReaderReadsOnlyPaneProcesses(t *testing.T) {
	r := newReader().(*linuxReader)
	defer r.Close()
	clock := time.Now()
	r.now = func() time.Time { return clock }
	other := exec.Command("sleep", "60") // no terminal: not a pane's
	if err := other.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { other.Process.Kill(); other.Wait() })
	pane, tty := onPTY(t, "sh", "-c", "sleep 60 & wait")
	later, laterTTY := onPTY(t, "sleep", "60")
	// The shell's child must exist before the first pass (a busy machine
	// may not have forked it yet).
	for i := 0; i < 100; i++ {
		if out, _ := exec.Command("pgrep", "-P", strconv.Itoa(pane.Process.Pid)).Output(); len(out) > 0 {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	r.watch(map[uint64]bool{tty: true})
	if readHas(t, r, int32(other.Process.Pid)) || !readHas(t, r, int32(pane.Process.Pid)) {
		t.Fatal("first pass: wrong classification")
	}
	clock = clock.Add(newcomer + time.Second)
	r.read() // past the newcomer window
	reads := r.statReads
	procs, _ := r.read()
	// Processes another program starts meanwhile are newcomers, read once
	// (on a busy machine, a few).
	if n := r.statReads - reads; n < len(procs) || n > len(procs)+4 {
		t.Errorf("an incremental tick read %d stat files for %d pane processes", n, len(procs))
	}
	found := false
	for _, p := range procs {
		found = found || p.PPID == int32(pane.Process.Pid) // the sh's sleep child
	}
	if !found {
		t.Error("a pane process's child is not read")
	}
	// A new pane whose terminal was seen before it was a pane's.
	r.watch(map[uint64]bool{tty: true, laterTTY: true})
	if !readHas(t, r, int32(later.Process.Pid)) {
		t.Error("the new pane's process was not found")
	}
}
