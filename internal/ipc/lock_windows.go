//go:build windows

package ipc

import (
	"fmt"
	"os"

	"golang.org/x/sys/windows"
)

// Lock takes the named lock in dir for as long as the process lives (or
// until release): ok is false when another process holds it.
func Lock(dir, name string) (release func(), ok bool, err error) {
	f, err := os.OpenFile(lockPath(dir, name), os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, false, fmt.Errorf("open the %s lock: %w", name, err)
	}
	ol := new(windows.Overlapped)
	err = windows.LockFileEx(windows.Handle(f.Fd()), windows.LOCKFILE_EXCLUSIVE_LOCK|windows.LOCKFILE_FAIL_IMMEDIATELY, 0, 1, 0, ol)
	if err != nil {
		f.Close()
		if err == windows.ERROR_LOCK_VIOLATION {
			return nil, false, nil
		}
		return nil, false, fmt.Errorf("take the %s lock: %w", name, err)
	}
	return func() { f.Close() }, true, nil
}
