//go:build darwin || windows

package desktop

func sniAvailable() (bool, string) { return true, "" }
