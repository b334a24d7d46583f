//go:build unix

package spend

import (
	"os"
	"syscall"
	"testing"
)

// special makes a FIFO at fifo and a link to /dev/zero at zero.
func special(tb testing.TB, fifo, zero string) {
	tb.Helper()
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		tb.Fatal(err)
	}
	if err := os.Symlink("/dev/zero", zero); err != nil {
		tb.Fatal(err)
	}
}
