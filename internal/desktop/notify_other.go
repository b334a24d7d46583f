//go:build darwin || windows

package desktop

func busNotify(string, string, string) error { return ErrNoNotifications }
