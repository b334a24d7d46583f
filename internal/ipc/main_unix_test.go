//go:build unix

package ipc

import (
	"os"
	"testing"

	"github.com/wezterm-parallel/wezterm-parallel/internal/ipc/ipctest"
)

func TestMain(m *testing.M) {
	ipctest.Main()
	os.Exit(m.Run())
}
