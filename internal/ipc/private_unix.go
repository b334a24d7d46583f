//go:build unix

package ipc

import (
	"fmt"
	"io/fs"
	"os"
	"syscall"
)

func checkPrivate(dir string, fi fs.FileInfo, fix bool) error {
	if err := checkOwner(dir, fi); err != nil {
		return err
	}
	if fi.Mode().Perm()&0o077 != 0 && fix {
		// Ours, but others may enter: close it (an older version, or a
		// umask), rather than refuse. What others left in it is checked
		// next (checkEntries).
		if err := os.Chmod(dir, 0o700); err != nil {
			return fmt.Errorf("the runtime folder %s is open to others (%v) and cannot be closed: %w", dir, fi.Mode().Perm(), err)
		}
	}
	return nil
}

// checkOwner refuses a file of another uid.
func checkOwner(path string, fi fs.FileInfo) error {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return nil
	}
	if int(st.Uid) != os.Getuid() {
		what := "the runtime folder " + path
		if !fi.IsDir() {
			what = path
		}
		return fmt.Errorf("%s belongs to uid %d, not to you (uid %d): %w", what, st.Uid, os.Getuid(), ErrRefused)
	}
	return nil
}

// openToOthers reports whether others may enter dir.
func openToOthers(dir string) bool {
	fi, err := os.Stat(dir)
	return err != nil || fi.Mode().Perm()&0o077 != 0
}
