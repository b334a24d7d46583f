//go:build unix

package ipc

import (
	"fmt"
	"os"

	"golang.org/x/sys/unix"
)

// Lock takes the named lock in dir for as long as the process lives (or
// until release): ok is false when another process holds it. The kernel
// drops the lock when its holder dies, so a crash leaves nothing stale.
// A lock file that is a link, or another user's, is refused: a lock held
// by someone else would make us believe our resident runs.
func Lock(dir, name string) (release func(), ok bool, err error) {
	path := lockPath(dir, name)
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|unix.O_NOFOLLOW, 0o600)
	if err != nil {
		return nil, false, fmt.Errorf("open the %s lock: %w", name, err)
	}
	if fi, err := f.Stat(); err != nil {
		f.Close()
		return nil, false, fmt.Errorf("check the %s lock: %w", name, err)
	} else if err := checkOwner(path, fi); err != nil {
		f.Close()
		return nil, false, err
	}
	if err := unix.Flock(int(f.Fd()), unix.LOCK_EX|unix.LOCK_NB); err != nil {
		f.Close()
		if err == unix.EWOULDBLOCK {
			return nil, false, nil
		}
		return nil, false, fmt.Errorf("take the %s lock: %w", name, err)
	}
	return func() { f.Close() }, true, nil
}
