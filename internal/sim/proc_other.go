//go:build unix && !linux

package sim

import (
	"os/exec"
	"strconv"
	"strings"
)

// On macOS and the BSDs, ps answers what /proc answers on Linux.
func processName(pid int) string {
	out, err := exec.Command("ps", "-o", "comm=", "-p", strconv.Itoa(pid)).Output()
	if err != nil {
		return ""
	}
	name := strings.TrimSpace(string(out))
	return name[strings.LastIndexByte(name, '/')+1:]
}

func processCwd(pid int) string {
	out, err := exec.Command("lsof", "-a", "-d", "cwd", "-Fn", "-p", strconv.Itoa(pid)).Output()
	if err != nil {
		return ""
	}
	for _, l := range strings.Split(string(out), "\n") {
		if strings.HasPrefix(l, "n/") {
			return l[1:]
		}
	}
	return ""
}
