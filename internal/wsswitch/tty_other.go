//go:build !unix

package wsswitch

import (
	"errors"
	"os"
)

func writeTTY(path, s string) error { return errors.New("no ttys on this system") }

// IsTerminal reports whether f is a console (Windows: a character device).
func IsTerminal(f *os.File) bool {
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
