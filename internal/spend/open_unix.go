//go:build unix

package spend

import (
	"fmt"
	"io/fs"
	"os"
	"syscall"
)

// openRegular opens a record file for reading and returns its size, but
// only if it is a regular file: O_NONBLOCK keeps a FIFO put in its place
// since it was stat'ed from blocking the open (it would wait for a writer
// for good), and the check after the open refuses it and devices.
func openRegular(path string) (*os.File, int64, error) {
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK|syscall.O_NOCTTY, 0)
	if err != nil {
		return nil, 0, err
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, 0, err
	}
	if !fi.Mode().IsRegular() {
		f.Close()
		return nil, 0, fmt.Errorf("%s: %w", path, errNotRegular)
	}
	return f, fi.Size(), nil
}

// fileKey names a folder whatever path reaches it (loop protection).
type fileKey struct{ dev, ino uint64 }

func keyOf(fi fs.FileInfo) (fileKey, bool) {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return fileKey{}, false
	}
	return fileKey{uint64(st.Dev), uint64(st.Ino)}, true
}
