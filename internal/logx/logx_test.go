package logx

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestOpenWritesAtLevel(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sub", "app.log")
	lvl, err := ParseLevel("warn")
	if err != nil {
		t.Fatal(err)
	}
	log, c, err := Open(path, lvl)
	if err != nil {
		t.Fatal(err)
	}
	log.Info("hidden")
	log.Warn("shown", "k", 1)
	c.Close()
	b, _ := os.ReadFile(path)
	if strings.Contains(string(b), "hidden") || !strings.Contains(string(b), "msg=shown k=1") {
		t.Errorf("log = %q", b)
	}
	if _, err := ParseLevel("loud"); err == nil {
		t.Error("ParseLevel accepted garbage")
	}
}

func TestStateDirHonoursXDG(t *testing.T) {
	t.Setenv("XDG_STATE_HOME", "/x/state")
	d, err := StateDir()
	if err != nil {
		t.Fatal(err)
	}
	if d != "/x/state/wezterm-parallel" && !strings.Contains(d, "wezterm-parallel") {
		t.Errorf("StateDir = %q", d)
	}
}
