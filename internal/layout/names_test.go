package layout

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestValidFileName: a layout saved under a name holding shell
// characters (x$(touch y), *, a space) or control characters is refused,
// with the character named; names of any script are fine.
func TestValidFileName(t *testing.T) {
	for _, tc := range []struct{ name, want string }{
		{"agents-2x2", ""},
		{"dev_v1.2+fast@home,eu:1", ""},
		{"日本語", ""},
		{"café", ""},
		{"x$(touch PWN1)", `layout name 'x$(touch PWN1)': "$" is not allowed`},
		{"`touch PWN2`", "\"`\" is not allowed"},
		{"a;b", `";" is not allowed`},
		{"*", `"*" is not allowed`},
		{"a?", `"?" is not allowed`},
		{"my layout", `" " is not allowed; use letters, digits and - _ . + @ , : % ^ = (no spaces`},
		{"it's", `"'" is not allowed`},
		{"a\\b", "must not contain / or \\"},
		{"nl\nname", "control characters"},
		{"-rf", "must not start with -"},
		{"=ls", "must not start with ="},
		{"~root", `"~" is not allowed`},
	} {
		err := ValidFileName(tc.name)
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%q: %v", tc.name, err)
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
			t.Errorf("%q: %v, want %q", tc.name, err, tc.want)
		}
	}
}

// TestMissingLayoutNamesTheOthersEscaped: "no layout named … (have: …)"
// printed a layout name's newline raw, breaking the line.
func TestMissingLayoutNamesTheOthersEscaped(t *testing.T) {
	dir := t.TempDir()
	for _, n := range []string{"nl\nname", "my layout", "plain"} {
		os.WriteFile(filepath.Join(dir, n+".toml"), []byte("[[tabs]]\n"), 0o600)
	}
	_, _, err := Find("nope", dir)
	if err == nil || strings.Contains(err.Error(), "\n") || !strings.Contains(err.Error(), `$'nl\nname'`) ||
		!strings.Contains(err.Error(), "'my layout'") || !strings.Contains(err.Error(), ", plain") {
		t.Errorf("%q", err)
	}
}

// TestKnownKeyOutOfPlace: a key the layout knows, where it does nothing,
// got `unknown key "pane" (did you mean "pane"?)`.
func TestKnownKeyOutOfPlace(t *testing.T) {
	_, err := Parse("f.toml", []byte("[[tabs]]\n[tabs.pane]\n"), "f", CheckOptions{SkipDirs: true})
	if err == nil || !strings.Contains(err.Error(), `f.toml:2:1: key "pane" is not used here`) || strings.Contains(err.Error(), "did you mean") {
		t.Errorf("%v", err)
	}
}
