//go:build unix

package sim

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// processName is the basename of the process's executable, as WezTerm's
// pane title shows it (the leader's path, mux/src/localpane.rs: /bin/sh
// shows as "dash" on Debian), or its comm when the link cannot be read.
func processName(pid int) string {
	if exe, err := os.Readlink("/proc/" + strconv.Itoa(pid) + "/exe"); err == nil {
		return filepath.Base(strings.TrimSuffix(exe, " (deleted)"))
	}
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/comm")
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(b))
}

func processCwd(pid int) string {
	d, err := os.Readlink("/proc/" + strconv.Itoa(pid) + "/cwd")
	if err != nil {
		return ""
	}
	return d
}
