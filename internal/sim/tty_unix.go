//go:build unix

package sim

import (
	"os"

	"golang.org/x/sys/unix"
)

// These use SyscallConn, not Fd(): Fd() would switch the pty to blocking
// mode, and a blocked Read could then not be interrupted by Close.

func tcgetpgrp(f *os.File) (int, error) {
	rc, err := f.SyscallConn()
	if err != nil {
		return 0, err
	}
	var pg int
	var ierr error
	if err := rc.Control(func(fd uintptr) { pg, ierr = unix.IoctlGetInt(int(fd), unix.TIOCGPGRP) }); err != nil {
		return 0, err
	}
	return pg, ierr
}

func setWinsize(f *os.File, cols, rows int) error {
	rc, err := f.SyscallConn()
	if err != nil {
		return err
	}
	ws := &unix.Winsize{Col: uint16(cols), Row: uint16(rows), Xpixel: uint16(cols * cellW), Ypixel: uint16(rows * cellH)}
	var ierr error
	if err := rc.Control(func(fd uintptr) { ierr = unix.IoctlSetWinsize(int(fd), unix.TIOCSWINSZ, ws) }); err != nil {
		return err
	}
	return ierr
}
