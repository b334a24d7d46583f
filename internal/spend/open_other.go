//go:build !unix

package spend

import (
	"fmt"
	"io/fs"
	"os"
)

// openRegular opens a record file for reading and returns its size, but
// only if it is a regular file.
func openRegular(path string) (*os.File, int64, error) {
	f, err := os.Open(path)
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

// fileKey names a folder whatever path reaches it; this system gives no
// inode numbers, so only maxDepth stops loops of links.
type fileKey struct{}

func keyOf(fs.FileInfo) (fileKey, bool) { return fileKey{}, false }
