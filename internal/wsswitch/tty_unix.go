//go:build unix

package wsswitch

import (
	"fmt"
	"os"
	"syscall"
)

// writeTTY writes s to a terminal's slave side: WezTerm reads it as output
// of the pane. O_NOCTTY keeps the tty from becoming ours.
func writeTTY(path, s string) error {
	f, err := os.OpenFile(path, os.O_WRONLY|syscall.O_NOCTTY, 0)
	if err != nil {
		return fmt.Errorf("open %s: %w", path, err)
	}
	defer f.Close()
	if _, err := f.WriteString(s); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}
