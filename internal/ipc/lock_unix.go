//go:build unix

package ipc

import (
	"fmt"
	"os"
	"path/filepath"

	"golang.org/x/sys/unix"
)

// Lock takes the named lock in dir for as long as the process lives (or
// until release): ok is false when another process holds it. The kernel
// drops the lock when its holder dies, so a crash leaves nothing stale.
func Lock(dir, name string) (release func(), ok bool, err error) {
	f, err := os.OpenFile(filepath.Join(dir, name+".lock"), os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, false, fmt.Errorf("open the %s lock: %w", name, err)
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
