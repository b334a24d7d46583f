// Package env hides a C locale from Fyne while Go initializes the program's
// packages, and gives it back before main runs.
//
// Fyne's lang package reads the locale when it is initialized and, for
// LANG=C.UTF-8 (usual in containers and minimal systems), logs "Fyne error:
// Error parsing user locale C" to stderr: on every command, before main can
// do anything. Go initializes packages that are ready in the order of their
// import paths, and this module's path sorts before fyne.io, so its init
// runs first: it swaps a C locale for en_US.UTF-8, and main calls Restore
// first thing, so children and panes get the user's environment unchanged.
package env

import (
	"os"
	"strings"
)

var saved = map[string]string{}

func init() {
	for _, k := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if v, ok := os.LookupEnv(k); ok && IsC(v) {
			saved[k] = v
			os.Setenv(k, "en_US.UTF-8")
		}
	}
}

// IsC reports whether a locale value is the C (POSIX) locale, whatever its
// encoding: "C", "C.UTF-8", "POSIX".
func IsC(v string) bool {
	base, _, _ := strings.Cut(v, ".")
	base, _, _ = strings.Cut(base, "@")
	return base == "C" || base == "POSIX"
}

// Restore puts the environment back as the program found it.
func Restore() {
	for k, v := range saved {
		os.Setenv(k, v)
	}
	clear(saved)
}
