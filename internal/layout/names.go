package layout

import (
	"fmt"
	"regexp"
	"strings"
	"unicode"

	"github.com/wezterm-parallel/wezterm-parallel/internal/textsafe"
)

// envName is what a layout's env keys must look like: a POSIX environment
// variable name. Anything else could reach env(1) as an option
// ("--split-string" runs its value) or set something no shell can read.
var envName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// ValidName checks a layout name that becomes a file name (layout save) or
// a folder (a fan-out copy's worktree): one path component, printable, not
// an option.
func ValidName(name string) error {
	switch {
	case strings.TrimSpace(name) == "":
		return fmt.Errorf("a layout name must not be empty")
	case name == "." || name == "..":
		return fmt.Errorf("%q is not a layout name", name)
	case strings.ContainsAny(name, `/\`):
		return fmt.Errorf("layout name %s must not contain / or \\", textsafe.Quote(name))
	case !textsafe.IsClean(name):
		return fmt.Errorf("layout name %s must not contain control characters", textsafe.Quote(name))
	case strings.HasPrefix(name, "-"):
		return fmt.Errorf("layout name %s must not start with - (it would read as an option)", textsafe.Quote(name))
	case len(name) > 100:
		return fmt.Errorf("layout name is longer than 100 bytes")
	}
	return nil
}

// ValidFileName checks the name of a layout about to be saved: ValidName,
// and nothing a shell reads as more than a letter (space, quote, $, (,
// ;, *, …): the name is typed on command lines and completed by shells.
// Letters and digits of any script are fine, and - _ . + @ , : % ^ =.
func ValidFileName(name string) error {
	if err := ValidName(name); err != nil {
		return err
	}
	for _, r := range name {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) && !strings.ContainsRune("-_.+@,:%^=", r) {
			return fmt.Errorf("layout name %s: %q is not allowed; use letters, digits and - _ . + @ , : %% ^ = (no spaces or shell characters such as $ ( ) ; * ?)",
				textsafe.Quote(name), string(r))
		}
	}
	if strings.HasPrefix(name, "=") || strings.HasPrefix(name, "~") {
		return fmt.Errorf("layout name %s must not start with %c (a shell expands it)", textsafe.Quote(name), name[0])
	}
	return nil
}

// validBranch applies git's rules for branch names (git check-ref-format),
// so a fan-out fails here, positioned, rather than in git, and so no name
// can climb out of refs/heads with "..".
func validBranch(b string) error {
	bad := func(why string) error { return fmt.Errorf("branch %s: %s", textsafe.Quote(b), why) }
	switch {
	case b == "" || b == "@":
		return bad("not a branch name")
	case strings.Contains(b, ".."):
		return bad(`".." is not allowed`)
	case strings.HasPrefix(b, "-"):
		return bad("must not start with -")
	case strings.HasPrefix(b, "/") || strings.HasSuffix(b, "/") || strings.Contains(b, "//"):
		return bad("must not start or end with / or hold //")
	case strings.HasSuffix(b, "."):
		return bad("must not end with .")
	case strings.Contains(b, "@{"):
		return bad(`"@{" is not allowed`)
	}
	for _, r := range b {
		if r < 0x20 || r == 0x7f || strings.ContainsRune(" ~^:?*[\\", r) {
			return bad(fmt.Sprintf("%s is not allowed", textsafe.Quote(string(r))))
		}
	}
	for _, part := range strings.Split(b, "/") {
		if strings.HasPrefix(part, ".") || strings.HasSuffix(part, ".lock") {
			return bad("no part may start with . or end with .lock")
		}
	}
	return nil
}
