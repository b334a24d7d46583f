package ipc

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"sync"
	"sync/atomic"
	"time"
)

// maxMessage bounds one message a window or a one-off client reads from
// a resident it has checked is the user's (a full snapshot of 500 panes
// with their histories is a few MB).
const maxMessage = 32 << 20

// MaxRequest bounds one message a listener reads: what a window or doctor
// asks (a broadcast's text and pane ids included). A listener holds at
// most MaxConns connections, so what its peers can make it keep in
// memory is bounded (MaxConns × MaxRequest, a few times over while a line
// is gathered).
const (
	MaxRequest = 1 << 20
	MaxConns   = 16
)

// firstWithin: a connection says what it wants this soon, or is dropped
// (one that says nothing would hold a place among MaxConns).
const firstWithin = 5 * time.Second

// writeTimeout: a peer that stops reading is dropped, not waited for.
const writeTimeout = 5 * time.Second

// Conn carries messages both ways; Send is safe for concurrent use, Recv
// is for one reader.
type Conn struct {
	c       net.Conn
	r       *bufio.Reader
	max     int
	wmu     sync.Mutex
	closed  sync.Once
	onClose func()
	// first: Recv has not returned a message yet (the read deadline of a
	// listener's connection is cleared after it).
	first bool
}

func newConn(c net.Conn, max int) *Conn {
	return &Conn{c: c, r: bufio.NewReaderSize(c, 64<<10), max: max}
}

// Send writes one message.
func (c *Conn) Send(m Msg) error {
	b, err := json.Marshal(m)
	if err != nil {
		return fmt.Errorf("encode %s: %w", m.Op, err)
	}
	b = append(b, '\n')
	c.wmu.Lock()
	defer c.wmu.Unlock()
	c.c.SetWriteDeadline(time.Now().Add(writeTimeout))
	if _, err := c.c.Write(b); err != nil {
		return fmt.Errorf("send %s: %w", m.Op, err)
	}
	return nil
}

// Recv reads the next message.
func (c *Conn) Recv() (Msg, error) {
	var line []byte
	for {
		chunk, err := c.r.ReadSlice('\n')
		if len(line)+len(chunk) > c.max {
			return Msg{}, fmt.Errorf("receive: a message over %d bytes", c.max)
		}
		line = append(line, chunk...)
		if err == nil {
			break
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		return Msg{}, err
	}
	if c.first {
		c.first = false
		c.c.SetReadDeadline(time.Time{})
	}
	var m Msg
	if err := json.Unmarshal(line, &m); err != nil {
		return Msg{}, fmt.Errorf("receive: %w", err)
	}
	return m, nil
}

// SetReadDeadline makes Recv fail when nothing arrives by t (zero: never).
func (c *Conn) SetReadDeadline(t time.Time) error { return c.c.SetReadDeadline(t) }

// Close ends the connection.
func (c *Conn) Close() error {
	err := c.c.Close()
	c.closed.Do(func() {
		if c.onClose != nil {
			c.onClose()
		}
	})
	return err
}

// Listener accepts connections from the same user only, at most MaxConns
// at a time.
type Listener struct {
	l      *net.UnixListener
	path   string
	active atomic.Int32
	log    atomic.Pointer[slog.Logger]
}

// Listen takes the endpoint's socket path. The caller holds the
// endpoint's lock, so a socket file already there is a dead process's.
func Listen(dir, name string) (*Listener, error) {
	path := Path(dir, name)
	if err := os.Remove(path); err != nil && !os.IsNotExist(err) {
		return nil, fmt.Errorf("remove the stale socket %s: %w", path, err)
	}
	l, err := net.ListenUnix("unix", &net.UnixAddr{Name: path, Net: "unix"})
	if err != nil {
		return nil, fmt.Errorf("listen on %s: %w", path, err)
	}
	l.SetUnlinkOnClose(true)
	// The folder is private already; the socket too, in case it is not.
	os.Chmod(path, 0o600)
	return &Listener{l: l, path: path}, nil
}

// SetLog says where Accept reports trouble (once per episode).
func (l *Listener) SetLog(log *slog.Logger) { l.log.Store(log) }

func (l *Listener) warn(msg string, args ...any) {
	if log := l.log.Load(); log != nil {
		log.Warn(msg, args...)
	}
}

// Accept waits for the next connection of this user; others are closed
// unanswered, and so are connections beyond MaxConns. It returns an error
// only once the listener is closed: a failure to accept (out of file
// descriptors) is retried, slower and slower up to a second, since a
// resident that stops accepting would look alive and answer nobody.
func (l *Listener) Accept() (*Conn, error) {
	wait := time.Duration(0)
	full := false
	for {
		c, err := l.l.AcceptUnix()
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return nil, err
			}
			if wait == 0 {
				l.warn("ipc accept failed: retrying", "err", err)
				wait = 5 * time.Millisecond
			} else {
				wait = min(2*wait, time.Second)
			}
			time.Sleep(wait)
			continue
		}
		if wait != 0 {
			l.warn("ipc accept works again")
			wait = 0
		}
		if uid, ok := peerUID(c); ok && uid != os.Getuid() {
			c.Close()
			continue
		}
		if l.active.Load() >= MaxConns {
			if !full {
				l.warn("ipc: too many connections: new ones are closed", "max", MaxConns)
			}
			full = true
			c.Close()
			continue
		}
		l.active.Add(1)
		conn := newConn(c, MaxRequest)
		conn.onClose = func() { l.active.Add(-1) }
		conn.first = true
		c.SetReadDeadline(time.Now().Add(firstWithin))
		return conn, nil
	}
}

// Close stops listening and removes the socket.
func (l *Listener) Close() error { return l.l.Close() }

// Dial connects to an endpoint of this user: the folder must be ours and
// closed to others, and the process that answers must run as us (another
// user who reached the folder before it was closed could stand in for our
// resident and read what the window sends it).
func Dial(dir, name string, timeout time.Duration) (*Conn, error) {
	if err := checkDir(dir, false); err != nil {
		return nil, err
	}
	path := Path(dir, name)
	if fi, err := os.Lstat(path); err == nil {
		if err := checkOwner(path, fi); err != nil {
			return nil, err
		}
	}
	c, err := net.DialTimeout("unix", path, timeout)
	if err != nil {
		return nil, err
	}
	uid, known := 0, false
	if uc, ok := c.(*net.UnixConn); ok {
		uid, known = peerUID(uc)
	}
	switch {
	case known && uid != os.Getuid():
		c.Close()
		return nil, fmt.Errorf("the process at %s runs as uid %d, not as you (uid %d): %w", path, uid, os.Getuid(), ErrRefused)
	case !known && openToOthers(dir):
		// Without the peer's uid, only a closed folder vouches for it.
		c.Close()
		return nil, fmt.Errorf("the runtime folder %s is open to others and this system does not say who listens: %w", dir, ErrRefused)
	}
	return newConn(c, maxMessage), nil
}
