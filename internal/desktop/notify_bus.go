//go:build !darwin && !windows

package desktop

import (
	"fmt"

	"github.com/godbus/dbus/v5"
)

func busNotify(app, title, body string) error {
	conn, err := dbus.SessionBusPrivate()
	if err != nil {
		return fmt.Errorf("notify: no session bus: %w", err)
	}
	defer conn.Close()
	if err := conn.Auth(nil); err != nil {
		return fmt.Errorf("notify: %w", err)
	}
	if err := conn.Hello(); err != nil {
		return fmt.Errorf("notify: %w", err)
	}
	obj := conn.Object("org.freedesktop.Notifications", "/org/freedesktop/Notifications")
	call := obj.Call("org.freedesktop.Notifications.Notify", 0, app, uint32(0), "io.github.wezterm_parallel",
		title, body, []string{}, map[string]dbus.Variant{}, int32(-1))
	if call.Err != nil {
		return fmt.Errorf("notify: %w", call.Err)
	}
	return nil
}
