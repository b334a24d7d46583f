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
	// KeepOwner gives the new file the owner and group of the one it
	// replaces (the write fails, changing nothing, when that is not
	// allowed), rather than the writer's.
	KeepOwner bool
}

// WriteFile writes data to path with mode perm. When path is a symlink the
// file it points to is replaced, so the link stays a link (dotfiles kept in
// a repository and linked into place).
func (a AtomicWriter) WriteFile(path string, data []byte, perm fs.FileMode) (err error) {
	if path, err = resolveLinks(path); err != nil {
		return err
	}
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
	if a.KeepOwner {
		if err := sameOwner(tmp, path); err != nil {
			return fmt.Errorf("save %s: keep its owner: %w", path, err)
		}
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

// resolveLinks follows symlinks at path (a dangling link resolves to where
// it points, which the write then creates).
func resolveLinks(path string) (string, error) {
	for range 40 {
		fi, err := os.Lstat(path)
		if err != nil || fi.Mode()&fs.ModeSymlink == 0 {
			return path, nil
		}
		target, err := os.Readlink(path)
		if err != nil {
			return "", fmt.Errorf("save %s: %w", path, err)
		}
		if !filepath.IsAbs(target) {
			target = filepath.Join(filepath.Dir(path), target)
		}
		path = target
	}
	return "", fmt.Errorf("save %s: too many levels of symbolic links", path)
}
