//go:build linux

package ipc

import (
	"errors"
	"net"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"
)

// serveEcho answers every message with OpStats until Accept returns.
func serveEcho(l *Listener, ended chan<- error) {
	for {
		c, err := l.Accept()
		if err != nil {
			ended <- err
			return
		}
		go func() {
			defer c.Close()
			for {
				m, err := c.Recv()
				if err != nil {
					return
				}
				c.Send(Msg{Op: OpStats, Seq: m.Seq})
			}
		}()
	}
}

func ask(t *testing.T, dir string) error {
	t.Helper()
	c, err := Dial(dir, Resident, time.Second)
	if err != nil {
		return err
	}
	defer c.Close()
	c.SetReadDeadline(time.Now().Add(3 * time.Second))
	if err := c.Send(Msg{Op: OpStats, Seq: 1}); err != nil {
		return err
	}
	_, err = c.Recv()
	return err
}

// TestAcceptOutlivesRunningOutOfFiles: one "too many open files" used to
// end the resident's accept loop for good (it then looked alive, took
// connections into the backlog and answered nobody).
func TestAcceptOutlivesRunningOutOfFiles(t *testing.T) {
	dir := t.TempDir()
	l, err := Listen(dir, Resident)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	ended := make(chan error, 1)
	go serveEcho(l, ended)
	var old syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &old); err != nil {
		t.Fatal(err)
	}
	fds, _ := os.ReadDir("/proc/self/fd")
	low := old
	low.Cur = uint64(len(fds) + 4)
	if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &low); err != nil {
		t.Fatal(err)
	}
	var conns []net.Conn
	for range 40 {
		c, err := net.Dial("unix", Path(dir, Resident))
		if err != nil {
			break
		}
		conns = append(conns, c)
	}
	time.Sleep(200 * time.Millisecond) // Accept meets EMFILE
	for _, c := range conns {
		c.Close()
	}
	if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &old); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-ended:
		t.Fatalf("Accept gave up: %v", err)
	default:
	}
	if err := ask(t, dir); err != nil {
		t.Fatalf("no answer once files are free again: %v", err)
	}
}

// TestListenerBoundsWhatPeersHold: connections beyond MaxConns are closed,
// a message over MaxRequest ends its connection, and a connection that
// says nothing is dropped: a same-user client cannot make the resident
// hold hundreds of MB (6 × 31 MiB unterminated lines did: 464 MiB).
func TestListenerBoundsWhatPeersHold(t *testing.T) {
	dir := t.TempDir()
	l, err := Listen(dir, Resident)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	ended := make(chan error, 1)
	go serveEcho(l, ended)
	// A line that never ends is cut at MaxRequest.
	c, err := net.Dial("unix", Path(dir, Resident))
	if err != nil {
		t.Fatal(err)
	}
	chunk := []byte(`{"op":"plan","text":"` + strings.Repeat("a", 64<<10))
	sent := 0
	c.SetWriteDeadline(time.Now().Add(5 * time.Second))
	for sent < 8*MaxRequest {
		n, err := c.Write(chunk)
		sent += n
		if err != nil {
			break
		}
	}
	c.Close()
	if sent >= 8*MaxRequest {
		t.Errorf("the listener read %d bytes of one message (max %d)", sent, MaxRequest)
	}
	// Idle connections fill MaxConns; the next is closed at once.
	var idle []net.Conn
	for range MaxConns {
		c, err := net.Dial("unix", Path(dir, Resident))
		if err != nil {
			t.Fatal(err)
		}
		idle = append(idle, c)
	}
	time.Sleep(100 * time.Millisecond)
	extra, err := net.Dial("unix", Path(dir, Resident))
	if err != nil {
		t.Fatal(err)
	}
	extra.SetReadDeadline(time.Now().Add(2 * time.Second))
	if _, err := extra.Read(make([]byte, 1)); !errors.Is(err, os.ErrDeadlineExceeded) && err == nil {
		t.Error("a connection beyond MaxConns was kept")
	} else if errors.Is(err, os.ErrDeadlineExceeded) {
		t.Error("a connection beyond MaxConns was kept (not closed within 2 s)")
	}
	extra.Close()
	// The idle ones are dropped after firstWithin; then others are served.
	time.Sleep(firstWithin + 500*time.Millisecond)
	if err := ask(t, dir); err != nil {
		t.Errorf("after the idle connections: %v", err)
	}
	for _, c := range idle {
		c.Close()
	}
}
