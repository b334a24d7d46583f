//go:build unix && !linux && !darwin && !freebsd && !netbsd && !openbsd && !dragonfly

package wsswitch

// isTerminal cannot be checked here: refuse to write.
func isTerminal(int) bool { return false }
