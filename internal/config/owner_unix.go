//go:build unix

package config

import (
	"os"
	"syscall"
)

// sameOwner gives tmp the owner and group of the file at path, if it
// exists and they differ.
func sameOwner(tmp *os.File, path string) error {
	fi, err := os.Stat(path)
	if err != nil {
		return nil // nothing replaced: the writer's
	}
	want, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return nil
	}
	have, err := tmp.Stat()
	if err != nil {
		return err
	}
	if got, ok := have.Sys().(*syscall.Stat_t); ok && got.Uid == want.Uid && got.Gid == want.Gid {
		return nil
	}
	return tmp.Chown(int(want.Uid), int(want.Gid))
}
