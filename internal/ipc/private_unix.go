//go:build unix

package ipc

import (
	"fmt"
	"io/fs"
	"os"
	"syscall"
)

func checkPrivate(dir string, fi fs.FileInfo) error {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return nil
	}
	if int(st.Uid) != os.Getuid() {
		return fmt.Errorf("the runtime folder %s belongs to uid %d, not to you (uid %d): refusing to use it", dir, st.Uid, os.Getuid())
	}
	if fi.Mode().Perm()&0o077 != 0 {
		// Ours, but others may enter: close it (an older version, or a
		// umask), rather than refuse.
		if err := os.Chmod(dir, 0o700); err != nil {
			return fmt.Errorf("the runtime folder %s is open to others (%v) and cannot be closed: %w", dir, fi.Mode().Perm(), err)
		}
	}
	return nil
}
