package sim

import (
	"path/filepath"
	"strings"
)

// IsSimName reports whether a program invoked as argv0 should act as the
// stand-in (the app binary is multi-call: a link named wezterm-sim runs it).
func IsSimName(argv0 string) bool {
	return strings.HasPrefix(filepath.Base(argv0), "wezterm-sim")
}

// DefaultVersion is the release the stand-in reports unless told otherwise:
// the latest stable WezTerm release.
const DefaultVersion = "20240203-110809-5046fc22"
