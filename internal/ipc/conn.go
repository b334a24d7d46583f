package ipc

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"os"
	"sync"
	"time"
)

// maxMessage bounds one message (a full snapshot of hundreds of panes with
// their histories is well under a megabyte).
const maxMessage = 32 << 20

// writeTimeout: a peer that stops reading is dropped, not waited for.
const writeTimeout = 5 * time.Second

// Conn carries messages both ways; Send is safe for concurrent use, Recv
// is for one reader.
type Conn struct {
	c   net.Conn
	r   *bufio.Reader
	wmu sync.Mutex
}

func newConn(c net.Conn) *Conn { return &Conn{c: c, r: bufio.NewReaderSize(c, 64<<10)} }

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
		line = append(line, chunk...)
		if err == nil {
			break
		}
		if errors.Is(err, bufio.ErrBufferFull) && len(line) < maxMessage {
			continue
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			return Msg{}, fmt.Errorf("receive: a message over %d bytes", maxMessage)
		}
		return Msg{}, err
	}
	var m Msg
	if err := json.Unmarshal(line, &m); err != nil {
		return Msg{}, fmt.Errorf("receive: %w", err)
	}
	return m, nil
}

// Close ends the connection.
func (c *Conn) Close() error { return c.c.Close() }

// Listener accepts connections from the same user only.
type Listener struct {
	l    *net.UnixListener
	path string
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

// Accept waits for the next connection of this user; others are closed
// unanswered.
func (l *Listener) Accept() (*Conn, error) {
	for {
		c, err := l.l.AcceptUnix()
		if err != nil {
			return nil, err
		}
		if uid, ok := peerUID(c); ok && uid != os.Getuid() {
			c.Close()
			continue
		}
		return newConn(c), nil
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
	return newConn(c), nil
}
