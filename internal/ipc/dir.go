// Package ipc is the local channel between the resident process (monitor,
// tray) and the window process: a unix socket in a runtime folder only the
// user can enter, with the peer's uid checked where the system tells it,
// and newline-delimited JSON messages. It also keeps one resident and one
// window per user: a lock file says who runs, the socket is how to reach
// it.
package ipc

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
)

// EnvDir overrides the runtime folder (tests, scripts, several sessions).
const EnvDir = "WEZTERM_PARALLEL_RUNTIME_DIR"

// Names of the two endpoints in the runtime folder.
const (
	Resident = "resident"
	Window   = "window"
)

// Dir is the runtime folder: $WEZTERM_PARALLEL_RUNTIME_DIR, else
// $XDG_RUNTIME_DIR/wezterm-parallel (per user, on tmpfs, gone at logout),
// else a per-uid folder in the temporary directory; on Windows the user's
// local application data.
func Dir(getenv func(string) string) (string, error) {
	if d := getenv(EnvDir); d != "" {
		return d, nil
	}
	if runtime.GOOS == "windows" {
		base := getenv("LOCALAPPDATA")
		if base == "" {
			return "", errors.New("find the runtime folder: LOCALAPPDATA is not set")
		}
		return filepath.Join(base, "wezterm-parallel", "run"), nil
	}
	if d := getenv("XDG_RUNTIME_DIR"); d != "" {
		return filepath.Join(d, "wezterm-parallel"), nil
	}
	return filepath.Join(os.TempDir(), "wezterm-parallel-"+strconv.Itoa(os.Getuid())), nil
}

// ErrRefused marks a runtime folder, or an entry in it, that is not the
// user's own (or a peer of another uid): nothing is read from it, written
// to it or dialled in it.
var ErrRefused = errors.New("refusing to use it")

// Prepare makes the folder (0700) and checks that it is a real folder of
// ours that nobody else can enter: a folder in /tmp could have been made
// by another user to catch our socket. A folder of ours that was open to
// others is closed, and refused when it holds another user's socket or
// lock (left there to stand in for our resident or window).
func Prepare(dir string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("make the runtime folder: %w", err)
	}
	if err := checkDir(dir, true); err != nil {
		return err
	}
	return checkEntries(dir)
}

// checkDir checks that dir is a real folder of ours; fix (Prepare) also
// closes one that others may enter (Dial checks the peer instead).
func checkDir(dir string, fix bool) error {
	fi, err := os.Lstat(dir)
	if err != nil {
		return fmt.Errorf("check the runtime folder: %w", err)
	}
	if !fi.IsDir() {
		return fmt.Errorf("the runtime folder %s is not a folder (a symbolic link?): %w", dir, ErrRefused)
	}
	return checkPrivate(dir, fi, fix)
}

// checkEntries refuses a folder whose sockets or locks are not ours or not
// what they should be (a lock that is a link would take the lock of
// whatever it points to).
func checkEntries(dir string) error {
	for _, name := range []string{Resident, Window} {
		for _, path := range []string{Path(dir, name), lockPath(dir, name)} {
			fi, err := os.Lstat(path)
			if err != nil {
				continue // not there (or the check at use says why)
			}
			if err := checkOwner(path, fi); err != nil {
				return err
			}
			if fi.Mode()&fs.ModeSymlink != 0 {
				return fmt.Errorf("%s is a symbolic link: %w", path, ErrRefused)
			}
		}
	}
	return nil
}

func lockPath(dir, name string) string { return filepath.Join(dir, name+".lock") }

// Path is the socket path of an endpoint.
func Path(dir, name string) string { return filepath.Join(dir, name+".sock") }
