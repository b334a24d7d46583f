// Package desktop answers questions about the desktop session without Fyne:
// whether a system tray can be shown, and the XDG autostart entry.
package desktop

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
)

// TrayAvailable reports whether a system tray can show our icon, and why
// not. On Linux and the BSDs the tray is a StatusNotifierItem: it needs a
// DBus session bus with a StatusNotifierWatcher on it. (Fyne's tray also
// panics on quit when no bus is reachable, fyne#6403: the app only starts
// the tray when this says yes.)
func TrayAvailable() (bool, string) {
	switch runtime.GOOS {
	case "darwin", "windows":
		return true, ""
	}
	return sniAvailable()
}

// AutostartPath is the XDG autostart entry of the app.
func AutostartPath() (string, error) {
	dir := os.Getenv("XDG_CONFIG_HOME")
	if dir == "" {
		home, err := os.UserHomeDir()
		if err != nil {
			return "", fmt.Errorf("find home: %w", err)
		}
		dir = filepath.Join(home, ".config")
	}
	return filepath.Join(dir, "autostart", "wezterm-parallel.desktop"), nil
}

// SetAutostart writes (on) or removes (off) the autostart entry that starts
// exe hidden in the tray at login. Linux and the BSDs only.
func SetAutostart(on bool, exe string) error {
	if runtime.GOOS == "darwin" || runtime.GOOS == "windows" {
		return fmt.Errorf("autostart: not supported on %s yet", runtime.GOOS)
	}
	path, err := AutostartPath()
	if err != nil {
		return err
	}
	if !on {
		if err := os.Remove(path); err != nil && !os.IsNotExist(err) {
			return fmt.Errorf("remove autostart entry: %w", err)
		}
		return nil
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("write autostart entry: %w", err)
	}
	entry := strings.Join([]string{
		"[Desktop Entry]",
		"Type=Application",
		"Name=wezterm-parallel",
		"Comment=WezTerm control panel, in the tray",
		"Exec=" + quoteExec(exe) + " --hidden",
		"Icon=io.github.wezterm_parallel",
		"X-GNOME-Autostart-enabled=true",
		"Terminal=false",
		"",
	}, "\n")
	if err := os.WriteFile(path, []byte(entry), 0o644); err != nil {
		return fmt.Errorf("write autostart entry: %w", err)
	}
	return nil
}

// Autostarting reports whether the entry exists.
func Autostarting() bool {
	path, err := AutostartPath()
	if err != nil {
		return false
	}
	_, err = os.Stat(path)
	return err == nil
}

// quoteExec quotes a path for a .desktop Exec line when it needs it.
func quoteExec(s string) string {
	if !strings.ContainsAny(s, " \t\"'\\$`") {
		return s
	}
	r := strings.NewReplacer(`\`, `\\\\`, `"`, `\"`, "`", "\\`", "$", `\$`)
	return `"` + r.Replace(s) + `"`
}
