//go:build !darwin && !windows

package desktop

import (
	"github.com/godbus/dbus/v5"
)

const watcherName = "org.kde.StatusNotifierWatcher"

func sniAvailable() (bool, string) {
	conn, err := dbus.SessionBusPrivate()
	if err != nil {
		return false, "no DBus session bus (" + err.Error() + ")"
	}
	defer conn.Close()
	if err := conn.Auth(nil); err != nil {
		return false, "the DBus session bus refused us (" + err.Error() + ")"
	}
	if err := conn.Hello(); err != nil {
		return false, "the DBus session bus did not answer (" + err.Error() + ")"
	}
	var has bool
	if err := conn.BusObject().Call("org.freedesktop.DBus.NameHasOwner", 0, watcherName).Store(&has); err != nil {
		return false, "cannot ask the DBus session bus (" + err.Error() + ")"
	}
	if !has {
		return false, "this desktop shows no tray (no " + watcherName + " on the session bus)"
	}
	return true, ""
}
