package desktop

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

func TestAutostart(t *testing.T) {
	if runtime.GOOS == "darwin" || runtime.GOOS == "windows" {
		t.Skip("XDG only")
	}
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	if err := SetAutostart(true, "/opt/my apps/wezterm-parallel"); err != nil {
		t.Fatal(err)
	}
	path, _ := AutostartPath()
	data, _ := os.ReadFile(path)
	if !Autostarting() || !strings.Contains(string(data), `Exec="/opt/my apps/wezterm-parallel" --hidden`) {
		t.Fatalf("entry:\n%s", data)
	}
	if err := SetAutostart(false, ""); err != nil || Autostarting() {
		t.Fatalf("remove: %v", err)
	}
	if err := SetAutostart(false, ""); err != nil {
		t.Errorf("removing twice: %v", err)
	}
	if filepath.Base(path) != "wezterm-parallel.desktop" {
		t.Errorf("path %s", path)
	}
}

func TestTrayWithoutBus(t *testing.T) {
	if runtime.GOOS == "darwin" || runtime.GOOS == "windows" {
		t.Skip("tray is always there")
	}
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "unix:path="+filepath.Join(t.TempDir(), "no-bus"))
	if ok, why := TrayAvailable(); ok || !strings.Contains(why, "DBus") {
		t.Errorf("TrayAvailable = %v, %q", ok, why)
	}
}
