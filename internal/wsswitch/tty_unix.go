//go:build unix

package wsswitch

import (
	"errors"
	"fmt"
	"os"
	"time"

	"golang.org/x/sys/unix"
)

// writeTimeout bounds the write: a tty stopped with XOFF (Ctrl-S) blocks
// writers for as long as it stays stopped.
const writeTimeout = time.Second

// writeTTY writes s to a terminal's slave side, where WezTerm reads it as
// output of the pane. The path comes from WezTerm's list, so it is checked
// on the opened file before anything is written: it must be a character
// device that is a terminal and belongs to this user (a regular file there
// would have its first bytes overwritten). O_NOCTTY keeps the tty from
// becoming ours; O_NONBLOCK plus poll bound the wait; s goes in one write().
func writeTTY(path, s string) error {
	fd, err := unix.Open(path, unix.O_WRONLY|unix.O_NOCTTY|unix.O_NONBLOCK|unix.O_CLOEXEC, 0)
	if err != nil {
		return fmt.Errorf("open %s: %w", path, err)
	}
	defer unix.Close(fd)
	var st unix.Stat_t
	if err := unix.Fstat(fd, &st); err != nil {
		return fmt.Errorf("stat %s: %w", path, err)
	}
	switch {
	case st.Mode&unix.S_IFMT != unix.S_IFCHR:
		return fmt.Errorf("%s is not a terminal device: not written", path)
	case int(st.Uid) != os.Getuid():
		return fmt.Errorf("%s belongs to uid %d, not to you: not written", path, st.Uid)
	case !isTerminal(fd):
		return fmt.Errorf("%s is a device but not a terminal: not written", path)
	}
	b := []byte(s)
	deadline := time.Now().Add(writeTimeout)
	for {
		n, err := unix.Write(fd, b)
		switch {
		case err == nil && n == len(b):
			return nil
		case err == nil:
			// A partial write would leave half an escape sequence.
			return fmt.Errorf("write %s: only %d of %d bytes went through", path, n, len(b))
		case !errors.Is(err, unix.EAGAIN) && !errors.Is(err, unix.EINTR):
			return fmt.Errorf("write %s: %w", path, err)
		}
		left := time.Until(deadline)
		if left <= 0 {
			return fmt.Errorf("write %s: the terminal does not take output (stopped with Ctrl-S?)", path)
		}
		fds := []unix.PollFd{{Fd: int32(fd), Events: unix.POLLOUT}}
		if _, err := unix.Poll(fds, int(left/time.Millisecond)+1); err != nil && !errors.Is(err, unix.EINTR) {
			return fmt.Errorf("wait for %s: %w", path, err)
		}
	}
}

// IsTerminal reports whether f is a terminal (not only a character
// device: /dev/null is one too): the command line asks its questions
// there only.
func IsTerminal(f *os.File) bool { return isTerminal(int(f.Fd())) }
