package config

import (
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// AtomicWriter replaces files atomically: a temp file in the same folder,
// written, synced, renamed over the target, the folder synced. A failure at
// any point leaves the old file as it was.
type AtomicWriter struct {
	// Wrap, when set, wraps the temp file's writer (tests use it to
	// simulate a full disk).
	Wrap func(io.Writer) io.Writer
}

// WriteFile writes data to path with mode perm.
func (a AtomicWriter) WriteFile(path string, data []byte, perm fs.FileMode) (err error) {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("save %s: %w", path, err)
	}
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return fmt.Errorf("save %s: %w", path, err)
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if err := tmp.Chmod(perm); err != nil {
		return fmt.Errorf("save %s: %w", path, err)
	}
	var w io.Writer = tmp
	if a.Wrap != nil {
		w = a.Wrap(tmp)
	}
	if _, err := w.Write(data); err != nil {
		return fmt.Errorf("save %s: %w", path, err)
	}
	if err := tmp.Sync(); err != nil {
		return fmt.Errorf("save %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("save %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("save %s: %w", path, err)
	}
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync() // make the rename durable
		d.Close()
	}
	return nil
}
