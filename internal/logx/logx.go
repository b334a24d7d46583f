// Package logx sets up the app's log: log/slog to a file under the user's
// state directory, so a GUI app started from a menu still leaves a trace.
package logx

import (
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"strings"
)

// maxSize is the size past which the log is rotated to .1 at start-up.
const maxSize = 5 << 20

// StateDir is where wezterm-parallel keeps its log (and its snapshots):
// $XDG_STATE_HOME (or ~/.local/state) on Linux and the BSDs, the user
// cache dir elsewhere.
func StateDir() (string, error) { return StateDirEnv(os.Getenv) }

// StateDirEnv is StateDir with the environment read through getenv.
func StateDirEnv(getenv func(string) string) (string, error) {
	if runtime.GOOS != "darwin" && runtime.GOOS != "windows" {
		if d := getenv("XDG_STATE_HOME"); d != "" {
			return filepath.Join(d, "wezterm-parallel"), nil
		}
		home := getenv("HOME")
		if home == "" {
			var err error
			if home, err = os.UserHomeDir(); err != nil {
				return "", fmt.Errorf("find home: %w", err)
			}
		}
		return filepath.Join(home, ".local", "state", "wezterm-parallel"), nil
	}
	d, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("find cache dir: %w", err)
	}
	return filepath.Join(d, "wezterm-parallel"), nil
}

// DefaultPath is the log file used when none is given.
func DefaultPath() (string, error) {
	d, err := StateDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(d, "wezterm-parallel.log"), nil
}

// ParseLevel accepts debug, info, warn and error.
func ParseLevel(s string) (slog.Level, error) {
	var l slog.Level
	if err := l.UnmarshalText([]byte(strings.ToUpper(s))); err != nil {
		return 0, fmt.Errorf("log level %q: want debug, info, warn or error", s)
	}
	return l, nil
}

// Open returns a logger writing text records at level and above to path
// (DefaultPath when ""), and the file to close at exit.
func Open(path string, level slog.Level) (*slog.Logger, io.Closer, error) {
	if path == "" {
		var err error
		if path, err = DefaultPath(); err != nil {
			return nil, nil, err
		}
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, nil, fmt.Errorf("create log dir: %w", err)
	}
	if st, err := os.Stat(path); err == nil && st.Size() > maxSize {
		_ = os.Rename(path, path+".1")
	}
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return nil, nil, fmt.Errorf("open log: %w", err)
	}
	return slog.New(slog.NewTextHandler(f, &slog.HandlerOptions{Level: level})), f, nil
}
