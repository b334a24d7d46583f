//go:build linux || darwin

package metrics

import (
	"fmt"

	"golang.org/x/sys/unix"
)

// ttyID returns the identity of a tty device path in procInfo.TTY's form.
func ttyID(path string) (uint64, error) {
	var st unix.Stat_t
	if err := unix.Stat(path, &st); err != nil {
		return 0, fmt.Errorf("stat tty: %w", err)
	}
	if st.Mode&unix.S_IFMT != unix.S_IFCHR {
		return 0, fmt.Errorf("%s is not a terminal device", path)
	}
	return ttyKey(uint64(st.Rdev)), nil
}
