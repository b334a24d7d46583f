//go:build linux

package ipc

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wezterm-parallel/wezterm-parallel/internal/ipc/ipctest"
)

// sharedTemp is a folder like /tmp: anybody may make folders in it.
func sharedTemp(t *testing.T) string {
	base, err := os.MkdirTemp("", "wprt")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(base) })
	os.Chmod(base, 0o1777)
	return base
}

// TestAnotherUserCannotStandInForTheResident: another local user who
// made the runtime folder (XDG_RUNTIME_DIR unset: it lives in the shared
// temp folder), or who dropped a listening socket and a held lock into
// ours while it was open, is refused by every entry point (Prepare, Lock,
// Dial), with a message naming why, and never hears from us.
func TestAnotherUserCannotStandInForTheResident(t *testing.T) {
	base := sharedTemp(t)
	if os.Getuid() == 0 {
		t.Logf("impostor uid %d", ipctest.UID)
	}
	t.Run("their folder", func(t *testing.T) {
		dir := filepath.Join(base, "wezterm-parallel-0")
		imp := ipctest.Start(t, dir)
		if err := Prepare(dir); !errors.Is(err, ErrRefused) || !strings.Contains(err.Error(), "belongs to uid 64123") {
			t.Errorf("prepare: %v", err)
		}
		if c, err := Dial(dir, Resident, time.Second); !errors.Is(err, ErrRefused) {
			c.Close()
			t.Errorf("dial: %v", err)
		}
		if imp.Reached() {
			t.Errorf("the impostor heard from us: %q", imp.Lines())
		}
	})
	t.Run("their entries in our open folder", func(t *testing.T) {
		dir := filepath.Join(base, "ours")
		os.Mkdir(dir, 0o777)
		os.Chmod(dir, 0o777)
		imp := ipctest.Start(t, dir)
		err := Prepare(dir)
		if !errors.Is(err, ErrRefused) || !strings.Contains(err.Error(), "belongs to uid 64123") {
			t.Errorf("prepare: %v", err)
		}
		if fi, _ := os.Stat(dir); fi.Mode().Perm() != 0o700 {
			t.Errorf("our folder left %v", fi.Mode().Perm())
		}
		if _, ok, err := Lock(dir, Resident); ok || !errors.Is(err, ErrRefused) {
			t.Errorf("lock: ok %v, %v (their held lock must not read as our resident running)", ok, err)
		}
		if c, err := Dial(dir, Resident, time.Second); !errors.Is(err, ErrRefused) {
			c.Close()
			t.Errorf("dial: %v", err)
		}
		// Even a socket file that looks ours: the peer's uid decides.
		if err := os.Lchown(Path(dir, Resident), os.Getuid(), os.Getgid()); err != nil {
			t.Fatal(err)
		}
		c, err := Dial(dir, Resident, time.Second)
		if !errors.Is(err, ErrRefused) || !strings.Contains(err.Error(), "runs as uid 64123") {
			if c != nil {
				c.Close()
			}
			t.Errorf("dial a socket of ours that uid %d listens on: %v", ipctest.UID, err)
		}
		time.Sleep(100 * time.Millisecond) // what the impostor got is reported
		for _, l := range imp.Lines() {
			if strings.HasPrefix(l, "got ") {
				t.Errorf("the impostor received %q", l)
			}
		}
	})
}
