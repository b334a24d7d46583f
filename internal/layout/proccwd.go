package layout

import (
	"os"
	"runtime"
	"strconv"
)

// procCWD reads /proc/PID/cwd (Linux only: elsewhere a remote pane's
// local folder is not saved).
func procCWD(pid int32) string {
	if runtime.GOOS != "linux" {
		return ""
	}
	d, err := os.Readlink("/proc/" + strconv.Itoa(int(pid)) + "/cwd")
	if err != nil {
		return ""
	}
	return d
}
