//go:build unix

package resident

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wezterm-parallel/wezterm-parallel/internal/ipc"
	"github.com/wezterm-parallel/wezterm-parallel/internal/ipc/ipctest"
)

// TestWindowAndDoctorRefuseAnImpostor: another user's process listening
// in a runtime folder that is not ours (XDG_RUNTIME_DIR unset, the
// fallback in the shared temp folder) neither feeds the window nor
// answers doctor, and never hears the window's hello.
func TestWindowAndDoctorRefuseAnImpostor(t *testing.T) {
	base, err := os.MkdirTemp("", "wprt")
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(base)
	os.Chmod(base, 0o1777)
	r := newRig(t)
	r.dir = filepath.Join(base, "wezterm-parallel-0")
	imp := ipctest.Start(t, r.dir)
	if _, err := AskStats(r.dir); !errors.Is(err, ipc.ErrRefused) || !strings.Contains(err.Error(), "belongs to uid") {
		t.Errorf("stats: %v", err)
	}
	if Running(r.dir) {
		t.Error("Running: the impostor passes for the resident")
	}
	f := r.feed(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go f.Run(ctx)
	time.Sleep(time.Second)
	if f.Linked() {
		t.Error("the window is fed by the impostor")
	}
	if imp.Reached() {
		t.Errorf("the impostor heard from us: %q", imp.Lines())
	}
}
