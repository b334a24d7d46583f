//go:build unix

// Package ipctest stands another local user in for the resident, for
// tests of the code that must not trust it: a child process of the test
// binary, run with an unused uid (no account needed), that makes the
// runtime folder or drops entries into it, listens on the resident's
// socket, answers whatever it is asked like a resident would, and reports
// every line it received.
package ipctest

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// UID is the impostor's uid: unused on any system we test on.
const UID = 64123

const envDir = "WP_IMPOSTOR_DIR"

// Main runs the impostor when the test binary was started as one; call it
// first in TestMain.
func Main() {
	dir := os.Getenv(envDir)
	if dir == "" {
		return
	}
	if err := impostor(dir); err != nil {
		fmt.Println("impostor:", err)
		os.Exit(1)
	}
	os.Exit(0)
}

// fakeAnswers are what the impostor sends each connection: a resident's
// beat, stats, and a snapshot of version FAKE.
var fakeAnswers = `{"op":"beat"}` + "\n" +
	`{"op":"stats","seq":1,"stats":{"pid":1,"uptime":"999h0m0s","window":false,"tray":true,"wezterm_processes_last_minute":{"total":0},"rss_bytes":1}}` + "\n" +
	`{"op":"snapshot","snap":{"time":"2026-12-07T10:00:00Z","status":0,"version":"FAKE","tree":{"workspaces":[]},"detail":0}}` + "\n"

func impostor(dir string) error {
	// The folder as another user leaves it: made open, or already there.
	if err := os.MkdirAll(dir, 0o777); err != nil {
		return err
	}
	os.Chmod(dir, 0o777)
	lock, err := os.OpenFile(filepath.Join(dir, "resident.lock"), os.O_RDWR|os.O_CREATE, 0o666)
	if err != nil {
		return err
	}
	os.Chmod(lock.Name(), 0o666)
	if err := unix.Flock(int(lock.Fd()), unix.LOCK_EX|unix.LOCK_NB); err != nil {
		return fmt.Errorf("lock: %w", err)
	}
	sock := filepath.Join(dir, "resident.sock")
	os.Remove(sock)
	l, err := net.Listen("unix", sock)
	if err != nil {
		return err
	}
	os.Chmod(sock, 0o777)
	var mu sync.Mutex
	say := func(s string) {
		mu.Lock()
		fmt.Println(s)
		mu.Unlock()
	}
	say("ready")
	go func() { io.Copy(io.Discard, os.Stdin); os.Exit(0) }() // the test ended
	for {
		c, err := l.Accept()
		if err != nil {
			return err
		}
		go func() {
			defer c.Close()
			say("connected")
			c.Write([]byte(fakeAnswers))
			sc := bufio.NewScanner(c)
			sc.Buffer(nil, 64<<20)
			for sc.Scan() {
				say("got " + sc.Text())
				c.Write([]byte(fakeAnswers))
			}
		}()
	}
}

// Impostor is a running impostor.
type Impostor struct {
	mu    sync.Mutex
	lines []string
}

// Lines is what the impostor reported: "connected", "got <line>".
func (i *Impostor) Lines() []string {
	i.mu.Lock()
	defer i.mu.Unlock()
	return append([]string(nil), i.lines...)
}

// Reached reports whether anybody connected to the impostor or sent it
// anything.
func (i *Impostor) Reached() bool {
	for _, l := range i.Lines() {
		if l == "connected" || strings.HasPrefix(l, "got ") {
			return true
		}
	}
	return false
}

// Start runs an impostor of uid UID in dir (made 0777 when missing; its
// parent must let UID through) until the test ends. It skips the test
// unless it runs as root on Linux, the only way to start a process of
// another uid without an account.
func Start(t testing.TB, dir string) *Impostor {
	t.Helper()
	if os.Getuid() != 0 {
		t.Skip("needs root to run a process as another uid (a setuid child; no account needed)")
	}
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	// The test binary lives in a private build folder: a copy UID can run.
	binDir, err := os.MkdirTemp("", "impostor")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(binDir) })
	os.Chmod(binDir, 0o755)
	data, err := os.ReadFile(self)
	if err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(binDir, "impostor.test")
	if err := os.WriteFile(bin, data, 0o755); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "-test.run=^$")
	cmd.Env = append(os.Environ(), envDir+"="+dir)
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: UID, Gid: UID}}
	stdin, _ := cmd.StdinPipe()
	out, _ := cmd.StdoutPipe()
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	imp := &Impostor{}
	ready := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			line := sc.Text()
			if line == "ready" || strings.HasPrefix(line, "impostor:") {
				ready <- line
				continue
			}
			imp.mu.Lock()
			imp.lines = append(imp.lines, line)
			imp.mu.Unlock()
		}
		close(ready)
	}()
	t.Cleanup(func() {
		stdin.Close()
		cmd.Process.Kill()
		cmd.Wait()
	})
	select {
	case line := <-ready:
		if line != "ready" {
			t.Fatalf("impostor did not start: %q", line)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("impostor did not start within 10 s")
	}
	return imp
}
