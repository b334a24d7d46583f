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

// Prepare makes the folder (0700) and checks that it is a real folder of
// ours that nobody else can enter: a folder in /tmp could have been made
// by another user to catch our socket.
func Prepare(dir string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("make the runtime folder: %w", err)
	}
	fi, err := os.Lstat(dir)
	if err != nil {
		return fmt.Errorf("check the runtime folder: %w", err)
	}
	if !fi.IsDir() {
		return fmt.Errorf("the runtime folder %s is not a folder (a symbolic link?): refusing to use it", dir)
	}
	return checkPrivate(dir, fi)
}

// Path is the socket path of an endpoint.
func Path(dir, name string) string { return filepath.Join(dir, name+".sock") }
