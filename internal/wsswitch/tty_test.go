//go:build linux

package wsswitch

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/creack/pty"
	"golang.org/x/sys/unix"

	"github.com/wezterm-parallel/wezterm-parallel/internal/wezterm"
)

func openPTY(t *testing.T) (master, slave *os.File) {
	t.Helper()
	m, s, err := pty.Open()
	if err != nil {
		t.Skip("no ptys:", err)
	}
	t.Cleanup(func() { m.Close(); s.Close() })
	// Raw, so what is written arrives as it is.
	if tio, err := unix.IoctlGetTermios(int(s.Fd()), unix.TCGETS); err == nil {
		tio.Oflag &^= unix.OPOST
		unix.IoctlSetTermios(int(s.Fd()), unix.TCSETS, tio)
	}
	return m, s
}

// readable waits up to d for f to have input (a pty master's file here
// may not honour read deadlines, so poll).
func readable(f *os.File, d time.Duration) bool {
	fds := []unix.PollFd{{Fd: int32(f.Fd()), Events: unix.POLLIN}}
	n, err := unix.Poll(fds, int(d/time.Millisecond))
	return err == nil && n > 0
}

func readSome(t *testing.T, f *os.File) string {
	t.Helper()
	if !readable(f, 2*time.Second) {
		return ""
	}
	buf := make([]byte, 256)
	n, _ := f.Read(buf)
	return string(buf[:n])
}

// The switcher writes only to a terminal of this user: a regular file (or
// anything else) WezTerm reports as tty_name is left untouched.
func TestWriteTTYRefusesWhatIsNotYourTerminal(t *testing.T) {
	dir := t.TempDir()
	regular := filepath.Join(dir, "notes.txt")
	os.WriteFile(regular, []byte("my precious notes\n"), 0o600)
	if err := writeTTY(regular, Sequence("x")); err == nil || !strings.Contains(err.Error(), "not a terminal") {
		t.Errorf("regular file: %v", err)
	}
	if data, _ := os.ReadFile(regular); string(data) != "my precious notes\n" {
		t.Fatalf("the file was written: %q", data)
	}
	if err := writeTTY("/dev/null", Sequence("x")); err == nil || !strings.Contains(err.Error(), "not a terminal") {
		t.Errorf("/dev/null: %v", err)
	}
	fifo := filepath.Join(dir, "fifo")
	if unix.Mkfifo(fifo, 0o600) == nil {
		if err := writeTTY(fifo, Sequence("x")); err == nil {
			t.Error("wrote to a FIFO")
		}
	}
	_, s := openPTY(t)
	if os.Geteuid() == 0 {
		os.Chown(s.Name(), 12345, -1)
		if err := writeTTY(s.Name(), Sequence("x")); err == nil || !strings.Contains(err.Error(), "belongs to uid 12345") {
			t.Errorf("someone else's tty: %v", err)
		}
	}
}

func TestWriteTTYOneWriteAndTimeout(t *testing.T) {
	m, s := openPTY(t)
	seq := Sequence("agents")
	if err := writeTTY(s.Name(), seq); err != nil {
		t.Fatal(err)
	}
	if got := readSome(t, m); got != seq {
		t.Errorf("master read %q, want %q", got, seq)
	}
	// A terminal stopped with Ctrl-S blocks writers: the write gives up.
	fd := int(s.Fd()) // once: each Fd() call makes the file blocking again
	if err := unix.IoctlSetInt(fd, unix.TCXONC, unix.TCOOFF); err != nil {
		t.Skip("cannot stop the tty:", err)
	}
	defer unix.IoctlSetInt(fd, unix.TCXONC, unix.TCOON)
	unix.SetNonblock(fd, true)
	if _, err := unix.Write(fd, []byte("x")); err == nil {
		t.Skip("a stopped pty still takes output here")
	}
	done := make(chan error, 1)
	go func() { done <- writeTTY(s.Name(), seq) }()
	select {
	case err := <-done:
		if err == nil || !strings.Contains(err.Error(), "does not take output") {
			t.Errorf("stopped tty: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("writing to a stopped tty hangs")
	}
}

type fakeList struct{ panes []wezterm.Pane }

func (f fakeList) List(context.Context) ([]wezterm.Pane, error) { return f.panes, nil }
func (f fakeList) ListClients(context.Context) ([]wezterm.ClientInfo, error) {
	return nil, nil
}

// The sequence goes to a pane whose foreground is a shell at its prompt,
// before the focused pane running something else (§9).
func TestRequestPrefersAShellPrompt(t *testing.T) {
	m1, s1 := openPTY(t)
	m2, s2 := openPTY(t)
	n1, n2 := s1.Name(), s2.Name()
	panes := []wezterm.Pane{
		{PaneID: 1, Workspace: "w", TTYName: &n1},
		{PaneID: 2, Workspace: "w", TTYName: &n2},
	}
	focused := wezterm.PaneID(1)
	sw := &Switcher{C: fakeList{panes}, Foreground: func(context.Context, []wezterm.Pane) map[wezterm.PaneID]string {
		return map[wezterm.PaneID]string{1: "claude", 2: "zsh"}
	}}
	if err := sw.request(context.Background(), wezterm.ClientInfo{Workspace: "w", FocusedPaneID: &focused}, "beta"); err != nil {
		t.Fatal(err)
	}
	if got := readSome(t, m2); got != Sequence("beta") {
		t.Errorf("the shell's pane got %q", got)
	}
	if readable(m1, 100*time.Millisecond) {
		t.Error("the busy pane got the sequence too")
	}
	// No ttys at all (a `wezterm connect` GUI): say so.
	sw.C = fakeList{[]wezterm.Pane{{PaneID: 3, Workspace: "w"}}}
	if err := sw.request(context.Background(), wezterm.ClientInfo{Workspace: "w"}, "beta"); err == nil || !strings.Contains(err.Error(), "wezterm connect") {
		t.Errorf("no ttys: %v", err)
	}
}
